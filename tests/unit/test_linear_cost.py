"""Parse cost grows linearly with input size: counted in work (Python function calls), never timed.

A row of 4N cells must cost about 4x a row of N cells (a quadratic path would cost 16x); inputs past
the caps in etl/limits.py are refused with a DocumentError naming the cap.
"""

from __future__ import annotations

import random
import sys

import pytest

from etl import limits
from etl.model import DocumentError
from etl.normalize import _clean_memo, _compact_memo, _key_memo
from etl.pipeline import parse_file
from etl.readers import read_document

POOL = ["合计", "产出指标", "数量指标", "人数", "≥100人", "1,234.56", "2080505", "", "abc", "社会保险", "0.00", "-"]
POOL += ["人员经费合计", "满意度", "≥95%", "301", "01", "基本工资"]
TITLES = [
    "部门支出总体情况表",
    "项目绩效目标汇总表",
    "项目支出表",
    "“三公”经费支出预算表",
    "收支总体情况表",
    "一般公共预算基本支出表",
]
# A project row of the 汇总表 layout: code, name, type, amounts; indicator pairs follow.
PROJECT = ["4103082400 0000001961 8", "机关事业养老补助资金", "其他运转类", "12.00", "12.00"]


def _calls(fn) -> int:
    """Python function calls made by fn(): a deterministic measure of work."""
    _clean_memo.cache_clear()
    _compact_memo.cache_clear()
    _key_memo.cache_clear()
    n = 0

    def prof(frame, event, arg):
        nonlocal n
        if event == "call":
            n += 1

    sys.setprofile(prof)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return n


def _doc(tmp_path, title: str, width: int, rows: int = 3):
    rnd = random.Random(width * 7 + rows)
    body = f"2024年部门预算\n{title}\n单位：万元\n"
    for i in range(rows):
        lead = PROJECT if i % 50 == 0 else []
        body += "\t".join(lead + [rnd.choice(POOL) for _ in range(width)]) + "\n"
    path = tmp_path / f"{width}x{rows}.txt"
    path.write_text(body, encoding="utf-8")
    return path


def _parse(path):
    def run():
        try:
            parse_file(path)
        except DocumentError:
            pass

    return run


@pytest.mark.parametrize("title", TITLES)
def test_wide_row_costs_linear_work(tmp_path, title):
    small = _calls(_parse(_doc(tmp_path, title, 120)))
    large = _calls(_parse(_doc(tmp_path, title, 480)))
    assert large < 6 * small, (small, large)  # linear: ~4x; quadratic: ~16x


@pytest.mark.parametrize("title", TITLES)
def test_long_table_costs_linear_work(tmp_path, title):
    small = _calls(_parse(_doc(tmp_path, title, 12, rows=80)))
    large = _calls(_parse(_doc(tmp_path, title, 12, rows=320)))
    assert large < 6 * small, (small, large)


def test_many_tables_cost_linear_work(tmp_path):
    def doc(n):
        body = "2024年部门预算\n"
        for i in range(n):
            body += f"项目绩效目标表{i}\n单位名称\t项目名称\t预算数\t一级指标\t二级指标\t三级指标\t指标值\n"
            body += f"社保中心\t项目{i}\t1.00\t产出指标\t数量指标\t人数\t≥100人\n"
            body += "\t\t\t效益指标\t社会效益\t待遇发放\t及时\n"
        path = tmp_path / f"t{n}.txt"
        path.write_text(body, encoding="utf-8")
        return path

    small = _calls(_parse(doc(40)))
    large = _calls(_parse(doc(160)))
    assert large < 6 * small, (small, large)


def test_one_megabyte_row_is_refused_with_the_cap_named(tmp_path):
    path = tmp_path / "row.txt"
    path.write_text("2024年部门预算\n" + "\t".join(["社会保险"] * 80_000) + "\n", encoding="utf-8")
    assert path.stat().st_size > 1_000_000
    with pytest.raises(DocumentError, match=r"line 2: line too long .*MAX_LINE_CHARS"):
        read_document(path)


def test_row_with_too_many_cells_is_refused(tmp_path):
    path = tmp_path / "cells.txt"
    path.write_text("标题\n" + "\t".join(["1"] * (limits.MAX_ROW_CELLS + 1)) + "\n", encoding="utf-8")
    with pytest.raises(DocumentError, match=r"line 2: too many cells in one row: 1,001 .*MAX_ROW_CELLS"):
        read_document(path)


def test_twenty_megabyte_text_is_refused_before_decoding(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(("2024年部门预算说明，本年收入合计100.00万元。\n" * 400_000).encode("utf-8"))
    assert path.stat().st_size > 20_000_000
    with pytest.raises(DocumentError, match=r"text file too large .*MAX_TEXT_BYTES"):
        read_document(path)


def test_many_unclosed_bookmarks_on_one_line_are_linear(tmp_path):
    small = _calls(lambda: read_document(_bookmarks(tmp_path, 500)))
    large = _calls(lambda: read_document(_bookmarks(tmp_path, 2000)))
    assert large < 6 * small


def _bookmarks(tmp_path, n):
    path = tmp_path / f"bm{n}.txt"
    path.write_text("2024年预算\n" + "[bookmark: x" * n + "\n", encoding="utf-8")
    return path
