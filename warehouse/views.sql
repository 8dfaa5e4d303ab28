-- Views the pages read. int_* are intermediate; mart_county_year is the public table of summary
-- figures (money in `_yuan` columns, fractions in `_frac` columns; warehouse/schema.py declares
-- every column) and county_year_summary its compatibility view under the names first published.
--
-- Blocks between "-- BEGIN GENERATED: <name>" and "-- END GENERATED: <name>" are generated from
-- rules/ and warehouse/schema.py (warehouse/sql.py): warehouse.sql.views_sql() regenerates them
-- whenever the views are created, and `python -m warehouse.docs` rewrites them here. Edit the rule,
-- never the block.

-- BEGIN GENERATED: macros
CREATE MACRO severity_rank(severity) AS (CASE severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END);
CREATE MACRO severity_of_rank(r) AS (CASE r WHEN 0 THEN 'high' WHEN 1 THEN 'medium' WHEN 2 THEN 'low' END);
-- END GENERATED: macros

-- BEGIN GENERATED: sangong_components
CREATE VIEW int_sangong_components(component, zh, ord) AS VALUES
  ('total', '“三公”经费合计', 0),
  ('abroad', '因公出国（境）费', 1),
  ('vehicle_purchase', '公务用车购置费', 2),
  ('vehicle_operation', '公务用车运行维护费', 3),
  ('reception', '公务接待费', 4);
-- END GENERATED: sangong_components

-- 三公 by component and kind (budget / actual) as printed: the 三公 table first, else the amount
-- stated in 情况说明. A printed 0 stays 0; a component no source gives is absent (NULL, not disclosed).
CREATE VIEW int_sangong_printed AS
WITH tab AS (
  SELECT doc_id, replace(item_key, 'sangong_', '') AS component, measure AS kind, amount_yuan, table_title AS source, page, line
  FROM core_table_facts WHERE amount_yuan IS NOT NULL AND table_family = 'sangong'),
txt AS (
  SELECT doc_id, replace(topic, 'sangong_', '') AS component,
         CASE WHEN subject LIKE '%决算%' THEN 'actual' ELSE 'budget' END AS kind,
         arg_min(amount_yuan, seq) AS amount_yuan, '情况说明' AS source,
         arg_min(page, seq) AS page, arg_min(line, seq) AS line
  FROM core_claims WHERE claim_type = 'amount' AND topic LIKE 'sangong_%' GROUP BY ALL)
SELECT coalesce(t.doc_id, x.doc_id) AS doc_id, coalesce(t.component, x.component) AS component,
       coalesce(t.kind, x.kind) AS kind, coalesce(t.amount_yuan, x.amount_yuan) AS amount_yuan,
       CASE WHEN t.amount_yuan IS NOT NULL THEN t.source WHEN x.amount_yuan IS NOT NULL THEN '情况说明' END AS source,
       CASE WHEN t.amount_yuan IS NOT NULL THEN t.page ELSE x.page END AS page,
       CASE WHEN t.amount_yuan IS NOT NULL THEN t.line ELSE x.line END AS line
FROM tab t FULL JOIN txt x ON t.doc_id = x.doc_id AND t.component = x.component AND t.kind = x.kind;

-- The one rule for the 三公 total (pages, marts and the summary read it here): the printed total
-- (table, else 情况说明); when no total is printed but all four components are, their sum (source
-- says so); otherwise no total row (not disclosed, never 0 and never a partial sum).
CREATE VIEW int_sangong AS
WITH parts AS (
  SELECT doc_id, kind, component, any_value(amount_yuan) AS amount_yuan
  FROM int_sangong_printed
  WHERE amount_yuan IS NOT NULL AND component IN (SELECT component FROM int_sangong_components WHERE ord > 0)
  GROUP BY ALL),
