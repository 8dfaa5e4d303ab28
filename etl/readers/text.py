"""Plain-text reader: tables are runs of tab-separated lines; everything else is a paragraph.

Encodings: UTF-8 (with or without BOM) first, then GB18030, which is a superset of GBK and GB2312:
Chinese government text files are often saved in GBK, and that is not bad input. UTF-16 and UTF-32
with a byte-order mark (what Windows Notepad saves as "Unicode") are text too.

Damaged bytes cost a warning, not the document (issue #18): NUL bytes (a zeroed block of a broken
download), byte-order marks in the middle of a text (files joined after saving) and bytes that fit
no encoding are dropped or shown as U+FFFD, and a warning names their byte offsets. Only a file that
is mostly binary (control characters or undecodable bytes everywhere) is refused.

One pass over the lines, each line split once: time and memory are linear in the file size. Files,
lines and rows past the caps in `etl.limits` are refused with the cap's name in the reason.
"""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from etl import limits
from etl.model import Document, DocumentError, Paragraph, RawTable, Row
from etl.normalize import clean_text

_CONTROLS = {i: None for i in range(32) if chr(i) not in "\t\r\n\f"}
_CONTROL_BYTES = bytes(c for c in _CONTROLS if c)  # NUL is counted apart (runs of it are damage)


def _too_big(what: str, size: int, cap: int, name: str) -> DocumentError:
    return DocumentError(f"{what}: {size:,} over the limit of {cap:,} ({name} in etl/limits.py)")


# A few bytes that fit no encoding (a damaged download, one mistyped byte) cost the reader those
# characters, not the whole document: at most this many replaced per 10,000 characters, and the
# document says how many and where they were.
MAX_BAD_PER_10K = 5
MAX_BAD_MIN = 4  # one damaged byte can spoil the 2-3 bytes of its character
# NUL runs (one zeroed block is one run) beyond this share of the bytes mean binary data, not text.
MAX_NUL_RUNS_PER_10K = 50
MAX_NUL_RUNS_MIN = 8
_REPLACED = "\ufffd"
_SHOWN_OFFSETS = 6  # offsets named in a warning; the count says how many there were

# Byte-order marks, longest first: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_UNIT = {"utf-32-le": 4, "utf-32-be": 4, "utf-16-le": 2, "utf-16-be": 2}
_NUL_RUNS = re.compile(rb"\x00+")
_NUL_OR_BOM = re.compile(rb"\x00+|\xef\xbb\xbf")  # in UTF-8, EF BB BF is always U+FEFF

# Decoding errors are recorded (where, how long) instead of raising: the warning names the offsets.
_seen = threading.local()


class _TooDamaged(Exception):
    """Raised from the decoding error handler past the cap: the encoding is wrong, not damaged."""


def _record_error(exc: UnicodeDecodeError) -> tuple[str, int]:
    _seen.errors.append((exc.start, exc.end))
    if len(_seen.errors) > _seen.cap:
        raise _TooDamaged
    return _REPLACED, exc.end


codecs.register_error("shebao-record", _record_error)


@dataclass
class Decoded:
    """A file's text, its encoding and one warning per kind of damage repaired."""

    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def _spans(spans: list[tuple[int, int]]) -> str:
    shown = [f"{a}" if b - a <= 1 else f"{a}-{b - 1}" for a, b in spans[:_SHOWN_OFFSETS]]
    return ", ".join(shown) + (", …" if len(spans) > _SHOWN_OFFSETS else "")


def _decode_recorded(data: bytes, encoding: str, cap: int) -> tuple[str | None, list[tuple[int, int]]]:
    """The text with bad bytes replaced and where they were; None past `cap` bad characters (GBK
    read as UTF-8 fails on every character: recording them all cost 6x a clean decode)."""
    _seen.errors, _seen.cap = [], cap
    try:
        return data.decode(encoding, errors="shebao-record"), _seen.errors
    except _TooDamaged:
        return None, _seen.errors
    finally:
        _seen.errors = []


