"""项目支出表: one row per project with its type (其他运转类 / 特定目标类) and amount (合计)."""

from __future__ import annotations

from etl.facts import Facts
from etl.layout import LogicalTable
from etl.normalize import compact, key, parse_number
from etl.tables.common import is_code, split_header


def _col(header, *names: str) -> int | None:
    for r in header:
        for i, c in enumerate(r.cells):
            if key(c) in names:
                return i
    return None


def parse_projects(t: LogicalTable, facts: Facts, ctx: dict) -> int:
    header, data = split_header(t.rows)
    name_col = _col(header, "项目名称")
    type_col = _col(header, "类型", "项目类型", "项目类别")
    total_col = _col(header, "合计", "项目金额", "金额")
    if name_col is None or total_col is None:
        return 0
    count = 0
    for r in data:
        cells = r.cells + [""] * (total_col + 1 - len(r.cells))
        name = compact(cells[name_col])
        num = parse_number(cells[total_col])
        if num is None or num.blank:
            continue
        if not name or is_code(name):
            item = "total" if not name else "unit"
            facts.amount(t, r, total_col, num, measure="total", row_label=name or "合计", item_key=item)
            continue
        facts.amount(t, r, total_col, num, measure="total", row_label=name, item_key="project")
        facts.project(t, r, name, num, project_type=compact(cells[type_col]) if type_col is not None else None)
        count += 1
    return count
