"""情况说明 against the tables and against itself: stated amounts, shares (占 x%), year-over-year
rates (on the prior year = current − change), execution rates, 三公 components, 持平 claims."""

from __future__ import annotations

import re
from decimal import Decimal

from etl.checks import DocView, Result, check, compare
from rules.changes import UNCHANGED_WORDS, prior_from_change, signed
from rules.labels import TOPIC_ZH
from rules.measures import FIGURE_ZH
from rules.units import decimals_of, half_unit, pct_half_unit, pct_text, yuan_text

# topic -> (family, item_key, measure) candidates the stated amount may equal.
TOPIC_FIGURES = {
    "total_grand": [
        ("summary", "revenue_grand_total", "total"),
        ("summary", "expenditure_grand_total", "total"),
        ("summary", "revenue_total", "total"),
        ("fiscal_summary", "revenue_grand_total", "total"),
        ("fiscal_summary", "revenue_total", "total"),
    ],
    "revenue": [("summary", "revenue_total", "total"), ("income", "total", "total")],
    "expenditure": [("summary", "expenditure_total", "total"), ("expenditure", "total", "total")],
    "gpb_expenditure": [("gpb_expenditure", "total", "total"), ("fiscal_summary", "expenditure_total", "gpb")],
    "basic": [("expenditure", "total", "basic"), ("gpb_expenditure", "total", "basic")],
    "project": [("expenditure", "total", "project"), ("gpb_expenditure", "total", "project")],
    "personnel": [("basic_econ", "total", "personnel")],
    "public": [("basic_econ", "total", "public")],
    "sangong_total": [("sangong", "sangong_total", "budget"), ("sangong", "sangong_total", "actual")],
    "sangong_abroad": [("sangong", "sangong_abroad", "budget"), ("sangong", "sangong_abroad", "actual")],
    "sangong_reception": [("sangong", "sangong_reception", "budget"), ("sangong", "sangong_reception", "actual")],
    "sangong_vehicle_total": [
        ("sangong", "sangong_vehicle_total", "budget"),
        ("sangong", "sangong_vehicle_total", "actual"),
    ],
    "sangong_vehicle_purchase": [
        ("sangong", "sangong_vehicle_purchase", "budget"),
        ("sangong", "sangong_vehicle_purchase", "actual"),
    ],
    "sangong_vehicle_operation": [
        ("sangong", "sangong_vehicle_operation", "budget"),
        ("sangong", "sangong_vehicle_operation", "actual"),
    ],
}
# A statement's check result is flagged on the summary figure it is about (any money column of
# county_year_summary, rules.measures.FIGURE_ZH). The figure a statement is about is decided in
# one place, etl.narrative.figure_of; 收支总计 (grand_total) is not 本年支出合计 and flags nothing.


def summary_figure(c: dict) -> str | None:
    from etl.narrative import figure_of

    figure = figure_of(c.get("topic"), c.get("subject"))
    if figure == "sangong_total":
        return "sangong_budget"
    return figure if figure in FIGURE_ZH else None


def claim_half_unit(c: dict) -> Decimal:
    """Half of the last printed digit of an amount stated in the text, in 元: the one rule of
    rules.units.half_unit, as for a table cell and in the cross-document SQL (元 to the fen is exact)."""
    return half_unit(c.get("printed_unit"), decimals_of(c.get("amount_printed")))


def ratio_tolerance(printed_pct: Decimal, implied: Decimal, *amounts: dict) -> Decimal:
    """Half the printed rate's last digit, plus how far the rounding of the stated amounts it was
    computed from can move the ratio."""
    relative = sum((claim_half_unit(a) / abs(a["amount_yuan"]) for a in amounts if a["amount_yuan"]), Decimal(0))
    return pct_half_unit(printed_pct) + abs(implied) * relative


# Names that contain 预算 without saying the amount is a budget figure (一般公共预算财政拨款支出 in
# a 决算 is an actual).
NOT_BUDGET_WORDS = ("一般公共预算",)


