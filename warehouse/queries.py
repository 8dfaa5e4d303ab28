"""Named, parameterised queries the pages read. Pages never write SQL; user input is only ever
bound as a parameter, never formatted into a statement. Amounts come back in 元 (DECIMAL)."""

from __future__ import annotations

import duckdb
import polars as pl

from rules.changes import sql_prior, sql_sign, sql_signed
from rules.labels import CHECK_STATUS_ORDER, SEVERITY_ORDER, sql_rank
from rules.measures import BENEFICIARY_INDICATOR_WORD, BENEFICIARY_UNIT, sql_share

# A statement's change and printed rate carry the sign of its direction (减少 → negative; rules.changes).
_SIGN = sql_sign("c.direction")
_SIGNED_CHANGE = sql_signed("c.amount_yuan", "c.direction")
_PRIOR = sql_prior("c.current_amount_yuan", "c.amount_yuan", "c.direction")

# Filter predicate on core_documents d: counties, years, stage (empty list / NULL = all).
# A county is named by its unit key (adcode, or unit name without one) or by its county name.
DOC_FILTER = """(len($counties::VARCHAR[]) = 0 OR list_contains($counties::VARCHAR[], d.county)
         OR list_contains($counties::VARCHAR[], coalesce(d.adcode, d.unit_name)))
    AND (len($years::INTEGER[]) = 0 OR list_contains($years::INTEGER[], d.fiscal_year))
    AND ($stage::VARCHAR IS NULL OR d.stage = $stage)"""

