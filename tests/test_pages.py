"""AppTest for every page: no exception, key numbers equal the warehouse, URL parameters restore
the filters, and empty states say what is missing."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest
from streamlit.testing.v1 import AppTest

from pages._registry import names
from tests.conftest import run_app_page, serve_warehouse

# Every registered page that compares under the sidebar's focus and filters. 会议模式 (its title is
# computed; tests/test_meeting_room.py) and 查看原文 (a document viewer without the sidebar's filters;
# tests/integration/test_evidence.py) have AppTests of their own.
PAGES = [n for n in names() if n not in ("meeting", "evidence")]
FIVE = ["获嘉县", "井研县", "盐池县", "孟津区", "香河县"]


@pytest.fixture
def app_dir(monkeypatch, warehouse, tmp_path):
    return serve_warehouse(monkeypatch, warehouse, tmp_path)


def run_page(page: str, **params) -> AppTest:
    return run_app_page(page, timeout=60, **params)


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def charts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def frame(at, i: int = 0):
    return at.dataframe[i].value


def frame_with(at, column: str):
    """The first table on the page with this column (pages show several tables)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def chart(at, title: str) -> dict:
    return next(c for c in charts(at) if c["layout"]["title"]["text"].startswith(title))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs(app_dir, page):
    at = run_page(page)
    assert at.title and at.sidebar.multiselect(key="county")


def test_overview_cards_equal_warehouse(app_dir, con):
    at = run_page("overview", unit="元", county=["获嘉县", "盐池县", "井研县"])
    df = frame_with(at, "来源文件")
    for county, total in con.execute(
        "SELECT county, total_expenditure FROM county_year_summary WHERE county IN ('获嘉县', '盐池县')"
    ).fetchall():
        row = df[df["县（区）"] == county].iloc[0]
        assert D(str(row["本年支出合计（元）"])).quantize(D("0.01")) == total
    values = [m.value for m in at.metric]
    assert "58,547,600.00" in values and "12,984,142.90" in values and "未公开" in values  # 井研 has no total


def test_url_parameters_restore_filters(app_dir):
    at = run_page("overview", county=["获嘉县", "孟津区"], stage="预算", unit="亿元")
    assert at.sidebar.multiselect(key="county").value == ["获嘉县", "孟津区"]
    assert at.sidebar.radio(key="unit").value == "亿元" and at.sidebar.radio(key="stage").value == "预算"
    df = frame_with(at, "来源文件")
    assert sorted(df["县（区）"]) == ["孟津区", "获嘉县"] and "本年支出合计（亿元）" in df.columns
    assert abs(float(df[df["县（区）"] == "孟津区"].iloc[0]["本年支出合计（亿元）"]) - 1.8786) < 1e-9


def test_filter_change_updates_the_page(app_dir):
    at = run_page("overview")
    at.sidebar.multiselect(key="county").set_value(["盐池县"]).run()
    assert list(frame_with(at, "来源文件")["县（区）"]) == ["盐池县"]  # the URL side is checked in the browser test


def test_empty_state_when_filters_match_nothing(app_dir):
    at = run_page("overview", county=["盐池县"], stage="预算")
    assert any("没有可显示的文档" in i.value for i in at.info)


def test_yoy_computed_and_printed_rates(app_dir):
    at = run_page("yoy", county=["孟津区", "香河县"], yoy_docs="true")
    fig = chart(at, "本年支出合计同比增减率")
    bars = next(t for t in fig["data"] if t["type"] == "bar")
    got = dict(zip(bars["x"], bars["y"]))
    # 香河 states 支出合计 last year (358,320,200): (338,919,000 − 358,320,200) ÷ 358,320,200.
    assert abs(got["香河县 2023预算"] - (338919000 - 358320200) / 358320200) < 1e-6
    # 孟津's stated change is of 收支总计, not of 本年支出合计: no prior year of the same figure.
    assert "孟津区 2024预算" not in got
    df = frame_with(at, "核对")
    row = df[(df["县（区）"] == "孟津区") & (df["项目"] == "收支总计")].iloc[0]
    assert row["核对"].startswith("⚠") and row["文件所述原因"] == "社会保险基金纳入预算"
    assert fig["layout"]["yaxis"]["title"]["text"] == "增减率（%）"
    assert any("来源" in a["text"] for a in fig["layout"]["annotations"])


