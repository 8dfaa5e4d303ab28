"""Copies of one disclosure (same division, unit, fiscal year and stage: `ParsedDocument.doc_key`,
on the unit's one spelling) into one set of warehouse rows.

One copy is kept as primary and the others are recorded as disagreements. The primary is chosen
by quality, not by size: a copy that printed its tables twice, or that carries thousands of junk
rows, has *more* facts than a clean one and must not win. `copy_quality` orders the copies:

1. fewer tables printed twice in the file (the pipeline drops the second print with a parse note);
2. plausible counts (no more projects than a disclosure can hold);
3. more of the required tables and statements present (a truncated copy loses);
4. fewer failed checks, then more passed checks;
5. then, as before, more facts; then the copy with the most precise provenance (text, Excel, HTML,
   Word, PDF; OCR and 繁體 conversions last: `etl.readers.provenance_rank`), and the file name.

Every disagreement between the primary and another copy is a `core_conflicts` row: amounts of the
same printed cell (`copies_disagree`) and counts of what the copies list (`copies_count_differ`:
projects, table amounts, indicators, statements, tables printed twice).

`merge_copies` is pure: it takes parsed copies and returns rows; the build engine calls it once
per disclosure and loads the rows.
"""

from __future__ import annotations

from etl.checks import run_checks
from etl.checks.completeness import completeness
from etl.pipeline import DUPLICATE_TABLE_NOTE, ParsedDocument
from etl.readers import provenance_rank
from rules.templates import COMPLETENESS_FULL

# More projects than any county agency lists (the largest samples list a few dozen): a copy above
# this is padded with rows that are not projects.
MAX_PLAUSIBLE_PROJECTS = 1000

# Counts compared between copies, with the Chinese name used in the conflict row.
COUNTED = {
    "core_projects": "项目数",
    "core_table_facts": "表格金额数",
    "core_performance_indicators": "绩效指标数",
    "core_claims": "情况说明陈述数",
}
DUPLICATES_LABEL = "重复印制的表格数"
ONLY_IN_ONE_LABEL = "仅见于一个副本的表格金额数"
_DUPLICATE_PREFIX = DUPLICATE_TABLE_NOTE.split("{", 1)[0]
_DUPLICATE_SUFFIX = DUPLICATE_TABLE_NOTE.rsplit("}", 1)[1]

# Row order within each warehouse table: stable keys, so the same inputs give the same content.
ROW_ORDER = (
    "doc_id",
    "source_file",
    "file_name",
    "page",
    "line",
    "row_index",
    "col_index",
    "seq",
    "check_name",
    "item",
)


def row_sort_key(row: dict) -> tuple:
    return tuple(str(row.get(k)) for k in ROW_ORDER)


def duplicated_tables(p: ParsedDocument) -> int:
    """Tables the file printed twice (each second print left a parse note)."""
    return sum(
        1
        for n in p.facts.rows.get("core_parse_notes", [])
        if n["note"].startswith(_DUPLICATE_PREFIX) and n["note"].endswith(_DUPLICATE_SUFFIX)
    )


def _fact_count(p: ParsedDocument) -> int:
    return sum(len(v) for k, v in p.facts.rows.items() if k.startswith("core_"))


def document_checks(p: ParsedDocument) -> list[dict]:
    """The per-document check results of a copy, run once and kept with it. The parse worker's
    merge of the file as a single copy runs them (in parallel, and the parse cache keeps them with
    the document); a merge of several copies ranks them by these results and writes the primary's."""
    if p.checks is None:
        p.checks = run_checks(checked_rows(p.facts.rows), p.info)
    return p.checks


