"""三公经费 tables: components by budget (预算数) and, in 决算, actual (决算数).

An empty table whose note says so ("故本表无数据", "本单位无三公经费", "此表为空表") is
disclosed-empty: the pipeline records the status, and its 三公 totals are 0 (the unit states it
had none), never NULL, which means not disclosed.

A 三公、会议费和培训费 table may print a plain 合计 that includes 会议费 and 培训费: `sangong_total`
never does. The table's own arithmetic decides (合计 = 三公 parts, or = parts + 会议费 + 培训费);
an including 合计 is kept under its own key and the 三公 total is 合计 − 会议费 − 培训费, with a
parse note; when neither identity holds the 三公 total is not known (NULL), never a guess.

Tables printing the components as rows: the 决算数对比情况表 (上年决算数 / 本年决算数 / 增减额 /
增减幅度) and 预决算对比 tables (预算数 / 决算数) give this year's figures as the table's facts and,
as figures this document states for the year before, the prior year's (`core_prior_year_facts`,
checked against that year's own document).
"""

from __future__ import annotations

import re
from decimal import Decimal

from etl.facts import Facts
from etl.layout import LogicalTable
from etl.model import Row
from etl.normalize import ParsedNumber, compact, key, parse_number, to_yuan
from etl.tables.common import header_cells, split_header
from rules.labels import TOPIC_ZH
from rules.templates import (
    EMPTY_TABLE_NOTE,
    SANGONG_COMPARISON_COLUMNS,
    SANGONG_COMPONENTS,
    SANGONG_EXTRA_COMPONENTS,
    SANGONG_TOTAL_NAMES,
)

INCLUDING_TOTAL = "total_with_meeting_training"
SPLIT_NOTE = "合计含会议费和培训费：“三公”经费合计 = 合计 − 会议费 − 培训费"
UNSPLIT_NOTE = "合计含会议费和培训费且分项不能核对：未作为“三公”经费合计"
_YEAR = re.compile(r"(20\d{2})\s*年")


def row_label(name: str) -> str:
    """A component's row label in Chinese (合计, 因公出国（境）费 …): the 三公 table of the national
    template prints its components as columns of one row, so the label names the column; the key
    stays in item_key (sangong_<name>)."""
    if name == "total":
        return "合计"
    if name == INCLUDING_TOTAL:
        return "合计（含会议费、培训费）"
    return TOPIC_ZH.get(f"sangong_{name}") or dict(SANGONG_COMPONENTS)[name][0]


def _component_of(k: str) -> str | None:
    """The component a header cell or row label (a match key) names, or None."""
    for name, aliases in SANGONG_COMPONENTS:
        if any(a in k for a in aliases):
            if name == "vehicle_purchase" and "运行" in k:
                continue
            return name
    return None


def _components(cells: list[str]) -> list[str]:
    out = []
    for c in cells:
        k = key(c)
        if name := _component_of(k):
            out.append(name)
        elif k == "小计":
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
        facts.amount(t, where, None, zero, measure=stage, row_label=row_label("total"), item_key="sangong_total")
    return len(stages)


def _plain_total(cells: list[str]) -> bool:
    """The header prints 会议费/培训费 columns beside a total not named as the 三公 total."""
    keys = [key(c) for c in cells]
    extra = any(_component_of(k) in SANGONG_EXTRA_COMPONENTS for k in keys)
    named = any(any(n in k for n in SANGONG_TOTAL_NAMES) for k in keys)
    return extra and not named


def _parts(values: dict[str, ParsedNumber]) -> Decimal | None:
    """因公出国 + 公务用车 (its 小计, else 购置 + 运行) + 公务接待, from the parts printed."""
    vehicle = ("vehicle_total",) if "vehicle_total" in values else ("vehicle_purchase", "vehicle_operation")
    printed = [values[n].value for n in ("abroad", *vehicle, "reception") if n in values]
    return sum(printed, Decimal(0)) if printed else None


def _split_total(values: dict[str, ParsedNumber]) -> str | None:
    """Relabel a plain 合计 that includes 会议费/培训费 (in place); the parse note, or None."""
    extra = [values[n].value for n in SANGONG_EXTRA_COMPONENTS if n in values]
    total = values.get("total")
    if total is None or not extra or sum(extra) == 0:
        return None  # nothing beside the 三公 parts: 合计 is the 三公 total either way
    parts = _parts(values)
    if parts == total.value:
        return None
    values[INCLUDING_TOTAL] = values.pop("total")
    if parts is None or parts + sum(extra) != total.value:
        return UNSPLIT_NOTE
    values["total"] = ParsedNumber(total.value - sum(extra), False, None, total.decimals)
    return SPLIT_NOTE


