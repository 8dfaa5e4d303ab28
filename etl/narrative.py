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

from etl.layout import looks_like_title
from etl.model import Document
from etl.normalize import compact, to_yuan

_HEADING = re.compile(
    r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d+[.、．](?!\d))"
)
_SKIP = re.compile(r"^(单位|金额单位|部门名称|单位名称|编制单位|截止时间|注|备注|公开\d+表)")
_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)(万元|亿元|元)")
_PCT = re.compile(r"(\d+(?:\.\d+)?)%")
_DIRECTION = re.compile(r"(增加|减少|增长|下降|上升|降低|持平|无变化|没有变化|保持一致|无增减)")
_COMPARE = re.compile(r"(?:与|较|比)(\d{4})年(?:度)?(年初)?(预算|决算)?(?:数)?(?:相比)?")
_COUNT = re.compile(r"(\d+)(辆|台\(套\)|台|套|平方米|个|人次)")
_REASON = re.compile(r"主要原因(?:是|为)?[:：]?(.*)$")

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
    ("gpb_expenditure", r"一般公共预算(财政拨款)?支出|一般公共预算收支"),
    ("total_grand", r"收[、,]?支总计|收入总计|支出总计"),
    ("revenue", r"收入合计|预算收入|本年收入"),
    ("expenditure", r"支出合计|支出预算|收支预算|收支安排|预算收支"),
    ("econ_wages", r"工资福利支出"),
    ("econ_goods_services", r"商品和服务支出"),
    ("econ_family_subsidy", r"对个人和家庭的?补助"),
    ("econ_debt_interest", r"债务利息"),
    ("econ_capital", r"资本性支出"),
    ("econ_other", r"其他支出"),
]
DECREASE = ("减少", "下降", "降低")


@dataclass
class Sentence:
    text: str
    page: int
    line: int | None


def sentences(doc: Document) -> list[Sentence]:
    out: list[Sentence] = []
    buf, start = "", None

    def flush():
        nonlocal buf, start
        if buf.strip():
            out.append(Sentence(buf, start.page, start.line))
        buf, start = "", None

    for p in doc.paragraphs():
        t = compact(p.text).replace(" ", "")
        if not t:
            continue
        if _SKIP.match(t) or looks_like_title(t):
            flush()
            continue
        if _HEADING.match(t):
            flush()
        if start is None:
            start = p
        buf += t
        while True:
            m = re.search(r"[。；;!?！？]", buf)
            if not m:
                break
            head, buf = buf[: m.end()], buf[m.end() :]
            out.append(Sentence(head, start.page, start.line))
            start = p if buf else None
    flush()
    return out


def topic_of(subject: str) -> str | None:
    for topic, pattern in TOPICS:
        if re.search(pattern, subject):
            return topic
    return None


def _subject(clause: str, end: int) -> str:
    s = clause[:end]
    s = _COMPARE.sub("", s)
    s = re.sub(r"^.*?以下方面[:：]", "", s)
    s = re.sub(r"^(其中|包括|具体|主要用于|分别为|其次|一是|二是|三是)[:：]?", "", s)
    return s.strip("，,：:（(")


