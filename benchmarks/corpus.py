"""Synthetic text disclosures made from the bundled samples, for benchmarks and tests.

Each synthetic file is one sample's text moved to another real county (division names from the
national list), another fiscal year, and amounts multiplied by a whole number (so every sum the
document prints still adds up). Nothing here knows a sample by name: each sample's own county,
prefecture, province and year are read back by the ETL's identification.

Usage: .venv/bin/python -m benchmarks.corpus --n 2000 --out /tmp/corpus
"""

from __future__ import annotations

import argparse
import random
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
_AMOUNT = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)\.(\d{1,2})(?![\d%％])")
_YEAR = re.compile(r"(?<![\d.,])(20\d\d)(?![\d.,])")


@dataclass(frozen=True)
class Template:
    text: str
    year: int
    names: tuple[tuple[str, str], ...]  # (role, printed name): county, prefecture, province


def _short(name: str) -> str:
    return re.sub(r"(自治县|自治旗|县|区|市|旗)$", "", name)


def load_templates(raw: Path = RAW) -> list[Template]:
    from etl.pipeline import parse_file

    out = []
    for p in sorted(raw.glob("*.txt")):
        info = parse_file(p).info
        if not info.get("county") or not info.get("fiscal_year"):
            continue
        names = tuple((k, info[k]) for k in ("county", "prefecture", "province") if info.get(k))
        out.append(Template(p.read_text(encoding="utf-8"), info["fiscal_year"], names))
    return out


def counties() -> list:
    from etl.reference import divisions

    divs = divisions()
    out = []
    for d in divs.values():
        pref = divs.get(d.adcode[:4] + "00")
        prov = divs.get(d.adcode[:2] + "0000")
        if d.level == "county" and prov and len(_short(d.name)) >= 2 and not d.name.endswith("市辖区"):
            out.append((d, pref or prov, prov))
    return sorted(out, key=lambda t: t[0].adcode)


def _scale(text: str, k: int) -> str:
    def sub(m: re.Match) -> str:
        whole, frac = m.group(1), m.group(2)
        v = Decimal(whole.replace(",", "") + "." + frac) * k
        s = f"{v:,.{len(frac)}f}" if "," in whole else f"{v:.{len(frac)}f}"
        return s

    return _AMOUNT.sub(sub, text)


def render(t: Template, county, prefecture, province, year: int, k: int) -> str:
    text = t.text
    new = {"county": county.name, "prefecture": prefecture.name, "province": province.name}
    for role, old in t.names:
        text = text.replace(old, new[role])
    for role, old in t.names:
        if role == "county" and len(_short(old)) >= 2:
            text = text.replace(_short(old), _short(county.name))
    delta = year - t.year
    text = _YEAR.sub(lambda m: str(int(m.group(1)) + delta) if abs(int(m.group(1)) - t.year) <= 2 else m.group(1), text)
    return _scale(text, k)


def generate(n: int, out: Path, seed: int = 7, years: range = range(2015, 2025)) -> list[Path]:
    """n files, each a distinct (county, year, template) triple; deterministic for a seed."""
    rng = random.Random(seed)
    templates = load_templates()
    places = counties()
    out.mkdir(parents=True, exist_ok=True)
    paths, seen = [], set()
    while len(paths) < n:
        ti = rng.randrange(len(templates))
        county, pref, prov = places[rng.randrange(len(places))]
        year = rng.choice(list(years))
        if (ti, county.adcode, year) in seen:
            continue
        seen.add((ti, county.adcode, year))
        text = render(templates[ti], county, pref, prov, year, rng.randint(1, 3))
        p = out / f"{county.adcode}_{year}_{ti}.txt"
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    print(f"{len(generate(a.n, a.out, a.seed))} files -> {a.out}")


if __name__ == "__main__":
    main()
