"""Plain-text reader: tables are runs of tab-separated lines; everything else is a paragraph.

Encodings: UTF-8 (with or without BOM) first, then GB18030, which is a superset of GBK and GB2312:
Chinese government text files are often saved in GBK, and that is not bad input.
"""

from __future__ import annotations

from pathlib import Path

from etl.model import Document, DocumentError, Paragraph, RawTable, Row
from etl.normalize import clean_text


def decode(data: bytes) -> tuple[str, str]:
    if b"\x00" in data[:4096]:
        raise DocumentError("binary data, not text (NUL bytes)")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
        if controls > max(8, len(text) // 100):
            raise DocumentError("binary data, not text (control characters)")
        return text, ("utf-8" if enc == "utf-8-sig" else enc)
    raise DocumentError("undecodable text: neither UTF-8 nor GB18030")


def read_text(path: Path, data: bytes | None = None) -> Document:
    text, encoding = decode(path.read_bytes() if data is None else data)
    doc = Document(path=str(path), file_name=path.name, fmt="text", page_count=1, encoding=encoding)
    table: RawTable | None = None
    text_since_table = True
    for lineno, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        line = clean_text(raw)
        if "\t" in line:
            if table is None:
                table = RawTable(rows=[], page=1, line=lineno, continues_previous=not text_since_table)
                doc.blocks.append(table)
            cells = [c.strip() for c in line.split("\t")]
            table.rows.append(Row(cells=cells, page=1, line=lineno, index=len(table.rows)))
            text_since_table = False
            continue
        table = None
        if line.strip():
            doc.blocks.append(Paragraph(text=line.strip(), page=1, line=lineno))
            text_since_table = True
    if not any(b for b in doc.blocks):
        raise DocumentError("no text content")
    return doc
