"""Text and number normalisation shared by every reader and recogniser.

Disclosures arrive with full-width digits, Kangxi radicals from PDF fonts, spaces inside numbers
(`12, 984, 142. 90`) and cells wrapped over several lines. Everything that matches text or parses a
number goes through here first, so readers and recognisers see one canonical form.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from rules.units import UNIT_FACTORS, YUAN

# CJK Radicals Supplement (U+2E80-2EFF) is not folded by NFKC; the map comes from Unicode's
# EquivalentUnifiedIdeograph.txt (scripts/make_radicals.py), shipped as a small data file.
_RADICAL_SUPPLEMENT = {
    chr(int(row.split("\t")[0], 16)): chr(int(row.split("\t")[1], 16))
    for row in (Path(__file__).parent / "reference" / "radicals_supplement.tsv")
    .read_text(encoding="utf-8")
    .splitlines()[1:]
    if row
}
_RADICAL_TABLE = str.maketrans(_RADICAL_SUPPLEMENT)
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_SPACE_NOT_LATIN = re.compile(r"(?<![A-Za-z])\s+|\s+(?![A-Za-z])")
_MARKDOWN = re.compile(r"\*\*(.*?)\*\*")
# `[^\][]` (not just `[^\]]`): an unclosed "[bookmark:" stops at the next "[" instead of scanning
# to the end of the text, so many of them on one line cost linear time, not quadratic.
_BOOKMARK = re.compile(r"\[bookmark:[^\][]*\]")
_WRAP = re.compile(r"\s*\n\s*")
_SPACES = re.compile(r"\s+")
# Cell texts repeat across rows and tables and are normalised several times each; short ones are
# memoised (bounded: only texts up to this length, at most 2**15 of them).
_MEMO_LEN = 64
# Portal 繁體 pages annotate characters with their pinyin in brackets, inside words: 經(jīng)費,
# 減少(jiǎn). Left in, they cut "经费" and "减少" apart and nothing downstream matches. Only
# Latin letters carrying at least one tone mark, right after a CJK character (one space allowed), are removed:
# "(境)", "(PPP)" or "(a)" stay. Full-width brackets are ASCII here (NFKC runs first).
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙǕǗǙǛ"
_PINYIN = re.compile(rf"([{_CJK}]) ?\((?=[^()]{{0,40}}[{_TONED}])[A-Za-züÜ{_TONED} ]{{1,40}}\)")


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_RADICAL_TABLE)
    if "[" in text:
        text = _BOOKMARK.sub("", text)
    if "**" in text:
        text = _MARKDOWN.sub(r"\1", text)
    if "(" in text:
        text = _PINYIN.sub(r"\1", text)
    return text.replace("\u3000", " ").replace("\xa0", " ")


_clean_memo = lru_cache(maxsize=1 << 15)(_clean)


def clean_text(text: str | None) -> str:
    """NFKC + radical map + markdown remnants removed; keeps line structure."""
    if not text:
        return ""
    return _clean_memo(text) if len(text) <= _MEMO_LEN else _clean(text)


def _compact(text: str) -> str:
    text = clean_text(text).replace("\r", "")
    if "\n" in text:
        text = _WRAP.sub("", text)
    # Renderings differ in spacing ("2024 年" / "2024年"); only spaces between Latin words carry
    # meaning, so every other run of whitespace is dropped.
    text = _SPACE_NOT_LATIN.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    # NFKC turns a spacing mark into space + combining mark; with the space gone, marks may need
    # reordering: normalise once more so compact(compact(x)) == compact(x).
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


_compact_memo = lru_cache(maxsize=1 << 15)(_compact)


def compact(text: str | None) -> str:
    """Cell text for matching: cleaned, wrapped lines joined, spaces between CJK removed."""
    if not text:
        return ""
    return _compact_memo(text) if len(text) <= _MEMO_LEN else _compact(text)


_KEY_DROP = re.compile(r"[\s:：,，。、\"“”'‘’()（）\[\]【】《》<>·\-—_*]")


def _key(text: str) -> str:
    return _KEY_DROP.sub("", compact(text))


_key_memo = lru_cache(maxsize=1 << 15)(_key)


def key(text: str | None) -> str:
    """Aggressive form for alias lookups: no whitespace, no punctuation, unified brackets."""
    if not text:
        return ""
    return _key_memo(text) if len(text) <= _MEMO_LEN else _key(text)


_NUM_BODY = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_DASHES = {"-", "—", "–", "--", "——", "－", "/", "—-"}


class ParsedNumber:
    """A printed number: its value, whether it was blank, and how it was printed."""

    __slots__ = ("value", "blank", "printed", "decimals")

    def __init__(self, value: Decimal | None, blank: bool, printed: str, decimals: int | None):
        self.value, self.blank, self.printed, self.decimals = value, blank, printed, decimals

    def __repr__(self) -> str:
        return f"ParsedNumber({self.value!r}, blank={self.blank}, printed={self.printed!r})"


def parse_number(text: str | None) -> ParsedNumber | None:
    """Parse an amount cell. Returns None when the cell is not a number at all.

    Blank cells and dashes come back as `blank=True, value=None` (not disclosed, never 0).
    Accepts thousands separators, spaces inside numbers, full-width digits, parentheses and
    trailing minus signs as negatives, and a trailing `%` is rejected (percentages are not amounts).
    """
    raw = clean_text(text)
    s = re.sub(r"\s+", "", raw)
    if s == "" or s in _DASHES:
        return ParsedNumber(None, True, raw.strip(), None)
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    elif s.endswith("-") and len(s) > 1:
        negative, s = True, s[:-1]
    s = s.replace(",", "")
    if not _NUM_BODY.match(s):
        return None
    try:
        value = Decimal(s)
    except InvalidOperation:  # pragma: no cover - guarded by the regex
        return None
    if negative:
        value = -value
    decimals = len(s.split(".")[1]) if "." in s else 0
    return ParsedNumber(value, False, raw.strip(), decimals)


# Every unit of rules.units, longest first so 万元 is never read as 元.
UNIT_PATTERN = "|".join(sorted(UNIT_FACTORS, key=len, reverse=True))
_UNIT_RE = re.compile(rf"(?:金额)?单位\s*[:：]?\s*({UNIT_PATTERN})")
_UNIT_IN_HEADER = re.compile(rf"[（(]\s*({UNIT_PATTERN})\s*[）)]")


def find_unit(text: str) -> str | None:
    """The amount unit stated in a `单位：万元` / `金额单位：元` line, if any."""
    m = _UNIT_RE.search(clean_text(text).replace(" ", ""))
    return m.group(1) if m else None


def unit_in_header(text: str) -> str | None:
    """A unit written inside a header cell such as `项目资金（万元）`."""
    m = _UNIT_IN_HEADER.search(compact(text))
    return m.group(1) if m else None


_TITLE_END = re.compile(r"(表|表\s*[(（]\s*\d{4}\s*年度?\s*[)）])$")
_FORM_NO = re.compile(r"^公开\s*\d+\s*表$")


def looks_like_title(text: str) -> bool:
    """Whether a line reads as a table title (ends with 表, or 表 and a bracketed year or note);
    shared by the readers (a sheet name, a row with one cell) and the table layout."""
    t = compact(text)
    if _FORM_NO.match(t):
        return False  # "公开 01 表" is a form number printed under the real title
    if len(t) > 140 or t.startswith(("注", "备注", "附件：", "附件:")):
        return False
    return bool(_TITLE_END.search(t)) or bool(re.search(r"表\s*[(（].{0,12}[)）]$", t))


def to_yuan(value: Decimal | None, unit: str | None) -> Decimal | None:
    if value is None:
        return None
    factor = UNIT_FACTORS.get(unit or YUAN, Decimal(1))
    v = value * factor
    if v.is_finite() and v.adjusted() >= 24:  # no amount is this large: kept as is, and the
        return v  # loader's schema check rejects the file naming this cell
    return v.quantize(Decimal("0.01"))


_PCT_RE = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*%$")


def parse_percent(text: str) -> Decimal | None:
    """`11.57%` -> Decimal('0.1157'); anything else -> None."""
    m = _PCT_RE.match(re.sub(r"\s+", "", clean_text(text)))
    return Decimal(m.group(1)) / 100 if m else None
