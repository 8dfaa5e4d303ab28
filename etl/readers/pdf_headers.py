"""Merged header cells that fall between their columns' texts, for tables read from word positions.

`pdf_grid` reads a rule-less table's columns from the gutters no data text crosses; a header cell
that spans a gutter is a merged cell and sets no column. On a wide page a short merged header
(收入 centred over 项目 | 行次 | 决算数, 支出 over their right-hand twins) may instead lie wholly inside
one gutter, touching no column: read as text, it made a column of its own that no row fills, and
the rows' cells went one column off the headers. Such a cell is told from the header of a column
that no row fills (项目支出 printed left-aligned over an empty column) by two things a merged cell
has: it is centred, to its glyphs' bearings, over a run of three or more data columns around its
gutter, and each column of that run holds a header cell on a lower line (its sub-headers).

Cost: per header cell lying in a gutter, the runs of columns around that gutter (a table has a
few dozen columns at most); cells crossing no gutter cost one pass over the gutters.
"""

from __future__ import annotations

from etl.readers.pdf_lines import Line, Segment

# How far, in character heights, a merged cell's centre may sit from its run's: glyph bearings only
# (a renderer centres a merged cell exactly: 收入, 支出, 决算数 sat 0.0-0.2 pt off in 9 pt type).
_CENTRED = 0.05


def data_columns(spans: list[tuple[float, float]], gutters: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The data rows' columns, from the first data text to the last, cut at the `gutters` (the
    x-intervals inside them no data text covers, left to right)."""
    if not spans:
        return []
    starts = [min(a for a, _b in spans), *(g1 for _g0, g1 in gutters)]
    ends = [*(g0 for g0, _g1 in gutters), max(b for _a, b in spans)]
    return list(zip(starts, ends))


def centred_in_gutters(
    header: list[tuple[Line, Segment]], gutters: list[tuple[float, float]], columns: list[tuple[float, float]]
) -> list[Segment]:
    """The header cells (with their lines) lying wholly in a gutter between data `columns` that
    are merged cells: centred over a run of the columns around that gutter, each column of which
    holds a header cell on a lower line."""
    out = []
    for ln, s in header:
        k = next((k for k, (g0, g1) in enumerate(gutters) if g0 <= s.x0 and s.x1 <= g1), None)
        if k is None:
            continue
        below = [b for other, b in header if other.top > ln.bottom]
        if _over_run(s, k, columns, below, _CENTRED * (ln.bottom - ln.top)):
            out.append(s)
    return out


def _over_run(s: Segment, k: int, columns: list[tuple[float, float]], below: list[Segment], tol: float) -> bool:
    """Whether `s`, in the gutter after column k, is centred within `tol` over a run of three or
    more columns [i..j] (i <= k < j) each of which a header cell of `below` overlaps. A merged cell
    over just the two columns beside its gutter sits where the header of an empty column between
    them would (项目支出 over a column no row fills, 0.3 pt off the centre of 公用经费 | 小计 by
    chance): geometry cannot tell them apart, so such a cell keeps its column, as before."""
    mid = (s.x0 + s.x1) / 2

    def filled(c: int) -> bool:
        return any(b.x0 < columns[c][1] and b.x1 > columns[c][0] for b in below)

    return any(
        abs((columns[i][0] + columns[j][1]) / 2 - mid) <= tol and all(filled(c) for c in range(i, j + 1))
        for i in range(k + 1)
        for j in range(k + 1, len(columns))
        if j - i >= 2
    )
