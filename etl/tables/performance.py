"""Performance tables: 部门整体绩效目标表, 项目绩效目标表 (three layouts), 决算 绩效自评表.

Indicator values are split into operator (≥ ≤ = > <), numeric value and unit. Rows that lost a
leading empty cell are realigned on the column that holds a 一级指标 word; text cut by a page
break (a name cell without an amount) is joined to the row it continues.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from decimal import Decimal

from etl.facts import Facts
from etl.layout import LogicalTable
from etl.normalize import compact, key, parse_number, parse_percent, to_yuan
from etl.tables.common import split_header
from rules.templates import LEVEL1_INDICATORS, OPERATORS

_VALUE = re.compile(r"^(≥|≤|>=|<=|=|>|<)?\s*([+-]?\d+(?:\.\d+)?)\s*(.*)$")


def parse_value(text: str) -> tuple[str | None, Decimal | None, str | None]:
    """`≥95%` -> ('≥', 95, '%'); `≤13.5万元` -> ('≤', 13.5, '万元'); `保障` -> (None, None, None)."""
    t = compact(text).replace(">=", "≥").replace("<=", "≤")
    m = _VALUE.match(t)
    if not m:
        return None, None, None
    op, num, unit = m.groups()
    return (op or "="), Decimal(num), (unit.strip() or None)


def _level1(cell: str) -> str | None:
    k = key(cell)
    return next(
        (w for w in LEVEL1_INDICATORS if k == w or k.startswith(w[:2]) and k.endswith("指标") and len(k) <= 8), None
    )


def _indicator(
    facts: Facts,
    t: LogicalTable,
    row,
    *,
    scope: str,
    project: str | None,
    l1,
    l2,
    l3,
    value_text: str,
    operator: str | None = None,
    unit: str | None = None,
    weight=None,
    direction=None,
    actual_text=None,
    score=None,
) -> dict:
    op, val, val_unit = parse_value(value_text)
    if operator:
        op = operator if operator in OPERATORS else op
    return facts.add(
        "core_performance_indicators",
        scope=scope,
        project_name=project,
        level1=compact(l1) or None,
        level2=compact(l2) or None,
        level3=compact(l3) or None,
        target_text=compact(value_text) or None,
        operator=op,
        target_value=val,
        target_unit=unit or val_unit,
        weight=weight,
        direction=compact(direction) if direction else None,
        actual_text=compact(actual_text) if actual_text else None,
        score=score,
        table_title=t.title,
        page=row.page,
        line=row.line,
        row_index=row.index,
    )


def _header_index(header, name: str) -> int | None:
    for r in header:
        for i, c in enumerate(r.cells):
            if key(c) == name:
                return i
    return None


def parse_dept_performance(t: LogicalTable, facts: Facts, ctx: dict) -> int:
    count, in_indicators, l1, l2 = 0, False, "", ""
    for r in t.rows:
        cells = [compact(c) for c in r.cells]
        if "一级指标" in cells:
            in_indicators = True
            continue
        if not in_indicators:
            label = next((c for c in cells if "万元" in c or re.search(r"(基本支出|项目支出|资金)", c)), None)
            num = next(
                (parse_number(c) for c in reversed(cells) if parse_number(c) and not parse_number(c).blank), None
            )
            if label and num:
                facts.amount(
                    t,
                    r,
                    None,
                    num,
                    measure="amount",
                    row_label=label,
                    item_key="dept_budget",
                    unit="万元" if "万元" in "".join(cells) or t.unit is None else t.unit,
                )
            continue
        filled = cells + [""] * (5 - len(cells))
        # A row that lost its empty 一级指标 cell starts with a 二级 name: only 一级 words stand first.
        if filled[0] and not _level1(filled[0]):
            filled = [""] + ([filled[0]] + filled[2:] if not filled[1] else filled)
        # …or lost its 二级 cell too: the 指标值 then sits under 三级指标.
        if filled[1] and filled[2] and re.match(r"^(≥|≤|>|<|=)?\s*\d", filled[2]) and len(filled[3]) > 12:
            filled = [filled[0], "", filled[1], filled[2], filled[3]]
        l1 = filled[0] or l1
        l2 = filled[1] or l2
        if not filled[2]:
            continue
        _indicator(facts, t, r, scope="department", project=None, l1=l1, l2=l2, l3=filled[2], value_text=filled[3])
        count += 1
    return count


def parse_project_performance(t: LogicalTable, facts: Facts, ctx: dict) -> int:
    header, _ = split_header(t.rows)
    hkeys = {key(c) for r in t.rows[:8] for c in r.cells}
    if "一级指标" in hkeys and "项目名称" in hkeys:
        return _wide(t, facts, ctx)
    if "一级指标" in hkeys:
        return _vertical(t, facts, ctx)
    if any(k in hkeys for k in ("产出指标", "成本指标")):
        return _summary_layout(t, facts, ctx)
    return 0


def _wide(t: LogicalTable, facts: Facts, ctx: dict) -> int:
    hdr = next(r for r in t.rows if "一级指标" in {key(c) for c in r.cells})
    cols = {key(c): i for i, c in enumerate(hdr.cells)}
    c_l1 = cols["一级指标"]
    count, project, unit_name = 0, None, ""
    added: list[tuple[dict, dict]] = []
    for r in t.rows[t.rows.index(hdr) + 1 :]:
        cells = [compact(c) for c in r.cells]
        found = next((i for i, c in enumerate(cells) if _level1(c)), None)
        shift = (found - c_l1) if found is not None else 0

        def at(name: str, cells=cells, shift=shift) -> str:
            i = cols.get(name)
            return cells[i + shift] if i is not None and 0 <= i + shift < len(cells) else ""

        budget = parse_number(at("预算数"))
        pname, uname = at("项目名称"), at("单位名称")
        if uname and (budget is None or budget.blank or pname):
            unit_name += uname
        if uname and not pname and budget is not None and not budget.blank:
            facts.amount(t, r, None, budget, measure="total", row_label=uname, item_key="performance_table_total")
            continue
        if pname and budget is not None and not budget.blank:
            project = facts.project(t, r, pname, budget)
        elif pname and project is not None:
            project["project_name"] += pname  # name cut by a page break
        if found is None or project is None:
            continue
        weight = parse_number(at("权重"))
        ind = _indicator(
            facts,
            t,
            r,
            scope="project",
            project=project["project_name"],
            l1=at("一级指标"),
            l2=at("二级指标"),
            l3=at("三级指标"),
            value_text=at("指标值"),
            operator=at("指标性质"),
            unit=at("度量单位") or None,
            weight=weight.value if weight and not weight.blank else None,
            direction=at("指标方向性"),
        )
        added.append((ind, project))
        count += 1
    if unit_name:
        ctx.setdefault("unit_names_from_tables", []).append(re.sub(r"^\d+-", "", unit_name))
    # Indicators were added with the name as known at the time; fix names completed later (each
    # indicator keeps its own project, so this is linear in the table, not tables x indicators).
    for ind, proj in added:
        ind["project_name"] = proj["project_name"]
    return count


def _vertical(t: LogicalTable, facts: Facts, ctx: dict) -> int:
    project = re.sub(r"^\d+[.、]\s*", "", compact(t.title or ""))
    project = re.sub(r"绩效目标表$", "", project) or None
    hdr_i = next(i for i, r in enumerate(t.rows) if "一级指标" in {key(c) for c in r.cells})
    cols = {key(c): i for i, c in enumerate(t.rows[hdr_i].cells)}
    if not {"一级指标", "二级指标", "三级指标"} <= cols.keys():
        return 0
    if project:  # a project named only by its table title: amount not disclosed here
        facts.project(t, t.rows[hdr_i], project, None)
    count, l1, l2 = 0, "", ""
    for r in t.rows[hdr_i + 1 :]:
        cells = [compact(c) for c in r.cells]
        if len(cells) < len(cols) - 1:
            continue
        if len(cells) == len(cols) - 1:
            cells = [""] + cells
        # A header with repeated names has fewer keys than cells: pad so every column exists.
        cells += [""] * (len(t.rows[hdr_i].cells) - len(cells))
        l1 = cells[cols["一级指标"]] or l1
        l2 = cells[cols["二级指标"]] or l2
        l3 = cells[cols["三级指标"]]
        vi = cols.get("指标值")
        if not l3 or vi is None:
            continue
        _indicator(facts, t, r, scope="project", project=project, l1=l1, l2=l2, l3=l3, value_text=cells[vi])
        count += 1
    return count


_VALUE_LIKE = re.compile(r"^(≥|≤|>|<|=)|\d|%|^(保障|改善|及时|提高|有效|持续|合规|完整)")
_CATEGORIES = ("成本指标", "产出指标", "效益指标", "满意度指标")


def _summary_layout(t: LogicalTable, facts: Facts, ctx: dict) -> int:
    """汇总表: project rows with money columns, then (name, value) pairs per indicator category;
    following rows continue a project's indicators and its cells wrapped over several lines."""
    count, project, indicators = 0, None, _Nearest()
    for r in t.rows:
        cells = [compact(c) for c in r.cells]
        money = [(i, parse_number(c)) for i, c in enumerate(cells)]
        money = [(i, n) for i, n in money if n is not None and not n.blank and "." in cells[i]]
        label_cells = [
            (i, c) for i, c in enumerate(cells[:3]) if c and not parse_number(c) and not re.fullmatch(r"[\d ]+", c)
        ]
        names = [c for _i, c in label_cells if not c.endswith("类")]
        if money and label_cells and money[0][0] <= 4:
            name = names[0] if names else label_cells[0][1]
            codes = [c for c in cells[:2] if re.fullmatch(r"[\d ]{3,}", c)]
            if codes and len(re.sub(r"\D", "", codes[0])) <= 6:
                facts.amount(t, r, money[0][0], money[0][1], measure="total", row_label=name, item_key="unit")
                project = None
                continue
            project = facts.project(
                t, r, name, money[0][1], project_type=cells[2] if len(cells) > 2 and cells[2].endswith("类") else None
            )
            indicators = _Nearest()
            above = {}
            start = money[-1][0] + 1
            pairs = _pairs(cells, start)
            for n, (name_col, ind_name, _val_col, val) in enumerate(pairs):
                ind = _indicator(
                    facts,
                    t,
                    r,
                    scope="project",
                    project=project["project_name"],
                    l1=_CATEGORIES[min(n, 3)],
                    l2=None,
                    l3=ind_name,
                    value_text=val,
                )
                indicators.add(name_col, ind)
                above[name_col] = ind
                count += 1
            continue
        if project is None or not indicators:
            continue
        row_inds: dict[int, dict] = {}
        for name_col, ind_name, _val_col, val in _pairs(cells, 0, indicators):
            cont = above.get(name_col)
            if ind_name is not None and cont is not None and _cut_value(cont["target_text"] or "", val):
                # "群众满 | ≥9" over "意度 | 0%": one indicator wrapped in both its cells
                cont["level3"] = (cont["level3"] or "") + ind_name
                cont["target_text"] += val
                op, v, u = parse_value(cont["target_text"])
                cont.update(operator=op, target_value=v, target_unit=u)
                row_inds[name_col] = cont
                continue
            if ind_name is None:  # wrapped value or name
                target = indicators.nearest(name_col, latest=True)  # values sit one right of names
                if val:
                    target[2]["target_text"] += val
                    op, v, u = parse_value(target[2]["target_text"])
                    target[2].update(operator=op, target_value=v, target_unit=u)
                continue
            category = indicators.category_at(name_col)
            ind = _indicator(
                facts,
                t,
                r,
                scope="project",
                project=project["project_name"],
                l1=category,
                l2=None,
                l3=ind_name,
                value_text=val,
            )
            indicators.add(name_col, ind)
            row_inds[name_col] = ind
            count += 1
        above = row_inds or above
    return count