def _stage_word(subject: str | None) -> str | None:
    """预算 or 决算, whichever the subject says last (nearest the amount): a heading glued in front
    ("…支出决算具体情况一般公共预算财政拨款支出年初预算为 10210.34 万元", a real 上海 决算) names the
    section, the words before the amount name the figure. 一般公共预算 and the like name a source."""
    subject = subject or ""
    for word in NOT_BUDGET_WORDS:
        subject = subject.replace(word, "")
    budget, final = subject.rfind("预算"), subject.rfind("决算")
    if budget < 0 and final < 0:
        return None
    return "预算" if budget > final else "决算"


def says_budget(subject: str | None) -> bool:
    """Whether a statement's subject calls its amount a 预算 figure (and not a 决算 one)."""
    return _stage_word(subject) == "预算"


def kind(c: dict, stage: str | None) -> str:
    """budget or actual: what a stated amount is, from its own words, else the document's stage."""
    word = _stage_word(c.get("subject"))
    if word == "决算":
        return "actual"
    if word == "预算":
        return "budget"
    return "actual" if stage == "final" else "budget"


@check("stated_amount_matches_table")
def stated_amounts_match_tables(v: DocView):
    for c in v.claims(claim_type="amount"):
        if (
            v.info.get("stage") == "final"
            and kind(c, "final") == "budget"
            and not (c["topic"] or "").startswith("sangong")
        ):
            continue  # a 决算 table holds actuals; the budget figure stated beside it has no table to match
        cands = [v.first(table_family=f, item_key=i, measure=m) for f, i, m in TOPIC_FIGURES.get(c["topic"], [])]
        if c["topic"] and c["topic"].startswith("sangong") and not cands:
            continue
        cands = [x for x in cands if x is not None and x["amount_yuan"] is not None]
        if not cands or c["amount_yuan"] is None:
            continue
        tol = claim_half_unit(c)
        best = min(cands, key=lambda x: abs(x["amount_yuan"] - c["amount_yuan"]))
        yield compare(
            "stated_amount_matches_table",
            "narrative",
            "medium",
            f"情况说明「{c['subject']}」",
            c["amount_yuan"],
            best["amount_yuan"],
            tol,
            f"按文中印刷精度（半个末位 {yuan_text(tol)}）比较",
            f"「{c['subject']}」{yuan_text(c['amount_yuan'])} 与{best['table_title']}一致",
            f"「{c['subject']}」文中为 {yuan_text(c['amount_yuan'])}，{best['table_title']}为 {yuan_text(best['amount_yuan'])}",
            figure=summary_figure(c),
            src=c,
        )


def _named_base(c: dict) -> str | None:
    """The base a share names itself ("占本年支出合计的 100.00%" -> 本年支出合计)."""
    sentence = c["sentence"]
    pct = f"{(c['pct_printed'] * 100).normalize():f}"
    for m in re.finditer(r"占([^，,；。%]{0,20}?)的?(\d+(?:\.\d+)?)%", sentence):
        if m.group(1) and Decimal(m.group(2)) == Decimal(pct):
            return m.group(1).rstrip("的")
    return None


def _resolve_named_base(named: str, claims: list[dict]) -> dict | None:
    from etl.narrative import topic_of

    amounts = [x for x in claims if x["claim_type"] == "amount" and x["amount_yuan"]]
    exact = next((x for x in amounts if named in (x["subject"] or "")), None)
    if exact or "总额" in named:
        return exact
    topic = topic_of(named)
    return next((x for x in amounts if topic and x["topic"] == topic), None)


