"""A scanned PDF (pages as images, no text layer) is read by OCR, and every figure says so.

One page of 获嘉's PDF rendered to an image-only PDF carries the end-to-end test here (that page
states the year's totals and the 三公 figures); the scans of the other samples are read in
tests/integration/test_scans.py. The rest runs without the OCR engine: grids from page rules,
blank pages, rows cut by a page break, and OCR amounts checked against the document's other
statements (etl/ocr_consensus.py).
"""

from decimal import Decimal
from pathlib import Path

import pytest
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


def _box(x0, y0, x1, y1, text, score=0.99):
    return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1]], text, score]


def test_ocr_boxes_go_to_the_cells_of_the_page_rules():
    """Grid from the drawn rules, text boxes by their centre; no OCR engine needed."""
    import numpy as np

    from etl.readers.ocr import _page_blocks

    img = np.full((400, 600), 255, dtype=np.uint8)
    for x in (50, 200, 350):
        img[100:301, x - 1 : x + 1] = 0
    for y in (100, 150, 200, 300):
        img[y - 1 : y + 1, 50:351] = 0
    boxes = [
        _box(60, 40, 300, 60, "2024年部门支出总体情况表"),
        _box(60, 115, 150, 135, "科目"),
        _box(210, 115, 300, 135, "合计"),
        _box(150, 165, 320, 185, "84.12社会保险经办"),  # one box drawn across the column rule at x=200
        _box(60, 215, 150, 235, "对机关事业单位基本"),
        _box(60, 245, 150, 265, "养老保险基金的补助"),  # wrapped cell: two lines in one cell
        _box(210, 230, 300, 250, "5,750.00"),
        _box(60, 330, 200, 350, "注：本表无其他说明"),
        _box(400, 330, 500, 350, "noise", score=0.2),  # low confidence: dropped
    ]
    blocks = [b for _y, b in _page_blocks(img, boxes, 3)]
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "RawTable", "Paragraph"]
    title, table, note = blocks
    assert (title.text, title.page, title.ocr) == ("2024年部门支出总体情况表", 3, True)
    assert [r.cells for r in table.rows] == [
        ["科目", "合计"],
        ["84.12", "社会保险经办"],
        ["对机关事业单位基本\n养老保险基金的补助", "5,750.00"],
    ]
    assert all(r.ocr and r.page == 3 for r in table.rows)
    assert note.text == "注:本表无其他说明"


def test_cid_pages_go_to_ocr_too(tmp_path, monkeypatch):
    """Pages the PDF reader names as `(cid:N)` glyphs are OCR'd; the others keep their text."""
    import etl.readers.ocr as ocr
    import etl.readers.pdf as pdf
    from etl.model import Document, DocumentError

    def fake_pdf(path):
        doc = Document(path=str(path), file_name=path.name, fmt="pdf", page_count=3)
        doc.blocks = [Paragraph(text="第一页文字", page=1, line=None), Paragraph(text="第三页文字", page=3, line=None)]
        doc.warnings = ["page 2: glyphs without Unicode map (cid:)"]
        return doc

    def fake_ocr(path, pages, budget_s=0):
        return [Paragraph(text=f"识别第{p}页", page=p, line=None, ocr=True) for p in pages], list(pages), []

    monkeypatch.setattr(ocr, "textless_pages", lambda path: (3, []))
    monkeypatch.setattr(ocr, "blank_pages", lambda path, pages: [])
    monkeypatch.setattr(pdf, "read_pdf", fake_pdf)
    monkeypatch.setattr(ocr, "ocr_pages", fake_ocr)
    doc = ocr.read_pdf_or_scan(tmp_path / "x.pdf")
    assert [b.text for b in doc.blocks] == ["第一页文字", "识别第2页", "第三页文字"]
    assert doc.ocr_pages == [2] and doc.warnings == ["OCR on pages 2 (lower confidence)"]

    def all_cid(path):
        raise DocumentError("no readable text on any of 3 pages: page 1: glyphs without Unicode map (cid:)")

    monkeypatch.setattr(pdf, "read_pdf", all_cid)
    doc = ocr.read_pdf_or_scan(tmp_path / "x.pdf")
    assert doc.ocr_pages == [1, 2, 3] and [b.page for b in doc.blocks] == [1, 2, 3]


