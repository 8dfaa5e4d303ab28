"""The build contract: CLI, bad inputs, copies, encodings, determinism, atomic swap."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import duckdb
import pytest

from etl.build import build
from tests.conftest import RAW, ROOT, STEMS

HJ = RAW / f"{STEMS['huojia']}.txt"


def _run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def _summary(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as c:
        return c.execute("SELECT * FROM county_year_summary ORDER BY county, fiscal_year, stage").fetchall()


def test_bad_inputs_reported_and_others_loaded(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy(HJ, inp / "good.txt")
    (inp / "empty.txt").write_bytes(b"")
    (inp / "junk.txt").write_bytes(bytes(range(256)) * 40)
    (inp / "truncated.pdf").write_bytes((RAW / f"{STEMS['huojia']}.pdf").read_bytes()[:4000])
    (inp / "novel.txt").write_text("从前有座山，山里有座庙，庙里有个老和尚在讲故事。\n" * 20, encoding="utf-8")
    from tests.unit.test_pdf_reader import scanned_pdf

    scanned_pdf(inp / "scanned.pdf")
    res = _run("build", "--input", str(inp), "--db", str(tmp_path / "w.duckdb"))
    assert res.returncode == 1
    lines = dict(line.split(": ", 1) for line in res.stdout.splitlines() if ": " in line and "->" not in line)
    assert lines["good.txt"].startswith("ok: 获嘉县社会保险中心 2024 budget")
    assert lines["empty.txt"] == "failed: empty file"
    assert lines["junk.txt"].startswith("failed: binary data")
    assert lines["truncated.pdf"].startswith("failed: corrupt or truncated PDF")
    assert lines["novel.txt"].startswith("failed: not a budget disclosure")
    assert lines["scanned.pdf"].startswith("failed: no readable text on any of 1 pages")
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as c:
        assert c.execute("SELECT count(*) FROM core_documents").fetchone() == (1,)
        failed = c.execute("SELECT count(*) FROM core_source_files WHERE status = 'failed'").fetchone()
        assert failed == (5,)


def test_copies_renamed_reordered_and_gbk_parse_the_same(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    text = HJ.read_text(encoding="utf-8")
    shutil.copy(HJ, inp / "a.txt")
    (inp / "redownload (1).txt").write_text(text, encoding="utf-8")
    (inp / "gbk.txt").write_bytes(text.encode("gbk"))
    res = build([inp], tmp_path / "w.duckdb")
    assert not res.failed and res.documents == 1
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as c:
        assert c.execute("SELECT source_count FROM core_documents").fetchone() == (3,)
        assert c.execute("SELECT count(*) FROM core_conflicts WHERE conflict_kind = 'copies_disagree'").fetchone() == (
            0,
        )
        enc = dict(c.execute("SELECT file_name, encoding FROM core_source_files").fetchall())
        assert enc["gbk.txt"] == "gb18030" and enc["a.txt"] == "utf-8"
    # Tables in another order: move the 项目支出表 block before the 收支总表.
    blocks = text.split("\n\n2024年")
    moved = blocks[0] + "".join("\n\n2024年" + b for b in [blocks[-2]] + blocks[1:-2] + [blocks[-1]])
    assert moved != text
    (tmp_path / "moved.txt").write_text(moved, encoding="utf-8")
    from etl.pipeline import parse_file

    a, b = parse_file(HJ), parse_file(tmp_path / "moved.txt")

    def key(p):
        return sorted(
            (f["table_family"], f["row_label"], f["measure"], str(f["amount_yuan"]))
            for f in p.facts.rows["core_table_facts"]
        )

    assert key(a) == key(b) and a.info == b.info


def test_copy_that_disagrees_is_a_conflict(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    text = HJ.read_text(encoding="utf-8")
    shutil.copy(HJ, inp / "a.txt")
    (inp / "b.txt").write_text(
        text.replace(
            "其他运转类\t工作经费\t获嘉县社会保险中心\t13.50\t13.50",
            "其他运转类\t工作经费\t获嘉县社会保险中心\t13.60\t13.50",
        ),
        encoding="utf-8",
    )
    build([inp], tmp_path / "w.duckdb")
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as c:
        rows = c.execute(
            "SELECT value_a_yuan, value_b_yuan FROM core_conflicts WHERE conflict_kind = 'copies_disagree'"
        ).fetchall()
    assert rows == [(D("135000.00"), D("136000.00"))]


def test_same_input_same_content(tmp_path):
    build([RAW / f"{STEMS['yanchi']}.txt", HJ], tmp_path / "a.duckdb")
    build([HJ, RAW / f"{STEMS['yanchi']}.txt"], tmp_path / "b.duckdb")
    with (
        duckdb.connect(str(tmp_path / "a.duckdb"), read_only=True) as a,
        duckdb.connect(str(tmp_path / "b.duckdb"), read_only=True) as b,
    ):
        for (t,) in a.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall():
            assert a.execute(f"SELECT * FROM {t}").fetchall() == b.execute(f"SELECT * FROM {t}").fetchall(), t


def test_failed_write_leaves_previous_warehouse(tmp_path, monkeypatch):
    db = tmp_path / "w.duckdb"
    build([HJ], db)
    before = _summary(db)
    import warehouse.build as wb

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(wb.WarehouseWriter, "_flush", boom)
    with pytest.raises(RuntimeError):
        build([HJ, RAW / f"{STEMS['yanchi']}.txt"], db)
    assert _summary(db) == before
    assert [p.name for p in tmp_path.iterdir()] == ["w.duckdb"]


def test_parse_command_prints_json():
    res = _run("parse", str(HJ))
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["county"] == "获嘉县" and out["fiscal_year"] == 2024 and out["stage"] == "budget"
    assert any(p["project_name"] == "工作经费" and p["amount_yuan"] == "135000.00" for p in out["core_projects"])


def test_build_command_default_input(tmp_path):
    res = _run("build", "--db", str(tmp_path / "w.duckdb"))
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.count(": ok: ") == 10
    assert "10 loaded, 0 failed, 5 disclosures" in res.stdout


def test_summary_contract_columns(con):
    cols = [r[0] for r in con.execute("DESCRIBE county_year_summary").fetchall()]
    assert cols == [
        "county",
        "prefecture",
        "province",
        "unit_name",
        "fiscal_year",
        "stage",
        "total_revenue",
        "total_expenditure",
        "basic_expenditure",
        "project_expenditure",
        "personnel_expenditure",
        "public_expenditure",
        "pension_subsidy",
        "pension_subsidy_share",
        "sangong_budget",
        "sangong_actual",
        "prior_year_total",
        "yoy_change",
        "yoy_pct",
        "doc_file",
    ]
    types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE county_year_summary)").fetchall())
    assert types["total_expenditure"].startswith("DECIMAL") and types["yoy_pct"].startswith("DECIMAL")


def test_prior_year_document_wins_over_stated_figure(tmp_path):
    """A loaded 2023 budget of the same unit is the prior-year figure; the stated one stays a fact."""
    inp = tmp_path / "in"
    inp.mkdir()
    text = HJ.read_text(encoding="utf-8")
    shutil.copy(HJ, inp / "2024.txt")
    prior = (
        text.replace("2024", "2023")
        .replace("二〇二四", "二〇二三")
        .replace("5,854.76", "5,300.00")
        .replace("5854.76", "5300.00")
    )
    (inp / "2023.txt").write_text(prior, encoding="utf-8")
    build([inp], tmp_path / "w.duckdb")
    rows = {r[4]: r for r in _summary(tmp_path / "w.duckdb")}
    assert rows[2024][16] == D("53000000.00")  # prior_year_total from the 2023 document
    assert rows[2024][18] == D("0.104672")
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as c:
        stated = c.execute(
            "SELECT amount_yuan FROM core_prior_year_facts WHERE fiscal_year = 2023 "
            "AND topic = 'total_grand' AND source_file = '2024.txt'"
        ).fetchall()
    assert stated == [(D("52477700.00"),)]


def test_the_load_ends_before_the_cross_document_checks_and_the_views(tmp_path):
    """WarehouseWriter.end_load commits the rows and lifts the loading limits (one thread, 128 MB)
    for the work over the whole warehouse: under them, the views of a national build ran out of
    memory (issue #20, '121.9 MiB/122.0 MiB used')."""
    from warehouse.build import WarehouseWriter

    setting = "SELECT current_setting('memory_limit'), current_setting('threads')"
    with duckdb.connect() as fresh:
        defaults = fresh.execute(setting).fetchone()
    with WarehouseWriter(tmp_path / "w.duckdb") as w:
        w.append("meta_build", [dict(key="k", value="v")])
        assert w.con.execute(setting).fetchall() == [("122.0 MiB", 1)]
        con = w.end_load()
        assert con.execute(setting).fetchall() == [defaults]
        assert con.execute("SELECT value FROM meta_build").fetchall() == [("v",)]
        assert w.end_load() is con  # once only
        with pytest.raises(RuntimeError, match="load has ended"):
            w.append("meta_build", [dict(key="late", value="row")])
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as c:
        assert c.execute("SELECT key FROM meta_build").fetchall() == [("k",)]
        assert c.execute("SELECT count(*) FROM county_year_summary").fetchone() == (0,)


def test_a_page_without_figures_is_refused_but_counted_as_published(tmp_path):
    """A real portal page (海原县 2024 预算) that names its unit, year and stage but keeps its tables in
    an attachment is refused, and the file's record keeps what it says of itself, so coverage can
    count the publication; a file refused for another reason says nothing; a loaded file keeps its
    own identity beside its doc_id."""
    inp = tmp_path / "in"
    inp.mkdir()
    page = ROOT / "tests" / "fixtures" / "real" / "pages" / "nx_haiyuan_shebao_2024_budget.html"
    shutil.copy(page, inp / page.name)
    shutil.copy(HJ, inp / HJ.name)
    (inp / "junk.txt").write_text("这不是预算公开文件。\n" * 3, encoding="utf-8")
    build([inp], tmp_path / "w.duckdb")
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as c:
        files = {
            r[0]: r[1:]
            for r in c.execute(
                "SELECT file_name, status, unit_name, fiscal_year, stage, county, doc_id IS NULL FROM core_source_files"
            ).fetchall()
        }
        published = c.execute(
            "SELECT unit_name, county, fiscal_year, stage, files, file_name FROM int_published_without_figures"
        ).fetchall()
    assert files[page.name] == ("failed", "海原县社会保险事业管理中心", 2024, "budget", "海原县", True)
    assert files["junk.txt"] == ("failed", None, None, None, None, True)
    assert files[HJ.name] == ("ok", "获嘉县社会保险中心", 2024, "budget", "获嘉县", False)
    assert published == [("海原县社会保险事业管理中心", "海原县", 2024, "budget", 1, page.name)]