def _cut_value(value: str, fragment: str) -> bool:
    """Whether `fragment` finishes a number cut by a wrap: `≥9` + `0%` -> `≥90%` (not `100%` + `100%`)."""
    return bool(re.search(r"[\d.≥≤<>=]$", value)) and bool(re.match(r"^[\d.%]", fragment))


def _pairs(cells: list[str], start: int, known=None):
    """(name_col, name, value_col, value) pairs; with `known`, lone cells continue a wrapped
    name or value of the known indicator nearest by column and come back with name None."""
    out, i = [], start
    while i < len(cells):
        c = cells[i]
        if not c:
            i += 1
            continue
        nxt = cells[i + 1] if i + 1 < len(cells) else ""
        if not _VALUE_LIKE.search(c) or (nxt and _VALUE_LIKE.search(nxt) and not _VALUE_LIKE.search(c[:1])):
            if nxt and _VALUE_LIKE.search(nxt):
                out.append((i, c, i + 1, nxt))
                i += 2
                continue
            if known and (i - 1) in known.first and _UNIT_WORD.match(c):  # a unit under a value: `≤12000` / `万元`
                out.append((i - 1, None, i, c))
            elif known:
                target = known.nearest(i, latest=True)
                target[2]["level3"] = (target[2]["level3"] or "") + c
            i += 1
            continue
        if known:
            out.append((i - 1, None, i, c))
        i += 1
    return out


