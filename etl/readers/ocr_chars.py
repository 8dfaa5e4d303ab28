"""OCR text boxes as the PDF reader's characters, so that a scanned page without rules is read by
the same rule-less table reader as a text PDF (columns from the words' extents and the amounts'
right edges, rows from baselines, wrapped cells, one-cell-per-line runs: etl.readers.pdf_grid).

The detector gives a box per run of text and the recogniser its string, with no position for each
character. Two things matter to the table reader and are taken from the page's ink inside the
box, not from the box (which is padded, and wider than its text by a varying margin):

- where the text starts and ends: an amount's right edge sets its column;
- where a box holds two cells: the detector often joins a right-aligned amount to the label that
  starts just after it in the next column ("5,854.76一、一般公共服务"). The ink there has a gap
  wider than any gap inside a word; the text is divided between the ink runs by the characters'
  widths (full for CJK, about half for digits and Latin letters).

Every character of a page gets the same height (the page's median ink height of text lines),
centred on its box's ink, so that a label and its amounts, whose glyphs sit differently on the
baseline, fall on one line. Coordinates are in PDF points (pixels / render scale).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

# A dark pixel: below the box's own threshold between ink and paper (Otsu's), held within these
# bounds: a 150 dpi JPEG scan prints thin strokes in light grey, and a fixed dark threshold
# breaks characters into pieces with gaps as wide as those between cells.
INK_MIN, INK_MAX = 120, 215
# A gap in the ink wider than this many text heights separates two cells in one detected box: the
# gap between two characters of a word, or around a comma, is a fraction of that.
CELL_GAP = 0.45
# A character's vertical extent, in ink heights around the ink's centre (CJK glyphs fill about
# 0.9 of the em).
EM_PER_INK = 1.1
# Punctuation after which (or before which) a wide gap in the ink is within a sentence, not
# between cells: full-width marks print at one side of their em, brackets open onto their text.
SENTENCE_GAP_AFTER = set("，。、；：！？,;:!?）)】》”’")
OPENING = set("（(【《“‘")
SENTENCE_GAP_BEFORE = OPENING
# Share of a full-width punctuation mark's em its ink covers.
PUNCT_INK = 0.35
# An opening bracket's blank before its ink, in ems: full-width （ prints at the right of its em.
FULL_OPENING_BLANK, HALF_OPENING_BLANK = 0.55, 0.1
# A row of pixels belongs to the line's body when it holds this share of its densest row's ink.
BODY_ROW = 0.15
# Ink narrower than this many text heights, apart from the rest of its box, is a speck.
SPECK = 0.12


def char_width(ch: str) -> float:
    """Advance of a character in ems: CJK full, digits and letters about half, separators less."""
    if ord(ch) >= 0x2E80:
        return 1.0
    return 0.3 if ch in ".,:;'!|()-/ " else 0.55


def _bounds(img, box: Sequence[Sequence[float]]) -> tuple[int, int, int, int] | None:
    xs, ys = [p[0] for p in box], [p[1] for p in box]
    x0, x1 = max(int(min(xs)), 0), min(int(max(xs)) + 1, img.shape[1])
    y0, y1 = max(int(min(ys)), 0), min(int(max(ys)) + 1, img.shape[0])
    return (x0, y0, x1, y1) if x1 - x0 >= 2 and y1 - y0 >= 2 else None


def _threshold(crop) -> float:
    import cv2

    otsu, _ = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return min(max(float(otsu), INK_MIN), INK_MAX)


def ink_extent(img, box) -> tuple[list[tuple[int, int]], float, float] | None:
    """The runs of dark columns inside the box (x0, x1 in pixels, x1 exclusive) and the ink's top
    and bottom; None for a box with no ink (the recogniser read noise)."""
    import numpy as np

    b = _bounds(img, box)
    if b is None:
        return None
    x0, y0, x1, y1 = b
    crop = img[y0:y1, x0:x1]
    dark = crop < _threshold(crop)
    # The line's body, not a comma's tail or a quote mark standing above it: rows holding a fair
    # share of the densest row's ink.
    per_row = dark.sum(axis=1)
    rows = np.nonzero(per_row >= BODY_ROW * per_row.max())[0] if per_row.max() else per_row[:0]
    cols = dark.any(axis=0)
    if not len(rows):
        return None
    runs: list[tuple[int, int]] = []
    for x in np.nonzero(cols)[0]:
        if runs and runs[-1][1] == x0 + x:
            runs[-1] = (runs[-1][0], x0 + x + 1)
        else:
            runs.append((x0 + x, x0 + x + 1))
    return runs, float(y0 + rows[0]), float(y0 + rows[-1] + 1)


def _padded(box) -> tuple[list[tuple[int, int]], float, float]:
    xs, ys = [p[0] for p in box], [p[1] for p in box]
    pad = 0.15 * (max(ys) - min(ys))
    return [(int(min(xs) + pad), int(max(xs) - pad) + 1)], min(ys) + pad, max(ys) - pad


def words(runs: list[tuple[int, int]], height: float) -> list[tuple[int, int]]:
    """Ink runs joined across gaps narrower than CELL_GAP text heights: the box's cells."""
    out: list[tuple[int, int]] = []
    for a, b in runs:
        if out and a - out[-1][1] < CELL_GAP * height:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def split_text(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """The text divided over the ink spans: at its own spaces when they give as many parts, else
    at the character boundaries nearest the spans' share of the ink (by characters' widths)."""
    parts = text.split()
    if len(parts) == len(spans):
        return parts
    text = "".join(parts)
    widths = [char_width(c) for c in text]
    total, ink = sum(widths), sum(b - a for a, b in spans)
    out, start, acc, done_ink = [], 0, 0.0, 0
    for i, (a, b) in enumerate(spans):
        done_ink += b - a
        target = total * done_ink / ink if i < len(spans) - 1 else total
        end = start
        while end < len(text) and acc + widths[end] / 2 <= target:
            acc += widths[end]
            end += 1
        snapped = _at_punctuation(text, end, start) if i < len(spans) - 1 else len(text)
        acc += sum(widths[end:snapped]) - sum(widths[snapped:end])
        out.append(text[start:snapped])
        start = snapped
    return out


def _at_punctuation(text: str, end: int, start: int) -> int:
    """A boundary estimated from ink shares moved onto a punctuation mark next to it: the gap
    there is the mark's blank (see `_within_sentences`), not a character's. One character only:
    further off, the mark is another gap's and the estimate is the better guess."""
    for d in (0, 1, -1):
        j = end + d
        if start < j < len(text) and _sentence_gap(text[max(j - 2, 0) : j], text[j]):
            return j
    return end


def _char(ch: str, x0: float, x1: float, top: float, bottom: float) -> dict:
    return {
        "text": ch,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
        "size": bottom - top,
        "upright": True,
        "object_type": "char",
    }


def _spread(text: str, x0: float, x1: float, top: float, bottom: float) -> list[dict]:
    """The characters of one cell's text laid over its ink span by their widths."""
    widths = [char_width(c) for c in text]
    unit = (x1 - x0) / (sum(widths) or 1.0)
    out, x = [], x0
    for ch, w in zip(text, widths, strict=True):
        out.append(_char(ch, x, x + w * unit, top, bottom))
        x += w * unit
    return out


def box_chars(img, box, text: str, em: float | None, scale: float) -> list[dict]:
    """One detected box's text as characters in points: split where its ink says it holds two
    cells, each part spread over its own ink. `em`: the page's character height in pixels (None:
    this box's own ink height)."""
    found = ink_extent(img, box)
    text = text.strip()
    if not text:
        return []
    if found is None:  # too faint to measure: the box itself, less its padding
        found = _padded(box)
    runs, ink_top, ink_bottom = found
    own = EM_PER_INK * (ink_bottom - ink_top)
    height = em or own
    # Gaps are judged by the box's own type size when it prints CJK (a title set larger spaces
    # its characters wider), else by the page's: digits are shorter than the em.
    spans = words(runs, max(own, height) if _cjk(text) else height)
    if len(spans) > 1:  # specks of noise (JPEG, a stamp's edge) are not cells
        spans = [s for s in spans if s[1] - s[0] >= SPECK * height] or spans
    mid = (ink_top + ink_bottom) / 2
    top, bottom = (mid - height / 2) / scale, (mid + height / 2) / scale
    out: list[dict] = []
    for part, (a, b) in _within_sentences(split_text(text, spans), spans):
        out.extend(_spread(part, a / scale, b / scale, top, bottom))
    _punctuation_advance(out, (height / scale) * (1 - PUNCT_INK))
    return out


def _punctuation_advance(chars: list[dict], blank: float) -> None:
    """A box ending in a full-width comma or stop (ink at the left of its em), or starting with an
    opening bracket (ink at the right of its advance), gets the blank part of that advance back: the detector cuts a
    sentence into boxes at such marks, and the blank would look like a gap between two cells."""
    if chars and chars[-1]["text"] in SENTENCE_GAP_AFTER:
        chars[-1]["x1"] += blank
        chars[-1]["width"] += blank
    if chars and chars[0]["text"] in OPENING:  # the recogniser tells （ from (
        em = blank / (1 - PUNCT_INK)
        before = (FULL_OPENING_BLANK if ord(chars[0]["text"]) >= 0x2E80 else HALF_OPENING_BLANK) * em
        chars[0]["x0"] -= before
        chars[0]["width"] += before


def _sentence_gap(left: str, right: str) -> bool:
    """Whether a gap between text ending in `left` and text starting with `right` is a punctuation
    mark's own blank; a separator between digits (5,854.76) is part of a number, not a sentence."""
    if left[-1] in ",." and right.isdigit() and left[:-1][-1:].isdigit():
        return False
    return left[-1] in SENTENCE_GAP_AFTER or right in SENTENCE_GAP_BEFORE


def _within_sentences(parts: list[str], spans: list[tuple[int, int]]) -> list[tuple[str, tuple[int, int]]]:
    """Parts joined again where the gap is punctuation's own: a full-width comma or 、 prints its
    ink at one side of a whole em, so a sentence shows gaps as wide as two cells'. A gap after a
    part ending in punctuation, or before one starting with it, is inside a sentence."""
    out: list[tuple[str, tuple[int, int]]] = []
    for part, span in zip(parts, spans, strict=True):
        if not part:
            continue
        if out and _sentence_gap(out[-1][0][-2:], part[0]):
            out[-1] = (out[-1][0] + part, (out[-1][1][0], span[1]))
        else:
            out.append((part, span))
    return out


def _cjk(text: str) -> bool:
    return sum(ord(c) >= 0x2E80 for c in text) >= 2


def page_em(img, boxes: list) -> float | None:
    """The page's character height in pixels: the median ink height of its boxes of CJK text
    (digits and Latin letters are shorter and vary)."""
    heights = []
    for box, text, _s in boxes:
        if _cjk(text):
            found = ink_extent(img, box)
            if found is not None:
                heights.append(found[2] - found[1])
    return EM_PER_INK * statistics.median(heights) if heights else None


def page_chars(img, boxes: list, scale: float) -> list[dict]:
    """Every box's characters, in points, the page's character height for all of them."""
    em = page_em(img, boxes)
    return [c for box, text, _s in boxes for c in box_chars(img, box, text, em, scale)]