def _base_for_shares(claims: list[dict]) -> dict[int, dict]:
    """The whole each share is a part of: the amount stated before a run of shares."""
    bases, last_base = {}, None
    ordered = sorted(claims, key=lambda c: c["seq"])
    for i, c in enumerate(ordered):
        if c["claim_type"] == "amount":
            nxt = ordered[i + 1] if i + 1 < len(ordered) else None
            if not (nxt and nxt["claim_type"] == "share" and nxt["amount_yuan"] == c["amount_yuan"]):
                last_base = c
        elif c["claim_type"] == "share" and last_base is not None:
            bases[c["seq"]] = last_base
    return bases


@check("share_matches_figures")
def shares(v: DocView):
    claims = v.rows.get("core_claims", [])
    bases = _base_for_shares(claims)
    for c in claims:
        if c["claim_type"] != "share" or c["amount_yuan"] is None or c["pct_printed"] is None:
            continue
        base = bases.get(c["seq"])
        named = _named_base(c)
        if named:
            base = _resolve_named_base(named, claims)
            if base is None:
                yield Result(
                    "share_matches_figures",
                    "narrative",
                    "medium",
                    "not_applicable",
                    f"「{c['subject']}」占比",
                    f"文中以“{named}”为基数，文件未给出该数，无法复核",
                    value_unit="比率",
                ).at(c)
                continue
        if base is None or not base["amount_yuan"]:
            continue
        implied = c["amount_yuan"] / base["amount_yuan"]
        tol = ratio_tolerance(c["pct_printed"], implied, c, base)
        yield compare(
            "share_matches_figures",
            "narrative",
            "medium",
            f"「{c['subject']}」占比",
            c["pct_printed"],
            implied.quantize(Decimal("0.000001")),
            tol.quantize(Decimal("0.000001")),
            "占比 = 分项 ÷ 总额；容差为百分比末位的一半加上金额舍入的影响",
            f"「{c['subject']}」占 {pct_text(c['pct_printed'])} 与 {yuan_text(c['amount_yuan'])} ÷ "
            f"{yuan_text(base['amount_yuan'])} 一致",
            f"「{c['subject']}」印为占 {pct_text(c['pct_printed'])}，按 {yuan_text(c['amount_yuan'])} ÷ "
            f"{yuan_text(base['amount_yuan'])} 应为 {pct_text(implied)}",
            unit="比率",
            src=c,
        )


@check("yoy_rate_on_prior_year")
def yoy_rates(v: DocView):
    for c in v.claims(claim_type="change"):
        if c["pct_printed"] is None or c["amount_yuan"] is None or c["current_amount_yuan"] is None:
            continue
        prior = prior_from_change(c["current_amount_yuan"], c["amount_yuan"], c["direction"])
        if prior <= 0:
            continue
        implied = c["amount_yuan"] / prior
        tol = ratio_tolerance(c["pct_printed"], implied, c)
        r = compare(
            "yoy_rate_on_prior_year",
            "narrative",
            "medium",
            f"「{c['subject'] or c['topic']}」{c['direction']}率",
            c["pct_printed"],
            implied.quantize(Decimal("0.000001")),
            tol.quantize(Decimal("0.000001")),
            "增减率 = 增减额 ÷ 上年数（上年数 = 本年数 − 增减额）",
            f"{c['direction']} {yuan_text(c['amount_yuan'])}，{pct_text(c['pct_printed'])} 按上年数 "
            f"{yuan_text(prior)} 计算无误",
            f"{c['direction']} {yuan_text(c['amount_yuan'])}，印为 {pct_text(c['pct_printed'])}；上年数为 "
            f"{yuan_text(prior)}（{yuan_text(c['current_amount_yuan'])} − 增减额），应为 {pct_text(implied)}",
            unit="比率",
            src=c,
            figure="yoy_pct" if summary_figure(c) == "total_expenditure" else None,
        )
        if r.status == "fail" and c["current_amount_yuan"]:
            on_current = c["amount_yuan"] / c["current_amount_yuan"]
            if abs(on_current - c["pct_printed"]) <= pct_half_unit(c["pct_printed"]) * 2:
                r.message += "。印出的比率等于增减额 ÷ 本年数：计算基数用错（应除以上年数）"
        yield r


