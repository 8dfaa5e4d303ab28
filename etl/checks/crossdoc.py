"""Checks across documents, run as SQL over the loaded warehouse (the build never holds all
documents in memory): they see every disclosure at once, after the core tables are loaded and
before the views exist, and add rows to `check_results` like the per-document checks.

- `prior_year_matches_document`: a prior-year figure a document states (current − stated change,
  `core_prior_year_facts`) against that year's own document of the same unit and stage, for the
  same figure (收支总计 against 收支总计, never against 本年支出合计).
- `final_budget_matches_budget_document`: an amount a 决算 states as its 预算 (e.g. "一般公共预算
  财政拨款支出年初预算为 X 元") against the same year's 预算 document.
- `execution_rate_matches_budget_document`: a 决算's stated 完成预算 rate against its own 决算 figure
  ÷ the 预算 document's figure.
- `copies_agree`: copies of one disclosure (merged by `etl.merge`) that disagree on an amount or
  on how many projects, facts or statements they carry.

The same unit is the same unit name (and the same 行政区划代码 when both have one): two agencies of
one county share a code, and a check must not compare one agency with another.
"""

from __future__ import annotations

import duckdb

from etl.checks.narrative import NOT_BUDGET_WORDS
from rules.labels import CROSS_DOCUMENT_GROUP as GROUP
from rules.units import sql_macros, sql_pct_half_unit

# The check names the statements below write (etl.checks.check_names, docs/checks.md).
CHECK_NAMES = (
    "prior_year_matches_document",
    "final_budget_matches_budget_document",
    "execution_rate_matches_budget_document",
    "copies_agree",
)

# Where a document prints each figure, best source first: (figure, family, item_key, measure,
# stage the cell applies to or None for both). A figure no table prints falls back to the
# amount the document's 情况说明 states for it (core_claims.figure).
FIGURE_CELLS: list[tuple[str, str, str, str, str | None]] = [
    ("total_expenditure", "summary", "expenditure_total", "total", None),
    ("total_expenditure", "expenditure", "total", "total", None),
    ("total_revenue", "summary", "revenue_total", "total", None),
    ("total_revenue", "income", "total", "total", None),
    ("grand_total", "summary", "revenue_grand_total", "total", None),
    ("grand_total", "summary", "expenditure_grand_total", "total", None),
    ("fiscal_grand_total", "fiscal_summary", "revenue_grand_total", "total", None),
    ("fiscal_grand_total", "fiscal_summary", "expenditure_grand_total", "total", None),
    ("fiscal_expenditure", "fiscal_summary", "expenditure_total", "total", None),
    ("fiscal_revenue", "fiscal_summary", "revenue_total", "total", None),
    ("gpb_expenditure", "gpb_expenditure", "total", "total", None),
    ("gpb_expenditure", "fiscal_summary", "expenditure_total", "gpb", None),
    ("basic_expenditure", "expenditure", "total", "basic", None),
    ("basic_expenditure", "gpb_expenditure", "total", "basic", None),
    ("project_expenditure", "expenditure", "total", "project", None),
    ("project_expenditure", "gpb_expenditure", "total", "project", None),
    ("personnel_expenditure", "basic_econ", "total", "personnel", None),
    ("public_expenditure", "basic_econ", "total", "public", None),
] + [
    (part, "sangong", part, measure, stage)
    for part in (
        "sangong_total",
        "sangong_abroad",
        "sangong_reception",
        "sangong_vehicle_total",
        "sangong_vehicle_purchase",
        "sangong_vehicle_operation",
    )
    for measure, stage in (("budget", "budget"), ("actual", "final"))
]

_NOT_BUDGET = "coalesce(subject, '')"
for _word in NOT_BUDGET_WORDS:
    _NOT_BUDGET = f"replace({_NOT_BUDGET}, '{_word}', '')"
# The unit rules (rules.units) as macros: xd_unit_factor, xd_half_unit (half a unit of the last
# printed digit, in 元; 元 to the fen is exact), xd_decimals_of, xd_yuan_text.
_MACROS = (
    sql_macros("xd_")
    + f"""
-- A statement of a 预算 figure (as etl.checks.narrative.says_budget).
CREATE OR REPLACE TEMP MACRO xd_says_budget(subject) AS
  {_NOT_BUDGET} LIKE '%预算%' AND coalesce(subject, '') NOT LIKE '%决算%';
"""
)

