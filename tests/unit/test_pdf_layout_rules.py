"""Rules for the harder PDF layouts of issue #18 (tests/pdf_layouts.py EXTRA_VARIANTS, REAL_STYLES),
each on the smallest input built here that needs it: tables continued onto a page that holds only
their last rows, rows cut by a page break, real-style header bands, the wrap gap of small type;
properties for the two rules that compute limits (wrap_ratio, _one_per_gap)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from etl.readers.pdf import _holds_table, _Page
from etl.readers.pdf_grid import _is_cut_tail, grids
from tests.unit.pdf_chars import chars, page


def test_a_page_with_one_row_of_amounts_goes_on_with_a_table_only_after_one():
    """The last rows of a table on a page of their own: labels wrapped on lines of their own and a
    single line split into columns. After a page ending in a table it is a table part; alone it is
    text (the triage needs two columnar lines)."""
    p = _Page(2, 595.0, 842.0)
    p.chars = chars((50, 60, "(九)医疗卫生"), (50, 74, "支出"), (50, 100, "(十)卫生健康"), (200, 100, "3.00"))
    assert not _holds_table(p)
    assert _holds_table(p, after_table=True)


def test_a_row_opening_with_an_ordinal_is_new_not_the_tail_of_the_row_above():
    """'(九)…' at the top of a page, under a row whose label and amounts reached the cut, starts
    the next row: an item's ordinal opens a label, it never continues one."""
    last = ["(八)社会保障和就业\n支出", "5,846.05"]
    assert _is_cut_tail(last, ["其他支出", ""], {0, 1})
    assert not _is_cut_tail(last, ["(九)医疗卫生与计划生育支出", ""], {0, 1})
    assert not _is_cut_tail(last, ["九、其他", ""], {0, 1})
    assert not _is_cut_tail(last, ["其中:住房", ""], {0, 1})


def test_the_rest_of_a_header_row_cut_by_the_page_break_finishes_it():
    """A header cell wrapped past the cut ('一般公共预算' | '资金') opens the next page above the
    table's amounts, in a column they leave empty: it finishes the header row instead of standing
    as paragraphs that would end the table there."""
    (first,) = page(
        (50, 100, "项目"),
        (150, 100, "合计"),
        (250, 100, "一般公共预算"),
        (50, 125, "类别"),
        (150, 125, "小计"),
        (250, 125, "一般公共预算"),
    )
    (second,) = page((250, 50, "资金"), (50, 80, "合计"), (150, 80, "39.64"), (50, 105, "单位"), (150, 105, "39.64"))
    assert [ln.segments[0].text for ln in second.lead] == ["资金"]
    (head, unused_head), (tail, unused) = grids([first, second])
    assert head[-1] == ["类别", "小计", "一般公共预算\n资金"] and not unused
    assert tail == [["合计", "39.64", ""], ["单位", "39.64", ""]]


def test_header_words_without_a_header_above_stay_paragraphs():
    """The same lines at the top of a page with no table before it are text, not a tail."""
    (second,) = page((250, 50, "资金"), (50, 80, "合计"), (150, 80, "39.64"), (50, 105, "单位"), (150, 105, "39.64"))
    ((grid, unused),) = grids([second])
    assert [ln.segments[0].text for ln in unused] == ["资金"] and grid[0][:2] == ["合计", "39.64"]


def _lines(*rows: tuple[float, float, list[tuple[float, str]]]):
    from etl.readers.pdf_grid import Line, Segment

    return [Line(top, bottom, [Segment(x, x + 10 * len(t), t) for x, t in segs]) for top, bottom, segs in rows]


def test_small_type_whose_wrapped_lines_sit_half_a_height_apart_keeps_them_in_one_cell():
    """7 pt cells: a renderer rounding line heights to pixels sets a cell's wrapped lines 3.5 pt
    (0.5 heights) apart, where 0.5 was the limit; rows sit 5 pt apart. The cells' own gap, seen
    twice on the page, lifts the limit half a pixel above it; rows stay rows."""
    from etl.readers.pdf_grid import _rows, wrap_ratio

    lines = _lines(
        (100.0, 107.0, [(50, "完成企业"), (150, "1.00")]),
        (110.5, 117.5, [(50, "职工养老")]),
        (121.0, 128.0, [(50, "保险待遇")]),
        (133.0, 140.0, [(50, "年检经费"), (150, "2.00")]),
    )
    wrap = wrap_ratio(lines, 7.0)
    assert 0.5 < wrap < 0.6
    assert [len(r) for r in _rows(lines, 7.0, [], wrap)] == [3, 1]
    assert [len(r) for r in _rows(lines, 7.0, [])] == [1, 1, 1, 1]  # the fixed limit split the cell


