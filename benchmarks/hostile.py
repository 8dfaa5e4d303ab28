"""Hostile inputs for tests and the fuzz benchmark: each function writes one file that once broke
a build (see issue #11) or mutates a good disclosure. Nothing here is tuned to a sample's content:
mutations work on any text or PDF bytes."""

from __future__ import annotations

import io
import random
import re
import struct
import zipfile
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


# --- Uploads (issue #20): archives and office files that walked around the caps -----------------
# Each recipe takes its size as a parameter: the test suite runs a bounded version, `python -m
# benchmarks.hostile` the full one through the upload service and prints what each cost.


def zip_of(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def corrupt_member_zip(good: bytes, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A good disclosure beside a member whose compressed stream is damaged (deflate: zlib.error;
    bzip2: OSError) — the good one must still load."""
    data = bytearray(zip_of({"good.txt": good, "bad.txt": b"x" * 200_000 + bytes(range(256)) * 400}, method))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        bad = zf.getinfo("bad.txt")
    start = bad.header_offset + 30 + len(bad.filename.encode()) + len(bad.extra)
    for i in range(start + 20, start + min(bad.compress_size, 400), 7):
        data[i] ^= 0x5A
    return bytes(data)


def many_entries_zip(n: int) -> bytes:
    """A central directory of `n` empty-folder entries and nothing else, written directly, with
    ZIP64 end records past 65,535 entries (4 million made a 192 MB ZIP whose directory took the
    app to 2.5 GB when `zipfile.ZipFile()` read it)."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"

    def name(i: int) -> bytes:
        out = ""
        while True:
            i, r = divmod(i, 36)
            out = digits[r] + out
            if not i:
                return out.encode() + b"/"

    head = struct.Struct("<4s6H3L5H2L")
    central = b"".join(
        head.pack(b"PK\x01\x02", 20, 20, 0, 0, 0, 0, 0, 0, 0, len(nm), 0, 0, 0, 0, 0x10, 0) + nm
        for nm in map(name, range(n))
    )
    # One local header in front: every ZIP tool writes one, and uploads are told apart by it.
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, 0, 0, 0, 2, 0) + name(0)
    end = b""
    if n > 0xFFFF:
        end64 = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, n, n, len(central), len(local))
        end = end64 + struct.pack("<4sLQL", b"PK\x06\x07", 0, len(local) + len(central), 1)
    entries = min(n, 0xFFFF)
    size = min(len(central), 0xFFFFFFFF)
    end += struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, entries, entries, size, len(local), 0)
    return local + central + end


def lying_sizes_zip(mib: int = 50) -> bytes:
    """A member of `mib` MiB of zeros (~1 KB per MiB compressed) whose directory claims a
    compressed size of 1/100 of it, so a check of the directory's ratio lets it through; a stored
    padding member after it makes the claim readable (~600 KB in all for 50 MiB)."""
    pad = random.Random(50).randbytes(mib * 2**20 // 100 + 4096)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("zeros.txt"), b"0" * (mib * 2**20), zipfile.ZIP_DEFLATED)
        zf.writestr(zipfile.ZipInfo("pad.bin"), pad, zipfile.ZIP_STORED)
    data = bytearray(buf.getvalue())
    cd = data.find(b"PK\x01\x02")  # the first directory entry: zeros.txt
    struct.pack_into("<L", data, cd + 20, mib * 2**20 // 100)  # its compressed size, as claimed
    return bytes(data)


def many_small_members_zip(n: int = 199, size: int = 2**20 - 1) -> bytes:
    """`n` members each just under the 1 MiB a per-member ratio check starts at."""
    return zip_of({f"m{i:03d}.txt": b"0" * size for i in range(n)})


def nested_zip(inner: bytes) -> bytes:
    return zip_of({"inner.zip": inner, "readme.txt": b"see inner.zip"})


_CT = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>%s</Types>'
)
_REL = b'<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/%s" Target="%s"/>'
_RELS = b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">%s</Relationships>'
_SML = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _xlsx(path: Path, sheet_rows, dimension: bytes, shared: bytes | None = None) -> Path:
    """A minimal workbook streamed to disk (a million rows never sit in memory)."""
    over = b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    over += b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    rels = _REL % (1, b"worksheet", b"worksheets/sheet1.xml")
    if shared is not None:
        over += b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        rels += _REL % (2, b"sharedStrings", b"sharedStrings.xml")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT % over)
        zf.writestr("_rels/.rels", _RELS % (_REL % (1, b"officeDocument", b"xl/workbook.xml")))
        zf.writestr(
            "xl/workbook.xml",
            b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="%s" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            b'<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>' % _SML,
        )
        zf.writestr("xl/_rels/workbook.xml.rels", _RELS % rels)
        if shared is not None:
            zf.writestr("xl/sharedStrings.xml", shared)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="%s"><dimension ref="%s"/><sheetData>'
                % (_SML, dimension)
            )
            for chunk in sheet_rows:
                f.write(chunk)
            f.write(b"</sheetData></worksheet>")
    return path


def many_rows_xlsx(path: Path, rows: int = 1_000_000) -> Path:
    """`rows` rows of two numbers, its dimension telling the truth."""
    body = (
        b"".join(
            b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d"><v>1</v></c></row>' % (r, r, r, r)
            for r in range(s, min(s + 10_000, rows + 1))
        )
        for s in range(1, rows + 1, 10_000)
    )
    return _xlsx(path, body, b"A1:B%d" % rows)


def shared_strings_xlsx(path: Path, mib: int = 64) -> Path:
    """A small sheet over a shared-strings part of `mib` MiB of distinct strings."""
    n = mib * 2**20 // 40
    strings = b"".join(b"<si><t>string number %020d</t></si>" % i for i in range(n))
    shared = b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="%s" count="%d" uniqueCount="%d">%s</sst>' % (
        _SML,
        n,
        n,
        strings,
    )
    return _xlsx(path, [b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'], b"A1", shared)


def big_docx(path: Path, mib: int = 250) -> Path:
    """A Word file whose document.xml is `mib` MiB of numbered paragraphs (varied enough that its
    compression ratio passes a zip-bomb check, ~10:1)."""
    w = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    over = b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    rng = random.Random(20)
    words = ["社会保险", "事业管理", "中心", "支出", "预算", "决算", "养老", "补助"]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT % over)
        zf.writestr("_rels/.rels", _RELS % (_REL % (1, b"officeDocument", b"word/document.xml")))
        with zf.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="%s"><w:body>' % w)
            written = 0
            while written < mib * 2**20:
                block = "".join(
                    f"<w:p><w:r><w:t>{rng.choice(words)}{rng.randrange(10**9)}{rng.choice(words)}</w:t></w:r></w:p>"
                    for _ in range(2000)
                ).encode()
                f.write(block)
                written += len(block)
            f.write(b"</w:body></w:document>")
    return path


def bidi_name(stem: str = "rtl", shown_ext: str = "png", real_ext: str = "txt") -> str:
    """`rtl\\u202egnp.txt` shows as "rtltxt.png"; with a NUL and 500 more characters."""
    return f"{stem}\u202e{shown_ext[::-1]}.{real_ext}\x00{'长' * 500}.{real_ext}"
