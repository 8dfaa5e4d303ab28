"""Tables without vertical rules: columns inferred from where text is, rows from line spacing.

Disclosures print tables with horizontal rules only (三线表), or with no rules at all, columns
aligned by whitespace. pdfplumber's `lines` strategy finds no cells there and its `text` strategy
over-splits CJK text, so columns come from the text itself:

* a text line splits into segments at gaps wider than a cell's padding and between baselines
  (`pdf_lines`); lines with two or more segments are columnar, and runs of them form a table block;
* data lines (from the first line printing a number) leave vertical gutters no text crosses; a
  header cell that spans a gutter (a merged header) is set aside, and the gutters of everything
  else are the column boundaries; each segment goes to the column its left edge falls in; a merged
  header lying wholly in a gutter, centred over a run of columns with a sub-header in each, is set
  aside too, the boundary going through its centre (`pdf_headers`);
* a line closer than `_WRAP` x the character height to the line above continues its row (a cell
  wrapped over several lines, or a one-line cell centred beside a wrapped one); horizontal rules
  between lines always end a row.

* a row cut by a page break: the first row of the next page's part ends the last row of the part
  before when it fills only cells that ran down to the cut (a cell that ended higher up is
  complete), leaves empty a column where that row printed an amount, and prints no number but the
  rest of a wrapped code; lines opening a page in columns that page's rows leave empty
  (`TextBlock.lead`) are tried as such a tail, and are paragraphs when they are not one;
* a table printed one cell per line (`CellColumn`): lines at one left edge, indented from the
  title by an empty first column; each wrapped cell is one row `["", cell]`, as text gives them.

* where amounts are printed flush right under centred headers (a 三公 table's one data row, a
  header or a 部门名称 line covering every gap), the amounts' right edges give the columns instead:
  both readings are made and the one under which fewer cells hold two amounts, more totals equal
  the sum of the cells after them (合计 = 基本 + 项目, 小计 = 购置费 + 运行费) and fewer columns hold no
  data wins; the choice is noted in the document's warnings (label columns are read from the rows
  with amounts, never from a row of column numbers above them). A header centred over several columns
  goes to the first of them (where a text extraction puts a merged cell); a 部门名称 / 单位 line is
  never a row; two lines each with a whole amount at the same place are two rows however close.

Cost: sorting the characters once, then linear passes (O(n log n) in characters per page); the
second reading costs one more pass over a table's rows.
"""

from __future__ import annotations

import re
import statistics
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from etl.model import Box
from etl.normalize import key
from etl.readers.pdf_headers import centred_in_gutters, data_columns
from etl.readers.pdf_lines import Line, Segment, split_touching_codes, text_lines
from rules.templates import HEADER_FAMILIES

_WRAP = 0.5  # a vertical gap below this many char heights joins a line to the row above
_WRAP_MAX = 0.6  # ... or up to this, when a table's wrapped lines sit that far apart (see wrap_ratio)
_WRAP_GAP = 0.52  # a wrapped cell's lines sit at most this far apart (pixel rounding past _WRAP)
_ROW = 1.15  # a line closer than this below a table is one of its rows (a paragraph sits further)
_BLOCK = 2.5  # a vertical gap above this many char heights ends a table block
_NUMBER = re.compile(r"\d")
_HEADING = (
    r"^(备)?注|[表]\s*$|表\s*[(（].{0,12}[)）]$|^(金额|计量)?单位[:：]|[:：]\s*\S{2,}单位"  # a title, unit line or note
)
_PROSE = re.compile(rf"({_HEADING}|。$)")
_LEAD_STOP = re.compile(_HEADING)
_NUMERIC = re.compile(r"^[\d,.\s%()+-]*\d[\d,.\s%()+-]*$")  # a cell that is only a number


def _column_starts(block: list[Line]) -> list[float]:
    return sorted({round(seg.x0) for ln in block if len(ln.segments) >= 2 for seg in ln.segments[1:]})


def wrap_ratio(lines: list[Line], height: float) -> float:
    """The gap, in character heights, under which a line continues the row above: `_WRAP`, or half
    a device pixel (0.375 pt) more than the gap between the wrapped lines of a cell in type of this
    `height` on the page, when that is larger. In small type a renderer rounds line heights to whole
    pixels: 7 pt cells' lines sit 0.5 character heights apart, where 0.5 was the limit; the next row
    sits at least a pixel further down. A cell's wrapped line is one that prints no amount, each of
    its segments starting where one of the line above starts; the smallest such gap that recurs is
    the cell's line gap (two rows of amounts, however close, never set it)."""
    sized = [ln for ln in lines if abs(ln.bottom - ln.top - height) < 0.15 * height]
    gaps = Counter(
        round(g, 1)
        for a, b in _over(sized)
        if 0.3 * height < (g := b.top - a.bottom) <= _WRAP_GAP * height and _wraps(a, b)
    )
    recurring = [g for g, n in gaps.items() if n >= 2]
    if not recurring:
        return _WRAP
    return min(_WRAP_MAX, max(_WRAP, (min(recurring) + 0.375) / height))


def _over(lines: list[Line], reach: int = 4):
    """(line above, line) pairs: each line with the nearest of the few lines above it that prints
    where it starts (a cell's lines, with a centred neighbour's line between them)."""
    for i, ln in enumerate(lines):
        x = ln.segments[0].x0
        for above in lines[max(0, i - reach) : i][::-1]:
            if any(s.x0 - 1.0 <= x <= s.x1 for s in above.segments):
                yield above, ln
                break


def _wraps(above: Line, ln: Line) -> bool:
    """Whether `ln` may be the wrapped rest of cells of the line above: no amount, no item ordinal
    opening a label (十一、…), and every segment starting where a segment above starts."""
    starts = [s.x0 for s in above.segments]
    return (
        not _whole(ln)
        and not any(_ORDINAL.match(s.text) for s in ln.segments)
        and all(any(abs(s.x0 - x) <= 1.0 for x in starts) for s in ln.segments)
    )


