"""A damaged byte costs a warning, not the document (#18, item 3).

NUL bytes (a zeroed block of a broken download), byte-order marks in the middle of a text (files
joined after saving) and undecodable bytes are dropped or replaced, with a warning naming their
byte offsets; UTF-16 and UTF-32 with a byte-order mark (Windows Notepad's "Unicode") are text; a
file that is mostly binary is still refused with one line. The five samples damaged these ways give
the facts of the originals.
"""

from __future__ import annotations

import codecs
import functools
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.model import DocumentError
from etl.pipeline import parse_file
from etl.readers import read_document
from etl.readers.text import decode_text
from tests.conftest import RAW, STEMS, parsed

PROVENANCE = {"page", "line", "row_index", "col_index", "table_id", "seq", "sentence", "source_a", "source_b"}


def _facts(p) -> dict[str, Counter]:
    return {
        t: Counter(tuple(sorted((k, str(v)) for k, v in r.items() if k not in PROVENANCE)) for r in rows)
        for t, rows in p.facts.rows.items()
        if t.startswith("core_")
    }


@functools.cache
def _original(stem: str):
    p = parsed(stem)
    return p.info, _facts(p)


def _before_title(data: bytes) -> int:
    """Offset of the line above the first table row (its title): damage there once moved a table
    to another family."""
    lines = data.split(b"\n")
    first_row = next(i for i, line in enumerate(lines) if b"\t" in line)
    title = max(i for i in range(first_row) if lines[i].strip())
    return sum(len(line) + 1 for line in lines[:title])


def _damaged(data: bytes, how: str) -> bytes:
    text = data.decode("utf-8")
    at = _before_title(data)
    return {
        "nul_at_100": data[:100] + b"\x00" + data[100:],
        "nul_before_title": data[:at] + b"\x00" + data[at:],
        "zeroed_block": data[:at] + b"\x00" * 4096 + data[at:],
        "bom_before_title": data[:at] + b"\xef\xbb\xbf" + data[at:],
        "utf16_le_bom": b"\xff\xfe" + text.encode("utf-16-le"),
        "utf16_be_bom": b"\xfe\xff" + text.encode("utf-16-be"),
        "utf32_le_bom": b"\xff\xfe\x00\x00" + text.encode("utf-32-le"),
        "gbk_with_nul": text.encode("gbk")[:at] + b"\x00" + text.encode("gbk")[at:],
    }[how]


HOW = ("nul_at_100", "nul_before_title", "zeroed_block", "bom_before_title", "utf16_le_bom", "utf32_le_bom")


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("stem", STEMS.values(), ids=STEMS.keys())
def test_damaged_samples_give_the_figures_of_the_originals(tmp_path, stem, how):
    path = tmp_path / f"{stem}.txt"
    path.write_bytes(_damaged((RAW / f"{stem}.txt").read_bytes(), how))
    info, facts = _original(stem)
    other = parse_file(path)
    assert other.info == info
    got = _facts(other)
    for table in sorted(set(facts) | set(got)):
        a, b = facts.get(table, Counter()), got.get(table, Counter())
        assert a == b, (how, table, list((a - b).elements())[:2], list((b - a).elements())[:2])
    assert sum(sum(c.values()) for c in facts.values()) > 60  # real figures, not two empty sets


@pytest.mark.parametrize("stem", [STEMS["yanchi"], STEMS["xianghe"]], ids=["yanchi", "xianghe"])
def test_an_invisible_mark_inside_a_word_moves_nothing(tmp_path, stem):
    """A byte-order mark inside 三公 of the first 三公 title after the tables start: read as it
    was (U+FEFF inside the word), 盐池's 三公 table lost its family and 香河's statements changed."""
    data = (RAW / f"{stem}.txt").read_bytes()
    row = data.find(b"\t")
    at = data.rfind("三公".encode(), 0, data.find(b"\t", data.find("三公”经费".encode(), row))) + 3
    path = tmp_path / "m.txt"
    path.write_bytes(data[:at] + codecs.BOM_UTF8 + data[at:])
    other = parse_file(path)
    assert other.info == _original(stem)[0] and _facts(other) == _original(stem)[1]
    assert other.warnings[0].startswith("damaged text: 3 byte(s) of byte-order marks inside the text")


@pytest.mark.parametrize("stem", [STEMS["huojia"], STEMS["yanchi"]], ids=["huojia", "yanchi"])
def test_gbk_with_a_nul_is_still_gbk(tmp_path, stem):
    path = tmp_path / "g.txt"
    path.write_bytes(_damaged((RAW / f"{stem}.txt").read_bytes(), "gbk_with_nul"))
    other = parse_file(path)
    assert other.encoding == "gb18030" and other.info == _original(stem)[0]
    assert _facts(other)["core_table_facts"] == _original(stem)[1]["core_table_facts"]


