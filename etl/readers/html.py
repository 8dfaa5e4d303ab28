"""HTML reader (lxml): a portal page or a Word "save as web page" export into the document model.

Portal pages wrap the disclosure in chrome (menus, breadcrumb, footer) and an 索引号/发布机构 box.
The disclosure is found as the deepest element holding most of the page's text; elements whose
class/id name them as chrome, and the metadata box, are dropped. Tables nested in tables are page
layout: only leaf tables are data. Merged cells keep their position (colspan/rowspan leave empty
cells after and below them, as the PDF reader does).

Encodings: the declared charset, with gb2312/gbk read as GB18030 (portals declare gb2312 and
serve GBK), then UTF-8, then GB18030. Provenance: page 1, line = the element's source line, and
`ref` = "table[N]/tr[M]" or "p[N]".
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from lxml import etree

from etl.model import Document, DocumentError, Paragraph, RawTable, Row
from etl.normalize import clean_text

MAX_CELLS = 200_000  # per document; a hostile page cannot make us build more
MAX_ELEMENTS = 400_000  # a Word-exported disclosure of 740 KiB has ~16,000
MAX_SPAN = 200
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_GB = {"gb2312", "gbk", "gb18030", "x-gbk", "gb_2312-80", "cp936", "euc-cn"}
_SKIP = {
    "script", "style", "noscript", "head", "title", "select", "option", "button", "iframe", "object",
    "svg", "nav", "footer", "aside", "form", "input", "textarea", "template", "map",
}  # fmt: skip
_BLOCK = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section", "article",
    "main", "blockquote", "pre", "center", "address", "hr", "body", "html", "caption", "figure", "figcaption",
    "table", "tr", "td", "th", "tbody", "thead", "tfoot", "header",
}  # fmt: skip
_CHROME = re.compile(
    r"(^|[\s_-])(nav|navbar|menu|breadcrumbs?|crumbs?|position|location|footer|copyright|sidebar|share|"
    r"banner|topbar|toolbar|search|login|logo|related|xgwz|dqwz)([\s_-]|\d|$)",
    re.I,
)
_META_LABELS = (
    "索引号",
    "发布机构",
    "发文机关",
    "生成日期",
    "发布日期",
    "成文日期",
    "主题分类",
    "公开方式",
    "文号",
    "信息分类",
)
_WS = re.compile(r"[ \t\r\n\f\v]+")


def decode_html(data: bytes) -> tuple[str, str]:
    """Text and the encoding used: BOM; valid UTF-8 (GBK text is practically never valid UTF-8,
    and pages mis-declare); the declared charset, gb2312/gbk read as GB18030; then GB18030."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom) :].decode(enc, errors="replace"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    m = _CHARSET.search(data[:8192])
    declared = m.group(1).decode("ascii").lower() if m else None
    if declared and declared not in _GB and declared not in ("utf-8", "utf8"):
        try:
            return data.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("gb18030", errors="replace"), "gb18030"


def _tag(el) -> str | None:
    return el.tag.lower() if isinstance(el.tag, str) else None


def _text(el) -> str:
    return _WS.sub("", el.text_content() or "")


def _is_meta_box(el) -> bool:
    """The 索引号/发布机构/生成日期 box portals print above a disclosure: metadata, not a budget table."""
    text = _text(el)
    return len(text) < 1500 and sum(label in text for label in _META_LABELS) >= 3


def _link_dense(el) -> bool:
    links = [a for a in el.iter("a")]
    if len(links) < 3:
        return False
    text = len(_text(el))
    return text > 0 and sum(len(_text(a)) for a in links) >= 0.6 * text


def _is_chrome(el) -> bool:
    """Menus, breadcrumb, link lists, hidden text and the 索引号 box; never an element holding a table."""
    tag = _tag(el)
    if tag in _SKIP or "display:none" in (el.get("style") or "").replace(" ", "").lower():
        return True
    if tag not in _BLOCK:
        return False
    if el.find(".//table") is None and _is_meta_box(el):
        return True
    if tag == "table" or el.find(".//td") is not None:
        return False
    names = " ".join(filter(None, (el.get("class"), el.get("id"))))
    if names and _CHROME.search(names):
        return True
    return _text(el)[:6].startswith(("当前位置", "您的位置", "您现在的位置")) or _link_dense(el)


