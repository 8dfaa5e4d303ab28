from decimal import Decimal as D
from pathlib import Path

from etl.identify import fiscal_year, locate, stage
from etl.model import Document, Paragraph
from etl.narrative import extract_claims
from etl.pension import classify_function, classify_name


def doc(*lines: str) -> Document:
    d = Document(path="x", file_name="x.txt", fmt="text", page_count=1)
    d.blocks = [Paragraph(text=t, page=1, line=i + 1) for i, t in enumerate(lines)]
    return d


def test_change_claim_with_rate_and_reason_gives_prior_year_fact():
    claims, priors = extract_claims(
        doc(
            "一、收入支出预算总体情况说明",
            "某县社会保险中心 2024 年收入总计 5854.76 万元，支出总计 5854.76 万元，与 2023 年预算相比，收入、支出增加",
            "606.99 万元，增长 11.57%。主要原因：对机关事业单位基本养老保险基金的补助增加。",
        ),
        2024,
        "budget",
    )
    (change,) = [c for c in claims if c["claim_type"] == "change"]
    assert (change["amount_yuan"], change["pct_printed"], change["direction"], change["compare_year"]) == (
        D("6069900.00"),
        D("0.1157"),
        "增加",
        2023,
    )
    assert change["reason"] == "对机关事业单位基本养老保险基金的补助增加"
    assert change["current_amount_yuan"] == D("58547600.00")
    assert [(p["fiscal_year"], p["stage"], p["amount_yuan"]) for p in priors] == [(2023, "budget", D("52477700.00"))]


def test_decrease_and_thousands_commas_in_yuan():
    claims, priors = extract_claims(
        doc(
            "2024 年度“三公”经费财政拨款支出预算为 30,000.00 元，支出决算为 7,635.90 元。",
            "2024 年度“三公”经费财政拨款支出决算数比 2023 年度减少 15,037.76 元，下降 66.32%。",
        ),
        2024,
        "final",
    )
    (change,) = [c for c in claims if c["claim_type"] == "change"]
    assert change["amount_yuan"] == D("15037.76") and change["pct_printed"] == D("0.6632")
    assert priors[0]["amount_yuan"] == D("22673.66") and priors[0]["stage"] == "final"


def test_shares_attach_to_the_amount_before_them():
    claims, _ = extract_claims(
        doc("2024 年支出合计 5854.76 万元，其中：基本支出 70.8 万元，占 1.21%；项目支出 5783.96 万元，占 98.79%。"),
        2024,
        "budget",
    )
    shares = [(c["topic"], c["amount_yuan"], c["pct_printed"]) for c in claims if c["claim_type"] == "share"]
    assert shares == [("basic", D("708000.00"), D("0.0121")), ("project", D("57839600.00"), D("0.9879"))]


def test_same_year_comparison_is_not_a_prior_year_fact():
    _, priors = extract_claims(
        doc("1. 工资福利支出 2,206,445.64 元,较 2024 年度年初预算数增加 294,344.48 元,增长 15.39%。"), 2024, "final"
    )
    assert priors == []


def test_year_stage_and_county():
    assert fiscal_year(["二〇二四年四月", "部门预算"]) == 2024
    assert fiscal_year(["2024 年度", "某县部门决算"]) == 2024
    assert stage(["盐池县社会保险事业", "管理中心部门决算"]) == "final"
    assert stage(["编制全县社会保险基金预决算草案", "2023年单位预算信息公开"]) == "budget"
    assert locate("洛阳市孟津区社会保险中心", "")["adcode"] == "410308"
    unknown = locate("火星县社会保险中心", "火星县")
    assert unknown["county"] is None and unknown["adcode"] is None


def test_ambiguous_county_name_resolved_by_province_in_text():
    a = locate("城关区社会保险中心", "甘肃省兰州市城关区社会保险中心")
    b = locate("城关区社会保险中心", "西藏自治区拉萨市城关区社会保险中心")
    assert a["province"] == "甘肃省" and b["province"] == "西藏自治区"


def test_pension_rules():
    assert classify_function("2080507", "project")[0] == "institution_pension_subsidy"
    assert classify_function("2080505", "basic")[0] == "own_contribution"
    assert classify_function("2080505", "project") is None  # decided by project names instead
    assert classify_name("为困难群众代缴城乡居民基本养老保险个人缴费资金")[0] == "hardship_contribution"
    assert classify_name("城乡居民养老保险县级配套资金")[0] == "resident_pension_subsidy"
    assert classify_name("2024年职业年金实账利息差")[0] == "occupational_annuity"
    assert classify_name("企业退休人员取暖费")[0] == "enterprise_retiree_subsidy"
    assert classify_name("特殊政策军龄补差(据实结算)")[0] == "enterprise_retiree_subsidy"
    assert classify_name("城乡居民养老保险办公经费") is None
    assert classify_name("企业退休社会化管理经费") is None
    assert classify_name("计生家庭“出口补助”") is None


