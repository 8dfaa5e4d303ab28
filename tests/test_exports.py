"""Exports opened and checked: PNG/SVG/PDF charts (Chinese text, source line, unit), eight
concurrent exports each showing its own chart, the ZIP bundle, and the county report PDF."""

from __future__ import annotations

import hashlib
import io
import re
import struct
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal as D

import pdfplumber
import plotly.graph_objects as go
import polars as pl
import pytest

from etl.normalize import clean_text
from exports.bundle import make_bundle, unicode_names
from exports.figures import style
from exports.render import to_image
from pages._registry import by_name
from tests.conftest import ROOT, scaled


def chart(title: str = "获嘉县 本年支出合计", value: float = 5854.76) -> go.Figure:
    fig = go.Figure(go.Bar(x=["获嘉县", "盐池县"], y=[value, 1298.41]))
    return style(fig, title=title, unit="万元", source="获嘉县 2024年部门收支总体情况表（000_f365d46e117a03b8.txt）")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_png_is_twice_the_layout_size():
    data = to_image(chart(), "png")
    assert png_size(data) == (2400, 840) and len(data) > 20_000


def test_svg_keeps_chinese_text_source_and_unit():
    svg = to_image(chart(), "svg").decode("utf-8")
    assert "获嘉县 本年支出合计" in svg and "来源：获嘉县 2024年部门收支总体情况表" in svg
    assert "金额（万元）" in svg and "Noto Sans CJK SC" in svg


def test_pdf_chart_has_a_text_layer():
    with pdfplumber.open(io.BytesIO(to_image(chart(), "pdf"))) as pdf:
        text = clean_text(pdf.pages[0].extract_text())  # chromium's PDFs use radical code points
    assert "获嘉县 本年支出合计" in text and "来源:获嘉县 2024年部门收支总体情况表" in text
    assert "元万" in text or "万元" in text  # the y-axis title is rotated: its characters come out reversed


def test_eight_concurrent_exports_each_show_their_own_chart():
    titles = [f"并发导出 第{i}号 图" for i in range(8)]
    figs = [chart(t, 1000 + 500 * i) for i, t in enumerate(titles)]
    with ThreadPoolExecutor(8) as pool:
        svgs = list(pool.map(lambda f: to_image(f, "svg").decode("utf-8"), figs))
        pngs = list(pool.map(lambda f: to_image(f, "png"), figs))
    for i, svg in enumerate(svgs):
        assert titles[i] in svg and all(t not in svg for j, t in enumerate(titles) if j != i)
    sequential = [to_image(f, "png") for f in figs]
    assert [hashlib.sha256(p).hexdigest() for p in pngs] == [hashlib.sha256(p).hexdigest() for p in sequential]
    assert len({hashlib.sha256(p).hexdigest() for p in pngs}) == 8


def test_bundle_contents_and_windows_names():
    df = pl.DataFrame({"县（区）": ["获嘉县"], "本年支出合计（万元）": [5854.76]})
    data = make_bundle(
        chart(),
        df,
        "本年支出合计_万元",
        sources=["获嘉县 2024 部门预算 000_f365d46e117a03b8.txt"],
        permalink="http://127.0.0.1:8501/?county=获嘉县",
    )
    names = unicode_names(data)
    assert names == [
        "本年支出合计_万元/本年支出合计_万元.png",
        "本年支出合计_万元/本年支出合计_万元.svg",
        "本年支出合计_万元/本年支出合计_万元_数据.csv",
        "本年支出合计_万元/本年支出合计_万元_数据.xlsx",
        "本年支出合计_万元/引用说明.txt",
    ]
    with zipfile.ZipFile(io.BytesIO(data), metadata_encoding="gbk") as z:
        infos = z.infolist()
        assert all(not i.flag_bits & 0x800 for i in infos)  # stored in GBK, read natively on Chinese Windows
        files = {i.filename.split("/")[-1]: z.read(i) for i in infos}
    assert files["本年支出合计_万元_数据.csv"].startswith(b"\xef\xbb\xbf")
    cite = files["引用说明.txt"].decode("utf-8-sig")
    assert "http://127.0.0.1:8501/?county=获嘉县" in cite and "000_f365d46e117a03b8.txt" in cite
    with zipfile.ZipFile(io.BytesIO(files["本年支出合计_万元_数据.xlsx"])) as x:
        workbook = x.read("xl/workbook.xml").decode("utf-8")
        strings = x.read("xl/sharedStrings.xml").decode("utf-8")
    assert "数据" in workbook and "来源与口径" in workbook and "同比" in strings
    assert png_size(files["本年支出合计_万元.png"])[0] == 2400