def _yanchi_as_ocr():
    """盐池's facts from its text, as if every page had been OCR'd (page 1 of the text form)."""
    import copy

    from tests.conftest import parsed

    return copy.deepcopy(parsed(STEMS["yanchi"]).facts.rows)


def _fact(rows, family, item_key=None, measure="total", code=None):
    (r,) = [
        r
        for r in rows["core_table_facts"]
        if r["table_family"] == family
        and r["measure"] == measure
        and (item_key is None or r["item_key"] == item_key)
        and (code is None or r["function_code"] == code)
    ]
    return r


def _misread(r, printed: str) -> None:
    r["amount_printed"], r["amount_yuan"] = printed, Decimal(printed.replace(",", ""))


def test_ocr_misreads_give_way_to_the_value_the_other_statements_agree_on():
    """What a 150 dpi skewed JPEG scan of 盐池 gave before: 本年收入合计 27.00 元 (the row number) and
    本年支出合计 1,298,414.00 元 (decimal point lost), while the 收入表, 支出表, 财政拨款表 and the
    情况说明 print 12,984,142.90; 20801 read as 801,947.97 in the 支出表 (一般公共预算支出表 and
    the row's 基本 1,678,227.97 + 项目 123,720.00 say 1,801,947.97)."""
    from etl.ocr_consensus import reconcile

    rows = _yanchi_as_ocr()
    revenue, spent = _fact(rows, "summary", "revenue_total"), _fact(rows, "summary", "expenditure_total")
    line = _fact(rows, "expenditure", code="20801")
    _misread(revenue, "27.00")
    _misread(spent, "1,298,414.00")
    _misread(line, "801,947.97")
    reconcile(rows, [1])
    for r, was in ((revenue, "27.00"), (spent, "1,298,414.00")):
        assert (r["amount_yuan"], r["amount_printed"]) == (Decimal("12984142.90"), "12,984,142.90")
        assert (r["ocr_misread"], r["ocr_unconfirmed"]) == (was, False)
    assert (line["amount_yuan"], line["amount_printed"], line["ocr_misread"]) == (
        Decimal("1801947.97"),
        "1,801,947.97",
        "801,947.97",
    )
    others = [r for r in rows["core_table_facts"] if r not in (revenue, spent, line)]
    assert {(r["ocr_misread"], r["ocr_unconfirmed"]) for r in others} == {(None, False)}
    assert {r["ocr_unconfirmed"] for r in rows["core_claims"] if r["claim_type"] == "amount"} == {False}


def test_ocr_amount_nothing_confirms_and_a_check_contradicts_is_flagged_not_changed():
    """2080109 基本支出 read differently in the 支出表 (1,678,227.07) and the 一般公共预算支出表
    (1,678,221.97): neither agrees with the other nor with its row's 合计 1,801,947.97 - 项目
    123,720.00, so both keep what was read and are flagged; a 情况说明 sentence read as 1,298.41 元
    is flagged too, never changed (a sentence may speak of another scope than the tables)."""
    from etl.ocr_consensus import reconcile

    rows = _yanchi_as_ocr()
    a = _fact(rows, "expenditure", measure="basic", code="2080109")
    b = _fact(rows, "gpb_expenditure", measure="basic", code="2080109")
    _misread(a, "1,678,227.07")
    _misread(b, "1,678,221.97")
    claim = next(c for c in rows["core_claims"] if c["figure"] == "total_expenditure" and c["amount_yuan"])
    claim["amount_yuan"] = Decimal("1298.41")
    reconcile(rows, [1])
    assert [(r["amount_yuan"], r["ocr_misread"], r["ocr_unconfirmed"]) for r in (a, b)] == [
        (Decimal("1678227.07"), None, True),
        (Decimal("1678221.97"), None, True),
    ]
    assert (claim["amount_yuan"], claim["ocr_misread"], claim["ocr_unconfirmed"]) == (Decimal("1298.41"), None, True)
    flagged = [r for t in ("core_table_facts", "core_claims") for r in rows[t] if r.get("ocr_unconfirmed")]
    assert len(flagged) == 3


