"""Golden test over scans: each sample other than 获嘉 (whose scan tests/unit/test_readers_ocr.py
reads) printed, scanned the way county offices scan, and read back by OCR must give the figures
of the text itself: identity, table families, every table amount, projects and pension items.

| sample | from | scan |
|---|---|---|
| 井研 | its text printed by chromium on A4 landscape pages, fully ruled | 150 dpi, skewed 1°, JPEG q70, pages 2 and 5 fed a quarter turn clockwise, page 3 anticlockwise |
| 盐池 | the bundled PDF | 150 dpi, skewed 1.5° (alternate pages -0.9°), JPEG q60, page 4 upside-down |
| 孟津 | the bundled PDF | 150 dpi, skewed 2.5°/-1.5°, JPEG q60, a red seal over each page's first table |
| 香河 | the bundled PDF | 150 dpi, photographed at a slight angle on a desk, uneven light, JPEG q75 |

Scans are rendered into a session temporary folder (tests/scans.py) and each is parsed once: 75
pages of OCR, a few CPU-seconds each.
"""

from __future__ import annotations

import importlib.util
import shutil
from collections import Counter
from decimal import Decimal

import pytest

from tests.conftest import RAW, STEMS, parsed
from tests.integration.test_pdf_layouts import _core
from tests.scans import Scan, landscape_pdf, scan_pdf

pytestmark = [
    pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian chromium not installed"),
    pytest.mark.skipif(
        not any(importlib.util.find_spec(m) for m in ("rapidocr", "rapidocr_onnxruntime")),
        reason="OCR package not installed",
    ),
]

SCANS: dict[str, tuple[bool, Scan]] = {
    "jingyan": (True, Scan(dpi=150, skew=1.0, jpeg=70, turns=((2, -1), (3, 1), (5, -1)))),
    "yanchi": (False, Scan(dpi=150, skew=1.5, jpeg=60, turns=((4, 2),))),
    "mengjin": (False, Scan(dpi=150, skew=2.5, jpeg=60, stamp=tuple(range(1, 19)))),
    "xianghe": (False, Scan(dpi=150, photo=True, jpeg=75)),
}

# Scans that do not yet give the text's figures, with what differs (strict: a fix that makes one
# pass must remove it from here).
KNOWN: dict[str, str] = {}


@pytest.fixture(scope="session")
def scans(tmp_path_factory):
    """Renders and parses on first use, once per sample in the session."""
    out = tmp_path_factory.mktemp("scans")
    cache: dict[str, object] = {}

    def get(name: str):
        if name not in cache:
            from etl.pipeline import parse_file

            landscape, spec = SCANS[name]
            src = landscape_pdf(RAW / f"{STEMS[name]}.txt", out) if landscape else RAW / f"{STEMS[name]}.pdf"
            cache[name] = parse_file(scan_pdf(src, out / f"{name}.scan.pdf", spec))
        return cache[name]

    return get


CASES = [
    pytest.param(name, marks=[pytest.mark.xfail(strict=True, reason=KNOWN[name])]) if name in KNOWN else name
    for name in SCANS
]


@pytest.mark.parametrize("name", CASES)
def test_scan_gives_the_texts_figures(scans, name):
    text, scan = parsed(STEMS[name]), scans(name)
    for k in ("unit_name", "fiscal_year", "stage", "county"):
        assert scan.info[k] == text.info[k], k
    want, got = _core(text), _core(scan)
    for k in want:
        assert got[k] == want[k], (k, list((want[k] - got[k]).elements())[:3], list((got[k] - want[k]).elements())[:3])
    assert {r["extraction"] for r in scan.facts.rows["raw_cells"]} == {"ocr"}
    # every OCR amount is confirmed by another statement or its row's arithmetic, none corrected
    amounts = scan.facts.rows["core_table_facts"] + scan.facts.rows["core_claims"]
    assert not [r for r in amounts if r.get("ocr_unconfirmed") or r.get("ocr_misread")]


def _amount(p, family: str, item_key: str, measure: str = "total", code: str | None = None) -> Decimal:
    (v,) = {
        r["amount_yuan"]
        for r in p.facts.rows["core_table_facts"]
        if (r["table_family"], r["item_key"], r["measure"]) == (family, item_key, measure)
        and (code is None or code in (r["function_code"], r["econ_code"]))
    }
    return v


