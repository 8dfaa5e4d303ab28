"""Claims stated in the 情况说明 text: amounts, year-over-year changes, shares, reasons, counts.

The text and PDF renderings wrap lines differently, so sentences are rebuilt from the paragraph
stream (whitespace removed, split at 。 and ；, new sentence at each numbered heading). Each claim
keeps its sentence. A change stated against an earlier year ("与2023年预算相比…增加606.99万元")
also yields a prior-year fact: current − change, stored as stated by this document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from etl.model import Document
from etl.normalize import UNIT_PATTERN, compact, looks_like_title, to_yuan
from etl.reference import function_codes
from rules.changes import DIRECTION_WORDS, REASON_WORD, UNCHANGED_WORDS, prior_from_change
from rules.labels import STAGE_FROM_ZH
from rules.units import UNIT_SHORT_FORMS

_HEADING = re.compile(
    r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d+[.、．](?!\d))"
)
_SKIP = re.compile(r"^(单位|金额单位|部门名称|单位名称|编制单位|截止时间|注|备注|公开\d+表)")
_AMOUNT = re.compile(rf"(\d[\d,]*(?:\.\d+)?)({UNIT_PATTERN}|(?:{'|'.join(UNIT_SHORT_FORMS)})(?=[(（)），,。；;、]|$))")
_PCT = re.compile(r"(\d+(?:\.\d+)?)%")
_DIRECTION = re.compile("(" + "|".join(DIRECTION_WORDS) + ")")
_COMPARE = re.compile(r"(?:与|较|比)(\d{4})年(?:度)?(年初)?(预算|决算)?(?:数)?(?:相比)?")
# "较上年决算数", "比去年": the year before the document's own fiscal year.
_COMPARE_PREVIOUS = re.compile(r"(?:与|较|比)(?:上年度|上一年度?|上年|去年)(年初)?(预算|决算)?(?:数)?(?:相比)?")
# A section heading kept in front of its first sentence ("七、…情况说明", "(二)…情况说明").
_HEADING_LEAD = re.compile(
    r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d+[.、．](?!\d))"
    r"[^，,。；;]{0,60}?(?:情况说明|说明|情况)(?=.)"
)
# Where a sentence gives its reasons: amounts stated there ("…主要原因是…未使用公务接待费8.27万元")
# explain a figure and are no figure of the document.
_REASON_START = re.compile(REASON_WORD)
_COUNT = re.compile(r"(\d+)(辆|台\(套\)|台|套|平方米|个|人次)")
_REASON = re.compile(rf"主要{REASON_WORD}(?:是|为)?[:：]?(.*)$")


def _function_classes() -> str:
    """The 功能分类 类 names ("社会保障和就业支出", "住房保障支出"…) as one pattern: an amount stated
    for a function class is one line of the expenditure, never the total. 其他支出 is left to the
    economic topic of that name."""
    names = sorted(
        (c.name for c in function_codes().values() if c.level == "类" and c.name != "其他支出"), key=len, reverse=True
    )
    return "|".join(re.escape(re.sub(r"支出$", "", n)) + r"(?:支出|类)" for n in names)


TOPICS: list[tuple[str, str]] = [
    ("econ_wages", r"^\d*[.、]?工资福利支出"),
    ("econ_goods_services", r"^\d*[.、]?商品和服务支出"),
    ("econ_family_subsidy", r"^\d*[.、]?对个人和家庭的?补助"),
    ("econ_debt_interest", r"^\d*[.、]?债务利息"),
    ("econ_capital", r"^\d*[.、]?资本性支出"),
    ("econ_other", r"^\d*[.、]?其他支出"),
    ("sangong_abroad", r"因公出国"),
    ("sangong_reception", r"公务接待"),
    ("sangong_vehicle_total", r"公务用车购置及运"),
    ("sangong_vehicle_purchase", r"公务用车购置"),
    ("sangong_vehicle_operation", r"公务用车运"),
    ("sangong_total", r"三公"),
    ("operating_cost", r"机关运行经费|机构运转经费|运行经费"),
    ("gov_fund", r"政府性基金"),
    ("soe_capital", r"国有资本经营"),
    ("procurement", r"政府采购"),
    ("personnel", r"人员经费|人员类项目经费"),
    ("public", r"公用经费|公用项目经费"),
    ("basic", r"基本支出"),
    ("project", r"项目支出"),
    ("function_class", _function_classes()),
    ("gpb_expenditure", r"一般公共预算(财政拨款)?支出|一般公共预算收支"),
    ("total_grand", r"收[、,]?支总计|收入总计|支出总计"),
    ("fiscal_revenue", r"财政拨款收入"),
    ("revenue", r"收入合计|预算收入|本年收入|收入预算"),
    ("expenditure", r"支出合计|支出预算|收支预算|收支安排|预算收支"),
    # A bare 收入 / 支出 / 收支 ("收入较去年减少6.36万元"): the unit's totals.
    ("revenue", r"^收入$"),
    ("expenditure", r"^支出$"),
    ("total_grand", r"^收支$"),
    ("econ_wages", r"工资福利支出"),
    ("econ_goods_services", r"商品和服务支出"),
    ("econ_family_subsidy", r"对个人和家庭的?补助"),
    ("econ_debt_interest", r"债务利息"),
    ("econ_capital", r"资本性支出"),
    ("econ_other", r"其他支出"),
]

# The figure a statement is about, by topic: names of county_year_summary columns where the figure
# is one of them, else the topic. A change is only ever compared with the same figure: 收支总计
# includes 年初结转和结余, so its change is not a change of 本年支出合计.
FIGURE_OF_TOPIC = {
    "total_grand": "grand_total",
    "revenue": "total_revenue",
    "expenditure": "total_expenditure",
    "gpb_expenditure": "gpb_expenditure",
    "basic": "basic_expenditure",
    "project": "project_expenditure",
    "personnel": "personnel_expenditure",
    "public": "public_expenditure",
    "fiscal_revenue": "fiscal_revenue",
    # Lines of the expenditure by function class: a figure of their own, never a total.
    "function_class": None,
}
# 财政拨款收、支总计 / 财政拨款收入 are the 财政拨款收支总表's figures, not the whole department's.
FISCAL_FIGURE = {
    "grand_total": "fiscal_grand_total",
    "total_revenue": "fiscal_revenue",
    "total_expenditure": "fiscal_expenditure",
}


@dataclass
class Sentence:
    text: str
    page: int
    line: int | None


_END = re.compile(r"[。；;!?！？]")
# A page number on a line of its own ("5", "- 5 -", "第5页", "5/20"): PDFs and their text copies
# print it right before the first words of the next page, so a sentence running over the page
# break would take it in and "5" + "1154610.5元" would read as 51,154,610.5 元. Up to three
# digits: a year on its own line ("2024") is not a page number.
_PAGE_NUMBER = re.compile(r"^(?:[-—–]?\d{1,3}[-—–]?|第\d{1,3}页|\d{1,3}/\d{1,3})$")


def sentences(doc: Document) -> list[Sentence]:
    """The 情况说明 as sentences with the page/line where each begins. A bare section heading
    ("七、…情况说明") stays in front of the sentence that follows it (its words help say what the
    sentence is about), but the sentence's line is that of its first words of body text."""
    out: list[Sentence] = []
    buf, start, lead = "", None, None

    def flush():
        nonlocal buf, start, lead
        where = start or lead
        if buf.strip():
            out.append(Sentence(buf, where.page, where.line))
        buf, start, lead = "", None, None

    for p in doc.paragraphs():
        t = compact(p.text).replace(" ", "")
        if not t:
            continue
        if _PAGE_NUMBER.match(t):
            continue
        if _SKIP.match(t) or looks_like_title(t):
            flush()
            continue
        if _HEADING.match(t):
            flush()
            if not _END.search(t):
                buf, lead = t, p
                continue
        if start is None:
            start = p
        buf += t
        while True:
            m = _END.search(buf)
            if not m:
                break
            head, buf = buf[: m.end()], buf[m.end() :]
            out.append(Sentence(head, start.page, start.line))
            start = p if buf else None
    flush()
    return out


