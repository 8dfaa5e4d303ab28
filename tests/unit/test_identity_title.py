"""Identity from the document, not the portal (#17, items 2 and 4): unit, year and stage from the
title; 本级 and years removed; Chinese-numeral and 繁體 titles; the unit's kind; the unit's one
spelling; pages that state no figure are refused with the attachment links they name."""

from __future__ import annotations

import pytest

from etl.identify import identify, unit_key, unit_kind
from etl.model import Document, Paragraph
from etl.pipeline import NO_FIGURES, NoFiguresError, parse_file


def doc(*lines: str) -> Document:
    d = Document(path="x", file_name="x.txt", fmt="text", page_count=1)
    d.blocks = [Paragraph(text=t, page=1, line=i + 1) for i, t in enumerate(lines)]
    return d


def ident(*lines: str) -> dict:
    return identify(doc(*lines), [], [])


def test_unit_from_the_title_not_the_page_header_or_publisher():
    info = ident(
        "重庆市九龙坡区民政局",
        "您当前的位置: 首页 > 区民政局 > 政务公开 > 预算/决算 > 预算",
        "[ 发布机构 ] 九龙坡区民政局",
        "重庆市九龙坡区养老服务中心2025年单位预算情况说明",
    )
    assert (info["unit_name"], info["fiscal_year"], info["stage"]) == ("重庆市九龙坡区养老服务中心", 2025, "budget")
    assert info["unit_kind"] == "养老"


@pytest.mark.parametrize(
    "title,unit,year,stage",
    [
        ("2022年度天水市人力资源和社会保障局(本级)部门决算", "天水市人力资源和社会保障局", 2022, "final"),
        ("兴国县社会保险服务中心本级2024年单位预算编制说明", "兴国县社会保险服务中心", 2024, "budget"),
        ("二〇二四年度获嘉县社会保险中心部门预算", "获嘉县社会保险中心", 2024, "budget"),
        ("获嘉县社会保险中心二〇二三年度部门决算", "获嘉县社会保险中心", 2023, "final"),
        ("中共上海市普陀区委社会工作部2024年度部门决算", "中共上海市普陀区委社会工作部", 2024, "final"),
        (
            "杭州市钱塘区综合行政执法局 (杭州市钱塘区城市管理局) 2021年度部门决算",
            "杭州市钱塘区综合行政执法局",
            2021,
            "final",
        ),
    ],
)
def test_title_words(title, unit, year, stage):
    info = ident(title)
    assert (info["unit_name"], info["fiscal_year"], info["stage"]) == (unit, year, stage)


def test_a_title_broken_over_lines():
    info = ident("来源: 省社会保险服务中心 |", "海南省社会保险服务中心", "2023年度", "部门决算公开报告")
    assert (info["unit_name"], info["fiscal_year"], info["stage"]) == ("海南省社会保险服务中心", 2023, "final")
    assert info["unit_level"] == "province"


def test_a_page_cut_before_its_title_names_the_unit_in_its_first_section():
    info = ident("目 录", "第一部分汨罗市社会保险服务中心单位概况", "第二部分2021年度部门决算表")
    assert (info["unit_name"], info["fiscal_year"], info["stage"]) == ("汨罗市社会保险服务中心", 2021, "final")


def test_the_portal_heading_gives_way_to_a_title_naming_the_place():
    info = ident("2016年社保局部门预算公开", "来源: 罗定市社保基金局", "2016年罗定市社会保险基金管理局部门预算")
    assert info["unit_name"] == "罗定市社会保险基金管理局"


def test_traditional_title(tmp_path):
    path = tmp_path / "tw.txt"
    path.write_text(
        "興國縣社會保險服務(wù)中心2021年度部門決算\n第一部分 興國縣社會保險服務(wù)中心概況\n"
        "2021年度部門決算表\n一、收入支出決算總表\n二、收入決算表\n三、支出決算表\n",
        encoding="utf-8",
    )
    with pytest.raises(NoFiguresError) as err:
        parse_file(path)
    info = err.value.info
    assert (info["unit_name"], info["fiscal_year"], info["stage"], info["unit_kind"]) == (
        "兴国县社会保险服务中心",
        2021,
        "final",
        "社保",
    )