def test_rows_of_amounts_or_ordinals_never_set_the_wrap_gap():
    """Rows set close (0.5 heights: 8 pt cells, 1 pt padding) with an amount or an item ordinal on
    the lower line are rows, whatever their gap: the limit stays 0.5."""
    from etl.readers.pdf_grid import wrap_ratio

    lines = _lines(
        (100.0, 108.0, [(50, "十、节能"), (150, "1.00")]),
        (112.0, 120.0, [(50, "十一、城乡")]),
        (124.0, 132.0, [(50, "教育支出"), (150, "2.00")]),
        (136.0, 144.0, [(50, "十二、农林")]),
        (148.0, 156.0, [(50, "科学技术"), (150, "3.00")]),
    )
    assert wrap_ratio(lines, 8.0) == 0.5


def test_a_header_band_of_merged_cells_is_one_row_per_level():
    """Real-style headers (no rules): 基本支出 centred over 小计 / 人员经费, 合计 a merged cell
    centred down beside them (as low as the sub-headers). The band is two header rows as the text
    prints them: 合计 and 基本支出 above, the sub-headers under 基本支出 only."""
    from etl.readers.pdf_grid import _levels

    band = _lines(
        (100.0, 110.0, [(235, "基本支出")]),
        (116.0, 126.0, [(100, "合计"), (200, "小计"), (280, "人员经费")]),
    )
    seps = [180.0, 260.0, 400.0]
    assert _levels(band, seps, 5.0) == [["合计", "基本支出", "", ""], ["", "小计", "人员经费", ""]]
    # a band of one level (each column one cell, lines of a wrapped cell within a wrap gap) stays one row
    assert _levels(_lines((100.0, 110.0, [(100, "科目")]), (113.0, 123.0, [(100, "编码")])), seps, 5.0) is None


def test_words_only_under_cells_that_ran_to_the_cut_finish_them():
    """'办公用品及耗材采' ran to the foot of the page beside '≥6次' that ended above it: '购批次' at the
    top of the next page is its rest. A first row with a digit, or one where every cell of the row
    above goes on, is not such a rest."""
    assert _is_cut_tail(["", "办公用品及耗材采", "≥6次"], ["", "购批次", ""], {1})
    assert not _is_cut_tail(["", "办公用品及耗材采", "≥6次"], ["", "印刷合格率", "100%"], {1, 2})
    assert not _is_cut_tail(["", "办公用品及耗材采", "≥6次"], ["", "购批次2", ""], {1})


def test_a_number_inside_a_wrapped_label_does_not_make_the_lines_above_a_header():
    """'单位运转经费22成本' wrapped in a narrow cell prints '22' on a line of its own: words above it
    ('单位运转') are the same row's, not a header over an amount; only whole amounts (2.19) count."""
    from etl.readers.pdf_grid import _split_header

    row = _lines(
        (100.0, 110.0, [(50, "单位"), (200, "单位运转")]),
        (104.0, 114.0, [(120, "2.19")]),
        (108.0, 118.0, [(50, "工作"), (200, "22")]),
    )
    assert len(_split_header(row)) == 1


def test_two_header_pairs_marking_one_gap_make_one_column_boundary():
    """其他运转 | 特定 on one header line and 类 | 类 on the next mark the same gap 5 pt apart: one
    boundary, not two columns narrower than a character (which dropped the amounts' reading)."""
    from etl.readers.pdf_grid import _one_per_gap

    assert _one_per_gap([526.0, 521.0, 300.0], 9.0) == [300.0, 521.0]


