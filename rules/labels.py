"""Chinese labels of the warehouse's keys: one map per key family, read by checks, SQL, pages,
exports and the CLI (UI text is Simplified Chinese; keys stay English)."""

from __future__ import annotations

import re

STAGE_ZH: dict[str, str] = {"budget": "预算", "final": "决算"}
STAGE_FROM_ZH: dict[str, str] = {v: k for k, v in STAGE_ZH.items()}

# check_results.status / severity / check_group
CHECK_STATUS_ZH: dict[str, str] = {"pass": "通过", "fail": "不符", "not_applicable": "不适用"}
SEVERITY_ZH: dict[str, str] = {"high": "严重", "medium": "一般", "low": "轻微"}
SEVERITY_ORDER: dict[str, int] = {"high": 0, "medium": 1, "low": 2}
# How a list of check results sorts: failures first, then not applicable, then passes.
CHECK_STATUS_ORDER: dict[str, int] = {"fail": 0, "not_applicable": 1, "pass": 2}
CHECK_GROUP_ZH: dict[str, str] = {
    "table_sum": "表内合计",
    "cross_table": "表间一致",
    "narrative": "说明与表格",
    "final_vs_budget": "决算与预算",
    "self_evaluation": "绩效自评",
    "identity": "单位与年度",
    "cross_document": "跨文档一致",
}
# The group of the checks across documents: run over the whole warehouse, never copied from an
# earlier one by an incremental build.
CROSS_DOCUMENT_GROUP = "cross_document"

# core_table_status.status and core_completeness.status
TABLE_STATUS_ZH: dict[str, str] = {
    "present": "有数据",
    "disclosed_empty": "说明为空",
    "empty_unexplained": "空表未说明",
}
COMPLETENESS_STATUS_ZH: dict[str, str] = {
    "present": "已公开",
    "present_empty_explained": "空表已说明",
    "present_empty_unexplained": "空表未说明",
    "partial": "部分公开",
    "missing": "缺失",
}

# The peer groups a focus is compared with, in the order the sidebar offers them.
PEER_MODE_ZH: dict[str, str] = {
    "all": "全部已载入",
    "province": "同省",
    "prefecture": "同地市",
    "size": "规模相近",
    "list": "手选",
}
PEER_MODE_FROM_ZH: dict[str, str] = {v: k for k, v in PEER_MODE_ZH.items()}

# Unit levels (core_documents.unit_level; NULL = county).
UNIT_LEVEL_ZH: dict[str, str] = {"province": "省级", "prefecture": "地市级", "county": "县级"}

