"""Recognisers on small inline tables written like the national templates."""

from decimal import Decimal as D

from etl.facts import Facts
from etl.layout import LogicalTable
from etl.model import Row
from etl.tables import RECOGNISERS
from etl.tables.common import family_of


def table(title, rows, unit="万元"):
    t = LogicalTable(
        title=title,
        rows=[Row(cells=r, page=1, line=i + 1, index=i) for i, r in enumerate(rows)],
        unit=unit,
        unit_source="unit line",
        page=1,
        line=1,
    )
    t.family = family_of(title, "".join(c for r in rows[:4] for c in r))
    facts = Facts()
    RECOGNISERS[t.family](t, facts, {})
    return t, facts.rows


def amounts(rows, **match):
    return {
        (f["function_code"] or f["econ_code"] or f["row_label"], f["measure"]): f["amount_yuan"]
        for f in rows["core_table_facts"]
        if all(f[k] == v for k, v in match.items())
    }


EXP_HEADER = [
    ["科目编码", "", "", "单位代码", "单位（科目名称）", "合计", "基本支出", "", "", "", "项目支出", "", ""],
    ["", "", "", "", "", "", "小计", "人员经费", "", "公用经费", "", "小计", "其他运转类", "特定目标类"],
    [
        "类",
        "款",
        "项",
        "工资福利支出",
        "对个人和家庭的补助",
        "商品和服务支出",
        "",
        "资本性支出",
        "",
        "",
        "",
        "",
        "",
        "",
    ],
]


def test_expenditure_codes_over_three_cells_and_unit_row_skipped():
    t, rows = table(
        "2024年部门支出总体情况表",
        EXP_HEADER
        + [
            ["", "", "", "", "合计", "84.12", "50.16", "49.08", "", "1.08", "", "33.96", "33.96", ""],
            ["", "", "", "208", "某县社会保险中心", "84.12", "50.16", "49.08", "", "1.08", "", "33.96", "33.96", ""],
            [
                "208",
                "01",
                "09",
                "",
                "社会保险经办机构",
                "84.12",
                "50.16",
                "49.08",
                "",
                "1.08",
                "",
                "33.96",
                "33.96",
                "",
            ],
        ],
    )
    assert t.family == "expenditure"
    got = amounts(rows, item_key="function")
    assert got == {
        ("2080109", "total"): D("841200.00"),
        ("2080109", "basic"): D("501600.00"),
        ("2080109", "wages"): D("490800.00"),
        ("2080109", "goods_services"): D("10800.00"),
        ("2080109", "project"): D("339600.00"),
        ("2080109", "project_operating"): D("339600.00"),
    }
    assert {f["item_key"] for f in rows["core_table_facts"]} == {"total", "unit", "function"}


def test_missing_column_found_by_arithmetic():
    t, rows = table(
        "2024年一般公共预算支出情况表",
        EXP_HEADER
        + [
            ["", "", "", "", "合计", "5,854.76", "70.80", "65.96", "3.76", "1.08", "5,783.96", "33.96", "5,750.00", ""],
            [
                "208",
                "05",
                "07",
                "",
                "对机关事业单位基本养老保险基金的补助",
                "5,750.00",
                "",
                "",
                "",
                "",
                "5,750.00",
                "",
                "5,750.00",
                "",
            ],
        ],
    )
    got = amounts(rows, item_key="total")
    assert got[("合计", "project")] == D("57839600.00") and ("合计", "capital") not in got
    assert "资本性" in "".join(n["note"] for n in rows["core_parse_notes"]) or "capital" in "".join(
        n["note"] for n in rows["core_parse_notes"]
    )