# Documents and the same unit: same unit name, same code when both have one.
_SAME_UNIT = "a.unit_name = b.unit_name AND (a.adcode = b.adcode OR a.adcode IS NULL OR b.adcode IS NULL)"

# Each document's value of each figure: its tables first, then its own statements. A 决算's
# statement of a 预算 figure (and a 预算's of a 决算 figure) is not the document's own figure.
_VALUES = """
CREATE OR REPLACE TEMP TABLE xd_values AS
WITH cand AS (
  SELECT f.doc_id, m.figure, m.priority, f.amount_yuan, f.table_title AS source,
         xd_half_unit(f.printed_unit, f.printed_decimals) AS half
  FROM core_table_facts f
  JOIN core_documents d USING (doc_id)
  JOIN xd_cells m ON f.table_family = m.family AND f.item_key = m.item_key AND f.measure = m.measure
                 AND (m.stage IS NULL OR m.stage = d.stage)
  WHERE f.amount_yuan IS NOT NULL
  UNION ALL
  SELECT c.doc_id, c.figure, 1000 + c.seq, c.amount_yuan, '情况说明',
         xd_half_unit(c.printed_unit, xd_decimals_of(c.amount_printed))
  FROM core_claims c JOIN core_documents d USING (doc_id)
  WHERE c.claim_type = 'amount' AND c.figure IS NOT NULL AND c.amount_yuan IS NOT NULL
    AND NOT (d.stage = 'final' AND xd_says_budget(c.subject))
    AND NOT (d.stage = 'budget' AND c.subject LIKE '%决算%'))
SELECT doc_id, figure, arg_min(amount_yuan, priority) AS amount_yuan, arg_min(source, priority) AS source,
       arg_min(half, priority) AS half
FROM cand GROUP BY doc_id, figure
"""

_COLUMNS = (
    "doc_id, source_file, page, line, row_index, table_title, check_name, check_group, severity, status, item, "
    "printed_value, implied_value, difference, tolerance, tolerance_rule, value_unit, figure, message, evidence"
)

_PRIOR_YEAR = f"""
INSERT INTO check_results ({_COLUMNS})
WITH stated AS (
  SELECT p.doc_id, p.fiscal_year, p.stage, p.figure, p.subject, p.amount_yuan, p.sentence, p.page, p.line,
         -- the change and the current amount are each rounded to the change's printed precision
         2 * max(xd_half_unit(c.printed_unit, xd_decimals_of(c.amount_printed))) AS half
  FROM core_prior_year_facts p
  LEFT JOIN core_claims c
    ON c.doc_id = p.doc_id AND c.claim_type = 'change' AND c.sentence = p.sentence
   AND c.figure IS NOT DISTINCT FROM p.figure AND c.compare_year = p.fiscal_year
  WHERE p.figure IS NOT NULL AND p.amount_yuan IS NOT NULL
  GROUP BY ALL),
pairs AS (
  SELECT s.*, a.primary_file, b.doc_id AS other_doc, b.primary_file AS other_file, v.amount_yuan AS other_amount,
         v.source AS other_source, coalesce(s.half, 0) + v.half AS tol
  FROM stated s
  JOIN core_documents a ON a.doc_id = s.doc_id
  JOIN core_documents b ON {_SAME_UNIT} AND b.fiscal_year = s.fiscal_year AND b.stage = s.stage
  JOIN xd_values v ON v.doc_id = b.doc_id AND v.figure = s.figure)
SELECT doc_id, primary_file, page, line, NULL, NULL, 'prior_year_matches_document', '{GROUP}', 'medium',
       CASE WHEN abs(amount_yuan - other_amount) <= tol THEN 'pass' ELSE 'fail' END,
       format('{{}}年「{{}}」（上年数）与{{}}年文件', fiscal_year, coalesce(subject, figure), fiscal_year),
       amount_yuan, other_amount, amount_yuan - other_amount, tol,
       '本文件所述上年数（本年数 − 增减额）应等于该年文件同一指标；容差为印刷精度的半个末位之和',
       '元', NULL,
       CASE WHEN abs(amount_yuan - other_amount) <= tol
            THEN format('所述{{}}年「{{}}」{{}} 与{{}}年文件（{{}}，{{}}）一致', fiscal_year, coalesce(subject, figure),
                        xd_yuan_text(amount_yuan), fiscal_year, other_file, other_source)
            ELSE format('按本文件所述增减额推出{{}}年「{{}}」为 {{}}，而{{}}年文件（{{}}，{{}}）印为 {{}}，相差 {{}}',
                        fiscal_year, coalesce(subject, figure), xd_yuan_text(amount_yuan), fiscal_year, other_file,
                        other_source, xd_yuan_text(other_amount), xd_yuan_text(amount_yuan - other_amount)) END,
       sentence
FROM pairs
"""