# Topics a 情况说明 statement is about (core_claims.topic).
TOPIC_ZH: dict[str, str] = {
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

# The four 三公 components compared and charted, in display order (keys without the topic prefix).
SANGONG_COMPONENTS: tuple[str, ...] = ("abroad", "vehicle_purchase", "vehicle_operation", "reception")
SANGONG_COMPONENT_ZH: dict[str, str] = {k: TOPIC_ZH[f"sangong_{k}"] for k in SANGONG_COMPONENTS}
SANGONG_TOTAL_ZH = "“三公”经费合计"
# int_sangong.kind: the 三公 table's 预算数 and 决算数 columns.
SANGONG_KIND_ZH: dict[str, str] = {"budget": "预算", "actual": "决算"}
# core_pension_items.item_kind
PENSION_ITEM_KIND_ZH: dict[str, str] = {"project": "项目", "function_line": "功能科目"}


def stage_zh(stage: str | None) -> str:
    return STAGE_ZH.get(stage or "", stage or "")


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def sql_rank(col: str, order: dict[str, int]) -> str:
    """SQL for the rank of a key in `order` (SEVERITY_ORDER, CHECK_STATUS_ORDER); unknown keys last."""
    whens = " ".join(f"WHEN {_sql_text(k)} THEN {v}" for k, v in order.items())
    return f"(CASE {col} {whens} ELSE {len(order)} END)"


def sql_key_of_rank(expr: str, order: dict[str, int]) -> str:
    """SQL for the key of a rank (the inverse of sql_rank): e.g. the worst severity from min(rank)."""
    whens = " ".join(f"WHEN {v} THEN {_sql_text(k)}" for k, v in order.items())
    return f"(CASE {expr} {whens} END)"


# check_results.check_name: what each check verifies, in the words a reader uses (docs/checks.md
# describes the rules). tests/test_research.py checks every registered check has one.
CHECK_NAME_ZH: dict[str, str] = {
    "total_is_basic_plus_project": "合计 = 基本支出 + 项目支出",
    "basic_is_personnel_plus_public": "基本支出 = 人员经费 + 公用经费",
    "basic_is_economic_columns": "基本支出 = 各经济分类之和",
    "personnel_is_wages_plus_family": "人员经费 = 工资福利 + 对个人和家庭的补助",
    "project_is_operating_plus_specific": "项目支出 = 其他运转类 + 特定目标类",
    "class_is_sum_of_children": "类 = 下级科目之和",
    "total_row_is_sum": "合计行 = 各行之和",
    "revenue_equals_expenditure": "本年收入合计 = 本年支出合计",
    "this_year_plus_carry_is_grand_total": "本年收入 + 上年结转 = 收入总计",
    "expenditure_total_is_sum_of_classes": "本年支出合计 = 各功能分类之和",
    "sangong_total_is_sum": "“三公”经费合计 = 各项之和",
    "sangong_vehicle_is_sum": "公务用车 = 购置 + 运行维护",
    "econ_total_is_personnel_plus_public": "基本支出表合计 = 人员经费 + 公用经费",
    "econ_personnel_is_sum_of_lines": "人员经费 = 各经济分类科目之和",
    "econ_public_is_sum_of_lines": "公用经费 = 各经济分类科目之和",
    "econ_class_is_sum_of_items": "经济分类类 = 各款之和",
    "econ_summary_total_is_sum": "经济分类汇总表合计 = 各科目之和",
    "performance_total_is_sum_of_projects": "绩效目标表合计 = 各项目之和",
    "project_table_total_is_sum": "项目支出表合计 = 各项目之和",
    "total_expenditure_across_tables": "本年支出合计各表一致",
    "basic_across_tables": "基本支出各表一致",
    "project_across_tables": "项目支出各表一致",
    "class_across_tables": "功能分类各表一致",
    "total_revenue_across_tables": "本年收入合计各表一致",
    "class_in_detail_table": "总表所列功能分类在支出表中有明细",
    "project_table_total_is_project_expenditure": "项目支出表合计 = 项目支出",
    "econ_total_is_basic_expenditure": "基本支出表合计 = 基本支出",
    "projects_within_project_expenditure": "所列项目合计不超过项目支出",
    "cost_target_matches_project_amount": "成本指标与项目金额量级相符",
    "stated_amount_matches_table": "说明中的金额与表格一致",
    "share_matches_figures": "说明中的占比与金额一致",
    "yoy_rate_on_prior_year": "增减率以上年数为基数",
    "one_rate_per_change": "同一增减额的增减率一致",
    "stated_parts_add_up": "说明中的合计与分项一致",
    "stated_change_parts_add_up": "说明中的增减额与分项一致",
    "flat_claim_compares_prior_year": "“持平”与上年比较",
    "flat_claim_has_no_change": "“持平”无增减",
    "execution_rate_matches": "完成预算比例 = 决算 ÷ 预算",
    "stated_line_final_matches_table": "说明中的决算数与决算表一致",
    "sangong_actual_within_budget": "“三公”经费决算不超预算",
    "self_eval_execution_rate": "自评执行率 = 执行数 ÷ 预算数",
    "self_eval_total_score": "自评总分 = 指标得分 + 资金得分",
    "self_eval_weights": "自评分值合计为 100",
    "self_eval_group_points": "一级指标分值 = 所属指标分值之和",
    "unit_name_consistent": "全文单位名称一致",
    "stated_year_consistent": "全文年度一致",
    "prior_year_matches_document": "所述上年数与上年文件一致",
    "final_budget_matches_budget_document": "决算所述预算数与预算文件一致",
    "execution_rate_matches_budget_document": "决算完成率与预算文件一致",
    "copies_agree": "同一文件的各副本一致",
}


def check_name_zh(name: str | None) -> str:
    """A check's Chinese name; an unknown id is shown as it is rather than hidden."""
    return CHECK_NAME_ZH.get(name or "", name or "")


# Which documents a county-year is missing (数据覆盖's "缺少" filter): the stage key or both.
COVERAGE_GAP_ZH: dict[str, str] = {"any": "预算或决算", "budget": "预算", "final": "决算", "both": "预算和决算"}

# plotly.js's zh-CN locale (its dist/plotly-locale-zh-cn.js), passed in each chart's config as
# `locales` so the toolbar speaks Chinese without registering a locale bundle in the browser
# (Streamlit's plotly bundle carries none).
PLOTLY_LOCALE_ZH_CN: dict = {
    "dictionary": {
        "Autoscale": "自动缩放",
        "Box Select": "矩形框选择",
        "Click to enter Colorscale title": "点击输入色阶的标题",
        "Click to enter Plot title": "点击输入图表的标题",
        "Click to enter X axis title": "点击输入X轴的标题",
        "Click to enter Y axis title": "点击输入Y轴的标题",
        "Compare data on hover": "悬停时比较数据",
        "Double-click on legend to isolate one trace": "双击图例来突显对应轨迹",
        "Double-click to zoom back out": "双击返回缩小显示",
        "Download plot as a png": "下载图表为PNG格式",
        "Download plot": "下载图表",
        "Edit in Chart Studio": "在Chart Studio中编辑",
        "IE only supports svg.  Changing format to svg.": "IE只支持SVG。转换格式为SVG。",
        "Lasso Select": "套索选择",
        "Orbital rotation": "轨道旋转",
        "Pan": "平移",
        "Produced with Plotly.js": "由Plotly.js生成",
        "Reset": "重置",
        "Reset axes": "重置轴",
        "Reset camera to default": "重置镜头视角为默认状态",
        "Reset camera to last save": "重置镜头视角为上次保存状态",
        "Reset view": "重置视图",
        "Reset views": "重置视图",
        "Show closest data on hover": "悬停时显示最近的数据",
        "Snapshot succeeded": "生成快照成功",
        "Sorry, there was a problem downloading your snapshot!": "抱歉，下载快照出现问题！",
        "Taking snapshot - this may take a few seconds": "正在生成快照 - 可能需要几秒钟",
        "Toggle Spike Lines": "启用/禁用尖峰线",
        "Toggle show closest data on hover": "启用/禁用悬停时显示最近的数据",
        "Turntable rotation": "转台旋转",
        "Zoom in": "放大",
        "Zoom out": "缩小",
        "Zoom": "缩放",
        "max:": "最大值：",
        "mean:": "平均值：",
        "median:": "中位数：",
        "min:": "最小值：",
        "q1:": "第一四分位数：",
        "q3:": "第三四分位数：",
        "trace": "轨迹",
    },
    "format": {
        "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
        "shortDays": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
        "months": ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"],
        "shortMonths": ["1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"],
        "date": "%Y-%m-%d",
        "decimal": ".",
        "thousands": ",",
    },
}


def _measure_column_zh() -> dict[str, str]:
    from rules import templates

    out: dict[str, str] = {}
    for measures in (
        templates.EXPENDITURE_MEASURES,
        templates.INCOME_MEASURES,
        templates.FISCAL_MEASURES,
        templates.BASIC_ECON_MEASURES,
        templates.ECON_SUMMARY_MEASURES,
    ):
        for key, aliases, _parent in measures:
            out.setdefault(key, aliases[0])
    out["total"] = "合计"
    # The 三公 table's 预算数 | 决算数 pairs and a project's single amount column.
    out.update({"budget": "预算数", "actual": "决算数", "amount": "金额"})
    out.update({k: v for k, v in TOPIC_ZH.items() if k.startswith(("econ_", "sangong_"))})
    return out


# A table's measure columns (core_table_facts.measure: basic, upper_remit …) by their printed header;
# check items and messages name a column by its key ("「合计」basic").
MEASURE_COLUMN_ZH: dict[str, str] = _measure_column_zh()
_KEY_WORD = re.compile(r"(?<![A-Za-z0-9_.])([a-z][a-z_]+)(?![A-Za-z0-9_.])")


def keys_to_zh(text: str | None) -> str | None:
    """Check items and messages as a reader sees them: a measure column's key written into the text
    ("「合计」basic") is replaced by its header (「合计」基本支出); file names and other words stay."""
    if text is None:
        return None
    return _KEY_WORD.sub(lambda m: MEASURE_COLUMN_ZH.get(m.group(1), m.group(1)), text)


def place_text(source_file: str | None, page, line) -> str:
    """Where a figure or statement stands, as pages, exports and reports print it: file, page, line."""
    return f"{source_file} 第{page}页" + (f" 第{line}行" if line else "")


# core_source_files.format as people read it.
FORMS_ZH: dict[str, str] = {
    "pdf": "PDF",
    "text": "文本",
    "html": "网页",
    "mhtml": "单文件网页",
    "xlsx": "Excel",
    "xls": "Excel 97-2003",
    "ods": "ODS 表格",
    "docx": "Word",
}
# The parser's one-line reasons (English: the CLI's contract) as people read them on a page: the
# first key found in the reason wins, so the more specific keys come first.
FAILURE_REASONS_ZH: list[tuple[str, str]] = [
    # first: its detail carries the attachment links, which may contain any other key
    ("no figures", "页面只有标题、目录或说明，没有数字：表格可能在附件中，请下载附件后上传"),
    ("time limit exceeded", "解析超时（超过单个文件的时间上限），不会载入"),
    ("memory cap exceeded", "解析超出内存上限，不会载入"),
    ("file too large", "文件过大，不会载入"),
    ("binary data", "不是文本或可识别的文档格式（二进制数据）"),
    ("image, not a document", "是图片，不是文档；请上传 PDF、Excel、Word、网页或文本"),
    ("archive", "是压缩包，请先解压"),
    ("encrypted PDF", "PDF 已加密，无法读取"),
    ("corrupt", "文件已损坏或不完整"),
    ("damaged", "文件已损坏或不完整"),
    ("not supported", "不支持的文件格式（请另存为 .docx、.xlsx 或 PDF）"),
    ("too many", "超出文件规模上限（行数、单元格、页数或字符数），不会载入"),
    ("too long", "超出文件规模上限（字符数），不会载入"),
    ("cap", "超出文件规模上限，不会载入"),
    ("value out of range", "有金额或数值超出范围，不会载入"),
    ("not a disclosure", "无法识别为预算或决算公开文件"),
    ("implausible fiscal year", "年度不合理，无法识别为预算或决算公开文件"),
    ("no unit", "无法识别为预算或决算公开文件（找不到单位名称）"),
]


def reason_zh(message: str) -> str:
    """A parser's failure line in Chinese; the English detail follows in brackets (for support)."""
    detail = message.removeprefix("failed: ").strip()
    for key, text in FAILURE_REASONS_ZH:
        if key in detail:
            return f"{text}（{detail[:120]}）"
    return f"无法识别为预算或决算公开文件（{detail[:120]}）"


# The readers' warnings (English: the CLI's and the warehouse's `warnings` column) as people read
# them on a page: a pattern over one warning and its Chinese, with the pattern's groups in {1}, {2}…
# The first pattern that matches wins, so the more specific come first.
WARNINGS_ZH: list[tuple[str, str]] = [
    (r"OCR on pages (.+) \(lower confidence\)", "第 {1} 页为扫描图像，经文字识别（OCR）读取，可信度较低"),
    (r"pages? (.+) lay a quarter turn clockwise in the scan: .*", "第 {1} 页扫描时顺时针横放，已转正后识别"),
    (r"pages? (.+) lay a quarter turn anticlockwise in the scan: .*", "第 {1} 页扫描时逆时针横放，已转正后识别"),
    (r"pages? (.+) lay upside-down in the scan: .*", "第 {1} 页扫描时上下颠倒，已转正后识别"),
    (r"pages (.+) blank \(no text layer, no ink\)", "第 {1} 页为空白页（无文字、无墨迹）"),
    (
        r"scanned pages (.+) not read \(OCR limit (\d+) pages / (\d+) CPU-s\)",
        "扫描页第 {1} 页未读取（每个文件最多识别 {2} 页、{3} CPU 秒）",
    ),
    (r"page (\d+): glyphs without Unicode map.*", "第 {1} 页的字体缺少 Unicode 映射，已改用文字识别"),
    (r"page (\d+): columns read from the amounts' right edges.*", "第 {1} 页：表格的列按金额右边缘划分（勾稽关系更吻合）"),
    (r"page (\d+): unreadable \((.+)\)", "第 {1} 页无法读取（{2}）"),
    (r"page (\d+): (.+)", "第 {1} 页：{2}"),
    (r"damaged text: (\d+) NUL (?:byte|character)\(s\) dropped at byte offset\(s\) (.+)", "文本有损坏：已删除 {1} 个空字符（NUL，字节位置 {2}）"),
    (
        r"damaged text: (\d+) byte\(s\) of byte-order marks inside the text dropped at byte offset\(s\) (.+)",
        "文本有损坏：已删除正文中 {1} 个字节的字节顺序标记（BOM，字节位置 {2}）",
    ),
    (
        r"damaged text: (\d+) byte-order mark\(s\) inside the text dropped at byte offset\(s\) (.+)",
        "文本有损坏：已删除正文中 {1} 个字节顺序标记（BOM，字节位置 {2}）",
    ),
    (r"damaged text: byte-order marks inside the text dropped", "文本有损坏：已删除正文中的字节顺序标记（BOM）"),
    (
        r"(\d+) undecodable character\(s\) shown as \ufffd at byte offset\(s\) (.+), the first on line (\d+) \((.+)\)",
        "{1} 个字符无法解码，显示为 \ufffd（字节位置 {2}，第一个在第 {3} 行，编码 {4}）",
    ),
    (r"number formats of the spreadsheet unreadable \((.+)\)", "电子表格的数字格式无法读取（{1}），金额按单元格数值读取"),
    (r"hidden sheet '(.+)' skipped", "已跳过隐藏工作表“{1}”"),
    (r"sheet '(.+)': unreadable \((.+)\)", "工作表“{1}”无法读取（{2}）"),
    (r"traditional characters converted to simplified.*", "繁体字已转换为简体字（OpenCC）"),
    (r"Word 97-2003 document \(\.doc\) converted to \.docx.*", "Word 97-2003 文档（.doc）已由 LibreOffice 转换后读取"),
    (
        r"tables without a printed unit, none found in the statements \(amounts kept, not in 元\): (.+)",
        "以下表格未印金额单位，说明中也未找到（金额照录，未换算为元）：{1}",
    ),
]


_WARNING_PATTERNS = [(re.compile(pattern), zh) for pattern, zh in WARNINGS_ZH]


def warning_zh(warning: str) -> str:
    """One reader warning in Chinese; one no pattern knows is kept as it is, marked as such."""
    text = warning.strip()
    for pattern, zh in _WARNING_PATTERNS:
        m = pattern.fullmatch(text)
        if m:
            return zh.format(text, *m.groups())  # {1} is the first group
    return f"读取提示：{text}"


def warnings_zh(warnings: str | None) -> str | None:
    """The warehouse's `warnings` column (warnings joined by '; ') in Chinese, joined by '；'."""
    if not warnings:
        return None
    return "；".join(warning_zh(w) for w in warnings.split("; ") if w.strip())