def test_yanchi_scan_totals_as_printed(scans):
    """盐池 决算 收支总表 line 27/57: 本年收入合计 12,984,142.90 and 本年支出合计 12,984,142.90 元 (a 150 dpi
    skewed JPEG scan once read them as 27.00 and 1,298,414.00); 支出决算表 20801 (人力资源和社会保障
    管理事务) 1,801,947.97 = 基本 1,678,227.97 + 项目 123,720.00."""
    p = scans("yanchi")
    assert _amount(p, "summary", "revenue_total") == Decimal("12984142.90")
    assert _amount(p, "summary", "expenditure_total") == Decimal("12984142.90")
    assert _amount(p, "expenditure", "function", code="20801") == Decimal("1801947.97")
    assert _amount(p, "expenditure", "function", "basic", code="20801") == Decimal("1678227.97")
    assert _amount(p, "expenditure", "function", "project", code="20801") == Decimal("123720.00")


def test_mengjin_scan_under_a_seal(scans):
    """孟津's 部门收支预算表 carries the red seal: 本年收入合计 = 本年支出合计 = 18786.35 万元, of which
    一般公共预算 18786.35; 情况说明: 基本支出 739.34 万元, 项目支出 18047.01 万元."""
    p = scans("mengjin")
    assert _amount(p, "summary", "revenue_total") == Decimal("187863500")
    assert _amount(p, "summary", "expenditure_total") == Decimal("187863500")
    claims = Counter(
        (c["figure"], c["amount_yuan"]) for c in p.facts.rows["core_claims"] if c["claim_type"] == "amount"
    )
    assert claims[("basic_expenditure", Decimal("7393400"))] >= 1
    assert claims[("project_expenditure", Decimal("180470100"))] >= 1


def test_xianghe_photo_identity_and_revenue(scans):
    """香河 photographed: 香河县社会保险事业管理所, 2023 单位预算; 预算收入 33891.90 万元."""
    p = scans("xianghe")
    assert (p.info["unit_name"], p.info["fiscal_year"]) == ("香河县社会保险事业管理所", 2023)
    revenue = {c["amount_yuan"] for c in p.facts.rows["core_claims"] if c["figure"] == "total_revenue"}
    assert Decimal("338919000") in revenue


def test_jingyan_landscape_scan_project_names_whole(scans):
    """井研's 绩效目标表 on landscape pages: the project name wrapped over a page break,
    为困难群众代缴城乡居民基本养老保险个人缴费资金（据实结算） 1,800,000.00 元, comes back whole."""
    p = scans("jingyan")
    projects = {(r["project_name"], r["amount_yuan"]) for r in p.facts.rows["core_projects"]}
    assert ("为困难群众代缴城乡居民基本养老保险个人缴费资金(据实结算)", Decimal("1800000.00")) in projects


def test_pages_fed_sideways_or_upside_down_are_turned_upright(scans):
    """井研's landscape pages 2 and 5 went through the scanner a quarter turn clockwise and page 3
    the other way, 盐池's page 4 upside-down: each is named, turned the right way (their tables
    give the text's figures above), and no upright page of the other scans is turned."""
    turned = {name: [w for w in scans(name).warnings if "turned upright" in w] for name in SCANS}
    assert turned["jingyan"] == [
        "pages 2, 5 lay a quarter turn clockwise in the scan: turned upright before OCR",
        "page 3 lay a quarter turn anticlockwise in the scan: turned upright before OCR",
    ]
    assert turned["yanchi"] == ["page 4 lay upside-down in the scan: turned upright before OCR"]
    assert turned["mengjin"] == turned["xianghe"] == []


def test_scan_of_a_print_without_rules_gives_the_texts_amounts(tmp_path):
    """获嘉's text printed with no rules at all (tests/pdf_layouts.py 'norules': columns aligned by
    whitespace, long cells wrapped in narrow columns), scanned at 150 dpi, skewed 1°, JPEG q70. No
    grid to put the text boxes in: they become characters (etl.readers.ocr_chars) for the PDF
    reader's rule-less tables. Every table amount, project and pension item of the text, e.g. the
    收支总表's 收入总计 5,854.76 万元 read from '5,854.7' wrapped over '6' in its narrow column.
    Every table family of the text is found; one 目录 line is read as an extra empty
    project_performance table (left as it is: it adds no amount)."""
    from etl.pipeline import parse_file
    from tests.pdf_layouts import render

    pdf = render(RAW / f"{STEMS['huojia']}.txt", tmp_path, "norules")
    scan = parse_file(scan_pdf(pdf, tmp_path / "huojia.norules.scan.pdf", Scan(dpi=150, skew=1.0, jpeg=70)))
    text = parsed(STEMS["huojia"])
    want, got = _core(text), _core(scan)
    for k in ("amounts", "projects", "pension"):
        assert got[k] == want[k], (k, list((want[k] - got[k]).elements())[:3], list((got[k] - want[k]).elements())[:3])
    assert not want["families"] - got["families"]
    assert _amount(scan, "summary", "revenue_grand_total") == Decimal("58547600.00")
