"""Units are never assumed (#17, item 6): a table that prints no unit takes the unit under which the
document's own statements give the same figures, else its amounts are kept as printed with no 元
value, a parse note and a warning."""

from __future__ import annotations

import re
from decimal import Decimal as D

from etl.pipeline import UNIT_UNKNOWN_NOTE, parse_file
from tests.conftest import RAW, STEMS

HJ_TEXT = (RAW / f"{STEMS['huojia']}.txt").read_text(encoding="utf-8")


def _fact(parsed, family: str, **where):
    return [
        f
        for f in parsed.facts.rows["core_table_facts"]
        if f["table_family"] == family and all(f[k] == v for k, v in where.items())
    ]


def test_table_without_its_unit_line_takes_the_unit_the_statements_use(tmp_path):
    # The 获嘉 sample as an export without any "单位：万元" line: its 情况说明 states
    # "支出总计 5854.76 万元", so the tables are read in 万元, not in 元.
    path = tmp_path / "no_unit.txt"
    path.write_text(re.sub(r"(?m)^单位：万元\s*$", "", HJ_TEXT), encoding="utf-8")
    parsed = parse_file(path)
    totals = [f for f in _fact(parsed, "summary") if f["amount_printed"] in ("5854.76", "5,854.76")]
    assert totals and all(f["amount_yuan"] == D("58547600.00") for f in totals)
    assert all(f["printed_unit"] == "万元" for f in totals)
    notes = [n["note"] for n in parsed.facts.rows["core_parse_notes"]]
    assert any("情况说明以万元陈述" in n for n in notes)


def test_with_its_unit_lines_only_the_table_printing_no_unit_takes_one_from_the_statements(tmp_path):
    # 获嘉 prints 单位：万元 above each money table; its 部门整体绩效目标表 prints none (it was read
    # in 元 by default before) and the statements give its 资金总额 5854.76 in 万元.
    path = tmp_path / "hj.txt"
    path.write_text(HJ_TEXT, encoding="utf-8")
    parsed = parse_file(path)
    inferred = {n["table_title"] for n in parsed.facts.rows["core_parse_notes"] if "情况说明以" in n["note"]}
    assert inferred == {"部门整体绩效目标表(2024年度)"}
    assert all(f["printed_unit"] == "万元" for f in _fact(parsed, "summary"))


UNKNOWN = """2024年度某县社会保险中心部门预算

2024年部门收支总体情况表

收入\t\t支出\t
项目\t预算数\t项目\t预算数
一、一般公共预算拨款收入\t1234.56\t一、社会保障和就业支出\t1234.56
本年收入合计\t1234.56\t本年支出合计\t1234.56

获嘉县社会保险中心 2024 年“三公”经费预算 0 万元。
"""


def test_table_whose_unit_no_statement_gives_is_kept_unconverted_with_a_warning(tmp_path):
    path = tmp_path / "unknown.txt"
    path.write_text(UNKNOWN, encoding="utf-8")
    parsed = parse_file(path)
    facts = _fact(parsed, "summary")
    assert facts, "the table is read"
    assert all(f["amount_yuan"] is None and f["printed_unit"] is None for f in facts)
    assert {f["amount_printed"] for f in facts} == {"1234.56"}
    assert UNIT_UNKNOWN_NOTE in [n["note"] for n in parsed.facts.rows["core_parse_notes"]]
    assert any("without a printed unit" in w for w in parsed.warnings)


def test_unit_unknown_amounts_are_loaded_but_kept_out_of_the_checks(tmp_path):
    from etl.merge import merge_copies

    path = tmp_path / "unknown.txt"
    path.write_text(UNKNOWN, encoding="utf-8")
    parsed = parse_file(path)
    _primary, rows = merge_copies([parsed])  # the checks never sum an amount of unknown unit
    kept = [f for f in rows["core_table_facts"] if f["amount_printed"] == "1234.56"]
    assert kept and all(f["amount_yuan"] is None for f in kept)
