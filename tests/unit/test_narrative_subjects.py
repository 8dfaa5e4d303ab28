"""Statements tied to the right subject (#17, item 5): a change belongs to the amount of its own
clause or sentence and topic, function-class amounts are never the total, 预算数 / 决算数 /
完成预算% are read in 决算 statements, and amounts given as reasons are no figure."""

from __future__ import annotations

from decimal import Decimal as D

from etl.model import Document, Paragraph
from etl.narrative import extract_claims


def doc(*lines: str) -> Document:
    d = Document(path="x", file_name="x.txt", fmt="text", page_count=1)
    d.blocks = [Paragraph(text=t, page=1, line=i + 1) for i, t in enumerate(lines)]
    return d


def claims_of(*lines: str, year: int, stage: str):
    return extract_claims(doc(*lines), year, stage)


SANGONG_FINAL = (
    "七、财政拨款“三公”经费支出决算情况说明",
    "2023年度“三公”经费财政拨款支出预算为37.11万元，支出决算为13.49万元，完成预算的36.35%，"
    "决算数小于预算数的主要原因是厉行节约，未使用公务接待费8.27万元。与上年相比减少18.17万元，下降57.39%，"
    "主要原因是严格控制公务接待。",
)


def test_budget_and_actual_of_a_final_sangong_statement():
    claims, _ = claims_of(*SANGONG_FINAL, year=2023, stage="final")
    amounts = {c["amount_printed"]: c for c in claims if c["claim_type"] == "amount"}
    assert amounts["37.11"]["figure"] == "sangong_budget"
    assert amounts["13.49"]["figure"] == "sangong_actual"
    assert amounts["13.49"]["amount_yuan"] == D("134900.00")
    # The heading before the sentence is not part of what the amount is (the warehouse reads 预算
    # or 决算 from the subject).
    assert "决算" not in amounts["37.11"]["subject"]
    (rate,) = [c for c in claims if c["claim_type"] == "execution_rate"]
    assert (rate["pct_printed"], rate["amount_printed"]) == (D("0.3635"), "13.49")


def test_an_amount_given_as_a_reason_is_no_figure_and_no_anchor_for_the_next_change():
    claims, priors = claims_of(*SANGONG_FINAL, year=2023, stage="final")
    reason = next(c for c in claims if c["amount_printed"] == "8.27")
    assert reason["topic"] is None and reason["figure"] is None
    (change,) = [c for c in claims if c["claim_type"] == "change"]
    assert change["current_amount_yuan"] == D("134900.00")
    assert [(p["fiscal_year"], p["amount_yuan"]) for p in priors] == [(2022, D("316600.00"))]  # printed 31.66


JIULONGPO = (
    "(二)支出预算:2025年年初预算数371.29万元,其中:社会保障和就业支出预算330.67万元,"
    "卫生健康支出预算16.06万元,住房保障支出预算24.56万元。",
    "支出预算较2024年增加64.46万元,主要是基本支出预算增加64.46万元,",
)


def test_function_class_amounts_are_never_the_total_and_a_change_keeps_its_own_topic():
    claims, priors = claims_of(*JIULONGPO, year=2025, stage="budget")
    totals = [c["amount_printed"] for c in claims if c["claim_type"] == "amount" and c["figure"] == "total_expenditure"]
    assert totals == ["371.29"]
    classes = [c for c in claims if c["amount_printed"] in ("330.67", "16.06", "24.56")]
    assert {c["topic"] for c in classes} == {"function_class"} and {c["figure"] for c in classes} == {None}
    change = next(c for c in claims if c["claim_type"] == "change" and c["topic"] == "expenditure")
    assert change["current_amount_yuan"] == D("3712900.00")  # not 住房保障 24.56 万元
    expenditure = [p for p in priors if p["figure"] == "total_expenditure"]
    assert [(p["fiscal_year"], p["amount_yuan"]) for p in expenditure] == [(2024, D("3068300.00"))]


def test_a_change_in_the_sentence_of_an_amount_without_topic_stays_with_that_amount():
    claims, priors = claims_of(
        "2020年度支出合计437.79万元，其中：基本支出346.51万元；项目支出91.28万元。",
        "2020年度年末结转和结余1.11万元，较上年决算数减少150.07万元，下降99.3%。",
        year=2020,
        stage="final",
    )
    change = next(c for c in claims if c["claim_type"] == "change")
    assert change["topic"] is None and change["current_amount_yuan"] == D("11100.00")
    assert not [p for p in priors if p["figure"] == "project_expenditure"]


def test_last_year_is_the_year_before_the_fiscal_year():
    claims, priors = claims_of("2021年度收入合计1603.29万元，较上年决算数增加75.96万元。", year=2021, stage="final")
    change = next(c for c in claims if c["claim_type"] == "change")
    assert (change["compare_year"], change["compare_stage"]) == (2020, "final")
    assert [(p["figure"], p["fiscal_year"], p["amount_yuan"]) for p in priors] == [
        ("total_revenue", 2020, D("15273300.00"))
    ]


def test_bare_revenue_change_is_the_revenue_total():
    claims, priors = claims_of(
        "(一)收入预算:2026年年初预算数308.23万元,其中:一般公共预算拨款308.23万元,其他收入0.00万元。",
        "收入较去年减少6.36万元。",
        year=2026,
        stage="budget",
    )
    change = next(c for c in claims if c["claim_type"] == "change")
    assert change["topic"] == "revenue"
    assert [(p["figure"], p["fiscal_year"], p["amount_yuan"]) for p in priors] == [
        ("total_revenue", 2025, D("3145900.00"))
    ]


def test_bare_total_after_a_narrower_subject_continues_it():
    """盐池 l.453: "国有资本经营预算财政拨款本年收入 0.00 元，支出 0.00 元" — the 支出 is the 国有资本经营
    one, not the unit's 本年支出合计 (it failed stated_amount_matches_table against 12,984,142.90)."""

    def amounts(text):
        return [
            (c["topic"], c["amount_yuan"])
            for c in claims_of(text, year=2024, stage="final")[0]
            if c["claim_type"] == "amount"
        ]

    assert amounts("2024年度国有资本经营预算财政拨款本年收入0.00元，支出0.00元。") == [
        ("soe_capital", D("0.00")),
        ("soe_capital", D("0.00")),
    ]
    assert [t for t, _a in amounts("收入5854.76万元，支出5854.76万元。")] == ["revenue", "expenditure"]
