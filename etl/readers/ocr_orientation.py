"""A page scanned sideways (a landscape table fed through the scanner the long way) turned upright.

Deskewing straightens a page a few degrees off; a quarter turn is another matter: the recogniser
reads columns of characters as garbage, and every table of the page is lost. The text detector
finds text lines whatever their direction, so the OCR run that reads an upright page also tells
whether the page lies sideways: most of its boxes are tall and narrow instead of wide and low.
An upright page pays nothing more; a sideways page is turned and read again (about twice its OCR
time). Which way to turn it is asked of the text-direction classifier (upright or upside-down)
on a few of the detected lines, turned clockwise: the page's own print says which end is up. The
same classifier on an upright-looking page's longest lines finds a page fed upside-down.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

# A page lies sideways when its text boxes are at least this many times more often tall than wide,
# with at least MIN_TALL tall boxes (a page of three stamps or a signature decides nothing); as
# many wide boxes are needed to call a page upside-down.
SIDEWAYS_RATIO = 2.0
MIN_TALL = 6
# A box is tall (or wide) when one side is this many times the other; square boxes (one
# character, a number) say nothing about the direction of the text.
ELONGATED = 1.5
# Lines handed to the direction classifier: the longest, which carry the most characters.
SAMPLE_LINES = 8

Box = Sequence[Sequence[float]]  # four corners, clockwise from the top left as the detector gives them


def _sides(box: Box) -> tuple[float, float]:
    (x0, y0), (x1, y1), _c, (x3, y3) = box[0], box[1], box[2], box[3]
    along = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
    across = ((x3 - x0) ** 2 + (y3 - y0) ** 2) ** 0.5
    return along, across


def _direction(box: Box) -> str | None:
    """'wide' or 'tall' for an elongated box, None for a squarish one."""
    w, h = _sides(box)
    return "wide" if w > ELONGATED * h else "tall" if h > ELONGATED * w else None


def shape_counts(boxes: Sequence[Box]) -> tuple[int, int]:
    """(wide, tall): how many detected text boxes run across the page, how many up it."""
    directions = [_direction(b) for b in boxes]
    return directions.count("wide"), directions.count("tall")


def lies_sideways(boxes: Sequence[Box]) -> bool:
    """True when the page's text runs up or down it: the detector's boxes are mostly tall."""
    wide, tall = shape_counts(boxes)
    return tall >= MIN_TALL and tall >= SIDEWAYS_RATIO * max(wide, 1)


def _crop(img, box: Box):
    xs = [int(p[0]) for p in box]
    ys = [int(p[1]) for p in box]
    return img[max(min(ys), 0) : max(ys) + 1, max(min(xs), 0) : max(xs) + 1]


def _sample(img, boxes: Sequence[Box], direction: str, k: int) -> list:
    """The longest `direction` lines ('wide' or 'tall'), cut out and turned by k quarter turns."""
    import numpy as np

    pick = sorted((b for b in boxes if _direction(b) == direction), key=lambda b: max(_sides(b)), reverse=True)
    crops = (_crop(img, b) for b in pick[:SAMPLE_LINES])
    return [np.ascontiguousarray(np.rot90(c, k)) for c in crops if c.size]


def _mostly(flags: list[bool]) -> bool:
    return bool(flags) and sum(flags) * 2 > len(flags)


def quarter_turns(img, boxes: Sequence[Box], upside_down: Callable[[list], list[bool]]) -> int:
    """The anticlockwise quarter turns (numpy.rot90's k) that set the page upright: 0 for an upright
    page; for a sideways page -1 (clockwise) when its tall lines, turned clockwise, read upright,
    else 1; 2 for a page upside-down (its wide lines mostly read upside-down). `upside_down` is the
    direction classifier: text-line images -> whether each reads upside-down."""
    if lies_sideways(boxes):
        return 1 if _mostly(upside_down(_sample(img, boxes, "tall", -1))) else -1
    wide, _tall = shape_counts(boxes)
    if wide >= MIN_TALL and _mostly(upside_down(_sample(img, boxes, "wide", 0))):
        return 2
    return 0


def upright(img, boxes: Sequence[Box], upside_down: Callable[[list], list[bool]]):
    """The page image turned upright when `boxes` (its detected text) say it lies sideways or
    upside-down, else None (the page is read as it is)."""
    import numpy as np

    k = quarter_turns(img, boxes, upside_down)
    return np.ascontiguousarray(np.rot90(img, k)) if k else None