def _continues(block: list[Line], ln: Line, nxt: Line | None, height: float, wrap: float = _WRAP) -> bool:
    """Whether a one-segment line belongs to the table above: a wrapped cell tail or a short row
    close below (closer than a paragraph would be), a row with one filled cell that starts where a
    column (not the first) starts, or a line wrapped just above a columnar line of the same row."""
    gap = ln.top - block[-1].bottom
    if gap < wrap * height:
        return True
    text = ln.segments[0].text
    if _PROSE.search(text):
        return False  # a note, a sentence or the next table's title
    if gap < _ROW * height:
        return True
    if gap >= _BLOCK * height:
        return False
    if nxt is not None and len(nxt.segments) >= 2 and nxt.top - ln.bottom < wrap * height:
        return True
    starts = _column_starts(block)
    return any(abs(ln.x0 - x) <= 2 for x in starts) and ln.x0 > block[0].x0 + 2


_META = re.compile(r"^((金额|计量)?单位|(部门|单位|预算单位|编制单位)(名称)?|编制部门)\s*[:：]")


def _is_meta(ln: Line) -> bool:
    """A line stating the unit or the department above a table (部门名称：… 单位：万元, often both on
    one line, far apart): never a row, so the amount unit stays a paragraph the layout reads."""
    return any(_META.match(s.text) for s in ln.segments)


def _columnar(lines: list[Line], i: int) -> bool:
    """A line split into cells, or one of a row's cells printed on lines of their own beside a
    neighbour's (项目名 / 称 beside 社会保险稽核、/ 宣传工作经历及: the lines overlap in height and
    not in width), as a row wrapped in narrow columns opens a page's last lines."""
    ln = lines[i]
    if len(ln.segments) >= 2:
        return True
    return any(
        o.top < ln.bottom and ln.top < o.bottom and (o.x1 < ln.x0 or ln.x1 < o.x0)
        for o in lines[max(0, i - 1) : i + 2]
        if o is not ln
    )


def _blocks(lines: list[Line], height: float, wrap: float = _WRAP) -> list[list[Line]]:
    """Runs of columnar lines, with the one-segment lines that belong between them."""
    blocks: list[list[Line]] = []
    current: list[Line] = []
    for i, ln in enumerate(lines):
        gap = ln.top - current[-1].bottom if current else 0.0
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if _is_meta(ln):
            if current:
                blocks.append(current)
            current = []
        elif _columnar(lines, i) and (not current or gap < _BLOCK * height):
            current.append(ln)
        elif current and _continues(current, ln, nxt, height, wrap) and not _opens_cell_column(ln):
            current.append(ln)
        else:
            if current:
                blocks.append(current)
            current = [ln] if _columnar(lines, i) else []
    if current:
        blocks.append(current)
    return blocks


# The first column header of the 绩效目标表 template, whose tables portals print one cell per line.
_CELL_COLUMN_HEAD = dict(HEADER_FAMILIES)["project_performance"][0]


def _opens_cell_column(ln: Line) -> bool:
    """A line printing only 一级指标 starts a 绩效目标表's header printed one cell per line: a table
    of its own, not a row of the columnar lines above it (the 绩效目标 text set in several columns)."""
    return len(ln.segments) == 1 and key(ln.segments[0].text) == _CELL_COLUMN_HEAD


def _with_heads(
    lines: list[Line], blocks: list[list[Line]], height: float, margin: float, wrap: float = _WRAP
) -> list[list[Line]]:
    """Prepend to each block the one-segment lines just above it that belong to its first row (a
    tall cell's first lines above vertically centred neighbours); and to the page's first block
    the lines that sit where one of its cells starts: the tail of a row cut by the page break,
    printed at the top of the page (only a running header in the top margin may precede them)."""
    position = {id(ln): k for k, ln in enumerate(lines)}
    taken = {id(ln) for b in blocks for ln in b}
    out = []
    for n, block in enumerate(blocks):
        i, head = position[id(block[0])] - 1, []
        while i >= 0 and len(lines[i].segments) == 1 and (head or block)[0].top - lines[i].bottom < wrap * height:
            head.insert(0, lines[i])
            i -= 1
        starts = {round(seg.x0) for ln in block if len(ln.segments) >= 2 for seg in ln.segments}
        cells = starts | {round(ln.x0) for ln in block}  # a stacked label's lines start cells too
        row, j = _first_row(lines, i, (head or block)[0], cells, taken, height, margin, wrap)
        if row:
            head, i = row + head, j
        if n == 0:
            tails = []
            while i >= 0 and lines[i].top >= margin and len(lines[i].segments) == 1:
                ln = lines[i]
                if not any(abs(ln.x0 - x) <= 2 for x in starts) or (tails or head or block)[0].top - ln.bottom >= (
                    _BLOCK * height
                ):
                    break
                tails.insert(0, ln)
                i -= 1
            if tails and all(lines[k].top < margin for k in range(i + 1)):
                head = tails + head
        out.append(head + block)
    return out


def _first_row(lines, i, below, starts, taken, height, margin, wrap=_WRAP) -> tuple[list[Line], int]:
    """One-segment lines just above a table that together fill two or more of its columns: its
    first row, printed with every cell on lines of its own (one-line cells centred vertically
    between the lines of a wrapped one). Returns the lines and the index above them."""
    row: list[Line] = []
    while i >= 0 and id(lines[i]) not in taken and len(lines[i].segments) == 1 and lines[i].top >= margin:
        ln = lines[i]
        limit = wrap if row else _ROW
        aligned = any(abs(ln.x0 - x) <= 2 for x in starts)
        if _PROSE.search(ln.segments[0].text) or not aligned or (row or [below])[0].top - ln.bottom >= limit * height:
            break
        row.insert(0, ln)
        i -= 1
    return (row, i) if len({round(ln.x0) for ln in row}) >= 2 else ([], i + len(row))


def _lead(lines: list[Line], first: Line, height: float, margin: float) -> list[Line]:
    """The lines between the page's top margin and its first table block, when they are close
    together and close to the block and none is a title, a unit line or a note: a cut row's tail
    printed in columns this page's rows leave empty (so `_with_heads` could not place it)."""
    k = next(i for i, ln in enumerate(lines) if ln is first)
    lead = [ln for ln in lines[:k] if ln.top >= margin]
    below = [*lead[1:], first]
    if not lead or any(_LEAD_STOP.search(s.text) for ln in lead for s in ln.segments):
        return []
    if any(b.top - a.bottom >= _BLOCK * height for a, b in zip(lead, below)):
        return []
    return lead