def test_ocr_consensus_leaves_right_readings_alone():
    """Every sample's facts as read from its text, taken as OCR'd: nothing is changed or flagged."""
    import copy

    from etl.ocr_consensus import reconcile
    from tests.conftest import parsed

    for stem in STEMS.values():
        rows = copy.deepcopy(parsed(stem).facts.rows)
        before = [r["amount_yuan"] for r in rows["core_table_facts"]]
        reconcile(rows, sorted({r["page"] for r in rows["core_table_facts"]}))
        assert [r["amount_yuan"] for r in rows["core_table_facts"]] == before
        assert not any(r.get("ocr_unconfirmed") or r.get("ocr_misread") for r in rows["core_table_facts"]), stem
        assert not any(r.get("ocr_unconfirmed") for r in rows["core_claims"]), stem


def test_textless_pdf_of_blank_pages_is_refused_without_ocr(tmp_path, monkeypatch):
    """Empty sheets scanned (grey-white noise as JPEG) and pages with nothing on them: refused as
    blank from a low-resolution render, the OCR engine never runs."""
    import io

    import numpy as np
    from PIL import Image

    import etl.readers.ocr as ocr
    from etl.model import DocumentError

    def no_ocr(*_a, **_k):
        raise AssertionError("OCR ran on a blank page")

    monkeypatch.setattr(ocr, "ocr_pages", no_ocr)
    sheet = np.random.default_rng(0).normal(240, 5, (1754, 1240)).clip(0, 255).astype("uint8")
    buf = io.BytesIO()
    Image.fromarray(sheet).save(buf, "JPEG", quality=60)
    c = canvas.Canvas(str(tmp_path / "blank.pdf"), pagesize=A4)
    for i in range(40):
        if i % 4:
            buf.seek(0)
            c.drawImage(ImageReader(buf), 0, 0, *A4)
        c.showPage()
    c.save()
    assert textless_pages(tmp_path / "blank.pdf") == (40, list(range(1, 41)))
    with pytest.raises(DocumentError, match="no readable text on any of 40 pages: every page is blank"):
        read_document(tmp_path / "blank.pdf")


def test_a_page_is_blank_when_almost_no_pixel_is_darker_than_the_paper():
    import numpy as np

    from etl.readers.ocr import _is_blank

    class Page:  # what _is_blank needs of a pypdfium2 page
        def __init__(self, img):
            self.img = img

        def render(self, scale, rev_byteorder):
            return self

        def to_numpy(self):
            return self.img

    paper = np.full((200, 150, 3), 238, dtype=np.uint8)
    assert _is_blank(Page(paper))
    speck = paper.copy()
    speck[10:12, 10:12] = 0  # 4 dark pixels of 30,000: dust
    assert _is_blank(Page(speck))
    line = paper.copy()
    line[100:103, 20:130] = 20  # one short line of print
    assert not _is_blank(Page(line))


