"""Two-sided summary tables: 收支总表 and 财政拨款收支总表 (revenue left, expenditure right).

Column roles come from the header row that prints 项目 once per side; 行次 columns are skipped.
Expenditure rows name function classes (类), matched to codes by name.
"""

from __future__ import annotations

import functools

from etl.facts import Facts
from etl.layout import LogicalTable
from etl.normalize import compact, key, parse_number
from etl.reference import function_codes
from etl.tables.common import match_measures, split_header, strip_numbering
from rules.templates import FISCAL_MEASURES, SUMMARY_ROW_KEYS


@functools.cache
def _row_keys() -> dict[str, str]:
    """Alias key -> row item, built once (not per row)."""
    out: dict[str, str] = {}
    for item, aliases in SUMMARY_ROW_KEYS:
        for a in aliases:
            out.setdefault(key(a), item)
    return out


def _row_key(label: str) -> str | None:
    k = key(label)
    if k in _row_keys():
        return _row_keys()[k]
    if k == "总计":
        return "grand_total"
    return None


@functools.cache
def _class_keys() -> list[tuple[str, str]]:
    """(code, name key) of the 类-level function classes, built once (not per row)."""
    return [(code, key(c.name).removesuffix("支出")) for code, c in function_codes().items() if c.level == "类"]


def _class_code(label: str) -> str | None:
    k = key(strip_numbering(label)).removesuffix("支出")
    if not k:
        return None
    for code, ref in _class_keys():
        if k == ref or (len(k) >= 4 and (ref.startswith(k) or k.startswith(ref))):
            return code
    return None


def parse_summary(t: LogicalTable, facts: Facts, ctx: dict) -> int:
    header, data = split_header(t.rows)
    label_cols: list[int] = []
    for r in header:
        cols = [i for i, c in enumerate(r.cells) if key(c).startswith("项目")]
        if len(cols) >= 2:
            label_cols = cols
            break
    if len(label_cols) < 2:
        facts.add(
            "core_parse_notes",
            table_id=t.table_id,
            table_title=t.title,
            note="未找到收入/支出两侧的“项目”列 (no two-sided header)",
        )
        return 0
    width = max(len(r.cells) for r in t.rows)
    skip = {i for r in header for i, c in enumerate(r.cells) if key(c) in ("行次", "栏次")}
    sides = [("revenue", label_cols[0], label_cols[1]), ("expenditure", label_cols[1], width)]
    count = 0
    for section, lo, hi in sides:
        cols = [i for i in range(lo + 1, hi) if i not in skip]
        side_header = [r.cells[i] for r in header for i in cols if i < len(r.cells)]
        measures = ["total"] if len(cols) == 1 else match_measures(side_header, FISCAL_MEASURES)
        measures = measures[: len(cols)]
        for r in data:
            label = compact(r.cells[lo]) if lo < len(r.cells) else ""
            if not label:
                continue
            item = _row_key(strip_numbering(label))
            code = None
            if item == "grand_total":
                item = f"{section}_grand_total"
            if item is None:
                code = _class_code(label) if section == "expenditure" else None
                item = "function_class" if code else f"{section}_item"
            for measure, col in zip(measures, cols):
                if col >= len(r.cells):
                    continue
                num = parse_number(r.cells[col])
                if num is None or num.blank:
                    continue
                facts.amount(
                    t,
                    r,
                    col,
                    num,
                    measure=measure,
                    section=section,
                    row_label=strip_numbering(label),
                    item_key=item,
                    function_code=code,
                )
                count += 1
    return count
