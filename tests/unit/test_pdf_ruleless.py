"""Rule-less tables read from word positions (etl.readers.pdf_grid): columns from the amounts' right
edges when the gaps between text mislead, chosen by the table's own arithmetic; the 部门名称 / 单位
line above a table stays a paragraph; rows set close together split where amounts stack."""

from __future__ import annotations

from etl.readers.pdf_grid import find_text_blocks, grids

SIZE = 10.0  # character height


def chars(*cells: tuple[float, float, str]) -> list[dict]:
    """(x, top, text) -> pdfplumber-like char dicts, one glyph of SIZE per character (half a glyph
    for digits, dots and commas, as in CJK fonts)."""
    out = []
    for x, top, text in cells:
        x0 = x
        for ch in text:
            w = SIZE / 2 if ch.isascii() else SIZE
            out.append({"text": ch, "x0": x0, "x1": x0 + w, "top": top, "bottom": top + SIZE})
            x0 += w
    return out


def right(x1: float, top: float, text: str) -> tuple[float, float, str]:
    """A cell printed flush right at x1 (an amount)."""
    return (x1 - SIZE / 2 * len(text), top, text)


# A 三公 table as portals print it: headers centred over right-aligned amounts, the merged
# 公务用车购置及运行费 above 小计 / 公务用车购置费 / 公务用车运行费, 部门名称 and 单位 on one line above.
SANGONG = [
    (50, 80, "部门名称：获嘉县社会保险中心"),
    (500, 80, "单位:万元"),
    (316, 100, "公务用车购置及运行费"),
    (60, 112, "“三公”经费合计"),
    (165, 112, "因公出国（境）费"),
    (485, 112, "公务接待费"),
    (266, 124, "小计"),
    (303, 124, "公务用车购置费"),
    (394, 124, "公务用车运行费"),
    right(148, 145, "7.90"),
    right(250, 145, "0.00"),
    right(286, 145, "6.50"),
    right(378, 145, "0.00"),
    right(469, 145, "6.50"),
    right(538, 145, "1.40"),
]


def test_sangong_columns_come_from_the_amounts_right_edges_and_the_choice_is_noted():
    blocks, rest = find_text_blocks(chars(*SANGONG), [], 40.0)
    notes: list[str] = []
    ((grid, _unused),) = grids(blocks, None, notes)
    # the header band's two levels are two rows, as the text form prints them (the merged
    # 公务用车购置及运行费 over the first of its columns, not read together with 小计 under it)
    assert grid == [
        ["“三公”经费合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费"],
        ["", "", "小计", "公务用车购置费", "公务用车运行费", ""],
        ["7.90", "0.00", "6.50", "0.00", "6.50", "1.40"],
    ]
    assert len(notes) == 1 and notes[0].startswith("columns read from the amounts' right edges (6 columns")
    # the 部门名称 / 单位 line is not a row: its characters are left for the paragraphs
    assert "".join(c["text"] for c in rest) == "部门名称：获嘉县社会保险中心单位:万元"


def test_label_columns_keep_their_gaps_and_rows_that_add_up_keep_the_gap_reading():
    """Left-aligned labels with amounts right of them: the gaps already give every column and the
    sums hold, so nothing is noted and the grid is the gaps' one."""
    blocks, _rest = find_text_blocks(
        chars(
            (50, 100, "科目名称"),
            (200, 100, "合计"),
            (280, 100, "基本支出"),
            (360, 100, "项目支出"),
            (50, 120, "社会保险经办机构"),
            right(240, 120, "84.12"),
            right(320, 120, "50.16"),
            right(400, 120, "33.96"),
            (50, 140, "住房公积金"),
            right(240, 140, "5.71"),
            right(320, 140, "5.71"),
        ),
        [],
        40.0,
    )
    notes: list[str] = []
    ((grid, _unused),) = grids(blocks, None, notes)
    assert grid == [
        ["科目名称", "合计", "基本支出", "项目支出"],
        ["社会保险经办机构", "84.12", "50.16", "33.96"],
        ["住房公积金", "5.71", "5.71", ""],
    ]
    assert notes == []


def test_rows_set_close_together_split_where_whole_amounts_stack():
    """Tight padding puts two rows closer than a wrapped line; an amount never wraps into two whole
    amounts, so the second line is a row of its own."""
    blocks, _rest = find_text_blocks(
        chars(
            (50, 98, "科目名称"),
            (200, 98, "合计"),
            (50, 114, "其他社会保障和就业支出"),
            right(240, 114, "0.54"),
            (50, 126, "事业单位医疗"),
            right(240, 126, "3.00"),
        ),
        [],
        40.0,
    )
    ((grid, _unused),) = grids(blocks)
    assert grid == [["科目名称", "合计"], ["其他社会保障和就业支出", "0.54"], ["事业单位医疗", "3.00"]]