def _row_values(nums: list[tuple[int, ParsedNumber]], components: list[str]) -> dict[str, tuple[int, ParsedNumber]]:
    return {name: (col, num) for name, (col, num) in zip(components, nums) if not num.blank}


def _emit_block(t: LogicalTable, r: Row, stage: str, cells: dict, plain: bool, facts: Facts) -> int:
    values = {name: num for name, (_col, num) in cells.items()}
    note = _split_total(values) if plain else None
    if note:
        facts.add("core_parse_notes", table_id=t.table_id, table_title=t.title, note=note)
    for name, num in values.items():
        col = cells[name if name in cells else "total"][0]
        facts.amount(t, r, col, num, measure=stage, row_label=row_label(name), item_key=f"sangong_{name}")
    return len(values)


def parse_sangong(t: LogicalTable, facts: Facts, ctx: dict) -> int:
    header, data = split_header(t.rows)
    cells = header_cells(header)
    components = _components(cells)
    if not components and (roles := comparison_columns(header)):
        return _parse_comparison(t, roles, data, facts)
    stages = _stages(cells)
    plain = _plain_total(cells)
    count = 0
    for r in data:
        nums = [(i, parse_number(c)) for i, c in enumerate(r.cells)]
        nums = [(i, n) for i, n in nums if n is not None]
        if not any(not n.blank for _i, n in nums):
            continue
        for stage, picked in _stage_columns(nums, components, stages):
            count += _emit_block(t, r, stage, _row_values(picked, components), plain, facts)
    return count


def _stage_columns(nums: list, components: list[str], stages: list[str]) -> list[tuple[str, list]]:
    """The row's numbers per stage. Two layouts occur: a block per stage (预算数 over every
    component, then 决算数 over every component: the national template) and a pair per component
    (预算数 | 决算数 under each one: 上海's template, where the header names the stages once per
    component, alternating)."""
    n = len(components)
    paired = len(stages) == 2 * n and n > 1 and all(stages[i] != stages[i + 1] for i in range(0, len(stages), 2))
    if paired:
        order = list(dict.fromkeys(stages))
        return [(stage, nums[k::2][:n]) for k, stage in enumerate(order)]
    return [(stage, nums[b * n : (b + 1) * n]) for b, stage in enumerate(stages)]


# ---------------------------------------------------------------- components as rows

# Money columns of a row-oriented table: the measure a current column gives, the stage a prior
# year's column states (as a prior-year fact checked against that year's own document).
_CURRENT_ROLES = ("budget", "actual")
_PRIOR_ROLES = {"prior_budget": ("budget", "budget"), "prior_actual": ("actual", "final")}


def _role_of(k: str) -> str | None:
    for role, aliases in SANGONG_COMPARISON_COLUMNS:
        if any(a in k for a in aliases):
            return role
    return None


def _year_kind(cell: str) -> tuple[int, str] | None:
    """(year, 'actual'|'budget') of a column named by its year: 2023年决算数, 2024年预算数."""
    k, year = key(cell), _YEAR.search(compact(cell))
    if not year or "上年" in k or "本年" in k:
        return None
    kind = "actual" if "决算" in k else "budget" if "预算" in k else None
    return (int(year.group(1)), kind) if kind else None


def comparison_columns(header: list[Row]) -> dict[str, tuple[int, int | None]]:
    """Column index (and the year it names, if any) of each role of a header whose rows are the
    components: 上年决算数 / 本年决算数 / 增减额 / 增减幅度 (决算数对比情况表), 预算数 / 决算数; columns
    named by years (2022年决算数, 2023年决算数) are ordered by them. Empty without a money column."""
    roles: dict[str, tuple[int, int | None]] = {}
    by_year: dict[str, list[tuple[int, int]]] = {"actual": [], "budget": []}
    for r in header:
        for i, c in enumerate(r.cells):
            if yk := _year_kind(c):
                by_year[yk[1]].append((yk[0], i))
            elif (role := _role_of(key(c))) and role not in roles:
                roles[role] = (i, None)
    for kind, cols in by_year.items():
        cols.sort()
        if cols:
            roles.setdefault(kind, (cols[-1][1], cols[-1][0]))
        if len(cols) >= 2:
            roles.setdefault(f"prior_{kind}", (cols[-2][1], cols[-2][0]))
    money = set(_CURRENT_ROLES) | set(_PRIOR_ROLES)
    return roles if roles.keys() & money else {}