def test_report_command(warehouse, tmp_path):
    out = tmp_path / "获嘉县_2024.pdf"
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "exports",
            "report",
            "--county",
            "获嘉县",
            "--year",
            "2024",
            "-o",
            str(out),
            "--db",
            str(warehouse),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert res.returncode == 0, res.stderr
    with pdfplumber.open(out) as pdf:
        pages = [clean_text(p.extract_text()) for p in pdf.pages]
        width, height = pdf.pages[0].width, pdf.pages[0].height
    text = "\n".join(pages)
    assert (round(width), round(height)) == (595, 842)  # A4
    assert "获嘉县 2024年社保经费简报" in text and "5,854.76" in text and "+606.99" in text
    # 5,247.77 is last year's 收支总计 (stated change), not last year's 本年支出合计: not its prior year.
    assert "5,247.77" not in text
    assert re.search(r"第 1 页 / 共 \d 页", pages[0]) and "数据仓库版本 w.duckdb" in text
    assert "注释:数据来源" in text and "2024年部门收支总体情况表" in text and "金额单位:万元" in text
    assert "标题或目录写作 2022 年" in text  # the failed check is in the report
    chart_words = pdfplumber.open(out).pages[0].extract_words()
    assert any(clean_text(w["text"]).startswith("本年支出合计") for w in chart_words)  # the inline SVG chart


def test_report_for_unknown_county_fails_cleanly(warehouse, tmp_path):
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "exports",
            "report",
            "--county",
            "火星县",
            "--year",
            "2024",
            "-o",
            str(tmp_path / "x.pdf"),
            "--db",
            str(warehouse),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 1 and "no disclosure for 火星县 2024" in res.stderr


def test_brief_figures(con):
    from exports.content import county_brief

    b = county_brief(con.cursor(), "盐池县", 2024)
    rows = {r["key"]: r for r in b.rows}
    assert rows["total_expenditure"]["this"] == D("12984142.90")
    # 11,405,473.82 is last year's 一般公共预算财政拨款支出 (a change stated for that figure), not the prior
    # year of 本年支出合计: the brief shows no prior year rather than another figure's.
    assert rows["total_expenditure"]["prior"] is None and rows["total_expenditure"]["pct"] is None
    assert b.primary_stage == "final" and len(b.failed_checks) == 5
    assert {p["item_name"] for p in b.pension} == {"2024年企业退休人员民族团结奖", "企业退休人员取暖费"}
    assert b.changes[0]["change"] == D("1578669.08") and b.changes[0]["reason"].startswith("2024年企业退休人员")


@pytest.mark.parametrize("county", ["获嘉县", "盐池县"])
def test_meeting_page(monkeypatch, warehouse, tmp_path, county, con):
    from streamlit.testing.v1 import AppTest

    import warehouse.paths as paths

    (tmp_path / "CURRENT").write_text(warehouse.name, encoding="utf-8")
    (tmp_path / warehouse.name).symlink_to(warehouse)
    monkeypatch.setattr(paths, "DATA_DIR", tmp_path)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=scaled(60))
    at.query_params["meet_county"] = [county]
    at.query_params["meet_year"] = "2024"
    at.run()
    at.switch_page(by_name("meeting").file).run()
    assert not at.exception
    total = con.execute("SELECT total_expenditure FROM county_year_summary WHERE county = ?", [county]).fetchone()[0]
    values = {m.label: m.value for m in at.metric}
    assert values["本年支出合计（万元）"] == f"{total / 10000:,.2f}"
    assert [b.label for b in at.get("download_button")].count("下载会议报告（PDF，A4）") == 1
