"""A page scanned sideways or upside-down is turned upright from its detected text boxes and the
text-direction classifier (etl/readers/ocr_orientation.py), on small inline inputs: boxes as the
detector gives them (four corners clockwise from the top left), a fake classifier."""

from __future__ import annotations

import numpy as np

from etl.readers.ocr_orientation import lies_sideways, quarter_turns, shape_counts, upright


def box(x: float, y: float, w: float, h: float) -> list[list[float]]:
    return [[x, y], [x + w, y], [x + w, y + h], [x, y + h]]


WIDE = [box(20, 20 + 30 * i, 300, 20) for i in range(10)]  # ten lines of text across the page
TALL = [box(20 + 30 * i, 20, 20, 300) for i in range(10)]  # the same lines up the page
DIGITS = [box(400, 20 + 30 * i, 24, 20) for i in range(12)]  # squarish amounts: no direction


def classifier(answer: bool, seen: list | None = None):
    def upside_down(crops: list) -> list[bool]:
        if seen is not None:
            seen.extend(crops)
        return [answer] * len(crops)

    return upside_down


def test_box_shapes_say_which_way_the_text_runs():
    assert shape_counts(WIDE + DIGITS) == (10, 0)
    assert shape_counts(TALL + DIGITS) == (0, 10)
    assert not lies_sideways(WIDE + DIGITS)
    assert lies_sideways(TALL + DIGITS)
    assert not lies_sideways(TALL[:5])  # five tall boxes (a stamp, a signature) decide nothing
    assert not lies_sideways(TALL + WIDE)  # as many lines each way: read as it is


def test_a_sideways_page_turns_the_way_its_lines_read():
    img = np.full((400, 500), 255, np.uint8)
    seen: list = []
    assert quarter_turns(img, TALL, classifier(False, seen)) == -1  # upright once turned clockwise
    assert quarter_turns(img, TALL, classifier(True)) == 1  # upside-down that way: anticlockwise
    # The classifier sees the longest tall lines, each turned clockwise into a line across.
    assert len(seen) == 8 and all(c.shape == (21, 301) for c in seen)


def test_upright_and_upside_down_pages():
    img = np.full((400, 500), 255, np.uint8)
    assert quarter_turns(img, WIDE, classifier(False)) == 0
    assert quarter_turns(img, WIDE, classifier(True)) == 2
    assert quarter_turns(img, WIDE[:3], classifier(True)) == 0  # three lines decide nothing
    assert upright(img, WIDE, classifier(False)) is None


def test_the_turned_image_is_the_page_upright():
    page = np.full((300, 200), 255, np.uint8)
    page[10:20, 10:150] = 0  # a line of print near the top
    sideways = np.rot90(page, 1)  # fed the long way, anticlockwise
    tall = [box(10 + 15 * i, 50, 10, 140) for i in range(8)]
    turned = upright(sideways, tall, classifier(False))
    assert turned is not None and np.array_equal(turned, page)