summed AS (
  SELECT doc_id, kind, sum(amount_yuan) AS amount_yuan
  FROM parts GROUP BY ALL
  HAVING count(*) = (SELECT count(*) FROM int_sangong_components WHERE ord > 0))
SELECT doc_id, component, kind, amount_yuan, source, page, line FROM int_sangong_printed
UNION ALL
SELECT s.doc_id, 'total', s.kind, s.amount_yuan, '四项之和（文件未印合计）', NULL, NULL
FROM summed s
WHERE NOT EXISTS (SELECT 1 FROM int_sangong_printed t WHERE t.doc_id = s.doc_id AND t.kind = s.kind
                  AND t.component = 'total' AND t.amount_yuan IS NOT NULL);

-- Each figure has ranked candidates: the table the national template puts it in first, the
-- statement in 情况说明 last. NULL when no source discloses it.
CREATE VIEW int_figure_candidates AS
SELECT doc_id, 'total_revenue' AS figure, 100 AS priority, amount_yuan, table_title AS source
  FROM core_table_facts WHERE amount_yuan IS NOT NULL AND table_family = 'summary' AND section = 'revenue' AND item_key = 'revenue_total' AND measure = 'total'
UNION ALL SELECT doc_id, 'total_revenue', 200, amount_yuan, table_title
  FROM core_table_facts WHERE amount_yuan IS NOT NULL AND table_family = 'fiscal_summary' AND section = 'revenue' AND item_key = 'revenue_total' AND measure = 'total'
UNION ALL SELECT doc_id, 'total_revenue', 1000 + seq, amount_yuan, '情况说明'
  FROM core_claims WHERE claim_type = 'amount' AND topic = 'revenue'
UNION ALL SELECT doc_id, 'total_expenditure', 100, amount_yuan, table_title
  FROM core_table_facts WHERE amount_yuan IS NOT NULL AND table_family = 'summary' AND section = 'expenditure' AND item_key = 'expenditure_total' AND measure = 'total'
UNION ALL SELECT doc_id, 'total_expenditure', 200, amount_yuan, table_title
  FROM core_table_facts WHERE amount_yuan IS NOT NULL AND table_family = 'fiscal_summary' AND section = 'expenditure' AND item_key = 'expenditure_total' AND measure = 'total'
UNION ALL SELECT doc_id, 'total_expenditure', 300, amount_yuan, table_title
  FROM core_table_facts WHERE amount_yuan IS NOT NULL AND table_family = 'expenditure' AND item_key = 'total' AND measure = 'total'
UNION ALL SELECT doc_id, 'total_expenditure', 400, amount_yuan, table_title
  FROM core_table_facts WHERE amount_yuan IS NOT NULL AND table_family = 'gpb_expenditure' AND item_key = 'total' AND measure = 'total'
UNION ALL SELECT doc_id, 'total_expenditure', 1000 + seq, amount_yuan, '情况说明'
  FROM core_claims WHERE claim_type = 'amount' AND topic = 'expenditure'
UNION ALL SELECT doc_id, m.figure, m.priority, f.amount_yuan, f.table_title
  FROM core_table_facts f
  JOIN (VALUES ('basic_expenditure', 'basic', 'expenditure', 100), ('basic_expenditure', 'basic', 'gpb_expenditure', 200),
               ('project_expenditure', 'project', 'expenditure', 100), ('project_expenditure', 'project', 'gpb_expenditure', 200),
               ('personnel_expenditure', 'personnel', 'basic_econ', 100), ('personnel_expenditure', 'personnel', 'expenditure', 200),
               ('public_expenditure', 'public', 'basic_econ', 100), ('public_expenditure', 'public', 'expenditure', 200))
       AS m(figure, measure, family, priority)
    ON f.table_family = m.family AND f.measure = m.measure AND f.item_key = 'total' AND f.amount_yuan IS NOT NULL
