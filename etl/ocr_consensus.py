"""Figures read by OCR, checked against the document's other statements of the same figure.

A disclosure states each headline total three or four times (收支总表, 支出表, 财政拨款表, the
情况说明), and each function line twice (支出表 and 一般公共预算支出表). OCR misreads a cell now and
then: a lost decimal point, a dropped first digit, a row number taken for the amount. For every
amount read from an OCR'd page (`core_table_facts`, and the amount statements of `core_claims`):

- **confirmed** when another statement of the same figure, or its own row's arithmetic
  (合计 = 基本 + 项目, or = the sum of the row's other columns), agrees with it;
- **corrected** (table amounts only) when nothing confirms it and the value the other statements
  agree on wins: two or more of them, or one and the row's arithmetic, which then holds. The amount becomes
  that value (`amount_printed` in the fact's own unit and decimals), and the text OCR read is
  kept in `ocr_misread`;
- **unconfirmed** (`ocr_unconfirmed = True`) when nothing confirms it and a check on it fails (the
  row's arithmetic, or other statements that print another value), so the warehouse can keep
  it out of rankings and peer statistics.

Every OCR amount row gets `ocr_unconfirmed` (True/False) and `ocr_misread` (None unless
corrected); rows read from a text layer get neither. Printed figures are never changed: only
amounts from OCR'd pages are.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from rules.units import factor, half_unit

# Table facts that state a headline figure: figure -> {(table_family, item_key, measure)}. The
# narrative's amount statements name their figure themselves (core_claims.figure).
HEADLINE: dict[str, set[tuple[str, str, str]]] = {
    "total_expenditure": {
        ("summary", "expenditure_total", "total"),
        ("fiscal_summary", "expenditure_total", "total"),
        ("expenditure", "total", "total"),
        ("gpb_expenditure", "total", "total"),
    },
    "total_revenue": {
        ("summary", "revenue_total", "total"),
        ("fiscal_summary", "revenue_total", "total"),
        ("income", "total", "total"),
    },
    # 收入总计 = 支出总计: a 收支总表 balances by construction
    "grand_total": {
        ("summary", "revenue_grand_total", "total"),
        ("summary", "expenditure_grand_total", "total"),
        ("fiscal_summary", "revenue_grand_total", "total"),
        ("fiscal_summary", "expenditure_grand_total", "total"),
    },
    "basic_expenditure": {
        ("expenditure", "total", "basic"),
        ("gpb_expenditure", "total", "basic"),
        ("basic_econ", "total", "total"),
    },
    "project_expenditure": {
        ("expenditure", "total", "project"),
        ("gpb_expenditure", "total", "project"),
        ("projects", "total", "total"),
    },
}
_HEADLINE_OF = {k: figure for figure, keys in HEADLINE.items() for k in keys}
# Families whose function lines (科目编码) print the same amounts: the 支出表 and the 一般公共预算支出表.
_LINE_TWINS = {"expenditure", "gpb_expenditure"}
MAX_PARTS = 12  # columns of one row tried as sums (2**12 subsets at most)


def _key(r: dict, claim: bool) -> tuple | None:
    """Which figure a row states; rows with the same key are statements of one figure."""
    if claim:
        figure = r.get("figure")
        return ("figure", figure) if r.get("claim_type") == "amount" and figure in HEADLINE else None
    fam = r.get("table_family")
    headline = _HEADLINE_OF.get((fam, r.get("item_key"), r.get("measure")))
    if headline:
        return ("figure", headline)
    if fam in _LINE_TWINS and r.get("function_code"):
        return ("line", r["function_code"], r.get("measure"))
    return None


def _tolerance(r: dict) -> Decimal:
    return half_unit(r.get("printed_unit"), r.get("printed_decimals"))


def _same(a: Decimal, b: Decimal, tol: Decimal) -> bool:
    return abs(a - b) <= tol


def _row_holds(row: list[dict], fact: dict, value: Decimal) -> bool | None:
    """Whether the row's arithmetic holds with `value` in place of `fact`'s amount: its 合计 is
    the sum of some of its other columns (all of them, 基本 + 项目, or one nested column such as
    一般公共预算 within 财政拨款). None when the row has no 合计 and two other amounts."""
    total = [r for r in row if r.get("measure") == "total"]
    parts = [(value if r is fact else r["amount_yuan"]) for r in row if r.get("measure") != "total"]
    if len(total) != 1 or not 2 <= len(parts) <= MAX_PARTS or any(v is None for v in parts):
        return None
    t = value if total[0] is fact else total[0]["amount_yuan"]
    tol = sum((_tolerance(r) for r in row), Decimal(0))
    sums = {Decimal(0)}
    for v in parts:
        sums |= {s + v for s in sums}
    return any(_same(t, s, tol) for s in sums)


def _printed(value: Decimal, r: dict) -> str:
    decimals = r.get("printed_decimals")
    shown = value / factor(r.get("printed_unit"))
    if decimals is None:
        return f"{shown.normalize():f}"
    return f"{shown.quantize(Decimal(1).scaleb(-decimals)):,.{decimals}f}"


def _winner(r: dict, others: list[dict], row: list[dict] | None) -> Decimal | None:
    """The value that wins over r's own when nothing confirms r: the one most of the other
    statements print, if two or more print it, or one does and the row's arithmetic then holds."""
    votes: dict[Decimal, int] = defaultdict(int)
    for o in others:
        votes[o["amount_yuan"]] += 1
    ranked = sorted(votes.items(), key=lambda kv: -kv[1])
    if not ranked or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    w, n = ranked[0]
    if n >= 2 or (row and _row_holds(row, r, r["amount_yuan"]) is False and _row_holds(row, r, w)):
        return w
    return None