def test_a_merged_header_goes_over_the_columns_its_sub_headers_fill():
    """公务用车购置及运行费 printed a little right of its cell's centre (320-420 over 小计 / 购置费 / 运行费,
    whose extent 266-464 centres at 365): the sub-headers under it, not the column bounds, put it
    over 小计's column, where the text form has it."""
    shifted = [
        (320, 100, "公务用车购置及运行费") if t == "公务用车购置及运行费" else (x, top, t) for x, top, t in SANGONG
    ]
    blocks, _rest = find_text_blocks(chars(*shifted), [], 40.0)
    ((grid, _unused),) = grids(blocks)
    assert grid[0][2:5] == ["公务用车购置及运行费", "", ""]
    assert grid[1][2:5] == ["小计", "公务用车购置费", "公务用车运行费"]


def test_close_rows_split_at_the_widest_gap_between_their_amounts():
    """A condensed font wraps codes into narrow cells, centred around each row's amounts: the
    second half of one row's code and the first half of the next row's sit between two amount
    lines; the rows split at the widest gap between them, each keeping its own code parts."""
    blocks, _rest = find_text_blocks(
        chars(
            (50, 80, "科目"),
            (120, 80, "名称"),
            (270, 80, "合计"),
            (50, 100, "9"),
            (120, 100, "其他社会保障和就"),
            (50, 104, "208"),
            right(300, 104, "0.54"),
            (50, 108, "9"),
            (120, 109, "业支出"),
            (50, 121, "1"),
            (50, 125, "210"),
            (120, 125, "事业单位医疗"),
            right(300, 125, "3.00"),
            (50, 129, "1"),
        ),
        [],
        40.0,
    )
    ((grid, _unused),) = grids(blocks)
    assert grid[1:] == [["9\n208\n9", "其他社会保障和就\n业支出", "0.54"], ["1\n210\n1", "事业单位医疗", "3.00"]]


def test_header_lines_set_close_above_the_first_amounts_stay_in_the_header():
    """Tight padding puts the last header line closer to the first data row than a wrapped line:
    a line printing words over the row's numbers is the header's."""
    blocks, _rest = find_text_blocks(
        chars(
            (50, 86, "项目"),
            (200, 86, "本年"),
            (280, 86, "上年"),
            (200, 96, "预算数"),
            (280, 96, "预算数"),
            (50, 108, "合计"),
            right(240, 108, "12.50"),
            right(320, 108, "10.00"),
        ),
        [],
        40.0,
    )
    ((grid, _unused),) = grids(blocks)
    assert grid == [["项目", "本年\n预算数", "上年\n预算数"], ["合计", "12.50", "10.00"]]


def test_an_amount_unit_line_right_of_a_title_is_no_one_cell_per_line_table():
    """'金额单位：元' printed under a title and indented from it is the unit line, not a table printed
    one cell per line (the unit line never reached the layout and the table had no unit)."""
    from etl.readers.pdf_grid import cell_columns, text_lines

    lines = text_lines(chars((150, 60, "2024年项目绩效目标表"), (400, 80, "金额单位：元")), SIZE)
    columns, rest = cell_columns(lines, SIZE, 40.0)
    assert columns == [] and [ln.segments[0].text for ln in rest] == ["2024年项目绩效目标表", "金额单位：元"]


def test_a_column_numbers_row_without_its_word_sets_no_label_column_for_the_amounts_reading():
    """The 三公 table with its columns' numbers 1-6 centred in a row of their own between the header
    and the amounts, without the word 栏次: those numbers are the header's, not labels left of each
    amount column, so the amounts' right edges give the table's six columns (they gave eleven, half
    of them empty, and the gaps' reading won with the numbers and amounts in different columns)."""
    centres = [99, 199, 268, 332, 423.5, 503.5]  # each column's middle, between the amounts' edges
    numbered = (
        [c for c in SANGONG if c[1] < 140]
        + [(x - SIZE / 4, 142, str(n)) for n, x in enumerate(centres, 1)]
        + [(x, 160, t) for x, top, t in SANGONG if top == 145]
    )
    blocks, _rest = find_text_blocks(chars(*numbered), [], 40.0)
    notes: list[str] = []
    ((grid, _unused),) = grids(blocks, None, notes)
    assert grid == [
        ["“三公”经费合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费"],
        ["", "", "小计", "公务用车购置费", "公务用车运行费", ""],
        ["1", "2", "3", "4", "5", "6"],
        ["7.90", "0.00", "6.50", "0.00", "6.50", "1.40"],
    ]
    assert len(notes) == 1 and notes[0].startswith("columns read from the amounts' right edges (6 columns")
