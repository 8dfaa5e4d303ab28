"""Collector for the rows one document yields, one list per core table.

Recognisers append plain dicts; the pipeline adds document keys and the warehouse loader checks
every column against the declared schema, so a recogniser cannot invent an undocumented column.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections import defaultdict
from decimal import Decimal

from etl.layout import LogicalTable
from etl.model import Row
from etl.normalize import ParsedNumber, compact, key, to_yuan

# A project code as budget systems print it beside the name (e.g. 41072424000000004016): digits
# only, long enough not to be an amount (amounts carry separators or decimals).
_PROJECT_CODE = re.compile(r"^\d{10,24}$")
# `LogicalTable.unit_source` of a table that prints no unit and whose figures no statement of the
# document gives under one (etl.pipeline.settle_units): its amounts are kept as printed, in no unit.
UNIT_UNKNOWN = "unknown"
_YEAR_PREFIX = re.compile(r"^(?:19|20)\d{2}年度?")
# Two printed names of one project (same amount, another table) differ by a character or two.
NAME_SIMILARITY = 0.85
# Nearly equal names are only compared among this many projects sharing one amount.
MAX_SAME_AMOUNT = 20


_POINT = Decimal("0.01")
BOX_FIELDS = ("box_x0_pt", "box_top_pt", "box_x1_pt", "box_bottom_pt", "page_width_pt", "page_height_pt")


def _points(v: float) -> Decimal:
    return Decimal(repr(float(v))).quantize(_POINT)


def cell_box(row: Row, col: int | None) -> dict:
    """Where cell `col` of a PDF row sits on its page (points, from the top left) and the page's
    size: the columns core_table_facts and raw_cells carry; all None when the box is not known."""
    box = row.box(col)
    if box is None or row.page_size is None:
        return dict.fromkeys(BOX_FIELDS)
    return dict(zip(BOX_FIELDS, (_points(v) for v in (*box, *row.page_size))))


class Facts:
    def __init__(self) -> None:
        self.rows: dict[str, list[dict]] = defaultdict(list)

    def add(self, table: str, **values) -> dict:
        self.rows[table].append(values)
        return values

    def amount(
        self,
        t: LogicalTable,
        row: Row,
        col: int | None,
        num: ParsedNumber,
        *,
        measure: str,
        section: str | None = None,
        row_label: str | None = None,
        item_key: str | None = None,
        function_code: str | None = None,
        function_code_printed: str | None = None,
        econ_code: str | None = None,
        econ_code_printed: str | None = None,
        gov_econ_code: str | None = None,
        code_resolution: str | None = None,
        unit: str | None = None,
    ) -> None:
        """One printed amount of a table, converted to 元 and traced to its cell. A table whose unit
        is unknown (none printed, none found in the document's statements: `t.unit_source ==
        UNIT_UNKNOWN`) keeps its printed amount with no unit and no 元 amount: never assumed."""
        printed_unit = unit or t.unit or (None if t.unit_source == UNIT_UNKNOWN else "元")
        self.add(
            "core_table_facts",
            table_family=t.family,
            table_title=t.title,
            table_id=t.table_id,
            section=section,
            row_label=row_label,
            item_key=item_key,
            function_code=function_code,
            function_code_printed=function_code_printed,
            econ_code=econ_code,
            econ_code_printed=econ_code_printed,
            gov_econ_code=gov_econ_code,
            code_resolution=code_resolution,
            measure=measure,
            amount_yuan=to_yuan(num.value, printed_unit) if printed_unit else None,
            amount_printed=num.printed,
            printed_unit=printed_unit,
            printed_decimals=num.decimals,
            page=row.page,
            line=row.line,
            row_index=row.index,
            col_index=col,
            **cell_box(row, col),
        )

    def project(
        self,
        t: LogicalTable,
        row: Row,
        name: str,
        amount: ParsedNumber | None,
        *,
        project_type: str | None = None,
        unit: str | None = None,
        executed: ParsedNumber | None = None,
    ) -> dict:
        """One project as a table lists it; amount None when the table names it without one."""
        printed_unit = (unit or t.unit) if amount is not None else None
        unknown = printed_unit is None and t.unit_source == UNIT_UNKNOWN
        return self.add(
            "core_projects",
            project_name=name,
            project_code=project_code(row.cells),
            project_type=project_type,
            amount_yuan=to_yuan(amount.value, printed_unit) if amount is not None and not unknown else None,
            amount_printed=amount.printed if amount is not None else None,
            printed_unit=printed_unit,
            executed_yuan=to_yuan(executed.value, printed_unit) if executed is not None and not unknown else None,
            source_family=t.family,
            table_title=t.title,
            page=row.page,
            line=row.line,
            row_index=row.index,
        )


def project_code(cells: list[str]) -> str | None:
    """The project code printed in the row, if any (the first digits-only cell of 10+ digits)."""
    return next((c for c in (compact(x).replace(" ", "") for x in cells) if _PROJECT_CODE.match(c)), None)


def project_name_key(name: str | None) -> str:
    """A project name as the same project is printed in different tables: without spaces,
    punctuation or bracket style (（其他） = (其他)), a leading year (2024年) or a trailing 项目."""
    k = key(name)
    k = _YEAR_PREFIX.sub("", k) or k
    if k.endswith("项目") and len(k) > 2:
        k = k[:-2]
    return k


def _identity(name: str | None, code: str | None, codes: dict[str, set[str]]) -> str | None:
    if code:
        return "code:" + code
    if not name:
        return None
    nk = project_name_key(name)
    found = codes.get(nk, set())
    return "code:" + next(iter(found)) if len(found) == 1 else "name:" + nk


def _near_match(rows: list[dict], ids: list[str]) -> dict[str, str]:
    """Identities to fold into another: a project known only by its name that another table lists
    with the same amount under a name differing by a character or two ("机关事业单位养老…" /
    "机关事业养老…"), when exactly one such project exists. Folds go to a coded identity, or
    between two name identities to the smaller one, so two names never swap ids. Only amounts
    shared by a few projects are compared (a table padded with thousands of equal rows is not)."""
    by_amount: dict = defaultdict(dict)  # amount -> identity -> tables listing it with that amount
    names: dict[str, str] = {}
    for r, i in zip(rows, ids):
        names.setdefault(i, i[5:] if i.startswith("name:") else project_name_key(r["project_name"]))
        if r["amount_yuan"] is not None:
            by_amount[r["amount_yuan"]].setdefault(i, set()).add(r["table_title"])
    fold: dict[str, str] = {}
    for listed in by_amount.values():
        if len(listed) > MAX_SAME_AMOUNT:
            continue
        for ident, tables in listed.items():
            if not ident.startswith("name:"):
                continue
            found = {
                other
                for other, theirs in listed.items()
                if other != ident
                and theirs - tables
                and (other.startswith("code:") or other < ident)
                and difflib.SequenceMatcher(None, names[ident], names[other]).ratio() >= NAME_SIMILARITY
            }
            if len(found) == 1:
                fold[ident] = found.pop()
    for ident in list(fold):  # follow chains a -> b -> c (folds only go down, so they end)
        while fold[ident] in fold:
            fold[ident] = fold[fold[ident]]
    return fold


def assign_project_ids(rows: dict[str, list[dict]]) -> None:
    """Give every project row of one document its `project_id`, the same in every table.

    One project is one code, else one name key (`project_name_key`). A row without a code joins the
    coded project of the same name key when there is exactly one (two coded projects with the same
    name, e.g. two sub-units' 工作经费, stay two), or the one project another table lists with the
    same amount under a nearly equal name. The id is a hash of that identity, so it does not depend
    on the order of the tables and is stable across builds; it is unique within the document.
    Indicators and self-evaluations take the id of the project of their name."""
    projects = rows.get("core_projects", [])
    codes: dict[str, set[str]] = defaultdict(set)
    for p in projects:
        if p.get("project_code"):
            codes[project_name_key(p["project_name"])].add(p["project_code"])
    ids = [_identity(p["project_name"], p.get("project_code"), codes) for p in projects]
    fold = _near_match(projects, ids)
    by_name: dict[str, set[str]] = defaultdict(set)
    for p, ident in zip(projects, ids):
        ident = fold.get(ident, ident)
        p["project_id"] = _hash_id(ident)
        by_name[project_name_key(p["project_name"])].add(p["project_id"])
    for table in ("core_performance_indicators", "core_self_evaluations"):
        for r in rows.get(table, []):
            if not r.get("project_name"):
                r["project_id"] = None
                continue
            known = by_name.get(project_name_key(r["project_name"]), set())
            r["project_id"] = (
                next(iter(known)) if len(known) == 1 else _hash_id(_identity(r["project_name"], None, codes))
            )


def _hash_id(identity: str) -> str:
    return "P" + hashlib.sha1(identity.encode()).hexdigest()[:12]