def _is_table(block: list[Line]) -> bool:
    """Two columnar lines with a number, or a header of at least two lines of three cells (a table
    whose data rows continue on the next page)."""
    columnar = [ln for ln in block if len(ln.segments) >= 2]
    if len(columnar) < 2:
        return False
    if any(_NUMBER.search(s.text) for ln in block for s in ln.segments):
        return True
    return sum(len(ln.segments) >= 3 for ln in block) >= 2


def _gutters(spans: list[tuple[float, float]], lo: float, hi: float) -> list[tuple[float, float]]:
    """x-intervals inside (lo, hi) that no span covers."""
    out, reach = [], lo
    for x0, x1 in sorted(spans):
        if x0 > reach:
            out.append((reach, x0))
        reach = max(reach, x1)
    return [g for g in out if g[0] > lo]


def _first_data(block: list[Line]) -> int:
    """The first line printing a number, past a 栏次 line (the columns' numbers 1, 2, 3 … centred
    under the header: the header's, as the layout step keeps them, not data setting columns) and
    past a bare year (2024 wrapped off '2024年企业退休人员…' in a narrow header cell)."""
    return next(
        (
            i
            for i, ln in enumerate(block)
            if any(_NUMERIC.match(s.text) and not _YEAR.match(s.text) for s in ln.segments)
            and not any(s.text.startswith("栏次") for s in ln.segments)
        ),
        0,
    )


_YEAR = re.compile(r"^\s*(19|20)\d{2}\s*$")


def _separators(block: list[Line]) -> list[float]:
    first_data = _first_data(block)
    lo, hi = min(ln.x0 for ln in block), max(ln.x1 for ln in block)
    spans = [(s.x0, s.x1) for ln in block[first_data:] for s in ln.segments]
    data = _gutters(spans, lo, hi)

    def spans_gutter(s: Segment) -> bool:
        return any(s.x0 < g0 and s.x1 > g1 for g0, g1 in data)

    header = [(ln, s) for ln in block[:first_data] for s in ln.segments if not spans_gutter(s)]
    centred = centred_in_gutters(header, data, data_columns(spans, data))
    aside = {id(s) for s in centred}
    kept = spans + [(s.x0, s.x1) for _ln, s in header if id(s) not in aside]
    # a merged header centred in a gutter: the boundary goes through its centre, so it reads as the
    # merged cell it is (over the first column of its run, see `_column`)
    return [
        next(((s.x0 + s.x1) / 2 for s in centred if g0 <= s.x0 and s.x1 <= g1), (g0 + g1) / 2)
        for g0, g1 in _gutters(kept, lo, hi)
    ]


def _rows(block: list[Line], height: float, rules: list[float], wrap: float = _WRAP) -> list[list[Line]]:
    """Lines grouped into table rows. When rules separate most rows (every row ruled), a row is
    what lies between two rules; otherwise a line close below the one above (`wrap`: see
    `wrap_ratio`) continues its row."""
    by_gap: list[list[Line]] = []
    bottom = 0.0
    for ln in block:
        ruled = by_gap and any(bottom - 1 <= y <= ln.top + 1 for y in rules)
        if by_gap and not ruled and ln.top - bottom < wrap * height:
            by_gap[-1].append(ln)
            bottom = max(bottom, ln.bottom)
        else:
            by_gap.append([ln])
            bottom = ln.bottom
    by_gap = [part for row in by_gap for part in _split_stacked(row)]
    first = next((i for i, row in enumerate(by_gap) if any(_whole(ln) for ln in row)), None)
    if first is not None:
        by_gap[first : first + 1] = _split_header(by_gap[first])
    inside = [y for y in rules if block[0].top < y < block[-1].bottom]
    # One rule inside is no evidence of ruled rows: a 三线表's rule under its header, in a short part.
    if len(inside) < 0.5 * (len(by_gap) - 1) or len(inside) < 2:
        return by_gap
    ys = sorted(rules)
    by_rule: dict[int, list[Line]] = {}
    for ln in block:
        by_rule.setdefault(bisect_right(ys, (ln.top + ln.bottom) / 2), []).append(ln)
    return [by_rule[k] for k in sorted(by_rule)]


def _whole(ln: Line) -> list[Segment]:
    """The line's whole amounts (not the parts of one wrapped in a narrow cell)."""
    return [s for s in ln.segments if _AMOUNT.match(s.text.replace(" ", ""))]


def _split_header(row: list[Line]) -> list[list[Line]]:
    """The table's first row with amounts, set close under its header (tight padding): lines above
    its first number that print words (no digit) over one of its numbers are the header's, not the
    row's (a wrapped label sits in its own column, beside the numbers)."""
    m = next(i for i, ln in enumerate(row) if any(_NUMERIC.match(s.text) for s in ln.segments))
    amounts = [s for ln in row[m:] for s in _whole(ln)]
    over = [
        j
        for j in range(m)
        if any(
            not _NUMBER.search(s.text) and any(min(s.x1, a.x1) - max(s.x0, a.x0) > 0 for a in amounts)
            for s in row[j].segments
        )
    ]
    return [row[: over[-1] + 1], row[over[-1] + 1 :]] if over else [row]


def _split_stacked(row: list[Line]) -> list[list[Line]]:
    """A row holding two lines with whole amounts at the same place is two rows set close together
    (tight padding; the wrapped codes and names of each centred around its amounts): cut at the
    widest gap between those two lines."""
    with_amounts = [i for i, ln in enumerate(row) if any(_AMOUNT.match(s.text.replace(" ", "")) for s in ln.segments)]
    for a, b in ((a, b) for n, a in enumerate(with_amounts) for b in with_amounts[n + 1 :]):
        if _stacked(row[a], row[b]):
            k = max(range(a + 1, b + 1), key=lambda i: row[i].top - max(ln.bottom for ln in row[:i]))
            return _split_stacked(row[:k]) + _split_stacked(row[k:])
    return [row]