# A lone cell right of an indicator name is the unit of its wrapped value only when it is a unit;
# anything else is the tail of a name (孟津: "职业年金投运前" / "实账利息差缴纳及时率", the tail one
# column left after a page break, had been read as the unit of the 成本 value beside it).
_UNIT_WORD = re.compile(
    r"^(?:万元|亿元|千元|元|元/人|人|人次|户|户次|次|天|日|工作日|个|件|台|辆|项|家|所|批次|批|份|场|期"
    r"|%|‰|年|月|小时|分钟|平方米|公里)$"
)


class _Nearest:
    """The indicators of one project by name column: the first one found nearest to a column.

    Equivalent to `min(indicators, key=distance)` over the list in insertion order (ties go to
    the earlier one), but a lookup costs O(log columns), so a wide or long table stays linear.
    With `latest`, a tie goes to the column whose indicator was added last: a wrapped fragment
    between two columns continues the row just above it.
    """

    def __init__(self) -> None:
        self.cols: list[int] = []
        self.first: dict[int, tuple[int, int, int, dict]] = {}  # col -> (order, name_col, val_col, ind)
        self.latest: dict[int, dict] = {}  # col -> the last indicator added there
        self.added: dict[int, int] = {}  # col -> when its latest indicator was added
        self.clock = 0
        self.last: dict | None = None

    def __bool__(self) -> bool:
        return bool(self.cols)

    def add(self, name_col: int, ind: dict) -> None:
        if name_col not in self.first:
            self.first[name_col] = (len(self.first), name_col, name_col + 1, ind)
            insort(self.cols, name_col)
        self.latest[name_col] = ind
        self.last = ind
        self.clock += 1
        self.added[name_col] = self.clock

    def category_at(self, col: int) -> str | None:
        """The 一级指标 of a new indicator named at `col`: its column's, when it sits in or beside
        one; a pair printed far from every known column (孟津: a page break moved a project's last
        产出 rows under 项目分类) goes on the category of the row above it."""
        name_col, _value_col, ind = self.nearest(col)
        if abs(name_col - col) > 1 and self.last is not None:
            return self.last["level1"]
        return ind["level1"]

    def nearest(self, col: int, latest: bool = False) -> tuple[int, int, dict]:
        """(name_col, value_col, indicator) nearest to `col`: the first one found there, or with
        `latest` the last one (the one a wrapped fragment below continues)."""
        i = bisect_left(self.cols, col)
        near = self.cols[max(0, i - 1) : i + 1]
        if latest:
            best = min(near, key=lambda c: (abs(c - col), -self.added[c]))
        else:
            best = min(near, key=lambda c: (abs(c - col), self.first[c][0]))
        _order, name_col, value_col, ind = self.first[best]
        return name_col, value_col, (self.latest[best] if latest else ind)


