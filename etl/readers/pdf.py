"""PDF reader (pdfplumber): ruled tables, text lines outside them, unreadable-page detection.

Chromium-rendered disclosures split a tall table row across a page break and draw no horizontal
rule at the cut. We add explicit horizontal lines at the ends of the page's vertical rules so the
two halves become rows, and mark the table `open_bottom` / `open_top` so the layout step can join
them. Pages without a text layer or with `(cid:N)` glyphs are reported, not skipped silently.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pdfplumber

from etl.model import Document, DocumentError, Paragraph, RawTable, Row
from etl.normalize import clean_text

logging.getLogger("pdfminer").setLevel(logging.ERROR)

_RUNNING = re.compile(r"^(第\s*\d+\s*页(\s*[/，,]?\s*共\s*\d+\s*页)?|-\s*\d+\s*-|\d+\s*/\s*\d+|—\s*\d+\s*—)$")


def _has_h_edge(edges: list[dict], y: float, x0: float, x1: float) -> bool:
    """True when horizontal rules at `y` cover most of [x0, x1] (borders come per cell)."""
    covered = sum(max(0.0, min(e["x1"], x1) - max(e["x0"], x0)) for e in edges if abs(e["top"] - y) < 1.5)
    return covered >= 0.8 * (x1 - x0)


def _page_blocks(page, page_no: int) -> list[tuple[float, Paragraph | RawTable]]:
    edges = page.edges
    v_edges = [e for e in edges if e["orientation"] == "v"]
    h_edges = [e for e in edges if e["orientation"] == "h"]
    settings: dict = {}
    if v_edges:
        settings["explicit_horizontal_lines"] = [
            min(e["top"] for e in v_edges),
            max(e["bottom"] for e in v_edges),
        ]
    found = page.find_tables(settings)
    blocks: list[tuple[float, Paragraph | RawTable]] = []
    boxes = []
    for t in found:
        rows = t.extract()
        if not rows:
            continue
        x0, top, x1, bottom = t.bbox
        boxes.append(t.bbox)
        table = RawTable(
            rows=[
                Row(cells=[clean_text(c or "").strip() for c in r], page=page_no, line=None, index=i)
                for i, r in enumerate(rows)
            ],
            page=page_no,
            line=None,
            open_top=not _has_h_edge(h_edges, top, x0, x1),
            open_bottom=not _has_h_edge(h_edges, bottom, x0, x1),
        )
        blocks.append((top, table))

    def outside(obj) -> bool:
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] - 1 <= cx <= b[2] + 1 and b[1] - 1 <= cy <= b[3] + 1 for b in boxes)

    for line in page.filter(outside).extract_text_lines(strip=True):
        text = clean_text(line["text"]).strip()
        if text and not _RUNNING.match(text):
            blocks.append((line["top"], Paragraph(text=text, page=page_no, line=None)))
    blocks.sort(key=lambda b: b[0])
    return blocks


def read_pdf(path: Path) -> Document:
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises many types for broken files
        raise DocumentError(f"corrupt or truncated PDF ({type(exc).__name__})") from exc
    doc = Document(path=str(path), file_name=path.name, fmt="pdf", page_count=0)
    unreadable: list[str] = []
    try:
        try:
            pages = pdf.pages
        except Exception as exc:
            raise DocumentError(f"corrupt or truncated PDF ({type(exc).__name__})") from exc
        doc.page_count = len(pages)
        if not pages:
            raise DocumentError("PDF has no pages")
        text_since_table = True
        for page_no, page in enumerate(pages, 1):
            try:
                chars = page.chars
                sample = "".join(c["text"] for c in chars)
                if not sample.strip():
                    unreadable.append(f"page {page_no}: no text layer (scanned image?)")
                    continue
                if sum(1 for c in chars if c["text"].startswith("(cid:")) > 5:
                    unreadable.append(f"page {page_no}: glyphs without Unicode map (cid:)")
                    continue
                for _, block in _page_blocks(page, page_no):
                    if isinstance(block, RawTable):
                        block.continues_previous = not text_since_table
                        text_since_table = False
                    else:
                        text_since_table = True
                    doc.blocks.append(block)
            except DocumentError:
                raise
            except Exception as exc:
                unreadable.append(f"page {page_no}: unreadable ({type(exc).__name__})")
            finally:
                page.close()
    finally:
        pdf.close()
    if unreadable and len(unreadable) == doc.page_count:
        raise DocumentError(f"no readable text on any of {doc.page_count} pages: {unreadable[0]}")
    doc.warnings.extend(unreadable)
    return doc
