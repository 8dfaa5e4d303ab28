"""Research answers where users look (#19 item 4): rank by year, which counties lack a year, every
check and stage in Chinese, no "None" in any table cell, the chart toolbar in Chinese; and the
link of a view keeps its query string (item 2). Values are checked against the warehouse read
here with SQL of the test's own."""

from __future__ import annotations

import importlib
import json
import re

import pytest

from rules.labels import CHECK_NAME_ZH, MEASURE_COLUMN_ZH, keys_to_zh
from tests.conftest import run_app_page, serve_warehouse

PAGES = ["overview", "rankings", "yoy", "structure", "pension", "sangong", "projects", "map", "coverage", "checks", "sources"]
FIVE = ["获嘉县", "井研县", "盐池县", "孟津区", "香河县"]


@pytest.fixture
def app_dir(monkeypatch, warehouse, tmp_path):
    return serve_warehouse(monkeypatch, warehouse, tmp_path)


def run_page(page: str, **params):
    return run_app_page(page, timeout=60, **params)


def frame_with(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_every_registered_check_has_a_chinese_name():
    import etl.checks as checks

    for module in checks.check_modules():
        importlib.import_module(module)
    names = {n for fn in checks.CHECKS for n in fn.check_names}
    documented = set(re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", open("docs/checks.md", encoding="utf-8").read()))
    cross_document = {"prior_year_matches_document", "final_budget_matches_budget_document",
                      "execution_rate_matches_budget_document", "copies_agree"}
    assert cross_document <= documented
    missing = sorted((names | cross_document) - set(CHECK_NAME_ZH))
    assert not missing, missing
    assert all(re.search(r"[\u4e00-\u9fff]", v) for v in CHECK_NAME_ZH.values())


def test_measure_keys_in_check_text_become_headers():
    assert keys_to_zh("支出决算表「208 社会保障和就业支出」basic：类 = Σ下级科目") == (
        "支出决算表「208 社会保障和就业支出」基本支出：类 = Σ下级科目"
    )
    assert keys_to_zh("「合计」upper_remit") == "「合计」上缴上级支出"
    assert keys_to_zh("取数副本 001_a38c96af54c32677.txt") == "取数副本 001_a38c96af54c32677.txt"  # file names stay
    assert MEASURE_COLUMN_ZH["project"] == "项目支出"


def test_checks_page_is_chinese(app_dir, con):
    at = run_page("checks", county=FIVE, check_status=["不符", "通过", "不适用"])
    df = frame_with(at, "核验规则")
    total = con.execute("SELECT count(*) FROM check_results").fetchone()[0]
    assert len(df) == total
    english = re.compile(r"(?<![A-Za-z0-9_.])[a-z]{3,}(?:_[a-z]+)*(?![A-Za-z0-9_.])")
    for col in ["阶段", "结果", "严重程度", "类别", "核验规则", "核验项", "说明"]:
        bad = [x for x in df[col] if isinstance(x, str) and english.search(x)]
        assert not bad, (col, bad[:3])
    assert set(df["核验规则"]) <= set(CHECK_NAME_ZH.values())


@pytest.mark.parametrize("page", PAGES)
def test_no_none_in_any_table_cell(app_dir, page):
    # Every section open: the per-document sections and statistics tables are drawn only when open.
    params = {"county": FIVE, f"{page}_docs": "true", f"{page}_table": "true", "structure_docs": "true"}
    if page == "checks":
        params["check_status"] = ["不符", "通过", "不适用"]
    at = run_page(page, **params)
    assert at.dataframe or page == "map"  # the map page has no table
    for d in at.dataframe:
        df = d.value  # what the grid receives: the browser prints None for any null cell
        for col in df.columns:
            values = df[col].tolist()
            assert not any(v is None or (isinstance(v, float) and v != v) for v in values), (page, col)
            assert not {"None", "nan", "NaN", "<NA>"} & {str(v) for v in values}, (page, col)


@pytest.mark.parametrize("page", ["yoy", "rankings", "coverage"])
def test_chart_toolbar_speaks_chinese(app_dir, page):
    at = run_page(page)
    configs = [json.loads(c.proto.config) for c in at.get("plotly_chart")]
    assert configs
    for cfg in configs:
        assert cfg["locale"] == "zh-CN"
        assert cfg["locales"]["zh-CN"]["dictionary"]["Download plot"] == "下载图表"
        assert cfg["locales"]["zh-CN"]["dictionary"]["Reset axes"] == "重置轴"


def test_rank_by_year_table_and_bump_chart(app_dir, con):
    at = run_page("rankings", county=["获嘉县"], rank_measure="total_expenditure", stage="预算")
    df = frame_with(at, "县（区）")  # the first table: the chosen year
    years = frame_with(at, "2024年排名")
    expected = con.execute(
        """SELECT s.fiscal_year, u.unit_label,
                  rank() OVER (PARTITION BY s.fiscal_year ORDER BY s.total_expenditure_yuan DESC)
           FROM mart_county_year s JOIN mart_units u USING (unit_key)
           WHERE s.stage = 'budget' AND s.total_expenditure_yuan IS NOT NULL AND u.unit_level = 'county'"""
    ).fetchall()
    by_year: dict[int, dict[str, int]] = {}
    for year, county, rank in expected:
        by_year.setdefault(year, {})[county] = rank
    assert {c[:-3] for c in years.columns if c.endswith("年排名")} == {str(y) for y in by_year}
    for year, ranks in by_year.items():
        got = {u: int(r) for u, r in zip(years["县（区）"], years[f"{year}年排名"]) if r != "—"}  # —: not disclosed
        assert got == ranks
    assert len(df) >= 1
    spec = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if "历年排名" in json.loads(c.proto.spec)["layout"]["title"]["text"])
    assert spec["layout"]["yaxis"]["range"][0] > spec["layout"]["yaxis"]["range"][1]  # rank 1 on top
    names = {t["name"] for t in spec["data"]}
    assert any("获嘉" in n for n in names)


def test_coverage_lists_counties_missing_a_year(app_dir, con):
    at = run_page("coverage", county=["获嘉县"], gap_year="2024", gap_stage="决算")
    df = frame_with(at, "决算")
    lacking = {
        r[0]
        for r in con.execute(
            """SELECT DISTINCT county FROM core_documents WHERE county IS NOT NULL AND county NOT IN
               (SELECT county FROM core_documents WHERE fiscal_year = 2024 AND stage = 'final' AND county IS NOT NULL)"""
        ).fetchall()
    }
    assert {x for x in df["县（区）"]} == lacking
    assert set(df["决算"]) == {"无"}


def test_coverage_heatmap_follows_the_year_filter(app_dir):
    at = run_page("coverage", year=["2023"])
    spec = next(json.loads(c.proto.spec) for c in at.get("plotly_chart"))
    assert spec["data"][0]["x"] == [2023]


def test_view_link_keeps_its_query_string():
    from pages._shared import with_query

    link = with_query("http://h:8501/rankings", [("county", "香河县"), ("county", "获嘉县"), ("year", "2023")])
    assert link == "http://h:8501/rankings?county=%E9%A6%99%E6%B2%B3%E5%8E%BF&county=%E8%8E%B7%E5%98%89%E5%8E%BF&year=2023"
    assert with_query("http://h/x?old=1#a", []) == "http://h/x"


# A 决算 page of a sample's unit that names itself but states no figure (its tables in an attachment).
PAGE_WITHOUT_FIGURES = """获嘉县社会保险中心2024年度部门决算
发布时间：2025-09-10
目录
第一部分 单位概况
一、主要职能
负责全县城乡居民基本养老保险、机关事业单位养老保险的经办工作。
第二部分 2024年度部门决算表
详见附件。
附件：获嘉县社会保险中心2024年度部门决算.xls
"""


def test_coverage_says_a_year_published_without_figures(monkeypatch, tmp_path):
    """获嘉 published its 2024 决算 as a page whose tables sit in an attachment: the ETL refuses the
    page, and 数据覆盖 lists 获嘉 as lacking a loaded 2024 决算 that was published all the same."""
    import shutil

    import duckdb

    from etl.build import build
    from tests.conftest import RAW

    inp = tmp_path / "in"
    shutil.copytree(RAW, inp)
    (inp / "huojia_2024_final_page.txt").write_text(PAGE_WITHOUT_FIGURES, encoding="utf-8")
    db = tmp_path / "w.duckdb"
    result = build([inp], db)
    assert [o.message.split(":")[1].strip() for o in result.failed] == ["no figures"]
    with duckdb.connect(str(db), read_only=True) as c:
        published = c.execute("SELECT county, fiscal_year, stage FROM int_published_without_figures").fetchall()
    assert published == [("获嘉县", 2024, "final")]
    serve = tmp_path / "serve"
    serve.mkdir()
    serve_warehouse(monkeypatch, db, serve)
    at = run_page("coverage", county=["获嘉县"], gap_year="2024", gap_stage="决算")
    df = frame_with(at, "决算")
    rows = {r["县（区）"]: r["决算"] for r in df.to_dict("records")}
    assert rows["获嘉县"] == "已公开，表格在附件中（未载入）"
    assert {v for k, v in rows.items() if k != "获嘉县"} == {"无"}
    assert any("网页已公开但只有说明" in c.value for c in at.caption)
    # 概览 lists the refused page with its reason in Chinese (the parser's English line after it).
    at = run_page("overview", county=["获嘉县"])
    failed = frame_with(at, "原因")
    assert failed["文件"].tolist() == ["huojia_2024_final_page.txt"]
    assert failed["原因"][0].startswith("页面只有标题、目录或说明，没有数字：表格可能在附件中")