def test_truncated_code_recovered_from_name():
    _, rows = table(
        "收入决算表",
        [
            [
                "项目",
                "",
                "",
                "本年收入合计",
                "财政拨款收入",
                "上级补助收入",
                "事业收入",
                "",
                "经营收入",
                "附属单位上缴收入",
                "其他收入",
            ],
            ["功能分类科目编码", "科目名称"],
            ["类", "款", "项", "1", "2", "3", "小计", "其中：教育收费"],
            [
                "20801",
                "社会保险经办机构",
                "",
                "1,801,947.97",
                "1,801,947.97",
                "0.00",
                "0.00",
                "0.00",
                "0.00",
                "0.00",
                "0.00",
            ],
        ],
        unit="元",
    )
    (f,) = [f for f in rows["core_table_facts"] if f["measure"] == "total"]
    assert (f["function_code_printed"], f["function_code"], f["code_resolution"]) == ("20801", "2080109", "recovered")


def test_two_sided_summary_with_row_numbers():
    _, rows = table(
        "收入支出决算总表",
        [
            ["收入", "", "", "支出", "", ""],
            ["项目", "行次", "决算数", "项目(按功能分类)", "行次", "决算数"],
            ["栏次", "", "1", "栏次", "", "2"],
            ["一、一般公共预算财政拨款收入", "1", "12,984,142.90", "八、社会保障和就业支出", "38", "12,615,180.13"],
            ["本年收入合计", "27", "12,984,142.90", "本年支出合计", "57", "12,984,142.90"],
        ],
        unit="元",
    )
    got = {(f["section"], f["item_key"], f["function_code"]): f["amount_yuan"] for f in rows["core_table_facts"]}
    assert got == {
        ("revenue", "revenue_item", None): D("12984142.90"),
        ("expenditure", "function_class", "208"): D("12615180.13"),
        ("revenue", "revenue_total", None): D("12984142.90"),
        ("expenditure", "expenditure_total", None): D("12984142.90"),
    }


def test_basic_detail_triples_truncated_econ_codes():
    _, rows = table(
        "一般公共预算财政拨款基本支出决算明细表",
        [
            ["人员经费", "", "", "公用经费", "", "", "", "", ""],
            ["科目代码", "科目名称", "金额", "科目代码", "科目名称", "金额", "科目代码", "科目名称", "金额"],
            ["3010", "基本工资", "529,659.00", "3021", "差旅费", "14,840.00", "3101", "公务用车购置", "0.00"],
            ["人员经费合计", "", "529,659.00", "公用经费合计", "", "", "", "", "14,840.00"],
        ],
        unit="元",
    )
    got = {(f["econ_code"], f["measure"]): f["amount_yuan"] for f in rows["core_table_facts"]}
    assert got == {
        ("30101", "personnel"): D("529659.00"),
        ("30211", "public"): D("14840.00"),
        ("31013", "public"): D("0.00"),
        (None, "personnel"): D("529659.00"),
        (None, "public"): D("14840.00"),
    }


def test_sangong_budget_and_actual_blocks():
    _, rows = table(
        "财政拨款“三公”经费支出决算表",
        [
            ["2024 年度预算数", "", "", "", "", "", "2024 年度决算数"],
            [
                "合计",
                "因公出国 (境) 费",
                "公务用车购置及运行维护费",
                "",
                "",
                "公务接待费",
                "合计",
                "因公出国 (境) 费",
                "公务用车购置及运行维护费",
                "",
                "",
                "公务接待费",
            ],
            [
                "",
                "",
                "小计",
                "公务用车购 置费",
                "公务用车运 行维护费",
                "",
                "",
                "",
                "小计",
                "公务用车购 置费",
                "公务用车运 行维护费",
                "",
            ],
            ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"],
            [
                "30,000.00",
                "0.00",
                "30,000.00",
                "0.00",
                "30,000.00",
                "0.00",
                "7,635.90",
                "0.00",
                "7,635.90",
                "0.00",
                "7,635.90",
                "0.00",
            ],
        ],
        unit="元",
    )
    got = {(f["item_key"], f["measure"]): f["amount_yuan"] for f in rows["core_table_facts"]}
    assert got[("sangong_total", "budget")] == D("30000.00")
    assert got[("sangong_vehicle_operation", "actual")] == D("7635.90")
    assert got[("sangong_reception", "actual")] == 0 and len(got) == 12
    # The row label names the component in Chinese (查看原文 and 来源文件 show it), the key stays English.
    labels = {f["item_key"]: f["row_label"] for f in rows["core_table_facts"]}
    assert labels["sangong_total"] == "合计" and labels["sangong_vehicle_operation"] == "公务用车运行维护费"