def checked_rows(rows: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The rows the checks and completeness see: table amounts whose unit is unknown (printed, but
    no unit printed or stated for their table: no 元 value) are kept in the warehouse and out of
    every comparison."""
    facts = rows.get("core_table_facts", [])
    known = [f for f in facts if not (f["amount_yuan"] is None and f["amount_printed"] is not None)]
    if len(known) == len(facts):
        return rows
    return dict(rows, core_table_facts=known)


def copy_quality(p: ParsedDocument, checks: list[dict] | None = None) -> tuple:
    """Sort key of a copy: smaller is better (see the module docstring for the order)."""
    checks = document_checks(p) if checks is None else checks
    present = sum(1 for c in completeness(checked_rows(p.facts.rows), p.info) if c["status"] in COMPLETENESS_FULL)
    return (
        duplicated_tables(p),
        len(p.facts.rows.get("core_projects", [])) > MAX_PLAUSIBLE_PROJECTS,
        -present,
        sum(1 for c in checks if c["status"] == "fail"),
        -sum(1 for c in checks if c["status"] == "pass"),
        -_fact_count(p),
        provenance_rank(p.fmt, p.warnings),
        p.file_name,
    )


def _fact_keys(facts: list[dict]) -> dict[tuple, dict]:
    """Facts keyed by what they are, with an occurrence number for labels printed twice."""
    out: dict[tuple, dict] = {}
    for f in facts:
        k = (
            f["table_family"],
            f["table_title"],
            f["section"],
            f["row_label"],
            f["function_code"],
            f["econ_code"],
            f["item_key"],
            f["measure"],
        )
        n = 0
        while (k, n) in out:
            n += 1
        out[(k, n)] = f
    return out


def _counts(p: ParsedDocument) -> dict[str, int]:
    out = {label: len(p.facts.rows.get(table, [])) for table, label in COUNTED.items()}
    out[DUPLICATES_LABEL] = duplicated_tables(p)
    return out


def _document_row(primary: ParsedDocument, n_copies: int) -> dict:
    info = primary.info
    return dict(
        doc_id=primary.doc_id,
        unit_name=info["unit_name"],
        county=info["county"],
        prefecture=info["prefecture"],
        province=info["province"],
        adcode=info["adcode"],
        fiscal_year=info["fiscal_year"],
        stage=info["stage"],
        primary_file=primary.file_name,
        page_count=primary.page_count,
        source_count=n_copies,
        warnings="; ".join(primary.warnings) or None,
        unit_level=info.get("unit_level"),
        unit_kind=info.get("unit_kind"),
        is_partial=info.get("partial"),
    )


def _count_conflict(primary: ParsedDocument, other: ParsedDocument, item: str, a: int, b: int, note: str) -> dict:
    """A conflict row of two copies that hold different numbers of something (tables, cells)."""
    return dict(
        doc_id=primary.doc_id,
        source_file=primary.file_name,
        conflict_kind="copies_count_differ",
        item=item,
        count_a=a,
        source_a=primary.file_name,
        count_b=b,
        source_b=other.file_name,
        note=note,
    )


def _name_conflict(primary: ParsedDocument, other: ParsedDocument) -> list[dict]:
    """Copies merged on the unit's one spelling that printed its name differently (a year or 本级
    around it, the province in front): recorded, never silently unified."""
    a, b = primary.info.get("unit_name"), other.info.get("unit_name")
    if a == b:
        return []
    return [
        dict(
            doc_id=primary.doc_id,
            source_file=primary.file_name,
            conflict_kind="copies_name_differ",
            item="unit_name",
            source_a=primary.file_name,
            source_b=other.file_name,
            note=f"同一文档的两个副本单位名称印法不同：{a} 与 {b}；按 {primary.unit_key} 合并为一份公开",
        )
    ]


def copy_conflicts(primary: ParsedDocument, other: ParsedDocument) -> list[dict]:
    """Where another copy disagrees with the primary: the unit's printed name, counts, then amounts
    of matching cells."""
    doc_id, out = primary.doc_id, _name_conflict(primary, other)
    mine, theirs = _counts(primary), _counts(other)
    for label, a in mine.items():
        if a != theirs[label]:
            out.append(
                _count_conflict(
                    primary,
                    other,
                    label,
                    a,
                    theirs[label],
                    f"同一文档的两个副本{label}不同：{a} 与 {theirs[label]}；取数副本为 {primary.file_name}",
                )
            )
    base = _fact_keys(primary.facts.rows.get("core_table_facts", []))
    theirs_keys = _fact_keys(other.facts.rows.get("core_table_facts", []))
    only_a, only_b = len(base.keys() - theirs_keys.keys()), len(theirs_keys.keys() - base.keys())
    if only_a or only_b:  # cells one copy prints and the other does not (a table or row missing)
        note = f"{ONLY_IN_ONE_LABEL}：仅 {primary.file_name} 有 {only_a} 个，仅 {other.file_name} 有 {only_b} 个"
        out.append(_count_conflict(primary, other, ONLY_IN_ONE_LABEL, only_a, only_b, note))
    for k, f in theirs_keys.items():
        b = base.get(k)
        if b is not None and b["amount_yuan"] != f["amount_yuan"]:
            out.append(
                dict(
                    doc_id=doc_id,
                    source_file=primary.file_name,
                    conflict_kind="copies_disagree",
                    item=f"{f['table_title']} / {f['row_label']} / {f['measure']}",
                    value_a_yuan=b["amount_yuan"],
                    source_a=f"{primary.file_name} p{b['page']} l{b['line']}",
                    value_b_yuan=f["amount_yuan"],
                    source_b=f"{other.file_name} p{f['page']} l{f['line']}",
                    note="同一文档的两个副本数字不一致",
                )
            )
    return out


def merge_copies(copies: list[ParsedDocument]) -> tuple[ParsedDocument, dict[str, list[dict]]]:
    """One disclosure's copies -> (primary copy, rows by warehouse table).

    The rows are: one `core_documents` row; the primary's facts with `doc_id` and `source_file`;
    its `check_results` and `core_completeness`; and `core_conflicts` (within the primary, and
    between the primary and each other copy). Facts keep the primary's print order; conflicts are
    sorted by `row_sort_key`. `core_source_files` is not included: it describes files, failed ones
    too, and belongs to the build.
    """
    if not copies:
        raise ValueError("merge_copies needs at least one copy")
    # A single copy needs no ranking (most disclosures arrive once).
    ranked = copies if len(copies) == 1 else sorted(copies, key=copy_quality)
    primary = ranked[0]
    doc_id, src = primary.doc_id, primary.file_name
    tables: dict[str, list[dict]] = {"core_documents": [_document_row(primary, len(copies))]}

    def add(table: str, row: dict) -> None:
        tables.setdefault(table, []).append(dict(row, doc_id=doc_id, source_file=src))

    for table, rows in primary.facts.rows.items():
        for r in rows:
            add(table, r)
    for r in document_checks(primary):
        add("check_results", r)
    for r in completeness(checked_rows(primary.facts.rows), primary.info):
        add("core_completeness", r)
    for other in ranked[1:]:
        for r in copy_conflicts(primary, other):
            add("core_conflicts", r)
    # Rows keep the primary's print order: one parse of one file is already deterministic, and
    # sorting every raw cell here cost more than loading it.
    tables["core_conflicts"] = sorted(tables.get("core_conflicts", []), key=row_sort_key)
    return primary, tables