def reconcile(rows: dict[str, list[dict]], ocr_pages: list[int]) -> None:
    """Corrects or flags the amounts read from `ocr_pages` (see the module's docstring), in place.
    Statements are compared as read; corrections are made first, flags decided after them. A
    row whose arithmetic fails is blamed on the amounts of it that other statements contradict
    when there are such, else on every amount of it that nothing confirms."""
    pages = set(ocr_pages)
    if not pages:
        return
    facts = [r for r in rows.get("core_table_facts", []) if r.get("amount_yuan") is not None]
    claims = [r for r in rows.get("core_claims", []) if r.get("amount_yuan") is not None]
    statements: dict[tuple, list[dict]] = defaultdict(list)
    for claim, group in ((False, facts), (True, claims)):
        for r in group:
            k = _key(r, claim)
            if k is not None:
                statements[k].append(r)
    row_of: dict[tuple, list[dict]] = defaultdict(list)
    for r in facts:
        row_of[(r.get("table_id"), r.get("row_index"))].append(r)
    todo = [(r, False) for r in facts if r.get("page") in pages]
    todo += [(r, True) for r in claims if r.get("page") in pages and r.get("claim_type") == "amount"]
    state: dict[int, str] = {}  # confirmed / contradicted / alone
    fixes = []
    for r, claim in todo:
        k = _key(r, claim)
        others = [o for o in statements.get(k, []) if o is not r] if k else []
        if _agrees(r, claim, statements):
            state[id(r)] = "confirmed"
            continue
        state[id(r)] = "contradicted" if others else "alone"
        row = None if claim else row_of[(r.get("table_id"), r.get("row_index"))]
        winner = None if claim else _winner(r, others, row)
        if winner is not None:
            fixes.append((r, winner))
            state[id(r)] = "confirmed"
    for r, _claim in todo:
        r["ocr_misread"], r["ocr_unconfirmed"] = None, False
    for r, winner in fixes:  # decided on the values as read, then applied
        r["ocr_misread"] = r.get("amount_printed")
        r["amount_yuan"] = winner
        r["amount_printed"] = _printed(winner, r)
    for r, claim in todo:  # after the corrections: a misread no longer contradicts its twin
        if state[id(r)] == "contradicted" and _agrees(r, claim, statements):
            state[id(r)] = "confirmed"
    _flag(todo, state, row_of)


def _flag(todo: list[tuple[dict, bool]], state: dict[int, str], row_of: dict[tuple, list[dict]]) -> None:
    for r, claim in todo:
        if state[id(r)] == "confirmed":
            continue
        if claim:
            # "国有资本经营预算支出为0万元": an empty fund in words, not a misread
            r["ocr_unconfirmed"] = r["amount_yuan"] != 0 and state[id(r)] == "contradicted"
            continue
        row = row_of[(r.get("table_id"), r.get("row_index"))]
        holds = _row_holds(row, r, r["amount_yuan"])
        if holds is not False:
            r["ocr_unconfirmed"] = holds is None and state[id(r)] == "contradicted"
            continue
        blamed = [o for o in row if state.get(id(o)) == "contradicted"]
        r["ocr_unconfirmed"] = not blamed or any(o is r for o in blamed)


def _agrees(r: dict, claim: bool, statements: dict[tuple, list[dict]]) -> bool:
    k = _key(r, claim)
    tol = _tolerance(r)
    return any(
        o is not r and _same(r["amount_yuan"], o["amount_yuan"], max(tol, _tolerance(o))) for o in statements.get(k, [])
    )
