"""A scanned PDF (pages as images, no text layer) is read by OCR, and says so.

One page of 获嘉's PDF rendered to an image-only PDF: OCR takes 20-90 s on 2 shared cores, so
one page carries the test. That page states the year's totals and the 三公 figures.
"""

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
    claims = {(c["topic"], c["claim_type"]): c["amount_yuan"] for c in parsed.facts.rows["core_claims"]}
    # 支出合计 5854.76 万元，基本支出 70.8 万元，项目支出 5783.96 万元; “三公”经费预算为 0 万元
    assert claims[("expenditure", "amount")] == 58547600
    assert claims[("basic", "amount")] == 708000
    assert claims[("project", "amount")] == 57839600
    assert claims[("sangong_total", "amount")] == 0


def test_text_pdf_pages_are_not_ocrd():
    doc = read_document(RAW / f"{STEMS['xianghe']}.pdf")
    assert doc.ocr_pages == [] and not any(b.ocr for b in doc.blocks if isinstance(b, Paragraph))