def extract_claims(doc: Document, fiscal_year: int | None, doc_stage: str | None) -> tuple[list[dict], list[dict]]:
    claims: list[dict] = []
    priors: list[dict] = []
    for sent in sentences(doc):
        compare = _COMPARE.search(sent.text)
        year = int(compare.group(1)) if compare else None
        cstage = None
        if compare:
            cstage = {"预算": "budget", "决算": "final"}.get(compare.group(3) or "", doc_stage)
        sentence_claims: list[dict] = []
        reason = _REASON.search(sent.text)
        for clause in re.split(r"[，；;。]|,(?!\d{3})", sent.text):
            if not clause:
                continue
            amounts = list(_AMOUNT.finditer(clause))
            pcts = list(_PCT.finditer(clause))
            direction = _DIRECTION.search(clause)
            base = dict(
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
            if pcts and re.search(r"完成(年初|全年)?预算(数)?的", clause):
                last = next((x for x in reversed(sentence_claims) if x["claim_type"] == "amount"), None)
                c = dict(
                    base,
                    claim_type="execution_rate",
                    subject=last["subject"] if last else None,
                    topic=last["topic"] if last else None,
                    pct_printed=Decimal(pcts[0].group(1)) / 100,
                )
                if last:
                    c.update(
                        amount_yuan=last["amount_yuan"],
                        amount_printed=last["amount_printed"],
                        printed_unit=last["printed_unit"],
                    )
                sentence_claims.append(c)
                continue
            if "占" in clause and pcts:
                subj = _subject(clause, clause.index("占"))
                amt = amounts[0] if amounts else None
                c = dict(
                    base,
                    claim_type="share",
                    subject=subj,
                    topic=topic_of(subj),
                    pct_printed=Decimal(pcts[0].group(1)) / 100,
                )
                if amt:
                    c.update(
                        amount_yuan=to_yuan(Decimal(amt.group(1).replace(",", "")), amt.group(2)),
                        amount_printed=amt.group(1),
                        printed_unit=amt.group(2),
                    )
                    c["subject"] = _subject(clause, amt.start()) or subj
                    c["topic"] = topic_of(c["subject"]) or c["topic"]
                elif not subj:
                    # "基本支出 70.8 万元，占 1.21%": the share belongs to the amount just stated.
                    last = next((x for x in reversed(sentence_claims) if x["claim_type"] == "amount"), None)
                    if last:
                        c.update(
                            subject=last["subject"],
                            topic=last["topic"],
                            amount_yuan=last["amount_yuan"],
                            amount_printed=last["amount_printed"],
                            printed_unit=last["printed_unit"],
                        )
                sentence_claims.append(c)
                continue
            if direction and (
                amounts or pcts or direction.group(1) in ("持平", "无变化", "没有变化", "保持一致", "无增减")
            ):
                subj = _subject(clause, direction.start()).rstrip("各均共")
                change = None
                if amounts:
                    amt = amounts[0]
                    change = to_yuan(Decimal(amt.group(1).replace(",", "")), amt.group(2))
                pct = Decimal(pcts[0].group(1)) / 100 if pcts else None
                prev = next((c for c in reversed(sentence_claims) if c["claim_type"] == "change"), None)
                if not subj and prev is not None and change is None:
                    prev["pct_printed"] = prev["pct_printed"] if prev["pct_printed"] is not None else pct
                    continue
                topic = topic_of(subj) if subj else None
                if topic is None and prev is None:
                    last = next((c for c in reversed(claims[-3:] + sentence_claims) if c["topic"]), None)
                    topic = last["topic"] if last else None
                c = dict(
                    base,
                    claim_type="change",
                    subject=subj or None,
                    topic=topic,
                    direction=direction.group(1),
                    pct_printed=pct,
                    compare_year=year,
                    compare_stage=cstage,
                )
                if amounts:
                    c.update(amount_yuan=change, amount_printed=amounts[0].group(1), printed_unit=amounts[0].group(2))
                sentence_claims.append(c)
                continue
            prev_end = 0
            for amt in amounts:
                subj = _subject(clause[prev_end:], amt.start() - prev_end).lstrip("和及、与")
                prev_end = amt.end()
                topic = topic_of(subj)
                if topic is None and re.fullmatch(r"(支出)?(决算|预算)(数)?(为|是)?", subj or ""):
                    # "预算为 X 元，支出决算为 Y 元": Y continues X's topic
                    topic = next((c["topic"] for c in reversed(sentence_claims) if c["topic"]), None)
                sentence_claims.append(
                    dict(
                        base,
                        claim_type="amount",
                        subject=subj or None,
                        topic=topic,
                        amount_yuan=to_yuan(Decimal(amt.group(1).replace(",", "")), amt.group(2)),
                        amount_printed=amt.group(1),
                        printed_unit=amt.group(2),
                    )
                )
            if not amounts and re.search(r"车辆|资产|房屋|设备", sent.text):
                for cnt in _COUNT.finditer(clause):
                    subj = _subject(clause, cnt.start())
                    sentence_claims.append(
                        dict(
                            base,
                            claim_type="count",
                            subject=subj or None,
                            topic="assets",
                            count_value=int(cnt.group(1)),
                            count_unit=cnt.group(2),
                        )
                    )
        changes = [c for c in sentence_claims if c["claim_type"] == "change"]
        if reason and changes:
            changes[-1]["reason"] = reason.group(1).rstrip("。；;") or None
        elif reason and claims and not sentence_claims:
            last_change = next((c for c in reversed(claims) if c["claim_type"] == "change"), None)
            if last_change and last_change["reason"] is None and last_change["page"] == sent.page:
                last_change["reason"] = reason.group(1).rstrip("。；;") or None
        for c in changes:
            current = _current(c, sentence_claims, claims)
            if current is None:
                continue
            c["current_amount_yuan"] = current
            if c["compare_year"] and fiscal_year and c["compare_year"] < fiscal_year and c["amount_yuan"] is not None:
                sign = -1 if c["direction"] in DECREASE else 1
                priors.append(
                    dict(
                        fiscal_year=c["compare_year"],
                        stage=c["compare_stage"],
                        topic=c["topic"],
                        subject=c["subject"],
                        amount_yuan=current - sign * c["amount_yuan"],
                        current_amount_yuan=current,
                        derived_from="current amount − stated change",
                        sentence=c["sentence"],
                        page=c["page"],
                        line=c["line"],
                    )
                )
        claims.extend(sentence_claims)
    for i, c in enumerate(claims):
        c["seq"] = i
    return claims, priors


def _current(change: dict, same: list[dict], before: list[dict]) -> Decimal | None:
    """The current-year amount a change refers to: same topic, nearest before it."""
    idx = same.index(change)
    pool = [c for c in same[:idx] if c["claim_type"] == "amount"]
    for c in reversed(pool):
        if change["topic"] and c["topic"] == change["topic"]:
            return c["amount_yuan"]
    for c in reversed(before):
        if c["claim_type"] == "amount" and change["topic"] and c["topic"] == change["topic"]:
            return c["amount_yuan"]
    if pool:
        return pool[-1]["amount_yuan"]
    return None
