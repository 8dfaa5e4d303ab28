"""Characters built by hand for the PDF text-table tests: each test states the smallest page that
needs a rule, as pdfplumber-like char dicts placed on it (shared by the unit tests of pdf_grid)."""

from __future__ import annotations

from etl.readers.pdf_grid import TextBlock, find_text_blocks

SIZE = 10.0  # character height; lines 14 apart are one cell wrapped, 20+ apart are two rows


def chars(*cells: tuple[float, float, str]) -> list[dict]:
    """(x, top, text) -> pdfplumber-like char dicts, one square glyph per character."""
    out = []
    for x, top, text in cells:
        for i, ch in enumerate(text):
            x0 = x + i * SIZE
            out.append({"text": ch, "x0": x0, "x1": x0 + SIZE, "top": top, "bottom": top + SIZE})
    return out


def page(*cells: tuple[float, float, str], margin: float = 40.0) -> list[TextBlock]:
    """The table blocks found on a page holding `cells`."""
    blocks, _rest = find_text_blocks(chars(*cells), [], margin)
    return blocks