@check("one_rate_per_change")
def two_rates_for_one_change(v: DocView):
    groups: dict[tuple, list[dict]] = {}
    for c in v.claims(claim_type="change"):
        if c["pct_printed"] is not None and c["amount_yuan"]:
            groups.setdefault((c["amount_yuan"], c["current_amount_yuan"]), []).append(c)
    for (amount, current), cs in groups.items():
        rates = sorted({c["pct_printed"] for c in cs})
        if len(cs) < 2:
            continue
        status = "pass" if len(rates) == 1 else "fail"
        msg = (
            f"同一增减额 {yuan_text(amount)}（本年数 {yuan_text(current)}）各处增减率一致"
            if status == "pass"
            else f"同一增减额 {yuan_text(amount)}（本年数 {yuan_text(current)}）印出不同增减率："
            + "、".join(pct_text(r) for r in rates)
        )
        yield Result(
            "one_rate_per_change",
            "narrative",
            "medium",
            status,
            f"增减额 {yuan_text(amount)}",
            msg,
            rates[-1],
            rates[0],
            Decimal(0),
            "同一增减额与同一基数只能有一个增减率",
            "比率",
        ).at(cs[0])


@check("execution_rate_matches")
def execution_rates(v: DocView):
    claims = sorted(v.rows.get("core_claims", []), key=lambda c: c["seq"])
    for i, c in enumerate(claims):
        if c["claim_type"] != "execution_rate" or c["amount_yuan"] is None:
            continue
        budget = next(
            (
                x
                for x in reversed(claims[:i])
                if x["claim_type"] == "amount"
                and x["sentence"] == c["sentence"]
                and x["amount_yuan"] != c["amount_yuan"]
                and "预算" in (x["subject"] or "")
            ),
            None,
        )
        if budget is None or not budget["amount_yuan"]:
            yield Result(
                "execution_rate_matches",
                "final_vs_budget",
                "low",
                "not_applicable",
                f"「{c['subject']}」执行率",
                "句中未给出预算数，无法复核",
                value_unit="比率",
            ).at(c)
            continue
        implied = c["amount_yuan"] / budget["amount_yuan"]
        tol = ratio_tolerance(c["pct_printed"], implied, c, budget)
        yield compare(
            "execution_rate_matches",
            "final_vs_budget",
            "medium",
            f"「{c['subject']}」完成预算比例",
            c["pct_printed"],
            implied.quantize(Decimal("0.000001")),
            tol.quantize(Decimal("0.000001")),
            "完成率 = 决算数 ÷ 年初预算数",
            f"完成 {pct_text(c['pct_printed'])} = {yuan_text(c['amount_yuan'])} ÷ {yuan_text(budget['amount_yuan'])}",
            f"印为完成 {pct_text(c['pct_printed'])}，按 {yuan_text(c['amount_yuan'])} ÷ {yuan_text(budget['amount_yuan'])} "
            f"应为 {pct_text(implied)}",
            unit="比率",
            src=c,
        )


def _first(v: DocView, topic: str, want: str | None = None) -> dict | None:
    found = [
        c
        for c in v.claims(claim_type="amount", topic=topic)
        if c["amount_yuan"] is not None and (want is None or kind(c, v.info.get("stage")) == want)
    ]
    return min(found, key=lambda c: c["seq"]) if found else None