def parse_self_evaluation(t: LogicalTable, facts: Facts, ctx: dict) -> int:
    project, funds, total_score, count = None, {}, None, 0
    l1 = l2 = ""
    fund_cols: list[str] = []
    for r in t.rows:
        cells = [compact(c) for c in r.cells]
        keys = [key(c) for c in cells]
        nonempty = [c for c in cells if c]
        if keys and keys[0] == "项目名称" and len(nonempty) > 1:
            project = nonempty[1]
            continue
        if "年初预算数" in keys:
            fund_cols = [k for k in keys if k in ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")]
            continue
        if any(k.startswith("年度资金总额") for k in keys):
            nums = [parse_number(c) for c in cells]
            vals = [n for n in nums if n is not None and not n.blank]
            funds = dict(zip(fund_cols, vals))
            funds["_row"] = r
            continue
        if any(k == "总分" for k in keys):
            nums = [n for n in (parse_number(c) for c in cells) if n is not None and not n.blank]
            total_score = nums[-1].value if nums else None
            continue
        l3_i = next((i for i, c in enumerate(cells) if re.match(r"^指标\s*\d+", c)), None)
        if l3_i is None:
            continue
        left = [c for c in cells[:l3_i] if c]
        if len(left) >= 2:
            l1, l2 = left[-2], left[-1]
        elif len(left) == 1:
            l2 = left[-1] if not _level1(left[-1]) else l2
            l1 = left[-1] if _level1(left[-1]) else l1
        after = [c for c in cells[l3_i + 1 :] if c]
        target, actual, weight, score = (after + [None] * 4)[:4]
        w, s = parse_number(weight or ""), parse_number(score or "")
        _indicator(
            facts,
            t,
            r,
            scope="self_evaluation",
            project=project,
            l1=l1,
            l2=l2,
            l3=cells[l3_i],
            value_text=target or "",
            actual_text=actual,
            weight=w.value if w and not w.blank else None,
            score=s.value if s and not s.blank else None,
        )
        count += 1
    if project and funds:
        unit = t.unit or "万元"
        row = funds.pop("_row")

        def money(k):
            n = funds.get(k)
            return to_yuan(n.value, unit) if n else None

        rate = funds.get("执行率")
        facts.add(
            "core_self_evaluations",
            project_name=project,
            budget_initial_yuan=money("年初预算数"),
            budget_full_year_yuan=money("全年预算数"),
            executed_yuan=money("全年执行数"),
            execution_rate_printed=rate.value if rate else None,
            funds_weight=funds["分值"].value if "分值" in funds else None,
            funds_score=funds["得分"].value if "得分" in funds else None,
            total_score=total_score,
            printed_unit=unit,
            table_title=t.title,
            page=row.page,
            line=row.line,
            row_index=row.index,
        )
        facts.project(t, row, project, funds.get("全年预算数"), unit=unit, executed=funds.get("全年执行数"))
    return count


__all__ = ["parse_value", "parse_percent"]
