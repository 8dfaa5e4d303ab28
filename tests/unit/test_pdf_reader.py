"""PDF reader on PDFs made here with reportlab (CID font): ruled table, page without text."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from etl.layout import build_tables
from etl.model import DocumentError, RawTable
from etl.readers import read_document
from etl.readers.pdf import read_pdf

pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))


def _grid(c, x0, y0, widths, rows, h=20, texts=None):
    xs = [x0]
    for w in widths:
        xs.append(xs[-1] + w)
    top = y0
    for i in range(rows + 1):
        c.line(xs[0], top - i * h, xs[-1], top - i * h)
    for x in xs:
        c.line(x, top, x, top - rows * h)
    for r, row in enumerate(texts or []):
        for k, text in enumerate(row):
            c.drawString(xs[k] + 3, top - (r + 1) * h + 6, text)


def ruled_pdf(path: Path) -> None:
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("STSong-Light", 10)
    c.drawString(60, 780, "2024年部门支出总体情况表")
    c.drawString(60, 760, "单位：万元")
    _grid(
        c,
        60,
        740,
        [60, 120, 70, 70, 70],
        3,
        texts=[
            ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
            ["2080109", "社会保险经办机构", "84.12", "50.16", "33.96"],
            ["2080507", "对机关事业单位基本", "5,750.00", "", "5,750.00"],
        ],
    )
    c.drawString(60, 600, "第 1 页")
    c.showPage()
    c.save()


def scanned_pdf(path: Path) -> None:
    c = canvas.Canvas(str(path), pagesize=A4)
    c.rect(50, 50, 400, 600, fill=1)  # an image-like page: drawing, no text layer
    c.showPage()
    c.save()


def test_ruled_table_and_title(tmp_path):
    ruled_pdf(tmp_path / "t.pdf")
    doc = read_document(tmp_path / "t.pdf")
    tables = [b for b in doc.blocks if isinstance(b, RawTable)]
    assert len(tables) == 1 and tables[0].rows[1].cells == ["2080109", "社会保险经办机构", "84.12", "50.16", "33.96"]
    assert all("第 1 页" not in p.text for p in doc.paragraphs())  # running footer dropped
    (t,) = build_tables(doc)
    assert t.title == "2024年部门支出总体情况表" and t.unit == "万元" and t.page == 1


def test_page_without_text_layer_fails_with_reason(tmp_path):
    scanned_pdf(tmp_path / "s.pdf")
    with pytest.raises(DocumentError, match="no readable text on any of 1 pages: page 1: no text layer"):
        read_pdf(tmp_path / "s.pdf")  # the PDF reader itself; read_document then tries OCR
    with pytest.raises(DocumentError, match="no readable text on any of 1 pages"):
        read_document(tmp_path / "s.pdf")


def test_truncated_and_fake_pdf(tmp_path):
    ruled_pdf(tmp_path / "t.pdf")
    (tmp_path / "cut.pdf").write_bytes((tmp_path / "t.pdf").read_bytes()[:300])
    with pytest.raises(DocumentError, match="corrupt or truncated PDF"):
        read_document(tmp_path / "cut.pdf")
    (tmp_path / "fake.pdf").write_text("hello", encoding="utf-8")
    with pytest.raises(DocumentError, match="no %PDF header"):
        read_document(tmp_path / "fake.pdf")


def _text_table(c, x0, y0, widths, rows, h=16, rules=()):
    """Rows of cells at fixed column positions, no vertical rules; `rules`: row indexes to rule
    above (len(rows) rules the bottom)."""
    xs = [x0]
    for w in widths:
        xs.append(xs[-1] + w)
    for r, row in enumerate(rows):
        for k, text in enumerate(row):
            c.drawString(xs[k] + 3, y0 - (r + 1) * h + 5, text)
    for r in rules:
        c.line(xs[0], y0 - r * h, xs[-1], y0 - r * h)


EXPENDITURE = [
    ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
    ["2080109", "社会保险经办机构", "84.12", "50.16", "33.96"],
    ["2080507", "对机关事业单位基本", "5,750.00", "", "5,750.00"],
    ["2101102", "事业单位医疗", "2.00", "2.00", ""],
]


@pytest.mark.parametrize("rules", [(), (0, 1, 4)], ids=["no-rules", "three-line"])
def test_table_without_vertical_rules_reads_columns_from_text(tmp_path, rules):
    c = canvas.Canvas(str(tmp_path / "t.pdf"), pagesize=A4)
    c.setFont("STSong-Light", 10)
    c.drawString(60, 780, "2024年部门支出总体情况表")
    c.drawString(60, 760, "单位：万元")
    _text_table(c, 60, 740, [70, 120, 70, 70, 70], EXPENDITURE, rules=rules)
    c.drawString(60, 640, "注：本表按支出功能分类科目编制。")
    c.showPage()
    c.save()
    doc = read_pdf(tmp_path / "t.pdf")
    (table,) = [b for b in doc.blocks if isinstance(b, RawTable)]
    assert [r.cells for r in table.rows] == EXPENDITURE
    (t,) = build_tables(doc)
    assert t.title == "2024年部门支出总体情况表" and t.unit == "万元" and t.notes[0].text.startswith("注")


def test_running_header_and_footer_are_dropped_and_a_table_goes_on(tmp_path):
    c = canvas.Canvas(str(tmp_path / "r.pdf"), pagesize=A4)
    for page in range(1, 4):
        c.setFont("STSong-Light", 8)
        c.drawString(40, 820, "2026/11/29 社会保险经办机构信息公开")
        c.drawString(40, 15, f"file:///tmp/x.html        {page}/3")
        c.setFont("STSong-Light", 10)
        if page == 1:
            c.drawString(60, 780, "2024年部门支出总体情况表")
        rows = (
            EXPENDITURE
            if page == 1
            else [[f"22{page}0{k}01", "住房公积金", f"{k}.00", f"{k}.00", ""] for k in (1, 2, 3)]
        )
        _text_table(c, 60, 760, [70, 120, 70, 70, 70], rows)
        c.showPage()
    c.save()
    doc = read_pdf(tmp_path / "r.pdf")
    assert not [p.text for p in doc.paragraphs() if "信息公开" in p.text or "file:" in p.text]
    (t,) = build_tables(doc)  # one table over three pages: nothing between the parts
    assert len(t.rows) == 4 + 3 + 3 and t.rows[-1].page == 3 and t.rows[-1].cells[0] == "2230301"


def test_page_over_the_character_cap_is_reported_with_the_cap(tmp_path, monkeypatch):
    from etl import limits

    ruled_pdf(tmp_path / "t.pdf")
    monkeypatch.setattr(limits, "MAX_PAGE_CHARS", 10)
    with pytest.raises(DocumentError, match=r"page 1: \d+ characters, over the limit of 10 \(MAX_PAGE_CHARS"):
        read_pdf(tmp_path / "t.pdf")
