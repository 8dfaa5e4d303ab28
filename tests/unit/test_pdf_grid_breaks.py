"""Tables without vertical rules cut by page breaks (etl.readers.pdf_grid), on characters built here:
each rule on the smallest input that needs it, with the cells it must give."""

from __future__ import annotations

from etl.readers.pdf_grid import Line, Segment, TextBlock, _rows, find_text_blocks, grids
from tests.unit.pdf_chars import SIZE, page


def cells(chain: list[TextBlock]) -> list[list[list[str]]]:
    return [grid for grid, _unused in grids(chain)]


def test_one_rule_inside_a_short_part_does_not_group_rows():
    """A 三线表 rules only under its header: two data rows below that rule stay two rows."""
    lines = [
        Line(100, 110, [Segment(50, 90, "项目"), Segment(150, 190, "金额")]),
        Line(125, 135, [Segment(50, 90, "甲"), Segment(150, 190, "1.00")]),
        Line(150, 160, [Segment(50, 90, "乙"), Segment(150, 190, "2.00")]),
    ]
    rows = _rows(lines, SIZE, [116.0])
    assert [[s.text for ln in r for s in ln.segments] for r in rows] == [
        ["项目", "金额"],
        ["甲", "1.00"],
        ["乙", "2.00"],
    ]


def test_first_row_printed_as_stacked_labels_joins_the_table():
    """A first row whose two cells are printed on lines of their own (a label stacked one
    character a line, a name wrapped beside it) belongs to the table when its label sits where the
    table's stacked labels start, even though no columnar line starts there."""
    (block,) = page(
        (40, 100, "项"),
        (160, 106, "企业退"),
        (40, 112, "目"),
        (160, 118, "休人员"),
        (160, 136, "盐池县"),
        (260, 136, "实施单位"),
        (40, 142, "主"),
        (160, 148, "管理所"),
        (260, 148, "1.00"),
        (40, 154, "管"),
    )
    grid = cells([block])[0]
    assert grid[0][:2] == ["项\n目", "企业退\n休人员"]


def _first_part() -> TextBlock:
    (block,) = page(
        (50, 100, "项目"),
        (150, 100, "金额"),
        (250, 100, "方向"),
        (50, 125, "社保经费"),
        (150, 125, "500.00"),
        (250, 125, "正"),
        (250, 139, "向"),
    )
    return block


def _page_opening_with_a_tail():
    """Two one-character lines (指, 标) in a column the page's own rows leave empty, above them."""
    return page(
        (250, 50, "指"),
        (250, 64, "标"),
        (50, 90, "档案费"),
        (150, 90, "100.00"),
        (50, 115, "宣传费"),
        (150, 115, "200.00"),
    )


def test_cut_tail_in_a_column_the_next_page_leaves_empty_joins_its_row():
    """The last two characters of a cell cut by the page break sit at the top of the next page in
    a column none of that page's rows fills: they finish the row above, not a paragraph."""
    first = _first_part()
    (second,) = _page_opening_with_a_tail()
    assert [ln.segments[0].text for ln in second.lead] == ["指", "标"]
    head, tail = cells([first, second])
    assert head[-1] == ["社保经费", "500.00", "正\n向\n指\n标"]
    assert tail == [["档案费", "100.00", ""], ["宣传费", "200.00", ""]]


def test_lead_lines_that_continue_nothing_are_paragraphs():
    """The same lines above a table that starts a page without a table before it stay text."""
    (second,) = _page_opening_with_a_tail()
    ((grid, unused),) = grids([second])
    assert [ln.segments[0].text for ln in unused] == ["指", "标"] and grid[0] == ["档案费", "100.00"]


def test_a_row_at_the_top_of_a_page_is_new_when_the_cell_above_ended_before_the_cut():
    """A one-cell row at the top of a page, in a column whose cell in the last row ended two lines
    above the cut (complete), is a row of its own, not that cell's tail."""
    (first,) = page(
        (50, 100, "项目"),
        (150, 100, "金额"),
        (250, 100, "说明"),
        (50, 125, "档案费"),
        (150, 125, "500.00"),
        (250, 125, "整理装订"),
        (250, 139, "归档移交"),
        (250, 153, "档案局"),
    )
    (second,) = page((50, 50, "县社会保"), (50, 75, "险中心"), (150, 75, "1.00"), (250, 75, "办公"))
    head, tail = cells([first, second])
    assert head[-1] == ["档案费", "500.00", "整理装订\n归档移交\n档案局"]
    assert tail[0] == ["县社会保", "", ""]


