"""How a name someone else chose (an uploaded file, a ZIP member, a unit's file) is shown.

Names are data: a right-to-left override turns `rtl\u202egnp.txt` into "rtltxt.png" on screen, a
NUL cuts the name in C libraries and browsers, a control character breaks the one-line-per-file
contract, and a 10,000-character name pushes every other column off a table. One rule for every
place a name is shown (the ETL's lines, the upload preview, tables, download file names), so the
same file never reads two ways.
"""

from __future__ import annotations

# Bidirectional controls: embeddings, overrides, isolates and the implicit marks (Unicode UAX #9).
BIDI_CONTROLS = frozenset([0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
# Zero-width characters that hide text inside a name.
INVISIBLE = frozenset([0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF])
MAX_NAME_CHARS = 120  # a disclosure's real name is 10-60 characters
ELLIPSIS = "…"

_REMOVE = {c: None for c in (*BIDI_CONTROLS, *INVISIBLE, 0)}
_ESCAPE = {i: f"\\x{i:02x}" for i in [*range(1, 32), 127]}


def clean_text(text: str) -> str:
    """Bidi controls, zero-width characters and NUL removed; other control characters shown as
    `\\xNN` (a newline in a name would start a second line). Length kept: for paths and messages."""
    return text.translate(_REMOVE).translate(_ESCAPE)


def shown_name(name: str, limit: int = MAX_NAME_CHARS) -> str:
    """A name as people see it: `clean_text`, then cut to `limit` characters in the middle so the
    beginning and the extension stay (`很长的名字…2024决算.pdf`)."""
    text = clean_text(name).strip()
    if len(text) <= limit:
        return text
    dot = text.rfind(".")
    ext = text[dot:] if 0 < dot and len(text) - dot <= 10 else ""
    keep = limit - len(ext) - len(ELLIPSIS)
    head = max(keep * 2 // 3, 1)
    tail = keep - head
    return text[:head] + ELLIPSIS + (text[len(text) - len(ext) - tail : len(text) - len(ext)] if tail else "") + ext
