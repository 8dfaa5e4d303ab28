"""The change a document states for its headline figures, on 概览, 同比变化, 会议模式 and the report,
beside the strict 本年支出合计 YoY; and a doubted figure kept out of ranks on the comparison pages.
Values from the samples read by hand, checked against core_claims read here in Python (not through
the warehouse's view)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from etl.build import build
from exports.content import county_brief
from exports.report import render_html
from rules.changes import sign
from rules.measures import RATE, STATED_CHANGE_FIGURES, format_measure
from tests.conftest import doubted_inputs, run_app_page, serve_warehouse


@pytest.fixture
def app_dir(monkeypatch, warehouse, tmp_path):
    return serve_warehouse(monkeypatch, warehouse, tmp_path)


def first_stated(con, county: str) -> dict[str, D]:
    """Per figure, the first change statement with a printed rate, signed: from core_claims."""
    rows = con.execute(
        "SELECT c.figure, c.pct_printed, c.direction, c.compare_year, d.fiscal_year FROM core_claims c "
        "JOIN core_documents d USING (doc_id) WHERE d.county = ? AND c.claim_type = 'change' "
        "AND c.pct_printed IS NOT NULL ORDER BY c.seq",
        [county],
    ).fetchall()
    out: dict[str, D] = {}
    for figure, pct, direction, compare_year, year in rows:
        if figure in STATED_CHANGE_FIGURES and compare_year == year - 1:
            out.setdefault(figure, sign(direction) * pct)
    return out


def test_overview_card_states_the_documents_own_changes(app_dir, con):
    said = first_stated(con, "盐池县")
    # 盐池 l.363 收、支总计 增长 13.750%; l.375 财政拨款收、支总计 13.84%; l.381 一般公共预算财政拨款支出 13.84%.
    assert said == {"grand_total": D("0.1375"), "fiscal_grand_total": D("0.1384"), "gpb_expenditure": D("0.1384")}
    at = run_app_page("overview", county=["盐池县"])
    line = next(m.value for m in at.markdown if m.value.startswith("**文件所述同比**"))
    assert line == "**文件所述同比**：" + "；".join(
        f"{STATED_CHANGE_FIGURES[k]} {format_measure(v, RATE)}" for k, v in said.items()
    )
    peers = next(d.value for d in at.dataframe if "焦点值" in d.value.columns)
    row = peers[peers["指标"] == "文件所述同比·收支总计"].iloc[0]
    assert row["焦点值"] == "+13.75%" and row["排名"] == "第 1 / 1"


def test_yoy_page_compares_a_stated_change_among_peers_stating_it(app_dir, con):
    hj, mj = first_stated(con, "获嘉县"), first_stated(con, "孟津区")
    assert hj["grand_total"] == D("0.1157") and mj["grand_total"] == D("0.8024")  # 获嘉 l.66, 孟津 l.53
    at = run_app_page("yoy", county=["获嘉县"], stage="预算", yoy_measure="文件所述同比·收支总计")
    values = {m.label: m.value for m in at.metric}
    assert values["获嘉县 · 2024年预算"] == "+11.57%"
    # Peers stating a 收支总计 change in their 2024 budgets: 获嘉 and 孟津 (香河 2023 states none).
    median = (float(hj["grand_total"]) + float(mj["grand_total"])) / 2
    assert values["对比组中位数 · 2024年预算"] == format_measure(median, RATE)
    table = next(d.value for d in at.dataframe if "文件所述对象" in d.value.columns)
    assert table["文件所述对象"].tolist() == ["收支总计", "一般公共预算支出"]
    assert table["文件所述同比"].tolist() == ["+11.57%", "+11.57%"]
    assert set(table["本年支出合计同比（按数字计算）"]) == {"无上年数"}  # no 2023 获嘉 loaded or stated


def test_meeting_and_report_show_the_stated_change(app_dir, con):
    at = run_app_page("meeting", county=["孟津区"], meet_year="2024")
    values = {m.label: m.value for m in at.metric}
    assert values["文件所述同比·收支总计"] == "+80.24%"
    assert values["文件所述同比·一般公共预算支出"] == "+80.24%"
    b = county_brief(con.cursor(), "孟津区", 2024)
    assert [(s["figure_zh"], s["pct_signed_frac"]) for s in b.stated] == [
        ("收支总计", D("0.802400")),
        ("一般公共预算支出", D("0.802400")),
    ]
    html = render_html(b)
    assert "<h2>文件所述同比</h2>" in html and "<td class=num>+80.24%</td>" in html


@pytest.fixture(scope="module")
def doubted_db(tmp_path_factory):
    folder = doubted_inputs(tmp_path_factory.mktemp("doubt"))
    db = tmp_path_factory.mktemp("doubt-wh") / "w.duckdb"
    assert not build([folder], db).failed
    return db


def test_a_doubted_total_is_shown_flagged_and_unranked(monkeypatch, tmp_path, doubted_db):
    serve_warehouse(monkeypatch, doubted_db, tmp_path)
    at = run_app_page("yoy", county=["修武县"], stage="预算", unit="万元", yoy_measure="本年支出合计")
    values = {m.label: m.value for m in at.metric}
    assert values["修武县 · 2024年预算"] == "8,554.76"  # as printed, but
    assert any("不参与排名" in w.value for w in at.warning)
    assert values["对比组中位数 · 2024年预算"] == "5,854.76"  # 获嘉 alone
    overview = run_app_page("overview", county=["修武县"], stage="预算")
    peers = next(d.value for d in overview.dataframe if "焦点值" in d.value.columns)
    row = peers[peers["指标"].str.startswith("本年支出合计（")].iloc[0]
    assert row["排名"] == "不参与排名（数字存疑，见数据核验）"
