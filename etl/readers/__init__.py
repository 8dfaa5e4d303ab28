"""Readers turn a file into the shared document model (`etl.model.Document`).

The form is sniffed from the bytes (etl/readers/sniff.py), never taken from the file name alone.
After reading, a traditional-character document is converted to simplified (etl/traditional.py),
so every later step matches one script. A PDF whose pages have no text layer is read by OCR
(etl/readers/ocr.py); those pages are listed in `Document.ocr_pages` and their blocks marked `ocr`.
"""

from __future__ import annotations

from pathlib import Path

from etl.model import Document, DocumentError
from etl.readers.sniff import sniff
from etl.traditional import CONVERTED, simplify_document

# File suffixes the build looks for in a folder (a file given by name is sniffed whatever its name).
# Office names the ETL cannot read (.doc, .wps, .et, .xlsb, .rtf) and archives are included on
# purpose: portals save HTML pages as .doc/.xls, which are read; the rest fail with a reason
# instead of being skipped without a word.
READABLE_SUFFIXES = (
    ".txt", ".pdf", ".html", ".htm", ".shtml", ".xhtml", ".mht", ".mhtml",
    ".xlsx", ".xlsm", ".xls", ".ods", ".et", ".xlsb",
    ".docx", ".doc", ".wps", ".rtf", ".zip",
)  # fmt: skip


# When copies of one disclosure tie on content, keep the one whose provenance is most precise and
# whose text is as printed: text lines, then Excel cells, HTML, Word, PDF pages; OCR and 繁體
# conversions last.
_PROVENANCE_RANK = {"text": 0, "excel": 1, "html": 2, "docx": 3, "pdf": 4}


def provenance_rank(fmt: str, warnings: list[str] | tuple = ()) -> int:
    if any(w.startswith("OCR on pages") for w in warnings):
        return 9
    return _PROVENANCE_RANK.get(fmt, 5) + (5 if CONVERTED in warnings else 0)


def _read(path: Path, data: bytes) -> Document:
    form = sniff(path, data)
    if form == "pdf":
        from etl.readers.ocr import read_pdf_or_scan

        return read_pdf_or_scan(path)
    if form in ("xlsx", "xls", "ods"):
        from etl.readers.excel import read_excel

        return read_excel(path, form)
    if form == "docx":
        from etl.readers.word import read_docx

        return read_docx(path)
    if form == "html":
        from etl.readers.html import read_html

        return read_html(path, data)
    if form == "mhtml":
        from etl.readers.html import read_mhtml

        return read_mhtml(path, data)
    from etl.readers.text import read_text

    return read_text(path, data)


def read_document(path: str | Path) -> Document:
    """Dispatch on content, not on the file name: `%PDF`, zip with xl/ or word/, OLE2, markup."""
    path = Path(path)
    data = path.read_bytes()
    if not data.strip():
        raise DocumentError("empty file")
    return simplify_document(_read(path, data))