def stated_amounts(doc: Document) -> dict[Decimal, set[str]]:
    """Every amount the document's statements print, by value, with the units it is printed in
    ("支出总计5854.76万元" → {5854.76: {"万元"}}): what a table without a printed unit is compared with."""
    out: dict[Decimal, set[str]] = {}
    for sent in sentences(doc):
        for m in _AMOUNT.finditer(sent.text):
            out.setdefault(Decimal(m.group(1).replace(",", "")), set()).add(_unit(m))
    return out


def topic_of(subject: str) -> str | None:
    for topic, pattern in TOPICS:
        if re.search(pattern, subject):
            return topic
    return None


def figure_of(topic: str | None, subject: str | None) -> str | None:
    """The figure a statement with this topic and subject is about (see FIGURE_OF_TOPIC)."""
    if topic is None:
        return None
    figure = FIGURE_OF_TOPIC.get(topic, topic)
    if figure is None:
        return None
    if figure == "sangong_total" and subject:
        # "支出预算为37.11万元，支出决算为13.49万元": the budget and the actual 三公 of a 决算
        # statement (决算 wins: 一般公共预算 names a source, not a budget figure).
        if "决算" in subject:
            return "sangong_actual"
        if "预算" in subject:
            return "sangong_budget"
    if subject and "财政拨款" in subject:
        figure = FISCAL_FIGURE.get(figure, figure)
    return figure


