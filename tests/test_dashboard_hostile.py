"""Document text that attacks the app (#11), built into a warehouse through the loader: unit,
county, project, reason and check texts holding <iframe srcdoc=…>, <meta refresh>, <style>, a
markdown link and image, and spreadsheet formulas. Every page shows them as plain text (no HTML,
no active markdown, no raw HTML in chart JSON) and every CSV/XLSX/report neutralises them."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal as D

import duckdb
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from pages._registry import by_name, names
from tests.conftest import ROOT, scaled, serve_warehouse

IFRAME = '<iframe srcdoc="<script>parent.alert(1)</script>"></iframe>'
META = '<meta http-equiv=refresh content="0;url=http://evil.example/go">'
STYLE = "<style>img,svg{display:none}</style>"
LINK = "[点我](http://evil.example/a) ![x](http://evil.example/i.png)"
FORMULA = '=HYPERLINK("http://x","y")'
PAGES = names()  # every page that shows the warehouse (pages/_registry.py)
MARKERS = ("<iframe", "<meta", "<style>img", "<script")


def hostile_tables() -> dict[str, list[dict]]:
    from etl.reference.tables import reference_rows

    tables = reference_rows()
    docs, facts, claims, projects, pension, checks, files = [], [], [], [], [], [], []
    for year, total in ((2023, D("1000000.00")), (2024, D("1200000.00"))):
        d = f"410724-{year}-budget-evil"
        docs.append(dict(doc_id=d, unit_name=f"{LINK}{STYLE}", county="获嘉县", prefecture="新乡市", province="河南省",
                         adcode="410724", fiscal_year=year, stage="budget", primary_file=f"{FORMULA}{year}.txt",
                         page_count=1, source_count=1, unit_level="county"))
        files.append(dict(file_name=f"{FORMULA}{year}.txt", doc_id=d, status="ok", format="text", is_primary=True))
        for family, key, measure, amount in (("summary", "expenditure_total", "total", total),
                                             ("expenditure", "total", "basic", total / 4),
                                             ("expenditure", "total", "project", total * 3 / 4)):
            facts.append(dict(doc_id=d, source_file=f"{FORMULA}.txt", page=1, line=3, table_family=family,
                              table_title=f"部门收支总表{IFRAME}", item_key=key, measure=measure, amount_yuan=amount,
                              row_label=f"{FORMULA}", section="expenditure" if family == "summary" else None))
        claims.append(dict(doc_id=d, source_file="x.txt", page=1, line=9, claim_type="change", topic="expenditure",
                           subject=FORMULA, amount_yuan=D("200000.00"), direction="增加", compare_year=year - 1,
                           current_amount_yuan=total, pct_printed=D("0.2"), reason=f"{IFRAME}{META}{LINK}",
                           sentence=f"{IFRAME}", seq=1))
        projects.append(dict(doc_id=d, source_file="x.txt", page=1, line=12, project_name=f"=1+1{STYLE}",
                             amount_yuan=D("50000.00"), source_family="projects", table_title=LINK))
        pension.append(dict(doc_id=d, page=1, line=12, item_kind="project", item_name="@SUM(A1)", measure="project",
                            amount_yuan=total / 2, category="resident_pension_subsidy", category_zh="城乡居民养老保险补助",
                            rule="name", table_title=STYLE))
        checks.append(dict(doc_id=d, source_file="x.txt", page=1, line=3, check_name="total_is_basic_plus_project",
                           check_group="table_sum", severity="high", status="fail", item=IFRAME,
                           message=f"-2+3+cmd|' /C calc'!A0 {LINK}{IFRAME}", figure="total_expenditure"))
    tables.update(core_documents=docs, core_source_files=files, core_table_facts=facts, core_claims=claims,
                  core_projects=projects, core_pension_items=pension, check_results=checks)
    return tables


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    from warehouse.build import write_warehouse

    return write_warehouse(hostile_tables(), tmp_path_factory.mktemp("hostile") / "warehouse-evil.duckdb")


@pytest.fixture
def app_dir(monkeypatch, hostile, tmp_path):
    return serve_warehouse(monkeypatch, hostile, tmp_path)


def texts(at) -> list[tuple[str, str, bool]]:
    """(kind, text, renders HTML) of every element that renders markdown."""
    out = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "title", "header", "subheader"):
        for el in at.get(kind):
            out.append((kind, el.value, bool(getattr(el.proto, "allow_html", False))))
    for el in at.get("metric"):
        out.append(("metric", el.label, False))
    return out


@pytest.mark.parametrize("page", PAGES)
def test_document_text_is_plain_on_every_page(app_dir, page):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=scaled(90))
    at.query_params["county"] = ["获嘉县"]
    at.run()
    if not by_name(page).default:
        at.switch_page(by_name(page).file).run()
    assert not at.exception, [e.value for e in at.exception]
    for kind, text, html in texts(at):
        if html:  # only our own markup may render as HTML
            assert not any(m in text for m in MARKERS), (page, kind, text[:120])
        assert "](http" not in text, (page, kind, text[:120])  # no active markdown link or image
        if not html:  # markdown: every document "<" escaped
            assert not re.search(r"(?<!\\)<(iframe|meta|style|script)", text), (page, kind, text[:120])
    for chart in at.get("plotly_chart"):
        spec = chart.proto.spec
        assert not any(m in spec for m in MARKERS), (page, spec[:200])
    from exports.tables import csv_bytes

    for df in at.dataframe:
        csv = csv_bytes(pl.from_pandas(df.value)).decode("utf-8-sig")
        for cell in (c for line in csv.splitlines()[1:] for c in line.split(",")):
            cell = cell.strip('"')
            if cell[:1] in ("=", "@", "+", "-", "\t"):  # only a plain number may start so
                assert re.fullmatch(r"[+-]?[\d,]+(\.\d+)?%?", cell), (page, cell)


def test_escaped_text_is_still_there(app_dir):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=scaled(90))
    at.query_params["county"] = ["获嘉县"]
    at.run().switch_page(by_name("meeting").file).run()
    reasons = [t for k, t, _ in texts(at) if t.startswith("原因：")]
    assert reasons and "\\<iframe srcdoc" in reasons[0] and "\\[点我\\]\\(http" in reasons[0]


def test_csv_and_xlsx_neutralise_formulas_keep_numbers():
    from exports.bundle import xlsx_with_sources
    from exports.tables import csv_bytes, xlsx_bytes

    df = pl.DataFrame({"名称": [FORMULA, "=1+1", "@SUM(A1)", "-2+3+cmd|' /C calc'!A0", "\tx", "-1,234.50", "普通"],
                       "金额": [-2.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    rows = pl.read_csv(csv_bytes(df)).rows()
    assert [r[0] for r in rows] == ["'" + FORMULA, "'=1+1", "'@SUM(A1)", "'-2+3+cmd|' /C calc'!A0", "'\tx",
                                    "-1,234.50", "普通"]
    assert rows[0][1] == -2.5  # a negative number stays a number
    for data in (xlsx_bytes(df), xlsx_with_sources(df, [FORMULA], "t", "=cmd|x")):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
            strings = z.read("xl/sharedStrings.xml").decode()
        assert not any("<f>" in s for s in sheets)  # no cell is a formula
        assert "&apos;=HYPERLINK" in strings or "'=HYPERLINK" in strings
        assert any("<v>-2.5</v>" in s for s in sheets)


def test_report_escapes_document_text(hostile):
    from exports.content import county_brief
    from exports.report import render_html

    with duckdb.connect(str(hostile), read_only=True) as con:
        html = render_html(county_brief(con.cursor(), "410724", 2024))
    assert "<iframe" not in html and "<meta http-equiv" not in html and "&lt;iframe" in html
