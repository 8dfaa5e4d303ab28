"""Traditional-character (繁體) disclosures to simplified, before anything matches.

Some portals serve a 繁體 copy of a page (興國縣社會保險服務中心…). Titles, headers, unit names and the
division list are all simplified, so such a document is converted with OpenCC's `t2s` profile
(phrase-aware) as a whole. Simplified text is left untouched: OpenCC changes no character of the
five samples, and conversion only runs when traditional-only characters are frequent enough.
"""

from __future__ import annotations

import functools
import re

from etl.model import Document, Paragraph, RawTable

_CJK = re.compile(r"[\u4e00-\u9fff]")
MIN_CHANGED = 8  # characters OpenCC would change…
MIN_SHARE = 0.02  # …and their share of the CJK characters
CONVERTED = "traditional characters converted to simplified (OpenCC t2s)"


@functools.cache
def _converter():
    import opencc

    return opencc.OpenCC("t2s.json")


def to_simplified(text: str) -> str:
    return _converter().convert(text) if text else text


def _sample(doc: Document, limit: int = 20000) -> str:
    parts: list[str] = []
    size = 0
    for b in doc.blocks:
        texts = [b.text] if isinstance(b, Paragraph) else [c for r in b.rows for c in r.cells]
        for t in texts:
            parts.append(t)
            size += len(t)
        if size >= limit:
            break
    return "\n".join(parts)[:limit]


def is_traditional(text: str) -> bool:
    """Whether enough characters are traditional-only to call the text 繁體."""
    converted = to_simplified(text)
    changed = sum(1 for a, b in zip(text, converted) if a != b)
    cjk = len(_CJK.findall(text))
    return changed >= MIN_CHANGED and changed >= MIN_SHARE * max(cjk, 1)


def simplify_document(doc: Document) -> Document:
    """Convert a traditional-character document in place; records `doc.script = "traditional"`."""
    if not is_traditional(_sample(doc)):
        return doc
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            b.text = to_simplified(b.text)
        elif isinstance(b, RawTable):
            for r in b.rows:
                r.cells = [to_simplified(c) for c in r.cells]
    doc.script = "traditional"
    doc.warnings.append(CONVERTED)
    return doc