def _stacked(above: Line, ln: Line) -> bool:
    """Whether `ln` prints a whole amount right under a whole amount of the line above: two rows
    set close together (tight padding), since an amount never wraps into two whole amounts."""
    whole = [s for s in above.segments if _AMOUNT.match(s.text.replace(" ", ""))]
    return any(
        _AMOUNT.match(s.text.replace(" ", "")) and any(min(s.x1, a.x1) - max(s.x0, a.x0) > 0 for a in whole)
        for s in ln.segments
    )


def _rule_ys(rules: list[dict], x0: float, x1: float) -> list[float]:
    """Heights of horizontal rules covering at least half of [x0, x1]; borders drawn per cell are
    pieced together first."""
    spans: dict[int, list[tuple[float, float]]] = {}
    for r in rules:
        spans.setdefault(round(r["top"]), []).append((max(r["x0"], x0), min(r["x1"], x1)))
    out = []
    for y, parts in sorted(spans.items()):
        covered, reach = 0.0, x0
        for a, b in sorted(parts):
            a = max(a, reach)
            if b > a:
                covered += b - a
                reach = b
        if covered >= 0.5 * (x1 - x0) and not (out and y - out[-1] <= 2):
            out.append(float(y))
    return out


@dataclass
class TextBlock:
    """A table found in text, before its columns are known (they may be shared with the part of
    the same table on the next page)."""

    lines: list[Line]
    height: float
    rules: list[float]  # y of horizontal rules across the block
    weak: bool = False  # too little to be a table alone: one only if a table part follows it
    wrap: float = _WRAP  # the gap under which a line continues the row above (see `wrap_ratio`)
    # Lines at the top of the page above the block that fit none of its columns: the tail of a row
    # cut by the page break when the block continues a table of the previous page, else paragraphs.
    lead: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(" ".join(s.text for s in ln.segments) for ln in self.lines)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (
            min(ln.x0 for ln in self.lines),
            self.lines[0].top,
            max(ln.x1 for ln in self.lines),
            max(ln.bottom for ln in self.lines),
        )


def find_text_blocks(chars: list[dict], rules: list[dict], margin: float = 0.0) -> tuple[list[TextBlock], list[dict]]:
    """Tables among `chars` (already outside ruled tables); returns them and the chars left over.
    `margin`: the page's top margin (running headers above it are not content)."""
    if not chars:
        return [], chars
    height = statistics.median(c["bottom"] - c["top"] for c in chars) or 1.0
    found: list[TextBlock] = []
    lines = text_lines(chars, height)
    wrap = wrap_ratio(lines, height)
    blocks = [b for b in _blocks(lines, height, wrap) if b[0].top >= margin or len(b) > 1]
    for block in _with_heads(lines, blocks, height, margin, wrap):
        split_touching_codes(block)
        weak = not _is_table(block)  # kept only if the table goes on on the next page
        x0, x1 = min(ln.x0 for ln in block), max(ln.x1 for ln in block)
        # Rows by the table's own type size: body text on the page may be set larger.
        own = statistics.median(ln.bottom - ln.top for ln in block)
        size = min(height, own)
        found.append(TextBlock(block, size, _rule_ys(rules, x0, x1), weak=weak, wrap=wrap_ratio(lines, size)))
    if not found:
        return [], chars
    found[0].lead = _lead(lines, found[0].lines[0], height, margin)
    boxes = [b.bbox for b in found] + [(ln.x0, ln.top, ln.x1, ln.bottom) for ln in found[0].lead]

    def inside(c: dict) -> bool:
        cx, cy = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
        return any(b[0] - 1 <= cx <= b[2] + 1 and b[1] - 1 <= cy <= b[3] + 1 for b in boxes)

    return found, [c for c in chars if not inside(c)]


def grids(
    blocks: list[TextBlock], boxes: list[list[list[Box | None]]] | None = None, notes: list[str] | None = None
) -> list[tuple[list[list[str]], list[Line]]]:
    """Cell grids of blocks that form one table (continued over pages): shared column boundaries.
    With each grid, the lead lines of its block that turned out not to continue the table above.
    `boxes`, when given, receives each grid's cell boxes (a row joined to the row it continues
    keeps that row's box, on the page before). `notes` receives why the columns were read from the
    amounts' right edges, when they were."""
    seps = _choose_separators(blocks, notes if notes is not None else [])
    out: list[tuple[list[list[str]], list[Line]]] = []
    last: tuple[list[str], set[int]] | None = None  # previous part's last row and its columns at the cut
    for b in blocks:
        rows = _rows(b.lines, b.height, b.rules, b.wrap)
        grid, grid_boxes = _header_levels(rows, seps, b.wrap * b.height)
        unused = b.lead
        if last is not None and b.lead:
            tail = _rows(b.lead, b.height, [], b.wrap)
            cells = _cells(tail[0], seps)
            if _is_cut_tail(last[0], cells, last[1], lead=True):
                _join(out[-1][0], cells)
                unused = []
                # lead rows after the cut row's rest are the table's rows before this part's lines
                grid[:0] = [_cells(row, seps) for row in tail[1:]]
                grid_boxes[:0] = [_boxes(row, seps) for row in tail[1:]]
        elif last is not None and grid and (_open_top(b) or _is_cut_tail(last[0], grid[0], last[1])):
            _join(out[-1][0], grid.pop(0))  # a row cut by the page break: join its tail to its head
            grid_boxes.pop(0)
        out.append((grid, unused))
        if boxes is not None:
            boxes.append(grid_boxes)
        previous = next((g[-1] for g, _u in reversed(out) if g), None)
        if rows and previous is not None:
            last = (previous, _reach(rows[-1], seps, max(ln.bottom for ln in b.lines), b.height))
    return out


def _header_levels(
    rows: list[list[Line]], seps: list[float], gap: float
) -> tuple[list[list[str]], list[list[Box | None]]]:
    """Rows' cells and boxes; a header row printed as one band of merged cells (no rules, several
    header levels whose lines interleave, a tall merged cell centred beside them) becomes one row
    per level (see `_levels`), as the text form prints it, so no merged header is read together
    with the sub-header under it (基本支出 over 小计 is not one cell 基本支出小计)."""
    grid: list[list[str]] = []
    grid_boxes: list[list[Box | None]] = []
    header = True
    for row in rows:
        header = header and not any(_whole(ln) for ln in row)
        levels = _levels(row, seps, gap) if header else None
        if levels is None:
            grid.append(_cells(row, seps))
            grid_boxes.append(_boxes(row, seps))
            continue
        grid.extend(levels)
        grid_boxes.extend([_boxes(row, seps)] * len(levels))
    return grid, grid_boxes


