"""The parse engine: isolation and limits per file, the parse cache, publishing rules, names.

Each hostile input here once lost a whole build (issue #11); now it is one failed line and the
good files beside it load.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from benchmarks import hostile
from etl.build import Engine, build
from etl.engine.limits import Limits
from tests.conftest import RAW, ROOT, STEMS, scaled

HJ = RAW / f"{STEMS['huojia']}.txt"
YC = RAW / f"{STEMS['yanchi']}.txt"


def _run(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "etl", *args], cwd=ROOT, capture_output=True, text=True, timeout=600, env=env
    )


def _lines(stdout: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in stdout.splitlines() if ": " in line and "->" not in line)


def _count(db: Path, sql: str):
    with duckdb.connect(str(db), read_only=True) as c:
        return c.execute(sql).fetchone()[0]


def test_hostile_files_fail_alone_and_good_files_load(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy(HJ, inp / "good.txt")
    (inp / "huge-amount.txt").write_bytes(hostile.oversized_amount(YC.read_bytes(), 20))
    (inp / "huge-amount-33.txt").write_bytes(hostile.oversized_amount(YC.read_bytes(), 33))
    hostile.zlib_bomb_pdf(inp / "bomb.pdf", mb=400)
    hostile.encrypted_pdf(inp / "locked.pdf")
    hostile.damaged_page_tree_pdf(inp / "damaged.pdf")
    res = build([inp], tmp_path / "w.duckdb", engine=Engine(jobs=2, limits=Limits(memory_mb=300), use_cache=False))
    got = {o.name: o.message for o in res.outcomes}
    assert got["good.txt"].startswith("ok: 获嘉县社会保险中心 2024 budget")
    for name in ("huge-amount.txt", "huge-amount-33.txt"):
        assert got[name].startswith("failed: value out of range: core_"), got[name]
        assert "exceeds DECIMAL(18,2)" in got[name] and " at " in got[name]
    assert got["bomb.pdf"].startswith("failed: memory cap exceeded"), got["bomb.pdf"]
    assert got["locked.pdf"] == "failed: encrypted PDF: a password is required to open it"
    assert got["damaged.pdf"].startswith("failed: ") and "\n" not in got["damaged.pdf"]
    assert res.documents == 1
    assert _count(tmp_path / "w.duckdb", "SELECT count(*) FROM core_source_files WHERE status = 'failed'") == 5


def test_time_limit_kills_only_the_slow_file(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    shutil.copy(HJ, inp / "fast.txt")
    import pypdfium2 as pdfium

    # A long PDF (the 盐池 pages 64 times over, ~70 s to parse on a quiet machine) takes far longer
    # than the limit. Sixteen copies (~17 s) were not enough: when the calibration ran on a busy
    # machine (limit x2.3 = 14 s) and the load then fell, the whole parse fitted in the limit. The
    # limit leaves the fast file room on a loaded machine: at 3 s, a text file once ran out of
    # time while two test suites shared the two cores. Its 1,536 pages pass a raised page cap: the
    # time limit is what this test is about.
    src, long = pdfium.PdfDocument(str(RAW / f"{STEMS['yanchi']}.pdf")), pdfium.PdfDocument.new()
    for _ in range(64):
        long.import_pages(src)
    long.save(str(inp / "slow.pdf"))
    # The limit scales with the machine's slowness like every hang guard (the slow file's parse
    # slows as much, so it still runs out of time).
    limit = round(scaled(6.0), 1)
    res = build(
        [inp],
        tmp_path / "w.duckdb",
        engine=Engine(jobs=2, limits=Limits(timeout_s=limit, max_pages=2000), use_cache=False),
    )
    got = {o.name: o.message for o in res.outcomes}
    assert got["slow.pdf"] == f"failed: time limit exceeded ({limit:g} s)"
    assert got["fast.txt"].startswith("ok: ")


def test_size_and_page_caps(tmp_path):
    big = build([HJ], tmp_path / "a.duckdb", engine=Engine(jobs=1, limits=Limits(max_bytes=1000), use_cache=False))
    size = HJ.stat().st_size
    assert (
        big.outcomes[0].message
        == f"failed: file too large: {size / 1024:.1f} KiB > cap 1000 bytes (raise it with --max-mb)"
    )
    pdf = RAW / f"{STEMS['huojia']}.pdf"
    long = build([pdf], tmp_path / "b.duckdb", engine=Engine(jobs=1, limits=Limits(max_pages=3), use_cache=False))
    import pypdfium2

    n = len(pypdfium2.PdfDocument(str(pdf)))
    assert long.outcomes[0].message == f"failed: too many pages: {n} > cap 3 (raise it with --max-pages)"


def test_names_are_data_one_line_per_file(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    gbk_name = os.fsdecode(b"\xc9\xe7\xb1\xa3-" + "预算".encode("gbk") + b".txt")  # 社保-预算 in GBK
    shutil.copy(HJ, inp / gbk_name)
    shutil.copy(YC, inp / "line\nbreak.txt")
    db = tmp_path / "w.duckdb"
    res = _run("build", "--input", str(inp), "--db", str(db), "--no-cache")
    assert res.returncode == 0, res.stderr
    lines = [ln for ln in res.stdout.splitlines() if "->" not in ln]
    assert len(lines) == 2, lines
    assert any(ln.startswith("社保-预算.txt: ok: 获嘉县") for ln in lines), lines
    assert any(ln.startswith("line\\x0abreak.txt: ok: 盐池县") for ln in lines), lines
    with duckdb.connect(str(db), read_only=True) as c:
        names = sorted(r[0] for r in c.execute("SELECT file_name FROM core_source_files").fetchall())
    assert names == ["line\\x0abreak.txt", "社保-预算.txt"]


def test_cli_reasons_not_tracebacks(tmp_path):
    r = _run("parse", str(tmp_path / "missing.txt"))
    assert r.returncode == 1 and r.stderr.strip() == "missing.txt: failed: no such file", r.stderr
    r = _run("parse", str(tmp_path))
    assert r.returncode == 1 and r.stderr.strip().endswith("failed: is a directory, not a file"), r.stderr
    junk = tmp_path / "notdb.duckdb"
    junk.write_bytes(b"this is not a database" * 100)
    r = _run("check", "--db", str(junk))
    assert r.returncode == 2 and "not a readable warehouse" in r.stderr and "Traceback" not in r.stderr, r.stderr
    folder = tmp_path / "dbdir"
    folder.mkdir()
    r = _run("build", "--input", str(HJ), "--db", str(folder), "--no-cache")
    assert r.returncode == 2 and "cannot write the warehouse" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert list(tmp_path.glob("*.tmp-*")) == [] and list(folder.iterdir()) == []


def test_less_never_replaces_more(tmp_path):
    env = dict(os.environ, SHEBAO_WAREHOUSE_DIR=str(tmp_path / "wh"))
    r = _run("build", "--input", str(HJ), "--input", str(YC), env=env)
    assert r.returncode == 0, r.stderr
    pointer = tmp_path / "wh" / "CURRENT"
    good = pointer.read_text()
    assert _count(tmp_path / "wh" / good, "SELECT count(*) FROM core_documents") == 2
    # A typo in --input: nothing to build, nothing published.
    r = _run("build", "--input", str(tmp_path / "typo"), env=env)
    assert r.returncode == 2 and pointer.read_text() == good
    # Every file fails: refused, exit non-zero, the last good warehouse stays.
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    for _ in range(2):
        r = _run("build", "--input", str(bad), env=env)
        assert r.returncode == 3 and "not published: no disclosure loaded" in r.stderr, r.stderr
        assert pointer.read_text() == good and (tmp_path / "wh" / good).exists()
    # Losing one of two disclosures is more than the 20 % allowed; --force publishes it.
    r = _run("build", "--input", str(HJ), env=env)
    assert r.returncode == 3 and "1 disclosures would replace 2" in r.stderr
    r = _run("build", "--input", str(HJ), "--force", env=env)
    assert r.returncode == 0 and pointer.read_text() != good
    assert sorted(p.name for p in (tmp_path / "wh").glob("*.tmp-*")) == []


def test_leftovers_of_killed_builds_are_removed(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / f"w.duckdb.tmp-{dead.pid}").write_bytes(b"x")
    (tmp_path / f"w.duckdb.tmp-{dead.pid}.wal").write_bytes(b"x")
    mine = tmp_path / f"other.duckdb.tmp-{os.getppid()}"  # a live process: kept
    mine.write_bytes(b"x")
    build([HJ], tmp_path / "w.duckdb", engine=Engine(jobs=1, use_cache=False))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["w.duckdb", mine.name])


def test_old_warehouse_kept_while_read(tmp_path):
    from warehouse import paths

    a, b, c = (tmp_path / f"warehouse-{i}.duckdb" for i in (1, 2, 3))
    for p in (a, b, c):
        duckdb.connect(str(p)).close()
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(a)!r}, read_only=True); print('open', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "open"
        paths.publish(c)
        assert a.exists(), "a file another process reads must not be deleted"
        assert not b.exists()
    finally:
        reader.kill()
        reader.wait()
    paths.publish(c)
    assert not a.exists() and c.exists()