UNION ALL SELECT doc_id, 'personnel_expenditure', 300, sum(amount_yuan), any_value(table_title)
  FROM core_table_facts WHERE amount_yuan IS NOT NULL AND table_family = 'expenditure' AND item_key = 'total' AND measure IN ('wages', 'family_subsidy')
  GROUP BY doc_id
UNION ALL SELECT doc_id, 'public_expenditure', 300, sum(amount_yuan), any_value(table_title)
  FROM core_table_facts WHERE amount_yuan IS NOT NULL AND table_family = 'expenditure' AND item_key = 'total' AND measure IN ('goods_services', 'capital')
  GROUP BY doc_id
UNION ALL SELECT doc_id, m.figure, 1000 + seq, amount_yuan, '情况说明'
  FROM core_claims c
  JOIN (VALUES ('basic_expenditure', 'basic'), ('project_expenditure', 'project'),
               ('personnel_expenditure', 'personnel'), ('public_expenditure', 'public')) AS m(figure, topic)
    ON c.topic = m.topic AND c.claim_type = 'amount'
UNION ALL SELECT doc_id, 'sangong_' || kind, 100, amount_yuan, source
  FROM int_sangong WHERE component = 'total';

-- Materialised once per build (the warehouse is read-only afterwards): pages read it on every run.
CREATE TABLE int_doc_figures AS
SELECT doc_id, figure, arg_min(amount_yuan, priority) AS amount_yuan, arg_min(source, priority) AS source
FROM int_figure_candidates
GROUP BY doc_id, figure
ORDER BY doc_id, figure;

-- Pension subsidy per document and category: projects when the document gives a project amount
-- for a subsidy category, else function lines; the agency's own contributions never count.
-- The one definition of the pension figure: int_pension, the summary and the marts read it.
CREATE VIEW int_pension_basis AS
SELECT doc_id,
       CASE WHEN count(amount_yuan) FILTER (WHERE item_kind = 'project' AND category <> 'own_contribution') > 0
            THEN 'project' ELSE 'function_line' END AS counted_kind
FROM core_pension_items GROUP BY doc_id;

CREATE VIEW int_pension_category AS
SELECT p.doc_id, p.category, sum(p.amount_yuan) AS amount_yuan
FROM core_pension_items p JOIN int_pension_basis b USING (doc_id)
WHERE p.category <> 'own_contribution' AND p.item_kind = b.counted_kind
GROUP BY ALL;

CREATE VIEW int_pension AS
SELECT doc_id, sum(amount_yuan) AS pension_subsidy_yuan FROM int_pension_category GROUP BY doc_id;

CREATE VIEW int_doc_wide AS
SELECT d.*, coalesce(d.adcode, d.unit_name) AS unit_key, coalesce(d.unit_level, 'county') AS level,
       max(f.amount_yuan) FILTER (WHERE f.figure = 'total_revenue') AS total_revenue_yuan,
       max(f.amount_yuan) FILTER (WHERE f.figure = 'total_expenditure') AS total_expenditure_yuan,
       max(f.amount_yuan) FILTER (WHERE f.figure = 'basic_expenditure') AS basic_expenditure_yuan,
       max(f.amount_yuan) FILTER (WHERE f.figure = 'project_expenditure') AS project_expenditure_yuan,
       max(f.amount_yuan) FILTER (WHERE f.figure = 'personnel_expenditure') AS personnel_expenditure_yuan,
       max(f.amount_yuan) FILTER (WHERE f.figure = 'public_expenditure') AS public_expenditure_yuan,
       max(f.amount_yuan) FILTER (WHERE f.figure = 'sangong_budget') AS sangong_budget_yuan,
       max(f.amount_yuan) FILTER (WHERE f.figure = 'sangong_actual') AS sangong_actual_yuan
FROM core_documents d LEFT JOIN int_doc_figures f USING (doc_id)
GROUP BY ALL;

