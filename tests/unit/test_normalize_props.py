"""Property tests (hypothesis) for the number, code and unit parsers and for read_text on any bytes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.model import Document, DocumentError
from etl.normalize import compact, find_unit, parse_number, parse_percent, to_yuan, unit_in_header
from etl.readers.text import read_text
from etl.tables.common import is_amount, is_code, parse_label, value_cells
from rules.units import UNIT_FACTORS

AMOUNTS = st.decimals(min_value=Decimal("-99999999999999.99"), max_value=Decimal("99999999999999.99"), places=2)
FULL_WIDTH = str.maketrans("0123456789,.-", "０１２３４５６７８９，．－")


def _grouped(value: Decimal, sep: str = ",") -> str:
    """`12984142.90` -> `12,984,142.90` with `sep` after each comma."""
    sign, text = ("-" if value < 0 else ""), f"{abs(value):,.2f}"
    return sign + text.replace(",", "," + sep) if sep else sign + text


@given(AMOUNTS)
def test_thousands_separators_round_trip(value):
    p = parse_number(_grouped(value))
    assert p is not None and not p.blank and p.value == value and p.decimals == 2


@given(AMOUNTS, st.sampled_from([" ", "  ", "\u3000", "\xa0"]))
def test_spaces_inside_numbers_round_trip(value, space):
    printed = _grouped(value, space).replace(".", "." + space)  # `12, 984, 142. 90`
    assert parse_number(printed).value == value


@given(AMOUNTS)
def test_full_width_digits_round_trip(value):
    assert parse_number(_grouped(value).translate(FULL_WIDTH)).value == value


@given(AMOUNTS.filter(lambda d: d > 0))
def test_parenthesised_and_trailing_minus_are_negative(value):
    assert parse_number(f"({_grouped(value)})").value == -value
    assert parse_number(f"{_grouped(value)}-").value == -value


@given(AMOUNTS, st.sampled_from(sorted(UNIT_FACTORS)))
def test_units_convert_to_yuan_exactly(value, unit):
    yuan = to_yuan(parse_number(_grouped(value)).value, unit)
    assert yuan == (value * UNIT_FACTORS[unit]).quantize(Decimal("0.01"))
    assert find_unit(f"单位：{unit}") == unit and find_unit(f"金额单位: {unit}") == unit
    assert unit_in_header(f"项目资金（{unit}）") == unit


@given(st.sampled_from(["", " ", "-", "—", "——", "－", "/", "–"]))
def test_blanks_and_dashes_are_not_disclosed_never_zero(cell):
    p = parse_number(cell)
    assert p is not None and p.blank and p.value is None


@given(st.text())
def test_parsers_never_raise_on_any_text(text):
    p = parse_number(text)
    assert p is None or (p.blank and p.value is None) or isinstance(p.value, Decimal)
    parse_percent(text)
    find_unit(text)
    unit_in_header(text)
    is_code(text)
    is_amount(text)
    assert isinstance(compact(text), str)


@given(st.text(alphabet=st.characters(blacklist_characters="[*", blacklist_categories=("Cs",))))
def test_compact_is_idempotent_and_has_no_line_breaks(text):
    once = compact(text)
    assert compact(once) == once and "\n" not in once


@given(st.integers(min_value=10, max_value=9_999_999).map(str))
def test_codes_of_two_to_seven_digits(code):
    assert is_code(code) and is_code(" " + code + " ")
    assert not is_code(code + "a") and not is_code(code + ".5")


@given(
    st.lists(st.integers(min_value=10, max_value=999).map(str), min_size=1, max_size=3),
    st.text(alphabet="社会保险经办机构事业单位离退休", min_size=2, max_size=12),
    st.lists(AMOUNTS.map(_grouped), max_size=4),
)
def test_label_split_over_code_cells(parts, name, amounts):
    code, label, idx = parse_label([*parts, name, *amounts])
    assert code == "".join(parts) and label == name and idx == len(parts)


@given(st.lists(st.sampled_from(["", "1.00", "x", " "]), max_size=30), st.integers(0, 5), st.integers(1, 8))
def test_value_cells_has_the_asked_width(cells, start, n):
    out = value_cells(cells, start, n)
    assert len(out) == n and all(c in cells or c == "" for c in out)


@given(st.decimals(min_value=-1000, max_value=1000, places=2))
def test_percent(value):
    assert parse_percent(f"{value}%") == value / 100


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=3000))
def test_read_text_on_any_bytes_raises_only_document_error(tmp_path, data):
    path = Path(tmp_path) / "x.txt"
    try:
        doc = read_text(path, data)
    except DocumentError as exc:
        assert str(exc)
    else:
        assert isinstance(doc, Document) and doc.blocks
