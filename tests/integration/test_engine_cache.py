"""Incremental builds and executors: the parse cache, input order, and Dask give the same warehouse."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from etl.build import Engine, build
from tests.conftest import RAW, STEMS

TEXTS = [RAW / f"{s}.txt" for s in STEMS.values()]


def _content(db: Path) -> dict[str, list]:
    """Every table, rows sorted, so two warehouses compare by content."""
    with duckdb.connect(str(db), read_only=True) as c:
        tables = [r[0] for r in c.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        return {t: sorted(map(repr, c.execute(f"SELECT * FROM {t}").fetchall())) for t in tables}


def test_unchanged_files_are_not_parsed_again(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    for p in TEXTS:
        shutil.copy(p, inp / p.name)
    cache = tmp_path / "cache"
    eng = Engine(jobs=2, cache_dir=cache)
    first = build([inp], tmp_path / "a.duckdb", engine=eng)
    assert first.parsed == 5 and not first.failed
    second = build([inp], tmp_path / "b.duckdb", engine=eng)
    assert second.parsed == 0 and all(o.cached for o in second.outcomes)
    # One file changes: only it is parsed again, and the result equals a clean build.
    changed = inp / TEXTS[0].name
    changed.write_text(changed.read_text(encoding="utf-8").replace("13.50\t13.50", "13.60\t13.60", 1), encoding="utf-8")
    third = build([inp], tmp_path / "c.duckdb", engine=eng)
    assert third.parsed == 1
    assert [o.cached for o in third.outcomes].count(False) == 1
    build([inp], tmp_path / "d.duckdb", engine=Engine(jobs=1, use_cache=False))
    assert _content(tmp_path / "c.duckdb") == _content(tmp_path / "d.duckdb")
    assert _content(tmp_path / "a.duckdb") != _content(tmp_path / "c.duckdb")


def test_a_copy_under_another_name_comes_from_the_cache_with_its_own_name(tmp_path):
    cache = tmp_path / "cache"
    build([TEXTS[0]], tmp_path / "a.duckdb", engine=Engine(jobs=1, cache_dir=cache))
    other = tmp_path / "renamed.txt"
    shutil.copy(TEXTS[0], other)
    res = build([other], tmp_path / "b.duckdb", engine=Engine(jobs=1, cache_dir=cache))
    assert res.parsed == 0  # same bytes: the worker found the parse in the cache
    with duckdb.connect(str(tmp_path / "b.duckdb"), read_only=True) as c:
        assert c.execute("SELECT file_name, is_primary FROM core_source_files").fetchall() == [("renamed.txt", True)]
        assert c.execute("SELECT DISTINCT source_file FROM core_table_facts").fetchall() == [("renamed.txt",)]


def test_dask_executor_gives_the_local_warehouse(tmp_path):
    files = TEXTS + [RAW / f"{STEMS['jingyan']}.pdf"]
    build(files, tmp_path / "local.duckdb", engine=Engine(jobs=2, use_cache=False))
    res = build(files, tmp_path / "dask.duckdb", engine=Engine(jobs=2, executor="dask", use_cache=False))
    assert not res.failed and res.documents == 5
    assert _content(tmp_path / "local.duckdb") == _content(tmp_path / "dask.duckdb")


def test_incremental_build_copies_unchanged_disclosures_and_equals_a_clean_build(tmp_path):
    """A rebuild against the previous warehouse copies the disclosures whose files did not change
    (a disclosure in two copies included) and loads the rest; the result is a clean build's."""
    inp, cache = tmp_path / "in", tmp_path / "cache"
    inp.mkdir()
    for p in TEXTS[:3]:
        shutil.copy(p, inp / p.name)
    shutil.copy(TEXTS[1].with_suffix(".pdf"), inp / TEXTS[1].with_suffix(".pdf").name)  # a second copy
    (inp / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    eng = Engine(jobs=2, cache_dir=cache)
    a = build([inp], tmp_path / "a.duckdb", engine=eng)
    assert (a.documents, a.reused, len(a.failed)) == (3, 0, 1)

    b = build([inp], tmp_path / "b.duckdb", engine=eng, base=tmp_path / "a.duckdb")
    assert (b.documents, b.reused, b.parsed) == (3, 3, 0)
    assert _content(tmp_path / "b.duckdb") == _content(tmp_path / "a.duckdb")

    changed = inp / TEXTS[0].name  # 获嘉's 工作经费 13.50 万元 becomes 13.60
    changed.write_text(changed.read_text(encoding="utf-8").replace("13.50\t13.50", "13.60\t13.60", 1), encoding="utf-8")
    (inp / TEXTS[2].name).unlink()
    shutil.copy(TEXTS[3], inp / TEXTS[3].name)
    c = build([inp], tmp_path / "c.duckdb", engine=eng, base=tmp_path / "b.duckdb")
    assert (c.documents, c.reused, c.parsed) == (3, 1, 2)  # the two-copy disclosure is copied
    build([inp], tmp_path / "d.duckdb", engine=Engine(jobs=1, use_cache=False))
    assert _content(tmp_path / "c.duckdb") == _content(tmp_path / "d.duckdb")
    with duckdb.connect(str(tmp_path / "c.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM core_projects WHERE amount_yuan = 136000").fetchone()[0] >= 1
        assert con.execute("SELECT count(DISTINCT doc_id) FROM core_table_facts").fetchone()[0] == 3


def test_a_warehouse_from_another_parser_lends_nothing(tmp_path):
    cache = tmp_path / "cache"
    build(TEXTS[:2], tmp_path / "a.duckdb", engine=Engine(jobs=1, cache_dir=cache))
    with duckdb.connect(str(tmp_path / "a.duckdb")) as c:
        c.execute("UPDATE meta_build SET value = 'an older parser' WHERE key = 'parser_fingerprint'")
    res = build(TEXTS[:2], tmp_path / "b.duckdb", engine=Engine(jobs=1, cache_dir=cache), base=tmp_path / "a.duckdb")
    assert (res.documents, res.reused) == (2, 0)
    res = build(TEXTS[:2], tmp_path / "c.duckdb", engine=Engine(jobs=1, use_cache=False), base=tmp_path / "b.duckdb")
    assert res.reused == 0  # --no-cache: everything anew


def test_input_order_and_worker_count_do_not_change_the_warehouse(tmp_path):
    files = [*TEXTS, TEXTS[2].with_suffix(".pdf")]  # 盐池 in two copies: the merge must not depend on order
    build(files, tmp_path / "fwd.duckdb", engine=Engine(jobs=1, use_cache=False))
    build(files[::-1], tmp_path / "rev.duckdb", engine=Engine(jobs=2, use_cache=False))
    fwd = _content(tmp_path / "fwd.duckdb")
    assert fwd == _content(tmp_path / "rev.duckdb")
    assert len(fwd["core_documents"]) == 5 and len(fwd["core_source_files"]) == 6
