"""Chinese labels of the warehouse's keys: one map per key family, read by checks, SQL, pages,
exports and the CLI (UI text is Simplified Chinese; keys stay English)."""

from __future__ import annotations

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