def test_the_warning_names_the_byte_offsets(tmp_path):
    data = "2024年部门预算\n科目\t金额\n".encode()
    # The NUL and the mark fall inside characters (年 is bytes 4-6, 门 10-12): dropped before decoding.
    damaged = data[:5] + b"\x00" + data[5:12] + b"\xef\xbb\xbf" + data[12:] + b"\x00\x00"
    out = decode_text(damaged)
    assert out.text == data.decode() and out.encoding == "utf-8"
    assert out.warnings == [
        "damaged text: 3 NUL byte(s) dropped at byte offset(s) 5, 38-39",
        "damaged text: 3 byte(s) of byte-order marks inside the text dropped at byte offset(s) 13-15",
    ]


def test_undecodable_bytes_are_named_by_offset_and_line():
    data = "第一行\n第二行\n注：".encode() + b"\xff" + "本表".encode()
    out = decode_text(data)
    assert out.text == "第一行\n第二行\n注：\ufffd本表"
    (note,) = out.warnings
    assert "1 undecodable character(s)" in note and "byte offset(s) 26" in note and "line 3" in note


def test_utf16_offsets_count_code_units():
    text = "预算\x00表\ufeff合计"
    out = decode_text(b"\xff\xfe" + text.encode("utf-16-le"))
    assert out.text == "预算表合计" and out.encoding == "utf-16-le"
    assert out.warnings == [
        "damaged text: 1 NUL character(s) dropped at byte offset(s) 6-7",
        "damaged text: 1 byte-order mark(s) inside the text dropped at byte offset(s) 10-11",
    ]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (bytes(range(256)) * 40, "binary data, not text (control characters)"),
        (b"\x00".join([b"ab"] * 400), "binary data, not text (NUL bytes in 399 places)"),
        (b"\xff\xfe" + bytes(range(256)) * 20, "undecodable text: not UTF-16-LE"),
        (b"\xff\xfe\x00\x00" + b"\xff\xff\xff\x7f" * 100, "undecodable text: not UTF-32-LE"),
    ],
)
def test_mostly_binary_is_refused_in_one_line(tmp_path, data, reason):
    (tmp_path / "x.txt").write_bytes(data)
    with pytest.raises(DocumentError) as e:
        read_document(tmp_path / "x.txt")
    assert str(e.value).startswith(reason) and "\n" not in str(e.value)


_TEXT = st.text(st.sampled_from("预算支出合计科目编码社会保险0123456789.,%：（）\t\n ab"), min_size=1, max_size=200)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT, st.lists(st.integers(0, 10_000), max_size=6), st.sampled_from(["utf-8", "gb18030", "utf-16", "utf-32"]))
def test_nul_bytes_and_inner_marks_never_change_the_text(text, cuts, encoding):
    """Wherever NULs and marks fall between characters, in any supported encoding, the decoded
    text is the original and every repair is named. Every text opens with a title line, as a
    disclosure does: a few GBK bytes alone can be valid UTF-8 too (支 is D6 A7, U+05A7 in UTF-8)."""
    text = "2024年部门预算\n" + text
    pieces = list(text)
    lo = 1 if encoding == "utf-16" else 0  # FF FE 00 00 opens UTF-32-LE: a UTF-16 text opening with NUL is that
    for n, cut in enumerate(cuts):
        pieces.insert(lo + cut % (len(pieces) + 1 - lo), "\x00" if n % 2 == 0 else "\ufeff")
    damaged = "".join(pieces)
    if encoding in ("utf-16", "utf-32"):
        data = damaged.encode(encoding)  # with the platform's byte-order mark
    elif encoding == "gb18030":
        data = damaged.replace("\ufeff", "").encode(encoding)
    else:
        data = damaged.encode(encoding)
    out = decode_text(data)
    assert out.text == text
    if encoding == "gb18030":
        assert bool(out.warnings) == ("\x00" in damaged)
    else:  # a mark opening a UTF-8 text is its byte-order mark, not damage
        opened = damaged[1:] if encoding == "utf-8" and damaged.startswith("\ufeff") else damaged
        assert bool(out.warnings) == (opened != text)


def test_a_utf8_mark_on_gbk_text_still_reads_as_gbk():
    text = "2024年部门预算\n科目\t金额\n社会保险经办机构\t84.12\n"
    out = decode_text(codecs.BOM_UTF8 + text.encode("gbk"))
    assert (out.text, out.encoding, out.warnings) == (text, "gb18030", [])