def test_yoy_closed_section_names_its_inconsistencies(app_dir, con):
    """Closed, the per-document section of 同比变化 says how many stated rates disagree with their
    amounts; opened, the table flags exactly the statements the ETL's rate check failed (孟津's
    收支总计 80.24 % and 盐池's 财政拨款收、支总计 13.84 % against 13.75 %), one rule for page and checks."""
    closed = run_page("yoy", county=["孟津区", "盐池县"])
    # No loaded 决算 states a change of 本年支出合计 (香河's is a 2023 预算): no empty trend chart.
    assert any("任何年度都没有公开“本年支出合计同比”（决算）" in i.value for i in closed.info)
    assert not [c for c in charts(closed) if "历年走势" in c["layout"]["title"]["text"]]
    label = next(e.label for e in closed.expander if "焦点县各文件" in e.label)
    opened = run_page("yoy", county=["孟津区", "盐池县"], yoy_docs="true")
    df = frame_with(opened, "核对")
    bad = df[df["核对"].str.startswith("⚠")]
    failed = con.execute(
        "SELECT k.source_file, k.page, k.line FROM check_results k JOIN core_documents d USING (doc_id) "
        "WHERE k.check_name = 'yoy_rate_on_prior_year' AND k.status = 'fail' AND d.county IN ('孟津区', '盐池县')"
    ).fetchall()
    assert sorted(bad["出处"]) == sorted(f"{f} 第{p}页" + (f" 第{n}行" if n else "") for f, p, n in failed)
    assert {"孟津区", "盐池县"} <= set(bad["县（区）"]) and label.endswith(f"（{len(bad)} 处不一致）")
    assert set(df["核对"]) <= {"⚠️ 不一致", "✓", ""} and "✓" in set(df["核对"])


def test_structure_shares_and_drilldown(app_dir):
    closed = run_page("structure", county=["盐池县"])
    # The per-document section is built only when opened: closed, no chart of it is sent.
    assert [e.label for e in closed.expander if "焦点县各文件" in e.label]
    assert not [c for c in charts(closed) if c["layout"]["title"]["text"].startswith("基本支出与项目支出")]
    at = run_page("structure", county=["盐池县"], structure_docs="true")
    pair = chart(at, "基本支出与项目支出")
    basic = next(t for t in pair["data"] if t["name"] == "基本支出")
    assert basic["y"][0] == pytest.approx(2424268.90 / 12984142.90)
    sunburst = next(c for c in charts(at) if c["data"][0]["type"] == "sunburst")
    ids = sunburst["data"][0]["ids"]
    assert {"208", "20805", "2080505"} <= set(ids)
    assert "来源：" in sunburst["layout"]["annotations"][0]["text"]


def test_pension_categories_toggle(app_dir, con):
    at = run_page("pension", county=["孟津区"], pension_docs="true")
    fig = chart(at, "养老补助占本年支出合计的比例")
    total = sum(t["y"][0] or 0 for t in fig["data"] if t["type"] == "bar")
    assert total == pytest.approx(178456200 / 187863500)
    at.multiselect(key="pension_cats").set_value(["occupational_annuity"]).run()
    fig = chart(at, "养老补助占本年支出合计的比例")
    total = sum(t["y"][0] or 0 for t in fig["data"] if t["type"] == "bar")
    assert total == pytest.approx((24825000 + 13720500) / 187863500)
    assert fig["layout"]["yaxis"]["tickformat"] == ".0%"


def test_sangong_zero_vs_not_disclosed(app_dir):
    at = run_page("sangong", unit="元", county=FIVE, sangong_docs="true")
    fig = chart(at, "“三公”经费：预算")
    assert any(t.get("name") == "未公开" and t["x"] == ["井研县 2024预算"] for t in fig["data"])
    texts = [x for t in fig["data"] if t["type"] == "scatter" for x in t["text"]]
    assert "预算 0.00" in texts and "预算 30,000.00" in texts and "决算 7,635.90" in texts
    df = frame_with(at, "金额（元）")
    assert set(df[df["县（区）"] == "井研县"]["金额（元）"]) == {"未公开"}


