"""Tables printed one cell per line (each cell a row of its own beside an empty first column), in
PDFs without vertical rules: found by etl.readers.pdf_grid.cell_columns, followed over page breaks
by etl.readers.pdf, cut back into rows by etl.layout. Lines and blocks are built here."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from etl.layout import LogicalTable, _rechunk_vertical, build_tables
from etl.model import Document, Paragraph, RawTable, Row
from etl.readers.pdf import _document_blocks, _Page
from etl.readers.pdf_grid import CellColumn, Line, Segment, cell_columns

SIZE = 10.0
TITLE_X, CELL_X = 34.0, 52.0  # a cell column sits an empty column (two paddings and more) right of the title


def line(x: float, top: float, text: str) -> Line:
    return Line(top, top + SIZE, [Segment(x, x + SIZE * len(text), text)])


def column(x: float, top: float, *cells: str | tuple[str, ...]) -> list[Line]:
    """One line per cell (rows 16 apart); a tuple is one cell wrapped over lines 12 apart."""
    out = []
    for cell in cells:
        for k, part in enumerate(cell if isinstance(cell, tuple) else (cell,)):
            out.append(line(x, top + 12 * k, part))
        top = out[-1].top + 16
    return out


def test_column_under_a_title_is_a_table_with_one_cell_a_row():
    lines = [
        line(TITLE_X, 100, "1.奖励性绩效工资绩效目标表"),
        *column(CELL_X, 120, "绩效目标", ("保障工资福利", "待遇稳定"), "一级指标"),
    ]
    (found,), rest = cell_columns(lines, SIZE, 40.0)
    assert found.anchored and found.cells() == ["绩效目标", "保障工资福利待遇稳定", "一级指标"]
    assert [ln.segments[0].text for ln in rest] == ["1.奖励性绩效工资绩效目标表"]


def test_prose_and_headings_are_no_cell_column():
    """Lines at the title's own left edge, lines indented by a cell padding only, and an indented
    unit line under a title stay text."""
    prose = [
        line(TITLE_X, 100, "1.奖励性绩效工资绩效目标表"),
        *column(TITLE_X, 120, "第一句话", "第二句话", "第三句话"),
    ]
    padded = [line(TITLE_X, 100, "部门整体绩效目标表"), *column(TITLE_X + 6, 120, "部门", "名称", "获嘉")]
    unit = [line(TITLE_X, 100, "部门收支总体情况表"), *column(CELL_X, 120, "单位：万元", "科目", "金额")]
    for lines in (prose, padded, unit):
        found, _rest = cell_columns(lines, SIZE, 40.0, opens_page=False)
        assert found == []


def test_column_that_starts_with_template_headers_is_a_table_without_a_title():
    lines = [
        line(TITLE_X, 100, "目标内容：保障单位正常运转。"),
        *column(CELL_X, 120, "一级指标", "二级指标", "三级指标"),
    ]
    (found,), _rest = cell_columns(lines, SIZE, 40.0)
    assert found.anchored and found.cells()[0] == "一级指标"


def _two_pages(second: list[Line], before: Paragraph | None = None) -> list[Paragraph | RawTable]:
    first = column(
        CELL_X, 120, "一级指标", "二级指标", "三级指标", "指标值", "产出指标", "数量指标", "发放人数", "24人", "效果指标",
        "社会效益指标", ("增强服务意识推动", "作风建设常态化"),
    )  # fmt: skip
    blocks = {
        1: [
            (100.0, Paragraph(text="1.奖励性绩效工资绩效目标表", page=1, line=None)),
            (120.0, CellColumn(first, SIZE, True, 1)),
        ],
        2: [(50.0, CellColumn(second, SIZE, False, 2))],
    }
    if before is not None:
        blocks[1].append((700.0, before))
    return _document_blocks([_Page(1, 595.0, 842.0), _Page(2, 595.0, 842.0)], blocks)


def test_column_goes_on_over_the_page_break_and_a_full_last_line_goes_on_in_its_cell():
    """The next page opens with a column at the same left edge: the table goes on. The page's last
    line was as wide as the line its cell wrapped after, so the next page's first line ends that
    cell. The run of cells is then cut into rows of the header's width (一级指标 up to 产出指标)."""
    blocks = _two_pages(
        column(CELL_X, 50, "长效化", "≥12月", "质量指标", "合格率", "100%", "时效指标", "及时率", "12月")
    )
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "RawTable", "RawTable"]
    assert blocks[2].continues_previous and blocks[1].open_bottom and blocks[2].open_top
    doc = Document(path="x.pdf", file_name="x.pdf", fmt="pdf", page_count=2, blocks=blocks)
    (table,) = build_tables(doc)
    assert table.title == "1.奖励性绩效工资绩效目标表"
    assert [r.cells for r in table.rows] == [
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "发放人数", "24人"],
        ["效果指标", "社会效益指标", "增强服务意识推动作风建设常态化长效化", "≥12月"],
        ["质量指标", "合格率", "100%"],  # a row without its empty 一级指标 cell is one short
        ["时效指标", "及时率", "12月"],
    ]


