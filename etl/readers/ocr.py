"""Scanned PDFs: pages without a text layer are read by OCR (RapidOCR, models inside the wheel).

pypdfium2 tells cheaply which pages have no text (0.006 s a page); pages with text go through the
PDF reader as before, and pages it reports as `(cid:N)` glyphs (fonts without a Unicode map) are
OCR'd too. Each scanned page is rendered at 108 dpi and OCR'd; ruled tables are found
from the page's own rules (OpenCV morphology: long vertical and horizontal strokes), and every
text box whose centre falls inside a grid cell becomes that cell's text, so a table comes back as
rows and columns as from a text PDF. Text outside grids becomes paragraph lines.

Every block read this way is marked `ocr=True`, the pages are listed in `Document.ocr_pages`, and
a warning names them: OCR figures are lower-confidence. Without the OCR package installed, a
scanned page is reported as unreadable as before. OCR costs ~18 s of CPU per page; a file gets at
most 60 pages or 120 s of OCR, and the pages left are named in a warning.
"""

from __future__ import annotations

import functools
import re
import time
from pathlib import Path

from etl.model import Document, DocumentError, Paragraph, RawTable, Row
from etl.normalize import clean_text

MAX_OCR_PAGES = 60
MAX_OCR_SECONDS = 120.0  # per file; the build's worker allows 180 s for a whole parse
SCALE = 1.5  # 108 dpi: as accurate as 144 dpi on the samples' 10.5 pt text, half the CPU
MIN_SCORE = 0.5
_CID = re.compile(r"page (\d+): glyphs without Unicode map")


def mark_ocr(rows: dict[str, list[dict]], ocr_pages: list[int]) -> None:
    """Every fact read from an OCR'd page carries `extraction = 'ocr'` (column of every table
    with page provenance), so the app can show it as lower-confidence."""
    if not ocr_pages:
        return
    pages = set(ocr_pages)
    for table_rows in rows.values():
        for r in table_rows:
            if r.get("page") in pages:
                r["extraction"] = "ocr"


