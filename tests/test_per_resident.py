"""Per-resident measures on the pages that compare: the value shown is the document's 本年支出合计
divided by the 2020 census population of its division, computed here independently from the
shipped census file; the unit says 元/人 (not a percentage) and the census is named as the source."""

from __future__ import annotations

import csv
import json
from decimal import Decimal as D

import pytest

from tests.conftest import ROOT, run_app_page, serve_warehouse

CENSUS = ROOT / "data" / "reference" / "census-2020"


@pytest.fixture
def app_dir(monkeypatch, warehouse, tmp_path):
    return serve_warehouse(monkeypatch, warehouse, tmp_path)


def census_population(adcode: str) -> int:
    """The county's 2020 population, read from the shipped CSV (columns found by name)."""
    path = next(p for p in CENSUS.glob("*.csv") if "change" not in p.name)
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    code_col = next(c for c in rows[0] if "code" in c.lower() or "代码" in c)
    pop_col = next(c for c in rows[0] if c.lower() in ("population", "pop_total", "人口数_合计", "population_total"))
    return int(next(r[pop_col] for r in rows if r[code_col] == adcode))


def page_on_measure(page: str, widget: str, measure: str, county: str):
    """A page with its measure picker set to `measure` (the URL binds the picker by its label)."""
    at = run_app_page(page, county=[county], stage="预算")
    at.selectbox(key=widget).set_value(measure).run()
    assert not at.exception
    return at


def test_rankings_show_spending_per_resident(app_dir, con):
    at = page_on_measure("rankings", "rank_measure", "total_per_resident", "获嘉县")
    total = con.execute(
        "SELECT total_expenditure FROM county_year_summary WHERE county = '获嘉县' AND fiscal_year = 2024"
    ).fetchone()[0]
    assert total == D("58547600.00")  # 获嘉县 2024 部门预算, 本年支出合计 5,854.76 万元
    pop = census_population("410724")
    assert pop == 398137  # 获嘉县, 第七次全国人口普查 (the census yearbook sheet, read by hand)
    expected = round(float(total) / pop, 2)  # 147.05
    table = next(d.value for d in at.dataframe if any("元/人" in c for c in d.value.columns))
    col = next(c for c in table.columns if "元/人" in c)
    row = table[table["县（区）"].astype(str).str.startswith("获嘉县")].iloc[0]
    assert float(str(row[col]).replace(",", "")) == pytest.approx(expected, abs=0.01)
    assert any("第七次全国人口普查" in c.value for c in at.caption)


def test_pension_page_compares_pension_per_older_resident(app_dir, con):
    """养老补助 per resident aged 60+: the KPI equals the warehouse's pension subsidy over the census
    60+ population; the chart names the census as the denominator's source."""
    at = page_on_measure("pension", "pension_measure", "pension_per_60plus", "孟津区")
    pension = con.execute(
        "SELECT pension_subsidy FROM county_year_summary WHERE county = '孟津区' AND fiscal_year = 2024"
    ).fetchone()[0]
    old = 106278  # 孟津区 = 孟津县 410322 + 吉利区 410306, 60+ in the 2020 census (read by hand)
    expected = f"{float(pension) / old:,.2f} 元/人"
    values = [m.value for m in at.metric]
    assert expected in values, (expected, values)
    texts = [str(json.loads(c.proto.spec)["layout"].get("annotations")) for c in at.get("plotly_chart")]
    assert texts and any("第七次全国人口普查" in t for t in texts), texts