-- Prior-year total: a loaded document of that year (same unit, same stage) first; else the
-- prior-year figure this document states for the same figure (本年支出合计). A change stated for
-- another figure (收支总计, 一般公共预算支出) never becomes the prior year of 本年支出合计, even when
-- the amounts coincide. core_prior_year_facts may carry a `figure` column (ETL semantics); it is
-- read through to_json so this view works with and without it; without it the topic decides.
CREATE VIEW int_prior_year AS
WITH w AS (SELECT doc_id, fiscal_year, stage, unit_key AS who, total_expenditure_yuan FROM int_doc_wide),
loaded AS (
  SELECT c.doc_id, any_value(p.total_expenditure_yuan) AS amount
  FROM w c JOIN w p ON p.who = c.who AND p.stage = c.stage AND p.fiscal_year = c.fiscal_year - 1
  GROUP BY c.doc_id),
stated AS (
  SELECT w.doc_id, arg_min(s.amount_yuan, s.page * 100000 + coalesce(s.line, 0)) AS amount
  FROM w JOIN core_prior_year_facts s
    ON s.doc_id = w.doc_id AND s.fiscal_year = w.fiscal_year - 1 AND s.current_amount_yuan = w.total_expenditure_yuan
  WHERE coalesce(to_json(s) ->> 'figure', CASE s.topic WHEN 'expenditure' THEN 'total_expenditure' END)
        = 'total_expenditure'
  GROUP BY w.doc_id)
SELECT w.doc_id, coalesce(l.amount, s.amount) AS prior_year_total_yuan,
       CASE WHEN l.amount IS NOT NULL THEN 'loaded' WHEN s.amount IS NOT NULL THEN 'stated' END AS prior_source
FROM w LEFT JOIN loaded l USING (doc_id) LEFT JOIN stated s USING (doc_id);

-- Materialised once per build (the warehouse is read-only afterwards): one row per document with
-- every summary figure, the public table of the summary (columns declared in warehouse/schema.py,
-- COUNTY_YEAR). county_year_summary, the marts and the pages read it.
CREATE TABLE mart_county_year AS
SELECT w.doc_id, w.unit_key, w.level AS unit_level, w.adcode,
       w.county, w.prefecture, w.province, w.unit_name, w.fiscal_year, w.stage,
       CAST(w.total_revenue_yuan AS DECIMAL(18,2)) AS total_revenue_yuan,
       CAST(w.total_expenditure_yuan AS DECIMAL(18,2)) AS total_expenditure_yuan,
       CAST(w.basic_expenditure_yuan AS DECIMAL(18,2)) AS basic_expenditure_yuan,
       CAST(w.project_expenditure_yuan AS DECIMAL(18,2)) AS project_expenditure_yuan,
       CAST(w.personnel_expenditure_yuan AS DECIMAL(18,2)) AS personnel_expenditure_yuan,
       CAST(w.public_expenditure_yuan AS DECIMAL(18,2)) AS public_expenditure_yuan,
       CAST(p.pension_subsidy_yuan AS DECIMAL(18,2)) AS pension_subsidy_yuan,
       CAST(round(p.pension_subsidy_yuan / nullif(w.total_expenditure_yuan, 0), 6) AS DECIMAL(18,6)) AS pension_share_frac,
       CAST(w.sangong_budget_yuan AS DECIMAL(18,2)) AS sangong_budget_yuan,
       CAST(w.sangong_actual_yuan AS DECIMAL(18,2)) AS sangong_actual_yuan,
       CAST(y.prior_year_total_yuan AS DECIMAL(18,2)) AS prior_year_total_yuan,
       CAST(w.total_expenditure_yuan - y.prior_year_total_yuan AS DECIMAL(18,2)) AS yoy_change_yuan,
       CAST(round((w.total_expenditure_yuan - y.prior_year_total_yuan) / nullif(y.prior_year_total_yuan, 0), 6)
            AS DECIMAL(18,6)) AS yoy_frac,
       w.primary_file AS doc_file
