"""PDF reader: pypdfium2 reads every page; pdfplumber's table finder runs only on pages with tables.

One pdfium pass per page (~10 ms) yields its characters and its rules (path objects). A page
without characters has no text layer; a page over the caps in `etl.limits` is skipped with a
reason; a page with rules or with text lines split into columns holds a table. Only those pages go
through pdfplumber's `TableFinder`, fed pdfium's characters and edges through a small page-like
object (`_Page`): pdfminer never parses the file, which was ~80% of the time (0.5 s a page).

Ruled tables use pdfplumber's `lines` strategy. Chromium-rendered disclosures split a tall table row
across a page break and draw no horizontal rule at the cut: we add explicit horizontal lines at the
ends of the page's vertical rules so the two halves become rows, and mark the table `open_bottom` /
`open_top` so the layout step can join them. Tables without vertical rules (三线表, whitespace
aligned columns) are found in the remaining text by `etl.readers.pdf_grid`; their parts on
consecutive pages are read with shared columns, and a row cut by the page break is joined again.
Tables printed one cell per line become vertical raw tables (rows `["", cell]`), continued over
page breaks like the others.

Lines repeated in the margins of most pages (running headers and footers: a title, a date, a file
path, page numbers) are dropped, so they neither read as paragraphs nor break a table that
continues on the next page. Pages without a text layer or with unmapped glyphs are reported.
"""

from __future__ import annotations

import ctypes
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.table import TableFinder, TableSettings
from pdfplumber.utils import rect_to_edges

from etl import limits
from etl.model import Box, Document, DocumentError, Paragraph, RawTable, Row
from etl.normalize import clean_text
from etl.readers.pdf_grid import CellColumn, TextBlock, cell_columns, find_text_blocks, grids, is_title, text_lines
from etl.readers.pdf_lines import paragraphs

logging.getLogger("pdfminer").setLevel(logging.ERROR)

_RUNNING = re.compile(r"^(第\s*\d+\s*页(\s*[/，,]?\s*共\s*\d+\s*页)?|-\s*\d+\s*-|\d+\s*/\s*\d+|—\s*\d+\s*—)$")
_DIGITS = re.compile(r"\d+")
_BROWSER = re.compile(r"\d{1,4}/\d{1,2}/\d{1,4},?\s*\d{1,2}:\d{2}|(file|https?)://")
_MARGIN = 0.12  # running lines sit in the top or bottom 12% of a page
_TOP = 0.05  # in the outer 5% of a page only running headers and footers: content starts within
_ROW_GAP = 1.15  # ... unless the lines there follow one another as a table's rows do (pdf_grid._ROW)


@dataclass
class _Page:
    """What pdfplumber's TableFinder reads from a page (`chars`, `edges`, `bbox`), from pdfium."""

    number: int
    width: float
    height: float
    chars: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    reason: str | None = None  # why the page is unreadable, if it is

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (0.0, 0.0, self.width, self.height)


def _has_h_edge(edges: list[dict], y: float, x0: float, x1: float) -> bool:
    """True when horizontal rules at `y` cover most of [x0, x1] (borders come per cell)."""
    covered = sum(max(0.0, min(e["x1"], x1) - max(e["x0"], x0)) for e in edges if abs(e["top"] - y) < 1.5)
    return covered >= 0.8 * (x1 - x0)


def _rows(rows: list[list[str | None]], page_no: int, boxes: list[list[Box | None]] | None = None) -> list[Row]:
    return [
        Row(
            cells=[clean_text(c or "").strip() for c in r],
            page=page_no,
            line=None,
            index=i,
            boxes=boxes[i] if boxes and i < len(boxes) else None,
        )
        for i, r in enumerate(rows)
    ]


def _outside(boxes: list[tuple]):
    def outside(obj) -> bool:
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] - 1 <= cx <= b[2] + 1 and b[1] - 1 <= cy <= b[3] + 1 for b in boxes)

    return outside


