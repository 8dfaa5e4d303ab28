"""Hostile inputs for tests and the fuzz benchmark: each function writes one file that once broke
a build (see issue #11) or mutates a good disclosure. Nothing here is tuned to a sample's content:
mutations work on any text or PDF bytes."""

from __future__ import annotations

import random
import re
import zlib
from pathlib import Path


def raw_pdf(objects: list[bytes]) -> bytes:
    """A minimal PDF from object bodies (1-based), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def zlib_bomb_pdf(path: Path, mb: int = 400) -> Path:
    """One page whose content stream inflates from a few hundred KB to `mb` MiB."""
    stream = zlib.compress(b" " * (mb * 2**20), 9)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    path.write_bytes(raw_pdf(objs))
    return path


def many_strings_pdf(path: Path, n: int = 20000) -> Path:
    """One page drawing a short string n times (the PDF character path must stay linear)."""
    ops = (
        b"BT /F1 8 Tf "
        + b"".join(b"1 0 0 1 %d %d Tm (ab) Tj " % (20 + i % 500, 20 + (i // 500) % 800) for i in range(n))
        + b"ET"
    )
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(ops) + ops + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    path.write_bytes(raw_pdf(objs))
    return path


def damaged_page_tree_pdf(path: Path) -> Path:
    """The page tree points at an object that is not a page node."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R] /Count 5 >>",
    ]
    path.write_bytes(raw_pdf(objs))
    return path


def encrypted_pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), encrypt="secret-password")
    c.drawString(100, 700, "2024 budget")
    c.save()
    return path


_MONEY = re.compile(rb"\d[\d,]*\.\d\d")


def oversized_amount(text: bytes, digits: int = 20) -> bytes:
    """Replace the first printed amount with a number too large for DECIMAL(18,2)."""
    return _MONEY.sub(b"9" * digits + b".00", text, count=1)


def long_row(cells: int) -> bytes:
    return ("\t".join(f"{i}.00" for i in range(cells)) + "\n").encode()


MUTATORS = (
    "flip_bytes",
    "truncate",
    "duplicate_block",
    "insert_junk_rows",
    "long_line",
    "huge_number",
    "drop_tabs",
    "shuffle_lines",
    "gbk",
    "control_chars",
)


def mutate(data: bytes, rng: random.Random, kind: str | None = None) -> tuple[str, bytes]:
    """One random mutation of a disclosure's bytes (text or PDF)."""
    kind = kind or rng.choice(MUTATORS)
    n = len(data)
    if kind == "flip_bytes":
        b = bytearray(data)
        for _ in range(rng.randint(1, 50)):
            b[rng.randrange(n)] = rng.randrange(256)
        return kind, bytes(b)
    if kind == "truncate":
        return kind, data[: rng.randrange(1, n)]
    if kind == "duplicate_block":
        i, j = sorted(rng.sample(range(n), 2))
        return kind, data[:j] + data[i:j] + data[j:]
    if kind == "insert_junk_rows":
        rows = b"".join(
            b"\xe9\xa1\xb9\xe7\x9b\xae%d\t%d.00\t%d.00\n" % (i, i, i) for i in range(rng.randint(100, 5000))
        )
        cut = rng.randrange(n)
        return kind, data[:cut] + b"\n" + rows + data[cut:]
    if kind == "long_line":
        cut = rng.randrange(n)
        return kind, data[:cut] + long_row(rng.randint(1000, 50000)) + data[cut:]
    if kind == "huge_number":
        return kind, oversized_amount(data, rng.randint(17, 40))
    if kind == "drop_tabs":
        return kind, data.replace(b"\t", b" ")
    if kind == "shuffle_lines":
        lines = data.split(b"\n")
        rng.shuffle(lines)
        return kind, b"\n".join(lines)
    if kind == "gbk":
        try:
            return kind, data.decode("utf-8").encode("gb18030")
        except UnicodeDecodeError:
            return kind, data
    b = bytearray(data)
    for _ in range(rng.randint(1, 200)):
        b.insert(rng.randrange(len(b)), rng.randrange(32))
    return "control_chars", bytes(b)