QUERIES: dict[str, str] = {
    "filter_options": """
        SELECT list(DISTINCT county ORDER BY county) AS counties,
               list(DISTINCT fiscal_year ORDER BY fiscal_year) AS years
        FROM core_documents WHERE county IS NOT NULL""",
    # One row per document with every summary figure (mart_county_year: money in `_yuan`, fractions
    # in `_frac` columns), its failed checks and its completeness score (completeness_scores).
    "summary": f"""
        WITH fails AS (SELECT doc_id, count(*) AS checks_failed FROM check_results WHERE status = 'fail' GROUP BY doc_id)
        SELECT d.doc_id, s.* EXCLUDE (doc_id, unit_level, adcode), coalesce(x.checks_failed, 0) AS checks_failed,
               k.completeness_score
        FROM mart_county_year s
        JOIN core_documents d ON d.doc_id = s.doc_id
        LEFT JOIN fails x ON x.doc_id = d.doc_id
        LEFT JOIN completeness_scores k ON k.doc_id = d.doc_id
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
    # Signed change, the prior amount it implies (本年数 − 增减额), the rate on that prior amount, the
    # printed rate signed, and rate_check_failed: the ETL's check of the printed rate
    # (yoy_rate_on_prior_year, with its printing-precision tolerance), found by the statement's
    # place and printed rate; NULL = not checked.
    "yoy_changes": f"""
        SELECT d.doc_id, d.county, d.fiscal_year, d.stage, c.topic, c.subject, c.direction, c.amount_yuan AS change_yuan,
               c.current_amount_yuan, c.pct_printed, c.compare_year, c.compare_stage, c.reason, c.sentence,
               c.source_file, c.page, c.line,
               {_SIGNED_CHANGE} AS change_signed_yuan,
               {_PRIOR} AS prior_amount_yuan,
               CAST({_SIGNED_CHANGE} / NULLIF({_PRIOR}, 0) AS DECIMAL(18, 6)) AS pct_computed,
               {_SIGN} * c.pct_printed AS pct_printed_signed,
               (SELECT bool_or(k.status = 'fail') FROM check_results k
                WHERE k.doc_id = c.doc_id AND k.check_name = 'yoy_rate_on_prior_year'
                  AND k.status IN ('pass', 'fail') AND k.source_file = c.source_file
                  AND k.page IS NOT DISTINCT FROM c.page AND k.line IS NOT DISTINCT FROM c.line
                  AND k.printed_value = c.pct_printed) AS rate_check_failed
        FROM core_claims c JOIN core_documents d USING (doc_id)
        WHERE c.claim_type = 'change' AND c.compare_year = d.fiscal_year - 1 AND {DOC_FILTER}
        ORDER BY d.county, d.fiscal_year, c.seq""",
    # The headline change each document states, per figure it names (int_stated_changes: 收支总计
    # +11.57 % …), signed, with its place in the document; shown beside the strict 本年支出合计 YoY.
    "stated_changes": f"""
        SELECT d.doc_id, d.county, d.fiscal_year, d.stage, s.figure, s.figure_zh, s.measure_key, s.pct_signed_frac,
               s.change_signed_yuan, s.current_amount_yuan, s.source_file, s.page, s.line, s.sentence
        FROM int_stated_changes s JOIN core_documents d USING (doc_id)
        WHERE {DOC_FILTER}
        ORDER BY d.county, d.fiscal_year, d.stage, s.ord""",
    # 本年支出合计 year over year for the documents that have a prior year (mart_county_year), with
    # the rate the document itself prints for the same figure and amount (signed; NULL when it
    # prints none): the statement whose figure is total_expenditure and whose current amount is
    # this 本年支出合计, the first in the text.
    "yoy_rates": f"""
        SELECT s.doc_id, s.county, s.unit_name, s.fiscal_year, s.stage, s.total_expenditure_yuan,
               s.prior_year_total_yuan, s.yoy_change_yuan, s.yoy_frac, s.doc_file,
               (SELECT arg_min({_SIGN} * c.pct_printed, c.seq) FROM core_claims c
                WHERE c.doc_id = s.doc_id AND c.claim_type = 'change' AND c.compare_year = s.fiscal_year - 1
                  AND c.figure = 'total_expenditure' AND c.current_amount_yuan = s.total_expenditure_yuan
                  AND c.pct_printed IS NOT NULL) AS printed_frac
        FROM mart_county_year s JOIN core_documents d USING (doc_id)
        WHERE s.prior_year_total_yuan IS NOT NULL AND {DOC_FILTER}
        ORDER BY s.province, s.county, s.fiscal_year, s.stage""",
    # The pension share per document and category ($categories: the categories the user counts):
    # each category's share from mart_measure_values (pension_share:<category>), and the share of
    # the chosen categories together from int_pension_category (with every subsidy category chosen,
    # the warehouse's pension_share). Documents without a counted amount have no row.
    "pension_shares": f"""
        WITH docs AS (SELECT s.doc_id, s.total_expenditure_yuan FROM mart_county_year s
                      JOIN core_documents d USING (doc_id) WHERE {DOC_FILTER}),
        chosen AS (SELECT c.doc_id, {sql_share("sum(c.amount_yuan)", "any_value(docs.total_expenditure_yuan)")} AS chosen_share
                   FROM int_pension_category c JOIN docs USING (doc_id)
                   WHERE list_contains($categories::VARCHAR[], c.category) GROUP BY c.doc_id)
        SELECT m.doc_id, substr(m.measure_key, length('pension_share:') + 1) AS category, m.measure_value AS share,
               chosen.chosen_share
        FROM mart_measure_values m JOIN chosen USING (doc_id)
        WHERE m.measure_key LIKE 'pension_share:%'
          AND list_contains($categories::VARCHAR[], substr(m.measure_key, length('pension_share:') + 1))""",
    # The ETL's checks of the identities the 支出结构 page draws, failed, by the summary figure they
    # flag: 本年支出合计 = 基本支出 + 项目支出 (total_expenditure) and 基本支出 = 人员经费 + 公用经费
    # (basic_expenditure), each at the precision the document prints.
    "identity_flags": f"""
        SELECT c.doc_id, c.figure, string_agg(c.message, '；' ORDER BY c.message) AS messages
        FROM check_results c JOIN core_documents d USING (doc_id)
        WHERE c.status = 'fail' AND (
              (c.figure = 'total_expenditure' AND c.check_name = 'total_is_basic_plus_project')
           OR (c.figure = 'basic_expenditure'
               AND c.check_name IN ('basic_is_personnel_plus_public', 'econ_total_is_personnel_plus_public')))
          AND {DOC_FILTER}
        GROUP BY ALL""",
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
               p.amount_yuan, p.category, p.category_zh, p.rule, p.table_title, p.source_file, p.page, p.line,
               coalesce(p.item_kind = b.counted_kind AND p.category <> 'own_contribution', false) AS counted
        FROM core_pension_items p JOIN core_documents d USING (doc_id)
        LEFT JOIN int_pension_basis b USING (doc_id)
        WHERE {DOC_FILTER}
        ORDER BY d.county, d.fiscal_year, p.category, p.amount_yuan DESC NULLS LAST""",
    # 三公 per document: the total (int_sangong's one rule: printed, else the sum of all four
    # components) and the four components, budget and (finals) actual; NULL = not disclosed.
    "sangong": f"""
        WITH docs AS (SELECT * FROM core_documents d WHERE {DOC_FILTER})
        SELECT d.doc_id, d.county, d.fiscal_year, d.stage, c.component, c.zh, c.ord, k.kind,
               g.amount_yuan, g.source, g.page, g.line
        FROM docs d CROSS JOIN int_sangong_components c
        CROSS JOIN (VALUES ('budget'), ('actual')) AS k(kind)
        LEFT JOIN int_sangong g ON g.doc_id = d.doc_id AND g.component = c.component AND g.kind = k.kind
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
        ORDER BY {sql_rank("c.status", CHECK_STATUS_ORDER)}, {sql_rank("c.severity", SEVERITY_ORDER)},
                 d.county, c.page, c.line""",
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


# ---- Comparing a county with its peers -------------------------------------------------------
# The peer group of the focus units ($focus: unit keys): same prefecture, same province, all loaded
# counties, a hand-picked list ($picked) or the same size decile; non-county units are left out
# unless they are themselves in focus. Every statistic below is computed over this set in SQL.
PEERS = """focus AS (SELECT * FROM mart_units WHERE list_contains($focus::VARCHAR[], unit_key)),
    peers AS (
      SELECT u.unit_key FROM mart_units u
      WHERE u.unit_level = 'county' AND CASE $mode::VARCHAR
          WHEN 'all' THEN true
          WHEN 'province' THEN u.province IN (SELECT province FROM focus)
          WHEN 'prefecture' THEN EXISTS (SELECT 1 FROM focus f WHERE f.province = u.province
                                          AND f.prefecture IS NOT DISTINCT FROM u.prefecture)
          WHEN 'size' THEN u.size_decile IN (SELECT size_decile FROM focus)
          WHEN 'list' THEN list_contains($picked::VARCHAR[], u.unit_key)
          ELSE false END
      UNION SELECT unit_key FROM focus)"""
# Values of one measure over the peer group, every year, with rank (1 = highest) and percentile
# (percent_rank x 100: 0 = lowest, 100 = highest) within the year. Undisclosed values have no row;
# nor have held-out values (mart_measure_values.held_out: "held_values" lists the focus's).
PEER_VALUES = f"""WITH {PEERS},
    v AS (SELECT m.unit_key, m.doc_id, m.fiscal_year, m.measure_value AS value FROM mart_measure_values m
          JOIN peers USING (unit_key) WHERE m.measure_key = $measure AND m.stage = $stage AND m.held_out IS NULL)
    SELECT u.unit_label, v.unit_key, u.province, u.prefecture, v.fiscal_year, v.doc_id, v.value,
           list_contains($focus::VARCHAR[], v.unit_key) AS is_focus,
           rank() OVER (PARTITION BY v.fiscal_year ORDER BY v.value DESC) AS rank,
           count(*) OVER (PARTITION BY v.fiscal_year) AS n,
           100 * percent_rank() OVER (PARTITION BY v.fiscal_year ORDER BY v.value) AS percentile
    FROM v JOIN mart_units u USING (unit_key)"""

QUERIES.update(
    {
        "units": """
            SELECT unit_key, unit_label, name, adcode, prefecture, province, unit_level, years_loaded, docs, totals_disclosed,
                   first_year, last_year, size_decile, CAST(lat AS DOUBLE) AS lat, CAST(lng AS DOUBLE) AS lng
            FROM mart_units ORDER BY unit_level <> 'county', province, prefecture, unit_label""",
        "pension_categories": """
            SELECT category, any_value(category_zh) AS category_zh, bool_and(is_subsidy) AS is_subsidy, min(ord) AS ord
            FROM (SELECT category, category_zh, is_subsidy, ord FROM ref_pension_categories
                  UNION ALL SELECT DISTINCT category, category_zh, category <> 'own_contribution', 99
                  FROM core_pension_items WHERE category IS NOT NULL)
            GROUP BY category ORDER BY ord, category""",
        "function_names": "SELECT function_code, name FROM ref_function_codes",
        "doc_measures": f"""SELECT m.doc_id, m.measure_key AS measure, m.measure_value AS value FROM mart_measure_values m
            JOIN core_documents d USING (doc_id) WHERE {DOC_FILTER}""",
        "focus_stages": """SELECT coalesce(bool_or(stage = 'final'), false) AS has_final FROM mart_county_year
            WHERE list_contains($focus::VARCHAR[], unit_key) AND fiscal_year = $year""",
        "peer_units": f"""WITH {PEERS}
            SELECT u.* REPLACE (CAST(u.lat AS DOUBLE) AS lat, CAST(u.lng AS DOUBLE) AS lng)
            FROM mart_units u JOIN peers USING (unit_key) ORDER BY u.unit_label""",
        "peer_values": PEER_VALUES + " ORDER BY v.fiscal_year, v.value DESC",
        # Per year: how many peers have a document, how many disclose the measure, and the quartiles.
        "peer_stats": f"""WITH {PEERS},
            v AS (SELECT m.fiscal_year, m.measure_value AS value FROM mart_measure_values m JOIN peers USING (unit_key)
                  WHERE m.measure_key = $measure AND m.stage = $stage AND m.held_out IS NULL),
            docs AS (SELECT s.fiscal_year, count(DISTINCT s.unit_key) AS n_loaded FROM mart_county_year s
                     JOIN peers USING (unit_key) WHERE s.stage = $stage GROUP BY 1),
            q AS (SELECT fiscal_year, count(*) AS n, quantile_cont(value, 0.5) AS median,
                         quantile_cont(value, 0.25) AS p25, quantile_cont(value, 0.75) AS p75,
                         min(value) AS min, max(value) AS max
                  FROM v GROUP BY 1)
            SELECT d.fiscal_year, d.n_loaded, coalesce(q.n, 0) AS n, d.n_loaded - coalesce(q.n, 0) AS n_not_disclosed,
                   q.median, q.p25, q.p75, q.min, q.max
            FROM docs d LEFT JOIN q USING (fiscal_year) ORDER BY d.fiscal_year""",
        "focus_ranks": f"""SELECT * FROM ({PEER_VALUES}) WHERE is_focus ORDER BY unit_label, fiscal_year""",
        # The focus's values of one measure that are held out of ranks and peer statistics, with why.
        "held_values": f"""WITH {PEERS}
            SELECT u.unit_label, m.unit_key, m.fiscal_year, m.doc_id, m.measure_value AS value, m.held_out
            FROM mart_measure_values m JOIN focus u USING (unit_key)
            WHERE m.measure_key = $measure AND m.stage = $stage AND m.held_out IS NOT NULL
            ORDER BY u.unit_label, m.fiscal_year""",
        # Every measure for the focus in one year beside the peer median and its rank (overview). A
        # value held out (mart_measure_values.held_out) is shown with its reason, without a rank, and
        # counts in no statistic.
        "focus_all_measures": f"""WITH {PEERS},
            v AS (SELECT m.unit_key, m.measure_key AS measure, m.measure_value AS value, m.held_out
                  FROM mart_measure_values m
                  JOIN peers USING (unit_key) WHERE m.stage = $stage AND m.fiscal_year = $year),
            r AS (SELECT *, rank() OVER (PARTITION BY measure ORDER BY value DESC) AS rank,
                         count(*) OVER (PARTITION BY measure) AS n,
                         100 * percent_rank() OVER (PARTITION BY measure ORDER BY value) AS percentile,
                         quantile_cont(value, 0.5) OVER (PARTITION BY measure) AS median,
                         quantile_cont(value, 0.25) OVER (PARTITION BY measure) AS p25,
                         quantile_cont(value, 0.75) OVER (PARTITION BY measure) AS p75
                  FROM v WHERE held_out IS NULL),
            stats AS (SELECT DISTINCT measure, n, median, p25, p75 FROM r)
            SELECT u.unit_label, v.unit_key, v.measure, v.value, s.median, s.p25, s.p75, r.rank, s.n, r.percentile,
                   v.held_out
            FROM v JOIN mart_units u USING (unit_key)
            LEFT JOIN r ON r.unit_key = v.unit_key AND r.measure = v.measure
            LEFT JOIN stats s ON s.measure = v.measure
            WHERE list_contains($focus::VARCHAR[], v.unit_key) ORDER BY u.unit_label, v.measure""",
        # What is loaded: one row per peer unit and year with a document.
        "coverage": f"""WITH {PEERS}
            SELECT u.unit_label, u.province, u.prefecture, s.fiscal_year,
                   bool_or(s.stage = 'budget') AS has_budget, bool_or(s.stage = 'final') AS has_final
            FROM mart_county_year s JOIN peers USING (unit_key) JOIN mart_units u USING (unit_key)
            GROUP BY ALL ORDER BY u.unit_label, s.fiscal_year""",
        # Unit-years published only as a page without figures (its tables in an attachment): refused
        # by the ETL, yet published; coverage says so instead of "missing".
        "published_without_figures": f"""WITH {PEERS}
            SELECT u.unit_label, p.fiscal_year, p.stage, p.file_name, p.files
            FROM int_published_without_figures p JOIN peers USING (unit_key) JOIN mart_units u USING (unit_key)
            ORDER BY u.unit_label, p.fiscal_year, p.stage""",
        "doc_quality": f"""WITH {PEERS},
            fails AS (SELECT doc_id, count(*) AS checks_failed,
                             string_agg(DISTINCT check_name, '、' ORDER BY check_name) AS failed_checks
                      FROM check_results WHERE status = 'fail' GROUP BY doc_id)
            SELECT u.unit_label, s.fiscal_year, s.stage, k.completeness_score,
                   coalesce(f.checks_failed, 0) AS checks_failed, f.failed_checks, s.doc_file
            FROM mart_county_year s JOIN peers USING (unit_key) JOIN mart_units u USING (unit_key)
            LEFT JOIN completeness_scores k ON k.doc_id = s.doc_id LEFT JOIN fails f ON f.doc_id = s.doc_id
            WHERE (len($years::INTEGER[]) = 0 OR list_contains($years::INTEGER[], s.fiscal_year))
            ORDER BY coalesce(f.checks_failed, 0) DESC, k.completeness_score, u.unit_label, s.fiscal_year""",
    }
)


# ---- Evidence: a figure where it was printed --------------------------------------------------
# A table figure's key within its document (URL parameter `fact` of 查看原文): table, page, line,
# row, column, measure and row label, as core_table_facts records them (the label: where a reader
# records no row index, 本年收入合计 and 本年支出合计 of one table had the same key, one hid the other).
FACT_KEY = """(coalesce(f.table_id, '') || ':' || coalesce(f.page, 0) || ':' || coalesce(f.line, 0) || ':'
    || coalesce(f.row_index, -1) || ':' || coalesce(f.col_index, -1) || ':' || coalesce(f.measure, '') || ':'
    || coalesce(f.row_label, ''))"""

# Where a document is listed on 查看原文: its province and its county (else its unit), never NULL.
EVIDENCE_PROVINCE = "coalesce(d.province, '未识别省份')"
EVIDENCE_PLACE = "coalesce(d.county, d.unit_name, '未识别')"

QUERIES.update(
    {
        # Documents are picked province -> place -> document: one list of every document
        # (52,770 on a national warehouse) made the page's selectbox the slowest thing in the app.
        "evidence_places": f"""
            SELECT {EVIDENCE_PROVINCE} AS province, {EVIDENCE_PLACE} AS place, count(*) AS n_docs
            FROM core_documents d GROUP BY ALL ORDER BY province, place""",
        "evidence_documents": f"""
            SELECT d.doc_id, d.province, d.county, d.unit_name, d.fiscal_year, d.stage, d.primary_file
            FROM core_documents d
            WHERE {EVIDENCE_PROVINCE} = $province AND {EVIDENCE_PLACE} = $place
            ORDER BY d.fiscal_year, d.stage, d.doc_id""",
        "evidence_document": f"""
            SELECT d.doc_id, {EVIDENCE_PROVINCE} AS province, {EVIDENCE_PLACE} AS place
            FROM core_documents d WHERE d.doc_id = $doc_id""",
        "evidence_facts": f"""
            SELECT DISTINCT ON (fact) {FACT_KEY} AS fact, f.table_title, f.row_label, f.measure, f.amount_yuan,
                   f.amount_printed, f.printed_unit, f.source_file, f.page, f.line, f.row_index, f.col_index,
                   f.box_x0_pt IS NOT NULL AS has_box
            FROM core_table_facts f WHERE f.doc_id = $doc_id
            ORDER BY fact, f.page, f.line NULLS LAST, f.row_index, f.col_index NULLS LAST""",
        # One figure's cell: its box on the PDF page (points from the page's top left) and the page's
        # size, with the file it was read from; the box is NULL for text, HTML, Excel and Word figures.
        "fact_box": f"""
            SELECT f.source_file, s.file_path, s.format, f.table_id, f.table_title, f.row_label, f.measure, f.amount_yuan,
                   f.amount_printed, f.printed_unit, f.page, f.line, f.row_index, f.col_index,
                   CAST(f.box_x0_pt AS DOUBLE) AS x0, CAST(f.box_top_pt AS DOUBLE) AS top,
                   CAST(f.box_x1_pt AS DOUBLE) AS x1, CAST(f.box_bottom_pt AS DOUBLE) AS bottom,
                   CAST(f.page_width_pt AS DOUBLE) AS page_width, CAST(f.page_height_pt AS DOUBLE) AS page_height
            FROM core_table_facts f
            LEFT JOIN core_source_files s ON s.file_name = f.source_file AND s.doc_id = f.doc_id
            WHERE f.doc_id = $doc_id AND {FACT_KEY} = $fact
            ORDER BY f.page, f.row_index LIMIT 1""",
        # Beneficiary counts a document states in its performance targets (发放人数, 参保人数, 享受人数 …
        # in 人; rules.measures), with where they are printed, and the project's amount per person
        # where the document gives the project's amount (NULL otherwise, never 0).
        "beneficiary_counts": f"""
            WITH p AS (SELECT doc_id, project_id, max(amount_yuan) AS amount_yuan, max(executed_yuan) AS executed_yuan
                       FROM core_projects GROUP BY ALL)
            SELECT i.doc_id, i.project_name, i.project_id, i.level3 AS indicator, i.target_text,
                   CAST(i.target_value AS BIGINT) AS people, p.amount_yuan, p.executed_yuan,
                   {sql_share("p.amount_yuan", "i.target_value")} AS yuan_per_person,
                   i.source_file, i.page, i.line, i.row_index, i.table_title
            FROM core_performance_indicators i LEFT JOIN p USING (doc_id, project_id)
            WHERE i.doc_id = $doc_id AND i.target_unit = '{BENEFICIARY_UNIT}'
              AND contains(i.level3, '{BENEFICIARY_INDICATOR_WORD}') AND i.target_value > 0
            ORDER BY i.page, i.line NULLS LAST, i.row_index""",
        # The cells of the figure's table row (for text, HTML, Excel and Word: the printed row).
        "fact_row_cells": """
            SELECT col_index, text FROM raw_cells
            WHERE doc_id = $doc_id AND table_id = $table_id AND page = $page AND row_index = $row_index
              AND line IS NOT DISTINCT FROM $line::INTEGER
            ORDER BY col_index""",
    }
)


def peer_query(cur: duckdb.DuckDBPyConnection, name: str, focus, mode: str, picked=(), **params) -> pl.DataFrame:
    """A named peer query for the focus unit keys, peer mode and hand-picked list."""
    return run(cur, name, focus=list(focus), mode=mode, picked=list(picked), **params)


def run(cur: duckdb.DuckDBPyConnection, name: str, **params) -> pl.DataFrame:
    return cur.sql(QUERIES[name], params=params).pl() if params else cur.sql(QUERIES[name]).pl()


def filtered(cur: duckdb.DuckDBPyConnection, name: str, counties, years, stage, **params) -> pl.DataFrame:
    """A named query under the filters; further parameters (lists may come as tuples) bound as given."""
    more = {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}
    return run(cur, name, counties=list(counties), years=list(years), stage=stage, **more)


def filter_options(cur: duckdb.DuckDBPyConnection) -> tuple[list[str], list[int]]:
    row = run(cur, "filter_options").row(0)
    return list(row[0] or []), list(row[1] or [])


def failed_files(cur) -> pl.DataFrame:
    return run(cur, "failed_files")


__all__ = ["QUERIES", "run", "filtered", "filter_options", "peer_query"]