FROM int_doc_wide w
LEFT JOIN int_pension p USING (doc_id)
LEFT JOIN int_prior_year y USING (doc_id)
ORDER BY w.unit_key, w.fiscal_year, w.stage;

-- BEGIN GENERATED: county_year_summary
-- Compatibility view: the names county_year_summary was published with (warehouse.schema.COMPAT_SUMMARY).
CREATE VIEW county_year_summary AS
SELECT county,
       prefecture,
       province,
       unit_name,
       fiscal_year,
       stage,
       total_revenue_yuan AS total_revenue,
       total_expenditure_yuan AS total_expenditure,
       basic_expenditure_yuan AS basic_expenditure,
       project_expenditure_yuan AS project_expenditure,
       personnel_expenditure_yuan AS personnel_expenditure,
       public_expenditure_yuan AS public_expenditure,
       pension_subsidy_yuan AS pension_subsidy,
       pension_share_frac AS pension_subsidy_share,
       sangong_budget_yuan AS sangong_budget,
       sangong_actual_yuan AS sangong_actual,
       prior_year_total_yuan AS prior_year_total,
       yoy_change_yuan AS yoy_change,
       yoy_frac AS yoy_pct,
       doc_file
FROM mart_county_year;
-- END GENERATED: county_year_summary

CREATE VIEW county_year_summary_flags AS
SELECT d.county, d.fiscal_year, d.stage, d.doc_id, c.figure,
       count(*) AS checks_run,
       count(*) FILTER (WHERE c.status = 'fail') AS checks_failed,
       severity_of_rank(min(severity_rank(c.severity)) FILTER (WHERE c.status = 'fail')) AS worst_severity,
       string_agg(c.message, '；' ORDER BY c.severity, c.message) FILTER (WHERE c.status = 'fail') AS messages
FROM check_results c JOIN core_documents d USING (doc_id)
WHERE c.figure IS NOT NULL AND c.status <> 'not_applicable'
GROUP BY ALL;

-- BEGIN GENERATED: completeness_scores
CREATE VIEW completeness_scores AS
SELECT d.doc_id, d.county, d.fiscal_year, d.stage,
       count(*) AS required_items,
       count(*) FILTER (WHERE k.status IN ('present', 'present_empty_explained')) AS present_items,
       count(*) FILTER (WHERE k.status IN ('partial', 'present_empty_unexplained')) AS partial_items,
       CAST((count(*) FILTER (WHERE k.status IN ('present', 'present_empty_explained')) + 0.5 * count(*) FILTER (WHERE k.status IN ('partial', 'present_empty_unexplained'))) / count(*) AS DECIMAL(18,4)) AS completeness_score
FROM core_completeness k JOIN core_documents d USING (doc_id)
GROUP BY ALL;
-- END GENERATED: completeness_scores

-- ---------------------------------------------------------------------------------------------
-- Marts for comparing a county with its peers. Materialised once per build.

-- One row per unit (adcode, or the unit name when no adcode was identified): where it is, its
-- level, the label the app shows (name, with the prefecture when the name is not unique), how
-- many years are loaded, its size decile (本年支出合计, median over its documents, counties only)
-- and its coordinates from ref_divisions.
CREATE TABLE mart_units AS
WITH u AS (
  SELECT unit_key, any_value(adcode) AS adcode,
         coalesce(any_value(county), any_value(unit_name)) AS name,
         any_value(prefecture) AS prefecture, any_value(province) AS province,
         any_value(unit_level) AS unit_level,
         count(DISTINCT fiscal_year) AS years_loaded, count(*) AS docs,
         min(fiscal_year) AS first_year, max(fiscal_year) AS last_year,
         count(total_expenditure_yuan) AS totals_disclosed,
         median(total_expenditure_yuan) AS median_total
  FROM mart_county_year GROUP BY unit_key),
