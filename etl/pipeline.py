"""Parse files into per-document facts, merge copies of one disclosure, and build the warehouse.

A disclosure is identified by (unit name, fiscal year, stage), never by its file name. When the
same disclosure arrives twice (its PDF and its text, a re-download), one set of facts is kept,
every file is recorded as a source, and figures the copies disagree on become conflicts.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from etl.facts import UNIT_UNKNOWN, Facts, assign_project_ids, cell_box
from etl.identify import identify
from etl.layout import LogicalTable, build_tables
from etl.model import Document, DocumentError
from etl.narrative import extract_claims, stated_amounts
from etl.normalize import compact, parse_number
from etl.pension import CATEGORIES, classify_function, classify_name
from etl.readers import read_document
from etl.readers.ocr import mark_ocr
from etl.tables import RECOGNISERS
from etl.tables.common import family_of, is_amount, split_header
from etl.tables.sangong import stated_empty_totals
from rules.templates import EMPTY_TABLE_NOTE, FAMILY_NAMES_ZH
from rules.units import last_digit

NO_FIGURES = "no figures: the tables are probably in an attachment"


class NoFiguresError(DocumentError):
    """A disclosure page that names its unit, year and stage but states no figure: its tables sit
    in an attachment. Refused with that reason and the attachment links the page names; `info`
    keeps the identity read from the title (coverage can count the publication)."""

    def __init__(self, info: dict, attachments: list[str]) -> None:
        self.info = info
        self.attachments = list(attachments)
        links = "; ".join(self.attachments) if self.attachments else "the page names no attachment link"
        super().__init__(
            f"{NO_FIGURES} ({info.get('unit_name')} {info.get('fiscal_year')} {info.get('stage')}; attachments: {links})"
        )


@dataclass
class ParsedDocument:
    path: str
    file_name: str
    fmt: str
    sha256: str
    info: dict
    page_count: int
    encoding: str | None
    facts: Facts
    warnings: list[str] = field(default_factory=list)
    # The per-document check results, run once by the merge step (etl.merge.document_checks).
    checks: list[dict] | None = None

    @property
    def unit_key(self) -> str | None:
        """The unit as one spelling (etl.identify.unit_key), else the name as read."""
        return self.info.get("unit_key") or self.info.get("unit_name")

    @property
    def doc_key(self) -> tuple:
        """What makes copies one disclosure: division code, fiscal year, stage and the unit's one
        spelling. A scan, a PDF and an HTML page of one document meet here however they printed
        the unit's name (a year before it, 本级 after it, the province in front)."""
        return (
            self.info.get("adcode"),
            self.unit_key or self.info.get("county"),
            self.info.get("fiscal_year"),
            self.info.get("stage"),
        )

    @property
    def doc_id(self) -> str:
        i = self.info
        unit = self.unit_key or ""
        who = i.get("adcode") or hashlib.sha1(unit.encode()).hexdigest()[:8]
        unit_tag = hashlib.sha1(unit.encode()).hexdigest()[:6]
        return f"{who}-{i.get('fiscal_year')}-{i.get('stage')}-{unit_tag}"


def _header_text(t: LogicalTable) -> str:
    return "".join(c for r in t.rows[:4] for c in r.cells)


# Fiscal years a disclosure can be about: national templates date from 2016; a budget is
# published before its year starts, so next year's (and the one after) may already be out.
FIRST_FISCAL_YEAR = 2000
FISCAL_YEARS_AHEAD = 2
DUPLICATE_TABLE_NOTE = "与 {first} 完全相同的重复表格（标题与全部单元格一致），已忽略，不重复计入"


def plausible_fiscal_year(year: int | None, today: datetime.date | None = None) -> bool:
    last = (today or datetime.date.today()).year + FISCAL_YEARS_AHEAD
    return year is not None and FIRST_FISCAL_YEAR <= year <= last


def _table_signature(t: LogicalTable) -> tuple:
    """What a table prints: its title and every cell, so a table printed twice is recognised."""
    return (compact(t.title or ""), tuple(tuple(compact(c) for c in r.cells) for r in t.rows))


def _has_amounts(t: LogicalTable) -> bool:
    """Whether a table prints any amount in its data rows (parsed or not)."""
    _header, data = split_header(t.rows)
    return any(is_amount(c) for r in data for c in r.cells)


def _raw_cells(t: LogicalTable, facts: Facts) -> None:
    for r in t.rows:
        for ci, c in enumerate(r.cells):
            if compact(c):
                facts.add(
                    "raw_cells",
                    table_id=t.table_id,
                    table_title=t.title,
                    page=r.page,
                    line=r.line,
                    row_index=r.index,
                    col_index=ci,
                    text=compact(c),
                    **cell_box(r, ci),
                )


def _core_count(facts: Facts) -> int:
    return sum(len(v) for k, v in facts.rows.items() if k.startswith("core_") and k != "core_parse_notes")


