"""Word reader (python-docx, .docx) into the document model.

The body is read in order: paragraphs and tables. A merged cell (gridSpan) keeps its position by
empty cells after it, and cells continuing a vertical merge are empty, as in the PDF reader.
Text inside a cell's paragraphs are its wrapped lines. A .docx has no pages until printed, so
every block is on page 1; line = the block's ordinal in the body (1-based) and `ref` names it
("p[12]", "table[3]/tr[5]").

A Word 97-2003 `.doc` (an OLE2 compound file, still common on county portals) has no reader in
Python worth trusting, so LibreOffice converts it to .docx (`soffice --headless --convert-to docx`)
and the .docx is read as above; the document says it was converted. Without LibreOffice the file is
refused with one line saying what to install (scripts/system-deps.sh installs it).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path

from etl.model import Document, DocumentError, Paragraph, RawTable, Row
from etl.normalize import clean_text
from etl.readers.sniff import check_zip_sizes, member_bytes

MAX_CELLS = 200_000
MAX_SPAN = 200
MAX_DOCUMENT_XML_BYTES = 32 * 2**20  # a disclosure's document.xml is 0.1-5 MiB
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A .doc conversion takes 2-6 s of wall time (a fresh LibreOffice profile each time); a hung
# LibreOffice is killed well inside the build's 180 s per file.
DOC_CONVERT_SECONDS = 90
CONVERTED_FROM_DOC = "Word 97-2003 document (.doc) converted to .docx by LibreOffice"


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _para_text(p) -> str:
    from docx.text.paragraph import Paragraph as DocxParagraph

    return DocxParagraph(p, None).text


def _cell_text(tc) -> str:
    lines = [clean_text(_para_text(p)).strip() for p in tc.iter(_qn("w:p"))]
    return "\n".join(x for x in lines if x)


def _span(tc) -> int:
    grid = tc.find(f"{_qn('w:tcPr')}/{_qn('w:gridSpan')}")
    try:
        return max(1, min(MAX_SPAN, int(grid.get(_qn("w:val"))))) if grid is not None else 1
    except (TypeError, ValueError):
        return 1


def _continues_merge(tc) -> bool:
    vm = tc.find(f"{_qn('w:tcPr')}/{_qn('w:vMerge')}")
    return vm is not None and vm.get(_qn("w:val")) in (None, "continue")


def _rows(tbl, budget: int) -> list[list[str]]:
    rows: list[list[str]] = []
    used = 0
    for tr in tbl.iterchildren(_qn("w:tr")):
        cells: list[str] = []
        for tc in tr.iterchildren(_qn("w:tc")):
            cells.append("" if _continues_merge(tc) else _cell_text(tc))
            cells.extend([""] * (_span(tc) - 1))
        used += len(cells)
        if used > budget:
            raise DocumentError(f"Word document with more than {MAX_CELLS} table cells")
        rows.append(cells)
    return rows


def _body_blocks(body):
    """Paragraphs and tables in order, looking inside content controls (w:sdt) that wrap them."""
    for el in body.iterchildren():
        if el.tag == _qn("w:sdt"):
            content = el.find(_qn("w:sdtContent"))
            if content is not None:
                yield from _body_blocks(content)
        else:
            yield el


def _ole_header_ok(head: bytes, size: int) -> bool:
    """An OLE2 header a converter can start on: byte-order mark FFFE, 512- or 4096-byte sectors and
    room for the header, a FAT sector and a directory sector (a damaged or cut file is refused
    without starting LibreOffice)."""
    shift = int.from_bytes(head[30:32], "little")
    return head[28:30] == b"\xfe\xff" and shift in (9, 12) and size >= 512 + 2 * (1 << shift)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _run_soffice(exe: str, src: Path, work: Path) -> Path | None:
    """Convert in a private LibreOffice profile (parallel workers would otherwise share one and
    hand their files to each other's instance); the whole process group is killed on time-out."""
    profile = (work / "profile").as_uri()
    cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck"]
    cmd += ["--convert-to", "docx:MS Word 2007 XML", "--outdir", str(work / "out"), str(src)]
    env = {**os.environ, "HOME": str(work)}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    try:
        proc.wait(timeout=DOC_CONVERT_SECONDS)
    except subprocess.TimeoutExpired as exc:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise DocumentError(
            f"Word 97-2003 document (.doc): conversion time limit exceeded (LibreOffice took over {DOC_CONVERT_SECONDS} s)"
        ) from exc
    out = work / "out" / f"{src.stem}.docx"
    return out if out.is_file() else None


def read_doc(path: Path) -> Document:
    """A Word 97-2003 .doc, converted to .docx by LibreOffice and read as one."""
    with path.open("rb") as f:
        head = f.read(512)
    if not _ole_header_ok(head, path.stat().st_size):
        raise DocumentError("Word 97-2003 document (.doc) with a damaged OLE2 header")
    exe = soffice()
    if exe is None:
        # "not supported" is the phrase the upload page turns into its Chinese reason.
        raise DocumentError(
            f"Word 97-2003 document (.doc) {path.name!r}: LibreOffice is needed to read it and is not installed, "
            "so the file is not supported here (Debian: libreoffice-writer-nogui, scripts/system-deps.sh); "
            "or save it as .docx or PDF"
        )
    with tempfile.TemporaryDirectory(prefix="shebao-doc-") as tmp:
        work = Path(tmp)
        src = work / "in.doc"  # an ASCII name: LibreOffice gets no say in how the real one is spelt
        shutil.copyfile(path, src)
        out = _run_soffice(exe, src, work)
        if out is None:
            raise DocumentError("Word 97-2003 document (.doc) that LibreOffice could not convert (damaged?)")
        doc = _read_docx_file(out)
    doc.path, doc.file_name = str(path), path.name
    doc.warnings.append(CONVERTED_FROM_DOC)
    return doc


def read_docx(path: Path) -> Document:
    """A .docx; an OLE2 file (sniffed as Word 97-2003) goes through `read_doc`."""
    with path.open("rb") as f:
        if f.read(len(OLE2_MAGIC)) == OLE2_MAGIC:
            return read_doc(path)
    return _read_docx_file(path)


def _read_docx_file(path: Path) -> Document:
    try:
        with zipfile.ZipFile(path) as zf:
            check_zip_sizes(zf.infolist())
            # The body's real size before python-docx builds its tree (a 250 MiB document.xml held a
            # worker for its whole time limit, issue #20).
            if member_bytes(zf, "word/document.xml", MAX_DOCUMENT_XML_BYTES) > MAX_DOCUMENT_XML_BYTES:
                raise DocumentError(f"Word body (document.xml) over {MAX_DOCUMENT_XML_BYTES // 2**20} MiB (cap)")
        import docx

        wd = docx.Document(str(path))
    except DocumentError:
        raise
    except Exception as exc:  # python-docx raises KeyError/ValueError/lxml errors on damaged parts
        raise DocumentError(f"corrupt or unreadable Word document ({type(exc).__name__})") from exc
    doc = Document(path=str(path), file_name=path.name, fmt="docx", page_count=1)
    body = wd.element.body
    text_since_table = True
    tables = paras = cells = 0
    for ordinal, el in enumerate(_body_blocks(body), 1):
        if el.tag == _qn("w:p"):
            text = clean_text(_para_text(el)).strip()
            for part in filter(None, (x.strip() for x in text.split("\n"))):
                paras += 1
                doc.blocks.append(Paragraph(text=part, page=1, line=ordinal, ref=f"p[{paras}]"))
                text_since_table = True
        elif el.tag == _qn("w:tbl"):
            rows = [r for r in _rows(el, MAX_CELLS - cells) if any(r)]
            if not rows:
                continue
            cells += sum(len(r) for r in rows)
            tables += 1
            raw = RawTable(rows=[], page=1, line=ordinal, continues_previous=not text_since_table)
            raw.rows = [
                Row(cells=r, page=1, line=ordinal, index=i, ref=f"table[{tables}]/tr[{i + 1}]")
                for i, r in enumerate(rows)
            ]
            doc.blocks.append(raw)
            text_since_table = False
    if not doc.blocks:
        raise DocumentError("Word document without text")
    return doc
