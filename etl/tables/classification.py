"""Function-classified tables: 支出表, 一般公共预算支出表, 收入表, 政府性基金 / 国有资本经营 tables.

Rows are 类/款/项 lines (codes over one or three cells) with amounts per template column. Codes are
checked against the 政府收支分类科目 reference; truncated codes are recovered from the name.
"""

from __future__ import annotations

from collections import Counter

from etl.facts import Facts
from etl.layout import LogicalTable
from etl.normalize import compact, key, parse_number
from etl.reference import function_codes, resolve_code
from etl.tables.common import (
    fit_columns,
    header_cells,
    looks_like_org,
    match_measures,
    parse_label,
    split_header,
    strip_numbering,
    value_cells,
    value_columns,
)
from rules.templates import EXPENDITURE_IDENTITIES, EXPENDITURE_MEASURES, INCOME_MEASURES

LEVELS = {3: "类", 5: "款", 7: "项"}


def _parse(t: LogicalTable, facts: Facts, template, identities, require_total: bool) -> int:
    header, data = split_header(t.rows)
    measures = match_measures(header_cells(header), template)
    if not measures or (require_total and "total" not in measures):
        cols = _by_column(header, template)
        if cols and (not require_total or "total" in cols):
            labelled = [(r, *parse_label(r.cells)) for r in data]
            rows = [
                (
                    r,
                    code,
                    name,
                    [r.cells[c] if c < len(r.cells) else "" for c in cols.values()],
                    [c if c < len(r.cells) else None for c in cols.values()],
                )
                for r, code, name, _i in labelled
                if name is not None
            ]
            facts.add("core_parse_notes", table_id=t.table_id, table_title=t.title, note="按列读取分组表头")
            return _emit(t, facts, rows, list(cols), list(range(len(cols))))
        facts.add(
            "core_parse_notes",
            table_id=t.table_id,
            table_title=t.title,
            note="表头与国家模板不符，未解析金额 (header does not match the template)",
        )
        return 0
    labelled = [(r, code, name, idx) for r in data for code, name, idx in [parse_label(r.cells)] if name is not None]
    usual = _usual_value_start(labelled)
    rows = []
    for r, code, name, idx in labelled:
        start = _value_start(r.cells, idx + 1, usual)
        rows.append(
            (r, code, name, value_cells(r.cells, start, len(measures)), value_columns(r.cells, start, len(measures)))
        )
    mapping, why = fit_columns([v for *_x, v, _c in rows], measures, identities)
    if why != "as printed":
        facts.add("core_parse_notes", table_id=t.table_id, table_title=t.title, note=f"列对齐按勾稽关系调整：{why}")
    return _emit(t, facts, rows, measures, mapping)


def _usual_value_start(labelled) -> int | None:
    """The cell where most rows' values start (after 编码 | 名称): the column grid of the table."""
    starts = Counter(idx + 1 for *_x, idx in labelled)
    return starts.most_common(1)[0][0] if starts else None


def _value_start(cells: list[str], start: int, usual: int | None) -> int:
    """A 合计 printed across the code and name columns leaves the name cell blank: its values start
    where the other rows' values do, not in that blank cell (a real 上海 支出决算表 read its 合计
    one column off: 基本支出 = 本年支出合计)."""
    if usual is not None and start < usual <= len(cells) and not any(compact(c) for c in cells[start:usual]):
        return usual
    return start


def _by_column(header, template) -> dict[str, int]:
    """Measures by column for grouped headers (`本年收入` over `合计 | 一般公共预算 | … | 其他收入`,
    `上年结转结余` over its own columns): each column is named by its header cells from top to
    bottom, a group label standing over the empty cells to its right that have sub-headers."""
    width = max((len(r.cells) for r in header), default=0)
    grid = [[compact(c) for c in r.cells] + [""] * (width - len(r.cells)) for r in header]
    names = [""] * width
    for depth, row in enumerate(grid):
        below = [any(g[c] for g in grid[depth + 1 :]) for c in range(width)]
        label = ""
        for c, text in enumerate(row):
            label = text or (label if below[c] else "")
            names[c] += label
    out: dict[str, int] = {}
    for measure, aliases, _parent in template:
        for c, name in enumerate(names):
            k = key(name)
            if (
                c not in out.values()
                and k
                and any(k == key(a) or (len(a) >= 3 and k.endswith(key(a))) for a in aliases)
            ):
                out[measure] = c
                break
    return out


def _emit(t: LogicalTable, facts: Facts, rows, measures: list[str], mapping) -> int:
    count = 0
    for r, code, name, vals, columns in rows:
        label = strip_numbering(name)
        fcode, how, item = None, None, "function"
        if compact(label) in ("合计", "总计"):
            item = "total"
        else:
            fcode, how = resolve_code(code, label, function_codes())
            if looks_like_org(label) and how not in ("exact", "recovered", "by_name"):
                item, fcode, how = "unit", None, None  # 单位代码 + unit name: a subtotal per unit
            elif fcode is None:
                item = "unlabelled"
        for measure, i in zip(measures, mapping):
            if i is None:
                continue
            num = parse_number(vals[i])
            if num is None or num.blank:
                continue
            facts.amount(
                t,
                r,
                columns[i],
                num,
                measure=measure,
                row_label=label,
                item_key=item,
                function_code=fcode,
                function_code_printed=code,
                code_resolution=how,
            )
            count += 1
    return count


def parse_expenditure(t: LogicalTable, facts: Facts, ctx: dict) -> int:
    return _parse(t, facts, EXPENDITURE_MEASURES, EXPENDITURE_IDENTITIES, require_total=True)


def parse_income(t: LogicalTable, facts: Facts, ctx: dict) -> int:
    return _parse(
        t,
        facts,
        INCOME_MEASURES,
        [
            (
                "total",
                ("fiscal", "upper_subsidy", "business_income", "operating_income", "subsidiary_income", "other_income"),
            )
        ],
        require_total=True,
    )