def textless_pages(path: Path) -> tuple[int, list[int]]:
    """Page count and the 1-based pages without a single character in their text layer."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception:  # damaged files: the PDF reader reports them with its own reason
        return 0, []
    try:
        empty = []
        for i in range(len(pdf)):
            page = pdf[i]
            try:
                tp = page.get_textpage()
                if not tp.get_text_range().strip():
                    empty.append(i + 1)
                tp.close()
            finally:
                page.close()
        return len(pdf), empty
    finally:
        pdf.close()


@functools.cache
def _engine():
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        return None
    return RapidOCR()


def _segments(mask, horizontal: bool, min_len: int) -> list[tuple[float, float, float]]:
    """Long strokes as (position, start, end): x,y0,y1 for vertical rules, y,x0,x1 for horizontal."""
    import cv2

    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (min_len, 1) if horizontal else (1, min_len))
    lines = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
    n, _labels, stats, _c = cv2.connectedComponentsWithStats(lines, connectivity=8)
    out = []
    for x, y, w, h, _area in stats[1:n]:
        out.append((y + h / 2, x, x + w) if horizontal else (x + w / 2, y, y + h))
    return out


def _cluster(values: list[float], tol: float = 6) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _grids(img) -> list[dict]:
    """Ruled tables: groups of vertical rules that overlap in height, with their row rules."""
    import cv2

    mask = (img < 160).astype("uint8") * 255
    mask = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (2, 2)))
    verticals = _segments(mask, False, 30)
    horizontals = _segments(mask, True, 40)
    groups: list[list[tuple[float, float, float]]] = []
    for v in sorted(verticals, key=lambda s: s[1]):
        for g in groups:
            if any(v[1] <= o[2] + 4 and o[1] <= v[2] + 4 for o in g):
                g.append(v)
                break
        else:
            groups.append([v])
    grids = []
    for g in groups:
        xs = _cluster([s[0] for s in g])
        if len(xs) < 3:
            continue
        top, bottom = min(s[1] for s in g), max(s[2] for s in g)
        ys = _cluster(
            [h[0] for h in horizontals if top - 4 <= h[0] <= bottom + 4 and h[1] <= xs[0] + 8 and h[2] >= xs[0] + 8]
            + [top, bottom]
        )
        grids.append({"xs": xs, "ys": ys, "top": top, "bottom": bottom})
    return grids


def _cell(grid: dict, cx: float, cy: float) -> tuple[int, int] | None:
    xs, ys = grid["xs"], grid["ys"]
    if not (xs[0] <= cx <= xs[-1] and ys[0] <= cy <= ys[-1]):
        return None
    col = max(i for i, x in enumerate(xs[:-1]) if x <= cx)
    row = max(i for i, y in enumerate(ys[:-1]) if y <= cy)
    return row, col


def _char_width(ch: str) -> float:
    return 0.5 if ord(ch) < 0x2E80 else 1.0  # ASCII digits and punctuation are half as wide as CJK


def _split_at_rules(boxes, grids):
    """A text box the detector drew across a column rule ("5,836.49二、外交") is cut at the rule,
    the text divided by the characters' widths (half for ASCII, full for CJK)."""
    out = []
    for box, text, score in boxes:
        xs, ys = [p[0] for p in box], [p[1] for p in box]
        x0, x1, cy = min(xs), max(xs), sum(ys) / 4
        cuts = sorted(x for g in grids if g["ys"][0] <= cy <= g["ys"][-1] for x in g["xs"] if x0 + 6 < x < x1 - 6)
        if not cuts or len(text) < 2:
            out.append((box, text, score))
            continue
        widths = [_char_width(c) for c in text]
        total, start, left = sum(widths), 0, x0
        for x in [*cuts, x1]:
            target = total * (x - x0) / (x1 - x0)
            end, acc = 0, 0.0
            while end < len(text) and acc + widths[end] / 2 <= target:
                acc += widths[end]
                end += 1
            if end > start:
                piece = [[left, min(ys)], [x, min(ys)], [x, max(ys)], [left, max(ys)]]
                out.append((piece, text[start:end], score))
            start, left = end, x
    return out


def _page_blocks(img, boxes, page_no: int) -> list[tuple[float, Paragraph | RawTable]]:
    grids = _grids(img)
    cells: dict[int, dict[tuple[int, int], list]] = {i: {} for i in range(len(grids))}
    loose = []
    for box, text, score in _split_at_rules(boxes, grids):
        if float(score) < MIN_SCORE or not text.strip():
            continue
        xs, ys = [p[0] for p in box], [p[1] for p in box]
        cx, cy, h = sum(xs) / 4, sum(ys) / 4, max(ys) - min(ys)
        for gi, g in enumerate(grids):
            rc = _cell(g, cx, cy)
            if rc is not None:
                cells[gi].setdefault(rc, []).append((cy, cx, text))
                break
        else:
            loose.append((cy, min(xs), h, text))
    blocks: list[tuple[float, Paragraph | RawTable]] = []
    for gi, g in enumerate(grids):
        rows = []
        for r in range(len(g["ys"]) - 1):
            row = []
            for c in range(len(g["xs"]) - 1):
                parts = sorted(cells[gi].get((r, c), []))
                row.append(clean_text("\n".join(t for _y, _x, t in parts)).strip())
            if any(row):
                rows.append(row)
        if rows:
            table = RawTable(rows=[], page=page_no, line=None)
            table.rows = [Row(cells=cs, page=page_no, line=None, index=i, ocr=True) for i, cs in enumerate(rows)]
            blocks.append((g["top"], table))
    loose.sort()
    line: list = []
    for item in loose + [None]:
        if item is not None and line and abs(item[0] - line[0][0]) <= 0.5 * max(line[0][2], 1):
            line.append(item)
            continue
        if line:
            text = clean_text(" ".join(t for _y, _x, _h, t in sorted(line, key=lambda i: i[1]))).strip()
            if text:
                blocks.append((line[0][0], Paragraph(text=text, page=page_no, line=None, ocr=True)))
        line = [item] if item is not None else []
    blocks.sort(key=lambda b: b[0])
    return blocks


