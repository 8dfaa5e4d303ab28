"""Issue #20: uploads and builds that never lose or lie. A bounded version of each recipe of
benchmarks/hostile.py goes through the upload service (etl.service, etl.uploads) and the CLI: every
one ends with a clear Chinese reason or a correct load, and nothing accepted goes missing."""

from __future__ import annotations

import errno
import io
import json
import os
import resource
import signal
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import duckdb
import pytest

from benchmarks import hostile
from etl import service, uploads
from etl.__main__ import EXIT_STORAGE
from etl.__main__ import main as etl_main
from etl.engine.cache import default_cache_dir
from etl.engine.limits import Limits
from etl.engine.pool import IsolatedPool
from tests.conftest import RAW, ROOT, STEMS, scaled
from warehouse import paths

HJ = RAW / f"{STEMS['huojia']}.txt"
YC = RAW / f"{STEMS['yanchi']}.txt"
MJ = RAW / f"{STEMS['mengjin']}.txt"
YC_UNIT, HJ_UNIT, MJ_UNIT = "盐池县社会保险事业管理中心", "获嘉县社会保险中心", "洛阳市孟津区社会保险中心"


def _units(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as c:
        return c.execute("SELECT unit_name, fiscal_year, stage FROM core_documents ORDER BY unit_name").fetchall()


def _staged_bytes() -> int:
    return sum(p.stat().st_size for p in service.STAGING_DIR.iterdir() if p.suffix != ".json")


# --- 1. One truth about what was loaded ----------------------------------------------------------


def test_uploads_without_a_known_extension_load_and_the_message_counts_them(dirs):
    service.ensure_warehouse()
    stored = service.store_uploads([("盐池决算", YC.read_bytes()), ("孟津.text", MJ.read_bytes())])
    rows = service.preview(stored, jobs=2)
    assert [(r["结果"], r["形式"], r["单位"]) for r in rows] == [
        ("将载入", "文本", YC_UNIT),
        ("将载入", "文本", MJ_UNIT),
    ]
    moved = service.accept_uploads(stored)
    assert {p.suffix for p in moved} == {"", ".text"} and service.uploaded_files() == moved
    report = service.add_uploads(moved)
    assert report.published and report.failed == [] and report.documents == 3
    assert sorted(report.loaded) == [("孟津.text", f"{MJ_UNIT} 2024 年预算"), ("盐池决算", f"{YC_UNIT} 2024 年决算")]
    assert report.message == "已发布：本次 2 个文件中 2 个已载入（2 份公开文档），数据仓库现有 3 份公开文档。"
    assert _units(paths.current_db_path()) == [
        (MJ_UNIT, 2024, "budget"),
        (YC_UNIT, 2024, "final"),
        (HJ_UNIT, 2024, "budget"),
    ]


def test_a_file_that_does_not_load_is_named_and_leaves_the_queue(dirs):
    service.ensure_warehouse()
    before = paths.current_db_path()
    stored = service.store_uploads([("junk.txt", bytes(range(256)) * 50)])
    report = service.add_uploads(service.accept_uploads(stored))
    assert not report.published and report.documents == 1
    assert report.message == "未发布新数据仓库：本次上传的文件都未能载入。原数据仓库保持不变（1 份公开文档）。"
    ((name, why),) = report.failed
    assert name == "junk.txt" and why.startswith("不是文本或可识别的文档格式（二进制数据）（binary data")
    assert why.endswith("；已从待载入队列移除")
    assert service.uploaded_files() == [] and paths.current_db_path() == before
    stored = service.store_uploads([("yc.txt", YC.read_bytes()), ("junk.txt", bytes(range(256)) * 50)])
    report = service.add_uploads(service.accept_uploads(stored))
    assert report.published, report
    assert report.loaded == [("yc.txt", f"{YC_UNIT} 2024 年决算")]
    ((name, why),) = report.failed
    assert name == "junk.txt" and why.startswith("不是文本或可识别的文档格式（二进制数据）")
    assert why.endswith("；已从待载入队列移除")
    assert [p.name[:64] for p in service.uploaded_files()] == [stored[0].sha256]


def test_cli_build_without_input_reads_every_accepted_upload(dirs, capsys):
    service.accept_uploads(service.store_uploads([("盐池决算", YC.read_bytes())]))
    db = dirs / "cli.duckdb"
    assert etl_main(["build", "--db", str(db)]) == 0
    assert _units(db) == [(YC_UNIT, 2024, "final"), (HJ_UNIT, 2024, "budget")]
    assert "2 loaded, 0 failed, 2 disclosures" in capsys.readouterr().out


# --- 2. Uploads add to the current warehouse, whatever built it -----------------------------------


def test_an_upload_adds_to_a_warehouse_another_program_built(dirs):
    from benchmarks import national

    folder = paths.DATA_DIR
    folder.mkdir(parents=True)
    db = folder / "warehouse-1.duckdb"
    assert national.main(["--units", "40", "--years", "2", "--db", str(db)]) == 0
    (folder / "CURRENT").write_text(db.name, encoding="utf-8")
    with duckdb.connect(str(db), read_only=True) as c:
        before = {r[0] for r in c.execute("SELECT doc_id FROM core_documents").fetchall()}
        facts = c.execute("SELECT count(*) FROM core_table_facts").fetchone()[0]
    report = service.add_uploads(service.accept_uploads(service.store_uploads([("yc.txt", YC.read_bytes())])))
    assert report.published and report.documents == len(before) + 1
    with duckdb.connect(str(paths.current_db_path()), read_only=True) as c:
        after = {r[0] for r in c.execute("SELECT doc_id FROM core_documents").fetchall()}
        yc = c.execute("SELECT doc_id FROM core_documents WHERE unit_name = ?", [YC_UNIT]).fetchall()
        yc_facts = c.execute("SELECT count(*) FROM core_table_facts WHERE doc_id = ?", [yc[0][0]]).fetchone()[0]
        assert c.execute("SELECT count(*) FROM core_table_facts").fetchone()[0] == facts + yc_facts
    assert before < after and after - before == {yc[0][0]} and yc_facts > 0


def test_an_upload_adds_to_a_warehouse_of_an_older_schema(dirs):
    service.ensure_warehouse()
    old = paths.current_db_path()
    with duckdb.connect(str(old)) as c:  # written before core_documents.unit_level was declared
        c.execute("ALTER TABLE core_documents DROP COLUMN unit_level")
    report = service.add_uploads(service.accept_uploads(service.store_uploads([("yc.txt", YC.read_bytes())])))
    assert report.published and report.documents == 2
    with duckdb.connect(str(paths.current_db_path()), read_only=True) as c:
        rows = c.execute("SELECT unit_name, unit_level FROM core_documents ORDER BY unit_name").fetchall()
    assert rows == [(YC_UNIT, "county"), (HJ_UNIT, None)]


def test_a_refused_or_failed_build_keeps_the_warehouse_and_empties_the_queue(dirs, monkeypatch):
    import etl.build

    service.ensure_warehouse()
    before = paths.current_db_path()

    def full_disk(*_a, **_k):
        raise duckdb.IOException('Could not write file "/srv/x.duckdb.tmp-1": No space left on device')

    monkeypatch.setattr(etl.build, "build", full_disk)
    report = service.add_uploads(service.accept_uploads(service.store_uploads([("yc.txt", YC.read_bytes())])))
    assert not report.published and paths.current_db_path() == before
    assert (
        report.message
        == "未发布新数据仓库：服务器存储空间不足，新数据仓库未写完，已丢弃。原数据仓库保持不变（1 份公开文档）。"
    )
    assert report.failed == [("yc.txt", "未载入；已从待载入队列移除")] and service.uploaded_files() == []
    assert "/srv" not in report.message


# --- 3. Archives streamed and bounded before anything is stored -------------------------------


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2])
def test_a_corrupt_member_is_skipped_and_the_good_one_stored(dirs, method):
    stored = service.store_uploads([("批量.zip", hostile.corrupt_member_zip(YC.read_bytes(), method))])
    good, bad = stored  # in the order of the archive
    assert good.original_name == "good.txt" and good.message == "" and good.path.read_bytes() == YC.read_bytes()
    assert bad.original_name == "批量.zip / bad.txt" and bad.path is None
    assert bad.message.startswith("压缩包内文件损坏，无法解压") and bad.message.endswith("已跳过；其他文件照常处理")


