"""Economic classification: 一般公共预算基本支出表 / 基本支出决算明细表 / 支出经济分类汇总表.

Two layouts occur in the national templates: a list (部门经济分类 code + name, 政府经济分类 code
+ name, amounts) and the 决算 detail table printed as side-by-side (code, name, amount) triples.
Codes may be split over 类/款 cells (`301 | 01`) or truncated (`3010`); they are resolved against
the reference by prefix and name.
"""

from __future__ import annotations

from etl.facts import Facts
from etl.layout import LogicalTable
from etl.normalize import compact, key, parse_number
from etl.reference import econ_codes, resolve_code
from etl.tables.common import header_cells, is_amount, is_code, looks_like_org, match_measures, split_header
from rules.templates import (
    BASIC_ECON_MEASURES,
    ECON_SUMMARY_MEASURES,
    ECON_TRIPLE_AMOUNT_HEADERS,
    ECON_TRIPLE_CODE_HEADERS,
)

# 人员经费 = 工资福利支出 + 对个人和家庭的补助; 公用经费 = the other classes (决算 rules).
PERSONNEL_CLASSES = ("301", "303")


def _label_groups(cells: list[str]) -> tuple[list[tuple[str | None, str | None]], int]:
    """[(code, name), ...] pairs from the label part and the index where amounts start."""
    groups: list[tuple[str | None, str | None]] = []
    code = ""
    for i, c in enumerate(cells):
        t = compact(c)
        if is_amount(t):
            if code:
                groups.append((code, None))
            return groups, i
        if not t:
            continue
        if is_code(t):
            code += t.replace(" ", "")
        else:
            groups.append((code or None, t))
            code = ""
    return groups, len(cells)


def _triples(t: LogicalTable, header, data, facts: Facts) -> int:
    count = 0
    for r in data:
        cells = r.cells
        for start in range(0, len(cells) - 2, 3):
            code, name, amount = (compact(x) for x in cells[start : start + 3])
            num = parse_number(amount)
            if not name or num is None or num.blank:
                continue
            if name.endswith("合计"):
                measure = "personnel" if "人员" in name else "public" if "公用" in name else "total"
                facts.amount(t, r, start + 2, num, measure=measure, row_label=name, item_key="total")
                count += 1
                continue
            econ, how = resolve_code(code, name, econ_codes())
            measure = "personnel" if (econ or code or "")[:3] in PERSONNEL_CLASSES else "public"
            facts.amount(
                t,
                r,
                start + 2,
                num,
                measure=measure,
                row_label=name,
                item_key="econ",
                econ_code=econ,
                econ_code_printed=code or None,
                code_resolution=how,
            )
            count += 1
    # Totals printed after a gap ("公用经费合计" several cells before its amount).
    return count


def _is_triple_header(header_keys: list[str]) -> bool:
    """Side-by-side (code, name, amount) groups: the code and amount headings repeat."""
    codes = sum(1 for c in header_keys if c in {key(h) for h in ECON_TRIPLE_CODE_HEADERS})
    amounts = sum(1 for c in header_keys if c in {key(h) for h in ECON_TRIPLE_AMOUNT_HEADERS})
    return codes >= 2 and amounts >= 2


def parse_econ(t: LogicalTable, facts: Facts, ctx: dict) -> int:
    header, data = split_header(t.rows)
    hc = [key(c) for c in header_cells(header)]
    if _is_triple_header(hc):
        return _triples(t, header, data, facts) + _trailing_totals(t, data, facts)
    template = BASIC_ECON_MEASURES if t.family == "basic_econ" else ECON_SUMMARY_MEASURES
    measures = match_measures(header_cells(header), template)
    if not measures:
        return 0
    count = 0
    last_code: str | None = None
    for r in data:
        groups, start = _label_groups(r.cells)
        if not groups:
            continue
        dept_code, dept_name = groups[0]
        gov_code = groups[1][0] if len(groups) > 1 else None
        label = dept_name or ""
        if label in ("合计", "总计"):
            item, econ, how = "total", None, None
        elif looks_like_org(label):
            item, econ, how = "unit", None, None
        else:
            item = "econ"
            econ, how = resolve_code(dept_code, label, econ_codes())
            if (
                dept_code is None
                and last_code
                and econ_codes().get(last_code)
                and key(econ_codes()[last_code].name) == key(label)
            ):
                econ, how = last_code, "continues previous row"
            last_code = econ or last_code
        vals = r.cells[start : start + len(measures)]
        for k, (measure, cell) in enumerate(zip(measures, vals)):
            num = parse_number(cell)
            if num is None or num.blank:
                continue
            facts.amount(
                t,
                r,
                start + k,
                num,
                measure=measure,
                row_label=label,
                item_key=item,
                econ_code=econ,
                econ_code_printed=dept_code,
                gov_econ_code=gov_code,
                code_resolution=how,
            )
            count += 1
    return count


def _trailing_totals(t: LogicalTable, data, facts: Facts) -> int:
    """`人员经费合计 | | 2,307,815.64 | 公用经费合计 | | | | | 116,453.26`: pair each 合计 label with
    the next amount to its right when the triple grid does not hold."""
    count = 0
    # Built once and kept up to date (not rebuilt per row from all facts): linear in table size.
    already = {
        (f["row_index"], f["page"], f["measure"])
        for f in facts.rows["core_table_facts"]
        if f["table_id"] == t.table_id and f["item_key"] == "total"
    }
    for r in data:
        labels = [(i, compact(c)) for i, c in enumerate(r.cells) if compact(c).endswith("经费合计")]
        added = []
        for i, label in labels:
            measure = "personnel" if "人员" in label else "public"
            if (r.index, r.page, measure) in already:
                continue
            for j in range(i + 1, len(r.cells)):
                num = parse_number(r.cells[j])
                if num is not None and not num.blank:
                    facts.amount(t, r, j, num, measure=measure, row_label=label, item_key="total")
                    added.append((r.index, r.page, measure))
                    count += 1
                    break
        already.update(added)
    return count
