"""File names are data: any bytes a zip from Windows may carry, shown on one line, stored as text.

A GBK name arrives in Python as surrogate escapes (`'\\udcc9'`); it is re-decoded as GB18030 when
that works, else the undecodable bytes become `\\xNN`. Control characters (a newline in a name
would break the one-line-per-file contract) are shown escaped.
"""

from __future__ import annotations

import os
from pathlib import Path

_CONTROL = {i: f"\\x{i:02x}" for i in list(range(32)) + [127]}


def display_name(name: str | os.PathLike) -> str:
    """A printable, valid-Unicode, single-line form of a file name."""
    text = os.fspath(name)
    if isinstance(text, bytes):
        raw = text
    else:
        try:
            text.encode("utf-8")
            return text.translate(_CONTROL)
        except UnicodeEncodeError:
            raw = os.fsencode(text)
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc).translate(_CONTROL)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="backslashreplace").translate(_CONTROL)


def display_path(path: Path | str) -> str:
    return display_name(str(path))