@dataclass
class _Stack:
    """A header cell's lines (one column, each line within a wrap gap of the one above)."""

    col: int
    top: float
    bottom: float
    x0: float
    x1: float
    texts: list[str]


def _levels(row: list[Line], seps: list[float], gap: float) -> list[list[str]] | None:
    """A header band's cells by level: a cell's level is the number of header cells above it whose
    run of columns covers its centre (a merged cell is centred over its run, which starts at the
    column `_column` gives it); a cell beside them, however low it is centred, is a merged cell
    spanning down, at level 0, where a text extraction prints it. A line set close under a cell
    goes on with it only when it crosses the same column bounds (a merged 人员经费 is not wrapped
    into 工资福利支出 under it). None for a band of one level."""
    stacks: list[_Stack] = []
    last: dict[int, _Stack] = {}
    for k, ln in enumerate(row):
        below = [b for nxt in row[k + 1 :] for b in nxt.segments]
        for seg in ln.segments:
            col = _column(seg, seps, below, ln.segments)
            st = last.get(col)
            if st is not None and ln.top - st.bottom < gap and _spans(seps, st) == _spans(seps, seg):
                st.bottom, st.x0, st.x1 = max(st.bottom, ln.bottom), min(st.x0, seg.x0), max(st.x1, seg.x1)
                st.texts.append(seg.text)
                continue
            last[col] = _Stack(col, ln.top, ln.bottom, seg.x0, seg.x1, [seg.text])
            stacks.append(last[col])
    if len(stacks) == len(last):
        return None  # one cell a column: one level
    lo = min(st.x0 for st in stacks)
    bounds = [lo - 1.0, *seps]

    def covers(t: _Stack, s: _Stack) -> bool:
        left = bounds[t.col] if t.col < len(bounds) else t.x0
        right = 2 * (t.x0 + t.x1) / 2 - left  # a merged cell is centred over its run
        return t.bottom <= s.top + 1.0 and left <= (s.x0 + s.x1) / 2 <= right + 1.0

    level = {id(s): sum(covers(t, s) for t in stacks if t is not s) for s in stacks}
    n = max(level.values()) + 1
    if n < 2:
        return None
    out = [[""] * (len(seps) + 1) for _ in range(n)]
    for s in stacks:
        cell = out[level[id(s)]]
        cell[s.col] += ("\n" if cell[s.col] else "") + "\n".join(s.texts)
    return out


def _spans(seps: list[float], s: _Stack | Segment) -> tuple[int, int]:
    """The columns a cell's text reaches from and to."""
    return bisect_right(seps, s.x0 + 0.5), bisect_right(seps, s.x1 - 0.5)


def _cells(row: list[Line], seps: list[float]) -> list[str]:
    cells: list[list[str]] = [[] for _ in range(len(seps) + 1)]
    for k, ln in enumerate(row):
        parts: dict[int, str] = {}
        below = [b for nxt in row[k + 1 :] for b in nxt.segments]
        for s in ln.segments:
            col = _column(s, seps, below, ln.segments)
            parts[col] = parts.get(col, "") + s.text
        for col, text in parts.items():
            cells[col].append(text)
    return ["\n".join(c) for c in cells]


def _boxes(row: list[Line], seps: list[float]) -> list[Box | None]:
    """Each cell's box: the union of the segments that fill it (None for an empty cell)."""
    cells: list[Box | None] = [None] * (len(seps) + 1)
    for k, ln in enumerate(row):
        below = [b for nxt in row[k + 1 :] for b in nxt.segments]
        for s in ln.segments:
            col = _column(s, seps, below, ln.segments)
            box = cells[col]
            cells[col] = (
                (s.x0, ln.top, s.x1, ln.bottom)
                if box is None
                else (min(box[0], s.x0), min(box[1], ln.top), max(box[2], s.x1), max(box[3], ln.bottom))
            )
    return cells


def _column(
    s: Segment, seps: list[float], below: list[Segment] | None = None, line: list[Segment] | None = None
) -> int:
    """The column a segment starts in; a header centred over several columns (a merged cell) goes
    to the first column of the run of columns it is centred over, where a text extraction and a
    merged cell's other copies put it (公务用车购置及运行费 over 小计 / 购置费 / 运行费). The run is the
    one whose sub-headers (`below`: the header lines under it, those nearer to it than to the other
    headers of its `line`) fill each column and are centred under it, else the one whose bounds are."""
    first, last = bisect_right(seps, s.x0 + 0.5), bisect_right(seps, s.x1 - 0.5)
    if first == last:
        return first
    mid = (s.x0 + s.x1) / 2
    others = [(o.x0 + o.x1) / 2 for o in line or [] if o is not s]
    subs = _beside_merged([b for b in below or [] if all(abs(_mid(b) - mid) < abs(_mid(b) - o) for o in others)], s)
    by_subs = _run_by_subheaders(mid, first, last, seps, subs)
    if by_subs is not None or first == 0 or last >= len(seps):
        return first if by_subs is None else by_subs
    # Centred within a quarter of its width, the narrowest run wins: a wide run of columns may be
    # centred on the header by chance (基本支出 over the whole table), its own two columns nearly.
    tol = 0.25 * (s.x1 - s.x0)
    runs = [
        (abs((seps[i - 1] + seps[j]) / 2 - mid) > tol, j - i, abs((seps[i - 1] + seps[j]) / 2 - mid), i)
        for i in range(1, first + 1)
        for j in range(last, len(seps))
    ]
    return min(runs)[3]


def _beside_merged(subs: list[Segment], head: Segment) -> list[Segment]:
    """Sub-headers without the merged cells beside them: a header cell that no other header cell
    (above or below it, the merged `head` included) overlaps horizontally and that sits on no line
    of the other sub-headers is a cell spanning the band's levels, centred down beside the merged
    header (合计, 单位代码 beside 基本支出), not one of its sub-headers; 小计 on the line of
    公务用车购置费 is one however narrow the header over it."""

    def lone(b: Segment) -> bool:
        return not any(o is not b and o.top != b.top and min(o.x1, b.x1) > max(o.x0, b.x0) for o in [*subs, head])

    kept = [b for b in subs if not lone(b)]
    tops = {b.top for b in kept}
    return [b for b in subs if b in kept or b.top in tops] if kept else subs