def test_directory_caps_come_from_the_end_record_before_the_directory_is_read(dirs):
    data = hostile.many_entries_zip(20_000)
    tracemalloc.start()
    (refused,) = service.store_uploads([("entries.zip", io.BytesIO(data))])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert refused.message == "压缩包内条目过多（20000 个，上限 1000），未展开"
    assert peak < 1_000_000  # zipfile would have built 20,000 ZipInfo objects (~10 MB)
    big_dir = service.UploadLimits(max_zip_entries=100_000, max_zip_directory_bytes=100_000)
    (refused,) = service.store_uploads([("entries.zip", data)], limits=big_dir)
    assert refused.message == "压缩包目录过大（1.0 MiB，上限 0 MiB），未展开"


def test_inflated_bytes_are_counted_never_the_directorys_claims(dirs):
    lying = hostile.lying_sizes_zip(50)
    assert len(lying) < 700_000
    with zipfile.ZipFile(io.BytesIO(lying)) as zf:  # the directory claims a ratio of 100
        claim = zf.getinfo("zeros.txt")
        assert claim.file_size == 50 * 2**20 and claim.compress_size == claim.file_size // 100
    refused, pad = service.store_uploads([("lying.zip", lying)])
    assert refused.path is None and refused.message == "压缩比异常（疑似压缩炸弹），已拒绝"
    assert pad.message == "" and _staged_bytes() == pad.path.stat().st_size < 2**20
    small = hostile.many_small_members_zip(199, 2**20 - 1)
    stored = service.store_uploads([("small.zip", small)])
    assert len(stored) == 199
    kept = [s for s in stored if s.path is not None]
    # Identical members are one staged file; what was inflated stays within 100 x the archive.
    assert len(kept) * (2**20 - 1) <= 100 * len(small)
    assert {s.message for s in stored if s.path is None} == {"压缩包解压总量与其大小之比异常（疑似压缩炸弹），已拒绝"}