@pytest.mark.parametrize(
    "unit,kind",
    [
        ("获嘉县社会保险中心", "社保"),
        ("赣州市南康区社保中心", "社保"),
        ("昆明市五华区人力资源和社会保障局", "人社"),
        ("保山市隆阳区医疗保障局", "医保"),
        ("嵊泗县社会养老服务指导中心", "养老"),
        ("安徽省利辛县城乡居民社会养老保险管理服务中心", "养老"),
        ("民乐县卫生健康局", "other"),
        (None, None),
    ],
)
def test_unit_kind(unit, kind):
    assert unit_kind(unit) == kind


def test_one_spelling_of_a_unit():
    located = {"province": "河南省", "prefecture": "新乡市", "county": "获嘉县"}
    spellings = [
        "获嘉县社会保险中心",
        "河南省获嘉县社会保险中心",
        "新乡市获嘉县社会保险中心",
        "获嘉县社会保险中心(本级)",
    ]
    assert {unit_key(u, located) for u in spellings} == {"获嘉县社会保险中心"}
    prefecture = {"province": "河南省", "prefecture": "新乡市", "county": None}
    assert unit_key("新乡市社会保险经办中心", prefecture) == "新乡市社会保险经办中心"
    assert unit_key("河南省新乡市社会保险经办中心", prefecture) == "新乡市社会保险经办中心"


PAGE_WITHOUT_FIGURES = """<html><head><meta charset="utf-8"></head><body>
<div class="nav"><a href="/">首页</a></div>
<div class="article">
<table><tr><td>索引号</td><td>640522015/2024-00040</td><td>发布机构</td><td>海原县人社局</td></tr></table>
<p>海原县社会保险事业管理中心2024年部门预算</p>
<p>第一部分 单位概况</p><p>第二部分 2024年部门预算表</p><p>第三部分 2024年部门预算情况说明</p>
<p>附件：<a href="/files/2024ysb.pdf">2024年部门预算公开表.pdf</a> <a href="ysb.xls?id=3">预算表.xls</a>
<a href="/xxgk/index.html">返回</a></p>
</div></body></html>
"""


def test_a_page_stating_no_figure_is_refused_with_its_attachment_links(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE_WITHOUT_FIGURES, encoding="utf-8")
    with pytest.raises(NoFiguresError) as err:
        parse_file(path)
    assert str(err.value).startswith(NO_FIGURES)
    assert err.value.attachments == ["/files/2024ysb.pdf", "ysb.xls?id=3"]
    assert "/files/2024ysb.pdf" in str(err.value) and "ysb.xls?id=3" in str(err.value)
    assert err.value.info["unit_name"] == "海原县社会保险事业管理中心"


def test_a_page_that_is_no_disclosure_is_still_refused_as_such(tmp_path):
    path = tmp_path / "news.txt"
    path.write_text("关于开展社会保险政策宣传月活动的通知\n各单位：现将有关事项通知如下。\n", encoding="utf-8")
    with pytest.raises(Exception) as err:
        parse_file(path)
    assert not isinstance(err.value, NoFiguresError)
    assert "not a budget disclosure" in str(err.value)


def test_a_statement_only_page_loads_as_a_partial_disclosure(tmp_path):
    path = tmp_path / "sangong.txt"
    path.write_text("2025年度某县医疗保障局部门预算\n2025年“三公”经费预算0万元。\n", encoding="utf-8")
    parsed = parse_file(path)
    assert parsed.info["partial"] is True and parsed.info["unit_kind"] == "医保"


def test_a_labelled_name_with_the_province_in_front_is_the_same_unit():
    from etl.checks import run_checks

    rows = {"raw_paragraphs": [{"text": "部门名称：河南省获嘉县社会保险中心", "page": 1, "line": 3}]}
    info = {"unit_name": "获嘉县社会保险中心", "fiscal_year": 2024, "stage": "budget"}
    results = [r for r in run_checks(rows, info) if r["check_name"] == "unit_name_consistent"]
    assert not [r for r in results if r["status"] == "fail"]
