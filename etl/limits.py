"""Input caps, in one place: past them a file (or a PDF page) is refused with a reason naming the cap.

The parsers are linear in input size below these caps; the caps bound each file's time and memory so
a worker never spends minutes on input no disclosure has. A national template table has at most ~40
columns, a real disclosure 10-60 k characters of text and 5-60 pages with at most ~6 k characters
each; every cap is far above that, so real documents never meet one.
"""

from __future__ import annotations

# Text files (after decoding): more characters than this and the file is refused.
MAX_TEXT_CHARS = 1_000_000
# Bytes read from a text file before decoding (GB18030 is at most 4 bytes per character).
MAX_TEXT_BYTES = 4 * MAX_TEXT_CHARS
# One text line (table row or paragraph line), in characters.
MAX_LINE_CHARS = 100_000
# Cells in one table row (text: tab-separated cells of one line).
MAX_ROW_CELLS = 1_000
# PDF pages; a longer PDF is refused before any page is read.
MAX_PDF_PAGES = 2_000
# Characters on one PDF page: a page over this is reported unreadable and skipped (pdfplumber
# spends ~0.3 ms per character, so a 200 k-character page would take a minute and gigabytes).
MAX_PAGE_CHARS = 20_000
# Objects (text runs, rules, images) on one PDF page; over this the page is skipped before its text
# is analysed (a real page has a few hundred to a few thousand).
MAX_PAGE_OBJECTS = 20_000


def describe() -> dict[str, int]:
    """The caps by name, for reports and the data dictionary."""
    return {k: v for k, v in globals().items() if k.startswith("MAX_") and isinstance(v, int)}
