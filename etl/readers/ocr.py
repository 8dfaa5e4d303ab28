"""Scanned PDFs: pages without a text layer are read by OCR (RapidOCR 3.x, models inside the wheel).

pypdfium2 tells cheaply which pages have no text (0.006 s a page); pages with text go through the
PDF reader as before, and pages it reports as `(cid:N)` glyphs (fonts without a Unicode map) are
OCR'd too. Pages without ink (a 36 dpi render with almost no dark pixel) are skipped before
OCR, so a file of blank scans is refused in seconds. Each other page is rendered at 108 dpi in
colour and straightened before OCR: red seal ink is dropped (red channel, clearly red pixels made
paper), a photographed page is cut out along its four corners and its light evened, the skew is
measured from the sharpness of the rows of ink and undone. A page fed sideways or upside-down
is turned upright between text detection and recognition (its detected boxes run up the page, or
its lines read upside-down: etl.readers.ocr_orientation) and detected again, and a warning names
it; its text is recognised once. Ruled tables are found from the page's
own rules (OpenCV morphology: long vertical and horizontal strokes), and every text box whose
centre falls inside a grid cell becomes that cell's text, so a table comes back as rows and
columns as from a text PDF. Text outside grids (and pages printed without rules) becomes
characters for the PDF reader's rule-less table finder (etl.readers.ocr_chars), so tables without
rules, wrapped cells and paragraphs come back as from a text PDF.

Every block read this way is marked `ocr=True`, the pages are listed in `Document.ocr_pages`, and
a warning names them: OCR figures are lower-confidence, and `mark_ocr` checks them against the
document's other statements (etl.ocr_consensus). Without an OCR package installed, a scanned page
is reported as unreadable as before. A file gets at most 60 pages or 300 CPU-seconds of OCR, and
the pages left are named in a warning.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from etl.model import Document, DocumentError, Paragraph, RawTable, Row
from etl.normalize import clean_text
from etl.readers.ocr_chars import char_width

MAX_OCR_PAGES = 60
MAX_OCR_SECONDS = 300.0  # CPU seconds per file (all threads); the build worker also allows 180 s of wall time
SCALE = 1.5  # 108 dpi: as accurate as 144 dpi on the samples' 10.5 pt text, half the CPU
RED_INK = 25  # red minus the mean of green and blue above which a pixel is seal ink
BLANK_INK = 0.0005  # share of clearly dark pixels (of a 36 dpi render) below which a page is blank
MIN_SCORE = 0.5
_CID = re.compile(r"page (\d+): glyphs without Unicode map")
# How a page lay, by the anticlockwise quarter turns that set it upright (numpy.rot90's k).
_TURNED = {1: "a quarter turn clockwise", -1: "a quarter turn anticlockwise", 2: "upside-down"}


def mark_ocr(rows: dict[str, list[dict]], ocr_pages: list[int]) -> None:
    """Every fact read from an OCR'd page carries `extraction = 'ocr'` (column of every table
    with page provenance), so the app can show it as lower-confidence; its amounts are checked
    against the document's other statements of the same figure (etl.ocr_consensus): a misread
    is replaced by the value they agree on (`ocr_misread` keeps what OCR read), an amount nothing
    confirms and a check contradicts gets `ocr_unconfirmed = True`."""
    if not ocr_pages:
        return
    from etl.ocr_consensus import reconcile

    pages = set(ocr_pages)
    for table_rows in rows.values():
        for r in table_rows:
            if r.get("page") in pages:
                r["extraction"] = "ocr"
    reconcile(rows, ocr_pages)


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
    """The OCR package's steps (Engine), or None without an OCR package: RapidOCR 3.x
    (PP-OCRv6 models inside the wheel), else rapidocr-onnxruntime 1.4 (PP-OCRv4). One thread:
    on a machine whose cores are shared by build workers, onnxruntime's thread pool spins and
    burns more CPU than it saves. The recogniser's own angle classifier is off (it would run on
    every line of every page); the page's orientation is decided once a page, from its detected
    boxes and the classifier on a few lines (etl.readers.ocr_orientation)."""
    return _engine_v3() or _engine_v1()


class Engine(NamedTuple):
    """An OCR package as the reader uses it, in its two steps so that a page's orientation can be
    decided between them: `detect` an image -> text boxes (four corners each), `recognise` an
    image and its boxes -> [(box, text, score)] (lines it reads as nothing, or below the package's
    text score, dropped as the package's own run drops them), `upside_down` text-line images ->
    whether each reads upside-down."""

    detect: Callable[[Any], list]
    recognise: Callable[[Any, list], list]
    upside_down: Callable[[list], list[bool]]


def _colour(img):
    """The page as the packages' own runs see it: three channels (their loaders turn grey to BGR)."""
    import numpy as np

    return np.dstack([img] * 3) if img.ndim == 2 else img


def _kept(boxes: list, texts: Sequence[str], scores: Sequence[float], floor: float) -> list:
    """(box, text, score) of the lines read as something at or above the package's text score."""
    return [(b, t, float(s)) for b, t, s in zip(boxes, texts, scores, strict=True) if t.strip() and s >= floor]


def _engine_v3():
    try:
        from rapidocr import RapidOCR
        from rapidocr.utils.process_img import get_rotate_crop_image
    except ImportError:
        return None
    import numpy as np

    engine = RapidOCR(
        params={
            "Global.log_level": "error",
            "Global.use_cls": False,
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
    )
    floor = float(engine.cfg.Global.text_score)

    def detect(img) -> list:
        # every flag given: RapidOCR keeps the last call's flags, and upside_down() changes them
        out = engine(img, use_det=True, use_cls=False, use_rec=False)
        return [] if getattr(out, "boxes", None) is None else out.boxes.tolist()

    def recognise(img, boxes: list) -> list:
        if not boxes:
            return []
        img = _colour(img)
        crops = [get_rotate_crop_image(img, np.array(b, dtype=np.float32)) for b in boxes]
        out = engine.recognize_txt(crops)
        return _kept(boxes, out.txts, out.scores, floor)

    def upside_down(crops: list) -> list[bool]:
        return [engine(c, use_det=False, use_cls=True, use_rec=False).cls_res[0][0] == "180" for c in crops]

    return Engine(detect, recognise, upside_down)


def _engine_v1():
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        return None
    import numpy as np

    engine = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)

    def detect(img) -> list:
        boxes, _elapsed = engine(img, use_det=True, use_cls=False, use_rec=False)
        return boxes or []

    def recognise(img, boxes: list) -> list:
        if not boxes:
            return []
        crops = engine.get_crop_img_list(_colour(img), np.array(boxes, dtype=np.float32))
        read, _elapsed = engine.text_rec(crops)
        return _kept(boxes, [r[0] for r in read], [r[1] for r in read], engine.text_score)

    def upside_down(crops: list) -> list[bool]:
        if not crops:
            return []
        labels = engine.text_cls([np.dstack([c] * 3) for c in crops])[1]  # (images, labels, time); 3 channels
        return [label == "180" for label, _score in labels]

    return Engine(detect, recognise, upside_down)


def _page_gray(page, scale: float = SCALE):
    """The page rendered in colour, as one grey channel without red ink: the red channel keeps
    black print black and turns a red seal over a table into light grey, and pixels clearly red
    become paper, so neither the rules nor the recogniser see the seal."""
    import numpy as np

    rgb = page.render(scale=scale, rev_byteorder=True).to_numpy()
    if rgb.ndim != 3:
        return rgb
    red, green, blue = (rgb[:, :, i].astype(np.int16) for i in range(3))
    gray = rgb[:, :, 0].copy()
    gray[(red - (green + blue) // 2 > RED_INK) & (red > 140)] = 255  # seal ink, not print under it
    return gray


def _is_blank(page) -> bool:
    """A page with (almost) no ink, from a 36 dpi render: fewer than 0.05% of its pixels clearly
    darker than the paper. A scanned page number or a speck of dust is not worth an OCR run."""
    import numpy as np

    g = _page_gray(page, 0.5)
    paper = float(np.percentile(g, 90))
    return float((g < paper - 60).mean()) < BLANK_INK


def _flatten_light(img):
    """Uneven light (a photo) divided out: the paper's brightness from a closing at 1/4 scale."""
    import cv2
    import numpy as np

    h, w = img.shape
    small = cv2.resize(img, (w // 4, h // 4), interpolation=cv2.INTER_AREA)
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (15, 15)))
    paper = cv2.resize(paper, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    return (img.astype(np.float32) / np.maximum(paper, 1) * 255).clip(0, 255).astype(np.uint8)


def _dewarp(img):
    """A page photographed at an angle (paper lighter than the desk around it) is cut out along
    its four corners and warped back to a rectangle; a scan (paper to the edge) is left as it is."""
    import cv2
    import numpy as np

    h, w = img.shape
    m = max(min(h, w) // 100, 2)
    frame = np.concatenate([img[:m].ravel(), img[-m:].ravel(), img[:, :m].ravel(), img[:, -m:].ravel()])
    if float(np.median(frame)) > 170:
        return img
    _t, mask = cv2.threshold(cv2.GaussianBlur(img, (9, 9), 0), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (25, 25)))
    contours, _h = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return img
    page = max(contours, key=cv2.contourArea)
    if cv2.contourArea(page) < 0.4 * h * w:
        return img
    quad = cv2.approxPolyDP(cv2.convexHull(page), 0.02 * cv2.arcLength(page, True), True)
    if len(quad) != 4:
        return img
    pts = quad.reshape(4, 2).astype(np.float32)
    s, d = pts.sum(axis=1), np.diff(pts, axis=1).ravel()
    tl, br, tr, bl = pts[s.argmin()], pts[s.argmax()], pts[d.argmin()], pts[d.argmax()]
    width = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    target = np.float32([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]])
    warp = cv2.getPerspectiveTransform(np.float32([tl, tr, br, bl]), target)
    flat = cv2.warpPerspective(img, warp, (width, height), flags=cv2.INTER_CUBIC, borderValue=255)
    return _flatten_light(flat)


def _skew_angle(img) -> float:
    """Degrees the print lies rotated (anticlockwise positive): the angle at which the dark
    pixels' rows are sharpest (largest sum of squared row counts), coarse then fine."""
    import numpy as np

    ys, xs = np.nonzero(img[::2, ::2] < 140)
    if len(ys) < 200:
        return 0.0
    if len(ys) > 60000:
        pick = np.random.default_rng(0).choice(len(ys), 60000, replace=False)
        ys, xs = ys[pick], xs[pick]
    ys, xs = ys.astype(np.float64), xs.astype(np.float64)

    def sharpness(deg: float) -> float:
        a = np.radians(deg)
        rows = np.round(ys * np.cos(a) + xs * np.sin(a)).astype(np.int64)
        counts = np.bincount(rows - rows.min())
        return float((counts.astype(np.float64) ** 2).sum())

    best = max(np.arange(-5, 5.01, 0.25), key=sharpness)
    return float(max(np.arange(best - 0.25, best + 0.26, 0.05), key=sharpness))


def _deskew(img):
    import cv2

    angle = _skew_angle(img)
    if abs(angle) < 0.1:
        return img
    h, w = img.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)


def prepare(img):
    """A scanned or photographed page straightened for the rules and the recogniser."""
    return _deskew(_dewarp(img))


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
    import numpy as np

    # Rules darker than the paper by 50 levels: a photo's blur leaves a thin rule at ~170 grey.
    level = max(160, min(210, float(np.percentile(img[::4, ::4], 90)) - 50))
    mask = (img < level).astype("uint8") * 255
    mask = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (2, 2)))
    horizontals = _segments(mask, True, 40)
    verticals = [v for v in _segments(mask, False, 18) if v[2] - v[1] >= 30 or _boxed(v, horizontals)]
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
            [h[0] for h in horizontals if top - 4 <= h[0] <= bottom + 4 and h[1] <= xs[0] + 8 and h[2] >= xs[1] - 8]
            + [top, bottom]
        )
        grids.append({"xs": xs, "ys": ys, "top": top, "bottom": bottom})
    return grids