def test_wide_performance_rows_missing_leading_cell():
    _, rows = table(
        "部门预算项目绩效目标表（2024年度）",
        [
            [
                "单位名称",
                "项目名称",
                "预算数",
                "年度目标",
                "一级指标",
                "二级指标",
                "三级指标",
                "指标性质",
                "指标值",
                "度量单位",
                "权重",
                "指标方向性",
            ],
            [
                "",
                "年检经费",
                "111,451.00",
                "做好年检",
                "效益指标",
                "经济效益指标",
                "确保社保资金",
                ">",
                "100",
                "%",
                "40",
                "",
            ],
            [
                "档案整理费",
                "100,000.00",
                "档案整理",
                "产出指标",
                "数量指标",
                "档案移交",
                "≥",
                "100",
                "%",
                "50",
                "正向指标",
                "",
            ],
        ],
        unit="元",
    )
    assert [(p["project_name"], p["amount_yuan"]) for p in rows["core_projects"]] == [
        ("年检经费", D("111451.00")),
        ("档案整理费", D("100000.00")),
    ]
    ind = rows["core_performance_indicators"]
    assert [(i["project_name"], i["level1"], i["operator"], i["weight"], i["direction"]) for i in ind] == [
        ("年检经费", "效益指标", ">", D("40"), None),
        ("档案整理费", "产出指标", "≥", D("50"), "正向指标"),
    ]


