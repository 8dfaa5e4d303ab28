"""Property tests: the HTML table grid, Excel number rendering, and hostile bytes in any form."""

import html
import re
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.model import DocumentError, RawTable
from etl.normalize import clean_text, parse_number
from etl.readers import read_document
from etl.readers.excel import render

CELL = st.text(alphabet="获嘉县社保中心合计预算万元0123456789.,%- <>&\"'", max_size=12)
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _norm(cell: str) -> str:
    return clean_text(re.sub(r"\s+", " ", cell)).strip()


@FAST
@given(st.integers(2, 6).flatmap(lambda n: st.lists(st.lists(CELL, min_size=n, max_size=n), min_size=1, max_size=8)))
def test_html_table_cells_come_back_in_place(tmp_path, grid):
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in grid)
    page = f"<html><body><p>2024年部门预算</p><table>{rows}</table></body></html>"
    p = tmp_path / "t.html"
    p.write_bytes(page.encode("utf-8"))
    doc = read_document(p)
    tables = [b for b in doc.blocks if isinstance(b, RawTable)]
    expected = [[_norm(c) for c in r] for r in grid if any(_norm(c) for c in r)]
    assert [r.cells for t in tables for r in t.rows] == expected


@FAST
@given(st.decimals(min_value=-(10**11), max_value=10**11, places=4), st.integers(0, 4))
def test_excel_number_renders_to_its_value(value, places):
    d = value.quantize(Decimal(1).scaleb(-places))  # at most 15 significant digits: exact as a double
    text = render(float(d), "#,##0" + ("." + "0" * places if places else ""))
    assert parse_number(text).value == d and parse_number(text).decimals == places


PREFIXES = [b"", b"<html><body><table><tr><td>", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"%PDF-1.4\n"]


@FAST
@given(st.sampled_from(PREFIXES), st.binary(max_size=600), st.sampled_from([".txt", ".html", ".xlsx", ".xls", ".docx"]))
def test_hostile_bytes_fail_with_a_reason_or_parse(tmp_path, prefix, body, suffix):
    p = tmp_path / f"x{suffix}"
    p.write_bytes(prefix + body)
    try:
        doc = read_document(p)
    except DocumentError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert doc.blocks