def _only_symbols(text: str) -> bool:
    """Box text made of symbols only ('■' for a black area, a punch hole, a dark scan border);
    dashes and other punctuation stay (a '-' in a cell means nothing there)."""
    import unicodedata

    return all(unicodedata.category(c) == "So" or c.isspace() for c in text)


def _boxed(v: tuple[float, float, float], horizontals: list[tuple[float, float, float]]) -> bool:
    """A short vertical stroke is a rule when row rules meet both its ends: the border of a
    one-row table (~20 px tall), not the stroke of a large character (which stands in padding)."""

    def meets(y: float) -> bool:
        return any(abs(h[0] - y) <= 4 and h[1] - 4 <= v[0] <= h[2] + 4 for h in horizontals)

    return meets(v[1]) and meets(v[2])


def _cell(grid: dict, cx: float, cy: float) -> tuple[int, int] | None:
    xs, ys = grid["xs"], grid["ys"]
    if not (xs[0] <= cx <= xs[-1] and ys[0] <= cy <= ys[-1]):
        return None
    col = max(i for i, x in enumerate(xs[:-1]) if x <= cx)
    row = max(i for i, y in enumerate(ys[:-1]) if y <= cy)
    return row, col


def _ink_spans(img, box, cuts: list[float], rules: list[float]) -> list[float] | None:
    """Width of the ink of each piece between the cuts (rules and a few pixels around them
    blanked), from the first to the last dark column of the piece: the white padding between two
    cells' texts is not text, so pieces are divided by the ink they hold."""
    import numpy as np

    if img is None:
        return None
    xs, ys = [p[0] for p in box], [p[1] for p in box]
    x0, x1 = max(int(min(xs)), 0), min(int(max(xs)) + 1, img.shape[1])
    y0, y1 = max(int(min(ys)) + 2, 0), min(int(max(ys)) - 1, img.shape[0])
    if x1 - x0 < 4 or y1 - y0 < 3:
        return None
    dark = (img[y0:y1, x0:x1] < 150).any(axis=0)
    for x in rules:  # every rule under the box, also one at its very edge
        dark[max(int(x) - x0 - 3, 0) : max(int(x) - x0 + 4, 0)] = False
    edges = [x0, *cuts, x1]
    out = []
    for a, b in zip(edges, edges[1:], strict=False):
        cols = np.nonzero(dark[max(int(a) - x0, 0) : max(int(b) - x0, 0)])[0]
        out.append(float(cols[-1] - cols[0] + 1) if len(cols) else 0.0)
    return out if sum(out) > 0 else None


