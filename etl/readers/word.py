"""Word reader (python-docx, .docx) into the document model.

The body is read in order: paragraphs and tables. A merged cell (gridSpan) keeps its position by
empty cells after it, and cells continuing a vertical merge are empty, as in the PDF reader.
Text inside a cell's paragraphs are its wrapped lines. A .docx has no pages until printed, so
every block is on page 1; line = the block's ordinal in the body (1-based) and `ref` names it
("p[12]", "table[3]/tr[5]").
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from etl.model import Document, DocumentError, Paragraph, RawTable, Row
from etl.normalize import clean_text
from etl.readers.sniff import check_zip_sizes, member_bytes

MAX_CELLS = 200_000
MAX_SPAN = 200
MAX_DOCUMENT_XML_BYTES = 32 * 2**20  # a disclosure's document.xml is 0.1-5 MiB


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


def read_docx(path: Path) -> Document:
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
