"""Checks cannot be forgotten: every module in etl/checks is discovered and run, every check
declares the names it writes, and every name any check (or the cross-document SQL) can write is
documented in docs/checks.md, and nothing else is."""

from __future__ import annotations

import re
import sys

import pytest

import etl.checks as checks
from etl.checks import crossdoc, run_checks
from tests.conftest import ROOT, STEMS, parsed

CHECKS_DOC = ROOT / "docs" / "checks.md"


def documented_names() -> set[str]:
    """Check names in the second column of docs/checks.md's table (| group | check | what |)."""
    names = set()
    for line in CHECKS_DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 3 and cells[1] not in ("check", "---"):
            names |= {n.strip() for n in cells[1].split(",")}
    return names


def test_every_module_in_the_package_is_discovered_and_imported():
    on_disk = sorted(
        f"etl.checks.{p.stem}" for p in (ROOT / "etl" / "checks").glob("*.py") if not p.name.startswith("_")
    )
    assert checks.check_modules() == on_disk
    assert checks.load_checks() == tuple(on_disk)
    assert all(name in sys.modules for name in on_disk)
    # The modules that hold checks today are among them, each with at least one check.
    holding = {fn.__module__ for fn in checks.CHECKS}
    assert holding == {f"etl.checks.{m}" for m in ("cross", "finals", "identity", "narrative", "tables")}


def test_every_check_name_is_documented_and_every_documented_name_is_a_check():
    declared = checks.check_names()
    assert len(declared) == 50  # 46 per-document, 4 cross-document
    assert set(crossdoc.CHECK_NAMES) <= declared
    assert "class_in_detail_table" in declared  # was documented nowhere
    documented = documented_names()
    assert sorted(declared - documented) == [], "add these to docs/checks.md"
    assert sorted(documented - declared) == [], "docs/checks.md names checks that do not exist"


def test_the_cross_document_sql_writes_exactly_its_declared_names():
    written = set()
    for sql in crossdoc.STATEMENTS:
        written |= set(re.findall(r"'([a-z_]+)', '" + crossdoc.GROUP + "'", sql))
    assert written == set(crossdoc.CHECK_NAMES)
    assert len(crossdoc.STATEMENTS) == 4


def test_the_samples_write_only_declared_names():
    declared = checks.check_names()
    seen = set()
    for stem in STEMS.values():
        p = parsed(stem)
        seen |= {r["check_name"] for r in run_checks(p.facts.rows, p.info)}
    assert seen <= declared
    assert {"stated_amount_matches_table", "total_row_is_sum", "self_eval_group_points"} <= seen


def test_a_module_dropped_into_the_package_is_run_without_being_listed(tmp_path, monkeypatch):
    (tmp_path / "zz_dropped.py").write_text(
        "from etl.checks import Result, check\n\n\n"
        '@check("zz_dropped_probe")\n'
        "def probe(v):\n"
        '    yield Result("zz_dropped_probe", "identity", "low", "pass", "probe", "ok")\n',
        encoding="utf-8",
    )
    (tmp_path / "_zz_private.py").write_text("raise AssertionError('a private module is imported')\n")
    monkeypatch.setattr(checks, "__path__", [*checks.__path__, str(tmp_path)])
    monkeypatch.setattr(checks, "CHECKS", list(checks.CHECKS))
    checks.load_checks.cache_clear()
    try:
        assert "etl.checks.zz_dropped" in checks.check_modules()
        assert "etl.checks._zz_private" not in checks.check_modules()
        rows = run_checks({}, {"fiscal_year": 2024, "stage": "budget"})
        assert [r["check_name"] for r in rows] == ["zz_dropped_probe"]
        assert "zz_dropped_probe" in checks.check_names()
    finally:
        sys.modules.pop("etl.checks.zz_dropped", None)
        checks.load_checks.cache_clear()


def test_a_result_under_an_undeclared_name_stops_the_run(monkeypatch):
    checks.load_checks()
    monkeypatch.setattr(checks, "CHECKS", [])

    @checks.check("declared_name")
    def wrong(v):
        yield checks.Result("another_name", "identity", "low", "pass", "probe", "ok")

    with pytest.raises(ValueError, match="undeclared check 'another_name'"):
        run_checks({}, {})
    with pytest.raises(TypeError):
        checks.check(wrong)  # the bare decorator declares nothing
