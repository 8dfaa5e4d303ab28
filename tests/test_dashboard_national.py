"""AppTest on a small national-like warehouse (benchmarks.national, written through the loader):
ranks, percentiles and peer medians on the pages equal an independent polars computation over
the public view county_year_summary; undisclosed figures are not counted as 0; no chart axis
carries more than 40 labels; the PDF report and the CSV carry the page's peer statistics."""

from __future__ import annotations

import json

import duckdb
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from pages._registry import names
from tests.conftest import run_app_page, serve_warehouse

PAGES = names()  # every registered page but 上传文件 (uploads change the warehouse under test)


@pytest.fixture(scope="session")
def national(tmp_path_factory):
    from benchmarks.national import generate

    db = tmp_path_factory.mktemp("national") / "warehouse-n.duckdb"
    generate(db, units=90, years=5, seed=3, prefecture_units=3)
    return db


@pytest.fixture(scope="session")
def summary(national) -> pl.DataFrame:
    """The public view, read independently of the marts the pages use."""
    with duckdb.connect(str(national), read_only=True) as con:
        return con.sql(
            "SELECT s.*, d.adcode, d.unit_level FROM county_year_summary s "
            "JOIN core_documents d ON d.primary_file = s.doc_file"
        ).pl()


@pytest.fixture
def app_dir(monkeypatch, national, tmp_path):
    return serve_warehouse(monkeypatch, national, tmp_path)


def run_page(page: str, **params) -> AppTest:
    return run_app_page(page, timeout=90, **params)


def charts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def independent(summary: pl.DataFrame, focus: str, column: str, year: int, stage: str, peers: str) -> dict:
    """Median, rank (1 = highest) and percentile of the focus within its peers, from the view."""
    counties = summary.filter(pl.col("county").is_not_null() & (pl.col("unit_level") == "county"))
    me = counties.filter(pl.col("county") == focus).row(0, named=True)
    group = counties if peers == "all" else counties.filter(pl.col(peers) == me[peers])
    year_rows = group.filter((pl.col("fiscal_year") == year) & (pl.col("stage") == stage))
    vals = year_rows[column].drop_nulls().cast(pl.Float64)
    mine = float(year_rows.filter(pl.col("county") == focus)[column][0])
    return {
        "median": vals.quantile(0.5, "linear"),
        "p25": vals.quantile(0.25, "linear"),
        "p75": vals.quantile(0.75, "linear"),
        "rank": 1 + int((vals > mine).sum()),
        "n": vals.len(),
        "percentile": 100 * int((vals < mine).sum()) / (vals.len() - 1),
        "not_disclosed": year_rows.height - vals.len(),
        "value": mine,
    }