def test_self_evaluation_funds_and_scores():
    _, rows = table(
        "盐池县本级部门项目支出绩效自评表",
        [
            ["项目名称", "", "企业退休人员取暖费", ""],
            ["项目资金 (万元)", "", "", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
            ["", "", "", "年度资金总额:", "417.94", "417.94", "391.51", "10", "0.9368", "9.37"],
            [
                "",
                "产 出 指 标 (40 分)",
                "数量指标 (10 分)",
                "指标 1: 取暖费发放人数",
                "894 人",
                "858 人",
                "10",
                "9.6",
                "",
                "",
            ],
            ["总 分", "", "", "", "", "", "100", "98.97", ""],
        ],
        unit=None,
    )
    (ev,) = rows["core_self_evaluations"]
    assert (ev["budget_initial_yuan"], ev["executed_yuan"], ev["execution_rate_printed"], ev["total_score"]) == (
        D("4179400.00"),
        D("3915100.00"),
        D("0.9368"),
        D("98.97"),
    )
    (ind,) = rows["core_performance_indicators"]
    assert (ind["target_value"], ind["target_unit"], ind["actual_text"], ind["score"]) == (
        D("894"),
        "人",
        "858人",
        D("9.6"),
    )


def test_summary_performance_cells_wrapped_over_two_rows():
    """汇总表 rows whose name and value cells both wrap onto the next row (`群众满 | ≥9` over
    `意度 | 0%`), a unit wrapped under its value, and a name tail under the latest indicator."""
    rows = [
        [
            "单位编码",
            "项目名称",
            "项目分类",
            "项目金额",
            "",
            "",
            "成本指标",
            "",
            "产出指标",
            "",
            "效益指标",
            "",
            "满意度指标",
            "",
        ],
        [
            "4103082400 19618",
            "养老补助",
            "其他运转类",
            "97.00",
            "97.00",
            "",
            "预算",
            "≤97",
            "发放率",
            "100%",
            "保障",
            "保障",
            "群众满",
            "≥9",
        ],
        ["", "", "", "", "", "", "成本", "万元", "", "", "", "", "意度", "0%"],
        ["", "", "", "", "", "", "", "", "办公用品", "100%", "", "", "", ""],
        ["", "", "", "", "", "", "", "", "采购率", "", "", "", "", ""],
    ]
    _t, facts = table("项目绩效目标汇总表", rows)
    got = {(i["level1"], i["level3"], i["target_text"]) for i in facts["core_performance_indicators"]}
    assert got == {
        ("成本指标", "预算成本", "≤97万元"),
        ("产出指标", "发放率", "100%"),
        ("效益指标", "保障", "保障"),
        ("满意度指标", "群众满意度", "≥90%"),
        ("产出指标", "办公用品采购率", "100%"),
    }
    sat = next(i for i in facts["core_performance_indicators"] if i["level3"] == "群众满意度")
    assert (sat["operator"], sat["target_value"], sat["target_unit"]) == ("≥", D("90"), "%")


def test_income_table_with_grouped_header_read_by_column():
    """收入表 whose 本年收入 and 上年结转结余 groups each have a 合计 column: read by column."""
    rows = [
        ["部门(单位)代码", "部门(单位)名称", "总计", "本年收入", "", "", "", "上年结转结余", ""],
        ["", "", "", "合计", "一般公共预算", "上级补助收入", "其他收入", "合计", "一般公共预算"],
        ["311", "洛阳市孟津区社会保险中心", "120.50", "100.50", "90.00", "10.00", "0.50", "20.00", "20.00"],
    ]
    _t, facts = table("2024年部门收入预算表", rows)
    got = {(f["measure"], f["amount_yuan"]) for f in facts["core_table_facts"]}
    assert got == {("total", D("1005000.00")), ("upper_subsidy", D("100000.00")), ("other_income", D("5000.00"))}


def test_total_printed_across_code_and_name_columns_is_not_shifted():
    """A real 上海 支出决算表: 合计 sits in the 科目编码 column with the 科目名称 cell blank; its values
    start where the other rows' do (it read 基本支出 = 本年支出合计 before)."""
    rows = [
        ["项目", "", "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"],
        ["功能分类科目编码", "科目名称", "", "", "", "", "", ""],
        ["合计", "", "9759.38", "5377.64", "4381.74", "", "", ""],
        ["208", "社会保障和就业支出", "754.75", "754.75", "0.00", "", "", ""],
        ["212", "城乡社区支出", "3845.24", "1585.59", "2259.65", "", "", ""],
    ]
    _t, facts = table("支出决算表", rows)
    got = amounts(facts, item_key="total")
    assert got == {
        ("合计", "total"): D("97593800.00"),
        ("合计", "basic"): D("53776400.00"),
        ("合计", "project"): D("43817400.00"),
    }
    assert amounts(facts, item_key="function")[("212", "project")] == D("22596500.00")


def test_basic_econ_side_by_side_groups_under_shanghai_headings():
    """上海's 基本支出决算表: (经济分类科目编码, 科目名称, 决算数) twice across the page."""
    rows = [
        ["经济分类科目编码", "科目名称", "决算数", "经济分类科目编码", "科目名称", "决算数"],
        ["301", "工资福利支出", "4816.14", "302", "商品和服务支出", "440.90"],
        ["30101", "基本工资", "537.64", "30217", "公务接待费", "0.39"],
        ["人员经费合计", "", "4884.09", "公用经费合计", "", "480.66"],
    ]
    _t, facts = table("一般公共预算财政拨款基本支出决算表", rows)
    got = amounts(facts)
    assert got[("30217", "public")] == D("3900.00") and got[("301", "personnel")] == D("48161400.00")
    assert got[("人员经费合计", "personnel")] == D("48840900.00") and got[("公用经费合计", "public")] == D("4806600.00")
