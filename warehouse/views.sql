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

CREATE VIEW int_pension AS
SELECT doc_id,
       CASE WHEN count(amount_yuan) FILTER (WHERE item_kind = 'project' AND category <> 'own_contribution') > 0
            THEN sum(amount_yuan) FILTER (WHERE item_kind = 'project' AND category <> 'own_contribution')
            ELSE sum(amount_yuan) FILTER (WHERE item_kind = 'function_line' AND category <> 'own_contribution')
       END AS pension_subsidy
FROM core_pension_items
GROUP BY doc_id;

CREATE VIEW int_doc_wide AS
SELECT d.*,
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

-- Prior-year total: a loaded document of that year (same unit, same stage) first; else the figure
-- this document states, when the change it states is against this document's total_expenditure.
CREATE VIEW int_prior_year AS
WITH w AS (SELECT doc_id, fiscal_year, stage, coalesce(adcode, unit_name) AS who, total_expenditure FROM int_doc_wide),
loaded AS (
  SELECT c.doc_id, any_value(p.total_expenditure) AS amount
  FROM w c JOIN w p ON p.who = c.who AND p.stage = c.stage AND p.fiscal_year = c.fiscal_year - 1
  GROUP BY c.doc_id),
stated AS (
  SELECT w.doc_id, arg_min(s.amount_yuan, s.page * 100000 + coalesce(s.line, 0)) AS amount
  FROM w JOIN core_prior_year_facts s
    ON s.doc_id = w.doc_id AND s.fiscal_year = w.fiscal_year - 1 AND s.current_amount_yuan = w.total_expenditure
  GROUP BY w.doc_id)
SELECT w.doc_id, coalesce(l.amount, s.amount) AS prior_year_total
FROM w LEFT JOIN loaded l USING (doc_id) LEFT JOIN stated s USING (doc_id);

CREATE VIEW county_year_summary AS
SELECT w.county, w.prefecture, w.province, w.unit_name, w.fiscal_year, w.stage,
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
LEFT JOIN int_prior_year y USING (doc_id);

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
