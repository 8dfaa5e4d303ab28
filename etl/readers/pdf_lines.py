"""Text lines and their cells from a page's characters, for tables printed without vertical rules.

Split out of `pdf_grid` (which finds tables and their columns in these lines) because cutting a line
into cells is a step of its own with rules of its own, all about where characters sit:

* characters whose tops chain within 3 pt are one line (pdfplumber's tolerance);
* a line splits into segments (cells) at gaps wider than `_GAP` x the character height (a cell's
  padding), and between characters on different baselines: a cell's line of text sits on one
  baseline, so a header cell overflowing a narrow column over a neighbour's line set a little
  lower (both centred down in rows of different heights) is two cells, not one word mixing both;
* a code's digits touching the label of the next column (a one-digit 款 code in a column narrower
  than its padding: 0基本工) are two cells when other lines of the same table print digits alone
  where the code starts and words starting where the label starts (`split_touching_codes`).

Cost: one sort of the characters, then linear passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_GAP = 0.45  # a horizontal gap this many char heights wide separates two cells (a space is ~0.25)
_BASELINE = 0.15  # characters whose baselines are this many char heights apart are on two lines
_X_TOL = 3.0  # as pdfplumber: a gap wider than this inside a cell is a space
_TOUCH = 0.1  # glyphs of one run of text touch; a gap this many char heights wide is two runs
_CJK = re.compile(r"[\u3400-\u9fff]")
_DIGITS = re.compile(r"^\d+$")


@dataclass
class Segment:
    x0: float
    x1: float
    text: str
    top: float = 0.0  # its line's top
    # Where a code's digits touch a label (0基本工): (digits' right edge, label's left edge, digits,
    # label); two cells when the table's other lines say so (`split_touching_codes`).
    cut: tuple[float, float, str, str] | None = None


@dataclass
class Line:
    top: float
    bottom: float
    segments: list[Segment] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return self.segments[0].x0

    @property
    def x1(self) -> float:
        return self.segments[-1].x1


def _text(chars: list[dict]) -> str:
    out, prev = [], None
    for c in chars:
        if prev is not None and c["x0"] - prev["x1"] > _X_TOL and not out[-1].isspace():
            out.append(" ")
        out.append(c["text"])
        prev = c
    return "".join(out).strip()


def text_lines(chars: list[dict], height: float) -> list[Line]:
    """Characters clustered into lines by their top (pdfplumber's chained tolerance), each line split
    into segments at wide gaps and between baselines."""
    lines: list[Line] = []
    group: list[dict] = []
    for c in sorted(chars, key=lambda c: c["top"]):
        if group and c["top"] - group[-1]["top"] > 3:
            lines.append(_line(group, height))
            group = []
        group.append(c)
    if group:
        lines.append(_line(group, height))
    return [ln for ln in lines if ln.segments]


def _line(group: list[dict], height: float) -> Line:
    line = Line(top=min(c["top"] for c in group), bottom=max(c["bottom"] for c in group))
    for run in _baselines(group, height):
        run.sort(key=lambda c: c["x0"])
        start = 0
        for i in range(1, len(run) + 1):
            if i == len(run) or run[i]["x0"] - run[i - 1]["x1"] > _GAP * height:
                part = run[start:i]
                text = _text(part)
                if text:
                    seg = Segment(part[0]["x0"], max(c["x1"] for c in part), text, line.top)
                    seg.cut = _code_cut(part, height)
                    line.segments.append(seg)
                start = i
    line.segments.sort(key=lambda s: s.x0)
    return line


def _baselines(group: list[dict], height: float) -> list[list[dict]]:
    """A line's characters by baseline (`_BASELINE` x the character height apart or more): a cell's
    line of text sits on one baseline, so characters on two are two cells' lines, however close.
    Header cells centred down in rows of different heights overflow narrow columns into each other
    (公务用车运行维护费 over 公务接待费's 费, 3 pt lower): split by baseline, neither reads the other's
    characters inside its words."""
    lows = [_baseline(c) for c in group]
    if max(lows) - min(lows) < _BASELINE * height:
        return [group]  # the common case: one baseline
    runs: list[list[dict]] = []
    for c in sorted(group, key=_baseline):
        if runs and _baseline(c) - _baseline(runs[-1][-1]) < _BASELINE * height:
            runs[-1].append(c)
        else:
            runs.append([c])
    return runs


def _baseline(c: dict) -> float:
    """A character's baseline (its box's bottom less the descent, 0.12 em, as pdf.py sets it)."""
    return c["bottom"] - 0.12 * (c["bottom"] - c["top"])


def _code_cut(part: list[dict], height: float) -> tuple[float, float, str, str] | None:
    """Where a segment's leading digits end with a gap before CJK text: glyphs of one run of text
    touch, so the gap marks two runs, a code and the label after it (or a year and its 年, which
    `split_touching_codes` leaves alone)."""
    k = next((i for i, c in enumerate(part) if not c["text"].isdigit()), len(part))
    if not 0 < k < len(part) or not _CJK.match(part[k]["text"]):
        return None
    if part[k]["x0"] - part[k - 1]["x1"] <= _TOUCH * height:
        return None
    return part[k - 1]["x1"], part[k]["x0"], _text(part[:k]), _text(part[k:])


def split_touching_codes(block: list[Line]) -> None:
    """Cut a segment where a code's digits touch the next column's label (0基本工 in a 款 column
    narrower than its padding) when the table's other lines print digits alone starting where the
    code starts (the code column) and a segment starting where the label starts (the label
    column): the cut the columns make, not a year run into its 年 in a title."""
    codes = [s.x0 for ln in block for s in ln.segments if _DIGITS.match(s.text)]
    starts = [s.x0 for ln in block for s in ln.segments if s.cut is None and _CJK.match(s.text)]
    for ln in block:
        out: list[Segment] = []
        for s in ln.segments:
            cut = s.cut
            if cut is not None and _near(s.x0, codes) and _near(cut[1], starts):
                out += [Segment(s.x0, cut[0], cut[2], s.top), Segment(cut[1], s.x1, cut[3], s.top)]
            else:
                out.append(s)
        ln.segments = out


def _near(x: float, xs: list[float]) -> bool:
    return any(abs(x - o) <= 1.0 for o in xs)


_BODY = 20  # a body text line is at least this many characters wide (table cells and titles less)
_ENDS = re.compile(r"[。：:；;！!？?]$")
_OPENS = re.compile(
    r"^\s*([(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[、.．](?!\d)|第[一二三四五六七八九十]+部分)"
)


def paragraphs(lines: list[Line], height: float) -> list[list[Line]]:
    """Body lines grouped into the paragraphs they print: a body line (`_BODY` characters wide or
    more) that runs from the text's left edge (or an indent of two characters) to its right edge
    (where two body lines or more end: justified text) without ending its sentence (no 。: ; ! ?) wraps, and the next line, set a line's spacing
    below, no further right and opening no numbered heading (一、 (二) 3.), goes on with it. A body
    line wrapped after a unit's name (…现将香河县社会 | 保险事业管理所2023年单位预算公开如下:) then is no
    line naming a unit and a year of its own."""
    left = min((ln.x0 for ln in lines), default=0.0)
    ends = sorted((ln.x1 for ln in lines if ln.x1 - ln.x0 >= _BODY * height), reverse=True)
    right = next((a for a, b in zip(ends, ends[1:]) if a - b <= 0.5 * height), None)
    if right is None:
        return [[ln] for ln in lines]  # no two long lines end at one right edge: no body text
    out: list[list[Line]] = []
    for ln in lines:
        above = out[-1][-1] if out else None
        full = above is not None and above.x0 <= left + 2.5 * height and above.x1 - above.x0 >= _BODY * height
        if full and _wraps_into(above, ln, right, height):
            out[-1].append(ln)
        else:
            out.append([ln])
    return out


def _wraps_into(above: Line, ln: Line, right: float, height: float) -> bool:
    text = " ".join(s.text for s in above.segments)
    return (
        len(above.segments) == 1
        and len(ln.segments) == 1
        and above.x1 >= right - height
        and not _ENDS.search(text)
        and ln.x0 <= above.x0 + 0.5 * height
        and 0 <= ln.top - above.bottom < 0.8 * height
        and abs((ln.bottom - ln.top) - (above.bottom - above.top)) < 0.15 * height
        and not _OPENS.match(ln.segments[0].text)
    )
