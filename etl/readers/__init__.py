"""Readers turn a file into the shared document model (`etl.model.Document`)."""

from __future__ import annotations

from pathlib import Path

from etl.model import Document, DocumentError


def read_document(path: str | Path) -> Document:
    """Dispatch on content, not on the file name: a PDF starts with `%PDF`."""
    path = Path(path)
    data = path.read_bytes()
    if not data.strip():
        raise DocumentError("empty file")
    if data[:1024].lstrip().startswith(b"%PDF"):
        from etl.readers.pdf import read_pdf

        return read_pdf(path)
    if path.suffix.lower() == ".pdf":
        raise DocumentError("not a PDF: the file has a .pdf name but no %PDF header")
    from etl.readers.text import read_text

    return read_text(path, data)