def test_projects_and_self_evaluation(app_dir):
    at = run_page("projects", county=["盐池县"], unit="万元")
    df = frame_with(at, "项目")
    assert set(df["项目"]) >= {"企业退休人员取暖费", "社保卡制作经费"}
    row = df[df["项目"] == "企业退休人员取暖费"].iloc[0]
    assert row["预算数（万元）"] == pytest.approx(417.94) and row["执行数（万元）"] == pytest.approx(391.51)
    scores = next(c for c in charts(at) if c["layout"]["title"]["text"].startswith("项目绩效自评"))
    assert dict(zip(scores["data"][0]["x"], scores["data"][0]["y"]))["企业退休人员取暖费"] == pytest.approx(98.97)


def test_checks_page_lists_failures_with_sources(app_dir):
    at = run_page("checks", county=["香河县"])
    df = frame_with(at, "结果")
    assert len(df) == 3 and set(df["结果"]) == {"不符"}
    row = df[df["严重程度"] == "严重"].iloc[0]
    assert "4,831.90 万元" in row["说明"] and row["出处"].startswith("004_34934d9f6fd71a3b.txt 第1页 第32行")
    assert metrics(at)["不符"] == "3"
    # Each failure names what it checks, in Chinese: 香河 says 公务接待费 is 持平 with 2022 in a 2023 budget.
    assert "「公务接待费」持平" in set(df["核验项"]) and not any("sangong" in x for x in df["核验项"])


def test_sources_page_shows_context(app_dir):
    at = run_page("sources", county=["获嘉县"])
    assert at.selectbox(key="source_doc").value == "获嘉县 2024预算"
    code = at.code[0].value
    assert "部门收支总体情况表" in code or "5,854.76" in code
    # The figures' column reads as its header, never as the warehouse key ("total", "budget").
    columns = frame_with(at, "列")["列"].tolist()
    assert columns and all(not c.isascii() for c in columns), columns


def test_downloads_offered_for_tables(app_dir):
    at = run_page("overview")
    labels = [b.label for b in at.get("download_button")]
    assert labels.count("下载 CSV") >= 2 and labels.count("下载 Excel") >= 2


def test_csv_has_bom_and_xlsx_opens(tmp_path):
    import polars as pl

    from pages._tables import csv_bytes, xlsx_bytes

    df = pl.DataFrame({"县（区）": ["获嘉县"], "本年支出合计（万元）": [5854.76]})
    data = csv_bytes(df)
    assert data.startswith(b"\xef\xbb\xbf") and "获嘉县".encode() in data
    import zipfile

    (tmp_path / "x.xlsx").write_bytes(xlsx_bytes(df))
    with zipfile.ZipFile(tmp_path / "x.xlsx") as z:
        strings = z.read("xl/sharedStrings.xml").decode("utf-8")
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "获嘉县" in strings and "本年支出合计（万元）" in strings and "5854.76" in sheet


def test_page_controls_restore_from_url(app_dir):
    at = run_page(
        "structure", county=["盐池县"], structure_doc="盐池县 2024决算", structure_mode="金额", structure_docs="true"
    )
    assert at.selectbox(key="structure_doc").value == "盐池县 2024决算"
    assert at.radio(key="structure_mode").value == "金额"
    sunburst = next(c for c in charts(at) if c["data"][0]["type"] == "sunburst")
    assert sunburst["layout"]["title"]["text"].startswith("盐池县 2024决算")