def _drop(data: bytes, pattern: re.Pattern) -> tuple[bytes, list[tuple[int, int]]]:
    """The bytes without the pattern's matches, and the spans dropped (offsets in `data`)."""
    if b"\x00" not in data and (pattern is _NUL_RUNS or codecs.BOM_UTF8 not in data):
        return data, []  # the usual case, found by a byte search instead of a regex scan
    spans = [(m.start(), m.end()) for m in pattern.finditer(data)]
    if not spans:
        return data, []
    parts, last = [], 0
    for a, b in spans:
        parts.append(data[last:a])
        last = b
    parts.append(data[last:])
    return b"".join(parts), spans


def _in_file(pos: int, dropped: list[tuple[int, int]]) -> int:
    """Offset in the file of `pos` in the kept bytes: add the bytes dropped before it."""
    for a, b in dropped:
        if a > pos:
            break
        pos += b - a
    return pos


def _binary_reason(data: bytes) -> str | None:
    """Why bytes are binary data rather than damaged text, or None. Checked on the raw bytes, so
    it does not depend on which encoding would have been tried: control bytes other than tab and
    line ends never occur inside a UTF-8 or GB18030 character."""
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls > max(8, len(data) // 100):
        return "binary data, not text (control characters)"
    runs = sum(1 for _ in _NUL_RUNS.finditer(data)) if b"\x00" in data else 0
    if runs > max(MAX_NUL_RUNS_MIN, len(data) * MAX_NUL_RUNS_PER_10K // 10_000):
        return f"binary data, not text (NUL bytes in {runs} places)"
    return None


def _allowed_bad(text: str) -> int:
    return max(MAX_BAD_MIN, len(text) * MAX_BAD_PER_10K // 10_000)


def _dropped_note(count: int, spans: list[tuple[int, int]], what: str) -> str:
    return f"damaged text: {count} {what} dropped at byte offset(s) {_spans(spans)}"


def _bad_note(text: str, errors: list[tuple[int, int]], where: list[tuple[int, int]], line: int, enc: str) -> str:
    return (
        f"{len(errors)} undecodable character(s) shown as \ufffd at byte offset(s) {_spans(where)}, "
        f"the first on line {line} ({enc})"
    )


def _candidates(body: bytes, encodings: tuple[str, ...]) -> list[tuple]:
    """(bad, order, encoding, kept bytes, dropped spans, text, errors) per encoding: a clean
    decode stops the search; otherwise each encoding's damage, None text when past the cap."""
    tries = []
    for enc in encodings:
        kept, dropped = _drop(body, _NUL_OR_BOM if enc == "utf-8" else _NUL_RUNS)
        try:
            return [(0, 0, enc, kept, dropped, kept.decode(enc), [])]
        except UnicodeDecodeError:
            tries.append((enc, kept, dropped))
    out = []
    for order, (enc, kept, dropped) in enumerate(tries):
        text, errors = _decode_recorded(kept, enc, max(MAX_BAD_MIN, len(kept) * MAX_BAD_PER_10K // 10_000))
        out.append((len(errors) if text is not None else len(kept), order, enc, kept, dropped, text, errors))
    return out


def _decode_8bit(data: bytes, base: int, encodings: tuple[str, ...]) -> Decoded:
    """UTF-8 or GB18030: NUL bytes (and in UTF-8 inner byte-order marks) are dropped before
    decoding; neither byte can be part of another character in these encodings."""
    if reason := _binary_reason(data):
        raise DocumentError(reason)
    bad, _, enc, kept, dropped, text, errors = min(_candidates(data[base:], encodings), key=lambda c: c[:2])
    if text is None or bad > _allowed_bad(text):
        shown = f"{len(errors)}+" if text is None else str(bad)
        raise DocumentError(f"undecodable text: neither UTF-8 nor GB18030 ({shown} bad characters)")
    out = Decoded(text, enc)
    for kind, what in ((0, "NUL byte(s)"), (0xEF, "byte(s) of byte-order marks inside the text")):
        spans = [(a + base, b + base) for a, b in dropped if data[base + a] == kind]
        if spans:
            out.warnings.append(_dropped_note(sum(b - a for a, b in spans), spans, what))
    if errors:
        where = [(_in_file(a, dropped) + base, _in_file(a, dropped) + base + b - a) for a, b in errors]
        line = kept.count(b"\n", 0, errors[0][0]) + 1
        out.warnings.append(_bad_note(text, errors, where, line, enc))
    return out


_WIDE_DAMAGE = re.compile("\x00+|\ufeff+")


def _wide_offset(text: str, i: int, enc: str) -> int:
    """Byte offset of character `i` (a replaced character stands for one bad code unit)."""
    return len(text[:i].encode(enc, errors="surrogatepass"))


def _decode_wide(data: bytes, base: int, enc: str) -> Decoded:
    """UTF-16/UTF-32 with a byte-order mark: NUL characters and inner marks are dropped after
    decoding (their bytes are part of every character here), offsets counted in code units."""
    body = data[base:]
    text, errors = _decode_recorded(body, enc, max(MAX_BAD_MIN, len(body) * MAX_BAD_PER_10K // 10_000))
    if text is None or len(errors) > _allowed_bad(text):
        shown = f"{len(errors)}+" if text is None else str(len(errors))
        raise DocumentError(f"undecodable text: not {enc.upper()} ({shown} bad characters)")

    out = Decoded(_WIDE_DAMAGE.sub("", text), enc)
    if reason := _binary_reason(out.text.encode("utf-8")):
        raise DocumentError(reason)
    for char, what in (("\x00", "NUL character(s)"), ("\ufeff", "byte-order mark(s) inside the text")):
        runs = [m for m in _WIDE_DAMAGE.finditer(text) if m.group()[0] == char]
        if runs:
            spans = [(_wide_offset(text, m.start(), enc), _wide_offset(text, m.end(), enc)) for m in runs[:7]]
            count = sum(m.end() - m.start() for m in runs)
            out.warnings.append(_dropped_note(count, [(a + base, b + base) for a, b in spans], what))
    if errors:
        where = [(a + base, b + base) for a, b in errors]
        line = text.count("\n", 0, text.index(_REPLACED)) + 1
        out.warnings.append(_bad_note(text, errors, where, line, enc))
    return out


def _checked(text: str) -> str:
    controls = len(text) - len(text.translate(_CONTROLS))
    if controls > max(8, len(text) // 100):
        raise DocumentError("binary data, not text (control characters)")
    if len(text) > limits.MAX_TEXT_CHARS:
        raise _too_big("text too long (characters)", len(text), limits.MAX_TEXT_CHARS, "MAX_TEXT_CHARS")
    return text


def decode_text(data: bytes) -> Decoded:
    """The text of a file's bytes, repaired where damaged, with a warning per kind of repair."""
    if len(data) > limits.MAX_TEXT_BYTES:
        raise _too_big("text file too large (bytes)", len(data), limits.MAX_TEXT_BYTES, "MAX_TEXT_BYTES")
    bom, enc = next(((b, e) for b, e in _BOMS if data.startswith(b)), (b"", ""))
    if enc in _UNIT:
        out = _decode_wide(data, len(bom), enc)
    else:
        # A UTF-8 mark on GBK text (a converter's or an editor's doing) still reads as GB18030.
        out = _decode_8bit(data, len(bom), ("utf-8", "gb18030"))
    if "\ufeff" in out.text:  # a mark GB18030 spells in four bytes: rare, dropped all the same
        out.text = out.text.replace("\ufeff", "")
        out.warnings.append("damaged text: byte-order marks inside the text dropped")
    _checked(out.text)
    return out


def decode_with_note(data: bytes) -> tuple[str, str, str | None]:
    """Text, encoding and, when some bytes had to be dropped or replaced, a note saying so."""
    out = decode_text(data)
    return out.text, out.encoding, "; ".join(out.warnings) or None


def decode(data: bytes) -> tuple[str, str]:
    text, encoding, _note = decode_with_note(data)
    return text, encoding


def _cells(line: str, lineno: int) -> list[str]:
    cells = line.split("\t")
    if len(cells) > limits.MAX_ROW_CELLS:
        raise _too_big(f"line {lineno}: too many cells in one row", len(cells), limits.MAX_ROW_CELLS, "MAX_ROW_CELLS")
    return [c.strip() for c in cells]


def read_text(path: Path, data: bytes | None = None) -> Document:
    decoded = decode_text(path.read_bytes() if data is None else data)
    text = decoded.text
    doc = Document(path=str(path), file_name=path.name, fmt="text", page_count=1, encoding=decoded.encoding)
    doc.warnings.extend(decoded.warnings)
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
