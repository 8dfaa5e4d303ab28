"""Links that hold (#19 item 2): every export carries the full link of the view (query string
included) and names its documents and the warehouse's build date."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pdfplumber
import plotly.graph_objects as go
import polars as pl

from exports.bundle import make_bundle
from exports.tables import ABOUT_SHEET, xlsx_bytes

LINK = "http://127.0.0.1:8501/sangong?county=%E8%8E%B7%E5%98%89%E5%8E%BF&year=2024&stage=%E9%A2%84%E7%AE%97"


def test_table_xlsx_has_a_sources_sheet_with_the_link():
    df = pl.DataFrame({"县（区）": ["获嘉县"], "本年支出合计（万元）": [5854.76]})
    about = [("链接", LINK), ("数据仓库构建", "2026-12-04"), ("来源", "=HYPERLINK(\"x\")")]
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(df, about=about)))
    assert book.sheetnames == ["数据", ABOUT_SHEET]
    rows = {r[0]: r[1] for r in book[ABOUT_SHEET].iter_rows(values_only=True)}
    assert rows["链接"] == LINK and rows["数据仓库构建"] == "2026-12-04"
    assert rows["来源"].startswith("'=")  # never a formula
    assert openpyxl.load_workbook(io.BytesIO(xlsx_bytes(df))).sheetnames == ["数据"]  # plain when not asked


def test_bundle_citation_and_sheet_carry_link_documents_and_build_date():
    fig = go.Figure(go.Bar(x=["a"], y=[1]))
    fig.update_layout(title_text="三公经费")
    df = pl.DataFrame({"县（区）": ["获嘉县"], "金额": [3.0]})
    sources = ["获嘉县 2024年预算：000_f365d46e117a03b8.txt 第3页"]
    data = make_bundle(fig, df, "三公经费", sources=sources, permalink=LINK, built="2026-12-04")
    with zipfile.ZipFile(io.BytesIO(data), metadata_encoding="gbk") as z:
        files = {i.filename.split("/")[-1]: z.read(i) for i in z.infolist()}
    cite = files["引用说明.txt"].decode("utf-8-sig")
    assert f"查看与复核：{LINK}" in cite and "数据仓库 2026-12-04 构建" in cite
    assert "获嘉县 2024年预算：000_f365d46e117a03b8.txt 第3页" in cite
    rows = {r[0]: r[1] for r in openpyxl.load_workbook(io.BytesIO(files["三公经费_数据.xlsx"]))["来源与口径"].iter_rows(values_only=True)}
    assert rows["链接"] == LINK and rows["数据仓库构建"] == "2026-12-04"


def test_source_lines_name_unit_year_and_stage():
    from pages._shared import doc_line

    assert doc_line("获嘉县", 2024, "budget", "000.txt") == "获嘉县 2024年预算：000.txt"
    assert doc_line("盐池县", 2024, "final") == "盐池县 2024年决算"
    assert doc_line(None, 2023, "预算") == "未识别单位 2023年预算"


def test_report_pdf_prints_the_view_link(warehouse, tmp_path, con):
    from exports.report import build_report

    cur = con.cursor()
    out = build_report(cur, "获嘉县", 2024, tmp_path / "r.pdf", warehouse=warehouse.name, link=LINK)
    with pdfplumber.open(out) as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages)
        uris = [a.get("uri") for p in pdf.pages for a in (p.annots or [])]
    assert "查看与复核" in text
    assert LINK in uris  # the link is clickable and whole
    assert LINK in text.replace("\n", "").replace(" ", "")  # and printed whole (wrapped lines joined)
