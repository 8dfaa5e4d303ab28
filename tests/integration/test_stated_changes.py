"""The headline change each document states (a measure of its own, keyed by the figure it names),
and summary figures held out of ranks and peer statistics when their checks fail and another
source in the same document contradicts them. Values read from the samples by hand."""

from __future__ import annotations

from decimal import Decimal as D

import duckdb
import pytest

from etl.build import build
from tests.conftest import doubted_inputs
from warehouse import queries


def stated(con) -> set[tuple]:
    return set(
        con.execute(
            "SELECT d.county, s.figure, s.pct_signed_frac FROM int_stated_changes s JOIN core_documents d USING (doc_id)"
        ).fetchall()
    )


def test_stated_headline_changes_of_the_samples(con):
    assert stated(con) == {
        # 获嘉 l.66 收入、支出增加 606.99 万元，增长 11.57%; l.78 一般公共预算收支预算 … 增长 11.57%.
        ("获嘉县", "grand_total", D("0.115700")),
        ("获嘉县", "gpb_expenditure", D("0.115700")),
        # 孟津 l.53 收支总计 增长 80.24%; l.65 一般公共预算收支预算 增长 80.24%.
        ("孟津区", "grand_total", D("0.802400")),
        ("孟津区", "gpb_expenditure", D("0.802400")),
        # 盐池 l.363 收、支总计 增长 13.750%; l.375 财政拨款收、支总计 13.84%; l.381 一般公共预算财政拨款支出 13.84%.
        ("盐池县", "grand_total", D("0.137500")),
        ("盐池县", "fiscal_grand_total", D("0.138400")),
        ("盐池县", "gpb_expenditure", D("0.138400")),
    }


def test_stated_change_is_a_measure_compared_among_peers_stating_it(con):
    rows = con.execute(
        "SELECT measure_key, count(*), min(measure_value), max(measure_value) FROM mart_measure_values "
        "WHERE measure_key LIKE 'stated_yoy_pct:%' GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert [(k, n) for k, n, *_ in rows] == [
        ("stated_yoy_pct:fiscal_grand_total", 1),
        ("stated_yoy_pct:gpb_expenditure", 3),
        ("stated_yoy_pct:grand_total", 3),
    ]
    grand = next(r for r in rows if r[0] == "stated_yoy_pct:grand_total")
    assert grand[2] == pytest.approx(0.1157) and grand[3] == pytest.approx(0.8024)
    units = [u for (u,) in con.execute("SELECT unit_key FROM mart_units WHERE unit_level = 'county'").fetchall()]
    stats = queries.peer_query(
        con.cursor(), "peer_stats", units[:1], "all", measure="stated_yoy_pct:grand_total", stage="budget"
    )
    # Budgets stating a 收支总计 change: 获嘉 2024 and 孟津 2024 (香河 2023 states none).
    by_year = {r["fiscal_year"]: r for r in stats.iter_rows(named=True)}
    assert by_year[2024]["n"] == 2 and by_year[2024]["median"] == pytest.approx((0.1157 + 0.8024) / 2)
    assert by_year[2023]["n"] == 0


@pytest.fixture(scope="module")
def doubted(tmp_path_factory):
    folder = doubted_inputs(tmp_path_factory.mktemp("doubt"))
    db = folder / "w.duckdb"
    result = build([folder], db)
    assert not result.failed
    with duckdb.connect(str(db), read_only=True) as c:
        yield c


def test_contradicted_failing_figure_is_held_out_of_ranks(doubted):
    held = dict(
        doubted.execute(
            "SELECT d.county || '|' || m.measure_key, m.held_out FROM mart_measure_values m "
            "JOIN core_documents d USING (doc_id) WHERE m.measure_key IN ('total_expenditure', 'basic_share', "
            "'sangong_budget')"
        ).fetchall()
    )
    assert held["修武县|total_expenditure"] == "total_expenditure: checks_failed_and_contradicted"
    assert held["修武县|basic_share"] == "total_expenditure: checks_failed_and_contradicted"
    assert held["修武县|sangong_budget"] is None
    assert held["获嘉县|total_expenditure"] is None
    summary = dict(doubted.execute("SELECT county, total_expenditure_yuan FROM mart_county_year").fetchall())
    assert summary["修武县"] == D("85547600.00")  # kept as printed, flagged
    units = dict(doubted.execute("SELECT name, unit_key FROM mart_units").fetchall())
    cur = doubted.cursor()
    values = queries.peer_query(
        cur, "peer_values", [units["修武县"]], "all", measure="total_expenditure", stage="budget"
    )
    assert values["unit_label"].to_list() == ["获嘉县"] and values["n"].to_list() == [1]
    stats = queries.peer_query(cur, "peer_stats", [units["修武县"]], "all", measure="total_expenditure", stage="budget")
    assert stats["n"].to_list() == [1] and stats["median"].to_list() == [58547600.0]
    mine = queries.peer_query(cur, "held_values", [units["修武县"]], "all", measure="total_expenditure", stage="budget")
    assert mine["value"].to_list() == [85547600.0]
    focus = queries.peer_query(cur, "focus_all_measures", [units["修武县"]], "all", stage="budget", year=2024)
    row = focus.filter(focus["measure"] == "total_expenditure").row(0, named=True)
    assert row["rank"] is None and row["n"] == 1 and row["held_out"]