def test_nested_archives_are_refused_and_totals_hold_per_upload_and_per_day(dirs):
    inner = hostile.zip_of({"yc.txt": YC.read_bytes()})
    stored = service.store_uploads([("outer.zip", hostile.nested_zip(inner))])
    assert sorted((s.original_name, s.message) for s in stored) == [
        ("outer.zip / inner.zip", "压缩包内的 ZIP 压缩包不展开，请先解压后上传"),
        ("readme.txt", ""),
    ]
    day = len(b"see inner.zip") + len(YC.read_bytes()) + 100  # room for the first two uploads only
    limits = service.UploadLimits(max_upload_bytes=len(YC.read_bytes()) + 10, max_day_bytes=day)
    one = service.store_uploads([("yc.txt", YC.read_bytes()), ("hj.txt", HJ.read_bytes())], limits=limits)
    assert [s.message for s in one] == ["", f"超过单次上传总量上限（{0} MiB），已拒绝"]
    spent = json.loads((service.UPLOAD_DIR / ".daily.json").read_text())["bytes"]
    assert spent == len(YC.read_bytes()) + len(b"see inner.zip")
    (later,) = service.store_uploads([("mj.txt", MJ.read_bytes())], limits=limits)
    assert later.message.startswith("已达今日上传总量上限") and later.path is None


def test_staging_is_swept_by_the_age_of_the_staging_event_not_of_the_file(dirs):
    (s,) = service.store_uploads([("yc.txt", YC.read_bytes())])
    meta = s.path.with_name(f"{s.sha256}.json")
    day_ago = time.time() - 2 * 24 * 3600
    os.utime(s.path, (day_ago, day_ago))  # an old file, staged again just now
    assert service.clean_staging() == 0 and s.path.exists()
    body = json.loads(meta.read_text())
    meta.write_text(json.dumps({**body, "staged_at": int(day_ago)}))
    (again,) = service.store_uploads([("again.txt", YC.read_bytes())])  # re-upload renews it (and sweeps nothing)
    assert again.path == s.path and s.path.exists()
    assert json.loads(meta.read_text())["staged_at"] > day_ago + 24 * 3600
    meta.write_text(json.dumps({**body, "staged_at": int(day_ago)}))
    assert service.clean_staging() == 2 and not s.path.exists()
    assert service.accept_uploads([again]) == [] and again.message == service.EXPIRED


# --- 4. Limits that cost once ------------------------------------------------------------------


