"""The text and the PDF of one disclosure yield the same facts (provenance aside)."""

from collections import Counter

import pytest

from etl.facts import BOX_FIELDS
from tests.conftest import STEMS, parsed

# Where a fact was printed: the text has lines, the PDF pages and cell boxes (etl.facts.BOX_FIELDS).
PROVENANCE = {"page", "line", "row_index", "col_index", "table_id", "seq", "sentence", "source_a", "source_b", *BOX_FIELDS}


def _facts(p, table):
    return Counter(
        tuple(sorted((k, str(v)) for k, v in r.items() if k not in PROVENANCE)) for r in p.facts.rows.get(table, [])
    )


@pytest.mark.parametrize("stem", STEMS.values(), ids=STEMS.keys())
def test_text_and_pdf_yield_same_facts(stem):
    text, pdf = parsed(stem, "txt"), parsed(stem, "pdf")
    assert text.info == pdf.info
    assert pdf.fmt == "pdf" and text.fmt == "text"
    tables = {t for t in set(text.facts.rows) | set(pdf.facts.rows) if t.startswith("core_")}
    assert "core_table_facts" in tables or "core_projects" in tables
    for table in sorted(tables):
        a, b = _facts(text, table), _facts(pdf, table)
        assert a == b, (table, list((a - b).elements())[:2], list((b - a).elements())[:2])


def test_pdf_provenance_is_pages(con):
    rows = con.execute("SELECT DISTINCT format FROM core_source_files").fetchall()
    assert sorted(r[0] for r in rows) == ["pdf", "text"]
    pdf = parsed(STEMS["yanchi"], "pdf")
    pages = {f["page"] for f in pdf.facts.rows["core_table_facts"]}
    assert len(pages) > 3 and all(f["line"] is None for f in pdf.facts.rows["core_table_facts"])