l AS (
  SELECT *, CASE WHEN count(*) OVER (PARTITION BY name) = 1 THEN name
                 ELSE name || '（' || coalesce(prefecture, province, unit_key) || '）' END AS label1
  FROM u)
SELECT l.unit_key, l.adcode, l.name, l.prefecture, l.province, l.unit_level,
       CASE WHEN count(*) OVER (PARTITION BY label1) = 1 THEN label1 ELSE label1 || '·' || l.unit_key END AS unit_label,
       l.years_loaded, l.docs, l.totals_disclosed, l.first_year, l.last_year,
       CASE WHEN l.unit_level = 'county' AND l.median_total IS NOT NULL
            THEN ntile(10) OVER (PARTITION BY l.unit_level = 'county' AND l.median_total IS NOT NULL
                                 ORDER BY l.median_total) END AS size_decile,
       r.lat, r.lng
FROM l LEFT JOIN ref_divisions r ON r.adcode = l.adcode
ORDER BY l.unit_key;

-- Disclosures published without figures: files refused for stating none that still name their
-- unit, year and stage (a portal page whose tables sit in an attachment), once per unit, year and
-- stage that no loaded document covers. The unit published; coverage says so instead of "missing".
CREATE VIEW int_published_without_figures AS
WITH f AS (SELECT *, coalesce(adcode, unit_name) AS unit_key FROM core_source_files
           WHERE status = 'failed' AND unit_name IS NOT NULL AND fiscal_year IS NOT NULL AND stage IS NOT NULL)
SELECT f.unit_key, any_value(f.unit_name) AS unit_name, any_value(f.adcode) AS adcode,
       any_value(f.county) AS county, f.fiscal_year, f.stage,
       count(*) AS files, min(f.file_name) AS file_name, min(f.message) AS message
FROM f
WHERE NOT EXISTS (SELECT 1 FROM int_doc_wide d
                  WHERE d.unit_key = f.unit_key AND d.fiscal_year = f.fiscal_year AND d.stage = f.stage)
GROUP BY f.unit_key, f.fiscal_year, f.stage;

-- The headline change each document states for a figure it names (收支总计 +11.57 %), the first
-- such statement against the year before; a measure of its own (stated_yoy_pct:<figure>).
-- BEGIN GENERATED: stated_changes
CREATE VIEW int_stated_change_figures(figure, figure_zh, ord) AS VALUES
  ('grand_total', '收支总计', 0),
  ('fiscal_grand_total', '财政拨款收支总计', 1),
  ('gpb_expenditure', '一般公共预算支出', 2),
  ('total_expenditure', '本年支出合计', 3);
CREATE VIEW int_stated_changes AS
SELECT c.doc_id, c.figure, any_value(g.figure_zh) AS figure_zh, any_value(g.ord) AS ord,
       'stated_yoy_pct:' || c.figure AS measure_key,
       arg_min((CASE WHEN c.direction IN ('减少', '下降', '降低') THEN -1 ELSE 1 END) * c.pct_printed, c.seq) AS pct_signed_frac,
       arg_min(((CASE WHEN c.direction IN ('减少', '下降', '降低') THEN -1 ELSE 1 END) * c.amount_yuan), c.seq) AS change_signed_yuan,
       arg_min(c.current_amount_yuan, c.seq) AS current_amount_yuan,
       arg_min(c.source_file, c.seq) AS source_file, arg_min(c.page, c.seq) AS page,
       arg_min(c.line, c.seq) AS line, arg_min(c.sentence, c.seq) AS sentence
FROM core_claims c JOIN core_documents d USING (doc_id) JOIN int_stated_change_figures g ON g.figure = c.figure
WHERE c.claim_type = 'change' AND c.pct_printed IS NOT NULL AND c.compare_year = d.fiscal_year - 1
GROUP BY c.doc_id, c.figure;
-- END GENERATED: stated_changes

