"""Helpers shared by recognisers: table family and template columns (rules.templates applied to
normalised match keys), header/data split, row labels with codes, column alignment."""

from __future__ import annotations

import re
from decimal import Decimal

from etl.model import Row
from etl.normalize import ParsedNumber, compact, key, parse_number
from rules import templates

_CODE = re.compile(r"^\d{2,7}$")
_NUMBERING = re.compile(r"^(\(?[一二三四五六七八九十百]+[)、.．]|[(（][一二三四五六七八九十百]+[)）]|\d+[.、．])\s*")
_ORG = re.compile(r"(中心|所|局|部门|单位|院|站|处|办公室|委员会|政府|服务中心)$")


def family_of(title: str | None, header_text: str) -> str | None:
    """The template family of a table from its printed title, else its header words."""
    return templates.family_of(key(title or ""), key(header_text))


def match_measures(header_cells: list[str], template: list[tuple[str, tuple[str, ...], str | None]]) -> list[str]:
    """The template measures whose aliases occur in the printed header cells, as leaf columns."""
    return templates.match_measures([key(c) for c in header_cells], template)


def is_code(cell: str) -> bool:
    return bool(_CODE.match(compact(cell).replace(" ", "")))


def strip_numbering(label: str) -> str:
    return _NUMBERING.sub("", compact(label)).strip()


def looks_like_org(name: str) -> bool:
    return bool(_ORG.search(compact(name)))


def is_amount(cell: str) -> bool:
    """A number printed as an amount (decimal point or separators), not a code or 栏次 index."""
    p = parse_number(cell)
    if p is None or p.blank:
        return False
    s = compact(cell)
    return "." in s or "," in s or s in ("0",)


def split_header(rows: list[Row], max_header: int = 6) -> tuple[list[Row], list[Row]]:
    """Leading header rows vs data rows. Data starts at the first row printing an amount or a
    合计/总计 label; rows of column numbers (栏次) stay in the header."""
    for i, r in enumerate(rows[: max_header + 1]):
        texts = [compact(c) for c in r.cells]
        if any(t == "栏次" or t.startswith("栏次") for t in texts):
            continue
        if any(is_amount(c) for c in r.cells):
            return rows[:i], rows[i:]
        labels = {t for t in texts if t and parse_number(t) is None}
        if labels and labels <= {"合计", "总计"}:  # an empty table's 合计 row
            return rows[:i], rows[i:]
    return rows[: min(len(rows), max_header)], rows[min(len(rows), max_header) :]


def header_cells(rows: list[Row]) -> list[str]:
    return [c for r in rows for c in r.cells if compact(c)]


def parse_label(cells: list[str]) -> tuple[str | None, str | None, int | None]:
    """(printed code, name, index of the name cell) from the left of a classification row.

    Codes may span several cells (`208 | 01 | 09`) or one (`2080109`); the name is the first cell
    that is neither blank, a code nor a number.
    """
    code_parts: list[str] = []
    for i, c in enumerate(cells):
        t = compact(c)
        if not t:
            continue
        if is_code(t):
            code_parts.append(t.replace(" ", ""))
            continue
        if parse_number(t) is not None and not parse_number(t).blank:
            return ("".join(code_parts) or None), None, None
        return ("".join(code_parts) or None), t, i
    return ("".join(code_parts) or None), None, None


def value_cells(cells: list[str], start: int, n: int) -> list[str]:
    """The n value cells after the label; extra blanks at either end are trimmed first."""
    return [cells[i] if i is not None else "" for i in value_columns(cells, start, n)]


def value_columns(cells: list[str], start: int, n: int) -> list[int | None]:
    """Where `value_cells` takes its n cells from (cell indices; None for padding)."""
    lo, hi = start, len(cells)
    while hi - lo > n and compact(cells[hi - 1]) == "":
        hi -= 1
    while hi - lo > n and compact(cells[lo]) == "":
        lo += 1  # indices, not list.pop(0): linear in the row width
    cols: list[int | None] = list(range(lo, min(hi, lo + n)))
    return cols + [None] * (n - len(cols))


def _val(p: ParsedNumber | None) -> Decimal:
    return p.value if p is not None and p.value is not None else Decimal(0)


def identity_score(rows: list[dict[str, ParsedNumber | None]], identities: list[tuple[str, tuple[str, ...]]]) -> int:
    score = 0
    for r in rows:
        for total, parts in identities:
            present = [p for p in parts if p in r]
            if total not in r or len(present) < 2:
                continue
            if r[total] is None or r[total].value is None:
                continue
            if abs(_val(r[total]) - sum(_val(r[p]) for p in present)) <= Decimal("0.011"):
                score += 1
    return score


def fit_columns(
    value_rows: list[list[str]], measures: list[str], identities: list[tuple[str, tuple[str, ...]]]
) -> tuple[list[int | None], str]:
    """Choose how value cells map to measures: as printed, or with one column missing from the
    data rows (every row shifted left from some column on). The mapping that satisfies the most
    template identities over the whole table wins; ties keep the printed order."""
    n = len(measures)
    candidates: list[tuple[list[int | None], str]] = [(list(range(n)), "as printed")]
    for k in range(n):
        mapping: list[int | None] = [i if i < k else (i - 1 if i > k else None) for i in range(n)]
        candidates.append((mapping, f"column '{measures[k]}' missing from data rows"))
    scored = []
    for n_cand, (mapping, why) in enumerate(candidates):
        parsed = [
            {
                m: (parse_number(vals[idx]) if idx is not None and idx < len(vals) else None)
                for m, idx in zip(measures, mapping)
            }
            for vals in value_rows
        ]
        # Rank: most identities satisfied, then the printed order, then the latest gap (which
        # reads the fewest columns differently from print).
        scored.append((identity_score(parsed, identities), n_cand == 0, n_cand, (mapping, why)))
    return max(scored, key=lambda s: s[:3])[3]
