"""File names are data: any bytes a zip from Windows may carry, shown on one line, stored as text.

A GBK name arrives in Python as surrogate escapes (`'\\udcc9'`); it is re-decoded as GB18030 when
that works, else the undecodable bytes become `\\xNN`. Control characters (a newline in a name
would break the one-line-per-file contract) are shown escaped; bidi controls, zero-width
characters and NUL are removed (`rules.names`, the one rule for every place a name is shown).
"""

from __future__ import annotations

import os
from pathlib import Path

from rules.names import clean_text, shown_name


def _decoded(name: str | os.PathLike) -> str:
    text = os.fspath(name)
    if isinstance(text, bytes):
        raw = text
    else:
        try:
            text.encode("utf-8")
            return text
        except UnicodeEncodeError:
            raw = os.fsencode(text)
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="backslashreplace")


def display_name(name: str | os.PathLike) -> str:
    """A printable, valid-Unicode, single-line form of a file name, path or message (full length)."""
    return clean_text(_decoded(name))


def short_name(name: str | os.PathLike) -> str:
    """A file name as people see it in a preview, a table or a line: `display_name`, length capped."""
    return shown_name(_decoded(name))


def display_path(path: Path | str) -> str:
    return display_name(str(path))
