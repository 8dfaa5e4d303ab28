"""三公经费 tables: components by budget (预算数) and, in 决算, actual (决算数).

An empty table whose note says so ("故本表无数据") is disclosed-empty; the pipeline records the
status and the narrative supplies the zero amounts it states.
"""

from __future__ import annotations

from etl.facts import Facts
from etl.layout import LogicalTable
from etl.normalize import key, parse_number
from etl.tables.common import header_cells, split_header
from rules.templates import SANGONG_COMPONENTS


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


def parse_sangong(t: LogicalTable, facts: Facts, ctx: dict) -> int:
    header, data = split_header(t.rows)
    cells = header_cells(header)
    components = _components(cells)
    blocks = [k for k in (key(c) for c in cells) if k.endswith(("预算数", "决算数"))]
    stages = ["budget" if b.endswith("预算数") else "actual" for b in blocks] or ["budget"]
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