def _ruled_tables(page: _Page) -> list[tuple[tuple, RawTable]]:
    v_edges = [e for e in page.edges if e["orientation"] == "v"]
    if not v_edges:
        return []
    h_edges = [e for e in page.edges if e["orientation"] == "h"]
    settings = {"explicit_horizontal_lines": [min(e["top"] for e in v_edges), max(e["bottom"] for e in v_edges)]}
    out = []
    for t in TableFinder(page, TableSettings.resolve(settings)).tables:
        rows = t.extract()
        if not rows:
            continue
        x0, top, x1, bottom = t.bbox
        boxes = [[tuple(c) if c else None for c in r.cells] for r in t.rows]  # as extract() reads them
        table = RawTable(
            rows=_rows(rows, page.number, boxes),
            page=page.number,
            line=None,
            open_top=not _has_h_edge(h_edges, top, x0, x1),
            open_bottom=not _has_h_edge(h_edges, bottom, x0, x1),
        )
        out.append((t.bbox, table))
    return out


def _page_blocks(page: _Page) -> list[tuple[float, Paragraph | RawTable | TextBlock]]:
    ruled = _ruled_tables(page)
    blocks: list[tuple[float, Paragraph | RawTable | TextBlock]] = [(bbox[1], t) for bbox, t in ruled]
    outside = _outside([bbox for bbox, _t in ruled])
    chars = [c for c in page.chars if outside(c)] if ruled else page.chars
    h_edges = [e for e in page.edges if e["orientation"] == "h"]
    text_blocks, rest = find_text_blocks(chars, h_edges, _content_top(chars, page))
    for tb in text_blocks:
        top = tb.bbox[1]
        margin = not _TOP * page.height < top < (1 - _TOP) * page.height
        # A lone columnar line in a page margin is a running header or footer, never a table.
        if tb.weak and margin and len(tb.lines) == 1:
            blocks.extend(_lead_paragraphs(tb, page.number))
            blocks.append((top, Paragraph(text=tb.text, page=page.number, line=None)))
        else:
            blocks.extend(_split_weak(tb, page) or [(top, tb)])
    blocks.extend(_line_blocks(rest, page))
    blocks.sort(key=lambda b: b[0])
    return blocks


def _content_top(chars: list[dict], page: _Page) -> float:
    """Where the page's content starts: the outer 5% of the page holds only running headers, unless
    narrow margins set the page's first lines there, each within a table's row gap of the next down
    to the content (a table going on from the page before); a running header sits further apart."""
    top = _TOP * page.height
    if not chars or min(c["top"] for c in chars) >= top:
        return top
    height = _char_height(chars)
    lines = text_lines(chars, height)
    k = next((i for i, ln in enumerate(lines) if ln.top >= top), len(lines))
    if k == len(lines) or any(b.top - a.bottom >= _ROW_GAP * height for a, b in zip(lines, lines[1 : k + 1])):
        return top
    return min(top, lines[0].top)


def _split_weak(tb: TextBlock, page: _Page) -> list[tuple[float, Paragraph | CellColumn | TextBlock]]:
    """A weak block (one columnar line) that took in a one-cell-per-line table below it: that
    table, its other lines paragraphs. Empty when it holds no such table."""
    if not tb.weak:
        return []
    columns, lines = cell_columns(tb.lines, tb.height, 0.0, opens_page=False)
    if not any(c.anchored for c in columns):
        return []
    out: list = _lead_paragraphs(tb, page.number)
    for c in columns:
        c.page = page.number
        out.append((c.lines[0].top, c))
    out.extend((ln.top, Paragraph(text=t, page=page.number, line=None)) for ln in lines if (t := _line_text(ln)))
    return out


def _line_blocks(chars: list[dict], page: _Page) -> list[tuple[float, Paragraph | CellColumn]]:
    """Text outside tables: columns of one-cell lines (see `CellColumn`), else paragraphs (a body
    line wrapped at the right edge goes on on the next: `pdf_lines.paragraphs`)."""
    height = _char_height(chars)
    columns, lines = cell_columns(
        text_lines(chars, height), height, _content_top(chars, page), (1 - _TOP) * page.height
    )
    for c in columns:
        c.page = page.number
    out: list[tuple[float, Paragraph | CellColumn]] = [(c.lines[0].top, c) for c in columns]
    out.extend(_paragraphs(lines, height, page.number))
    out.sort(key=lambda b: b[0])
    return out