def test_a_merged_header_without_sub_headers_goes_to_the_narrowest_run_centred_under_it():
    """基本支出 alone on its header line (its sub-headers a row below): of the runs of columns
    centred under it within a quarter of its width, the narrowest, not the whole table's width
    that happens to be centred on it exactly."""
    from etl.readers.pdf_grid import Segment, _column

    seps = [68.0, 88.0, 107.0, 138.0, 197.0, 242.0, 274.0, 314.0, 357.0, 396.0, 443.0, 475.0, 521.0]
    assert _column(Segment(264.0, 300.0, "基本支出"), seps) == 6


def test_cells_centred_down_beside_a_merged_header_are_not_its_sub_headers():
    """合计 (a cell spanning the band, centred down beside 基本支出) is neither under nor over any
    other header cell and sits on no line of 基本支出's sub-headers: it is left out of them, so
    基本支出 goes over 小计 / 人员经费, not over a run reaching 合计's column."""
    from etl.readers.pdf_grid import Segment, _beside_merged

    head = Segment(264.0, 300.0, "基本支出", 569.0)
    subs = [
        Segment(215.0, 233.0, "合计", 594.0),
        Segment(253.0, 271.0, "小计", 600.0),
        Segment(302.0, 337.0, "人员经费", 588.0),
        Segment(285.0, 311.0, "工资福", 600.0),
    ]
    assert [s.text for s in _beside_merged(subs, head)] == ["小计", "人员经费", "工资福"]
    # a sub-header on the line of the others stays, however narrow the header over it (三公's 小计)
    head = Segment(316.0, 416.0, "公务用车购置及运行费", 100.0)
    subs = [Segment(266.0, 286.0, "小计", 124.0), Segment(303.0, 373.0, "公务用车购置费", 124.0)]
    assert [s.text for s in _beside_merged(subs, head)] == ["小计", "公务用车购置费"]


def test_a_merged_header_set_close_above_its_sub_header_is_a_level_of_its_own():
    """人员经费 (over two columns) 3.7 pt above 工资福利支出 (one column): not one wrapped cell."""
    from etl.readers.pdf_grid import _levels

    band = _lines(
        (100.0, 109.0, [(110, "小计"), (270, "人员经费")]),
        (112.7, 121.7, [(255, "工资福"), (310, "对个人")]),
    )
    seps = [150.0, 250.0, 300.0, 400.0]
    assert _levels(band, seps, 4.5) == [["小计", "", "人员经费", "", ""], ["", "", "工资福", "对个人", ""]]


def test_lead_rows_after_a_cut_rows_rest_are_rows_of_the_table():
    """The top of a page: the rest of a cell cut by the break (指 / 标), then a row of its own in the
    same empty column (反向), then the page's rows: the rest finishes the cut row and the next row
    stays in the table, not a paragraph that would end it there."""
    (first,) = page(
        (50, 100, "项目"),
        (150, 100, "金额"),
        (250, 100, "方向"),
        (50, 125, "社保经费"),
        (150, 125, "500.00"),
        (250, 125, "正"),
        (250, 139, "向"),
    )
    (second,) = page(
        (250, 50, "指"),
        (250, 64, "标"),
        (250, 90, "反向"),
        (50, 120, "档案费"),
        (150, 120, "100.00"),
        (50, 145, "宣传费"),
        (150, 145, "200.00"),
    )
    (head, _u), (tail, unused) = grids([first, second])
    assert head[-1] == ["社保经费", "500.00", "正\n向\n指\n标"] and not unused
    assert tail == [["", "", "反向"], ["档案费", "100.00", ""], ["宣传费", "200.00", ""]]


def test_a_table_going_on_in_a_narrow_top_margin_is_content_not_a_running_header():
    """10 mm margins: a table's rows go on at 31 pt, inside the outer 5% (42 pt) where only
    running headers were looked for; they follow one another at a row gap, so content starts
    there. A line standing apart at the top (a browser's print header) still does not."""
    from etl.readers.pdf import _content_top

    p = _Page(2, 595.0, 842.0)
    rows = chars((50, 31, "三十三、债务"), (50, 44, "三十四、抗疫"), (50, 57, "本年收入合计"), (200, 57, "5,854.76"))
    assert _content_top(rows, p) == 31.0
    header = chars((50, 12, "2026/12/5 社会保险"), (50, 60, "本年收入合计"), (200, 60, "5,854.76"))
    assert _content_top(header, p) == 0.05 * 842.0