def test_same_figure_on_every_page_and_in_the_report(app_dir, con):
    """One computation, one way of printing: the 三公 total, the shares and the year-over-year rate
    are the warehouse's values on the pages that show them, in the county brief and in the report."""
    from exports.content import county_brief
    from exports.report import render_html
    from rules.measures import RATE, SHARE, format_measure
    from rules.units import money_text

    def wh(sql: str):
        return con.execute(sql).fetchone()

    # 三公: 盐池 2024 决算 prints its totals, 30,000.00 budget and 7,635.90 actual (元).
    budget, actual = wh("SELECT sangong_budget_yuan, sangong_actual_yuan FROM mart_county_year WHERE county = '盐池县'")
    assert (budget, actual) == (D("30000.00"), D("7635.90"))
    page = run_page("sangong", unit="元", county=["盐池县"], sangong_docs="true")
    texts = [x for t in chart(page, "“三公”经费：预算")["data"] if t["type"] == "scatter" for x in t["text"]]
    assert f"预算 {money_text(budget)}" in texts and f"决算 {money_text(actual)}" in texts
    table = frame_with(page, "金额（元）")
    totals = table[table["项目"] == "“三公”经费合计"].set_index("口径")["金额（元）"].to_dict()
    assert totals == {"预算数": money_text(budget), "决算数": money_text(actual)}
    assert metrics(page)["盐池县 · 2024年决算"] == money_text(budget)  # the comparison's sangong_budget
    assert metrics(run_page("overview", unit="元", county=["盐池县"]))["三公决算（元）"] == money_text(actual)
    brief = county_brief(con.cursor(), "盐池县", 2024)
    rows = {r["key"]: r for r in brief.rows}
    assert (rows["sangong_budget"]["this"], rows["sangong_actual"]["this"]) == (budget, actual)
    html = render_html(brief, unit="元", factor=D(1))
    assert f"<b>{money_text(budget)}</b>" in html and f"<b>{money_text(actual)}</b>" in html

    # Shares: 盐池's 基本支出 ÷ 本年支出合计 from mart_measure_values, on 支出结构, 概览 and in the report.
    (share,) = wh(
        "SELECT m.measure_value FROM mart_measure_values m JOIN mart_county_year s USING (doc_id) "
        "WHERE s.county = '盐池县' AND m.measure_key = 'basic_share'"
    )
    assert share == pytest.approx(2424268.90 / 12984142.90)
    structure = run_page("structure", county=["盐池县"], structure_docs="true")
    assert next(t for t in chart(structure, "基本支出与项目支出")["data"] if t["name"] == "基本支出")["y"] == [share]
    peers = frame_with(run_page("overview", county=["盐池县"]), "焦点值")
    assert peers[peers["指标"] == "基本支出占比"]["焦点值"].tolist() == [format_measure(share, SHARE)]
    assert {r["measure"]: r["value"] for r in brief.peers}["basic_share"] == share
    assert format_measure(share, SHARE) in html

    # Year over year: 香河 2023 预算 against the 支出合计 it states for 2022.
    (yoy,) = wh("SELECT yoy_frac FROM mart_county_year WHERE county = '香河县'")
    assert yoy == D("-0.054145")  # (338,919,000 − 358,320,200) ÷ 358,320,200, to six places
    bars = next(t for t in chart(run_page("yoy", county=["香河县"], yoy_docs="true"), "本年支出合计同比增减率")["data"])
    assert dict(zip(bars["x"], bars["y"])) == {"香河县 2023预算": float(yoy)}
    assert bars["text"] == [format_measure(yoy, RATE)]
    card = next(m for m in run_page("overview", county=["香河县"]).metric if m.label.startswith("本年支出合计"))
    assert card.proto.delta == f"{format_measure(yoy, RATE)} 同比"
    xianghe = county_brief(con.cursor(), "香河县", 2023)
    assert {r["key"]: r for r in xianghe.rows}["total_expenditure"]["pct"] == yoy
    assert f"<td class=num>{format_measure(yoy, RATE)}</td>" in render_html(xianghe, unit="元", factor=D(1))


def test_evidence_picks_province_then_place_then_document(app_dir):
    """查看原文 lists documents by province and county, not all at once (a national warehouse has
    some 50,000); a link's document opens its own province and county, and picking another
    province shows one of its documents and puts it in the URL."""
    at = run_app_page("evidence", doc="410724-2024-budget-671270")
    province, place, doc = at.selectbox[:3]
    assert (province.label, place.label, doc.label) == ("省份", "县（区）或单位", "文档")
    assert province.options == ["四川省", "宁夏回族自治区", "河北省", "河南省"]
    assert (province.value, place.value) == ("河南省", "获嘉县")
    assert place.options == ["孟津区（1 份文件）", "获嘉县（1 份文件）"]
    assert doc.value == "410724-2024-budget-671270" and len(doc.options) == 1
    at.selectbox[0].select("四川省").run()
    assert not at.exception
    assert (at.selectbox[1].value, at.selectbox[2].value) == ("井研县", "511124-2024-budget-6f468a")
    assert at.query_params["doc"] in (["511124-2024-budget-6f468a"], "511124-2024-budget-6f468a")
    assert at.selectbox[3].label == "数字" and any("井研县" in o for o in at.selectbox[2].options)