def _lead_paragraphs(tb: TextBlock, page_no: int, joined: bool = True) -> list[tuple[float, Paragraph]]:
    """A block's lead lines as the paragraphs they are when the block does not continue a table
    (`joined`: a body line wrapped at the right edge goes on on the next; else one a line)."""
    if joined:
        return _paragraphs(tb.lead, tb.height, page_no)
    out = [(ln.top, Paragraph(text=_line_text(ln), page=page_no, line=None)) for ln in tb.lead]
    return [(top, p) for top, p in out if p.text]


def _paragraphs(lines: list, height: float, page_no: int) -> list[tuple[float, Paragraph]]:
    """Lines as the paragraphs they print (`pdf_lines.paragraphs`): wrapped body lines joined."""
    out = []
    for group in paragraphs(lines, height):
        if text := "".join(_line_text(ln) for ln in group):
            out.append((group[0].top, Paragraph(text=text, page=page_no, line=None)))
    return out


def _char_height(chars: list[dict]) -> float:
    heights = sorted(c["bottom"] - c["top"] for c in chars)
    return heights[len(heights) // 2] if heights else 1.0


# --- pdfium ------------------------------------------------------------------------------------


def _unmapped(code: int) -> bool:
    """A glyph pdfium could not map to Unicode (pdfminer's `(cid:N)`): NUL, U+FFFD/FFFE, private use.
    Control characters are dropped as noise, not counted: they do not make a page unreadable."""
    return code in (0, 0xFFFD, 0xFFFE) or 0xE000 <= code <= 0xF8FF


def _pdfium_chars(textpage, height: float) -> tuple[list[dict], int]:
    """Characters as pdfplumber's char dicts (text, x0, x1, top, bottom, ...); and the count of
    glyphs without a Unicode mapping (what pdfminer prints as `(cid:N)`)."""
    raw = textpage.raw
    rect = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    chars: list[dict] = []
    bad = 0
    for i in range(pdfium_c.FPDFText_CountChars(raw)):
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        if pdfium_c.FPDFText_IsHyphen(raw, i):
            code = 45  # a hyphen ending a line, which pdfium reports as U+0002: keep it as printed
        if pdfium_c.FPDFText_IsGenerated(raw, i):
            if code == 32 and chars:  # pdfium reports the font's space as generated: keep it
                chars.append({**chars[-1], "text": " ", "x0": chars[-1]["x1"], "width": 0.0})
            continue
        if _unmapped(code):
            bad += 1
            continue
        if code < 32:  # line breaks and control characters
            continue
        pdfium_c.FPDFText_GetLooseCharBox(raw, i, ctypes.byref(rect))
        # Vertical extent from the baseline and the em size (as pdfminer does), not the glyph box:
        # some fonts report each glyph's own box, and a flat "一" would fall out of its line.
        pdfium_c.FPDFText_GetCharOrigin(raw, i, ctypes.byref(ox), ctypes.byref(oy))
        pdfium_c.FPDFText_GetMatrix(raw, i, ctypes.byref(matrix))
        em = pdfium_c.FPDFText_GetFontSize(raw, i) * (abs(matrix.d) or 1.0)
        top, bottom = height - oy.value - 0.88 * em, height - oy.value + 0.12 * em
        chars.append(
            {
                "text": chr(code),
                "x0": rect.left,
                "x1": rect.right,
                "top": top,
                "bottom": bottom,
                "doctop": top,
                "width": rect.right - rect.left,
                "height": bottom - top,
                "size": bottom - top,
                "upright": True,
                "object_type": "char",
            }
        )
    return chars, bad


def _path_edges(page, height: float) -> list[dict]:
    """Edges of axis-aligned rectangles and lines drawn by path objects, as pdfplumber makes them."""
    edges: list[dict] = []
    m = pdfium_c.FS_MATRIX()
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        obj = pdfium_c.FPDFPage_GetObject(page.raw, i)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m))
        points: list[tuple[float, float]] = []
        for k in range(pdfium_c.FPDFPath_CountSegments(obj)):
            seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
            pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
            kind = pdfium_c.FPDFPathSegment_GetType(seg)
            pt = (m.a * x.value + m.c * y.value + m.e, m.b * x.value + m.d * y.value + m.f)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                edges.extend(_subpath_edges(points, height))
                points = [pt]
            elif kind == pdfium_c.FPDF_SEGMENT_LINETO:
                points.append(pt)
            else:  # a curve: not a table rule
                points = []
            if pdfium_c.FPDFPathSegment_GetClose(seg) and points:
                points.append(points[0])
        edges.extend(_subpath_edges(points, height))
    return edges