def _split_at_rules(boxes, grids, img=None):
    """A text box the detector drew across a column rule ("5,836.49二、外交") is cut at the rule,
    the text divided by the characters' widths (half for ASCII, full for CJK) in proportion to
    the ink on either side of the rule."""
    out = []
    for box, text, score in boxes:
        xs, ys = [p[0] for p in box], [p[1] for p in box]
        x0, x1, cy = min(xs), max(xs), sum(ys) / 4
        cuts = sorted(x for g in grids if g["ys"][0] <= cy <= g["ys"][-1] for x in g["xs"] if x0 + 6 < x < x1 - 6)
        if not cuts or len(text) < 2:
            out.append((box, text, score))
            continue
        widths = [char_width(c) for c in text]
        total = sum(widths)
        rules = [x for g in grids if g["ys"][0] <= cy <= g["ys"][-1] for x in g["xs"] if x0 - 4 <= x <= x1 + 4]
        ink = _ink_spans(img, box, cuts, rules)
        if ink is None:
            bounds = [total * (x - x0) / (x1 - x0) for x in cuts]
        else:
            bounds = [total * sum(ink[: i + 1]) / sum(ink) for i in range(len(cuts))]
        start, left = 0, x0
        for x, target in zip([*cuts, x1], [*bounds, total], strict=True):
            end, acc = 0, 0.0
            while end < len(text) and acc + widths[end] / 2 <= target:
                acc += widths[end]
                end += 1
            if end > start and not _covered(left, x, min(ys), max(ys), box, boxes):
                piece = [[left, min(ys)], [x, min(ys)], [x, max(ys)], [left, max(ys)]]
                out.append((piece, text[start:end], score))
            start, left = max(start, end), x
    return out