def _read_table(t: LogicalTable, facts: Facts, ctx: dict) -> None:
    """Run the table's recogniser and record whether it carried data, was printed empty with a
    note saying so, or was empty without one."""
    before = _core_count(facts)
    parser = RECOGNISERS.get(t.family)
    if parser:
        parser(t, facts, ctx)
    produced = _core_count(facts) - before
    note_text = "".join(compact(p.text) for p in t.notes)
    if produced or _has_amounts(t):
        status, note = "present", None
    elif EMPTY_TABLE_NOTE.search(note_text):
        status = "disclosed_empty"
        note = next((s + "。" for s in note_text.split("。") if EMPTY_TABLE_NOTE.search(s)), note_text[:200])
    else:
        status, note = "empty_unexplained", None
    if status == "disclosed_empty" and t.family == "sangong":
        stated_empty_totals(t, facts)
    facts.add(
        "core_table_status",
        table_family=t.family,
        table_family_zh=FAMILY_NAMES_ZH.get(t.family),
        table_title=t.title,
        table_id=t.table_id,
        status=status,
        note=note,
        printed_unit=t.unit,
        page=t.page,
        line=t.line,
        n_facts=produced,
    )


UNIT_FROM_STATEMENTS_NOTE = "表格未印金额单位；情况说明以{unit}陈述了表中{n}个相同数字（如 {example}），按{unit}读取"
UNIT_UNKNOWN_NOTE = "表格未印金额单位，情况说明中也没有相同的数字：金额按原样保留，不折算为元，不参与比较"
UNIT_UNKNOWN_WARNING = "tables without a printed unit, none found in the statements (amounts kept, not in 元): {titles}"


def _table_values(t: LogicalTable) -> list[Decimal]:
    _header, data = split_header(t.rows)
    out = []
    for r in data:
        for c in r.cells:
            n = parse_number(c) if is_amount(c) else None
            if n is not None and n.value is not None and n.value != 0:
                out.append(n.value)
    return out


def unit_from_statements(t: LogicalTable, stated: dict[Decimal, set[str]]) -> tuple[str, int, Decimal] | None:
    """The unit under which the document's own statements print the figures of a table that
    prints none: the unit with the most of the table's (non-zero) values stated in it, when one
    unit has more than any other. Returns (unit, how many values, one of them)."""
    hits: dict[str, list[Decimal]] = {}
    for v in _table_values(t):
        for unit in stated.get(v, ()):
            hits.setdefault(unit, []).append(v)
    ranked = sorted(hits.items(), key=lambda kv: -len(kv[1]))
    if not ranked or (len(ranked) > 1 and len(ranked[1][1]) == len(ranked[0][1])):
        return None
    unit, values = ranked[0]
    return unit, len(values), values[0]


def settle_units(doc: Document, tables: list[LogicalTable], facts: Facts) -> None:
    """Units are never assumed: a recognised table without a printed unit takes the unit its
    figures are stated in by the document's statements, else it is marked unit-unknown (its
    amounts stay as printed, with no 元 value) with a parse note and a warning."""
    unitless = [t for t in tables if t.family and t.unit is None]
    if not unitless:
        return
    stated = stated_amounts(doc)
    unknown = []
    for t in unitless:
        found = unit_from_statements(t, stated)
        if found:
            t.unit, t.unit_source = found[0], "statements"
            note = UNIT_FROM_STATEMENTS_NOTE.format(unit=found[0], n=found[1], example=found[2])
        else:
            t.unit_source = UNIT_UNKNOWN
            note = UNIT_UNKNOWN_NOTE
            unknown.append(t.title or t.table_id)
        facts.add("core_parse_notes", table_id=t.table_id, table_title=t.title, note=note)
    if unknown:
        doc.warnings.append(UNIT_UNKNOWN_WARNING.format(titles="、".join(unknown)))


def parse_document(doc: Document, data: bytes) -> ParsedDocument:
    tables = build_tables(doc)
    facts, ctx = Facts(), {}
    recognised = 0
    seen: dict[tuple, str] = {}
    for t in tables:
        t.family = family_of(t.title, _header_text(t))
    settle_units(doc, tables, facts)
    for t in tables:
        _raw_cells(t, facts)
        if t.family is None:
            continue
        first = seen.setdefault(_table_signature(t), t.table_id)
        if first != t.table_id:
            # A table printed twice in one file would double every fact and project it lists: the
            # raw cells stay, the second print is not read again, and a parse note says so.
            facts.add(
                "core_parse_notes",
                table_id=t.table_id,
                table_title=t.title,
                note=DUPLICATE_TABLE_NOTE.format(first=first),
            )
            continue
        recognised += 1
        _read_table(t, facts, ctx)
    for p in doc.paragraphs():
        facts.add("raw_paragraphs", page=p.page, line=p.line, text=compact(p.text))
    info = identify(doc, [t.title for t in tables if t.title], ctx.get("unit_names_from_tables", []))
    claims, priors = extract_claims(doc, info["fiscal_year"], info["stage"])
    topical = [c for c in claims if c["topic"] and c["claim_type"] in ("amount", "change")]
    if recognised == 0 and not topical:
        if info.get("title") and info["unit_name"] and info["fiscal_year"] and info["stage"]:
            raise NoFiguresError(info, doc.attachments)
        raise DocumentError("not a budget disclosure: no template tables or budget statements found")
    # Figures stated without the template tables (a 情况说明 or a 三公 statement only): a partial
    # disclosure with what it states; completeness lists the tables it lacks.
    info["partial"] = recognised == 0
    if info["fiscal_year"] is None:
        raise DocumentError("not a budget disclosure: no fiscal year found")
    if not plausible_fiscal_year(info["fiscal_year"]):
        last = datetime.date.today().year + FISCAL_YEARS_AHEAD
        raise DocumentError(f"implausible fiscal year {info['fiscal_year']} (expected {FIRST_FISCAL_YEAR}..{last})")
    for c in claims:
        facts.add("core_claims", **c)
    for p in priors:
        facts.add("core_prior_year_facts", **p)
    for p in facts.rows.get("core_prior_year_facts", []):
        if p["fiscal_year"] is None:  # a 三公 对比情况表 naming no year: the year before this document's
            p["fiscal_year"] = info["fiscal_year"] - 1
    assign_project_ids(facts.rows)
    _pension_items(facts, info["stage"])
    _truncation_conflicts(facts)
    mark_ocr(facts.rows, doc.ocr_pages)
    return ParsedDocument(
        path=doc.path,
        file_name=doc.file_name,
        fmt=doc.fmt,
        sha256=hashlib.sha256(data).hexdigest(),
        info=info,
        page_count=doc.page_count,
        encoding=doc.encoding,
        facts=facts,
        warnings=doc.warnings,
    )