-- Which summary figures each measure is computed from (rules.measures.measure_figures).
-- BEGIN GENERATED: measure_figures
CREATE VIEW int_measure_figures(measure_base, figure) AS VALUES
  ('total_expenditure', 'total_expenditure'),
  ('yoy_pct', 'total_expenditure'),
  ('basic_share', 'basic_expenditure'),
  ('basic_share', 'total_expenditure'),
  ('project_share', 'project_expenditure'),
  ('project_share', 'total_expenditure'),
  ('personnel_share', 'personnel_expenditure'),
  ('personnel_share', 'basic_expenditure'),
  ('public_share', 'public_expenditure'),
  ('public_share', 'basic_expenditure'),
  ('pension_share', 'pension_subsidy'),
  ('pension_share', 'total_expenditure'),
  ('sangong_budget', 'sangong_budget'),
  ('sangong_actual', 'sangong_actual'),
  ('execution_rate', 'total_expenditure'),
  ('total_per_resident', 'total_expenditure'),
  ('pension_per_60plus', 'pension_subsidy'),
  ('pension_per_65plus', 'pension_subsidy');
-- END GENERATED: measure_figures

-- A summary figure held out of rankings and peer statistics until resolved: a high-severity check
-- on it failed and another source in the same document (a table or a statement in 情况说明)
-- prints a different amount for it, beyond that check's printing tolerance. The document still
-- shows it, flagged.
CREATE VIEW int_figure_doubts AS
SELECT f.doc_id, f.figure,
       'checks_failed_and_contradicted' AS reason,
       any_value(c.message) AS message
FROM int_doc_figures f
JOIN check_results c ON c.doc_id = f.doc_id AND c.figure = f.figure AND c.status = 'fail' AND c.severity = 'high'
WHERE EXISTS (SELECT 1 FROM int_figure_candidates k
              WHERE k.doc_id = f.doc_id AND k.figure = f.figure AND k.amount_yuan IS NOT NULL
                AND abs(k.amount_yuan - f.amount_yuan) > coalesce(c.tolerance, 0))
GROUP BY f.doc_id, f.figure
-- An amount read by OCR that no other statement confirms and a check contradicts
-- (core_table_facts.ocr_unconfirmed, etl/ocr_consensus.py), when it is the figure's value.
UNION ALL
SELECT f.doc_id, f.figure, 'ocr_unconfirmed', any_value(t.table_title || '：' || t.row_label)
FROM int_doc_figures f
JOIN core_table_facts t ON t.doc_id = f.doc_id AND t.amount_yuan = f.amount_yuan AND t.ocr_unconfirmed
GROUP BY f.doc_id, f.figure;