def _fiscal_year(t: LogicalTable, roles: dict[str, tuple[int, int | None]]) -> int | None:
    years = [roles[r][1] for r in _CURRENT_ROLES if r in roles and roles[r][1]]
    if years:
        return max(years)
    m = _YEAR.search(compact(t.title or ""))
    return int(m.group(1)) if m else None


def _by_role(data: list[Row], roles: dict) -> tuple[dict[str, dict[str, tuple[Row, int, ParsedNumber]]], dict]:
    """Per money column, each component row's (row, column, amount); and each component's label."""
    per_role: dict[str, dict[str, tuple[Row, int, ParsedNumber]]] = {
        role: {} for role in (*_CURRENT_ROLES, *_PRIOR_ROLES) if role in roles
    }
    labels: dict[str, str] = {}
    for r in data:
        label = next((compact(c) for c in r.cells if compact(c) and parse_number(c) is None), "")
        name = _component_of(key(label))
        if name is None:
            continue
        labels.setdefault(name, label)
        for role, found in per_role.items():
            col = roles[role][0]
            num = parse_number(r.cells[col]) if col < len(r.cells) else None
            if num is not None and not num.blank:
                found.setdefault(name, (r, col, num))
    return per_role, labels


def _prior_fact(t: LogicalTable, role: str, name: str, label: str, at: tuple, current, year: int | None) -> dict:
    stage = _PRIOR_ROLES[role][1]
    r, _col, prior = at
    return dict(
        fiscal_year=year - 1 if year else None,
        stage=stage,
        topic=f"sangong_{name}",
        figure=f"sangong_{name}",
        subject=f"{label}上年{'决算' if stage == 'final' else '预算'}数",
        amount_yuan=to_yuan(prior.value, t.unit or "元"),
        current_amount_yuan=to_yuan(current[2].value, t.unit or "元") if current else None,
        derived_from=f"{role} column of a 三公 table with the components as rows",
        sentence=t.title,
        page=r.page,
        line=r.line,
    )


def _resolved(t: LogicalTable, found: dict, plain: bool, facts: Facts) -> dict[str, tuple[Row, int, ParsedNumber]]:
    """A column's amounts with a plain 合计 split as in the column layout (parse note added)."""
    values = {name: num for name, (_r, _c, num) in found.items()}
    if plain and (note := _split_total(values)):
        facts.add("core_parse_notes", table_id=t.table_id, table_title=t.title, note=note)
    return {name: (*found[name if name in found else "total"][:2], num) for name, num in values.items()}


def _parse_comparison(t: LogicalTable, roles: dict, data: list[Row], facts: Facts) -> int:
    """A 三公 table with the components as rows (决算数对比情况表, 预决算对比): this year's columns
    as the table's facts, a prior year's as stated prior-year facts; a plain 合计 row beside 会议费
    and 培训费 rows is split as in the column layout."""
    per_role, labels = _by_role(data, roles)
    plain = _plain_total(list(labels.values()))
    year = _fiscal_year(t, roles)
    resolved = {role: _resolved(t, found, plain, facts) for role, found in per_role.items()}
    count = 0
    for role in _CURRENT_ROLES:
        for name, (r, col, num) in resolved.get(role, {}).items():
            label = labels.get(name) or row_label(name)  # the row as printed, when it is a row
            facts.amount(t, r, col, num, measure=role, row_label=label, item_key=f"sangong_{name}")
            count += 1
    for role, (current_role, _stage) in _PRIOR_ROLES.items():
        current = resolved.get(current_role, {})
        for name, at in resolved.get(role, {}).items():
            if name in (*SANGONG_EXTRA_COMPONENTS, INCLUDING_TOTAL):
                continue  # not figures of the 三公 a prior-year document states
            label = labels.get(name, labels.get("total", ""))
            facts.add("core_prior_year_facts", **_prior_fact(t, role, name, label, at, current.get(name), year))
            count += 1
    return count