def _strip_chrome(root) -> None:
    stack = [root]
    while stack:
        el = stack.pop()
        for child in list(el):
            if not isinstance(child.tag, str):
                continue
            if _is_chrome(child):
                child.drop_tree()  # keeps the tail text, which belongs to the parent
            elif _tag(child) != "table" or child.find(".//table") is not None:
                stack.append(child)  # a leaf table's cells are data: nothing to strip inside


def _narrative_len(el) -> int:
    """Text outside tables: chrome rarely has much, a disclosure's explanation always does."""
    n = len(_WS.sub("", el.text or ""))
    for child in el:
        if _tag(child) != "table":
            n += _narrative_len(child) if isinstance(child.tag, str) else 0
        n += len(_WS.sub("", child.tail or ""))
    return n


def _content_root(body):
    """Descend while one child holds 85% of the text outside tables and every data table."""
    node = body
    for _ in range(64):
        children = [c for c in node if isinstance(c.tag, str)]
        total = _narrative_len(node)
        tables = len(node.findall(".//table"))
        best = max(children, key=_narrative_len, default=None)
        if best is None or _tag(best) in ("p", "span", "font", "table", "h1", "h2", "h3", "li", "a"):
            break
        if _narrative_len(best) < 0.85 * total or len(best.findall(".//table")) + (_tag(best) == "table") < tables:
            break
        node = best
    return node