def test_samples_readme_is_not_parsed_as_disclosure():
    assert Path("data/raw/SAMPLES.md").suffix not in (".txt", ".pdf")


# --- figures: a stated change keeps the figure it is about (issue #9 item 6) -------------------


def test_changes_keep_their_figure():
    # 盐池 2024 决算, 第三部分 一、四、五 (元): the same +1,578,669.08 stated for three different figures.
    claims, priors = extract_claims(
        doc(
            "一、收入支出决算总体情况说明",
            "2024 年度收、支总计 13,060,802.17 元。与 2023 年度相比，收、支总计各增加 1,578,669.08 元，增长 13.750%。",
            "四、财政拨款收入支出决算总体情况说明",
            "2024 年度财政拨款收、支总计 13,060,802.17 元，与 2023 年度相比，财政拨款收、支总计各增加 1,578,669.08 元，"
            "增长 13.84%。",
            "五、一般公共预算财政拨款支出决算情况说明",
            "2024 年度一般公共预算财政拨款支出合计 12,984,142.90 元，占本年支出合计的 100.00%。与 2023 年度相比，"
            "一般公共预算财政拨款支出增加 1,578,669.08 元，增长 13.84%。",
        ),
        2024,
        "final",
    )
    assert [(p["figure"], p["amount_yuan"], p["current_amount_yuan"]) for p in priors] == [
        ("grand_total", D("11482133.09"), D("13060802.17")),
        ("fiscal_grand_total", D("11482133.09"), D("13060802.17")),
        ("gpb_expenditure", D("11405473.82"), D("12984142.90")),
    ]
    assert not [c for c in claims if c["figure"] == "total_expenditure"]


def test_change_of_this_years_expenditure_is_total_expenditure():
    # 香河 2023 预算: "2023年预算收支安排33891.90万元,较2022年预算减少1940.12万元".
    _claims, priors = extract_claims(
        doc("3、比上年增减情况", "2023年预算收支安排33891.90万元，较2022年预算减少1940.12万元。"), 2023, "budget"
    )
    assert [(p["figure"], p["fiscal_year"], p["amount_yuan"]) for p in priors] == [
        ("total_expenditure", 2022, D("358320200.00"))
    ]


# --- project identity (issue #9 item 8) ---------------------------------------------------------


def test_project_name_key_variants():
    from etl.facts import project_name_key

    same = [
        "工作经费（其他）",
        "工作经费(其他)",
        " 工作经费 （其他） ",
        "工作经费（其他）项目",
        "2024年工作经费（其他）",
    ]
    assert {project_name_key(n) for n in same} == {"工作经费其他"}
    assert project_name_key("项目") == "项目"  # never emptied
    assert project_name_key("社保工作经费") != project_name_key("工作经费")


def _project(name, table, amount=None, code=None):
    return dict(
        project_name=name, project_code=code, table_title=table, amount_yuan=None if amount is None else D(amount)
    )


def test_project_ids_across_tables():
    from etl.facts import assign_project_ids

    rows = {
        "core_projects": [
            _project("工作经费", "项目支出表", "135000"),
            _project("工作经费", "绩效目标表", "135000", "41072424000000004016"),
            _project("机关事业单位养老区级财政补助资金", "项目支出表", "120000000"),
            _project("机关事业养老区级财政补助资金", "绩效目标表", "120000000", "410308240000000019618"),
            # Same name, two codes: two sub-units' projects, not one.
            _project("办公经费", "绩效目标表", "1000", "41000000000000000001"),
            _project("办公经费", "绩效目标表", "2000", "41000000000000000002"),
            # Nearly the same name but another amount: another project.
            _project("机关事业单位养老区级财政补助", "项目支出表", "5"),
        ],
        "core_performance_indicators": [dict(project_name="工作经费 "), dict(project_name=None)],
    }
    assign_project_ids(rows)
    ids = [p["project_id"] for p in rows["core_projects"]]
    assert ids[0] == ids[1] and ids[2] == ids[3]
    assert len(set(ids)) == 5
    assert all(i.startswith("P") and len(i) == 13 for i in ids)
    assert rows["core_performance_indicators"][0]["project_id"] == ids[0]
    assert rows["core_performance_indicators"][1]["project_id"] is None
    # Stable: the same rows in another order give the same ids.
    again = {"core_projects": [dict(p) for p in reversed(rows["core_projects"])]}
    assign_project_ids(again)
    assert [p["project_id"] for p in reversed(again["core_projects"])] == ids