# Amounts a 决算 states as 预算 ("年初预算为 X 元"), with the figure they are of.
_FINAL_BUDGET_CLAIMS = """
  SELECT c.doc_id, c.figure, c.subject, c.amount_yuan, c.sentence, c.page, c.line,
         xd_half_unit(c.printed_unit, xd_decimals_of(c.amount_printed)) AS half
  FROM core_claims c JOIN core_documents d USING (doc_id)
  WHERE d.stage = 'final' AND c.claim_type = 'amount' AND c.figure IS NOT NULL AND c.amount_yuan IS NOT NULL
    AND xd_says_budget(c.subject)
"""

_FINAL_VS_BUDGET = f"""
INSERT INTO check_results ({_COLUMNS})
WITH stated AS ({_FINAL_BUDGET_CLAIMS}),
pairs AS (
  SELECT s.*, a.primary_file, a.fiscal_year, b.primary_file AS other_file, v.amount_yuan AS other_amount,
         v.source AS other_source, s.half + v.half AS tol
  FROM stated s
  JOIN core_documents a ON a.doc_id = s.doc_id
  JOIN core_documents b ON {_SAME_UNIT} AND b.fiscal_year = a.fiscal_year AND b.stage = 'budget'
  JOIN xd_values v ON v.doc_id = b.doc_id AND v.figure = s.figure)
SELECT doc_id, primary_file, page, line, NULL, NULL, 'final_budget_matches_budget_document', '{GROUP}', 'medium',
       CASE WHEN abs(amount_yuan - other_amount) <= tol THEN 'pass' ELSE 'fail' END,
       format('决算所述「{{}}」与{{}}年预算文件', subject, fiscal_year),
       amount_yuan, other_amount, amount_yuan - other_amount, tol,
       '决算文件所述预算数应等于同年预算文件的同一指标（年中调整过的全年预算数会不同）；容差为印刷精度的半个末位之和',
       '元', NULL,
       CASE WHEN abs(amount_yuan - other_amount) <= tol
            THEN format('「{{}}」{{}} 与{{}}年预算文件（{{}}，{{}}）一致', subject, xd_yuan_text(amount_yuan), fiscal_year,
                        other_file, other_source)
            ELSE format('决算所述「{{}}」为 {{}}，而{{}}年预算文件（{{}}，{{}}）为 {{}}，相差 {{}}', subject,
                        xd_yuan_text(amount_yuan), fiscal_year, other_file, other_source, xd_yuan_text(other_amount),
                        xd_yuan_text(amount_yuan - other_amount)) END,
       sentence
FROM pairs
"""

_EXECUTION_RATE = f"""
INSERT INTO check_results ({_COLUMNS})
WITH rates AS (
  SELECT c.doc_id, c.figure, c.subject, c.amount_yuan, c.pct_printed, c.sentence, c.page, c.line,
         xd_half_unit(c.printed_unit, xd_decimals_of(c.amount_printed)) AS half,
         -- half a unit of the printed rate's last digit (1.4505 printed as 145.05%)
         {sql_pct_half_unit("c.pct_printed")} AS pct_half
  FROM core_claims c JOIN core_documents d USING (doc_id)
  WHERE d.stage = 'final' AND c.claim_type = 'execution_rate' AND c.figure IS NOT NULL
    AND c.pct_printed IS NOT NULL AND c.amount_yuan IS NOT NULL),
pairs AS (
  SELECT r.*, a.primary_file, a.fiscal_year, b.primary_file AS other_file, v.amount_yuan AS budget,
         v.source AS other_source,
         r.amount_yuan / v.amount_yuan AS implied,
         r.pct_half + abs(r.amount_yuan / v.amount_yuan) * (r.half / abs(r.amount_yuan) + v.half / abs(v.amount_yuan))
           AS tol
  FROM rates r
  JOIN core_documents a ON a.doc_id = r.doc_id
  JOIN core_documents b ON {_SAME_UNIT} AND b.fiscal_year = a.fiscal_year AND b.stage = 'budget'
  JOIN xd_values v ON v.doc_id = b.doc_id AND v.figure = r.figure
  WHERE v.amount_yuan <> 0 AND r.amount_yuan <> 0)
SELECT doc_id, primary_file, page, line, NULL, NULL, 'execution_rate_matches_budget_document', '{GROUP}', 'medium',
       CASE WHEN abs(pct_printed - implied) <= tol THEN 'pass' ELSE 'fail' END,
       format('「{{}}」完成预算比例与{{}}年预算文件', coalesce(subject, figure), fiscal_year),
       pct_printed, round(implied, 6), round(pct_printed - implied, 6), round(tol, 6),
       '完成率 = 决算数 ÷ 同年预算文件的同一指标；容差为百分比末位的一半加金额舍入的影响',
       '比率', NULL,
       CASE WHEN abs(pct_printed - implied) <= tol
            THEN format('完成 {{:.2f}}% = {{}} ÷ 预算文件（{{}}）{{}}', pct_printed * 100, xd_yuan_text(amount_yuan),
                        other_file, xd_yuan_text(budget))
            ELSE format('印为完成 {{:.2f}}%，按 {{}} ÷ {{}}年预算文件（{{}}，{{}}）{{}} 应为 {{:.2f}}%', pct_printed * 100,
                        xd_yuan_text(amount_yuan), fiscal_year, other_file, other_source, xd_yuan_text(budget),
                        implied * 100) END,
       sentence
FROM pairs
"""

