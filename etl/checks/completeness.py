"""Completeness after the national disclosure rules (财预〔2016〕143号 and the 决算 公开 templates):
which required tables and statements a document has, has empty with an explanation, or lacks.

The required items and the score are rules (rules.templates.REQUIRED, completeness_score): the share
of required items present (an empty table whose note says so counts as present: the rule is to
publish it and say it is empty)."""

from __future__ import annotations

from decimal import Decimal

from rules.labels import SANGONG_COMPONENTS
from rules.templates import REQUIRED, completeness_score

SANGONG_PARTS = tuple(f"sangong_{k}" for k in SANGONG_COMPONENTS)


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
    """The completeness score of a document's items (rules.templates.completeness_score)."""
    return completeness_score([i["status"] for i in items])
