"""三公经费 tables: components by budget (预算数) and, in 决算, actual (决算数).

An empty table whose note says so ("故本表无数据", "本单位无三公经费", "此表为空表") is
disclosed-empty: the pipeline records the status, and its 三公 totals are 0 (the unit states it
had none), never NULL, which means not disclosed.
"""

from __future__ import annotations

from decimal import Decimal

from etl.facts import Facts
from etl.layout import LogicalTable
from etl.model import Row
from etl.normalize import ParsedNumber, compact, key, parse_number
from etl.tables.common import header_cells, split_header
from rules.templates import EMPTY_TABLE_NOTE, SANGONG_COMPONENTS


def _components(cells: list[str]) -> list[str]:
    out = []
    for c in cells:
        k = key(c)
        for name, aliases in SANGONG_COMPONENTS:
            if any(a in k for a in aliases):
                if name == "vehicle_purchase" and "运行" in k:
                    continue
                out.append(name)
                break
        else:
            if k == "小计":
                out.append("vehicle_total")
    # 小计 under 公务用车购置及运行费 is the group's own column; keep template order per block.
    seen, ordered = set(), []
    for name in out:
        if name not in seen:
            ordered.append(name)
            seen.add(name)
    order = [n for n, _a in SANGONG_COMPONENTS]
    return sorted(ordered, key=order.index)


def _stages(cells: list[str]) -> list[str]:
    """The stage of each column block the header names (预算数, 决算数); budget when none."""
    blocks = [k for k in (key(c) for c in cells) if k.endswith(("预算数", "决算数"))]
    return ["budget" if b.endswith("预算数") else "actual" for b in blocks] or ["budget"]


def stated_empty_totals(t: LogicalTable, facts: Facts) -> int:
    """A 三公 table printed empty whose note says so states a total of 0 for each stage its header
    names: "not disclosed is NULL, never 0; a table printed empty and said so is 0". The fact
    points at the note's line; no number was printed, so `amount_printed` stays empty."""
    said = [p for p in t.notes if EMPTY_TABLE_NOTE.search(compact(p.text))]
    note = said[0] if said else (t.notes[0] if t.notes else None)  # a note wrapped over lines
    if note is None:
        return 0
    where = Row(cells=[note.text], page=note.page, line=note.line, index=None, ref=note.ref, ocr=note.ocr)
    zero = ParsedNumber(Decimal(0), False, None, None)
    header, _data = split_header(t.rows)
    stages = list(dict.fromkeys(_stages(header_cells(header))))
    for stage in stages:
        facts.amount(t, where, None, zero, measure=stage, row_label="total", item_key="sangong_total")
    return len(stages)


def parse_sangong(t: LogicalTable, facts: Facts, ctx: dict) -> int:
    header, data = split_header(t.rows)
    cells = header_cells(header)
    components = _components(cells)
    stages = _stages(cells)
    count = 0
    for r in data:
        nums = [(i, parse_number(c)) for i, c in enumerate(r.cells)]
        nums = [(i, n) for i, n in nums if n is not None]
        if not any(not n.blank for _i, n in nums):
            continue
        per_block = len(components)
        for b, stage in enumerate(stages):
            chunk = nums[b * per_block : (b + 1) * per_block]
            for name, (col, num) in zip(components, chunk):
                if num.blank:
                    continue
                facts.amount(t, r, col, num, measure=stage, row_label=name, item_key=f"sangong_{name}")
                count += 1
    return count