def parse_file(path: str | Path) -> ParsedDocument:
    path = Path(path)
    doc = read_document(path)
    return parse_document(doc, path.read_bytes())


def _pension_items(facts: Facts, stage: str | None) -> None:
    seen: set[str] = set()
    priority = {"projects": 0, "self_evaluation": 1, "project_performance": 2}
    projects = sorted(facts.rows["core_projects"], key=lambda p: priority.get(p["source_family"], 9))
    for p in projects:
        # One item per project, however many tables list it (project_id, not the printed name).
        if p["project_id"] in seen:
            continue
        seen.add(p["project_id"])
        hit = classify_name(p["project_name"])
        if not hit:
            continue
        amount = p["executed_yuan"] if stage == "final" and p["executed_yuan"] is not None else p["amount_yuan"]
        facts.add(
            "core_pension_items",
            item_kind="project",
            item_name=p["project_name"],
            project_id=p["project_id"],
            function_code=None,
            measure=None,
            amount_yuan=amount,
            category=hit[0],
            category_zh=CATEGORIES[hit[0]],
            rule=hit[1],
            table_title=p["table_title"],
            page=p["page"],
            line=p["line"],
            row_index=p["row_index"],
        )
    lines = facts.rows["core_table_facts"]
    for family in ("expenditure", "gpb_expenditure"):
        rows = [
            f
            for f in lines
            if f["table_family"] == family
            and f["item_key"] == "function"
            and f["measure"] in ("basic", "project", "total")
        ]
        if not rows:
            continue
        for f in rows:
            hit = classify_function(f["function_code"], f["measure"])
            if hit and (
                f["measure"] != "total"
                or not any(
                    g["function_code"] == f["function_code"] and g["measure"] in ("basic", "project") for g in rows
                )
            ):
                facts.add(
                    "core_pension_items",
                    item_kind="function_line",
                    item_name=f["row_label"],
                    project_id=None,
                    function_code=f["function_code"],
                    measure=f["measure"],
                    amount_yuan=f["amount_yuan"],
                    category=hit[0],
                    category_zh=CATEGORIES[hit[0]],
                    rule=hit[1],
                    table_title=f["table_title"],
                    page=f["page"],
                    line=f["line"],
                    row_index=f["row_index"],
                )
        break


def _truncation_conflicts(facts: Facts) -> None:
    """The same function line printed with fewer decimals in one table (`12,615,180.1`) than in
    another (`12,615,180.13`): both stay as printed; the pair is recorded."""
    by_code: dict[tuple, list[dict]] = {}
    for f in facts.rows["core_table_facts"]:
        if f["function_code"] and f["measure"] == "total" and f["amount_yuan"] is not None:
            by_code.setdefault((f["function_code"],), []).append(f)
    for (code,), rows in by_code.items():
        full = [r for r in rows if (r["printed_decimals"] or 0) >= 2]
        for r in rows:
            if (r["printed_decimals"] or 0) >= 2 or r["printed_decimals"] is None:
                continue
            step = last_digit(r["printed_unit"], r["printed_decimals"])
            match = next((g for g in full if Decimal(0) < g["amount_yuan"] - r["amount_yuan"] < step), None)
            if match:
                facts.add(
                    "core_conflicts",
                    conflict_kind="truncated_cell",
                    item=f"function_code {code}",
                    value_a_yuan=r["amount_yuan"],
                    source_a=f"{r['table_title']} p{r['page']} l{r['line']} r{r['row_index']}",
                    value_b_yuan=match["amount_yuan"],
                    source_b=f"{match['table_title']} p{match['page']} l{match['line']} r{match['row_index']}",
                    note=f"{r['amount_printed']} 为截断显示，其他表印作 {match['amount_printed']}",
                )