def test_a_note_under_a_table_ends_it():
    """'备注：本表仅含…' set a row gap under the last row is a note, not a row: it would cover every
    gap between the label columns and merge them."""
    blocks = page(
        (50, 100, "项目"),
        (150, 100, "金额"),
        (50, 125, "社保经费"),
        (150, 125, "500.00"),
        (50, 140, "备注：本表仅含当年财政拨款安排的支出"),
    )
    assert [ln.segments[0].text for ln in blocks[0].lines][-1] == "社保经费"


def test_the_wrap_gap_is_learnt_from_a_cells_lines_with_a_centred_neighbour_between():
    """科目编 / 码 wrapped 3.5 pt apart (7 pt type) with the one-line 单位代码 centred between them:
    the pair is still a cell's lines (the nearest line above printing where 码 starts)."""
    from etl.readers.pdf_grid import wrap_ratio

    lines = _lines(
        (134.1, 141.1, [(33, "科目编"), (300, "基本支")]),
        (139.3, 146.3, [(100, "单位代码")]),
        (144.6, 151.6, [(33, "码"), (300, "出")]),
        (160.0, 167.0, [(33, "类别编"), (300, "项目支")]),
        (165.2, 172.2, [(100, "单位名称")]),
        (170.5, 177.5, [(33, "号"), (300, "出")]),
    )
    assert wrap_ratio(lines, 7.0) > 0.5


def test_a_rows_cells_printed_on_interleaved_lines_are_columnar():
    """项目名 / 称 beside 社会保险稽核、/ 宣传工作经历及 (each cell on lines of its own, set between the
    other's lines): the lines overlap in height, not in width, so they are a row split into cells;
    a paragraph's lines, one under the other, are not."""
    from etl.readers.pdf_grid import _columnar

    row = _lines(
        (100.0, 107.0, [(138, "社会保险稽核、")]),
        (105.3, 112.3, [(33, "项目名")]),
        (110.5, 117.5, [(138, "宣传工作经历及")]),
    )
    assert all(_columnar(row, i) for i in range(3))
    prose = _lines((100.0, 107.0, [(33, "附件说明第一行")]), (110.5, 117.5, [(33, "第二行")]))
    assert not any(_columnar(prose, i) for i in range(2))


def test_a_cells_first_line_set_a_wrap_gap_above_the_table_belongs_to_its_first_row():
    """'2024 年企业退' 3.5 pt (0.5 heights of 7 pt type) above the line where the table starts
    ('项目名称 | 休人员民族团结'): with the page's wrap gap it is that cell's first line, not a
    paragraph that cuts '2024 年企业退' off the project's name."""
    from etl.readers.pdf_grid import _with_heads

    lines = _lines(
        (10.0, 20.0, [(33, "上表"), (138, "1.00")]),
        (70.1, 80.1, [(138, "2024年企业退")]),
        (85.1, 95.1, [(33, "项目名称"), (138, "休人员民族团")]),
        (100.1, 110.1, [(138, "奖")]),
    )
    blocks = [lines[:1], lines[2:]]
    assert _with_heads(lines, blocks, 10.0, 0.0, 0.5375)[1][0] is lines[1]  # 5.0 under 5.375
    assert _with_heads(lines, blocks, 10.0, 0.0, 0.5)[1][0] is lines[2]  # the fixed limit left it out


def test_a_column_numbers_line_is_no_data_row_for_the_columns():
    """'栏次 1 栏次 2 3 4 5' under the header prints numbers centred in their columns: the gaps
    between data columns come from the amounts below it, not from '4' beside the amounts' column."""
    from etl.readers.pdf_grid import _first_data

    block = _lines(
        (100.0, 110.0, [(50, "项目"), (150, "决算数")]),
        (120.0, 130.0, [(50, "栏次"), (160, "1")]),
        (140.0, 150.0, [(50, "一、一般公共"), (150, "12,984,142.90")]),
    )
    assert _first_data(block) == 2
    # a year wrapped off a long name in a narrow header cell is no number of the data either
    named = _lines((100.0, 110.0, [(130, "2024")]), (112.0, 122.0, [(50, "项目"), (130, "年企业")])) + block[2:]
    assert _first_data(named) == 2


