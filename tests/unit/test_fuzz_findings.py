"""Inputs the 10,000-file fuzz run (benchmarks/fuzz.py) ended in an unexpected exception, made
small: each must now end with a result or a reason."""

from __future__ import annotations

from decimal import Decimal

from etl.checks import run_checks


def _fact(**kw):
    base = dict(
        table_family="expenditure",
        table_title="支出表",
        table_id="t1",
        section=None,
        row_label="x",
        function_code=None,
        econ_code=None,
        item_key="function",
        measure="total",
        amount_yuan=Decimal(1),
        page=1,
        line=1,
        row_index=0,
        printed_unit="元",
        printed_decimals=2,
        amount_printed="1.00",
    )
    base.update(kw)
    return base


def test_total_over_two_digit_codes_is_checked_not_a_keyerror():
    # A shuffled table left only two-digit function codes under its 合计.
    facts = [
        _fact(function_code="20", row_label="社会保障", amount_yuan=Decimal("5.00"), row_index=1),
        _fact(function_code="21", row_label="卫生", amount_yuan=Decimal("4.00"), row_index=2),
        _fact(item_key="total", row_label="合计", amount_yuan=Decimal("9.00"), row_index=3),
    ]
    rows = run_checks({"core_table_facts": facts}, {"fiscal_year": 2024, "stage": "budget"})
    total = [r for r in rows if r["check_name"] == "total_row_is_sum"]
    assert total and total[0]["status"] == "pass"