-- The measures pages, exports and checks compare: one row per document and measure with a value.
-- A figure the document does not disclose has no row (never 0); a printed 0 is a row with 0.
-- Shares are fractions; money is in 元. Keys with ':' carry a category or component. The shares
-- within one document are generated from rules.measures.DOC_SHARES. held_out names the doubted
-- figures a value rests on (int_figure_doubts): peer statistics and ranks leave such rows out.
CREATE TABLE mart_measure_values AS
WITH s AS (SELECT * FROM mart_county_year),
budget AS (SELECT unit_key, fiscal_year, total_expenditure_yuan FROM s WHERE stage = 'budget'),
long AS (
  SELECT doc_id, 'total_expenditure' AS measure_key, CAST(total_expenditure_yuan AS DOUBLE) AS measure_value FROM s
  UNION ALL SELECT doc_id, 'yoy_pct', CAST(yoy_frac AS DOUBLE) FROM s
-- BEGIN GENERATED: doc_shares
  UNION ALL SELECT doc_id, 'basic_share', CAST(basic_expenditure_yuan AS DOUBLE) / nullif(CAST(total_expenditure_yuan AS DOUBLE), 0) FROM s
  UNION ALL SELECT doc_id, 'project_share', CAST(project_expenditure_yuan AS DOUBLE) / nullif(CAST(total_expenditure_yuan AS DOUBLE), 0) FROM s
  UNION ALL SELECT doc_id, 'personnel_share', CAST(personnel_expenditure_yuan AS DOUBLE) / nullif(CAST(basic_expenditure_yuan AS DOUBLE), 0) FROM s
  UNION ALL SELECT doc_id, 'public_share', CAST(public_expenditure_yuan AS DOUBLE) / nullif(CAST(basic_expenditure_yuan AS DOUBLE), 0) FROM s
  UNION ALL SELECT doc_id, 'pension_share', CAST(pension_subsidy_yuan AS DOUBLE) / nullif(CAST(total_expenditure_yuan AS DOUBLE), 0) FROM s
-- END GENERATED: doc_shares
-- BEGIN GENERATED: per_resident
  UNION ALL SELECT s.doc_id, 'total_per_resident', CAST(s.total_expenditure_yuan AS DOUBLE) / nullif(CAST(p.population AS DOUBLE), 0) FROM s JOIN ref_census_2020 p ON p.adcode = s.adcode
  UNION ALL SELECT s.doc_id, 'pension_per_60plus', CAST(s.pension_subsidy_yuan AS DOUBLE) / nullif(CAST(p.population_60plus AS DOUBLE), 0) FROM s JOIN ref_census_2020 p ON p.adcode = s.adcode
  UNION ALL SELECT s.doc_id, 'pension_per_65plus', CAST(s.pension_subsidy_yuan AS DOUBLE) / nullif(CAST(p.population_65plus AS DOUBLE), 0) FROM s JOIN ref_census_2020 p ON p.adcode = s.adcode
-- END GENERATED: per_resident
  UNION ALL SELECT s.doc_id, 'pension_share:' || c.category,
                   CAST(c.amount_yuan AS DOUBLE) / nullif(CAST(s.total_expenditure_yuan AS DOUBLE), 0)
            FROM s JOIN int_pension_category c USING (doc_id)
  UNION ALL SELECT doc_id, 'sangong_budget', CAST(sangong_budget_yuan AS DOUBLE) FROM s
  UNION ALL SELECT doc_id, 'sangong_actual', CAST(sangong_actual_yuan AS DOUBLE) FROM s WHERE stage = 'final'
  UNION ALL SELECT g.doc_id, 'sangong_' || g.kind || ':' || g.component, CAST(g.amount_yuan AS DOUBLE)
            FROM int_sangong g JOIN s USING (doc_id)
            WHERE g.component IN (SELECT component FROM int_sangong_components WHERE ord > 0)
              AND (g.kind = 'budget' OR s.stage = 'final')
  UNION ALL SELECT s.doc_id, 'execution_rate',
                   CAST(s.total_expenditure_yuan AS DOUBLE) / nullif(CAST(b.total_expenditure_yuan AS DOUBLE), 0)
            FROM s JOIN budget b ON b.unit_key = s.unit_key AND b.fiscal_year = s.fiscal_year
            WHERE s.stage = 'final'
  UNION ALL SELECT doc_id, measure_key, CAST(pct_signed_frac AS DOUBLE) FROM int_stated_changes),
held AS (
  SELECT m.measure_base, d.doc_id, string_agg(DISTINCT d.figure || ': ' || d.reason, '; ') AS held_out
  FROM int_figure_doubts d JOIN int_measure_figures m USING (figure)
  GROUP BY ALL)
SELECT s.unit_key, s.doc_id, s.fiscal_year, s.stage, long.measure_key, long.measure_value, held.held_out
FROM long JOIN s USING (doc_id)
LEFT JOIN held ON held.doc_id = long.doc_id AND held.measure_base = split_part(long.measure_key, ':', 1)
WHERE long.measure_value IS NOT NULL AND isfinite(long.measure_value)
ORDER BY long.measure_key, s.stage, s.fiscal_year, s.unit_key;