def _mid(s: Segment) -> float:
    return (s.x0 + s.x1) / 2


def _run_by_subheaders(mid: float, first: int, last: int, seps: list[float], below: list[Segment]) -> int | None:
    """First column of the run [i..j] around [first..last] whose columns each hold a sub-header
    (one merged over several columns fills them all), the sub-headers' extent centred nearest
    `mid`; None when no run has them."""
    cols: dict[int, list[Segment]] = {}
    for b in below:
        for k in range(bisect_right(seps, b.x0 + 0.5), bisect_right(seps, b.x1 - 0.5) + 1):
            cols.setdefault(k, []).append(b)
    best = None
    for i in range(max(0, first - 3), first + 1):
        for j in range(last, min(len(seps), last + 3) + 1):
            if not all(k in cols for k in range(i, j + 1)):
                continue
            subs = [b for k in range(i, j + 1) for b in cols[k]]
            centre = (min(b.x0 for b in subs) + max(b.x1 for b in subs)) / 2
            cand = (abs(centre - mid), j - i, i)
            best = cand if best is None or cand < best else best
    return None if best is None else best[2]


def _join(grid: list[list[str]], tail: list[str]) -> None:
    grid[-1] = [a + ("\n" if a and b else "") + b for a, b in zip(grid[-1], tail)]


def _reach(row: list[Line], seps: list[float], bottom: float, height: float) -> set[int]:
    """Columns where `row` prints on the last line of its page part (or the line above: a renderer
    may move a cell's last lines together to the next page): only those cells can go on past the
    page break. A cell that ended higher up is complete."""
    near = bottom - 1.6 * height
    return {_column(s, seps) for ln in row if ln.bottom >= near for s in ln.segments}


def _open_top(b: TextBlock) -> bool:
    """A part of a table whose rows are each ruled (horizontal rules between most rows) but which
    has no rule above its first line: that line continues a row cut by the page break."""
    inside = [y for y in b.rules if b.lines[0].top < y < b.lines[-1].bottom]
    if len(inside) < 2 or len(inside) < 0.5 * len(_rows(b.lines, b.height, [], b.wrap)):
        return False
    return not any(b.lines[0].top - 1.5 * b.height <= y <= b.lines[0].top + 1 for y in b.rules)


_CODE = re.compile(r"^[\d\s]+$")  # an identifier code (digits only), not an amount
# An item's ordinal ("(九)", "九、", "3.", "其中:") opens a row's label: a new row, never a cut one's tail.
_ORDINAL = re.compile(r"^\s*([(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[、.．](?!\d)|其中[:：])")


def _is_cut_tail(last: list[str], row: list[str], reach: set[int], lead: bool = False) -> bool:
    """Whether the first row of a table part on a new page only continues the last row of the part
    before it (a row cut by the page break): it has text only in columns where that row printed on
    its part's last line (`reach`), and either it leaves empty a column where that row printed a
    number and its only numbers continue wrapped codes (digits under digits), or it is nothing but
    the rest of that row's numbers (amounts wrapped in narrow cells), under its label left empty.
    Lines opening the page above the part's rows (`lead`) that print no number under a last row
    without numbers are the rest of a header row cut by the break (一般公共预算 | 资金); a first row
    of words only (no digit) under cells that ran to the cut, beside others of that row that
    ended above it, is the rest of those cells (办公用品及耗材采 | 购批次)."""
    if len(last) != len(row) or not any(row) or any(_ORDINAL.match(b) for b in row):
        return False
    if any(b and (i not in reach or not a) for i, (a, b) in enumerate(zip(last, row))):
        return False
    if lead and not any(_NUMBER.search(c) for c in last + row):
        return True
    if not any(_NUMBER.search(b) for b in row) and any(a and not b for a, b in zip(last, row)):
        return True  # words only, under cells that ran to the cut, beside cells that ended above it
    if any(_NUMERIC.match(a) and not b for a, b in zip(last, row)):
        return all(not _NUMERIC.match(b) or (_CODE.match(a) and _CODE.match(b)) for a, b in zip(last, row) if b)
    filled = [(a, b) for a, b in zip(last, row) if b]
    labelled = any(a and not b and not _NUMERIC.match(a) for a, b in zip(last, row))
    return labelled and all(_NUMERIC.match(a) and _NUMERIC.match(b) for a, b in filled)


# --- tables printed one cell per line ------------------------------------------------------------

_TITLE = re.compile(r"表\s*$|表\s*[(（].{0,12}[)）]$")
_MIN_CELL_LINES = 3


@dataclass
class CellColumn:
    """A table printed one cell per line (each cell a row of its own, beside an empty first
    column): lines sharing one left edge, indented from the title above them by that empty column.
    Not a table when it neither sits under a title (`anchored`) nor continues such a column from
    the page before (it opens the page at the same left edge); its lines are paragraphs then."""

    lines: list[Line]
    height: float
    anchored: bool
    page: int = 0
    continues_cell: bool = False  # its first line goes on with the last cell of the column before
    wrap: float = _WRAP  # the gap under which a line goes on with the cell above (see `wrap_ratio`)

    @property
    def fills_width(self) -> bool:
        """Whether its last line is as wide as the lines a cell wraps after: the cell goes on."""
        wrapped = [a.x1 for a, b in zip(self.lines, self.lines[1:]) if b.top - a.bottom < self.wrap * self.height]
        return bool(wrapped) and self.lines[-1].x1 >= max(wrapped) - self.height

    @property
    def x0(self) -> float:
        return self.lines[0].x0

    def boxes(self) -> list[Box]:
        """The box of each cell of `cells()`: its lines' extent."""
        out: list[Box] = []
        for k, ln in enumerate(self.lines):
            if k and ln.top - self.lines[k - 1].bottom < self.wrap * self.height:
                x0, top, x1, _bottom = out[-1]
                out[-1] = (min(x0, ln.x0), top, max(x1, ln.x1), ln.bottom)
            else:
                out.append((ln.x0, ln.top, ln.x1, ln.bottom))
        return out

    def cells(self) -> list[str]:
        """Lines closer than a row gap are one wrapped cell."""
        out: list[list[str]] = []
        for k, ln in enumerate(self.lines):
            text = " ".join(s.text for s in ln.segments)
            if k and ln.top - self.lines[k - 1].bottom < self.wrap * self.height:
                out[-1].append(text)
            else:
                out.append([text])
        return ["".join(parts) for parts in out]


