"""孟津's 项目绩效目标汇总表 wraps indicator names over rows and page breaks: the names come out whole
(#18 item 4). Values read from data/raw 孟津 (003_…txt), lines 467-502."""

from __future__ import annotations

from etl.facts import Facts
from etl.layout import LogicalTable
from etl.model import Row
from etl.tables.performance import parse_project_performance
from tests.conftest import STEMS, parsed


def _indicators(project: str) -> list[tuple[str, str, str]]:
    rows = parsed(STEMS["mengjin"]).facts.rows["core_performance_indicators"]
    return [(r["level1"], r["level3"], r["target_text"]) for r in rows if r["project_name"] == project]


def test_a_name_cut_by_a_page_break_is_whole_and_the_cost_value_untouched():
    """'职业年金投运前 | 100%' ends a page; '实账利息差缴纳及时率' opens the next one a column to the
    left, beside the 成本 value ≤1372.05万元: it finishes the name, not the value's unit."""
    got = _indicators("2024年职业年金实账利息差")
    assert got == [
        ("成本指标", "预算成本", "≤1372.05万元"),
        ("产出指标", "职业年金投运前实账利息差缴纳完成率", "100%"),
        ("效益指标", "保障退休人员权益", "保障"),
        ("满意度指标", "机关事业单位参保职工", "≥90%"),
        ("产出指标", "职业年金投运前实账利息差缴纳足额率", "100%"),
        ("产出指标", "职业年金投运前实账利息差缴纳及时率", "100%"),
    ]


def test_names_and_values_wrapped_together_are_whole():
    got = _indicators("2024年机关事业养老区级财政补助资金")
    assert ("满意度指标", "群众满意度", "≥90%") in got
    assert ("产出指标", "机关事业单位退休人员足额发放", "100%") in got
    assert ("成本指标", "预算成本", "≤12000万元") in got  # the unit 万元 wrapped under ≤12000
    reform = _indicators("改革补差经费")
    assert ("满意度指标", "单位企业职工满意率", "≥90%") in reform
    # Two 产出 rows a page break printed under 项目分类 (lines 476-479), names wrapped over two rows:
    # whole, and 产出 like the rows above them, not 成本 (the nearest column).
    assert ("产出指标", "办公用品及耗材采购完成率", "100%") in reform
    assert ("产出指标", "水电及物业费缴纳足额率", "100%") in reform
    assert not [r for r in reform if r[0] == "成本指标" and r[1] != "预算成本"]
    assert ("产出指标", "网络故障排除验收合格率", "100%") in _indicators("2024年网络通信费")


def _table(rows: list[list[str]]) -> LogicalTable:
    header = [
        ["项目名称", "项目分类", "资金总额", "成本指标", "", "产出指标", "", "效益指标", "", "满意度指标", ""],
        ["", "", "", "三级指标", "指标值", "三级指标", "指标值", "三级指标", "指标值", "三级指标", "指标值"],
    ]
    return LogicalTable(
        title="项目绩效目标汇总表",
        rows=[Row(cells=r, page=1, line=i + 1, index=i) for i, r in enumerate(header + rows)],
        unit="万元",
        unit_source="title",
        page=1,
        line=1,
        family="project_performance",
    )


def test_a_unit_under_a_value_joins_it_and_a_word_does_not():
    t = _table(
        [
            [
                "工作经费",
                "其他运转类",
                "13.50",
                "总成本",
                "≤13.5",
                "办公设备采购",
                "≥7",
                "保障运转",
                "保障",
                "职工满",
                "≥9",
            ],
            ["", "", "", "", "万元", "批次", "", "", "", "意度", "0%"],
            ["", "", "", "", "", "印刷合格率", "100%", "", "", "", ""],
            ["", "", "", "", "采购及时", "", "", "", "", "", ""],
        ]
    )
    facts = Facts()
    parse_project_performance(t, facts, {})
    got = [(r["level3"], r["target_text"]) for r in facts.rows["core_performance_indicators"]]
    assert ("总成本", "≤13.5万元") in got
    assert ("职工满意度", "≥90%") in got and ("办公设备采购批次", "≥7") in got
    assert ("印刷合格率采购及时", "100%") in got  # a word left of the latest name finishes that name