def _subject(clause: str, end: int) -> str:
    s = clause[:end]
    s = _COMPARE_PREVIOUS.sub("", _COMPARE.sub("", s))
    s = re.sub(r"^.*?以下方面[:：]", "", s)
    s = re.sub(r"^(其中|包括|具体|主要用于|分别为|其次|一是|二是|三是)[:：]?", "", s)
    return s.strip("，,：:（(")


def _last(claims: list[dict], claim_type: str) -> dict | None:
    return next((x for x in reversed(claims) if x["claim_type"] == claim_type), None)


def _unit(m: re.Match) -> str:
    """The unit of an _AMOUNT match, a short form ("0.39万") under its full name."""
    return UNIT_SHORT_FORMS.get(m.group(2), m.group(2))


def _money(m: re.Match) -> dict:
    """amount_yuan / amount_printed / printed_unit of one printed amount ("606.99万元")."""
    return dict(
        amount_yuan=to_yuan(Decimal(m.group(1).replace(",", "")), _unit(m)),
        amount_printed=m.group(1),
        printed_unit=_unit(m),
    )


def _same_amount(c: dict) -> dict:
    return dict(amount_yuan=c["amount_yuan"], amount_printed=c["amount_printed"], printed_unit=c["printed_unit"])


def _base(sent: Sentence) -> dict:
    return dict(
        sentence=sent.text,
        page=sent.page,
        line=sent.line,
        compare_year=None,
        compare_stage=None,
        direction=None,
        amount_yuan=None,
        amount_printed=None,
        printed_unit=None,
        pct_printed=None,
        reason=None,
        count_value=None,
        count_unit=None,
        current_amount_yuan=None,
    )


def _execution_rate(base: dict, pcts: list, same: list[dict]) -> dict:
    last = _last(same, "amount")
    c = dict(
        base,
        claim_type="execution_rate",
        subject=last["subject"] if last else None,
        topic=last["topic"] if last else None,
        pct_printed=Decimal(pcts[0].group(1)) / 100,
    )
    if last:
        c.update(_same_amount(last))
    return c


def _share(clause: str, base: dict, amounts: list, pcts: list, same: list[dict]) -> dict:
    subj = _subject(clause, clause.index("占"))
    c = dict(base, claim_type="share", subject=subj, topic=topic_of(subj), pct_printed=Decimal(pcts[0].group(1)) / 100)
    if amounts:
        c.update(_money(amounts[0]))
        c["subject"] = _subject(clause, amounts[0].start()) or subj
        c["topic"] = topic_of(c["subject"]) or c["topic"]
    elif not subj:
        # "基本支出 70.8 万元，占 1.21%": the share belongs to the amount just stated.
        last = _last(same, "amount")
        if last:
            c.update(subject=last["subject"], topic=last["topic"], **_same_amount(last))
    return c


