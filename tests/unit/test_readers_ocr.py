"""A scanned PDF (pages as images, no text layer) is read by OCR, and every figure says so.

One page of 获嘉's PDF rendered to an image-only PDF: OCR takes ~18 s of CPU per page (20-90 s of
wall time on 2 shared cores), so one sample page carries the test. That page states the year's
totals and the 三公 figures.
"""

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from etl.model import Paragraph
from etl.pipeline import parse_file
from etl.readers import read_document
from etl.readers.ocr import textless_pages
from tests.conftest import RAW, STEMS
from tests.forms import to_scanned_pdf


def test_scanned_page_is_read_by_ocr_and_marked(tmp_path):
    scan = to_scanned_pdf(RAW / f"{STEMS['huojia']}.pdf", tmp_path / "scan.pdf", pages=[1])
    assert textless_pages(scan) == (1, [1])
    parsed = parse_file(scan)
    assert parsed.info["unit_name"] == "获嘉县社会保险中心"
    assert (parsed.info["fiscal_year"], parsed.info["stage"], parsed.info["county"]) == (2024, "budget", "获嘉县")
    assert parsed.warnings == ["OCR on pages 1 (lower confidence)"]
    claims = parsed.facts.rows["core_claims"]
    got = {(c["topic"], c["claim_type"]): c["amount_yuan"] for c in claims}
    # 支出合计 5854.76 万元，基本支出 70.8 万元，项目支出 5783.96 万元; “三公”经费预算为 0 万元
    assert got[("expenditure", "amount")] == 58547600
    assert got[("basic", "amount")] == 708000
    assert got[("project", "amount")] == 57839600
    assert got[("sangong_total", "amount")] == 0
    assert {c.get("extraction") for c in claims} == {"ocr"}
    assert {r.get("extraction") for r in parsed.facts.rows["raw_paragraphs"]} == {"ocr"}


def _text_page(c, lines: list[str]) -> None:
    c.setFont("STSong-Light", 16)
    for i, line in enumerate(lines):
        c.drawString(60, 760 - 30 * i, line)
    c.showPage()


def test_mixed_pdf_ocrs_only_its_scanned_page(tmp_path):
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    src = tmp_path / "src.pdf"
    c = canvas.Canvas(str(src), pagesize=A4)
    _text_page(c, ["兴国县社会保险服务中心2024年单位预算"])
    _text_page(c, ["2024年支出合计 5854.76 万元"])
    c.save()
    image = to_scanned_pdf(src, tmp_path / "img.pdf", pages=[1])
    import pypdfium2 as pdfium

    pil = pdfium.PdfDocument(str(image))[0].render(scale=1.5).to_pil()
    mixed = tmp_path / "mixed.pdf"
    c = canvas.Canvas(str(mixed), pagesize=A4)
    _text_page(c, ["兴国县社会保险服务中心2024年单位预算"])
    c.drawImage(ImageReader(pil), 0, 0, *A4)
    c.showPage()
    c.save()
    assert textless_pages(mixed) == (2, [2])
    doc = read_document(mixed)
    assert doc.ocr_pages == [2] and doc.warnings == ["OCR on pages 2 (lower confidence)"]
    texts = [(b.page, b.text.replace(" ", ""), b.ocr) for b in doc.blocks if isinstance(b, Paragraph)]
    assert texts == [(1, "兴国县社会保险服务中心2024年单位预算", False), (2, "2024年支出合计5854.76万元", True)]


def test_text_pdf_pages_are_not_ocrd():
    doc = read_document(RAW / f"{STEMS['xianghe']}.pdf")
    assert doc.ocr_pages == [] and not any(b.ocr for b in doc.blocks if isinstance(b, Paragraph))
    assert Path(doc.path).suffix == ".pdf"
