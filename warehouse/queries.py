"""Named, parameterised queries the pages read. Pages never write SQL; user input is only ever
bound as a parameter, never formatted into a statement. Amounts come back in 元 (DECIMAL)."""

from __future__ import annotations

import duckdb
import polars as pl

# Filter predicate on core_documents d: counties, years, stage (empty list / NULL = all).
DOC_FILTER = """(len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], d.county))
    AND (len($years::INTEGER[]) = 0 OR list_contains($years::INTEGER[], d.fiscal_year))
    AND ($stage::VARCHAR IS NULL OR d.stage = $stage)"""

QUERIES: dict[str, str] = {
    "filter_options": """
        SELECT list(DISTINCT county ORDER BY county) AS counties,
               list(DISTINCT fiscal_year ORDER BY fiscal_year) AS years
        FROM core_documents WHERE county IS NOT NULL""",
    "summary": f"""
        WITH fails AS (SELECT doc_id, count(*) AS checks_failed FROM check_results WHERE status = 'fail' GROUP BY doc_id),
        comp AS (SELECT doc_id, CAST((count(*) FILTER (WHERE status IN ('present', 'present_empty_explained'))
                        + 0.5 * count(*) FILTER (WHERE status IN ('partial', 'present_empty_unexplained')))
                        / count(*) AS DECIMAL(18,4)) AS completeness_score FROM core_completeness GROUP BY doc_id)
        SELECT d.doc_id, s.*, coalesce(x.checks_failed, 0) AS checks_failed, k.completeness_score
        FROM county_year_summary s
        JOIN core_documents d ON d.primary_file = s.doc_file
        LEFT JOIN fails x ON x.doc_id = d.doc_id
        LEFT JOIN comp k ON k.doc_id = d.doc_id
        WHERE {DOC_FILTER}
        ORDER BY s.province, s.county, s.fiscal_year, s.stage""",
    "figure_flags": f"""
        SELECT f.doc_id, f.figure, f.checks_failed, f.worst_severity, f.messages
        FROM county_year_summary_flags f JOIN core_documents d USING (doc_id)
        WHERE f.checks_failed > 0 AND {DOC_FILTER}""",
    "documents": f"""
        SELECT d.doc_id, d.county, d.prefecture, d.province, d.adcode, d.unit_name, d.fiscal_year, d.stage,
               d.page_count, d.source_count, d.primary_file, d.warnings,
               (SELECT string_agg(f.file_name || '（' || f.format || '）', '、' ORDER BY f.file_name)
                  FROM core_source_files f WHERE f.doc_id = d.doc_id) AS files,
               (SELECT count(*) FROM check_results c WHERE c.doc_id = d.doc_id AND c.status = 'fail') AS checks_failed,
               (SELECT count(*) FROM check_results c WHERE c.doc_id = d.doc_id AND c.status = 'pass') AS checks_passed,
               k.completeness_score
        FROM core_documents d LEFT JOIN completeness_scores k USING (doc_id)
        WHERE {DOC_FILTER}
        ORDER BY d.county, d.fiscal_year, d.stage""",
    "failed_files": "SELECT file_name, message FROM core_source_files WHERE status = 'failed' ORDER BY file_name",
    "yoy_changes": f"""
        SELECT d.doc_id, d.county, d.fiscal_year, d.stage, c.topic, c.subject, c.direction, c.amount_yuan AS change_yuan,
               c.current_amount_yuan, c.pct_printed, c.compare_year, c.compare_stage, c.reason, c.sentence,
               c.source_file, c.page, c.line
        FROM core_claims c JOIN core_documents d USING (doc_id)
        WHERE c.claim_type = 'change' AND c.compare_year = d.fiscal_year - 1 AND {DOC_FILTER}
        ORDER BY d.county, d.fiscal_year, c.seq""",
    "function_lines": f"""
        SELECT d.doc_id, d.county, d.fiscal_year, d.stage, f.table_family, f.function_code, f.row_label,
               f.measure, f.amount_yuan, f.table_title, f.source_file, f.page, f.line
        FROM core_table_facts f JOIN core_documents d USING (doc_id)
        WHERE f.item_key = 'function' AND f.measure IN ('total', 'basic', 'project')
          AND f.table_family = (SELECT min_by(g.table_family, CASE g.table_family WHEN 'expenditure' THEN 0 ELSE 1 END)
                                FROM core_table_facts g WHERE g.doc_id = f.doc_id
                                  AND g.table_family IN ('expenditure', 'gpb_expenditure'))
          AND {DOC_FILTER}
        ORDER BY d.county, f.function_code""",
    "econ_lines": f"""
        SELECT d.doc_id, d.county, d.fiscal_year, d.stage, f.econ_code, f.row_label, f.measure, f.amount_yuan,
               f.table_title, f.source_file, f.page, f.line
        FROM core_table_facts f JOIN core_documents d USING (doc_id)
        WHERE f.table_family = 'basic_econ' AND f.item_key = 'econ' AND f.econ_code IS NOT NULL
          AND length(f.econ_code) = 5 AND {DOC_FILTER}
        ORDER BY d.county, f.econ_code""",
    "pension_items": f"""
        SELECT d.doc_id, d.county, d.fiscal_year, d.stage, p.item_kind, p.item_name, p.function_code, p.measure,
               p.amount_yuan, p.category, p.category_zh, p.rule, p.table_title, p.source_file, p.page, p.line
        FROM core_pension_items p JOIN core_documents d USING (doc_id)
        WHERE {DOC_FILTER}
        ORDER BY d.county, d.fiscal_year, p.category, p.amount_yuan DESC NULLS LAST""",
    "sangong": f"""
        WITH comps(component, zh, ord) AS (VALUES ('total', '“三公”经费合计', 0), ('abroad', '因公出国（境）费', 1),
                 ('vehicle_purchase', '公务用车购置费', 2), ('vehicle_operation', '公务用车运行维护费', 3),
                 ('reception', '公务接待费', 4)),
        docs AS (SELECT * FROM core_documents d WHERE {DOC_FILTER}),
        tab AS (SELECT doc_id, row_label AS component, measure AS kind, amount_yuan, table_title AS source, page, line
                FROM core_table_facts WHERE table_family = 'sangong'),
        txt AS (SELECT doc_id, replace(topic, 'sangong_', '') AS component,
                       CASE WHEN subject LIKE '%决算%' THEN 'actual' ELSE 'budget' END AS kind,
                       arg_min(amount_yuan, seq) AS amount_yuan, '情况说明' AS source,
                       arg_min(page, seq) AS page, arg_min(line, seq) AS line
                FROM core_claims WHERE claim_type = 'amount' AND topic LIKE 'sangong_%' GROUP BY ALL)
        SELECT d.doc_id, d.county, d.fiscal_year, d.stage, c.component, c.zh, c.ord, k.kind,
               coalesce(t.amount_yuan, x.amount_yuan) AS amount_yuan,
               CASE WHEN t.amount_yuan IS NOT NULL THEN t.source WHEN x.amount_yuan IS NOT NULL THEN '情况说明' END AS source,
               coalesce(t.page, x.page) AS page, coalesce(t.line, x.line) AS line
        FROM docs d CROSS JOIN comps c
        CROSS JOIN (VALUES ('budget'), ('actual')) AS k(kind)
        LEFT JOIN tab t ON t.doc_id = d.doc_id AND t.component = c.component AND t.kind = k.kind
        LEFT JOIN txt x ON x.doc_id = d.doc_id AND x.component = c.component AND x.kind = k.kind
        WHERE k.kind = 'budget' OR d.stage = 'final'
        ORDER BY d.county, d.fiscal_year, c.ord, k.kind""",
    "projects": f"""
        SELECT d.doc_id, d.county, d.fiscal_year, d.stage, p.project_name, p.project_type, p.amount_yuan,
               p.executed_yuan, p.source_family, p.table_title, p.source_file, p.page, p.line,
               (SELECT any_value(i.category_zh) FROM core_pension_items i WHERE i.doc_id = p.doc_id
                  AND i.item_kind = 'project' AND i.item_name = p.project_name) AS pension_category,
               (SELECT count(*) FROM core_performance_indicators i WHERE i.doc_id = p.doc_id
                  AND i.project_name = p.project_name) AS indicators
        FROM core_projects p JOIN core_documents d USING (doc_id)
        WHERE {DOC_FILTER}
          AND p.source_family = (SELECT min_by(q.source_family, CASE q.source_family WHEN 'projects' THEN 0
                                   WHEN 'self_evaluation' THEN 1 ELSE 2 END)
                                 FROM core_projects q WHERE q.doc_id = p.doc_id)
        ORDER BY d.county, p.amount_yuan DESC NULLS LAST""",
    "indicators": f"""
        SELECT d.county, d.fiscal_year, i.scope, i.project_name, i.level1, i.level2, i.level3, i.target_text,
               i.operator, i.target_value, i.target_unit, i.weight, i.direction, i.actual_text, i.score,
               i.source_file, i.page, i.line
        FROM core_performance_indicators i JOIN core_documents d USING (doc_id)
        WHERE {DOC_FILTER}
        ORDER BY d.county, i.project_name, i.page, i.line, i.row_index""",
    "self_evaluations": f"""
        SELECT d.county, d.fiscal_year, e.project_name, e.budget_initial_yuan, e.budget_full_year_yuan,
               e.executed_yuan, e.execution_rate_printed, e.total_score, e.source_file, e.page, e.line
        FROM core_self_evaluations e JOIN core_documents d USING (doc_id)
        WHERE {DOC_FILTER}
        ORDER BY d.county, e.total_score DESC""",
    "checks": f"""
        SELECT d.county, d.fiscal_year, d.stage, c.status, c.severity, c.check_group, c.check_name, c.item,
               c.message, c.printed_value, c.implied_value, c.difference, c.tolerance, c.value_unit,
               c.tolerance_rule, c.figure, c.source_file, c.page, c.line, c.table_title, c.evidence
        FROM check_results c JOIN core_documents d USING (doc_id)
        WHERE {DOC_FILTER}
        ORDER BY CASE c.status WHEN 'fail' THEN 0 WHEN 'not_applicable' THEN 1 ELSE 2 END,
                 CASE c.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, d.county, c.page, c.line""",
    "completeness": f"""
        SELECT d.county, d.fiscal_year, d.stage, k.item_zh, k.status, k.evidence
        FROM core_completeness k JOIN core_documents d USING (doc_id)
        WHERE {DOC_FILTER}
        ORDER BY d.county, d.fiscal_year, k.item""",
    "stated_priors": """
        SELECT topic, arg_min(amount_yuan, page * 100000 + coalesce(line, 0)) AS amount_yuan
        FROM core_prior_year_facts p JOIN core_documents d USING (doc_id)
        WHERE p.doc_id = $doc_id AND p.fiscal_year = d.fiscal_year - 1 GROUP BY topic""",
    "figure_sources": """
        SELECT f.figure, f.source || '（' || d.primary_file || '）' AS source
        FROM int_doc_figures f JOIN core_documents d USING (doc_id) WHERE f.doc_id = $doc_id""",
    "doc_facts": """
        SELECT table_title, row_label, function_code, econ_code, measure, amount_yuan, amount_printed, printed_unit,
               source_file, page, line, row_index
        FROM core_table_facts WHERE doc_id = $doc_id
        ORDER BY page, line NULLS LAST, row_index, col_index""",
    "source_context": """
        SELECT line, text FROM raw_paragraphs WHERE doc_id = $doc_id AND page = $page
          AND ($line::INTEGER IS NULL OR line BETWEEN $line - $radius AND $line + $radius)
        UNION ALL
        SELECT line, string_agg(text, ' | ' ORDER BY col_index) FROM raw_cells
        WHERE doc_id = $doc_id AND page = $page
          AND ($line::INTEGER IS NULL OR line BETWEEN $line - $radius AND $line + $radius)
        GROUP BY line, row_index
        ORDER BY line NULLS LAST""",
}


def run(cur: duckdb.DuckDBPyConnection, name: str, **params) -> pl.DataFrame:
    return cur.sql(QUERIES[name], params=params).pl() if params else cur.sql(QUERIES[name]).pl()


def filtered(cur: duckdb.DuckDBPyConnection, name: str, counties, years, stage) -> pl.DataFrame:
    return run(cur, name, counties=list(counties), years=list(years), stage=stage)


def filter_options(cur: duckdb.DuckDBPyConnection) -> tuple[list[str], list[int]]:
    row = run(cur, "filter_options").row(0)
    return list(row[0] or []), list(row[1] or [])


def failed_files(cur) -> pl.DataFrame:
    return run(cur, "failed_files")


__all__ = ["QUERIES", "run", "filtered", "filter_options"]