def ocr_pages(path: Path, pages: list[int], budget_s: float = MAX_OCR_SECONDS) -> tuple[list, list[int]]:
    """Blocks of the given 1-based pages read by OCR, in page order, and the pages done within
    the time budget (the first page is always done)."""
    import pypdfium2 as pdfium

    engine = _engine()
    pdf = pdfium.PdfDocument(str(path))
    out: list[Paragraph | RawTable] = []
    done: list[int] = []
    start = time.monotonic()
    try:
        for page_no in pages:
            if done and time.monotonic() - start > budget_s:
                break
            page = pdf[page_no - 1]
            try:
                img = page.render(scale=SCALE, grayscale=True).to_numpy()
            finally:
                page.close()
            if img.ndim == 3:
                img = img[:, :, 0]
            result, _elapsed = engine(img)
            out.extend(b for _y, b in _page_blocks(img, result or [], page_no))
            done.append(page_no)
    finally:
        pdf.close()
    return out, done


def _text_pdf_and_pages_to_ocr(path: Path) -> tuple[Document | None, list[int], int]:
    """The PDF reader's document (None when no page has text) and the pages it could not read:
    no text layer, or glyphs without a Unicode map (`(cid:N)`), which only OCR can read."""
    from etl.readers.pdf import read_pdf

    n_pages, empty = textless_pages(path)
    if n_pages and len(empty) == n_pages:
        return None, empty, n_pages
    try:
        doc = read_pdf(path)
    except DocumentError as exc:
        if not _CID.search(str(exc)):
            raise
        return None, list(range(1, n_pages + 1)), n_pages  # every page unreadable, cid glyphs among them
    cid = {int(m) for w in doc.warnings for m in _CID.findall(w)}
    return doc, sorted(set(empty) | cid), n_pages


def read_pdf_or_scan(path: Path) -> Document:
    doc, todo, n_pages = _text_pdf_and_pages_to_ocr(path)
    if not todo or _engine() is None:
        if doc is None:  # the PDF reader names the reason
            from etl.readers.pdf import read_pdf

            return read_pdf(path)
        return doc
    if doc is None:
        doc = Document(path=str(path), file_name=path.name, fmt="pdf", page_count=n_pages)
    scanned, done = ocr_pages(path, todo[:MAX_OCR_PAGES])
    doc.warnings = [w for w in doc.warnings if not any(w.startswith(f"page {p}:") for p in done)]
    if not scanned and not doc.blocks:
        raise DocumentError(f"no readable text on any of {n_pages} pages: scanned pages and OCR found no text")
    doc.blocks = sorted(doc.blocks + scanned, key=lambda b: b.page)  # stable: keeps order within a page
    _continuations(doc)
    doc.ocr_pages = done
    doc.warnings.append(f"OCR on pages {_ranges(done)} (lower confidence)")
    skipped = [p for p in todo if p not in done]
    if skipped:
        doc.warnings.append(
            f"scanned pages {_ranges(skipped)} not read (OCR limit {MAX_OCR_PAGES} pages / {MAX_OCR_SECONDS:.0f} s)"
        )
    return doc


def _ranges(pages: list[int]) -> str:
    """[1, 2, 3, 7] -> '1-3, 7'."""
    out: list[str] = []
    for p in pages:
        if out and p == int(out[-1].split("-")[-1]) + 1:
            out[-1] = f"{out[-1].split('-')[0]}-{p}"
        else:
            out.append(str(p))
    return ", ".join(out)


def _continuations(doc: Document) -> None:
    """A table right after a table (no text between) continues it, as in the other readers."""
    text_since_table = True
    for b in doc.blocks:
        if isinstance(b, RawTable):
            b.continues_previous = not text_since_table
            text_since_table = False
        else:
            text_since_table = True