def test_limited_multiselect_takes_back_a_choice_beyond_the_limit():
    """The focus (5) and 会议模式 (3) limits are kept in Python, not by Streamlit's max_selections
    (whose dropdown message is English): a third choice of two is taken back, with a Chinese note."""

    def script():
        import streamlit as st

        from pages._shared import limited_multiselect

        st.session_state["got"] = limited_multiselect(st, "县", ["甲", "乙", "丙"], key="k", limit=2)

    at = AppTest.from_function(script).run()
    at.multiselect(key="k").select("甲").select("乙").run()
    assert at.session_state["got"] == ["甲", "乙"] and not at.warning
    at.multiselect(key="k").select("丙").run()
    assert at.session_state["got"] == ["甲", "乙"] and at.multiselect(key="k").value == ["甲", "乙"]
    assert [w.value for w in at.warning] == ["最多可选 2 个，请先移除一个再添加。"]
    at.run()  # the note is for the run that took the choice back
    assert not at.warning and at.session_state["got"] == ["甲", "乙"]


def test_overview_names_the_county_of_each_peer_table(app_dir):
    """One peer table per focus county, without a county column: with two counties in focus and
    only 盐池县 having a 2024 决算, its one table is still headed by its name."""
    at = run_page("overview", county=["获嘉县", "盐池县"])
    tables = [d.value for d in at.dataframe if "焦点值" in d.value.columns]
    assert len(tables) == 1 and list(tables[0].columns[:3]) == ["县（区）", "指标", "焦点值"]
    assert set(tables[0]["县（区）"]) == {"盐池县"}
    assert "**盐池县**" in [m.value for m in at.markdown]


# Wide tables on a projector (#19): each grid of these views names the columns it shows, each with a
# width, together within the 564 px main area beside the sidebar at 1024 px; the rest of the frame
# is kept for the download; no cell reads None. tests/test_room_browser.py checks the browser.
NARROW_VIEWS = [
    ("sources", {"county": ["获嘉县"]}),
    ("checks", {"county": ["香河县"]}),
    ("checks", {"county": ["香河县"], "check_status": ["不符", "通过"]}),
    ("rankings", {"county": ["获嘉县"]}),
    ("yoy", {"county": ["获嘉县"], "yoy_table": "true", "yoy_docs": "true"}),
    ("yoy", {"county": ["获嘉县", "香河县"], "yoy_table": "true", "yoy_docs": "true"}),
    ("overview", {"county": ["获嘉县", "香河县"]}),
    ("structure", {"county": ["获嘉县"], "structure_docs": "true"}),
    ("pension", {"county": ["获嘉县", "香河县"], "pension_docs": "true"}),
    ("sangong", {"county": ["获嘉县"], "sangong_docs": "true"}),
    ("projects", {"county": ["获嘉县", "香河县"]}),
    ("coverage", {"county": ["获嘉县"]}),
]


@pytest.mark.parametrize(("page", "params"), NARROW_VIEWS)
def test_wide_tables_fit_1024_beside_the_sidebar(app_dir, page, params):
    at = run_page(page, **params)
    grids = list(at.dataframe)
    assert grids
    for grid in grids:
        shown = list(grid.proto.column_order) or list(grid.value.columns)
        config = json.loads(grid.proto.columns)
        if not any("width" in c for c in config.values()):
            continue  # a grid narrow by itself (概览's peer tables: tests/test_room_browser.py)
        widths = [config.get(c, {}).get("width") for c in shown]
        assert all(isinstance(w, int) for w in widths), (page, shown, widths)
        assert sum(widths) <= 564, (page, shown, sum(widths))
        assert not grid.value.isna().any().any() and "None" not in grid.value.astype(str).to_numpy(), page


def test_checks_table_keeps_every_column_for_the_download(app_dir):
    """On screen: 文件, 严重程度 (headed 程度), 核验规则, 说明, 位置 (结果 when several results are
    shown); the figures, tolerance, source and text stay in the frame that is downloaded."""
    at = run_page("checks", county=["香河县"])
    grid = next(d for d in at.dataframe if "结果" in d.value.columns)
    assert list(grid.proto.column_order) == ["文件", "严重程度", "核验规则", "说明", "位置"]
    assert {"印出数", "推算数", "差额", "规则与容差", "出处", "原文"} <= set(grid.value.columns)
    assert set(grid.value["文件"]) == {"香河县 2023预算"}
    row = grid.value[grid.value["严重程度"] == "严重"].iloc[0]
    assert row["位置"] == "第1页第32行" and row["出处"].startswith("004_34934d9f6fd71a3b.txt 第1页 第32行")
    both = run_page("checks", county=["香河县"], check_status=["不符", "通过"])
    assert "结果" in next(d for d in both.dataframe if "结果" in d.value.columns).proto.column_order