class _Walker:
    """Document-order walk: block elements end paragraphs, leaf tables become raw tables."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.buf: list[str] = []
        self.buf_line: int | None = None
        self.tables = 0
        self.paras = 0
        self.cells = 0
        self.text_since_table = True

    def flush(self) -> None:
        text = clean_text(_WS.sub(" ", "".join(self.buf))).strip()
        self.buf = []
        if text:
            self.paras += 1
            self.doc.blocks.append(Paragraph(text=text, page=1, line=self.buf_line, ref=f"p[{self.paras}]"))
            self.text_since_table = True
        self.buf_line = None

    def add_text(self, text: str | None, line: int | None) -> None:
        if text:
            if self.buf_line is None and text.strip():
                self.buf_line = line
            self.buf.append(text)

    def walk(self, el, depth: int = 0) -> None:
        tag = _tag(el)
        if tag is None or depth > 200:  # comments, processing instructions
            return
        if tag == "br":
            self.flush()
        elif tag == "table" and el.find(".//table") is None and _has_grid(el):
            self.flush()
            for caption in el.iterchildren("caption"):  # a title printed as the table's caption
                self.add_text(caption.text_content(), caption.sourceline)
                self.flush()
            self.table(el)
        elif tag in _BLOCK:
            self.flush()
            self.add_text(el.text, el.sourceline)
            for child in el:
                self.walk(child, depth + 1)
                self.add_text(child.tail, child.sourceline)
            self.flush()
        else:
            self.add_text(el.text, el.sourceline)
            for child in el:
                self.walk(child, depth + 1)
                self.add_text(child.tail, child.sourceline)

    def table(self, el) -> None:
        rows = [(line, cells) for line, cells in _grid(el, MAX_CELLS - self.cells) if any(cells)]
        if not rows:
            return
        self.cells += sum(len(c) for _, c in rows)
        self.tables += 1
        n = self.tables
        raw = RawTable(rows=[], page=1, line=rows[0][0], continues_previous=not self.text_since_table)
        for i, (line, cells) in enumerate(rows):
            raw.rows.append(Row(cells=cells, page=1, line=line, index=i, ref=f"table[{n}]/tr[{i + 1}]"))
        self.doc.blocks.append(raw)
        self.text_since_table = False


def _has_grid(table) -> bool:
    """A table with two cells side by side somewhere; a one-column table is a box around text."""
    return any(sum(1 for td in tr if _tag(td) in ("td", "th")) >= 2 for tr in table.iter("tr"))


def _cell_text(td) -> str:
    """Cell text; paragraphs and <br> inside a cell are its wrapped lines."""
    parts: list[str] = []

    def visit(node) -> None:
        tag = _tag(node)
        if tag is not None and tag not in _SKIP:
            if tag in ("p", "div", "br", "li"):
                parts.append("\n")
            parts.append(node.text or "")
            for child in node:
                visit(child)
                parts.append(child.tail or "")

    visit(td)
    lines = [_WS.sub(" ", x).strip() for x in "".join(parts).split("\n")]
    return clean_text("\n".join(x for x in lines if x)).strip()


def _grid(table, budget: int) -> list[tuple[int | None, list[str]]]:
    """Rows of cell texts with colspan/rowspan expanded (spanned positions stay empty)."""
    out: list[tuple[int | None, list[str]]] = []
    carry: dict[int, int] = {}  # column -> rows still covered by a rowspan from above
    used = 0
    for tr in table.iter("tr"):
        cells: list[str] = []
        for td in tr:
            if _tag(td) not in ("td", "th"):
                continue
            _skip_covered(cells, carry)
            if used + len(cells) > budget:
                raise DocumentError(f"HTML page with more than {MAX_CELLS} table cells")
            span, down = _span(td.get("colspan")), _span(td.get("rowspan"))
            col = len(cells)
            cells.append(_cell_text(td))
            cells.extend([""] * (span - 1))
            if down > 1:
                for c in range(col, col + span):
                    carry[c] = down - 1
        last = max((c for c, n in carry.items() if n > 0), default=-1)
        while len(cells) <= last:
            if carry.get(len(cells), 0) > 0:
                carry[len(cells)] -= 1
            cells.append("")
        used += len(cells)
        if used > budget:
            raise DocumentError(f"HTML page with more than {MAX_CELLS} table cells")
        out.append((tr.sourceline, cells))
    return out


def _skip_covered(cells: list[str], carry: dict[int, int]) -> None:
    while carry.get(len(cells), 0) > 0:
        carry[len(cells)] -= 1
        cells.append("")


def _span(value: str | None) -> int:
    try:
        return max(1, min(MAX_SPAN, int(str(value).strip())))
    except (TypeError, ValueError):
        return 1


_ATTACHMENT = re.compile(r"\.(?:pdf|xlsx?|docx?|wps|et|ods|odt|zip|rar|7z)$", re.I)
MAX_ATTACHMENTS = 50


def attachment_links(root) -> list[str]:
    """The hrefs of documents the page links to (PDF, spreadsheets, Word files, archives), in page
    order, each once, before the chrome is stripped (portals put 附件 links in link lists)."""
    out: list[str] = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if href and _ATTACHMENT.search(href.split("?", 1)[0].split("#", 1)[0]) and href not in out:
            out.append(href)
            if len(out) >= MAX_ATTACHMENTS:
                break
    return out


def read_html(path: Path, data: bytes | None = None) -> Document:
    data = path.read_bytes() if data is None else data
    text, encoding = decode_html(data)
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses str input with an encoding declaration
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise DocumentError(f"unparseable HTML ({type(exc).__name__})") from exc
    n = sum(1 for _ in root.iter())
    if n > MAX_ELEMENTS:
        raise DocumentError(f"HTML page with {n} elements (cap {MAX_ELEMENTS})")
    body = root.find("body")
    if body is None:
        body = root
    links = attachment_links(body)
    _strip_chrome(body)
    # The files the page links to (the tables of a page that states no figure are there).
    doc = Document(path=str(path), file_name=path.name, fmt="html", page_count=1, encoding=encoding, attachments=links)
    walker = _Walker(doc)
    walker.walk(_content_root(body))
    walker.flush()
    if not doc.blocks:
        raise DocumentError("HTML page without text content")
    return doc


MAX_MIME_PARTS = 2000


def read_mhtml(path: Path, data: bytes) -> Document:
    """Word's single-file web page: the first text/html part of the MIME message (stdlib email)."""
    import email
    import email.policy

    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    for n, part in enumerate(msg.walk()):
        if n > MAX_MIME_PARTS:
            break
        if part.get_content_type() == "text/html":
            body = part.get_payload(decode=True) or b""
            charset = part.get_content_charset()
            if charset and b"charset" not in body[:2048].lower():
                body = f'<meta charset="{charset}">'.encode("ascii") + body
            doc = read_html(path, body)
            doc.fmt = "html"
            return doc
    raise DocumentError("MIME web archive without an HTML part")