def test_column_opening_a_page_after_text_is_text():
    """The same column after a paragraph that ends the page before is no table part."""
    blocks = _two_pages(
        column(CELL_X, 50, "第一句话", "第二句话", "第三句话"), Paragraph(text="以上为说明。", page=1, line=None)
    )
    assert [type(b).__name__ for b in blocks[-4:]] == ["Paragraph"] * 4 and blocks[-1].text == "第三句话"


def test_first_header_word_makes_a_table_only_in_an_indented_run():
    """A column whose first cell is the first header word of a template (its header goes on on the
    next page) is a table when indented by an empty column; a bare heading "基本支出" over a
    paragraph at the text's own left edge is not."""
    indented = [line(TITLE_X, 100, "目标内容：保障单位正常运转。"), *column(CELL_X, 120, "一级指标", "二级指标")]
    heading = [
        line(TITLE_X, 100, "二、支出情况说明"),
        *column(TITLE_X, 120, "基本支出", "主要用于人员工资。", "和日常公用经费。"),
    ]
    (found,), _rest = cell_columns(indented, SIZE, 40.0)
    assert found.anchored and found.cells() == ["一级指标", "二级指标"]
    assert cell_columns(heading, SIZE, 40.0, opens_page=False)[0] == []


_words = st.sampled_from(
    ["一级指标", "二级指标", "三级指标", "产出指标", "数量指标", "质量指标", "效果指标", "24人", "100%", "说明", "表"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([TITLE_X, CELL_X, 90.0]), _words, st.integers(10, 40)), max_size=30))
def test_cell_columns_split_the_lines_without_losing_or_reordering_one(spec):
    """Whatever the lines, every line ends in exactly one column or among the rest, in order."""
    lines, top = [], 60.0
    for x, text, gap in spec:
        lines.append(line(x, top, text))
        top += gap
    found, rest = cell_columns(lines, SIZE, 40.0)
    kept = sorted([ln for c in found for ln in c.lines] + rest, key=lambda ln: ln.top)
    assert [id(ln) for ln in kept] == [id(ln) for ln in lines]
    assert all(c.lines == lines[lines.index(c.lines[0]) : lines.index(c.lines[0]) + len(c.lines)] for c in found)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_words, min_size=1, max_size=9), min_size=1, max_size=6))
def test_rechunked_vertical_rows_keep_every_cell_in_order(rows):
    """Cutting a run of cells into rows neither drops, adds nor reorders a cell."""
    table = LogicalTable(title=None, rows=[Row(cells=list(r), page=1, line=None, index=i, vertical=True) for i, r in enumerate(rows)], unit=None, unit_source=None, page=1, line=None)  # fmt: skip
    _rechunk_vertical(table)
    assert [c for r in table.rows for c in r.cells] == [c for r in rows for c in r]
    assert all(r.cells for r in table.rows)
