"""A national-scale warehouse for benchmarks and tests, written through the warehouse loader.

`python -m benchmarks.national --units 2850 --years 10 --db PATH` writes one county social-
insurance agency per real county-level division (codes and coordinates from the division list the
ETL uses), each with budget and final disclosures over the years: log-normal totals that grow
year to year, basic/project and personnel/public splits, pension subsidies by category, 三公 with
real zeros and undisclosed figures, missing years, a few documents whose parts do not add up (and
the failed check that says so), completeness items. Only the core tables the views read are
generated (no raw cells); rows go to `warehouse.build.WarehouseWriter` in batches, so memory stays
flat whatever the size. The same seed gives the same warehouse.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from etl.pipeline import NO_FIGURES  # noqa: E402
from etl.reference.tables import division_rows, reference_rows  # noqa: E402
from rules.labels import TOPIC_ZH  # noqa: E402
from warehouse.build import WarehouseWriter  # noqa: E402

LAST_YEAR = 2024
SUBSIDY = [
    ("institution_pension_subsidy", "机关事业单位养老保险基金补助", "2080507"),
    ("resident_pension_subsidy", "城乡居民养老保险补助", "2082602"),
    ("occupational_annuity", "职业年金", "2080508"),
    ("enterprise_retiree_subsidy", "企业退休人员补助", "2082601"),
    ("hardship_contribution", "代缴困难群众养老保险", None),
]
SANGONG = ["abroad", "vehicle_purchase", "vehicle_operation", "reception"]
COMPLETENESS = [
    ("summary", "部门收支总表"),
    ("expenditure", "部门支出总表"),
    ("basic_econ", "一般公共预算基本支出表"),
    ("sangong", "一般公共预算“三公”经费支出表"),
    ("projects", "项目支出表"),
    ("narrative", "情况说明"),
]


def money(x: float) -> Decimal:
    return Decimal(f"{max(x, 0.0):.2f}")


def pick_counties(n: int, seed: int) -> list[dict]:
    """n real county-level divisions spread over every province (all 2,849 of the mainland list
    when n is larger); 2,705 of them have coordinates in the list, the others are not on the map."""
    pool = [r for r in division_rows() if r["level"] == "county" and r["adcode"][:2] not in ("71", "81", "82", "99")]
    if n >= len(pool):
        return pool
    step = len(pool) / n
    return [pool[int(i * step)] for i in range(n)]


def years_of(rng: random.Random, years: int) -> list[int]:
    first = LAST_YEAR - years + 1
    start = first if rng.random() > 0.08 else rng.randint(first, LAST_YEAR)  # some start reporting late
    return list(range(start, LAST_YEAR + 1))


def _doc(unit: dict, year: int, stage: str, level: str) -> dict:
    h = hashlib.sha1(f"{unit['adcode']}{year}{stage}".encode()).hexdigest()[:6]
    return dict(
        doc_id=f"{unit['adcode']}-{year}-{stage}-{h}",
        unit_name=f"{unit['name']}社会保险事业管理中心",
        county=unit["name"] if level == "county" else None,
        prefecture=unit["prefecture"],
        province=unit["province"],
        adcode=unit["adcode"],
        fiscal_year=year,
        stage=stage,
        primary_file=f"{unit['adcode']}_{year}_{stage}.pdf",
        page_count=18,
        source_count=1,
        unit_level=level,
    )


def _fact(doc_id: str, family: str, item_key: str, measure: str, amount, row_label: str, **kw) -> dict:
    return dict(
        doc_id=doc_id,
        source_file=doc_id.split("-")[0] + ".pdf",
        page=kw.pop("page", 3),
        table_family=family,
        table_title=kw.pop("title", None),
        item_key=item_key,
        measure=measure,
        amount_yuan=amount,
        row_label=row_label,
        printed_unit="元",
        **kw,
    )


def stated_change_rows(rng: random.Random, doc: dict, total: Decimal, prior: Decimal | None) -> list[dict]:
    """The headline change the 情况说明 states against the year before ("与2023年预算相比，收支总计
    增加606.99万元，增长11.57%"), in about 60 % of the disclosures with a prior; a few state a rate
    that their own amounts do not give (a document's arithmetic error, kept as printed)."""
    if prior is None or not prior or rng.random() > 0.6:
        return []
    change = total - prior
    pct = (abs(change) / prior).quantize(Decimal("0.0001"))
    if rng.random() < 0.05:
        pct = (pct * Decimal(str(rng.uniform(0.5, 1.5)))).quantize(Decimal("0.0001"))
    word, rate_word = ("增加", "增长") if change >= 0 else ("减少", "下降")
    stage_zh = "预算" if doc["stage"] == "budget" else "决算"
    sentence = (
        f"与{doc['fiscal_year'] - 1}年{stage_zh}相比，收支总计{word}{abs(change) / 10000:,.2f}万元，"
        f"{rate_word}{pct * 100:.2f}%。"
    )
    return [
        dict(
            doc_id=doc["doc_id"],
            source_file=doc["primary_file"],
            page=2,
            line=None,
            claim_type="change",
            topic="total_grand",
            figure="grand_total",
            subject="收支总计",
            amount_yuan=abs(change),
            amount_printed=f"{abs(change) / 10000:.2f}",
            printed_unit="万元",
            pct_printed=pct,
            direction=word,
            compare_year=doc["fiscal_year"] - 1,
            compare_stage=doc["stage"],
            current_amount_yuan=total,
            sentence=sentence,
            seq=1,
        )
    ]


def document_rows(
    rng: random.Random, doc: dict, total: float, fail: bool, unit: dict, prior: Decimal | None = None
) -> dict[str, list[dict]]:
    """The core rows of one disclosure with total expenditure `total` (元); `unit` holds the
    agency's own tendencies (shares, 三公 habits), so its years form a plausible trend; `prior` is
    the same stage's total of the year before, when published (the stated change is against it)."""
    d = doc["doc_id"]
    basic = total * min(max(unit["basic"] + rng.gauss(0, 0.02), 0.02), 0.6)
    project = total - basic
    if fail:
        project *= rng.uniform(1.01, 1.08)  # printed parts that do not add up to the printed total
    personnel = basic * min(max(unit["personnel"] + rng.gauss(0, 0.03), 0.3), 0.98)
    tt, tb, te = money(total), money(basic), money(project)
    facts = [
        _fact(d, "summary", "revenue_total", "total", tt, "本年收入合计", section="revenue", title="部门收支总表"),
        _fact(
            d, "summary", "expenditure_total", "total", tt, "本年支出合计", section="expenditure", title="部门收支总表"
        ),
        _fact(d, "expenditure", "total", "basic", tb, "合计", title="部门支出总表", page=4),
        _fact(d, "expenditure", "total", "project", te, "合计", title="部门支出总表", page=4),
        _fact(d, "basic_econ", "total", "personnel", money(personnel), "人员经费", title="基本支出表", page=5),
        _fact(d, "basic_econ", "total", "public", money(basic - personnel), "公用经费", title="基本支出表", page=5),
    ]
    facts += sangong_rows(rng, d, doc["stage"], unit)
    pension = pension_rows(rng, d, total, unit)
    checks = [
        dict(
            doc_id=d,
            source_file=doc["primary_file"],
            page=4,
            check_name="total_is_basic_plus_project",
            check_group="table_sum",
            severity="high",
            status="fail" if fail else "pass",
            item="本年支出合计 = 基本支出 + 项目支出",
            printed_value=tt,
            implied_value=tb + te,
            difference=tt - (tb + te),
            tolerance=Decimal("0.00"),
            value_unit="元",
            figure="total_expenditure",
            message=f"本年支出合计 {tt:,} 元，基本支出与项目支出之和 {tb + te:,} 元" if fail else "通过",
        )
    ]
    completeness = [
        dict(
            doc_id=d,
            item=k,
            item_zh=zh,
            status="missing" if rng.random() < 0.06 else "present",
            evidence=zh,
        )
        for k, zh in COMPLETENESS
    ]
    source = dict(
        file_name=doc["primary_file"],
        file_path=f"national/{doc['primary_file']}",
        format="pdf",
        page_count=18,
        doc_id=d,
        status="ok",
        is_primary=True,
    )
    return {
        "core_documents": [doc],
        "core_source_files": [source],
        "core_table_facts": facts,
        "core_pension_items": pension,
        "check_results": checks,
        "core_completeness": completeness,
        "core_claims": stated_change_rows(rng, doc, tt, prior),
    }


def sangong_rows(rng: random.Random, d: str, stage: str, unit: dict) -> list[dict]:
    """三公 by component: about 35% of documents print all zeros, 8% disclose nothing (no rows)."""
    r = rng.random()
    if r < unit["sangong_hidden"]:
        return []
    zero = r < unit["sangong_hidden"] + unit["sangong_zero"]
    parts = {
        "abroad": 0.0,
        "vehicle_purchase": 0.0 if zero or rng.random() < 0.9 else rng.lognormvariate(11.5, 0.4),
        "vehicle_operation": 0.0 if zero else rng.lognormvariate(10.0, 0.7),
        "reception": 0.0 if zero or rng.random() < 0.3 else rng.lognormvariate(8.5, 0.8),
    }
    rows = []
    kinds = [("budget", 1.0)] + ([("actual", rng.uniform(0.3, 1.0))] if stage == "final" else [])
    for kind, factor in kinds:
        amounts = {k: money(v * factor) for k, v in parts.items()}
        for comp in ["total", *SANGONG]:
            amount = sum(amounts.values()) if comp == "total" else amounts[comp]
            label = "合计" if comp == "total" else TOPIC_ZH[f"sangong_{comp}"]  # the row as printed
            rows.append(_fact(d, "sangong", f"sangong_{comp}", kind, amount, label, title="“三公”经费支出表", page=7))
    return rows


def pension_rows(rng: random.Random, d: str, total: float, unit: dict) -> list[dict]:
    """Two to four subsidy categories as projects, and the agency's own contribution line."""
    share = min(max(unit["pension"] + rng.gauss(0, 0.03), 0.2), 0.99)
    cats = unit["categories"]
    weights = [w * rng.uniform(0.85, 1.15) for w in unit["weights"]]
    undisclosed = rng.random() < 0.05  # projects listed in 绩效目标表 only, without amounts
    rows = []
    for (cat, zh, code), w in zip(cats, weights):
        amount = None if undisclosed else money(total * share * w / sum(weights))
        rows.append(
            dict(
                doc_id=d,
                page=6,
                item_kind="project",
                item_name=zh,
                function_code=code,
                measure="project",
                amount_yuan=amount,
                category=cat,
                category_zh=zh,
                rule="name",
                table_title="项目支出表",
            )
        )
    rows.append(
        dict(
            doc_id=d,
            page=4,
            item_kind="function_line",
            item_name="机关事业单位基本养老保险缴费支出",
            function_code="2080505",
            measure="basic",
            amount_yuan=money(total * 0.01),
            category="own_contribution",
            category_zh="单位自身养老缴费",
            rule="function_code",
            table_title="部门支出总表",
        )
    )
    return rows


def refused_page(unit: dict, year: int, stage: str, level: str) -> dict:
    """The file record of a portal page refused for stating no figures, with what it says of itself."""
    doc = _doc(unit, year, stage, level)
    return dict(
        file_name=f"{unit['adcode']}_{year}_{stage}.html",
        file_path=f"national/{unit['adcode']}_{year}_{stage}.html",
        format="html",
        page_count=1,
        status="failed",
        message=f"failed: {NO_FIGURES} ({doc['unit_name']} {year} {stage}; attachments: the page names no attachment link)",
        is_primary=False,
        **{k: doc[k] for k in ("unit_name", "fiscal_year", "stage", "adcode", "county")},
    )


def unit_rows(rng: random.Random, unit: dict, years: int, level: str = "county"):
    """Every disclosure of one unit: budget and final per year, some years missing."""
    size = rng.lognormvariate(17.2, 0.8)  # median about 3,000 万元
    cats = rng.sample(SUBSIDY, rng.randint(2, 4))
    habits = dict(
        basic=rng.uniform(0.05, 0.35),
        personnel=rng.uniform(0.6, 0.92),
        pension=rng.uniform(0.45, 0.95),
        categories=cats,
        weights=[rng.random() + 0.1 for _ in cats],
        sangong_hidden=rng.choice([0.0, 0.0, 0.05, 0.3]),
        sangong_zero=rng.choice([0.05, 0.2, 0.4, 0.6]),
    )
    prior: dict[str, Decimal] = {}
    for year in years_of(rng, years):
        size *= 1 + rng.gauss(0.05, 0.08)
        for stage in ("budget", "final"):
            if rng.random() < 0.04:
                prior.pop(stage, None)
                if rng.random() < 0.25:  # a portal page naming the disclosure, its tables in an attachment
                    yield {"core_source_files": [refused_page(unit, year, stage, level)]}
                continue
            total = size if stage == "budget" else size * rng.gauss(0.97, 0.05)
            doc = _doc(unit, year, stage, level)
            yield document_rows(rng, doc, total, rng.random() < 0.03, habits, prior.get(stage))
            prior[stage] = money(total)


def generate(db: Path, units: int, years: int, seed: int = 8, prefecture_units: int = 0) -> dict[str, int]:
    """Write the warehouse; return rows written per table."""
    rng = random.Random(seed)
    counties = pick_counties(units, seed)
    prefectures = [r for r in division_rows() if r["level"] == "prefecture" and r["lat"] is not None]
    with WarehouseWriter(db) as w:
        w.append_all(reference_rows())
        for unit, level in [(u, "county") for u in counties] + [
            (p, "prefecture") for p in prefectures[:prefecture_units]
        ]:
            for rows in unit_rows(rng, unit, years, level):
                w.append_all(rows)
        failed = [
            dict(file_name=f"broken_{i}.pdf", format="pdf", status="failed", message="PDF 页面树损坏，无法读取")
            for i in range(3)
        ]
        w.append("core_source_files", failed)
        written = w
    return dict(written.rows_written)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.national", description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=2850)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--prefecture-units", type=int, default=0, help="also add N prefecture-level agencies")
    args = ap.parse_args(argv)
    t = time.perf_counter()
    rows = generate(args.db, args.units, args.years, args.seed, args.prefecture_units)
    import duckdb

    with duckdb.connect(str(args.db), read_only=True) as con:
        n = con.execute("SELECT count(*) FROM county_year_summary").fetchall()[0][0]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"wrote {args.db}: {n:,} rows in county_year_summary; {rows.get('core_table_facts', 0):,} table facts")
    print(f"time {time.perf_counter() - t:.1f} s, peak RSS {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
