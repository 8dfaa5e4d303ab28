"""会议模式 for the room (#19 item 1): each county at the chosen year or its latest with the year
said, its figures equal to the warehouse's, one chart with one y scale and text of 14 px or more,
one table of peer positions; one PDF for the counties on screen whose text extracts as written
(香, not the Kangxi radical ⾹) and whose chart labels do not run together."""

from __future__ import annotations

import json
import logging
import zlib

import pdfplumber
import pytest

from exports.pdftext import RADICAL_TO_IDEOGRAPH, fix_cmap, fix_to_unicode
from rules.units import money_text
from tests.conftest import run_app_page, serve_warehouse

THREE = ["获嘉县", "盐池县", "香河县"]
LINK = "http://127.0.0.1:8501/meeting?county=%E9%A6%99%E6%B2%B3%E5%8E%BF"
logging.getLogger("pdfminer").setLevel(logging.ERROR)


@pytest.fixture
def app_dir(monkeypatch, warehouse, tmp_path):
    return serve_warehouse(monkeypatch, warehouse, tmp_path)


def test_meeting_shows_each_county_at_its_year_with_warehouse_figures(app_dir, con):
    at = run_app_page("meeting", timeout=60, county=THREE, meet_year="2024")
    heads = [s.value for s in at.subheader]
    assert heads[:3] == ["获嘉县 2024年预算", "盐池县 2024年决算", "香河县 2023年预算"]  # 香河 has no 2024
    assert "没有 2024 年的文件：显示最近的 2023 年。" in [c.value for c in at.caption]
    totals = [m.value for m in at.metric if m.label == "本年支出合计（万元）"]
    expected = []
    for county, year in (("获嘉县", 2024), ("盐池县", 2024), ("香河县", 2023)):
        stage = "final" if county == "盐池县" else "budget"
        (yuan,) = con.execute(
            "SELECT total_expenditure_yuan FROM mart_county_year WHERE county = ? AND fiscal_year = ? AND stage = ?",
            [county, year, stage],
        ).fetchone()
        expected.append(money_text(yuan / 10000))
    assert totals == expected
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert len(charts) == 1  # one chart, so one y scale for every county
    fig = charts[0]
    assert [t["name"] for t in fig["data"]] == ["获嘉县 2024年预算", "盐池县 2024年决算", "香河县 2023年预算"]
    layout = fig["layout"]
    sizes = [layout["font"]["size"], layout["title"]["font"]["size"], layout["xaxis"]["tickfont"]["size"]]
    sizes += [a["font"]["size"] for a in layout["annotations"]] + [t["textfont"]["size"] for t in fig["data"]]
    assert min(sizes) >= 14
    table = at.table[0].value
    assert list(table.columns) == ["指标"] + [c for x in THREE for c in (x, f"{x} 排名")]
    assert "None" not in table.astype(str).values


def test_kangxi_radicals_in_a_cmap_become_ideographs():
    cmap = "2 beginbfchar\n<01> <2FB9>\n<02> <6CB3>\nendbfchar\n1 beginbfrange\n<10> <12> <2ED3>\nendbfrange\n"
    fixed = fix_cmap(cmap)
    assert "<01> <9999>" in fixed and "<02> <6CB3>" in fixed  # ⾹ -> 香, 河 unchanged
    assert "<10> <957F>" in fixed and "<11> <2ED4>" not in fixed and "<11> <95E8>" in fixed  # ⻓ -> 长, ⻔ -> 门
    assert RADICAL_TO_IDEOGRAPH[0x2FB9] == 0x9999
    body = zlib.compress(cmap.encode())
    pdf = (
        b"%PDF-1.4\n1 0 obj\n<</ToUnicode 2 0 R>>\nendobj\n2 0 obj\n<</Filter /FlateDecode\n/Length "
        + str(len(body)).encode() + b">> stream\n" + body + b"\nendstream\nendobj\n"
    )
    xref = len(pdf)
    pdf += b"xref\n0 3\n0000000000 65535 f \ntrailer\n<</Size 3\n/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref
    out = fix_to_unicode(pdf)
    assert out.startswith(pdf) and b"/Prev %d" % xref in out  # an incremental update: nothing moved


def test_one_meeting_pdf_for_the_counties_on_screen(con, tmp_path, warehouse):
    from exports.report import build_meeting_report

    out = build_meeting_report(
        con.cursor(), [("获嘉县", 2024), ("盐池县", 2024), ("香河县", 2023)], tmp_path / "m.pdf",
        warehouse=warehouse.name, link=LINK,
    )
    with pdfplumber.open(out) as pdf:
        pages = [p.extract_text() or "" for p in pdf.pages]
        labels = [chart_labels(p) for p in pdf.pages]
    text = "\n".join(pages)
    assert "香河县" in text and "香河县 2023年社保经费简报" in text  # 香, not ⾹ (U+2FB9)
    assert not [c for c in text if 0x2E80 <= ord(c) <= 0x2FDF]
    starts = [i for i, p in enumerate(pages) if "年社保经费简报" in p.split("\n", 3)[0] + p.split("\n", 3)[1]]
    assert len(starts) == 3  # each county starts a page of its own
    assert "获嘉县 2024年社保经费简报" in text and "盐池县 2024年社保经费简报" in text
    assert text.replace("\n", "").count(LINK) == 3
    boxes = [b for page in labels for b in page]
    assert {"5,854.76", "1,298.41", "33,891.90"} <= {t for t, *_ in boxes}  # upright labels, read whole
    for page in labels:
        for i, a in enumerate(page):
            for b in page[i + 1 :]:
                assert not overlap(a[1:], b[1:]), (a, b)  # no label prints over another


def overlap(a, b, slack: float = 0.3) -> bool:
    return a[0] + slack < b[2] and b[0] + slack < a[2] and a[1] + slack < b[3] and b[1] + slack < a[3]


def chart_labels(page) -> list[tuple[str, float, float, float, float]]:
    """The upright (rotated) data labels of a page's chart: the non-upright characters grouped by
    their column, read bottom to top, each with its box."""
    columns: dict[int, list[dict]] = {}
    for c in page.chars:
        if not c["upright"]:
            columns.setdefault(round(c["x0"]), []).append(c)
    out = []
    for chars in columns.values():
        chars.sort(key=lambda c: -c["top"])
        text = "".join(c["text"] for c in chars)
        out.append((text, min(c["x0"] for c in chars), min(c["top"] for c in chars),
                    max(c["x1"] for c in chars), max(c["bottom"] for c in chars)))
    return out
