-- Views the pages read. int_* are intermediate; county_year_summary is the public contract.
-- Each figure has ranked candidates: the table the national template puts it in first, the
-- statement in 情况说明 last. NULL when no source discloses it.

CREATE VIEW int_figure_candidates AS
SELECT doc_id, 'total_revenue' AS figure, 100 AS priority, amount_yuan, table_title AS source
  FROM core_table_facts WHERE table_family = 'summary' AND section = 'revenue' AND item_key = 'revenue_total' AND measure = 'total'
UNION ALL SELECT doc_id, 'total_revenue', 200, amount_yuan, table_title
  FROM core_table_facts WHERE table_family = 'fiscal_summary' AND section = 'revenue' AND item_key = 'revenue_total' AND measure = 'total'
UNION ALL SELECT doc_id, 'total_revenue', 1000 + seq, amount_yuan, '情况说明'
  FROM core_claims WHERE claim_type = 'amount' AND topic = 'revenue'
UNION ALL SELECT doc_id, 'total_expenditure', 100, amount_yuan, table_title
  FROM core_table_facts WHERE table_family = 'summary' AND section = 'expenditure' AND item_key = 'expenditure_total' AND measure = 'total'
UNION ALL SELECT doc_id, 'total_expenditure', 200, amount_yuan, table_title
  FROM core_table_facts WHERE table_family = 'fiscal_summary' AND section = 'expenditure' AND item_key = 'expenditure_total' AND measure = 'total'
UNION ALL SELECT doc_id, 'total_expenditure', 300, amount_yuan, table_title
  FROM core_table_facts WHERE table_family = 'expenditure' AND item_key = 'total' AND measure = 'total'
UNION ALL SELECT doc_id, 'total_expenditure', 400, amount_yuan, table_title
  FROM core_table_facts WHERE table_family = 'gpb_expenditure' AND item_key = 'total' AND measure = 'total'
UNION ALL SELECT doc_id, 'total_expenditure', 1000 + seq, amount_yuan, '情况说明'
  FROM core_claims WHERE claim_type = 'amount' AND topic = 'expenditure'
UNION ALL SELECT doc_id, m.figure, m.priority, f.amount_yuan, f.table_title
  FROM core_table_facts f
  JOIN (VALUES ('basic_expenditure', 'basic', 'expenditure', 100), ('basic_expenditure', 'basic', 'gpb_expenditure', 200),
               ('project_expenditure', 'project', 'expenditure', 100), ('project_expenditure', 'project', 'gpb_expenditure', 200),
               ('personnel_expenditure', 'personnel', 'basic_econ', 100), ('personnel_expenditure', 'personnel', 'expenditure', 200),
               ('public_expenditure', 'public', 'basic_econ', 100), ('public_expenditure', 'public', 'expenditure', 200))
       AS m(figure, measure, family, priority)
    ON f.table_family = m.family AND f.measure = m.measure AND f.item_key = 'total'
UNION ALL SELECT doc_id, 'personnel_expenditure', 300, sum(amount_yuan), any_value(table_title)
  FROM core_table_facts WHERE table_family = 'expenditure' AND item_key = 'total' AND measure IN ('wages', 'family_subsidy')
  GROUP BY doc_id
UNION ALL SELECT doc_id, 'public_expenditure', 300, sum(amount_yuan), any_value(table_title)
  FROM core_table_facts WHERE table_family = 'expenditure' AND item_key = 'total' AND measure IN ('goods_services', 'capital')
  GROUP BY doc_id
UNION ALL SELECT doc_id, m.figure, 1000 + seq, amount_yuan, '情况说明'
  FROM core_claims c
  JOIN (VALUES ('basic_expenditure', 'basic'), ('project_expenditure', 'project'),
               ('personnel_expenditure', 'personnel'), ('public_expenditure', 'public'),
               ('sangong_budget', 'sangong_total')) AS m(figure, topic)
    ON c.topic = m.topic AND c.claim_type = 'amount'
UNION ALL SELECT doc_id, 'sangong_budget', 100, amount_yuan, table_title
  FROM core_table_facts WHERE table_family = 'sangong' AND item_key = 'sangong_total' AND measure = 'budget'
UNION ALL SELECT doc_id, 'sangong_actual', 100, amount_yuan, table_title
  FROM core_table_facts WHERE table_family = 'sangong' AND item_key = 'sangong_total' AND measure = 'actual';

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
SELECT doc_id, sum(amount_yuan) AS pension_subsidy FROM int_pension_category GROUP BY doc_id;

-- 三公 by component and kind (budget / actual): the 三公 table first, else the amount stated in
-- 情况说明. A printed 0 stays 0; a component no source gives is absent (NULL, not disclosed).
CREATE VIEW int_sangong AS
WITH tab AS (
  SELECT doc_id, row_label AS component, measure AS kind, amount_yuan, table_title AS source, page, line
  FROM core_table_facts WHERE table_family = 'sangong'),
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