def _change(clause, base, amounts, pcts, direction, same, before, compare) -> dict | None:
    """A change ("增加606.99万元，增长11.57%"); None when the clause only adds a rate to the change
    just stated ("…增加X万元，增长Y%")."""
    subj = _subject(clause, direction.start()).rstrip("各均共")
    pct = Decimal(pcts[0].group(1)) / 100 if pcts else None
    prev = _last(same, "change")
    if not subj and prev is not None and not amounts:
        prev["pct_printed"] = prev["pct_printed"] if prev["pct_printed"] is not None else pct
        return None
    topic = topic_of(subj) if subj else None
    if topic is None and prev is None:
        own = _last(same, "amount")
        if own is not None:
            # "年末结转和结余1.11万元，较上年决算数减少150.07万元": the amount of its own sentence,
            # whatever its topic (none here), not the topic of a sentence before.
            topic = own["topic"]
        else:
            last = next((c for c in reversed(before[-3:]) if c["topic"] and c["topic"] != "function_class"), None)
            topic = last["topic"] if last else None
    c = dict(
        base,
        claim_type="change",
        subject=subj or None,
        topic=topic,
        direction=direction.group(1),
        pct_printed=pct,
        compare_year=compare[0],
        compare_stage=compare[1],
    )
    if amounts:
        c.update(_money(amounts[0]))
    return c


_BARE_TOPICS = ("revenue", "expenditure", "total_grand")


def _amounts(clause: str, base: dict, amounts: list, same: list[dict]) -> list[dict]:
    out, prev_end = [], 0
    for amt in amounts:
        subj = _subject(clause[prev_end:], amt.start() - prev_end).lstrip("和及、与")
        prev_end = amt.end()
        topic = topic_of(subj)
        if topic is None and re.fullmatch(r"(支出)?(决算|预算)(数)?(为|是)?", subj or ""):
            # "预算为 X 元，支出决算为 Y 元": Y continues X's topic
            topic = next((c["topic"] for c in reversed(same + out) if c["topic"]), None)
        elif topic in _BARE_TOPICS and re.fullmatch(r"收入|支出|收支", subj or ""):
            # "国有资本经营预算财政拨款本年收入0.00元，支出0.00元": a bare 支出 after an amount of a
            # narrower subject continues that subject; it is the unit's total only on its own.
            narrower = [c["topic"] for c in same + out if c["topic"] and c["topic"] not in _BARE_TOPICS]
            topic = narrower[-1] if narrower and narrower[-1] != "function_class" else topic
        # The subject as stored names what the amount is, not the section heading in front of it
        # ("七、…“三公”经费支出决算情况说明2023年度“三公”经费支出预算为"): the warehouse reads 预算
        # or 决算 from it.
        subj = _HEADING_LEAD.sub("", subj or "", count=1) or subj
        out.append(dict(base, claim_type="amount", subject=subj or None, topic=topic, **_money(amt)))
    return out


def _counts(clause: str, base: dict) -> list[dict]:
    return [
        dict(
            base,
            claim_type="count",
            subject=_subject(clause, cnt.start()) or None,
            topic="assets",
            count_value=int(cnt.group(1)),
            count_unit=cnt.group(2),
        )
        for cnt in _COUNT.finditer(clause)
    ]


def _clause_claims(clause: str, sent: Sentence, same: list[dict], before: list[dict], compare: tuple) -> list[dict]:
    """The claims one clause states: an execution rate, a share, a change, amounts or counts."""
    amounts, pcts = list(_AMOUNT.finditer(clause)), list(_PCT.finditer(clause))
    direction = _DIRECTION.search(clause)
    base = _base(sent)
    if pcts and re.search(r"完成(年初|全年)?预算(数)?的", clause):
        return [_execution_rate(base, pcts, same)]
    if "占" in clause and pcts:
        return [_share(clause, base, amounts, pcts, same)]
    if direction and (amounts or pcts or direction.group(1) in UNCHANGED_WORDS):
        c = _change(clause, base, amounts, pcts, direction, same, before, compare)
        return [c] if c else []
    if amounts:
        return _amounts(clause, base, amounts, same)
    if re.search(r"车辆|资产|房屋|设备", sent.text):
        return _counts(clause, base)
    return []


