"""Completeness after the national disclosure rules (财预〔2016〕143号 and the 决算 公开 templates):
which required tables and statements a document has, has empty with an explanation, or lacks.

The score is the share of required items present (an empty table whose note says so counts as
present: the rule is to publish it and say it is empty)."""

from __future__ import annotations

from decimal import Decimal

REQUIRED = {
    "budget": [
        ("table:summary", "部门收支总表"),
        ("table:income", "部门收入总表"),
        ("table:expenditure", "部门支出总表"),
        ("table:fiscal_summary", "财政拨款收支总表"),
        ("table:gpb_expenditure", "一般公共预算支出表"),
        ("table:basic_econ", "一般公共预算基本支出表"),
        ("table:sangong", "一般公共预算“三公”经费支出表"),
        ("table:gov_fund", "政府性基金预算支出表"),
        ("table:projects", "项目支出表"),
        ("table:project_performance", "项目绩效目标表"),
        ("statement:sangong_components", "“三公”经费分项说明（四项）"),
        ("statement:operating_cost", "机关运行经费说明"),
        ("statement:procurement", "政府采购说明"),
        ("statement:assets", "国有资产占用说明"),
        ("detail:function_xiang", "功能分类细化到项"),
    ],
    "final": [
        ("table:summary", "收入支出决算总表"),
        ("table:income", "收入决算表"),
        ("table:expenditure", "支出决算表"),
        ("table:fiscal_summary", "财政拨款收入支出决算总表"),
        ("table:gpb_expenditure", "一般公共预算财政拨款支出决算表"),
        ("table:basic_econ", "一般公共预算财政拨款基本支出决算明细表"),
        ("table:sangong", "财政拨款“三公”经费支出决算表"),
        ("table:gov_fund", "政府性基金预算财政拨款收入支出决算表"),
        ("table:soe_capital", "国有资本经营预算财政拨款支出决算表"),
        ("statement:sangong_components", "“三公”经费分项说明（四项）"),
        ("statement:operating_cost", "机关运行经费说明"),
        ("statement:procurement", "政府采购说明"),
        ("statement:assets", "国有资产占用说明"),
        ("statement:performance", "预算绩效管理说明"),
        ("detail:function_xiang", "功能分类细化到项"),
    ],
}
SANGONG_PARTS = ("sangong_abroad", "sangong_vehicle_purchase", "sangong_vehicle_operation", "sangong_reception")


def completeness(rows: dict[str, list[dict]], info: dict) -> list[dict]:
    status = {}
    for s in rows.get("core_table_status", []):
        prev = status.get(s["table_family"])
        rank = {"present": 0, "disclosed_empty": 1, "empty_unexplained": 2}
        if prev is None or rank[s["status"]] < rank[prev[0]]:
            status[s["table_family"]] = (s["status"], s["table_title"], s["note"])
    claims = rows.get("core_claims", [])
    topics = {c["topic"] for c in claims if c["claim_type"] in ("amount", "change", "count")}
    sentences = "".join(p["text"] for p in rows.get("raw_paragraphs", []))
    out = []
    for item, name in REQUIRED.get(info.get("stage") or "budget", []):
        kind, what = item.split(":")
        if kind == "table":
            st, title, note = status.get(what, ("missing", None, None))
            result = {
                "present": "present",
                "disclosed_empty": "present_empty_explained",
                "empty_unexplained": "present_empty_unexplained",
            }.get(st, "missing")
            evidence = note or title
        elif what == "sangong_components":
            have = [p for p in SANGONG_PARTS if p in topics]
            result = "present" if len(have) == 4 else ("partial" if have else "missing")
            evidence = f"{len(have)}/4 项有金额说明"
        elif what == "function_xiang":
            codes = {
                f["function_code"]
                for f in rows.get("core_table_facts", [])
                if f["table_family"] in ("expenditure", "gpb_expenditure") and f["function_code"]
            }
            result = "present" if any(len(c) == 7 for c in codes) else ("missing" if not codes else "partial")
            evidence = f"{sum(1 for c in codes if len(c) == 7)} 个项级科目"
        else:
            words = {
                "operating_cost": ("机关运行经费", "机构运转经费", "运行经费"),
                "procurement": ("政府采购",),
                "assets": ("车辆", "国有资产", "固定资产"),
                "performance": ("绩效",),
            }[what]
            hit = any(w in sentences for w in words) or (what in topics)
            result = "present" if hit else "missing"
            evidence = next(
                (p["text"][:60] for p in rows.get("raw_paragraphs", []) if any(w in p["text"] for w in words)), None
            )
        out.append(dict(item=item, item_zh=name, status=result, evidence=evidence))
    return out


def score(items: list[dict]) -> Decimal | None:
    if not items:
        return None
    ok = sum(1 for i in items if i["status"] in ("present", "present_empty_explained"))
    half = sum(1 for i in items if i["status"] in ("partial", "present_empty_unexplained"))
    return (Decimal(ok) + Decimal(half) / 2) / len(items)
