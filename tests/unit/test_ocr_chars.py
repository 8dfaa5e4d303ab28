"""OCR text boxes as the PDF reader's characters (etl.readers.ocr_chars): small drawn inputs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from etl.readers.ocr_chars import box_chars, split_text, words

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def test_ink_runs_join_across_gaps_inside_a_word_not_between_cells():
    # text height 20 px: gaps of 4 px are inside a word, 30 px is between two cells
    assert words([(0, 10), (14, 30), (60, 80), (83, 90)], 20.0) == [(0, 30), (60, 90)]


def test_text_is_divided_over_ink_spans_by_character_widths():
    # "一般公共预算" (6 CJK ems, 20 px each) then "5,854.76" (3.9 ems): the boundary by ink share
    assert split_text("一般公共预算5,854.76", [(0, 120), (150, 228)]) == ["一般公共预算", "5,854.76"]
    # the text's own spaces, when they give as many parts as the ink
    assert split_text("项目 金额", [(0, 40), (200, 240)]) == ["项目", "金额"]
    # a boundary estimated one character off is moved onto the comma the gap belongs to
    assert split_text("万元，其中", [(0, 50), (70, 110)])[0].endswith("，")


def _drawn(lines: list[tuple[int, int, str]], size=(700, 60)):
    from PIL import Image, ImageDraw, ImageFont

    if not FONT.exists():
        pytest.skip("Noto CJK font not installed")
    img = Image.new("L", size, 255)
    draw = ImageDraw.Draw(img)
    for x, y, text in lines:
        draw.text((x, y), text, fill=0, font=ImageFont.truetype(str(FONT), 20))
    return np.asarray(img)


def _text_runs(chars: list[dict]) -> list[tuple[str, float]]:
    """(text, x0) of each run of touching characters."""
    out: list[list] = []
    for c in chars:
        if out and c["x0"] - out[-1][2] < 1:
            out[-1][0] += c["text"]
        else:
            out.append([c["text"], c["x0"], 0.0])
        out[-1][2] = c["x1"]
    return [(t, x0) for t, x0, _x1 in out]


def test_a_box_over_an_amount_and_the_next_cells_label_becomes_two_cells():
    """The detector's one box over '5,836.49' (right-aligned) and '二、外交' (the next column's
    label): two runs of characters where the ink is, in points (scale 1.5)."""
    img = _drawn([(40, 15, "5,836.49"), (200, 15, "二、外交")])
    box = [[30, 8], [320, 8], [320, 45], [30, 45]]
    runs = _text_runs(box_chars(img, box, "5,836.49二、外交", None, 1.5))
    assert [t for t, _x in runs] == ["5,836.49", "二、外交"]
    assert abs(runs[0][1] - 40 / 1.5) < 3 and abs(runs[1][1] - 200 / 1.5) < 3


def test_a_sentence_stays_one_run_across_its_commas():
    """A full-width comma prints its ink at the left of its em: the blank after it is no cell gap."""
    img = _drawn([(20, 15, "支出合计5854.76万元，其中：基本支出70.8万元。")])
    box = [[10, 8], [690, 8], [690, 45], [10, 45]]
    runs = _text_runs(box_chars(img, box, "支出合计5854.76万元，其中：基本支出70.8万元。", None, 1.5))
    assert [t for t, _x in runs] == ["支出合计5854.76万元，其中：基本支出70.8万元。"]
