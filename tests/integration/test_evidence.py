"""Evidence: a PDF table figure keeps its cell's box on the page, the warehouse returns it, and the
查看原文 page draws it on the rendered page.

The known cell: 获嘉县 2024 预算 (000_…pdf), 收支总表 (2024年部门收支总体情况表) on page 4, the row
`本年收入合计 | 5,854.76 | 本年支出合计 | 5,854.76`: the amount of 本年支出合计 is the fourth cell. Its
box as pdfplumber's own table finder gives it (read with pdfplumber below, and by hand:
x 382.87–427.98, top 260.62, bottom 277.12 of a 594.96 × 841.92 pt page).
"""

from __future__ import annotations

import logging
import shutil

import duckdb
import pdfplumber
import pytest

from tests.conftest import RAW, STEMS, one, run_app_page, serve_warehouse

PDF = RAW / f"{STEMS['huojia']}.pdf"
DOC_ID = "410724-2024-budget-671270"
BY_HAND = (382.87, 260.62, 427.98, 277.12)
PAGE_SIZE = (594.96, 841.92)


def _pdfplumber_cell() -> tuple[tuple[float, ...], tuple[float, float]]:
    """The box of 本年支出合计's amount cell, found with pdfplumber's default table settings."""
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    with pdfplumber.open(PDF) as pdf:
        page = pdf.pages[3]
        for t in page.find_tables():
            for row in t.rows:
                texts = [page.crop(c).extract_text() if c else None for c in row.cells]
                if "本年支出合计" in texts:
                    i = texts.index("本年支出合计")
                    assert texts[i + 1] == "5,854.76"
                    return tuple(row.cells[i + 1]), (float(page.width), float(page.height))
    raise AssertionError("本年支出合计 not found on page 4")


@pytest.fixture(scope="module")
def pdf_warehouse(tmp_path_factory):
    """A warehouse of the five sample PDFs alone (with their text copies beside them, the text
    copies are primary and the warehouse holds no PDF figures)."""
    from etl.build import build

    folder = tmp_path_factory.mktemp("pdfs")
    for stem in STEMS.values():
        shutil.copy(RAW / f"{stem}.pdf", folder)
    db = tmp_path_factory.mktemp("wh_pdf") / "w.duckdb"
    result = build([folder], db)
    assert not result.failed, [o.message for o in result.failed]
    return db


def test_reader_keeps_the_cell_box():
    from etl.pipeline import parse_file

    parsed = parse_file(PDF)
    [fact] = [
        f
        for f in parsed.facts.rows["core_table_facts"]
        if f["table_family"] == "summary" and f["row_label"] == "本年支出合计" and f["measure"] == "total"
    ]
    assert fact["amount_printed"] == "5,854.76" and fact["page"] == 4
    box = tuple(float(fact[k]) for k in ("box_x0_pt", "box_top_pt", "box_x1_pt", "box_bottom_pt"))
    theirs, size = _pdfplumber_cell()
    assert box == pytest.approx(theirs, abs=1.0)
    assert box == pytest.approx(BY_HAND, abs=1.0)
    assert (float(fact["page_width_pt"]), float(fact["page_height_pt"])) == pytest.approx(size, abs=0.1)
    assert size == pytest.approx(PAGE_SIZE, abs=0.1)
    # Most table figures of a ruled PDF carry their box; raw cells carry theirs too.
    facts = parsed.facts.rows["core_table_facts"]
    assert sum(f["box_x0_pt"] is not None for f in facts) >= 0.9 * len(facts)
    [cell] = [
        c for c in parsed.facts.rows["raw_cells"] if c["page"] == 4 and c["text"] == "本年支出合计" and c["row_index"] == 13
    ]
    assert float(cell["box_x0_pt"]) == pytest.approx(226.12, abs=1.0)


def test_text_figures_have_no_box(con):
    assert one(con, "SELECT count(box_x0_pt) FROM core_table_facts WHERE source_file LIKE '%.txt'")[0] == 0


def test_named_query_returns_the_box(pdf_warehouse):
    from warehouse.queries import run

    with duckdb.connect(str(pdf_warehouse), read_only=True) as con:
        facts = run(con, "evidence_facts", doc_id=DOC_ID)
        [key] = facts.filter((facts["row_label"] == "本年支出合计") & (facts["table_title"] == "2024年部门收支总体情况表"))[
            "fact"
        ].to_list()
        row = run(con, "fact_box", doc_id=DOC_ID, fact=key).row(0, named=True)
    assert (row["format"], row["page"], row["amount_printed"]) == ("pdf", 4, "5,854.76")
    assert (row["x0"], row["top"], row["x1"], row["bottom"]) == pytest.approx(BY_HAND, abs=1.0)
    assert (row["page_width"], row["page_height"]) == pytest.approx(PAGE_SIZE, abs=0.1)


def test_evidence_page_draws_the_cell(pdf_warehouse, monkeypatch, tmp_path):
    import io

    from PIL import Image

    from warehouse.queries import run

    with duckdb.connect(str(pdf_warehouse), read_only=True) as con:
        facts = run(con, "evidence_facts", doc_id=DOC_ID)
        key = facts.filter(
            (facts["row_label"] == "本年支出合计") & (facts["table_title"] == "2024年部门收支总体情况表")
        )["fact"][0]
    serve_warehouse(monkeypatch, pdf_warehouse, tmp_path)
    at = run_app_page("evidence", doc=DOC_ID, fact=key)
    assert at.query_params["fact"] == [key] or at.query_params["fact"] == key
    assert any("本年支出合计" in s.value and "5,854\\.76 万元" in s.value for s in at.subheader)
    imgs = at.get("image")
    assert len(imgs) == 2, imgs  # the enlarged band and the whole page
    assert [i.proto.imgs[0].caption for i in imgs] == ["单元格所在位置（放大）", "第 4 页全页"]
    assert any("第 4 页" in c.value and "382.9" in c.value for c in at.caption)
    # The image the page shows: the page rendered with the red box drawn where the cell is.
    from pages.evidence import SCALE, highlighted_page

    page_png, _band = highlighted_page(str(PDF), 4, BY_HAND, PAGE_SIZE)
    img = Image.open(io.BytesIO(page_png)).convert("RGB")
    assert img.size == (round(PAGE_SIZE[0] * SCALE), round(PAGE_SIZE[1] * SCALE))
    # the outline's left edge, halfway down the cell: red
    x = int((BY_HAND[0] - 3) * SCALE) + 1
    y = int((BY_HAND[1] + BY_HAND[3]) / 2 * SCALE)
    r, g, b = img.getpixel((x, y))
    assert r > 180 and g < 90 and b < 90, (r, g, b)


def test_evidence_page_shows_a_text_figure_in_context(warehouse, monkeypatch, tmp_path):
    serve_warehouse(monkeypatch, warehouse, tmp_path)
    at = run_app_page("evidence", doc=DOC_ID)
    assert not at.get("image")
    code = "\n".join(c.value for c in at.code)
    assert "▶" in code