CREATE VIEW int_doc_wide AS
SELECT d.*, coalesce(d.adcode, d.unit_name) AS unit_key, coalesce(d.unit_level, 'county') AS level,
       max(f.amount_yuan) FILTER (WHERE f.figure = 'total_revenue') AS total_revenue,
       max(f.amount_yuan) FILTER (WHERE f.figure = 'total_expenditure') AS total_expenditure,
       max(f.amount_yuan) FILTER (WHERE f.figure = 'basic_expenditure') AS basic_expenditure,
       max(f.amount_yuan) FILTER (WHERE f.figure = 'project_expenditure') AS project_expenditure,
       max(f.amount_yuan) FILTER (WHERE f.figure = 'personnel_expenditure') AS personnel_expenditure,
       max(f.amount_yuan) FILTER (WHERE f.figure = 'public_expenditure') AS public_expenditure,
       max(f.amount_yuan) FILTER (WHERE f.figure = 'sangong_budget') AS sangong_budget,
       max(f.amount_yuan) FILTER (WHERE f.figure = 'sangong_actual') AS sangong_actual
FROM core_documents d LEFT JOIN int_doc_figures f USING (doc_id)
GROUP BY ALL;

-- Prior-year total: a loaded document of that year (same unit, same stage) first; else the
-- prior-year figure this document states for the same figure (本年支出合计). A change stated for
-- another figure (收支总计, 一般公共预算支出) never becomes the prior year of 本年支出合计, even when
-- the amounts coincide. core_prior_year_facts may carry a `figure` column (ETL semantics); it is
-- read through to_json so this view works with and without it; without it the topic decides.
CREATE VIEW int_prior_year AS
WITH w AS (SELECT doc_id, fiscal_year, stage, unit_key AS who, total_expenditure FROM int_doc_wide),
loaded AS (
  SELECT c.doc_id, any_value(p.total_expenditure) AS amount
  FROM w c JOIN w p ON p.who = c.who AND p.stage = c.stage AND p.fiscal_year = c.fiscal_year - 1
  GROUP BY c.doc_id),
stated AS (
  SELECT w.doc_id, arg_min(s.amount_yuan, s.page * 100000 + coalesce(s.line, 0)) AS amount
  FROM w JOIN core_prior_year_facts s
    ON s.doc_id = w.doc_id AND s.fiscal_year = w.fiscal_year - 1 AND s.current_amount_yuan = w.total_expenditure
  WHERE coalesce(to_json(s) ->> 'figure', CASE s.topic WHEN 'expenditure' THEN 'total_expenditure' END)
        = 'total_expenditure'
  GROUP BY w.doc_id)
SELECT w.doc_id, coalesce(l.amount, s.amount) AS prior_year_total,
       CASE WHEN l.amount IS NOT NULL THEN 'loaded' WHEN s.amount IS NOT NULL THEN 'stated' END AS prior_source
FROM w LEFT JOIN loaded l USING (doc_id) LEFT JOIN stated s USING (doc_id);

-- Materialised once per build (the warehouse is read-only afterwards): one row per document with
-- every summary figure; county_year_summary and the marts read it.
CREATE TABLE int_doc_summary AS
SELECT w.doc_id, w.unit_key, w.level AS unit_level, w.adcode,
       w.county, w.prefecture, w.province, w.unit_name, w.fiscal_year, w.stage,
       w.total_revenue, w.total_expenditure, w.basic_expenditure, w.project_expenditure,
       w.personnel_expenditure, w.public_expenditure,
       p.pension_subsidy,
       CAST(round(p.pension_subsidy / nullif(w.total_expenditure, 0), 6) AS DECIMAL(18,6)) AS pension_subsidy_share,
       w.sangong_budget, w.sangong_actual,
       y.prior_year_total,
       CAST(w.total_expenditure - y.prior_year_total AS DECIMAL(18,2)) AS yoy_change,
       CAST(round((w.total_expenditure - y.prior_year_total) / nullif(y.prior_year_total, 0), 6) AS DECIMAL(18,6)) AS yoy_pct,
       w.primary_file AS doc_file
FROM int_doc_wide w
LEFT JOIN int_pension p USING (doc_id)
LEFT JOIN int_prior_year y USING (doc_id)
ORDER BY w.unit_key, w.fiscal_year, w.stage;

CREATE VIEW county_year_summary AS
SELECT county, prefecture, province, unit_name, fiscal_year, stage,
       total_revenue, total_expenditure, basic_expenditure, project_expenditure,
       personnel_expenditure, public_expenditure, pension_subsidy, pension_subsidy_share,
       sangong_budget, sangong_actual, prior_year_total, yoy_change, yoy_pct, doc_file
FROM int_doc_summary;