@check("stated_parts_add_up", "stated_change_parts_add_up")
def narrative_sums(v: DocView):
    """Totals stated in the text against their stated parts (the only arithmetic a text-only
    disclosure such as 香河's allows)."""
    specs = [
        ("expenditure", ("basic", "project"), "支出合计 = 基本支出 + 项目支出", "high"),
        ("basic", ("personnel", "public"), "基本支出 = 人员经费 + 公用经费", "high"),
        (
            "sangong_total",
            ("sangong_abroad", "sangong_vehicle_total", "sangong_reception"),
            "“三公”经费 = 因公出国(境) + 公务用车购置及运行 + 公务接待",
            "medium",
        ),
        (
            "sangong_vehicle_total",
            ("sangong_vehicle_purchase", "sangong_vehicle_operation"),
            "公务用车购置及运行 = 购置 + 运行维护",
            "medium",
        ),
    ]
    for (total_topic, part_topics, rule, severity), want in (
        (spec, want) for spec in specs for want in ("budget", "actual")
    ):
        total = _first(v, total_topic, want)
        parts = [_first(v, p, want) for p in part_topics]
        parts = [p for p in parts if p is not None]
        if total is None or len(parts) < 2:
            continue
        implied = sum(p["amount_yuan"] for p in parts)
        tol = claim_half_unit(total) + sum(claim_half_unit(p) for p in parts)
        yield compare(
            "stated_parts_add_up",
            "narrative",
            severity,
            f"情况说明：{rule}",
            total["amount_yuan"],
            implied,
            tol,
            rule,
            f"{rule}：{yuan_text(total['amount_yuan'])} 成立",
            f"{rule} 不成立：文中总数 {yuan_text(total['amount_yuan'])}，分项合计 {yuan_text(implied)}，相差 "
            f"{yuan_text(total['amount_yuan'] - implied)}",
            figure=summary_figure(total),
            src=total,
        )
    # A total change stated with its parts ("减少1940.12万元，其中：基本支出增加610.95万元…项目支出减少2551.06万元").
    changes = v.claims(claim_type="change")
    for c in changes:
        if c["topic"] not in ("expenditure", "total_grand") or c["amount_yuan"] is None:
            continue
        parts = [
            x
            for x in changes
            if x["topic"] in ("basic", "project")
            and x["amount_yuan"] is not None
            and x["seq"] > c["seq"]
            and x["compare_year"] in (c["compare_year"], None)
        ][:2]
        if len(parts) < 2:
            continue
        total = signed(c["amount_yuan"], c["direction"])
        implied = sum(signed(p["amount_yuan"], p["direction"]) for p in parts)
        tol = claim_half_unit(c) + sum(claim_half_unit(p) for p in parts)
        yield compare(
            "stated_change_parts_add_up",
            "narrative",
            "medium",
            "情况说明：总增减 = 基本支出增减 + 项目支出增减",
            total,
            implied,
            tol,
            "总增减额 = 各部分增减额之和（按印刷精度）",
            "总增减额与基本、项目支出增减额之和一致",
            f"总增减额 {yuan_text(total)} 与分项之和 {yuan_text(implied)} 不符",
            src=c,
        )


@check("flat_claim_compares_prior_year", "flat_claim_has_no_change")
def flat_claims(v: DocView):
    year = v.info.get("fiscal_year")
    for c in v.claims(claim_type="change"):
        if c["direction"] not in UNCHANGED_WORDS:
            continue
        if c["compare_year"] and year and c["compare_year"] not in (year, year - 1):
            yield Result(
                "flat_claim_compares_prior_year",
                "narrative",
                "low",
                "fail",
                f"「{c['subject'] or TOPIC_ZH.get(c['topic'], c['topic'])}」持平",
                f"文中称与 {c['compare_year']} 年相比持平，但本文件为 {year} 年，上年应为 {year - 1} 年",
                Decimal(c["compare_year"]),
                Decimal(year - 1),
                Decimal(0),
                "比较年度应为上一年度",
                "年度",
            ).at(c)
        if c["amount_yuan"] not in (None, 0):
            yield Result(
                "flat_claim_has_no_change",
                "narrative",
                "medium",
                "fail",
                f"「{c['subject']}」持平",
                f"文中称持平，却给出变动额 {yuan_text(c['amount_yuan'])}",
                c["amount_yuan"],
                Decimal(0),
                Decimal(0),
                "持平即变动额为 0",
            ).at(c)
