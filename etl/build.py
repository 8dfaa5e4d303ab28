"""`python -m etl build`: every .txt and .pdf under the inputs into one warehouse.

Each file is parsed on its own; a bad file is reported with its reason and the others still load.
Copies of one disclosure (same unit, fiscal year and stage) are merged: the copy with the most
facts is kept, every copy is a source, and disagreements are recorded as conflicts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from etl.checks import run_checks
from etl.checks.completeness import completeness
from etl.model import DocumentError
from etl.pipeline import ParsedDocument, parse_file
from warehouse.build import write_warehouse

SUFFIXES = (".txt", ".pdf")
DEFAULT_INPUT = Path(__file__).resolve().parent.parent / "data" / "raw"


@dataclass
class FileOutcome:
    path: Path
    ok: bool
    message: str
    parsed: ParsedDocument | None = None


@dataclass
class BuildResult:
    outcomes: list[FileOutcome] = field(default_factory=list)
    db_path: Path | None = None
    documents: int = 0

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if not o.ok]


def discover(inputs: list[Path]) -> list[Path]:
    files: list[Path] = []
    for inp in inputs:
        inp = Path(inp)
        if inp.is_file():
            files.append(inp)
        elif inp.is_dir():
            files.extend(p for p in inp.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    return sorted(set(files), key=lambda p: (p.name, str(p)))


def parse_all(files: list[Path], progress=None) -> list[FileOutcome]:
    outcomes = []
    for i, path in enumerate(files):
        try:
            parsed = parse_file(path)
            warn = f" ({len(parsed.warnings)} warnings: {parsed.warnings[0]})" if parsed.warnings else ""
            outcomes.append(
                FileOutcome(
                    path,
                    True,
                    f"ok: {parsed.info['unit_name']} {parsed.info['fiscal_year']} {parsed.info['stage']}{warn}",
                    parsed,
                )
            )
        except DocumentError as exc:
            outcomes.append(FileOutcome(path, False, f"failed: {exc}"))
        except Exception as exc:  # a parser bug must not stop the other files
            outcomes.append(FileOutcome(path, False, f"failed: unexpected {type(exc).__name__}: {exc}"))
        if progress:
            progress(i + 1, len(files), path.name)
    return outcomes


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


def assemble(outcomes: list[FileOutcome]) -> tuple[dict[str, list[dict]], int]:
    tables: dict[str, list[dict]] = {}
    groups: dict[tuple, list[ParsedDocument]] = {}
    for o in outcomes:
        if o.parsed:
            groups.setdefault(o.parsed.doc_key, []).append(o.parsed)

    def add(table: str, row: dict) -> None:
        tables.setdefault(table, []).append(row)

    primary_of: dict[str, ParsedDocument] = {}
    for copies in groups.values():
        copies.sort(
            key=lambda p: (
                -sum(len(v) for k, v in p.facts.rows.items() if k.startswith("core_")),
                p.fmt == "pdf",
                p.file_name,
            )
        )
        primary = copies[0]
        doc_id = primary.doc_id
        for p in copies:
            primary_of[p.path] = primary
        info = primary.info
        add(
            "core_documents",
            dict(
                doc_id=doc_id,
                unit_name=info["unit_name"],
                county=info["county"],
                prefecture=info["prefecture"],
                province=info["province"],
                adcode=info["adcode"],
                fiscal_year=info["fiscal_year"],
                stage=info["stage"],
                primary_file=primary.file_name,
                page_count=primary.page_count,
                source_count=len(copies),
                warnings="; ".join(primary.warnings) or None,
            ),
        )
        for table, rows in primary.facts.rows.items():
            for r in rows:
                add(table, dict(r, doc_id=doc_id, source_file=primary.file_name))
        for r in run_checks(primary.facts.rows, info):
            add("check_results", dict(r, doc_id=doc_id, source_file=primary.file_name))
        for r in completeness(primary.facts.rows, info):
            add("core_completeness", dict(r, doc_id=doc_id, source_file=primary.file_name))
        base = _fact_keys(primary.facts.rows.get("core_table_facts", []))
        for other in copies[1:]:
            for k, f in _fact_keys(other.facts.rows.get("core_table_facts", [])).items():
                b = base.get(k)
                if b is not None and b["amount_yuan"] != f["amount_yuan"]:
                    add(
                        "core_conflicts",
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
                        ),
                    )
    for o in outcomes:
        p = o.parsed
        primary = primary_of.get(str(o.path)) if p else None
        add(
            "core_source_files",
            dict(
                file_name=o.path.name,
                file_path=str(o.path),
                sha256=hashlib.sha256(o.path.read_bytes()).hexdigest() if o.path.exists() else None,
                format=p.fmt if p else None,
                encoding=p.encoding if p else None,
                page_count=p.page_count if p else None,
                doc_id=primary.doc_id if primary else None,
                status="ok" if o.ok else "failed",
                message=o.message,
                is_primary=bool(primary is not None and primary.path == p.path),
            ),
        )
    for rows in tables.values():
        rows.sort(
            key=lambda r: tuple(
                str(r.get(k))
                for k in (
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
            )
        )
    return tables, len(groups)


def build(inputs: list[Path], db_path: Path, progress=None) -> BuildResult:
    files = discover(inputs)
    outcomes = parse_all(files, progress)
    tables, ndocs = assemble(outcomes)
    path = write_warehouse(tables, db_path)
    return BuildResult(outcomes=outcomes, db_path=path, documents=ndocs)
