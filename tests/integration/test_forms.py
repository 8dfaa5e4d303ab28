"""Every sample in every form portals publish gives the facts and the summary row of its text.

The forms are generated from the sample texts at test time (tests/forms.py): a portal HTML page,
a Word-exported GBK page (also as a single-file .mht), an .xlsx and an .xls workbook, a .docx and a 繁體 text.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from etl.pipeline import parse_file
from tests.conftest import RAW, STEMS, parsed
from tests.forms import FORMS, write_forms

PROVENANCE = {"page", "line", "row_index", "col_index", "table_id", "seq", "sentence", "source_a", "source_b"}
# A workbook stores numbers, not their print: `12, 984, 142. 90` comes back as `12,984,142.90`.
PRINTED = {"amount_printed", "note"}
FMT = {
    "html": "html",
    "word_html": "html",
    "mht": "html",
    "xlsx": "excel",
    "xls": "excel",
    "docx": "docx",
    "traditional": "text",
}


@pytest.fixture(scope="module")
def forms_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("forms")
    for stem in STEMS.values():
        write_forms(RAW / f"{stem}.txt", out)
    return out


def _facts(p, table: str, skip: set[str]) -> Counter:
    return Counter(
        tuple(sorted((k, str(v)) for k, v in r.items() if k not in PROVENANCE | skip))
        for r in p.facts.rows.get(table, [])
    )


def _path(forms_dir: Path, stem: str, form: str) -> Path:
    return {
        "html": forms_dir / f"{stem}.html",
        "word_html": forms_dir / f"{stem}_word.htm",
        "mht": forms_dir / f"{stem}.mht",
        "xlsx": forms_dir / f"{stem}.xlsx",
        "xls": forms_dir / f"{stem}.xls",
        "docx": forms_dir / f"{stem}.docx",
        "traditional": forms_dir / f"{stem}_fanti.txt",
    }[form]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("stem", STEMS.values(), ids=STEMS.keys())
def test_each_form_yields_the_facts_of_the_text(forms_dir, stem, form):
    text = parsed(stem, "txt")
    other = parse_file(_path(forms_dir, stem, form))
    assert other.fmt == FMT[form] and other.info == text.info
    skip = PRINTED if form in ("xlsx", "xls") else set()
    tables = {t for t in set(text.facts.rows) | set(other.facts.rows) if t.startswith("core_")}
    for table in sorted(tables):
        a, b = _facts(text, table, skip), _facts(other, table, skip)
        assert a == b, (table, list((a - b).elements())[:2], list((b - a).elements())[:2])


@pytest.mark.parametrize("stem", [STEMS["huojia"], STEMS["yanchi"]], ids=["huojia", "yanchi"])
def test_workbook_starting_at_b3_with_numeric_codes(tmp_path, stem):
    from tests.forms import to_xlsx

    path = to_xlsx((RAW / f"{stem}.txt").read_text(encoding="utf-8"), tmp_path / "v.xlsx", (2, 1), True)
    text, other = parsed(stem, "txt"), parse_file(path)
    assert other.info == text.info
    for table in ("core_table_facts", "core_projects", "core_claims", "core_table_status"):
        a, b = _facts(text, table, PRINTED), _facts(other, table, PRINTED)
        assert a == b, (table, list((a - b).elements())[:2], list((b - a).elements())[:2])


@pytest.mark.parametrize("stem", [STEMS["huojia"], STEMS["mengjin"]], ids=["huojia", "mengjin"])
def test_html_with_merged_cells(tmp_path, stem):
    from tests.forms import to_html

    path = tmp_path / "merged.html"
    path.write_bytes(to_html((RAW / f"{stem}.txt").read_text(encoding="utf-8"), merged=True))
    assert b"colspan" in path.read_bytes()
    text, other = parsed(stem, "txt"), parse_file(path)
    assert other.info == text.info
    for table in sorted(t for t in text.facts.rows if t.startswith("core_")):
        a, b = _facts(text, table, set()), _facts(other, table, set())
        assert a == b, (table, list((a - b).elements())[:2], list((b - a).elements())[:2])


def test_word_html_is_gbk_declared_gb2312(forms_dir):
    path = _path(forms_dir, STEMS["huojia"], "word_html")
    assert b"charset=gb2312" in path.read_bytes()[:600]
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    assert parse_file(path).encoding == "gb18030"


def test_excel_provenance_is_sheet_and_row(forms_dir):
    p = parse_file(_path(forms_dir, STEMS["huojia"], "xlsx"))
    sangong = [f for f in p.facts.rows["core_table_status"] if f["table_family"] == "sangong"]
    assert sangong and sangong[0]["status"] == "disclosed_empty"
    (total,) = [
        f
        for f in p.facts.rows["core_table_facts"]
        if f["table_family"] == "summary" and f["item_key"] == "expenditure_total"
    ]
    # 5854.76 万元 on the summary table's sheet (page = sheet 2, after the 说明 sheet), row 36
    assert (total["page"], total["line"], total["amount_yuan"]) == (2, 36, 58547600)


def _summary(con) -> list[tuple]:
    return con.execute(
        "SELECT * EXCLUDE (doc_file) FROM county_year_summary ORDER BY county, fiscal_year, stage"
    ).fetchall()


def test_build_over_every_form_loads_five_disclosures(forms_dir, tmp_path, con):
    from etl.build import Engine, build

    inp = tmp_path / "in"
    shutil.copytree(forms_dir, inp)
    for f in RAW.glob("*.*"):
        if f.suffix in (".txt", ".pdf"):
            shutil.copy(f, inp / f.name)
    (inp / "old.doc").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200 + "WordDocument".encode("utf-16-le")
    )
    db = tmp_path / "w.duckdb"
    result = build([inp], db, engine=Engine(use_cache=False))
    failed = {o.path.name: o.message for o in result.failed}
    assert failed == {"old.doc": failed["old.doc"]} and "Word 97-2003" in failed["old.doc"]
    assert "\n" not in failed["old.doc"]
    assert result.documents == 5
    with duckdb.connect(str(db), read_only=True) as c:
        primaries = c.execute("SELECT primary_file FROM core_documents ORDER BY 1").fetchall()
        assert primaries == [(f"{s}.txt",) for s in sorted(STEMS.values())]  # line provenance, as printed
        counts = c.execute("SELECT source_count, unit_level FROM core_documents ORDER BY doc_id").fetchall()
        assert counts == [(9, "county")] * 5  # text, PDF, HTML, Word HTML, .mht, xlsx, xls, docx, 繁體
        formats = c.execute(
            "SELECT format, count(*) FROM core_source_files WHERE status = 'ok' GROUP BY 1 ORDER BY 1"
        ).fetchall()
        assert formats == [("docx", 5), ("excel", 10), ("html", 15), ("pdf", 5), ("text", 10)]
        disagree = c.execute("SELECT count(*) FROM core_conflicts WHERE conflict_kind = 'copies_disagree'").fetchone()
        assert disagree == (0,)
        assert _summary(c) == _summary(con)