def _covered(x0: float, x1: float, y0: float, y1: float, own, boxes) -> bool:
    """Whether another box on the same line already holds most of this piece: the detector
    sometimes draws two overlapping boxes ("12,615,180.13" and "312,615,180.13"), and the piece of
    the second left of the rule is the first number's last digit again."""
    for box, _t, _s in boxes:
        if box is own:
            continue
        bx, by = [p[0] for p in box], [p[1] for p in box]
        if min(y1, max(by)) - max(y0, min(by)) < 0.5 * (y1 - y0):
            continue
        if min(x1, max(bx)) - max(x0, min(bx)) >= 0.6 * (x1 - x0):
            return True
    return False


def _grid_tables(grids: list[dict], cells: dict[int, dict[tuple[int, int], list]], page_no: int) -> list:
    """(top in points, raw table) of each ruled grid holding text."""
    out = []
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
            out.append((g["top"] / SCALE, table))
    return out


def _page_blocks(img, boxes, page_no: int, after_table: bool = False) -> list[tuple[float, Any]]:
    """A page's blocks, tops in points: ruled grids as raw tables (each box in the cell under its
    centre), the text outside them as the PDF reader finds blocks in a text page's characters
    (tables without rules, one-cell-per-line columns, paragraphs; etl.readers.ocr_chars)."""
    from etl.readers.ocr_chars import page_chars
    from etl.readers.pdf import char_page_blocks

    grids = _grids(img)
    cells: dict[int, dict[tuple[int, int], list]] = {i: {} for i in range(len(grids))}
    loose = []
    for box, text, score in _split_at_rules(boxes, grids, img):
        if float(score) < MIN_SCORE or not text.strip() or _only_symbols(text):
            continue
        xs, ys = [p[0] for p in box], [p[1] for p in box]
        cx, cy = sum(xs) / 4, sum(ys) / 4
        for gi, g in enumerate(grids):
            rc = _cell(g, cx, cy)
            if rc is not None:
                cells[gi].setdefault(rc, []).append((cy, cx, text))
                break
        else:
            loose.append((box, text, score))  # as printed: the PDF reader cleans text per line
    blocks = _grid_tables(grids, cells, page_no)
    size = (img.shape[1] / SCALE, img.shape[0] / SCALE)
    blocks.extend(char_page_blocks(page_no, size, page_chars(img, loose, SCALE), after_table))
    blocks.sort(key=lambda b: b[0])
    _mark_read_by_ocr([b for _t, b in blocks if isinstance(b, Paragraph | RawTable)], {page_no: size})
    return blocks