def test_pension_projects_counted_once_when_names_vary(tmp_path):
    """孟津 lists its projects in 项目支出预算表 and again, with codes, in 绩效目标汇总表. Printing the
    names in the first table slightly differently (a 项目 suffix, spaces, full-width brackets) must
    not make a pension project count twice."""
    from etl.pipeline import parse_file
    from tests.conftest import RAW, STEMS

    text = (RAW / f"{STEMS['mengjin']}.txt").read_text(encoding="utf-8")
    varied = text
    for old, new in (
        ("特定目标类\t区级代缴困难群众城乡居民养老保险\t", "特定目标类\t区级代缴困难群众城乡居民养老保险项目\t"),
        ("特定目标类\t2024年职业年金记实补记\t", "特定目标类\t2024 年 职业年金记实补记\t"),
        ("特定目标类\t2024年职业年金实账利息差\t", "特定目标类\t2024年职业年金（实账利息差）\t"),
    ):
        assert old in varied
        varied = varied.replace(old, new)
    path = tmp_path / "varied.txt"
    path.write_text(varied, encoding="utf-8")
    for parsed in (parse_file(RAW / f"{STEMS['mengjin']}.txt"), parse_file(path)):
        items = [i for i in parsed.facts.rows["core_pension_items"] if i["item_kind"] == "project"]
        # 60 + 1926.34 + 4.73 + 2482.50 + 1372.05 + 12000 万元, one item each.
        assert len(items) == 6 and len({i["project_id"] for i in items}) == 6
        assert sum(i["amount_yuan"] for i in items) == D("178456200.00")
        projects = parsed.facts.rows["core_projects"]
        assert len(projects) == 24 and len({p["project_id"] for p in projects}) == 12  # "共12个项目"


def test_two_uncoded_names_of_one_project_share_an_id():
    from etl.facts import assign_project_ids

    rows = {
        "core_projects": [
            _project("机关事业单位养老区级财政补助资金", "项目支出表", "120000000"),
            _project("机关事业养老区级财政补助资金", "绩效目标表", "120000000"),
        ]
    }
    assign_project_ids(rows)
    a, b = (p["project_id"] for p in rows["core_projects"])
    assert a == b


def test_project_ids_on_many_equal_rows_stay_distinct():
    # 20,000 padding rows of one amount: not compared pairwise (that would be 4e8 name comparisons).
    from etl.facts import assign_project_ids

    rows = {"core_projects": [_project(f"填充行{n}", "绩效目标表", "10000") for n in range(20000)]}
    assign_project_ids(rows)
    assert len({p["project_id"] for p in rows["core_projects"]}) == 20000


def test_a_claim_under_a_bare_heading_points_at_its_own_line():
    """孟津's "七、…“三公”经费支出预算情况说明" heading sits two lines above the sentence that
    states 0 万元: the claim's provenance is the sentence's line, not the heading's."""
    claims, _ = extract_claims(
        doc(
            "七、一般公共预算“三公”经费支出预算情况说明",
            "",
            "区社保中心 2024 年“三公”经费支出预算为 0 万元。",
        ),
        2024,
        "budget",
    )
    (total,) = [c for c in claims if c["claim_type"] == "amount" and c["topic"] == "sangong_total"]
    assert (total["amount_yuan"], total["page"], total["line"]) == (D("0.00"), 1, 3)


def test_an_amount_printed_in_wan_without_yuan_is_money_but_counts_stay_counts():
    """上海's 决算 prints "国内公务接待支出0.39万(含外宾接待支出0.00万元)": the 0.39 万 is the reception
    spending (it was skipped, and the 0.00 of 外宾接待 read as the reception figure); "29.02万人" and
    "12万份" are counts, not money."""
    claims, _ = extract_claims(
        doc(
            "其中：国内公务接待支出0.39万(含外宾接待支出0.00万元)。",
            "全县参保29.02万人，发放宣传资料12万份，公务用车运行维护费1.5亿。",
        ),
        2024,
        "final",
    )
    amounts = [
        (c["subject"], c["topic"], c["amount_yuan"], c["printed_unit"]) for c in claims if c["claim_type"] == "amount"
    ]
    assert ("国内公务接待支出", "sangong_reception", D("3900.00"), "万元") in amounts
    assert ("含外宾接待支出", None, D("0.00"), "万元") in amounts
    assert [a for a in amounts if a[1] == "sangong_reception"] == [
        ("国内公务接待支出", "sangong_reception", D("3900.00"), "万元")
    ]
    assert not [a for a in amounts if a[2] in (D("290200"), D("120000"))]
    assert [a[2] for a in amounts if a[1] == "sangong_vehicle_operation"] == [D("150000000.00")]
