"""warehouse/views.sql with its generated blocks filled from rules/ and warehouse/schema.py.

A rule that SQL needs (the shares of a document, the per-resident figures, the 三公 components and their names, the severity
order, the completeness score, the names of the compatibility view) is written once, in Python,
and generated into views.sql between `-- BEGIN GENERATED: <name>` and `-- END GENERATED: <name>`.
`views_sql()` regenerates every block from the rules whenever the views are created, so the SQL
cannot drift from them; `python -m warehouse.docs` rewrites the blocks in the file too, so
views.sql reads as what runs (tests/unit/test_schema.py checks it is current).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from rules.changes import sql_sign, sql_signed
from rules.labels import (
    SANGONG_COMPONENT_ZH,
    SANGONG_COMPONENTS,
    SANGONG_TOTAL_ZH,
    SEVERITY_ORDER,
    sql_key_of_rank,
    sql_rank,
)
from rules.measures import (
    STATED_CHANGE,
    STATED_CHANGE_FIGURES,
    sql_doc_share_rows,
    sql_measure_figures,
    sql_per_resident_rows,
)
from rules.templates import COMPLETENESS_FULL, COMPLETENESS_PARTIAL, sql_completeness_score
from warehouse.schema import COMPAT_SUMMARY, COMPAT_VIEW, sql_literal

VIEWS_SQL = Path(__file__).with_name("views.sql")
_BLOCK = re.compile(r"^-- BEGIN GENERATED: (\w+)\n.*?^-- END GENERATED: \1\n", re.S | re.M)


def _macros() -> str:
    """Persistent macros the views and named queries use (they run on read-only connections)."""
    return "\n".join(
        [
            f"CREATE MACRO severity_rank(severity) AS {sql_rank('severity', SEVERITY_ORDER)};",
            f"CREATE MACRO severity_of_rank(r) AS {sql_key_of_rank('r', SEVERITY_ORDER)};",
        ]
    )


def _sangong_components() -> str:
    """The 三公 total and its four components, with their names and display order (rules.labels)."""
    rows = [("total", SANGONG_TOTAL_ZH, 0)] + [
        (k, SANGONG_COMPONENT_ZH[k], i) for i, k in enumerate(SANGONG_COMPONENTS, 1)
    ]
    values = ",\n  ".join(f"({sql_literal(k)}, {sql_literal(zh)}, {i})" for k, zh, i in rows)
    return f"CREATE VIEW int_sangong_components(component, zh, ord) AS VALUES\n  {values};"


def _compat_summary() -> str:
    """county_year_summary: mart_county_year under the names first published."""
    select = ",\n       ".join(new if old == new else f"{new} AS {old}" for old, new in COMPAT_SUMMARY.items())
    return (
        "-- Compatibility view: the names county_year_summary was published with (warehouse.schema.COMPAT_SUMMARY).\n"
        f"CREATE VIEW {COMPAT_VIEW} AS\nSELECT {select}\nFROM mart_county_year;"
    )


def _completeness_scores() -> str:
    """The completeness score per document: rules.templates' one definition, as SQL."""
    full = ", ".join(sql_literal(s) for s in COMPLETENESS_FULL)
    partial = ", ".join(sql_literal(s) for s in COMPLETENESS_PARTIAL)
    return f"""CREATE VIEW completeness_scores AS
SELECT d.doc_id, d.county, d.fiscal_year, d.stage,
       count(*) AS required_items,
       count(*) FILTER (WHERE k.status IN ({full})) AS present_items,
       count(*) FILTER (WHERE k.status IN ({partial})) AS partial_items,
       {sql_completeness_score("k.status")} AS completeness_score
FROM core_completeness k JOIN core_documents d USING (doc_id)
GROUP BY ALL;"""


def _stated_changes() -> str:
    """The headline change each document states, per figure it names (rules.measures): the first
    such statement against the year before, with its printed rate signed by its direction word."""
    figures = ",\n  ".join(
        f"({sql_literal(k)}, {sql_literal(zh)}, {i})" for i, (k, zh) in enumerate(STATED_CHANGE_FIGURES.items())
    )
    return f"""CREATE VIEW int_stated_change_figures(figure, figure_zh, ord) AS VALUES
  {figures};
CREATE VIEW int_stated_changes AS
SELECT c.doc_id, c.figure, any_value(g.figure_zh) AS figure_zh, any_value(g.ord) AS ord,
       {sql_literal(STATED_CHANGE + ":")} || c.figure AS measure_key,
       arg_min({sql_sign("c.direction")} * c.pct_printed, c.seq) AS pct_signed_frac,
       arg_min({sql_signed("c.amount_yuan", "c.direction")}, c.seq) AS change_signed_yuan,
       arg_min(c.current_amount_yuan, c.seq) AS current_amount_yuan,
       arg_min(c.source_file, c.seq) AS source_file, arg_min(c.page, c.seq) AS page,
       arg_min(c.line, c.seq) AS line, arg_min(c.sentence, c.seq) AS sentence
FROM core_claims c JOIN core_documents d USING (doc_id) JOIN int_stated_change_figures g ON g.figure = c.figure
WHERE c.claim_type = 'change' AND c.pct_printed IS NOT NULL AND c.compare_year = d.fiscal_year - 1
GROUP BY c.doc_id, c.figure;"""


GENERATORS: dict[str, Callable[[], str]] = {
    "stated_changes": _stated_changes,
    "measure_figures": sql_measure_figures,
    "macros": _macros,
    "sangong_components": _sangong_components,
    "county_year_summary": _compat_summary,
    "completeness_scores": _completeness_scores,
    "doc_shares": lambda: sql_doc_share_rows("s"),
    "per_resident": lambda: sql_per_resident_rows("s"),
}


def expand(text: str) -> str:
    """`text` with every generated block filled from its generator; every generator must have its
    block and every block its generator."""
    seen: list[str] = []

    def fill(m: re.Match) -> str:
        name = m.group(1)
        if name not in GENERATORS:
            raise ValueError(f"views.sql: no generator for block {name!r}")
        seen.append(name)
        return f"-- BEGIN GENERATED: {name}\n{GENERATORS[name]().rstrip()}\n-- END GENERATED: {name}\n"

    out = _BLOCK.sub(fill, text)
    if missing := set(GENERATORS) - set(seen):
        raise ValueError(f"views.sql: blocks missing for {sorted(missing)}")
    return out


def views_sql() -> str:
    """The SQL that creates the views, generated blocks filled from the rules."""
    return expand(VIEWS_SQL.read_text(encoding="utf-8"))


def write_views_sql() -> bool:
    """Rewrite the generated blocks in views.sql; True when the file changed."""
    text = VIEWS_SQL.read_text(encoding="utf-8")
    new = expand(text)
    if new != text:
        VIEWS_SQL.write_text(new, encoding="utf-8")
    return new != text