def test_a_wrapped_code_goes_on_past_the_page_break():
    """A project code wrapped over the cut (digits under digits) does not make the tail a new row:
    the tail leaves the amount column empty and fills only cells that ran to the cut."""
    (first,) = page(
        (50, 100, "项目编码"),
        (150, 100, "项目名称"),
        (250, 100, "金额"),
        (50, 125, "4103082"),
        (150, 125, "区级代缴"),
        (250, 125, "60.00"),
        (50, 139, "400"),
        (150, 139, "困难群众"),
    )
    (second,) = page(
        (50, 50, "30424"), (150, 50, "城乡居民"), (50, 75, "4103083"), (150, 75, "其他"), (250, 75, "71.00")
    )
    head, tail = cells([first, second])
    assert head[-1] == ["4103082\n400\n30424", "区级代缴\n困难群众\n城乡居民", "60.00"]
    assert tail == [["4103083", "其他", "71.00"]]


def test_a_new_row_with_its_own_amount_is_not_a_tail():
    """The next row with an amount of its own under the previous row's amount starts a row."""
    first = _first_part()
    (second,) = page((50, 50, "档案费"), (150, 50, "100.00"), (250, 50, "正"), (50, 75, "宣传费"), (150, 75, "200.00"))
    head, tail = cells([first, second])
    assert head[-1] == ["社保经费", "500.00", "正\n向"] and tail[0] == ["档案费", "100.00", "正"]


def test_rows_are_told_apart_by_the_tables_own_type_size():
    """Body text set larger than the table (12 vs 8): 5 between two table rows is a row gap for
    8-point cells, though less than half the page's usual character height."""

    def sized(x: float, top: float, text: str, size: float) -> list[dict]:
        return [
            {"text": ch, "x0": x + i * size, "x1": x + (i + 1) * size, "top": top, "bottom": top + size}
            for i, ch in enumerate(text)
        ]

    body = [c for k in range(4) for c in sized(50, 60 + 20 * k, "说明文字说明文字说明文字说明文字说明文字", 12)]
    table = [
        *sized(50, 200, "项目", 8),
        *sized(150, 200, "金额", 8),
        *sized(50, 213, "甲", 8),
        *sized(150, 213, "1.00", 8),
        *sized(50, 226, "乙", 8),
        *sized(150, 226, "2.00", 8),
    ]
    (block,), _rest = find_text_blocks(body + table, [], 40.0)
    assert cells([block]) == [[["项目", "金额"], ["甲", "1.00"], ["乙", "2.00"]]]


def test_amounts_wrapped_in_narrow_cells_go_on_past_the_page_break():
    """A 合计 row cut inside its amounts (18786.35 printed 18/78 and 6.3/5): a next-page row of
    nothing but number fragments under those numbers, its label cell empty, ends that row."""
    (first,) = page(
        (50, 100, "项目"),
        (150, 100, "总计"),
        (250, 100, "一般"),
        (50, 125, "合计"),
        (150, 125, "18"),
        (250, 125, "187"),
        (150, 139, "78"),
        (250, 139, "86."),
    )
    (second,) = page(
        (150, 50, "6.3"), (250, 50, "35"), (150, 64, "5"), (50, 90, "中心"), (150, 90, "1.00"), (250, 90, "2.00")
    )
    head, tail = cells([first, second])
    assert head[-1] == ["合计", "18\n78\n6.3\n5", "187\n86.\n35"]
    assert tail == [["中心", "1.00", "2.00"]]


def test_amounts_under_a_header_row_start_a_row():
    """Numbers at the top of a page under a header row cut by the break are the first data row."""
    (first,) = page(
        (50, 100, "因公出国"),
        (150, 100, "公务接待"),
        (50, 125, "费用"),
        (150, 125, "合计"),
        (50, 139, "小计"),
        (150, 139, "金额"),
    )
    (second,) = page((50, 50, "1.00"), (150, 50, "2.00"), (50, 75, "3.00"), (150, 75, "4.00"))
    head, tail = cells([first, second])
    assert tail[0] == ["1.00", "2.00"]
