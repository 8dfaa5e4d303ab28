"""Which form a file is, from its bytes (magic numbers, container contents, markup), not its name.

A `.xls` renamed `.txt`, an HTML page saved as `.doc` or a PDF without an extension are read by
what they are. An OLE Word `.doc` is the Word reader's (it converts it with LibreOffice). Forms the
ETL cannot read (WPS, images, archives) are named in a one-line reason, and are never read as text.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from etl.model import DocumentError

# Caps against hostile containers (zip bombs): refused before anything is decompressed.
MAX_ZIP_ENTRIES = 5000
MAX_ZIP_UNCOMPRESSED = 300 * 1024 * 1024  # bytes, all members together
MAX_ZIP_RATIO = 200  # uncompressed / compressed, per member larger than 1 MiB

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = {
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"II*\x00": "TIFF image",
    b"MM\x00*": "TIFF image",
    b"BM": "BMP image",
}
_ARCHIVES = {b"Rar!": "RAR archive", b"7z\xbc\xaf\x27\x1c": "7z archive", b"\x1f\x8b": "gzip archive"}
# Word's "single file web page" (.mht/.mhtml, often saved as .doc): a MIME message holding the HTML.
_MIME = re.compile(rb"^\s*(?:[\w-]+:[^\n]*\n|[ \t][^\n]*\n)*?MIME-Version:\s*1\.0", re.I)
_STRONG_MARKUP = re.compile(rb"<\s*(!doctype\s+html|html|head|body|table)[\s>/]", re.I)
_WEAK_MARKUP = re.compile(rb"^\s*<\s*(\?xml|!--|meta|p|div|span|h[1-6])[\s>/]", re.I)


def looks_like_markup(data: bytes) -> bool:
    head = _ascii_head(data)
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return bool(_STRONG_MARKUP.search(head) or _WEAK_MARKUP.match(head))


def _zip_form(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DocumentError(f"corrupt zip container ({type(exc).__name__})") from exc
    check_zip_sizes(infos)
    names = {i.filename for i in infos}
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        if "xl/workbook.bin" in names:
            raise DocumentError("Excel binary workbook (.xlsb) is not supported; save it as .xlsx")
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    if "content.xml" in names and any(n == "mimetype" for n in names):
        return "ods"
    raise DocumentError("zip archive that is neither an Excel workbook nor a Word document; unpack it first")


def check_zip_sizes(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse containers whose declared uncompressed size is beyond the caps (zip bombs)."""
    if len(infos) > MAX_ZIP_ENTRIES:
        raise DocumentError(f"zip container with {len(infos)} members (cap {MAX_ZIP_ENTRIES})")
    total = sum(i.file_size for i in infos)
    if total > MAX_ZIP_UNCOMPRESSED:
        raise DocumentError(f"zip container expands to {total // 2**20} MiB (cap {MAX_ZIP_UNCOMPRESSED // 2**20} MiB)")
    for i in infos:
        if i.file_size > 2**20 and i.file_size > MAX_ZIP_RATIO * max(i.compress_size, 1):
            raise DocumentError(
                f"zip member {i.filename!r} compresses {i.file_size // max(i.compress_size, 1)}:1 (zip bomb?)"
            )


def member_bytes(zf: zipfile.ZipFile, name: str, cap: int) -> int:
    """Bytes a container member really inflates to, counted while streaming and stopped past
    `cap` (a directory's declared size can lie); 0 when the member is missing."""
    try:
        info = zf.getinfo(name)
    except KeyError:
        return 0
    n = 0
    try:
        with zf.open(info) as f:
            while chunk := f.read(1 << 20):
                n += len(chunk)
                if n > cap:
                    break
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError) as exc:
        raise DocumentError(f"corrupt zip container member {name!r} ({type(exc).__name__})") from exc
    return n


def member_head(zf: zipfile.ZipFile, name: str, size: int = 4096) -> bytes:
    """The first bytes of a member (its XML prolog and first elements), without inflating the rest."""
    try:
        with zf.open(name) as f:
            return f.read(size)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError):
        return b""


def _ole2_form(data: bytes) -> str:
    """OLE2 compound files: Excel 97-2003 holds a `Workbook`/`Book` stream, Word a `WordDocument`
    (read by the Word reader, which converts it to .docx; the form is 'docx' for that reason)."""
    utf16 = lambda s: s.encode("utf-16-le")  # noqa: E731 - directory entry names are UTF-16
    if utf16("WordDocument") in data:  # before Workbook: a .doc may embed a worksheet
        return "docx"
    if utf16("Workbook") in data or utf16("Book") in data:
        return "xls"
    if utf16("WpsDocument") in data or b"WPS" in data[:4096]:
        raise DocumentError("WPS document is not supported; save it as .docx or PDF")
    raise DocumentError("OLE2 compound file that is not an Excel workbook (unknown office format)")


def sniff(path: Path, data: bytes) -> str:
    """One of 'pdf', 'xlsx', 'xls', 'ods', 'docx', 'mhtml', 'html', 'text'; DocumentError otherwise."""
    head = data[:1024]
    if head.lstrip().startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_form(path)
    if head.startswith(_OLE2):
        return _ole2_form(data)
    for magic, name in {**_IMAGES, **_ARCHIVES}.items():
        if head.startswith(magic):
            raise DocumentError(f"{name}, not a document" + ("; unpack it first" if "archive" in name else ""))
    if head.startswith(b"{\\rtf"):
        raise DocumentError("RTF document is not supported; save it as .docx or PDF")
    if _MIME.match(head):
        return "mhtml"
    if path.suffix.lower() == ".pdf":
        raise DocumentError("not a PDF: the file has a .pdf name but no %PDF header")
    if path.suffix.lower() in (".xlsx", ".xls", ".docx", ".doc", ".wps", ".et"):
        # A Word/Excel name on something else: only markup (an HTML page saved as .xls/.doc,
        # which portals do) is readable; anything else is not text.
        if looks_like_markup(data):
            return "html"
        raise DocumentError(f"{path.suffix.lower()} file that is not an Office document (damaged or mislabelled)")
    if looks_like_markup(data):
        return "html"
    return "text"


def _ascii_head(data: bytes) -> bytes:
    """The first 4 KiB as ASCII-compatible bytes (UTF-16 pages are rare but exist)."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return head.decode("utf-16").encode("ascii", "ignore")
        except UnicodeDecodeError:
            return head
    return head