def _subpath_edges(points: list[tuple[float, float]], height: float) -> list[dict]:
    """A closed axis-aligned 4-corner subpath is a rectangle (4 edges); other straight axis-aligned
    segments are lines."""
    if len(points) < 2:
        return []
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    closed = len(points) == 5 and points[0] == points[-1]
    if closed and all(abs(a[0] - b[0]) < 0.01 or abs(a[1] - b[1]) < 0.01 for a, b in zip(points, points[1:])):
        top = height - y1
        rect = {"x0": x0, "x1": x1, "y0": y0, "y1": y1, "top": top, "bottom": height - y0, "doctop": top}
        rect.update(width=x1 - x0, height=y1 - y0, object_type="rect")
        return rect_to_edges(rect)
    out = []
    for (ax, ay), (bx, by) in zip(points, points[1:]):
        if abs(ay - by) < 0.01 or abs(ax - bx) < 0.01:
            lx0, lx1, ly0, ly1 = min(ax, bx), max(ax, bx), min(ay, by), max(ay, by)
            out.append(
                {
                    "x0": lx0,
                    "x1": lx1,
                    "y0": ly0,
                    "y1": ly1,
                    "top": height - ly1,
                    "bottom": height - ly0,
                    "doctop": height - ly1,
                    "width": lx1 - lx0,
                    "height": ly1 - ly0,
                    "object_type": "line",
                    "orientation": "h" if abs(ay - by) < 0.01 else "v",
                }
            )
    return out