def test_characters_on_two_baselines_are_two_cells_however_close():
    """A header cell overflowing its narrow column (公务用车运, centred in a short row) runs over the
    last line of its neighbour's cell (公务接待费's 费, centred in a taller one, 3 pt lower): one
    line for the rows, but two cells by baseline, neither word holding the other's character."""
    from etl.readers.pdf_grid import text_lines

    (line,) = text_lines(chars((100, 100, "公务用车运"), (115, 103, "费")), 10.0)
    assert [s.text for s in line.segments] == ["公务用车运", "费"]
    # characters of one baseline stay one cell, whatever their glyph boxes
    (line,) = text_lines(chars((100, 100, "公务接待费")), 10.0)
    assert [s.text for s in line.segments] == ["公务接待费"]


def test_a_code_touching_the_next_columns_label_is_cut_where_the_columns_are():
    """A one-digit 款 code in a column narrower than its padding touches the label after it (0基本工资,
    2 pt apart where the glyphs of one run touch): two cells, since another row prints its code alone
    where this one starts (9, its label wrapped above) and a label where the rest starts. A year run
    into its 年 with no such evidence stays one cell."""
    from etl.readers.pdf_grid import find_text_blocks

    table = chars(
        (112, 88, "科目名称"),
        (50, 100, "类"),
        (100, 100, "款"),
        (300, 100, "金额"),
        (112, 120, "其他对个"),
        (50, 126, "303"),
        (100, 126, "9"),
        (300, 126, "132.00"),
        (50, 150, "301"),
        (100, 150, "0"),
        (112, 150, "基本工资"),
        (300, 150, "156.70"),
    )
    blocks, _rest = find_text_blocks(table, [], 40.0)
    assert [g for g, _u in grids(blocks)] == [
        [["类", "款", "科目名称", "金额"], ["303", "9", "其他对个", "132.00"], ["301", "0", "基本工资", "156.70"]]
    ]
    year = chars((50, 100, "类"), (100, 100, "年度"), (300, 100, "金额"))
    year += chars((50, 126, "301"), (100, 126, "2024"), (142, 126, "年度预算"), (300, 126, "132.00"))
    blocks, _rest = find_text_blocks(year, [], 40.0)
    assert [g for g, _u in grids(blocks)] == [[["类", "年度", "金额"], ["301", "2024年度预算", "132.00"]]]


def test_a_one_cell_per_line_tables_cells_wrap_at_the_learnt_gap():
    """7 pt type sets a wrapped cell's lines half a character height apart (pixel rounding), where
    the fixed limit was: a column of one-cell lines learns the gap from its own wrapped lines, so
    the 绩效目标 text wrapped over three lines is one cell, as the text form gives it."""
    from etl.readers.pdf_grid import cell_columns, text_lines

    lines = text_lines(
        chars(
            (30, 60, "1.某项目绩效目标表"),
            (50, 80, "绩效目标"),
            (50, 98, "1.目标内容1通过"),
            (50, 113, "该项目实施完成"),
            (50, 128, "我县城乡居民"),
            (50, 146, "一级指标"),
        ),
        10.0,
    )
    (column,), _rest = cell_columns(lines, 10.0, 40.0)
    assert column.cells() == ["绩效目标", "1.目标内容1通过该项目实施完成我县城乡居民", "一级指标"]


def test_a_one_cell_per_line_table_going_on_in_a_narrow_top_margin_opens_the_page():
    """The column of one-cell lines going on from the page before starts in a 10 mm top margin (above
    the page's outer 5%): its lines follow one another at a row gap, so they are content, a column
    opening the page; a running header there, further apart from the lines below, is not."""
    from etl.readers.pdf import CellColumn, Paragraph, _line_blocks

    p = _Page(7, 595.0, 842.0)
    column = chars((43.5, 46, "二级指标"), (43.5, 64, "三级指标"), (43.5, 82, "绩效指标描述"))
    blocks = _line_blocks(chars((43.5, 28, "一级指标")) + column, p)
    assert [(type(b), b.cells()) for _t, b in blocks] == [
        (CellColumn, ["一级指标", "二级指标", "三级指标", "绩效指标描述"])
    ]
    blocks = _line_blocks(chars((43.5, 10, "2026/12/5 社会保险")) + column, p)
    assert [type(b) for _t, b in blocks] == [Paragraph, CellColumn]


