"""Plain-text reader: tables are runs of tab-separated lines; everything else is a paragraph.

Encodings: UTF-8 (with or without BOM) first, then GB18030, which is a superset of GBK and GB2312:
Chinese government text files are often saved in GBK, and that is not bad input.

One pass over the lines, each line split once: time and memory are linear in the file size. Files,
lines and rows past the caps in `etl.limits` are refused with the cap's name in the reason.
"""

from __future__ import annotations

from pathlib import Path

from etl import limits
from etl.model import Document, DocumentError, Paragraph, RawTable, Row
from etl.normalize import clean_text

_CONTROLS = {i: None for i in range(32) if chr(i) not in "\t\r\n\f"}


def _too_big(what: str, size: int, cap: int, name: str) -> DocumentError:
    return DocumentError(f"{what}: {size:,} over the limit of {cap:,} ({name} in etl/limits.py)")


# A few bytes that fit no encoding (a damaged download, one mistyped byte) cost the reader those
# characters, not the whole document: at most this many replaced per 10,000 characters, and the
# document says how many and where the first one was.
MAX_BAD_PER_10K = 5
MAX_BAD_MIN = 4  # one damaged byte can spoil the 2-3 bytes of its character
_REPLACED = "\ufffd"


def _checked(text: str) -> str:
    controls = len(text) - len(text.translate(_CONTROLS))
    if controls > max(8, len(text) // 100):
        raise DocumentError("binary data, not text (control characters)")
    if len(text) > limits.MAX_TEXT_CHARS:
        raise _too_big("text too long (characters)", len(text), limits.MAX_TEXT_CHARS, "MAX_TEXT_CHARS")
    return text


def _lenient(data: bytes) -> tuple[str, str, str]:
    """The encoding that needs the fewest replaced characters, when they are few enough."""
    best = min(
        ((data.decode(enc, errors="replace"), enc) for enc in ("utf-8-sig", "gb18030")),
        key=lambda te: te[0].count(_REPLACED),
    )
    text, enc = best
    bad = text.count(_REPLACED)
    if bad > max(MAX_BAD_MIN, len(text) * MAX_BAD_PER_10K // 10_000):
        raise DocumentError(f"undecodable text: neither UTF-8 nor GB18030 ({bad} bad characters)")
    line = text.count("\n", 0, text.index(_REPLACED)) + 1
    name = "utf-8" if enc == "utf-8-sig" else enc
    return text, name, f"{bad} undecodable character(s) shown as \ufffd, the first on line {line} ({name})"


def decode_with_note(data: bytes) -> tuple[str, str, str | None]:
    """Text, encoding and, when some bytes had to be replaced, a note saying so."""
    if len(data) > limits.MAX_TEXT_BYTES:
        raise _too_big("text file too large (bytes)", len(data), limits.MAX_TEXT_BYTES, "MAX_TEXT_BYTES")
    if b"\x00" in data[:4096]:
        raise DocumentError("binary data, not text (NUL bytes)")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        return _checked(text), ("utf-8" if enc == "utf-8-sig" else enc), None
    text, enc, note = _lenient(data)
    return _checked(text), enc, note


def decode(data: bytes) -> tuple[str, str]:
    text, encoding, _note = decode_with_note(data)
    return text, encoding


def _cells(line: str, lineno: int) -> list[str]:
    cells = line.split("\t")
    if len(cells) > limits.MAX_ROW_CELLS:
        raise _too_big(f"line {lineno}: too many cells in one row", len(cells), limits.MAX_ROW_CELLS, "MAX_ROW_CELLS")
    return [c.strip() for c in cells]


def read_text(path: Path, data: bytes | None = None) -> Document:
    text, encoding, note = decode_with_note(path.read_bytes() if data is None else data)
    doc = Document(path=str(path), file_name=path.name, fmt="text", page_count=1, encoding=encoding)
    if note:
        doc.warnings.append(note)
    table: RawTable | None = None
    text_since_table = True
    for lineno, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if len(raw) > limits.MAX_LINE_CHARS:
            raise _too_big(
                f"line {lineno}: line too long (characters)", len(raw), limits.MAX_LINE_CHARS, "MAX_LINE_CHARS"
            )
        line = clean_text(raw)
        if "\t" in line:
            if table is None:
                table = RawTable(rows=[], page=1, line=lineno, continues_previous=not text_since_table)
                doc.blocks.append(table)
            table.rows.append(Row(cells=_cells(line, lineno), page=1, line=lineno, index=len(table.rows)))
            text_since_table = False
            continue
        table = None
        if line.strip():
            doc.blocks.append(Paragraph(text=line.strip(), page=1, line=lineno))
            text_since_table = True
    if not doc.blocks:
        raise DocumentError("no text content")
    return doc