def cell_columns(
    lines: list[Line], height: float, margin: float, foot: float = float("inf"), opens_page: bool = True
) -> tuple[list[CellColumn], list[Line]]:
    """Runs of one-segment lines at one left edge, with no gap wider than a table's between them:
    under a table title printed further left (two lines, or one that ends the page), starting with
    a template's column headers, or opening the page below its top margin (`margin`; `foot`: its
    bottom margin). A cell's lines are told from the next cell by the gap learnt from the page's
    wrapped lines (`wrap_ratio`: 7 pt type sets them 0.5 character heights apart). Returns them and
    the lines left over."""
    wrap = wrap_ratio(lines, height)
    found: list[CellColumn] = []
    rest: list[Line] = []
    first = next((k for k, ln in enumerate(lines) if ln.top >= margin), len(lines))
    last = max((k + 1 for k, ln in enumerate(lines) if ln.top < foot), default=0)
    i = 0
    while i < len(lines):
        j = max(_run_end(lines, i, height), i + 1)  # a title cannot sit inside a run: skip it whole
        column = CellColumn(lines[i:j], height, False, wrap=wrap)
        plain = not any(_LEAD_STOP.search(c) for c in column.cells())  # no title, unit line or note
        titled = i > first and (j - i >= 2 or j == last) and _under_title(lines[i - 1], lines[i], height)
        indented = i > first and _indented(lines[i - 1], lines[i])
        column.anchored = (titled and plain) or (j - i >= 2 and _has_header(lines[i:j], height, indented))
        opens = opens_page and i == first and j - i >= _MIN_CELL_LINES and plain
        if i >= first and (column.anchored or opens):
            found.append(column)
        else:
            rest.extend(lines[i:j])
        i = j
    return found, rest


def _has_header(run: list[Line], height: float, indented: bool) -> bool:
    """Whether the first cells of a run are the column headers of a national template table; or,
    in a run indented from the line above (an empty first column), begin them (the header goes on
    on the next page). A bare heading line over a paragraph is neither."""
    cells = [key(c) for c in CellColumn(run[:12], height, False).cells()[:8]]
    return any((indented and cells[0] == words[0]) or all(w in cells for w in words) for _f, words in HEADER_FAMILIES)


def _indented(above: Line, first: Line) -> bool:
    """Whether `first` starts an em or more right of `above`: an empty first column (its padding
    on both sides and the cell's own), not a cell's padding alone (a third of that)."""
    return above.x0 < first.x0 - (first.bottom - first.top)


def is_title(text: str) -> bool:
    """A table title ends with 表, or with 表 and a bracketed year."""
    return bool(_TITLE.search(text))


def _run_end(lines: list[Line], i: int, height: float) -> int:
    """End of the run of one-segment lines sharing the left edge of `lines[i]`, or its centre: a
    portal prints a one-cell-per-line table's cells centred in their column (header cells), so
    cells of different widths share only their centre. The run keeps to one of the two once a
    line tells them apart; a table's title centred with the column is a run of its own."""
    j, modes = i, {"left", "centre"}
    while j < len(lines) and len(lines[j].segments) == 1:
        if j > i and (lines[j].top - lines[j - 1].bottom >= _BLOCK * height or _titles(lines[j - 1], lines[j])):
            break  # a table's title is a run of its own: the next table's cells start under it
        shared = {m for m in modes if abs(_edge(lines[j], m) - _edge(lines[i], m)) <= _ALIGN[m] * height}
        if not shared:
            break
        modes = shared
        j += 1
    return j


# How far, in character heights, lines of one column may start (a glyph's side bearing, not an
# indent) or centre (rounding only: a title centred on the page sits a column's offset away).
_ALIGN = {"left": 0.5, "centre": 0.15}


def _titles(*lines: Line) -> bool:
    return any(is_title(ln.segments[0].text) for ln in lines)


def _edge(ln: Line, mode: str) -> float:
    return ln.x0 if mode == "left" else (ln.x0 + ln.x1) / 2


def _under_title(title: Line, first: Line, height: float) -> bool:
    return (
        len(title.segments) == 1
        and is_title(title.segments[0].text)
        and _indented(title, first)
        and first.top - title.bottom < _BLOCK * height
    )


# --- columns from the amounts' right edges -------------------------------------------------------
# Amounts are printed flush right in their cells, while headers are centred and may be wider than
# the numbers under them, and a 部门名称 line or a merged header can cover every gap between two
# columns. The right edges of the amounts then tell the columns where the gaps between text do not.
# Both readings are made; the one under which more rows add up (a total equal to the sum of the
# cells after it: 合计 = 基本 + 项目, 小计 = 购置费 + 运行费) and fewer cells hold two numbers wins.

_AMOUNT = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)\.\d{1,2}$")
_PIECE = re.compile(r"^[\d,]*\d[,.]$|^[.,]\d|^\d{1,3},\d{1,2}$")  # a wrapped amount's first or last part
_AMOUNTS = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{1,2}")


def _choose_separators(blocks: list[TextBlock], notes: list[str]) -> list[float]:
    """The gaps' reading of the columns, unless the amounts' right edges give one under which the
    table's arithmetic holds better (noted in `notes`)."""
    lines = [ln for b in blocks for ln in b.lines]
    by_gaps = _separators(lines)
    by_edges = _edge_separators(lines, min(b.height for b in blocks))
    if by_edges is None or by_edges == by_gaps:
        return by_gaps
    gaps, edges = _arithmetic(blocks, by_gaps), _arithmetic(blocks, by_edges)
    if edges <= gaps:
        return by_gaps
    notes.append(
        f"columns read from the amounts' right edges ({len(by_edges) + 1} columns: {-edges[0]} cells with two"
        f" amounts, {edges[1]} sums hold, {-edges[2]} columns without data) rather than from the gaps between"
        f" text ({len(by_gaps) + 1} columns: {-gaps[0]}, {gaps[1]}, {-gaps[2]})"
    )
    return by_edges


