"""Scanned PDFs: pages without a text layer are read by OCR (placeholder until the OCR step lands)."""

from __future__ import annotations

from pathlib import Path

from etl.model import Document


def read_pdf_or_scan(path: Path) -> Document:
    from etl.readers.pdf import read_pdf

    return read_pdf(path)