def ocr_pages(
    path: Path, pages: list[int], notes: list[str], budget_s: float = MAX_OCR_SECONDS
) -> tuple[list, list[int], list]:
    """Blocks of the given 1-based pages read by OCR, in page order, the pages done within the
    time budget (the first page is always done), and (page, quarter turns) of pages turned upright.
    How the columns of a table found in text were chosen goes to `notes`."""
    import pypdfium2 as pdfium

    from etl.readers.pdf import assemble, ends_in_text_table

    engine = _engine()
    pdf = pdfium.PdfDocument(str(path))
    blocks: dict[int, list] = {}
    sizes: dict[int, tuple[float, float]] = {}
    done: list[int] = []
    turned: list[tuple[int, int]] = []
    start = time.process_time()
    try:
        for page_no in pages:
            if done and time.process_time() - start > budget_s:
                break
            page = pdf[page_no - 1]
            try:
                img = prepare(_page_gray(page))
            finally:
                page.close()
            img, boxes, k = _read_upright(engine, img)
            if k:
                turned.append((page_no, k))
            after = bool(done) and done[-1] == page_no - 1 and ends_in_text_table(blocks[done[-1]])
            blocks[page_no] = _page_blocks(img, boxes, page_no, after)
            sizes[page_no] = (img.shape[1] / SCALE, img.shape[0] / SCALE)
            done.append(page_no)
    finally:
        pdf.close()
    out = assemble(sizes, blocks, notes)
    _mark_read_by_ocr(out, sizes)
    return out, done, turned


def _mark_read_by_ocr(blocks: list, sizes: dict[int, tuple[float, float]]) -> None:
    """Every paragraph and row read from page images says so, rows with their page's size."""
    for b in blocks:
        if isinstance(b, Paragraph):
            b.ocr = True
        else:
            for r in b.rows:
                r.ocr, r.page_size = True, sizes.get(r.page)