def _edge_separators(lines: list[Line], height: float) -> list[float] | None:
    """Column boundaries from the right edges of the amounts (each amount column ends where its
    numbers end), label columns before each amount column from the labels' extent (and the gaps
    between them), and header cells side by side within one amount column (a column no row fills)
    split at their gap. None when fewer than two amount columns are found."""
    first_data = _first_data(lines)
    edges = _amount_columns(lines[first_data:], height)
    if edges is None:
        return None
    rights = [max(s.x1 for s in col) for col in edges]
    seps = [r + 1.0 for r in rights[:-1]]
    amount_ends = {*seps, float("inf")}
    # labels are the rows' own: lines above the first amount (a row of column numbers 1 2 3 … with
    # no 栏次 word, a sub-header wrapped under it) are the header's
    first_amount = next((i for i in range(first_data, len(lines)) if _whole(lines[i])), first_data)
    labels = _label_edges(lines[first_amount:], edges, rights)
    if labels and labels[0][0] == 0:  # the first label columns: their gaps too
        seps += [x for x in _separators(lines) if x < labels[0][1] - 1.0]
    seps += [edge for _k, edge in labels]
    splits = _one_per_gap(_header_splits(lines[:first_data], sorted(seps), amount_ends), height)
    for k, edge in labels:
        if any(edge < x < rights[k] for x in splits):
            # the label column's header sits right of its labels (centred in a wide column): the
            # label column ends where the amount column's header begins
            seps.remove(edge)
    seps = sorted(set(seps + splits))
    if any(b - a < height for a, b in zip(seps, seps[1:])):
        return None  # columns narrower than a character: not a table set in amounts
    return seps


def _amount_columns(data: list[Line], height: float) -> list[list[Segment]] | None:
    """The data rows' whole amounts grouped by right edge (left to right); None when amounts are
    wrapped, are not most of the numbers, or make fewer than two columns."""
    texts = [s.text.replace(" ", "") for ln in data for s in ln.segments]
    if any(_PIECE.search(t) for t in texts):
        return None  # amounts wrapped in narrow cells: their right edges are no column's
    amounts = [s for ln in data for s in ln.segments if _AMOUNT.match(s.text.replace(" ", ""))]
    if len(amounts) < 0.5 * sum(bool(_NUMERIC.match(t)) for t in texts):
        return None  # a table of counts, scores and codes: amounts do not set its columns
    edges: list[list[Segment]] = []
    for s in sorted(amounts, key=lambda s: s.x1):
        if edges and s.x1 - edges[-1][-1].x1 <= 0.6 * height:
            edges[-1].append(s)
        else:
            edges.append([s])
    return edges if len(edges) >= 2 else None


def _label_edges(data: list[Line], edges: list[list[Segment]], rights: list[float]) -> list[tuple[int, float]]:
    """(k, x): text of the data rows lying wholly between amount column k-1 and the amounts of
    column k is a label column ending at x (just right of its widest label)."""
    out = []
    for k, col in enumerate(edges):
        lo, left = (rights[k - 1] + 1.0 if k else float("-inf")), min(s.x0 for s in col)
        inside = [s.x1 for ln in data for s in ln.segments if s.x0 > lo and s.x1 < left]
        if inside:
            out.append((k, max(inside) + 1.0))
    return out


def _one_per_gap(xs: list[float], height: float) -> list[float]:
    """Boundaries closer than a character are one: each header level's pair of cells side by side
    marks the same gap (其他运转 | 特定 on one line, 类 | 类 on the next, 5 pt apart)."""
    out: list[float] = []
    for x in sorted(xs):
        if not out or x - out[-1] >= height:
            out.append(x)
    return out


def _header_splits(header: list[Line], seps: list[float], amount_ends: set[float]) -> list[float]:
    """Boundaries between header cells side by side within one amount column (the interval ending
    at one of `amount_ends`): a column no row fills, or the label column's header, beside the
    column of the amounts under it."""
    bounds = [float("-inf"), *seps, float("inf")]
    out = []
    for ln in header:
        for a, b in zip(ln.segments, ln.segments[1:]):
            k = bisect_right(bounds, a.x0) - 1
            if bounds[k] < b.x0 < bounds[k + 1] and b.x1 <= bounds[k + 1] and bounds[k + 1] in amount_ends:
                out.append((a.x1 + b.x0) / 2)
    return out


def _arithmetic(blocks: list[TextBlock], seps: list[float]) -> tuple[int, int, int]:
    """(negated count of cells holding more than one amount; cells that are the sum of two or more
    cells right after them; negated count of columns no row with an amount fills: a header set
    apart from its numbers makes two such half-columns): larger is better, in that order."""
    sums = merged = 0
    filled: set[int] = set()
    for b in blocks:
        for row in _rows(b.lines, b.height, b.rules, b.wrap):
            cells = _cells(row, seps)
            merged += sum(len(_AMOUNTS.findall(re.sub(r"[\s]", "", c))) > 1 for c in cells)
            sums += _sums(cells)
            if any(_value(c) is not None for c in cells):
                filled.update(i for i, c in enumerate(cells) if c)
    return -merged, sums, -(len(seps) + 1 - len(filled))


def _sums(cells: list[str]) -> int:
    """How many non-zero cells equal the sum of two or more cells right after them."""
    values = [_value(c) for c in cells]
    hits = 0
    for i, v in enumerate(values):
        if not v:
            continue
        total, n = 0, 0
        for w in values[i + 1 :]:
            if w is None:
                continue
            total, n = total + w, n + 1
            if n >= 2 and total == v:
                hits += 1
                break
            if total > v:
                break
    return hits


def _value(cell: str) -> int | None:
    """An amount cell in cents (exact), else None."""
    text = re.sub(r"[\s,]", "", cell)  # an amount wrapped in a narrow cell is one amount
    if not _AMOUNT.match(text):
        return None
    whole, _, frac = text.partition(".")
    sign = -1 if whole.startswith("-") else 1
    return sign * (abs(int(whole)) * 100 + int(frac.ljust(2, "0")))
