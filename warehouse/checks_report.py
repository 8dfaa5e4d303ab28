"""`python -m etl check`: the failed checks of a built warehouse, most severe first."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from rules.labels import SEVERITY_ORDER, SEVERITY_ZH, place_text, sql_rank, stage_zh
from warehouse import paths

FAILURES = f"""
    SELECT d.county, d.unit_name, d.fiscal_year, d.stage, c.severity, c.check_name, c.message,
           c.source_file, c.page, c.line, c.table_title, c.tolerance_rule
    FROM check_results c JOIN core_documents d USING (doc_id)
    WHERE c.status = 'fail'
    ORDER BY {sql_rank("c.severity", SEVERITY_ORDER)}, d.county, d.fiscal_year,
             c.page, c.line, c.check_name
"""


def print_failures(db: Path | None, out=sys.stdout) -> int:
    db = db or paths.current_db_path()
    if db is None or not Path(db).exists():
        print("no warehouse: run `python -m etl build` first", file=sys.stderr)
        return 2
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(FAILURES).fetchall()
        totals = con.execute("SELECT status, count(*) FROM check_results GROUP BY status ORDER BY status").fetchall()
        scores = con.execute(
            "SELECT county, fiscal_year, stage, completeness_score FROM completeness_scores "
            "ORDER BY county, fiscal_year"
        ).fetchall()
    for county, unit, year, stage, sev, name, msg, src, page, line, title, _rule in rows:
        where = place_text(src, page, line) + (f"《{title}》" if title else "")
        print(
            f"[{SEVERITY_ZH[sev]}] {county or unit} {year}{stage_zh(stage)} {name}: {msg}  ({where})",
            file=out,
        )
    print(" / ".join(f"{s} {n}" for s, n in totals), file=out)
    for county, year, stage, score in scores:
        print(f"完整性 {county} {year}{stage_zh(stage)}: {score * 100:.0f}%", file=out)
    return 0
