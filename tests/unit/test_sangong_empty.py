"""A 三公 table printed empty and said so gives 0 totals; printed empty without a word, NULL (#17).

"Not disclosed is NULL, never 0; a table printed empty and said so is 0."
"""

from decimal import Decimal as D

import pytest

from etl.pipeline import parse_file

OPENING = (
    "2024年度某县社会保险中心部门预算\n"
    "2024年支出预算总计1234.56万元，比上年增加12.34万元。\n"
    "2024年收入预算总计1234.56万元，比上年增加12.34万元。\n"
)
BUDGET_TABLE = (
    "“三公”经费支出预算表\n"
    "单位：万元\n"
    "合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费\n"
    "\t\t小计\t公务用车购置费\t公务用车运行费\t\n"
    "\t\t\t\t\t\n"
)
FINAL_TABLE = (
    "“三公”经费支出决算表\n"
    "单位：万元\n"
    "预算数\t\t\t\t\t\t决算数\t\t\t\t\t\n"
    "合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费"
    "\t合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费\n"
    "\t\t小计\t公务用车购置费\t公务用车运行费\t\t\t\t小计\t公务用车购置费\t公务用车运行费\t\n"
)


def _sangong(tmp_path, text):
    path = tmp_path / "d.txt"
    path.write_text(text, encoding="utf-8")
    parsed = parse_file(path)
    rows = parsed.facts.rows
    status = [s["status"] for s in rows["core_table_status"] if s["table_family"] == "sangong"]
    facts = {
        (f["item_key"], f["measure"]): (f["amount_yuan"], f["amount_printed"], f["line"])
        for f in rows["core_table_facts"]
        if f["table_family"] == "sangong"
    }
    return status, facts


@pytest.mark.parametrize(
    "note",
    ["注：故本表无数据。", "本单位无三公经费。", "此表为空表。", "本单位2024年无“三公”经费预算，故本表为空。"],
)
def test_empty_budget_table_said_so_gives_zero_total(tmp_path, note):
    status, facts = _sangong(tmp_path, OPENING + BUDGET_TABLE + note + "\n")
    assert status == ["disclosed_empty"]
    # 0, not NULL; no number was printed, and the fact points at the note (line 9).
    assert facts == {("sangong_total", "budget"): (D("0.00"), None, 9)}


def test_empty_final_table_said_so_gives_zero_budget_and_actual(tmp_path):
    opening = OPENING.replace("预算", "决算")
    status, facts = _sangong(tmp_path, opening + FINAL_TABLE + "\n此表为空表。\n")
    assert status == ["disclosed_empty"]
    assert facts == {
        ("sangong_total", "budget"): (D("0.00"), None, 10),
        ("sangong_total", "actual"): (D("0.00"), None, 10),
    }


def test_empty_table_without_a_word_stays_not_disclosed(tmp_path):
    status, facts = _sangong(tmp_path, OPENING + BUDGET_TABLE + "二、其他说明\n")
    assert status == ["empty_unexplained"]
    assert facts == {}
