"""From raw blocks to logical tables: title, amount unit, continuation across page breaks.

A raw table that follows another with no paragraph in between continues it (page breaks cut
tables in both the text and the PDF renderings). Tables printed one cell per line (`\tcell`
lines, one block per row) are transposed back into rows; a PDF prints such a table as one run of
cells without the blank lines between rows, and the run is cut back into rows by its header's
width. The paragraphs right after a table are kept as its notes, because "故本表无数据" /
"此表为空表" there is what makes an empty table disclosed-empty rather than missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from etl.model import Document, Paragraph, RawTable, Row
from etl.normalize import compact, find_unit, looks_like_title, unit_in_header


def _is_fragment(text: str) -> bool:
    t = compact(text)
    return 0 < len(t) <= 12 and not re.search(r"[。；：:]", t) and not looks_like_title(t)


def _notes(pending: list[Paragraph]) -> list[Paragraph]:
    """Paragraphs after a table up to the next title: 注 and "本表无数据" statements."""
    out = []
    for p in pending[:20]:
        if looks_like_title(p.text):
            break
        out.append(p)
    return out


def _header_for_previous(prev: LogicalTable, raw: RawTable, pending: list[Paragraph]) -> bool:
    """An untitled table that starts with the indicator header a titled table above still lacks:
    the text between them is the tail of a long cell (e.g. a 绩效目标 paragraph), not a new table."""
    if any(looks_like_title(p.text) for p in pending) or prev.title is None:
        return False
    first = raw.rows[0].cells[1:2] if _is_vertical(raw) else raw.rows[0].cells[:1]
    if not first or compact(first[0]) != "一级指标":
        return False  # checked first: the scan below then runs only for such rare tables
    return not any(compact(c) == "一级指标" for r in prev.rows for c in r.cells)


def _is_vertical(table: RawTable) -> bool:
    return bool(table.rows) and all(len(r.cells) == 2 and r.cells[0] == "" for r in table.rows)


@dataclass
class LogicalTable:
    title: str | None
    rows: list[Row]
    unit: str | None
    unit_source: str | None
    page: int
    line: int | None
    context: list[Paragraph] = field(default_factory=list)  # paragraphs between title and table
    notes: list[Paragraph] = field(default_factory=list)  # paragraphs right after the table
    family: str | None = None

    @property
    def table_id(self) -> str:
        return f"p{self.page}" + (f"l{self.line}" if self.line else f"r{self.rows[0].index}")


def _transpose(raw: RawTable) -> Row:
    first = raw.rows[0]
    return Row(cells=[r.cells[1] for r in raw.rows], page=first.page, line=first.line, index=first.index, vertical=True)


def _same_row(a: Row, b: Row) -> bool:
    return [compact(c) for c in a.cells] == [compact(c) for c in b.cells]


def build_tables(doc: Document) -> list[LogicalTable]:
    tables: list[LogicalTable] = []
    pending: list[Paragraph] = []
    last_raw: RawTable | None = None
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            pending.append(block)
            continue
        raw = block
        fragments = pending and all(_is_fragment(p.text) for p in pending)
        joinable = (
            last_raw is not None
            and tables
            and (
                raw.continues_previous
                or (fragments and _is_vertical(raw) and _is_vertical(last_raw))
                or _header_for_previous(tables[-1], raw, pending)
            )
        )
        if joinable:
            current = tables[-1]
            if fragments and not raw.continues_previous:
                # A cell wrapped onto a line of its own split one printed row into two blocks.
                tail = current.rows[-1]
                tail.cells[-1] += "".join(compact(p.text) for p in pending)
                tail.cells.extend(_transpose(raw).cells)
            else:
                _append(current, last_raw, raw)
        else:
            if tables:
                tables[-1].notes = _notes(pending)
            title_idx = max((i for i, p in enumerate(pending) if looks_like_title(p.text)), default=None)
            title = compact(pending[title_idx].text) if title_idx is not None else None
            if title_idx:
                # A long title wrapped over two PDF lines: the first part is an unfinished line.
                prev = compact(pending[title_idx - 1].text)
                if not looks_like_title(prev) and not re.search(r"[。；：:！]$", prev):
                    # A wrapped first line fills the page width; a short one is a heading.
                    if len(prev) >= 30 and len(prev) + len(title or "") <= 140 and re.match(r"^\d+[.、]", prev):
                        title, title_idx = prev + title, title_idx - 1
            context = pending[title_idx:] if title_idx is not None else pending[-3:]
            rows = [_transpose(raw)] if _is_vertical(raw) else list(raw.rows)
            unit, source = None, None
            for p in context:
                if u := find_unit(p.text):
                    unit, source = u, "unit line"
            tables.append(
                LogicalTable(
                    title=title,
                    rows=rows,
                    unit=unit,
                    unit_source=source,
                    page=raw.page,
                    line=raw.line,
                    context=context,
                )
            )
        pending = []
        last_raw = raw
    if tables:
        tables[-1].notes = _notes(pending)
    for t in tables:
        _rechunk_vertical(t)
        _join_split_vertical_rows(t)
        if t.unit is None:
            t.unit = next((u for r in t.rows[:5] for c in r.cells if (u := unit_in_header(c))), None)
            t.unit_source = "header cell" if t.unit else None
    return tables


_ROW_START = ("一级指标", "绩效目标", "产出指标", "效益指标", "效果指标", "满意度指标", "成本指标")


def _starts_row(r: Row, prev: Row) -> bool:
    """Whether a one-cell-per-line block begins a printed row (a PDF drops the empty first cell,
    so a row may also begin with its 二级指标)."""
    first = compact(r.cells[0]) if r.cells else ""
    if first in _ROW_START:
        return True
    lone_level1 = len(prev.cells) == 1 and compact(prev.cells[0]) in _ROW_START
    return first.endswith("指标") and not lone_level1


def _rechunk_vertical(t: LogicalTable) -> None:
    """A one-cell-per-line table read as one long run of cells (a PDF prints no blank line between
    its rows) holds many printed rows in one: cut it again into rows of the header's width, the
    header being the cells from 一级指标 up to the first 一级 name. A row that lost its empty 一级
    cell is one cell short: it ends where the next 二级 name (…指标) begins."""
    if not t.rows or not all(r.vertical for r in t.rows):
        return
    cells = [(c, r) for r in t.rows for c in r.cells]
    keys = [compact(c) for c, _r in cells]
    if "一级指标" not in keys:
        return
    h = keys.index("一级指标")
    w = next((k for k in range(h + 1, len(keys)) if keys[k] in _ROW_START[2:]), len(keys)) - h
    if max(len(r.cells) for r in t.rows) <= w:
        return  # each row already printed on its own
    chunks = [list(range(h))] if h else []
    chunks.append(list(range(h, h + w)))
    for k in range(h + w, len(cells)):
        row = chunks[-1] if len(chunks) > 1 + bool(h) else None
        if row is None or len(row) >= w or (len(row) >= w - 1 and keys[k].endswith("指标")):
            chunks.append([])
        chunks[-1].append(k)
    t.rows = [
        Row(
            cells=[cells[k][0] for k in ks],
            page=(src := cells[ks[0]][1]).page,
            line=src.line,
            index=src.index,
            vertical=True,
        )
        for ks in chunks
        if ks
    ]


def _join_split_vertical_rows(t: LogicalTable) -> None:
    """A one-cell-per-line row cut by a page break arrives as two short rows on two pages; join
    them when together they have the table's usual row length."""
    lengths = [len(r.cells) for r in t.rows if r.vertical]
    if len(lengths) < 3:
        return
    widest = max(lengths)
    out: list[Row] = []
    for r in t.rows:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.vertical
            and r.vertical
            and len(prev.cells) + len(r.cells) <= widest
            and not _starts_row(r, prev)
        ):
            prev.cells.extend(r.cells)
            continue
        out.append(r)
    t.rows = out


def _append(current: LogicalTable, prev: RawTable, raw: RawTable) -> None:
    if _is_vertical(raw):
        row = _transpose(raw)
        if prev.open_bottom and raw.open_top and current.rows and current.rows[-1].vertical:
            tail = current.rows[-1]  # a cell cut by the page break: its two parts are one cell
            tail.cells = [*tail.cells[:-1], tail.cells[-1] + row.cells[0], *row.cells[1:]]
            return
        current.rows.append(row)
        return
    rows, start = raw.rows, 0
    if prev.open_bottom and raw.open_top and rows and current.rows:
        tail, head = current.rows[-1], rows[0]
        if len(tail.cells) == len(head.cells):
            tail.cells = [a + b for a, b in zip(tail.cells, head.cells)]
            start = 1
    header = current.rows[:3]
    while start < len(rows) and any(_same_row(rows[start], h) for h in header):
        start += 1  # header repeated on the continuation page (an index, not list.pop(0))
    current.rows.extend(rows[start:])