def _read_upright(engine: Engine, img):
    """The page's image, its read text boxes and the quarter turns it took. The text is detected
    first and read only once the page is known to be upright: a page scanned sideways or
    upside-down (its detected boxes say so) is turned, straightened again and detected again, so a
    turned page costs one more detection (about a third of its OCR), not a second full read."""
    from etl.readers.ocr_orientation import quarter_turns

    boxes = engine.detect(img)
    k = quarter_turns(img, boxes, engine.upside_down)
    if k:
        import numpy as np

        img = prepare(np.ascontiguousarray(np.rot90(img, k)))
        boxes = engine.detect(img)
    return img, engine.recognise(img, boxes), k


def blank_pages(path: Path, pages: list[int]) -> list[int]:
    """Those of the given 1-based pages that carry no ink: no page object at all, or a
    render at 36 dpi with (almost) no dark pixels. A few milliseconds a page, so a file of hundreds of empty
    scans is refused in seconds instead of going through OCR."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    out = []
    try:
        for page_no in pages:
            page = pdf[page_no - 1]
            try:
                if next(iter(page.get_objects()), None) is None or _is_blank(page):
                    out.append(page_no)
            finally:
                page.close()
    finally:
        pdf.close()
    return out


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
    blank = blank_pages(path, todo)
    if doc is None and len(blank) == len(todo):
        raise DocumentError(f"no readable text on any of {n_pages} pages: every page is blank (no text, no ink)")
    todo = [p for p in todo if p not in set(blank)]
    if doc is None:
        doc = Document(path=str(path), file_name=path.name, fmt="pdf", page_count=n_pages)
    notes: list[str] = []
    scanned, done, turned = ocr_pages(path, todo[:MAX_OCR_PAGES], notes)
    doc.warnings = [w for w in doc.warnings if not any(w.startswith(f"page {p}:") for p in done + blank)]
    doc.warnings.extend(notes)
    if not scanned and not doc.blocks:
        raise DocumentError(f"no readable text on any of {n_pages} pages: scanned pages and OCR found no text")
    if blank:
        doc.warnings.append(f"pages {_ranges(blank)} blank (no text layer, no ink)")
    doc.blocks = sorted(doc.blocks + scanned, key=lambda b: b.page)  # stable: keeps order within a page
    _continuations(doc)
    _finish_cut_rows(doc)
    doc.ocr_pages = done
    doc.warnings.append(f"OCR on pages {_ranges(done)} (lower confidence)")
    for k in (1, -1, 2):
        pages = [p for p, turns in turned if turns == k]
        if pages:
            noun = "page" if len(pages) == 1 else "pages"
            doc.warnings.append(f"{noun} {_ranges(pages)} lay {_TURNED[k]} in the scan: turned upright before OCR")
    skipped = [p for p in todo if p not in done]
    if skipped:
        doc.warnings.append(
            f"scanned pages {_ranges(skipped)} not read (OCR limit {MAX_OCR_PAGES} pages / {MAX_OCR_SECONDS:.0f} CPU-s)"
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


_NUMBER = re.compile(r"^[\d,.\-%]+$")


def _finish_cut_rows(doc: Document) -> None:
    """A row cut by a page break: the first row of an OCR'd table that goes on from the page
    before fills fewer cells than the last row there, only cells whose text ran down to the cut (a name printed one character per
    line, '洛阳市孟津区社会保险' | '中心'), and no amount: it finishes that last row, as in the PDF reader."""
    prev = None
    for b in list(doc.blocks):
        if not isinstance(b, RawTable):
            prev = None
            continue
        if prev is not None and b.continues_previous and b.rows and prev.rows and b.rows[0].ocr:
            first, last = b.rows[0].cells, prev.rows[-1].cells
            filled = [i for i, c in enumerate(first) if c]
            if (
                b.page != prev.page
                and len(first) == len(last)
                and filled
                and len(filled) < sum(1 for c in last if c)  # a tail, not a row like the others
                and all(last[i] and not _NUMBER.match(last[i]) and not _NUMBER.match(first[i]) for i in filled)
            ):
                for i in filled:
                    last[i] = f"{last[i]}\n{first[i]}"
                b.rows = b.rows[1:]
                for k, r in enumerate(b.rows):
                    r.index = k
                if not b.rows:
                    doc.blocks.remove(b)
                    continue
        prev = b