def a_focus(summary: pl.DataFrame, column: str, year: int, stage: str) -> str:
    """A county with a unique name that discloses `column` in that year and stage."""
    rows = summary.filter(
        (pl.col("fiscal_year") == year)
        & (pl.col("stage") == stage)
        & pl.col(column).is_not_null()
        & (pl.col("unit_level") == "county")
    )
    names = rows["county"].value_counts().filter(pl.col("count") == 1)["county"].sort()
    return names[len(names) // 2]


@pytest.mark.parametrize("peers,zh", [("province", "同省"), ("all", "全部已载入")])
def test_total_expenditure_rank_percentile_median(app_dir, summary, peers, zh):
    focus = a_focus(summary, "total_expenditure", 2024, "budget")
    at = run_page("yoy", county=[focus], peers=zh, year=["2024"], stage="预算", unit="元", yoy_measure="本年支出合计")
    want = independent(summary, focus, "total_expenditure", 2024, "budget", peers)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[f"{focus} · 2024年预算"] == f"{want['value']:,.2f}"
    assert metrics["对比组中位数 · 2024年预算"] == f"{want['median']:,.2f}"
    ranks = [m.value for m in at.markdown if m.value.startswith("**第")]
    assert ranks == [f"**第 {want['rank']} / {want['n']}** 名 · 百分位 **{want['percentile']:.0f}**"]


def test_yoy_peer_stats_and_trend_band(app_dir, summary):
    focus = a_focus(summary, "yoy_pct", 2024, "final")
    at = run_page("yoy", county=[focus], peers="全部已载入", stage="决算")
    want = independent(summary, focus, "yoy_pct", 2024, "final", "all")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["对比组中位数 · 2024年决算"] == f"{want['median'] * 100:+.2f}%"
    trend = next(c for c in charts(at) if "历年走势" in c["layout"]["title"]["text"])
    median = next(t for t in trend["data"] if t.get("name") == "对比组中位数")
    assert dict(zip(median["x"], median["y"]))[2024] == pytest.approx(want["median"], abs=1e-6)
    band = next(t for t in trend["data"] if t.get("name") == "对比组 p25–p75")
    assert dict(zip(band["x"], band["y"]))[2024] == pytest.approx(want["p25"], abs=1e-6)


def test_yearly_statistics_table_opens_from_the_url(app_dir, summary):
    """The yearly statistics table is built only when its expander is open; opened from the link,
    its median, p25–p75, counts and the focus's rank equal the independent computation."""
    focus = a_focus(summary, "total_expenditure", 2024, "budget")
    params = dict(county=[focus], peers="同省", stage="预算", unit="元", yoy_measure="本年支出合计")
    closed = run_page("yoy", **params)
    assert not [d for d in closed.dataframe if "有文件的县" in d.value.columns]
    at = run_page("yoy", **params, yoy_table="true")
    table = next(d.value for d in at.dataframe if "有文件的县" in d.value.columns)
    row = table[table["年度"] == 2024].iloc[0]
    want = independent(summary, focus, "total_expenditure", 2024, "budget", "province")
    assert row["中位数（元）"] == pytest.approx(round(want["median"], 2))
    assert row["p25（元）"] == pytest.approx(round(want["p25"], 2))
    assert row["p75（元）"] == pytest.approx(round(want["p75"], 2))
    assert (row["公开此数的县"], row["未公开"]) == (want["n"], want["not_disclosed"])
    assert row[f"排名·{focus}"] == f"第{want['rank']}/{want['n']}"


def test_undisclosed_sangong_not_counted_as_zero(app_dir, summary):
    focus = a_focus(summary, "sangong_budget", 2024, "budget")
    at = run_page("sangong", county=[focus], peers="全部已载入", stage="预算", unit="元")
    want = independent(summary, focus, "sangong_budget", 2024, "budget", "all")
    assert want["not_disclosed"] > 0  # the generator leaves some 三公 undisclosed ...
    counties = summary.filter(
        (pl.col("unit_level") == "county") & (pl.col("fiscal_year") == 2024) & (pl.col("stage") == "budget")
    )
    as_zero = counties["sangong_budget"].fill_null(0).cast(pl.Float64).quantile(0.5, "linear")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["对比组中位数 · 2024年预算"] == f"{want['median']:,.2f}"
    assert want["median"] != as_zero  # ... and the median differs from one that counts them as 0
    caption = next(c.value for c in at.caption if "未公开（不计入" in c.value)
    assert f"{want['n']} 个县公开此数，{want['not_disclosed']} 个有文件但未公开" in caption


def test_rankings_table_and_csv(app_dir, summary):
    focus = a_focus(summary, "total_expenditure", 2024, "budget")
    at = run_page("rankings", county=[focus], peers="同省", year=["2024"], stage="预算", unit="元")
    want = independent(summary, focus, "total_expenditure", 2024, "budget", "province")
    df = at.dataframe[0].value
    row = df[df["县（区）"] == focus].iloc[0]
    assert row["排名"] == want["rank"] and row["焦点"] == "★" and len(df) == want["n"]
    assert row["百分位"] == pytest.approx(round(want["percentile"], 1))
    assert row["本年支出合计（元）"] == pytest.approx(round(want["value"], 2))
    from exports.tables import csv_bytes

    csv = pl.read_csv(csv_bytes(pl.from_pandas(df)))
    assert csv.filter(pl.col("县（区）") == focus)["排名"][0] == want["rank"]


def test_report_carries_the_page_peer_statistics(app_dir, national, summary):
    from decimal import Decimal

    from exports.content import county_brief
    from exports.report import render_html

    focus = a_focus(summary, "pension_subsidy_share", 2024, "final")
    at = run_page("overview", county=[focus], peers="同省", stage="决算")
    table = next(d.value for d in at.dataframe if "对比组中位数" in d.value.columns)
    page_row = table[table["指标"] == "养老补助占比"].iloc[0]
    adcode = summary.filter(pl.col("county") == focus)["adcode"][0]
    with duckdb.connect(str(national), read_only=True) as con:
        brief = county_brief(con.cursor(), adcode, 2024, peer_mode="province")
    html = render_html(brief, unit="万元", factor=Decimal(10000))
    assert f"<td class=num>{page_row['对比组中位数']}</td>" in html
    assert f"<td class=num>{page_row['排名']}</td>" in html
    want = independent(summary, focus, "pension_subsidy_share", 2024, "final", "province")
    assert page_row["排名"] == f"第 {want['rank']} / {want['n']}"


def test_non_county_units_stay_out_of_county_peers(app_dir, summary):
    focus = a_focus(summary, "total_expenditure", 2024, "budget")
    at = run_page("rankings", county=[focus], peers="全部已载入", year=["2024"], stage="预算")
    names = set(at.dataframe[0].value["县（区）"])
    prefecture_units = set(summary.filter(pl.col("unit_level") == "prefecture")["unit_name"])
    assert prefecture_units and not names & prefecture_units


@pytest.mark.parametrize("page", PAGES)
def test_no_axis_more_than_40_labels(app_dir, summary, page):
    five = summary.filter(pl.col("unit_level") == "county")["county"].unique().sort()[:5].to_list()
    at = run_page(page, county=five, peers="全部已载入")
    for fig in charts(at):
        for t in fig["data"]:
            for axis in ("x", "y"):
                labels = [v for v in (t.get(axis) or []) if isinstance(v, str)]
                assert len(set(labels)) <= 40, (page, fig["layout"]["title"]["text"], axis, len(set(labels)))


def test_default_focus_is_the_county_with_most_years(app_dir, summary):
    at = run_page("overview")
    years = summary.filter(pl.col("unit_level") == "county").group_by("county").agg(pl.col("fiscal_year").n_unique())
    best = years["fiscal_year"].max()
    note = next(i.value for i in at.sidebar.info if "未选择焦点" in i.value)
    chosen = note.split("默认显示 ")[1].split("（")[0]
    assert years.filter(pl.col("county") == chosen)["fiscal_year"][0] == best


def test_coverage_matrix_matches_documents(app_dir, summary):
    focus = a_focus(summary, "total_expenditure", 2024, "budget")
    at = run_page("coverage", county=[focus], peers="同省")
    matrix = next(d.value for d in at.dataframe if "县（区）" in d.value.columns and "2024" in d.value.columns)
    mine = summary.filter(pl.col("county") == focus)
    for year in range(2020, 2025):
        stages = set(mine.filter(pl.col("fiscal_year") == year)["stage"])
        want = {
            frozenset({"budget", "final"}): "预算与决算",
            frozenset({"budget"}): "仅预算",
            frozenset({"final"}): "仅决算",
            frozenset(): "均未载入",
        }[frozenset(stages)]
        assert matrix[matrix["县（区）"] == focus].iloc[0][str(year)] == want


def test_map_selection_makes_the_clicked_county_the_focus(app_dir, summary):
    """The map's selection callback, fed the event a click sends (the browser test clicks for
    real): the clicked county becomes the focus in the sidebar, the URL and the map's ring."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    at = run_page("map", peers="全部已载入")
    spec, chart = next((json.loads(c.proto.spec), c.proto) for c in at.get("plotly_chart"))
    default = next(i.value for i in at.sidebar.info if "未选择焦点" in i.value).split("默认显示 ")[1].split("（")[0]
    trace = next(i for i, t in enumerate(spec["data"]) if t["name"] == "本年支出合计")
    label = next(c[0] for c in spec["data"][trace]["customdata"] if c[0] != default)
    point = {"curve_number": trace, "point_number": 0, "point_index": 0, "customdata": [label]}
    states = at._tree.get_widget_states()
    states.widgets.append(
        WidgetState(
            id=chart.id,
            string_value=json.dumps({"selection": {"points": [point], "point_indices": [0], "box": [], "lasso": []}}),
        )
    )
    at._run(states)
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["county"] == [label] and at.query_params["county"] == label
    after = json.loads(at.get("plotly_chart")[0].proto.spec)
    ring = next(t for t in after["data"] if t["name"] == "焦点县")
    assert [c[0] for c in ring["customdata"]] == [label] and ring["type"] == "scattergl"  # over the points
    assert [a["text"] for a in after["layout"]["annotations"] if a.get("showarrow")] == [f"<b>{label}</b>"]
    assert not [i for i in at.sidebar.info if "未选择焦点" in i.value]


def test_comparison_views_one_at_a_time_from_the_url(app_dir, summary):
    """The comparison charts are tabs that rerun: only the open one is drawn, and the URL opens
    the distribution directly, with every peer value in it and the focus marked at its value and rank."""
    focus = a_focus(summary, "total_expenditure", 2024, "budget")
    params = dict(county=[focus], peers="同省", year=["2024"], stage="预算", unit="元", yoy_measure="本年支出合计")
    titles = [c["layout"]["title"]["text"] for c in charts(run_page("yoy", **params))]
    assert "历年走势" in titles[0] and not any("对比组分布" in t or "排名（" in t for t in titles)
    at = run_page("yoy", **params, yoy_view="对比组分布")
    want = independent(summary, focus, "total_expenditure", 2024, "budget", "province")
    province = summary.filter(pl.col("county") == focus)["province"][0]
    peers = summary.filter(
        (pl.col("unit_level") == "county")
        & (pl.col("fiscal_year") == 2024)
        & (pl.col("stage") == "budget")
        & (pl.col("province") == province)
    )["total_expenditure"]
    dist = charts(at)[0]
    assert "对比组分布" in dist["layout"]["title"]["text"]
    assert sorted(dist["data"][0]["x"]) == pytest.approx(sorted(peers.drop_nulls().cast(pl.Float64).to_list()))
    focus_line = next(s for s in dist["layout"]["shapes"] if s["line"].get("dash") != "dash")
    assert focus_line["x0"] == pytest.approx(want["value"])
    assert any(a["text"].endswith(f"第{want['rank']}/{want['n']}") for a in dist["layout"]["annotations"])


@pytest.mark.parametrize("page,title", [("yoy", "本年支出合计同比增减率"), ("structure", "基本支出与项目支出")])
def test_one_county_per_document_axis_reads_years(app_dir, summary, page, title):
    """One focus county: ticks read '2024预算' (not the county name twenty times over) and the
    county is named in the title; the data keep the full label."""
    focus = a_focus(summary, "total_expenditure", 2024, "budget")
    at = run_page(page, county=[focus], **{f"{page}_docs": "true"})
    fig = next(c for c in charts(at) if c["layout"]["title"]["text"].startswith(title))
    assert fig["layout"]["title"]["text"].endswith(f"（{focus}）")
    ticks = [t.split("<br>") for t in fig["layout"]["xaxis"]["ticktext"]]
    docs = summary.filter(pl.col("county") == focus).select(["fiscal_year", "stage"]).rows()
    years = [y or prev for y, prev in zip([y for y, _ in ticks], [""] + [y for y, _ in ticks][:-1])]
    shown = {f"{y}{s}" for y, (_, s) in zip(years, ticks)}
    assert shown <= {f"{y}{'预算' if s == 'budget' else '决算'}" for y, s in docs} and len(shown) == len(ticks)
    assert all(x.startswith(f"{focus} ") for x in fig["data"][0]["x"])


def test_evidence_without_the_files_names_amounts_and_says_why(app_dir, national):
    """查看原文 on a warehouse that keeps no printed text and no files (the national one): a figure
    reads as its amount in 元, never "None", and the page says why it cannot show the page."""
    with duckdb.connect(str(national), read_only=True) as con:
        doc_id, province, county = con.sql(
            "SELECT d.doc_id, d.province, coalesce(d.county, d.unit_name) FROM core_documents d JOIN core_table_facts f USING (doc_id) "
            "WHERE f.measure = 'total' AND f.row_label = '本年支出合计' ORDER BY d.doc_id LIMIT 1"
        ).fetchall()[0]
        amount = con.sql(
            "SELECT amount_yuan FROM core_table_facts WHERE doc_id = ? AND row_label = '本年支出合计' AND measure = 'total'",
            params=[doc_id],
        ).fetchall()[0][0]
    at = run_page("evidence", doc=doc_id)
    assert (at.selectbox[0].value, at.selectbox[1].value, at.selectbox[2].value) == (province, county, doc_id)
    facts = at.selectbox[3]
    assert facts.options and not any("None" in o or "budget" in o for o in facts.options), facts.options
    assert any(o.startswith("部门收支总表 · 本年支出合计 · ") and f"= {amount:,.2f} 元" in o for o in facts.options), (
        amount,
        facts.options,
    )
    assert [i.value for i in at.info] == ["数据仓库没有保存该文件的页面与文字（原文件不在本机），无法显示原文位置。"]