def test_a_body_line_wrapped_at_the_right_edge_goes_on_on_the_next():
    """Justified body text: a line running to the right edge (where two body lines end) without
    ending its sentence goes on on the next line, so a unit's name wrapped inside a sentence
    (…香河县社会 | 保险事业管理所二〇二三年单位预算公开如下:) is no line of its own; a line ending its
    sentence, a short heading and a short line ending with a colon stay paragraphs of their own."""
    from etl.readers.pdf_lines import paragraphs, text_lines

    body = chars(
        (50, 100, "按照预算法的规定现将香河县社会保险事业管理所二〇二三年单位预"),
        (50, 114, "算公开如下："),
        (50, 128, "一、单位职责"),
        (50, 142, "统筹推进建立覆盖城乡的多层次社会保障体系贯彻执行养老失业工伤"),
        (50, 156, "等社会保险政策。"),
        (50, 170, "单位职责："),
    )
    got = [["".join(s.text for s in ln.segments) for ln in group] for group in paragraphs(text_lines(body, 10.0), 10.0)]
    assert got == [
        ["按照预算法的规定现将香河县社会保险事业管理所二〇二三年单位预", "算公开如下："],
        ["一、单位职责"],
        ["统筹推进建立覆盖城乡的多层次社会保障体系贯彻执行养老失业工伤", "等社会保险政策。"],
        ["单位职责："],
    ]
    # short lines (a 部门名称 line over 单位:万元, a table's title) are no body text: never joined
    short = chars((50, 100, "部门名称:获嘉县社会保险中心"), (50, 114, "单位:万元"))
    assert len(paragraphs(text_lines(short, 10.0), 10.0)) == 2


def _centred(mid: float, top: float, text: str) -> tuple[float, float, str]:
    """A cell centred at `mid` (square glyphs 10 wide)."""
    return (mid - 5.0 * len(text), top, text)


def test_a_one_cell_per_line_table_printed_centred_is_one_column_and_a_title_ends_it():
    """Portals print a 绩效目标表 one cell per line as header cells centred in their column: cells
    of different widths share only their centre (绩效指标描述 starts a character left of 一级指标).
    They are one column under its title; the next table's title centred on the same line ends it
    and is no cell, the next column starting under it."""
    from etl.readers.pdf_grid import cell_columns, text_lines

    cells = ["绩效目标", "一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值"]
    first = [_centred(300, 80 + 18 * k, c) for k, c in enumerate(cells)]
    second = [_centred(300, 220 + 18 * k, c) for k, c in enumerate(cells)]
    page = chars((100, 60, "1.某某项目绩效目标表"), *first, _centred(300, 194, "2.另一个项目绩效目标表"), *second)
    columns, rest = cell_columns(text_lines(page, 10.0), 10.0, 40.0)
    assert [c.cells() for c in columns] == [cells, cells]
    assert [ln.segments[0].text for ln in rest] == ["1.某某项目绩效目标表", "2.另一个项目绩效目标表"]


def test_a_line_printing_only_the_first_indicator_header_starts_a_table_of_its_own():
    """The 绩效目标 text set in several columns is a table found in text; the 一级指标 line close under
    it is the header of the 绩效目标表 printed one cell per line, not one more row of that table."""
    (block,) = page(
        (50, 100, "绩效目标"),
        (200, 100, "目标内容一"),
        (50, 120, "目标内容二"),
        (200, 120, "目标内容三"),
        (200, 140, "一级指标"),
    )
    assert [ln.segments[0].text for ln in block.lines] == ["绩效目标", "目标内容二"]


_LINE = st.tuples(
    st.floats(0, 800, allow_nan=False), st.floats(5, 12, allow_nan=False), st.floats(0, 500, allow_nan=False)
)