def _attach_reason(sent: Sentence, same: list[dict], before: list[dict]) -> None:
    """主要原因 goes to the last change of the sentence, or to the change just before on the page."""
    reason = _REASON.search(sent.text)
    if not reason:
        return
    text = reason.group(1).rstrip("。；;") or None
    changes = [c for c in same if c["claim_type"] == "change"]
    if changes:
        changes[-1]["reason"] = text
    elif before and not same:
        last_change = _last(before, "change")
        if last_change and last_change["reason"] is None and last_change["page"] == sent.page:
            last_change["reason"] = text


# A prior-year fact names the 三公 total as the cross-document check reads that year's tables
# (sangong_total of the stage it states); sangong_budget / sangong_actual name a statement's kind.
_PRIOR_FIGURE = {"sangong_actual": "sangong_total", "sangong_budget": "sangong_total"}


def _prior_fact(c: dict, current: Decimal) -> dict:
    return dict(
        fiscal_year=c["compare_year"],
        stage=c["compare_stage"],
        topic=c["topic"],
        figure=_PRIOR_FIGURE.get(c["figure"], c["figure"]),
        subject=c["subject"],
        amount_yuan=prior_from_change(current, c["amount_yuan"], c["direction"]),
        current_amount_yuan=current,
        derived_from="current amount − stated change",
        sentence=c["sentence"],
        page=c["page"],
        line=c["line"],
    )


def _compared_with(text: str, fiscal_year: int | None, doc_stage: str | None) -> tuple:
    """(year, stage) a sentence's changes are stated against: a year it names, else 上年/去年 as the
    year before the document's fiscal year."""
    if m := _COMPARE.search(text):
        return int(m.group(1)), STAGE_FROM_ZH.get(m.group(3) or "", doc_stage)
    if fiscal_year and (m := _COMPARE_PREVIOUS.search(text)):
        return fiscal_year - 1, STAGE_FROM_ZH.get(m.group(2) or "", doc_stage)
    return None, None


def extract_claims(doc: Document, fiscal_year: int | None, doc_stage: str | None) -> tuple[list[dict], list[dict]]:
    claims: list[dict] = []
    priors: list[dict] = []
    for sent in sentences(doc):
        compare = _compared_with(sent.text, fiscal_year, doc_stage)
        same: list[dict] = []
        in_reason = False
        for clause in re.split(r"[，；;。]|,(?!\d{3})", sent.text):
            if not clause:
                continue
            in_reason = in_reason or bool(_REASON_START.search(clause))
            stated = _clause_claims(clause, sent, same, claims, compare)
            if in_reason:
                for c in stated:
                    if c["claim_type"] == "amount":
                        c["topic"] = None
            same.extend(stated)
        _attach_reason(sent, same, claims)
        for c in same:
            c["figure"] = figure_of(c["topic"], c["subject"])
        for c in (c for c in same if c["claim_type"] == "change"):
            current = _current(c, same, claims)
            if current is None:
                continue
            c["current_amount_yuan"] = current
            if c["compare_year"] and fiscal_year and c["compare_year"] < fiscal_year and c["amount_yuan"] is not None:
                priors.append(_prior_fact(c, current))
        claims.extend(same)
    for i, c in enumerate(claims):
        c["seq"] = i
    return claims, priors


def _current(change: dict, same: list[dict], before: list[dict]) -> Decimal | None:
    """The current-year amount a change refers to: the nearest amount before it of the same topic
    (its own clause or sentence first, then the sentences before). A change whose subject names a
    topic is never tied to an amount of another topic ("支出预算较2024年增加64.46万元" after
    "住房保障支出预算24.56万元"); only a change without a topic takes the amount just stated."""
    idx = same.index(change)
    pool = [c for c in same[:idx] if c["claim_type"] == "amount"]
    if change["topic"]:
        for c in reversed([c for c in before if c["claim_type"] == "amount"] + pool):
            if c["topic"] == change["topic"]:
                return c["amount_yuan"]
        return None
    if pool and pool[-1]["topic"] != "function_class":
        return pool[-1]["amount_yuan"]
    return None
