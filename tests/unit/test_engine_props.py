"""Property tests for the engine's guards: names are always one printable line, and a value the
schema check lets through always loads (the Arrow load once aborted a whole build)."""

from __future__ import annotations

import os
from decimal import Decimal

import duckdb
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.engine.names import display_name
from rules.names import BIDI_CONTROLS, INVISIBLE
from warehouse.build import _BY_NAME, _arrow_table, row_problem


@given(st.binary(min_size=1, max_size=60))
def test_any_file_name_bytes_display_on_one_line(raw):
    shown = display_name(os.fsdecode(raw))
    shown.encode("utf-8")  # valid Unicode, storable in DuckDB
    assert "\n" not in shown and "\r" not in shown and "\x00" not in shown


@given(st.text(max_size=60))
def test_printable_names_are_kept_as_they_are(name):
    """A name without control, bidi or zero-width characters (which rules.names removes on
    purpose: a BOM or a right-to-left override hides what a name says) is shown as it is."""
    hidden = BIDI_CONTROLS | INVISIBLE
    printable = all(ord(c) >= 32 and ord(c) != 127 and ord(c) not in hidden for c in name)
    if printable and not any(0xD800 <= ord(c) <= 0xDFFF for c in name):
        assert display_name(name) == name


@given(st.text(max_size=20), st.sampled_from(sorted(BIDI_CONTROLS | INVISIBLE)), st.text(max_size=20))
def test_hidden_characters_are_removed_from_names(head, hidden, tail):
    assert display_name(head + chr(hidden) + tail) == display_name(head + tail)


def test_gbk_name_is_decoded_not_mangled():
    assert display_name(os.fsdecode("社保预算.txt".encode("gbk"))) == "社保预算.txt"


@settings(max_examples=300, deadline=None)
@given(
    st.decimals(allow_nan=True, allow_infinity=True, min_value=None, max_value=None, places=None)
    | st.integers(min_value=-(10**40), max_value=10**40).map(Decimal)
)
def test_money_that_passes_the_check_loads(value):
    row = {"doc_id": "d", "amount_yuan": value}
    why = row_problem("core_table_facts", row)
    if why is not None:
        assert "amount_yuan" in why
        return
    table = _arrow_table(_BY_NAME["core_table_facts"], [row])
    con = duckdb.connect()
    con.register("t", table)
    got = con.execute("SELECT amount_yuan FROM t").fetchone()[0]
    assert got == Decimal(value).quantize(Decimal("0.01")) or value is None


@given(st.integers(min_value=-(2**40), max_value=2**40))
def test_integers_outside_int32_are_refused(v):
    why = row_problem("core_table_facts", {"page": v})
    assert (why is None) == (-(2**31) <= v <= 2**31 - 1)
    if why is None:
        assert _arrow_table(_BY_NAME["core_table_facts"], [{"page": v}]).column("page")[0].as_py() == v


def test_arrow_schema_matches_declaration():
    t = _arrow_table(_BY_NAME["core_documents"], [{"doc_id": "x", "fiscal_year": 2024}])
    assert isinstance(t, pa.Table) and t.column_names == [c.name for c in _BY_NAME["core_documents"].columns]