@given(st.lists(_LINE, max_size=30), st.floats(5, 12, allow_nan=False))
def test_the_learnt_wrap_gap_stays_between_the_fixed_limits(rows, height):
    """Whatever the lines, the wrap limit is never below _WRAP (no rows split that were joined
    before) nor above _WRAP_MAX (rows a pixel further apart than a cell's lines stay rows)."""
    from etl.readers.pdf_grid import _WRAP, _WRAP_MAX, wrap_ratio

    lines = _lines(*sorted(((top, top + h, [(x, "指标")]) for top, h, x in rows), key=lambda r: r[0]))
    assert _WRAP <= wrap_ratio(lines, height) <= _WRAP_MAX


@given(st.lists(st.floats(0, 1000, allow_nan=False), max_size=40), st.floats(1, 20, allow_nan=False))
def test_boundaries_kept_one_per_gap_are_a_character_apart(xs, height):
    from etl.readers.pdf_grid import _one_per_gap

    out = _one_per_gap(xs, height)
    assert out == sorted(out) and all(b - a >= height for a, b in zip(out, out[1:]))
    assert all(any(abs(x - o) < height for o in out) for x in xs)


def test_a_merged_header_centred_in_a_gutter_sets_no_column_of_its_own():
    """A wide page: 收入 centred over 项目 | 行次 | 决算数 (and 支出 over their right-hand twins) falls
    between the labels and the 行次 numbers, touching no column. It is a merged cell over the first
    column of its run, not a column of its own that no row fills (which put '一、社会保障支出' and
    its 行次 3 in one cell and the left half one column off its headers)."""
    from etl.readers.pdf_grid import _separators, find_text_blocks

    cells = chars(
        (190, 100, "收入"),
        (540, 100, "支出"),
        (80, 120, "项目"),
        (235, 120, "行次"),
        (310, 120, "决算数"),
        (430, 120, "项目"),
        (595, 120, "行次"),
        (660, 120, "决算数"),
        (50, 140, "一、财政拨款收入"),
        (240, 140, "1"),
        (300, 140, "12.00"),
        (400, 140, "一、社会保障支出"),
        (600, 140, "3"),
        (650, 140, "15.00"),
        (50, 160, "二、事业收入"),
        (240, 160, "2"),
        (310, 160, "3.00"),
        (400, 160, "二、卫生健康支出"),
        (600, 160, "4"),
        (660, 160, "0.00"),
    )
    blocks, _rest = find_text_blocks(cells, [], 40.0)
    ((grid, _unused),) = grids(blocks)
    assert grid == [
        ["收入", "", "", "支出", "", ""],
        ["项目", "行次", "决算数", "项目", "行次", "决算数"],
        ["一、财政拨款收入", "1", "12.00", "一、社会保障支出", "3", "15.00"],
        ["二、事业收入", "2", "3.00", "二、卫生健康支出", "4", "0.00"],
    ]
    # the boundary in its gutter goes through its centre
    assert _separators([ln for b in blocks for ln in b.lines]) == [200.0, 277.5, 375.0, 550.0, 632.5]


def test_a_header_over_a_column_no_row_fills_keeps_its_column():
    """项目支出 printed over an empty column between 公用经费 and 小计 lies in the gutter between their
    amounts. Centred on that pair it is where a two-column merged cell would be: geometry cannot
    tell them apart, so it keeps its own column, as the text form prints it. Centred over three
    columns with a sub-header in each, it is their merged cell; 2 pt off that centre (a merged cell
    is centred to its glyphs' bearings) it is not."""
    from etl.readers.pdf_grid import _separators

    def block(x: float):
        return _lines(
            (100.0, 110.0, [(x, "项目支出")]),
            (120.0, 130.0, [(100.0, "公用经费"), (300.0, "小计"), (400.0, "其他")]),
            (140.0, 150.0, [(100.0, "1.08"), (300.0, "33.96"), (400.0, "33.96")]),
        )

    # the amounts' columns 100-140, 300-350 and 400-450: the first pair's centre 225, all three's 275
    assert _separators(block(205.0)) == [172.5, 272.5, 375.0]  # on the pair: its own column
    assert _separators(block(255.0)) == [275.0, 375.0]  # on the three: merged, one boundary through it
    assert _separators(block(257.0)) == [198.5, 298.5, 375.0]  # 2 pt off: its own column