_COPIES = f"""
INSERT INTO check_results ({_COLUMNS})
SELECT k.doc_id, d.primary_file, 1, NULL, NULL, NULL, 'copies_agree', '{GROUP}',
       CASE k.conflict_kind WHEN 'copies_disagree' THEN 'high' ELSE 'medium' END, 'fail',
       format('副本 {{}}：{{}}', k.source_b, k.item),
       coalesce(k.value_a_yuan, k.count_a), coalesce(k.value_b_yuan, k.count_b),
       coalesce(k.value_a_yuan, k.count_a) - coalesce(k.value_b_yuan, k.count_b), 0,
       '同一文档的各副本应完全一致（取数副本按质量选定）',
       CASE WHEN k.conflict_kind = 'copies_count_differ' THEN '个' ELSE '元' END, NULL,
       CASE WHEN k.conflict_kind = 'copies_count_differ'
            THEN format('副本不一致：{{}}（取数副本 {{}}）', k.note, d.primary_file)
            ELSE format('副本不一致：{{}} 在 {{}} 为 {{}}，在 {{}} 为 {{}}', k.item, k.source_a, xd_yuan_text(k.value_a_yuan),
                        k.source_b, xd_yuan_text(k.value_b_yuan)) END,
       NULL
FROM core_conflicts k JOIN core_documents d USING (doc_id)
WHERE k.conflict_kind IN ('copies_disagree', 'copies_count_differ')
UNION ALL
SELECT d.doc_id, d.primary_file, 1, NULL, NULL, NULL, 'copies_agree', '{GROUP}', 'medium', 'pass',
       format('{{}} 个副本', d.source_count), NULL, NULL, NULL, 0,
       '同一文档的各副本应完全一致（取数副本按质量选定）', '个', NULL,
       format('{{}} 个副本的数字与条目数一致（取数副本 {{}}）', d.source_count, d.primary_file), NULL
FROM core_documents d
WHERE d.source_count > 1 AND NOT EXISTS (
  SELECT 1 FROM core_conflicts k
  WHERE k.doc_id = d.doc_id AND k.conflict_kind IN ('copies_disagree', 'copies_count_differ'))
"""

STATEMENTS = (_PRIOR_YEAR, _FINAL_VS_BUDGET, _EXECUTION_RATE, _COPIES)


def run_crossdoc_checks(con: duckdb.DuckDBPyConnection) -> int:
    """Add the cross-document results to `check_results`; returns the number of rows added."""
    before = con.execute("SELECT count(*) FROM check_results").fetchone()[0]
    con.execute(_MACROS)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE xd_cells (figure VARCHAR, family VARCHAR, item_key VARCHAR, "
        "measure VARCHAR, stage VARCHAR, priority INTEGER)"
    )
    con.executemany(
        "INSERT INTO xd_cells VALUES (?, ?, ?, ?, ?, ?)", [(*cell, i) for i, cell in enumerate(FIGURE_CELLS)]
    )
    con.execute(_VALUES)
    for sql in STATEMENTS:
        con.execute(sql)
    for name in ("xd_values", "xd_cells"):
        con.execute(f"DROP TABLE {name}")
    return con.execute("SELECT count(*) FROM check_results").fetchone()[0] - before