CREATE VIEW county_year_summary_flags AS
SELECT d.county, d.fiscal_year, d.stage, d.doc_id, c.figure,
       count(*) AS checks_run,
       count(*) FILTER (WHERE c.status = 'fail') AS checks_failed,
       CASE min(CASE c.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END) FILTER (WHERE c.status = 'fail')
            WHEN 0 THEN 'high' WHEN 1 THEN 'medium' WHEN 2 THEN 'low' END AS worst_severity,
       string_agg(c.message, '；' ORDER BY c.severity, c.message) FILTER (WHERE c.status = 'fail') AS messages
FROM check_results c JOIN core_documents d USING (doc_id)
WHERE c.figure IS NOT NULL AND c.status <> 'not_applicable'
GROUP BY ALL;

CREATE VIEW completeness_scores AS
SELECT d.doc_id, d.county, d.fiscal_year, d.stage,
       count(*) AS required_items,
       count(*) FILTER (WHERE k.status IN ('present', 'present_empty_explained')) AS present_items,
       count(*) FILTER (WHERE k.status IN ('partial', 'present_empty_unexplained')) AS partial_items,
       CAST((count(*) FILTER (WHERE k.status IN ('present', 'present_empty_explained'))
             + 0.5 * count(*) FILTER (WHERE k.status IN ('partial', 'present_empty_unexplained'))) / count(*)
            AS DECIMAL(18,4)) AS completeness_score
FROM core_completeness k JOIN core_documents d USING (doc_id)
GROUP BY ALL;

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
         count(total_expenditure) AS totals_disclosed,
         median(total_expenditure) AS median_total
  FROM int_doc_summary GROUP BY unit_key),
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
       CAST(r.lat AS DOUBLE) AS lat, CAST(r.lng AS DOUBLE) AS lng
FROM l LEFT JOIN ref_divisions r ON r.adcode = l.adcode
ORDER BY l.unit_key;

-- The measures pages, exports and checks compare: one row per document and measure with a value.
-- A figure the document does not disclose has no row (never 0); a printed 0 is a row with 0.
-- Shares are fractions; money is in 元. Keys with ':' carry a category or component.
CREATE TABLE mart_measure_values AS
WITH s AS (SELECT * FROM int_doc_summary),
budget AS (SELECT unit_key, fiscal_year, total_expenditure FROM s WHERE stage = 'budget'),
long AS (
  SELECT doc_id, 'total_expenditure' AS measure, CAST(total_expenditure AS DOUBLE) AS value FROM s
  UNION ALL SELECT doc_id, 'yoy_pct', CAST(yoy_pct AS DOUBLE) FROM s
  UNION ALL SELECT doc_id, 'basic_share', CAST(basic_expenditure AS DOUBLE) / nullif(CAST(total_expenditure AS DOUBLE), 0) FROM s
  UNION ALL SELECT doc_id, 'project_share', CAST(project_expenditure AS DOUBLE) / nullif(CAST(total_expenditure AS DOUBLE), 0) FROM s
  UNION ALL SELECT doc_id, 'personnel_share', CAST(personnel_expenditure AS DOUBLE) / nullif(CAST(basic_expenditure AS DOUBLE), 0) FROM s
  UNION ALL SELECT doc_id, 'public_share', CAST(public_expenditure AS DOUBLE) / nullif(CAST(basic_expenditure AS DOUBLE), 0) FROM s
  UNION ALL SELECT doc_id, 'pension_share', CAST(pension_subsidy AS DOUBLE) / nullif(CAST(total_expenditure AS DOUBLE), 0) FROM s
  UNION ALL SELECT s.doc_id, 'pension_share:' || c.category,
                   CAST(c.amount_yuan AS DOUBLE) / nullif(CAST(s.total_expenditure AS DOUBLE), 0)
            FROM s JOIN int_pension_category c USING (doc_id)
  UNION ALL SELECT doc_id, 'sangong_budget', CAST(sangong_budget AS DOUBLE) FROM s
  UNION ALL SELECT doc_id, 'sangong_actual', CAST(sangong_actual AS DOUBLE) FROM s WHERE stage = 'final'
  UNION ALL SELECT g.doc_id, 'sangong_' || g.kind || ':' || g.component, CAST(g.amount_yuan AS DOUBLE)
            FROM int_sangong g JOIN s USING (doc_id)
            WHERE g.component IN ('abroad', 'vehicle_purchase', 'vehicle_operation', 'reception')
              AND (g.kind = 'budget' OR s.stage = 'final')
  UNION ALL SELECT s.doc_id, 'execution_rate', CAST(s.total_expenditure AS DOUBLE) / nullif(CAST(b.total_expenditure AS DOUBLE), 0)
            FROM s JOIN budget b ON b.unit_key = s.unit_key AND b.fiscal_year = s.fiscal_year
            WHERE s.stage = 'final')
SELECT s.unit_key, s.doc_id, s.fiscal_year, s.stage, long.measure, long.value
FROM long JOIN s USING (doc_id)
WHERE long.value IS NOT NULL AND isfinite(long.value)
ORDER BY long.measure, s.stage, s.fiscal_year, s.unit_key;
