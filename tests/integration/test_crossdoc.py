"""Cross-document checks (etl.checks.crossdoc) over a small multi-document warehouse.

The documents are the 盐池 2024 决算 (data/raw, 元) and variants of the samples written here:
- its 2023 决算: the same file one year earlier, with 收、支总计 and 本年支出合计 set to what the 2024
  决算 implies (13,060,802.17 − 1,578,669.08 = 11,482,133.09; 12,984,142.90 − 1,578,669.08 =
  11,405,473.82), or to other amounts for the failing case;
- its 2024 预算: the 获嘉 预算 (万元) renamed to the 盐池 unit, with 本年支出合计 / 一般公共预算 895.14 万元
  (the 决算 says "一般公共预算财政拨款支出年初预算为 8,951,379.26 元" and "完成年初预算的 145.05%");
- a second copy of the 2024 决算 with one cell changed.
"""

from __future__ import annotations

from decimal import Decimal as D

import duckdb
import pytest

from etl.checks.crossdoc import run_crossdoc_checks
from etl.merge import merge_copies
from etl.pipeline import parse_file
from tests.conftest import RAW, STEMS
from warehouse.build import WarehouseWriter

YC = (RAW / f"{STEMS['yanchi']}.txt").read_text(encoding="utf-8")
HJ = (RAW / f"{STEMS['huojia']}.txt").read_text(encoding="utf-8")


def _set(text: str, old: str, new: str) -> str:
    """Replace an amount in every form the sample prints it: 1,234.56 / 1, 234. 56 / 1234.56."""
    for a, b in ((old, new), (old.replace(",", ", ").replace(".", ". "), new), (old.replace(",", ""), new)):
        text = text.replace(a, b)
    return text


def yanchi_2023(grand: str, total: str) -> str:
    text = YC.replace("2023", "2022").replace("2024", "2023")
    return _set(_set(text, "13,060,802.17", grand), "12,984,142.90", total)


def yanchi_budget_2024(total_wan: str) -> str:
    text = HJ.replace("获嘉县社会保险中心", "盐池县社会保险事业管理中心").replace("获嘉县", "盐池县")
    return _set(text, "5,854.76", total_wan)


def _warehouse(tmp_path, groups: list[list[tuple[str, str]]]):
    """Parse each copy, merge each group, load, run the cross-document checks; returns (db, added)."""
    added = []
    db = tmp_path / "w.duckdb"
    with WarehouseWriter(db) as w:
        for group in groups:
            copies = []
            for name, text in group:
                path = tmp_path / name
                path.write_text(text, encoding="utf-8")
                copies.append(parse_file(path))
            w.append_all(merge_copies(copies)[1])
        added.append(run_crossdoc_checks(w.end_load()))
    return db, added[0]