def test_office_files_past_the_caps_are_refused_before_parsing(dirs, tmp_path):
    files = [
        ("rows.xlsx", hostile.many_rows_xlsx(tmp_path / "rows.xlsx", rows=300_000)),
        ("strings.xlsx", hostile.shared_strings_xlsx(tmp_path / "strings.xlsx", mib=17)),
        ("body.docx", hostile.big_docx(tmp_path / "body.docx", mib=33)),
    ]
    stored = service.store_uploads([(n, p.read_bytes()) for n, p in files])
    rows = service.preview(stored, jobs=2)
    assert [r["结果"] for r in rows] == ["不会载入"] * 3
    details = [r["说明"] for r in rows]
    assert details[0] == "超出文件规模上限，不会载入（sheet spans 300000 rows x 2 columns (cap 500000 cells)）"
    assert details[1] == "超出文件规模上限，不会载入（workbook shared strings over 16 MiB (cap)）"
    assert details[2] == "超出文件规模上限，不会载入（Word body (document.xml) over 32 MiB (cap)）"


def test_a_failure_at_a_limit_is_cached_by_content(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(YC.read_bytes())
    b.write_bytes(YC.read_bytes())
    tight = Limits(memory_mb=1)  # every worker is over 1 MiB: the memory cap is met at once
    cache = str(tmp_path / "cache")
    (first,) = IsolatedPool(1, tight, cache).run([(0, str(a))])
    assert first.message.startswith("failed: memory cap exceeded") and not first.cached
    (second,) = IsolatedPool(1, tight, cache).run([(0, str(b))])
    assert second.cached and second.message == first.message and not second.ok
    (normal,) = IsolatedPool(1, Limits(), cache).run([(0, str(b))])  # other limits: asked again
    assert normal.ok and not normal.cached


def test_identical_files_in_one_upload_are_parsed_and_loaded_once(dirs):
    service.ensure_warehouse()
    stored = service.store_uploads([("yc.txt", YC.read_bytes()), ("副本", YC.read_bytes())])
    rows = service.preview(stored, jobs=2)
    assert rows[1]["说明"] == "与「yc.txt」内容相同，只载入一次" and rows[1]["结果"] == "将载入"
    moved = service.accept_uploads(stored)
    assert len(moved) == 1
    report = service.add_uploads(moved)
    assert report.loaded == [("yc.txt", f"{YC_UNIT} 2024 年决算")] and report.documents == 2


# --- 6. Faults reported as such ----------------------------------------------------------------


def test_a_full_disk_while_staging_leaves_nothing_half_written(dirs, monkeypatch):
    class Full(io.BufferedWriter):
        def write(self, b):
            super().write(bytes(b)[: len(b) // 2])
            self.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(uploads, "_open", lambda p, mode: Full(io.FileIO(p, mode)))
    (s,) = service.store_uploads([("yc.txt", YC.read_bytes())])
    assert s.path is None and s.message == "服务器存储空间不足，文件未保存（未留下不完整的文件）"
    assert [p.name for p in service.STAGING_DIR.iterdir()] == []


def _fsize_limit(n: int):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (n, n))

    return apply


def test_a_disk_that_fills_during_a_build_exits_4_and_keeps_the_warehouse(tmp_path):
    db = tmp_path / "w.duckdb"
    env = dict(os.environ, SHEBAO_ETL_CACHE=str(default_cache_dir()))
    cmd = [sys.executable, "-m", "etl", "build", "--input", str(RAW), "--db", str(db)]
    first = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=scaled(600))
    assert first.returncode == 0, first.stderr[-2000:]
    before = db.read_bytes()
    full = subprocess.run(
        cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=scaled(600), preexec_fn=_fsize_limit(2_000_000)
    )
    assert full.returncode == EXIT_STORAGE == 4
    (line,) = [x for x in full.stderr.splitlines() if not x.startswith("progress:")]
    assert line.startswith(f"{db}: not published: out of disk space (") and line.endswith(
        "the previous warehouse is kept"
    )
    assert "Traceback" not in full.stderr and db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb"]


# --- 7. Names shown safely ---------------------------------------------------------------------


def test_names_lose_bidi_controls_and_nul_and_are_capped(dirs):
    name = hostile.bidi_name()
    (s,) = service.store_uploads([(name, YC.read_bytes())])
    assert "\u202e" not in s.original_name and "\x00" not in s.original_name
    assert s.original_name.startswith("rtlgnp.txt长") and s.original_name.endswith("长.txt")
    assert len(s.original_name) == 120 and s.original_name.count("…") == 1
    meta = json.loads(s.path.with_name(f"{s.sha256}.json").read_text(encoding="utf-8"))
    assert meta["original_name"] == s.original_name
    (row,) = service.preview([s], jobs=1)
    assert row["文件"] == s.original_name