def _load(pdf, index: int) -> _Page:
    page = pdf[index]
    try:
        width, height = page.get_size()
        out = _Page(index + 1, width, height)
        n_objects = pdfium_c.FPDFPage_CountObjects(page.raw)
        if n_objects > limits.MAX_PAGE_OBJECTS:
            out.reason = _over(n_objects, "page objects", limits.MAX_PAGE_OBJECTS, "MAX_PAGE_OBJECTS")
            return out
        textpage = page.get_textpage()
        try:
            n = textpage.count_chars()
            if n > limits.MAX_PAGE_CHARS:
                out.reason = _over(n, "characters", limits.MAX_PAGE_CHARS, "MAX_PAGE_CHARS")
                return out
            out.chars, bad = _pdfium_chars(textpage, height)
        finally:
            textpage.close()
        if bad > max(5, len(out.chars) // 10):  # a few stray unmapped glyphs are dropped, not fatal
            out.reason = "glyphs without Unicode map (cid:)"
        elif not "".join(c["text"] for c in out.chars).strip():
            out.reason = "no text layer (scanned image?)"
        else:
            out.edges = _path_edges(page, height)
        return out
    finally:
        page.close()


def _over(n: int, what: str, cap: int, name: str) -> str:
    return f"{n:,} {what}, over the limit of {cap:,} ({name} in etl/limits.py)"


def _holds_table(page: _Page, after_table: bool = False) -> bool:
    """Triage: rules on the page, or two text lines split into columns; one such line when the
    page before ended in a table found in text (the table's last rows, mostly labels wrapped over
    lines of their own, with a single row of amounts, go on on this page)."""
    if page.edges:
        return True
    lines = text_lines(page.chars, _char_height(page.chars))
    return sum(len(ln.segments) >= 2 for ln in lines) >= (1 if after_table else 2)


def _text_page_blocks(page: _Page) -> list[tuple[float, Paragraph | CellColumn]]:
    return _line_blocks(page.chars, page)


# --- running headers and footers ---------------------------------------------------------------


def _running_keys(pages: dict[int, list[tuple[float, Paragraph | RawTable]]], heights: dict[int, float]) -> set:
    """Masked texts of margin lines that recur on at least half of the pages (three or more)."""
    counts: Counter = Counter()
    for no, blocks in pages.items():
        seen = {_key(top, b.text, heights[no]) for top, b in _with_lead(blocks) if isinstance(b, Paragraph)}
        counts.update(k for k in seen if k is not None)
    need = max(3, (len(pages) + 1) // 2)
    return {k for k, n in counts.items() if n >= need}


def _with_lead(blocks: list, page_no: int = 0) -> list:
    """Blocks with each text block's lead lines as paragraphs before it (the block keeps them)."""
    out = []
    for top, b in blocks:
        if isinstance(b, TextBlock):
            out.extend(_lead_paragraphs(b, page_no))
        if isinstance(b, CellColumn):
            out.extend(_column_paragraphs(b))
        out.append((top, b))
    return out


def _column_paragraphs(c: CellColumn) -> list[tuple[float, Paragraph]]:
    out = [(ln.top, Paragraph(text=_line_text(ln), page=c.page, line=None)) for ln in c.lines]
    return [(top, p) for top, p in out if p.text]


def _key(top: float, text: str, height: float):
    """(text with digits masked, top or bottom margin) for a line in a page margin, else None."""
    if _MARGIN * height < top < (1 - _MARGIN) * height:
        return None
    return (_DIGITS.sub("#", re.sub(r"\s+", "", text)), top < height / 2)


# --- reader ------------------------------------------------------------------------------------


def _open(path: Path):
    try:
        return pdfium.PdfDocument(str(path))
    except Exception as exc:  # pdfium raises PdfiumError for broken files
        raise DocumentError(f"corrupt or truncated PDF ({type(exc).__name__})") from exc


def _read_pages(path: Path) -> tuple[list[_Page], dict[int, list]]:
    pdf = _open(path)
    pages: list[_Page] = []
    blocks: dict[int, list] = {}
    try:
        n = len(pdf)
        if n == 0:
            raise DocumentError("PDF has no pages")
        if n > limits.MAX_PDF_PAGES:
            raise DocumentError(_over(n, "pages", limits.MAX_PDF_PAGES, "MAX_PDF_PAGES").join(("PDF has ", "")))
        after_table = False  # the page before ends in a table found in text
        for i in range(n):
            try:
                page = _load(pdf, i)
                if page.reason is None:
                    tabular = _holds_table(page, after_table)
                    blocks[page.number] = _page_blocks(page) if tabular else _text_page_blocks(page)
                    after_table = ends_in_text_table(blocks[page.number])
            except Exception as exc:  # a damaged page: report it, read the others
                page = _Page(i + 1, 595.0, 842.0, reason=f"unreadable ({type(exc).__name__})")
            page.chars, page.edges = [], []  # keep only the blocks
            pages.append(page)
    finally:
        try:
            pdf.close()
        except Exception:  # a damaged document may raise again on close; keep the first error
            pass
    return pages, blocks


def _text_tables(chain: list[tuple[int, TextBlock]], notes: list[str]) -> list[Paragraph | RawTable]:
    """One table found in text, possibly over several pages: columns shared by all its parts. Lead
    lines a part did not use as a cut row's tail come before it as paragraphs. How its columns were
    read, when the table's arithmetic chose it, goes to `notes` (the document's warnings)."""
    out: list[Paragraph | RawTable] = []
    boxes: list[list[list[Box | None]]] = []
    found: list[str] = []
    parts = grids([b for _p, b in chain], boxes, found)
    notes.extend(f"page {chain[0][0]}: {n}" for n in found)
    for (page_no, _b), (grid, unused), part_boxes in zip(chain, parts, boxes):
        out.extend(Paragraph(text=t, page=page_no, line=None) for ln in unused if (t := _line_text(ln)))
        if grid:
            out.append(RawTable(rows=_rows(grid, page_no, part_boxes), page=page_no, line=None))
    return out


def _column_table(item):
    """A column of one-cell lines as the one-cell-per-line table it prints (rows `["", cell]`, as
    the text reader gives them); other blocks as they are."""
    if not isinstance(item, CellColumn):
        return item
    rows = [
        Row(cells=["", clean_text(c).strip()], page=item.page, line=None, index=i, boxes=[None, box])
        for i, (c, box) in enumerate(zip(item.cells(), item.boxes()))
    ]
    return RawTable(rows=rows, page=item.page, line=None, open_top=item.continues_cell)


def _sequence(pages: list[_Page], blocks: dict[int, list]) -> list:
    """Blocks in reading order without running lines; runs of text-table parts with nothing
    between them (a table continued on the next page) become one list, read with shared columns.
    A lone columnar line (`weak`) is a table only when a table part on the next page continues it.
    A part's lead lines (see `TextBlock.lead`) stay with it only when it continues a part of an
    earlier page; otherwise they are the paragraphs they look like."""
    running = _running_keys(blocks, {p.number: p.height for p in pages})
    out: list = []

    def settle() -> None:  # a weak block nothing continued: paragraphs after all, line by line
        if out and isinstance(out[-1], list) and len(out[-1]) == 1 and out[-1][0][1].weak:
            no, b = out.pop()[0]
            out.extend(Paragraph(text=t, page=no, line=None) for t in b.text.split("\n"))

    def place(p: _Page, block) -> None:
        chain = out[-1] if out and isinstance(out[-1], list) else None
        if isinstance(block, TextBlock) and chain:
            # Parts join across a page break; on one page only strong parts join strong ones.
            if chain[-1][0] < p.number or not (block.weak or chain[-1][1].weak):
                chain.append((p.number, block))
                return
        settle()
        out.append([(p.number, block)] if isinstance(block, TextBlock) else block)

    for p in pages:
        for top, block in blocks.get(p.number, []):
            if isinstance(block, CellColumn):
                for item in _column_items(out, block, p, running):
                    place(p, item)
                continue
            if isinstance(block, TextBlock) and block.lead:
                lead = [(t, b) for t, b in _lead_paragraphs(block, p.number) if not _is_running(t, b, p, running)]
                chain = out[-1] if out and isinstance(out[-1], list) else None
                if chain is None or chain[-1][0] >= p.number:
                    block.lead = []
                    for _t, par in lead:
                        place(p, par)
                else:  # keep only the lines that are not running headers
                    lines = _lead_paragraphs(block, p.number, joined=False)
                    texts = {b.text for t, b in lines if not _is_running(t, b, p, running)}
                    block.lead = [ln for ln in block.lead if _line_text(ln) in texts]
            elif _is_running(top, block, p, running):
                continue
            place(p, block)
    settle()
    return out


def _column_items(out: list, c: CellColumn, p: _Page, running: set) -> list:
    """A column of one-cell lines without its running lines: a table under a title or going on
    from the page before, else the paragraphs its lines are."""
    texts = {b.text for t, b in _column_paragraphs(c) if not _is_running(t, b, p, running)}
    kept = [ln for ln in c.lines if _line_text(ln) in texts]
    if not (c.anchored or _continues_column(out, c) or _after_title(out, c)):
        return [b for _t, b in _paragraphs(kept, c.height, c.page)]  # wrapped body lines joined
    c.continues_cell = _continues_column(out, c) and out[-1].fills_width
    c.lines = kept
    return [c] if c.lines else []


def _continues_column(out: list, c: CellColumn) -> bool:
    """A column of one-cell lines opening a page goes on with one that ended the page before."""
    return (
        bool(out)
        and isinstance(out[-1], CellColumn)
        and out[-1].page < c.page
        and abs(out[-1].x0 - c.x0) <= 0.5 * c.height
    )


def _after_title(out: list, c: CellColumn) -> bool:
    """A column of one-cell lines opening a page under a table title that ended the page before."""
    return bool(out) and isinstance(out[-1], Paragraph) and out[-1].page < c.page and is_title(out[-1].text)


def _is_running(top: float, block, p: _Page, running: set) -> bool:
    """A page number, a margin line recurring on most pages, or a browser's print header or footer
    (date and time, the page's address) in a margin: these recur on too few pages of a one- or
    two-page print to be found by recurrence."""
    if not isinstance(block, Paragraph):
        return False
    key = _key(top, block.text, p.height)
    return bool(_RUNNING.match(block.text) or key in running or (key is not None and _BROWSER.match(block.text)))


def _line_text(ln) -> str:
    return clean_text(" ".join(s.text for s in ln.segments)).strip()


def _document_blocks(
    pages: list[_Page], blocks: dict[int, list], notes: list[str] | None = None
) -> list[Paragraph | RawTable]:
    """The pages' blocks as the document's paragraphs and raw tables, in reading order; a raw
    table with no text since the table before continues it. Column choices go to `notes`."""
    notes = [] if notes is None else notes
    out: list[Paragraph | RawTable] = []
    text_since_table = True
    for item in _sequence(pages, blocks):
        for block in _text_tables(item, notes) if isinstance(item, list) else [_column_table(item)]:
            if isinstance(block, RawTable):
                if block.open_top and isinstance(item, CellColumn) and out:
                    out[-1].open_bottom = True  # a cell cut by the page break
                block.continues_previous = not text_since_table
                text_since_table = False
            else:
                text_since_table = True
            out.append(block)
    return out


def char_page_blocks(number: int, size: tuple[float, float], chars: list[dict], after_table: bool = False) -> list:
    """The blocks of a page given as characters in points by another reader (OCR's text boxes as
    characters: etl.readers.ocr_chars), found as on a text page: tables in text, one-cell-per-line
    columns, paragraphs. `after_table`: the page before ended in a table found in text."""
    page = _Page(number, size[0], size[1], chars=chars)
    return _page_blocks(page) if _holds_table(page, after_table) else _text_page_blocks(page)


def ends_in_text_table(blocks: list) -> bool:
    """Whether a page's blocks end in a table found in text (it may go on on the next page)."""
    return bool(blocks) and isinstance(blocks[-1][1], TextBlock)


def assemble(sizes: dict[int, tuple[float, float]], blocks: dict[int, list], notes: list[str]) -> list:
    """Pages' blocks (`char_page_blocks`, and raw tables another reader found) as a document's
    paragraphs and raw tables, in reading order, as `read_pdf` assembles its own pages: running
    lines dropped, text tables continued over pages read with shared columns."""
    pages = [_Page(n, w, h) for n, (w, h) in sorted(sizes.items())]
    return _document_blocks(pages, blocks, notes)


def read_pdf(path: Path) -> Document:
    pages, blocks = _read_pages(path)
    doc = Document(path=str(path), file_name=path.name, fmt="pdf", page_count=len(pages))
    doc.blocks.extend(_document_blocks(pages, blocks, doc.warnings))
    sizes = {p.number: (round(p.width, 2), round(p.height, 2)) for p in pages}
    for block in doc.blocks:
        if isinstance(block, RawTable):
            for row in block.rows:
                row.page_size = sizes.get(row.page)
    unreadable = [f"page {p.number}: {p.reason}" for p in pages if p.reason]
    if len(unreadable) == doc.page_count:
        raise DocumentError(f"no readable text on any of {doc.page_count} pages: {unreadable[0]}")
    doc.warnings.extend(unreadable)
    return doc