def _results(db, check_name: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as c:
        return c.execute(
            "SELECT d.fiscal_year, d.stage, r.status, r.item, r.printed_value, r.implied_value, r.check_group, "
            "r.source_file, r.page, r.line, r.message FROM check_results r JOIN core_documents d USING (doc_id) "
            "WHERE r.check_name = ? ORDER BY r.item, r.printed_value",
            [check_name],
        ).fetchall()


@pytest.fixture(scope="module")
def consistent(tmp_path_factory):
    changed = YC.replace("\n30,000.00\t0.00\t30,000.00\t", "\n31,000.00\t0.00\t30,000.00\t")
    assert changed != YC
    return _warehouse(
        tmp_path_factory.mktemp("ok"),
        [
            [("yc2024.txt", YC), ("yc2024_copy.txt", changed)],
            [("yc2023.txt", yanchi_2023("11,482,133.09", "11,405,473.82"))],
            [("ycb2024.txt", yanchi_budget_2024("895.14"))],
        ],
    )


@pytest.fixture(scope="module")
def inconsistent(tmp_path_factory):
    return _warehouse(
        tmp_path_factory.mktemp("bad"),
        [
            [("yc2024.txt", YC)],
            [("yc2023.txt", yanchi_2023("11,500,000.00", "11,405,473.82"))],
            [("ycb2024.txt", yanchi_budget_2024("900.00"))],
        ],
    )


def test_prior_year_figures_agree_with_that_years_document(consistent):
    db, _added = consistent
    rows = _results(db, "prior_year_matches_document")
    by_item = {(r[3], r[4]): r for r in rows}
    # 收、支总计 and 财政拨款收、支总计: 11,482,133.09 against the 2023 决算's 总计; 一般公共预算财政拨款支出
    # 11,405,473.82 against its 一般公共预算 table. 三公 (7,635.90 + 15,037.76 = 22,673.66) against the
    # 2023 file's 三公 决算 (the variant keeps 7,635.90): a real difference the check must report.
    assert by_item[("2023年「收、支总计」（上年数）与2023年文件", D("11482133.09"))][2] == "pass"
    assert by_item[("2023年「财政拨款收、支总计」（上年数）与2023年文件", D("11482133.09"))][2] == "pass"
    gpb = by_item[("2023年「一般公共预算财政拨款支出」（上年数）与2023年文件", D("11405473.82"))]
    assert gpb[2] == "pass" and gpb[5] == D("11405473.82")
    assert gpb[6] == "cross_document" and gpb[7] == "yc2024.txt" and gpb[9] == 381
    sangong = [r for r in rows if r[4] == D("22673.66")]
    assert sangong and all(r[2] == "fail" and r[5] == D("7635.90") for r in sangong)
    # Only the 2024 决算 states prior-year figures that a loaded document can answer.
    assert {(r[0], r[1]) for r in rows} == {(2024, "final")}


def test_prior_year_figure_that_disagrees_fails(inconsistent):
    db, _ = inconsistent
    rows = {r[3]: r for r in _results(db, "prior_year_matches_document")}
    grand = rows["2023年「收、支总计」（上年数）与2023年文件"]
    assert grand[2] == "fail" and (grand[4], grand[5]) == (D("11482133.09"), D("11500000.00"))
    assert "相差 -1.79 万元" in grand[10]
    assert rows["2023年「一般公共预算财政拨款支出」（上年数）与2023年文件"][2] == "pass"


def test_final_against_the_same_years_budget(consistent, inconsistent):
    ok = {r[3]: r for r in _results(consistent[0], "final_budget_matches_budget_document")}
    gpb = "决算所述「2024年度一般公共预算财政拨款支出年初预算为」与2024年预算文件"
    # 年初预算 8,951,379.26 元 against 895.14 万元 (±50 元 for the 万元 rounding).
    assert (ok[gpb][0], ok[gpb][1], ok[gpb][2], ok[gpb][4], ok[gpb][5]) == (
        2024,
        "final",
        "pass",
        D("8951379.26"),
        D("8951400.00"),
    )
    # 三公: the 决算 says 预算 30,000.00 元 (公务用车), the 预算 variant (获嘉's text) 0 万元: reported.
    assert ok["决算所述「2024年度“三公”经费财政拨款支出预算为」与2024年预算文件"][2:6] == (
        "fail",
        "决算所述「2024年度“三公”经费财政拨款支出预算为」与2024年预算文件",
        D("30000.00"),
        D("0.00"),
    )
    assert ok["决算所述「3.公务接待费预算为」与2024年预算文件"][2] == "pass"
    # An amount of the 决算 itself ("一般公共预算财政拨款支出 12,984,142.90 元") is not a 预算 figure.
    assert not [r for r in ok.values() if r[4] == D("12984142.90")]
    bad = {r[3]: r for r in _results(inconsistent[0], "final_budget_matches_budget_document")}
    assert bad[gpb][2] == "fail" and (bad[gpb][4], bad[gpb][5]) == (D("8951379.26"), D("9000000.00"))


def test_execution_rate_against_the_budget_document(consistent, inconsistent):
    (ok,) = [r for r in _results(consistent[0], "execution_rate_matches_budget_document") if r[4] == D("1.4505")]
    # 12,984,142.90 ÷ 8,951,400.00 = 1.450515…, printed 145.05%.
    assert ok[2] == "pass" and ok[5] == D("1.450515")
    (bad,) = [r for r in _results(inconsistent[0], "execution_rate_matches_budget_document") if r[4] == D("1.4505")]
    # 12,984,142.90 ÷ 9,000,000.00 = 1.442683
    assert bad[2] == "fail" and bad[5] == D("1.442683") and "应为 144.27%" in bad[10]


def test_copies_that_disagree(consistent, inconsistent):
    rows = _results(consistent[0], "copies_agree")
    fails = [r for r in rows if r[2] == "fail"]
    # The copy with 三公 31,000.00 fails its own 三公 sums, so the sample is primary.
    assert [(r[0], r[4], r[5], r[7]) for r in fails] == [(2024, D("30000.00"), D("31000.00"), "yc2024.txt")]
    assert "yc2024_copy.txt" in fails[0][3]
    assert _results(inconsistent[0], "copies_agree") == []  # one copy each: nothing to compare


def test_count_matches_rows_added(consistent):
    db, added = consistent
    with duckdb.connect(str(db), read_only=True) as c:
        n = c.execute("SELECT count(*) FROM check_results WHERE check_group = 'cross_document'").fetchone()[0]
    assert added == n > 0


def test_other_units_are_not_compared(tmp_path):
    other = yanchi_2023("11,500,000.00", "11,405,473.82").replace("盐池县社会保险事业管理中心", "盐池县就业服务中心")
    db, added = _warehouse(tmp_path, [[("yc2024.txt", YC)], [("other2023.txt", other)]])
    assert _results(db, "prior_year_matches_document") == [] and added == 0
