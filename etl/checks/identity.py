"""What the document says about itself: one unit name and one fiscal year throughout."""

from __future__ import annotations

import re
from decimal import Decimal

from etl.checks import DocView, Result, check
from etl.normalize import key

_LABELLED = re.compile(r"^(?:部门名称|单位名称|编制单位|单位)[:：]?(.+?(?:中心|所|局|站|院|处|办公室))")
_YEARED_TITLE = re.compile(r"((?:19|20)\d{2})年度?(?:部门|单位)?(?:预算|决算)")


@check("unit_name_consistent")
def unit_name_consistent(v: DocView):
    unit = v.info.get("unit_name")
    if not unit:
        return
    seen = set()
    for p in v.rows.get("raw_paragraphs", []) + v.rows.get("raw_cells", []):
        text = p["text"].replace(" ", "")
        for m in re.finditer(
            r"(?:部门名称|编制单位|单位名称|单位)[:：]([\u4e00-\u9fff]{4,30}?(?:中心|所|局|站|院|办公室))", text
        ):
            name = m.group(1)
            # One unit however it is spelled: the province or prefecture printed in front of it
            # on one page and not on another (the title is 河南省获嘉县…, a table says 获嘉县…).
            if key(name) in key(unit) or key(unit) in key(name) or name in seen:
                continue
            seen.add(name)
            yield Result(
                "unit_name_consistent",
                "identity",
                "low",
                "fail",
                "单位名称",
                f"文件中出现另一单位名称“{name}”，与本文件单位“{unit}”不一致（可能套用了其他单位的表格）",
                evidence=p["text"],
            ).at(p)


@check("stated_year_consistent")
def stated_year_consistent(v: DocView):
    year = v.info.get("fiscal_year")
    if not year:
        return
    for p in v.rows.get("raw_paragraphs", []):
        text = p["text"].replace(" ", "")
        if len(text) > 60 or re.search(r"较|比|与|相比|。", text):
            continue  # titles and headings only, not comparisons
        for m in _YEARED_TITLE.finditer(text):
            y = int(m.group(1))
            if y != year:
                yield Result(
                    "stated_year_consistent",
                    "identity",
                    "low",
                    "fail",
                    "标题年度",
                    f"标题或目录写作 {y} 年，而本文件为 {year} 年度",
                    Decimal(y),
                    Decimal(year),
                    Decimal(0),
                    "标题年度应等于预决算年度",
                    "年度",
                    evidence=p["text"],
                ).at(p)
