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