def test_row_cut_by_a_page_break_is_finished_by_the_next_pages_first_row():
    """孟津's 部门收入预算表 scanned: the unit name printed one character per line runs over the page
    break ('洛阳市孟津区社会保险' on page 4, '中\\n心' alone at the top of page 5); an amount row is
    never taken as such a tail."""
    from etl.model import Document, RawTable, Row
    from etl.readers.ocr import _continuations, _finish_cut_rows

    def table(page, rows):
        t = RawTable(rows=[], page=page, line=None)
        t.rows = [Row(cells=c, page=page, line=None, index=i, ocr=True) for i, c in enumerate(rows)]
        return t

    doc = Document(path="x.pdf", file_name="x.pdf", fmt="pdf", page_count=5)
    doc.blocks = [
        table(4, [["311", "洛阳市孟津区社会保险", "18786.35"]]),
        table(5, [["", "中\n心", ""], ["311001", "洛阳市孟津区社会保险中心", "18786.35"]]),
        table(5, [["", "", "12.00"]]),
    ]
    _continuations(doc)
    _finish_cut_rows(doc)
    assert [[r.cells for r in b.rows] for b in doc.blocks] == [
        [["311", "洛阳市孟津区社会保险\n中\n心", "18786.35"]],
        [["311001", "洛阳市孟津区社会保险中心", "18786.35"]],
        [["", "", "12.00"]],
    ]
    assert doc.blocks[1].rows[0].index == 0
    # 香河's indicator tables, one cell a line, boxes one after another: rows like the others
    doc.blocks = [table(2, [["", "指标值确定依据"]]), table(2, [["", "产出指标"]]), table(3, [["", "效果指标"]])]
    _continuations(doc)
    _finish_cut_rows(doc)
    assert [[r.cells for r in b.rows] for b in doc.blocks] == [
        [["", "指标值确定依据"]],
        [["", "产出指标"]],
        [["", "效果指标"]],
    ]


def _package_engine(package: str):
    """The reader's Engine over one OCR package, and the CJK font to draw test lines with
    (skips when either is not installed)."""
    import importlib.util

    import etl.readers.ocr as ocr

    if importlib.util.find_spec(package) is None:
        pytest.skip(f"{package} not installed")
    font = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    if not font.exists():
        pytest.skip("Noto CJK font not installed")
    return (ocr._engine_v3() if package == "rapidocr" else ocr._engine_v1()), font


@pytest.mark.parametrize("package", ["rapidocr", "rapidocr_onnxruntime"])
def test_each_ocr_package_tells_an_upside_down_line(package):
    """The direction classifier of either OCR package (3.x, or 1.4 as the fallback) on a printed
    line of a 绩效目标表 title: upright as drawn, upside-down turned half a turn."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    engine, font = _package_engine(package)
    img = Image.new("L", (520, 48), 255)
    ImageDraw.Draw(img).text((8, 6), "部门预算项目绩效目标表（2024年度）", fill=0, font=ImageFont.truetype(str(font), 30))
    line = np.asarray(img)
    assert engine.upside_down([line, np.ascontiguousarray(np.rot90(line, 2))]) == [False, True]
    assert engine.upside_down([]) == []


@pytest.mark.parametrize("package", ["rapidocr", "rapidocr_onnxruntime"])
def test_each_ocr_package_detects_then_recognises_what_it_reads_in_one_run(package):
    """Either OCR package in the reader's two steps (detect boxes; recognise the text in them) on
    a drawn title and amount, grey as the reader's pages are: the printed text, in its box."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    engine, font = _package_engine(package)
    img = Image.new("L", (640, 160), 255)
    draw = ImageDraw.Draw(img)
    draw.text((20, 20), "一般公共预算拨款收入", fill=0, font=ImageFont.truetype(str(font), 30))
    draw.text((420, 100), "5,854.76", fill=0, font=ImageFont.truetype(str(font), 30))
    page = np.asarray(img)
    boxes = engine.detect(page)
    read = sorted(engine.recognise(page, boxes), key=lambda r: r[0][0][1])
    assert [t for _b, t, _s in read] == ["一般公共预算拨款收入", "5,854.76"]
    assert read[1][0][0][0] > 400 and read[1][0][0][1] > 90  # the amount's box where it was drawn
    assert engine.recognise(page, []) == []
