"""Render a sample disclosure (.txt) into the other forms portals publish, for golden tests.

Forms: a portal HTML page (UTF-8, with menus, breadcrumb, an 索引号 box and a footer that name
another county), a Word "save as web page" export (GBK bytes declared gb2312, MsoNormal
paragraphs, <o:p>, every cell's text in <p><span>) and the same as a single-file .mht, an .xlsx and an .xls workbook (the text before the first
table on a sheet of its own, then one sheet per table with its title in row 1, amounts as numbers,
codes as text), a .docx, a 繁體 text (OpenCC s2t) and a scanned PDF (pages as images).

Fixtures are generated at test time into temporary folders; nothing here is committed as binary.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

FORMS = ("html", "word_html", "mht", "xlsx", "xls", "docx", "traditional")


@dataclass
class Run:
    """Consecutive tab-separated lines; `parts` split where a blank line cut the run (page break)."""

    parts: list[list[list[str]]] = field(default_factory=list)


def blocks(text: str) -> list[str | Run]:
    """The sample as paragraphs (str) and table runs, as the text reader sees it."""
    out: list[str | Run] = []
    run: Run | None = None
    part_open = False
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if "\t" in line:
            if run is None:
                run = Run()
                out.append(run)
            if not part_open:
                run.parts.append([])
                part_open = True
            run.parts[-1].append([c.strip() for c in line.split("\t")])
        elif line.strip():
            out.append(line.strip())
            run, part_open = None, False
        else:
            part_open = False
    return out


# ---------------------------------------------------------------- HTML (portal page, UTF-8)

_CHROME_TOP = """<div class="header"><div class="logo">兴国县人民政府门户网站</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/xwzx/">新闻中心</a></li>
<li><a href="/bsfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li><li><a href="/yjs/">财政预决算</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/yjs/">部门预决算</a></div>
"""
_META_BOX = """<table class="xxgk_table" border="1">
<tr><td>索引号：</td><td>11360732MB1234567X/2024-00012</td><td>发布机构：</td><td>兴国县人力资源和社会保障局</td></tr>
<tr><td>生成日期：</td><td>2024-04-15</td><td>主题分类：</td><td>财政预决算</td></tr>
<tr><td>名称：</td><td colspan="3">{title}</td></tr></table>
"""
_CHROME_BOTTOM = """<div class="related"><h3>相关文章</h3><ul><li><a href="/a1">兴国县财政局2024年部门预算</a></li>
<li><a href="/a2">兴国县民政局2024年部门预算</a></li><li><a href="/a3">兴国县教育局2024年部门预算</a></li></ul></div>
<div class="footer"><p>主办单位：兴国县人民政府办公室　承办单位：兴国县大数据中心</p>
<p>网站标识码：3607320001　赣ICP备05001234号　赣公网安备 36073202000123号</p></div>
"""


def _table_html(rows: list[list[str]], word: bool) -> str:
    out = ['<table class="MsoNormalTable" border=1 cellspacing=0 cellpadding=0>' if word else '<table border="1">']
    for r in rows:
        out.append("<tr>")
        for c in r:
            t = html.escape(c) if c else "&nbsp;"
            if word:
                out.append(
                    "<td width=80 valign=top style='border:solid windowtext 1.0pt;padding:0cm 5.4pt'>"
                    f"<p class=MsoNormal align=center style='text-align:center'><span style='font-size:10.0pt;"
                    f"font-family:宋体'>{t}<span lang=EN-US><o:p></o:p></span></span></p></td>"
                )
            else:
                out.append(f"<td>{t}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


def _wrap_source(text: str, width: int = 70) -> str:
    """Word wraps long source lines at spaces; the page shows the same text."""
    words, lines, cur = text.split(" "), [], ""
    for w in words:
        if cur and len(cur) + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    lines.append(cur)
    return "\r\n".join(lines)


def _merged_rows(rows: list[list[str]]) -> list[list[tuple[str, int]]]:
    """Cells as (text, colspan): empty cells after a filled one are merged into it, as portals
    print merged headers; the reader must give back the empty positions."""
    out = []
    for r in rows:
        cells: list[tuple[str, int]] = []
        for c in r:
            if not c and cells and cells[-1][0]:
                cells[-1] = (cells[-1][0], cells[-1][1] + 1)
            else:
                cells.append((c, 1))
        out.append(cells)
    return out


def _merged_table_html(rows: list[list[str]]) -> str:
    out = ['<table border="1" cellspacing="0">']
    for r in _merged_rows(rows):
        tds = "".join(
            f'<td colspan="{n}">{html.escape(c)}</td>' if n > 1 else f"<td>{html.escape(c)}</td>" for c, n in r
        )
        out.append(f"<tr>{tds}</tr>")
    out.append("</table>")
    return "\n".join(out)


def to_html(text: str, merged: bool = False) -> bytes:
    """Portal page; `merged` prints every filled cell spanning the empty cells after it."""
    items = blocks(text)
    title = next((b for b in items if isinstance(b, str)), "")
    body = []
    for b in items:
        if isinstance(b, str):
            body.append(f'<p style="text-indent:2em">{html.escape(b)}</p>')
        else:
            body.extend(_merged_table_html(part) if merged else _table_html(part, word=False) for part in b.parts)
    page = (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>'
        f"{html.escape(title)}_兴国县人民政府</title>"
        "<style>.nav li{display:inline}</style><script>var _hmt=[];</script></head><body>\n"
        + _CHROME_TOP
        + '<div class="main">'
        + _META_BOX.format(title=html.escape(title))
        + f'<h1 class="article-title">{html.escape(title)}</h1>\n<div class="TRS_Editor">\n'
        + "\n".join(body)
        + "\n</div></div>\n"
        + _CHROME_BOTTOM
        + "</body></html>\n"
    )
    return page.encode("utf-8")


def to_word_html(text: str) -> bytes:
    """Word 'save as web page': GBK bytes, declared gb2312 (what portals serve)."""
    body = []
    for b in blocks(text):
        if isinstance(b, str):
            inner = _wrap_source(html.escape(b))
            body.append(
                "<p class=MsoNormal style='text-indent:28.0pt;line-height:28.0pt'><span style='font-size:"
                f"16.0pt;font-family:仿宋_GB2312'>{inner}<span lang=EN-US><o:p></o:p></span></span></p>"
            )
        else:
            for part in b.parts:
                body.append(_table_html(part, word=True))
        body.append("<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>")
    page = (
        '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">\r\n'
        '<head>\r\n<meta http-equiv=Content-Type content="text/html; charset=gb2312">\r\n'
        '<meta name=Generator content="Microsoft Word 15 (filtered)">\r\n'
        "<style>\r\n<!--\r\n p.MsoNormal {margin:0cm; text-align:justify; font-size:10.5pt;}\r\n-->\r\n</style>\r\n"
        '<!--[if gte mso 9]><xml><o:shapedefaults v:ext="edit" spidmax="1026"/></xml><![endif]-->\r\n'
        "</head>\r\n<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>\r\n"
        "<div class=WordSection1 style='layout-grid:15.6pt'>\r\n"
        + "\r\n".join(body)
        + "\r\n</div>\r\n</body>\r\n</html>\r\n"
    )
    return page.encode("gbk", errors="xmlcharrefreplace")


def to_mht(text: str) -> bytes:
    """Word's 'single file web page': the GBK page, quoted-printable, in a multipart/related message."""
    import quopri
    from email.message import Message
    from email.mime.multipart import MIMEMultipart

    part = Message()
    part["Content-Type"] = 'text/html; charset="gb2312"'
    part["Content-Transfer-Encoding"] = "quoted-printable"
    part["Content-Location"] = "file:///C:/disclosure.htm"
    part.set_payload(quopri.encodestring(to_word_html(text)).decode("ascii"))
    msg = MIMEMultipart("related", type="text/html")
    msg.attach(part)
    return msg.as_bytes()


# ---------------------------------------------------------------- Excel


def _excel_value(cell: str):
    """Amounts as numbers; codes, counts and anything else as text (as workbooks carry them)."""
    s = re.sub(r"\s+", "", cell)
    if not re.fullmatch(r"-?[\d,]*\.\d+|-?\d{1,3}(,\d{3})+", s):
        return cell
    try:
        return float(Decimal(s.replace(",", "")))
    except InvalidOperation:
        return cell


def _sheet_name(title: str, used: set[str], n: int) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", title)[:25] or f"表{n}"
    name, k = base, 2
    while name in used:
        name, k = f"{base[:22]}_{k}", k + 1
    used.add(name)
    return name


def workbook_layout(text: str) -> list[tuple[str, list[tuple[int, int, object]]]]:
    """Sheets as (name, [(row, col, value)]): the text before the first table on a sheet of its
    own, then one sheet per table with the paragraphs before it (title first) in column A."""
    sheets: list[tuple[str, list[tuple[int, int, object]]]] = []
    used: set[str] = set()
    pending: list[str] = []
    cells: list[tuple[int, int, object]] = []
    row = 0
    for b in blocks(text):
        if isinstance(b, str):
            pending.append(b)
            continue
        if not sheets:  # the explanation on its own sheet; the first table's title block stays with it
            cut = max((i for i, p in enumerate(pending) if _is_title(p)), default=len(pending))
            sheets.append((_sheet_name("说明", used, 0), [(i, 0, p) for i, p in enumerate(pending[:cut])]))
            pending = pending[cut:]
        titles = [p for p in pending if _is_title(p)] or [f"Sheet{len(sheets) + 1}"]
        cells, row = [], 0
        sheets.append((_sheet_name(titles[-1], used, len(used) + 1), cells))
        for p in pending:
            cells.append((row, 0, p))
            row += 1
        pending = []
        for i, part in enumerate(b.parts):
            row += 1 if i else 0  # a page break inside the table: a blank row
            for r in part:
                cells.extend((row, col, c) for col, c in enumerate(r) if c)
                row += 1
        row += 1  # blank row after every table
    if not sheets:
        sheets.append(("说明", cells))
    sheets[-1][1].extend((row + i, 0, p) for i, p in enumerate(pending))
    return sheets


def _is_title(text: str) -> bool:
    from etl.layout import looks_like_title

    return looks_like_title(text)


def _decimals(printed: str) -> int:
    return len(re.sub(r"\s+", "", printed).partition(".")[2])


def to_xlsx(text: str, path: Path, origin: tuple[int, int] = (0, 0), codes_as_numbers: bool = False) -> Path:
    """Amounts as numbers whose format shows the decimals the text printed; codes as text.

    Variant: `origin` moves every sheet's content (row 3, column B is (2, 1)) and
    `codes_as_numbers` stores digit-only cells (科目编码) as General-format numbers."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    formats: dict[int, object] = {}
    for name, cells in workbook_layout(text):
        ws = wb.add_worksheet(name)
        for row, col, c in cells:
            row, col = row + origin[0], col + origin[1]
            v = _excel_value(c)
            if codes_as_numbers and isinstance(v, str) and re.fullmatch(r"\d{3,9}", v):
                ws.write_number(row, col, float(v))
            elif isinstance(v, float):
                d = _decimals(c)
                if d not in formats:
                    formats[d] = wb.add_format({"num_format": "#,##0" + ("." + "0" * d if d else "")})
                ws.write_number(row, col, v, formats[d])
            else:
                ws.write_string(row, col, v)
    wb.close()
    return path


def to_xls(text: str, path: Path) -> Path:
    """The same workbook as Excel 97-2003 (.xls, BIFF8), written with xlwt."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    styles: dict[int, object] = {}
    for name, cells in workbook_layout(text):
        ws = wb.add_sheet(name[:31])
        for row, col, c in cells:
            v = _excel_value(c)
            if isinstance(v, float):
                d = _decimals(c)
                if d not in styles:
                    styles[d] = xlwt.easyxf(num_format_str="#,##0" + ("." + "0" * d if d else ""))
                ws.write(row, col, v, styles[d])
            else:
                ws.write(row, col, v)
    wb.save(str(path))
    return path


# ---------------------------------------------------------------- Word (.docx)


def to_docx(text: str, path: Path) -> Path:
    import docx

    d = docx.Document()
    for b in blocks(text):
        if isinstance(b, str):
            d.add_paragraph(b)
            continue
        for part in b.parts:
            width = max(len(r) for r in part)
            t = d.add_table(rows=0, cols=width)
            t.style = "Table Grid"
            for cells in part:
                row = t.add_row().cells
                for col, c in enumerate(cells):
                    if c:
                        row[col].text = c
    d.save(str(path))
    return path


# ---------------------------------------------------------------- 繁體


def to_traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t.json").convert(text)


# ---------------------------------------------------------------- scanned PDF


def to_scanned_pdf(pdf: Path, out: Path, pages: list[int] | None = None, scale: float = 2.0) -> Path:
    """The PDF's pages rendered to images and put back as an image-only PDF (no text layer)."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(pdf))
    try:
        images = [src[i].render(scale=scale).to_pil().convert("L") for i in (pages or range(len(src)))]
    finally:
        src.close()
    images[0].save(str(out), "PDF", resolution=72 * scale, save_all=True, append_images=images[1:])
    return out


def write_forms(txt: Path, folder: Path, forms: tuple[str, ...] = FORMS) -> dict[str, Path]:
    """Every form of one sample, named after it; returns form -> path."""
    text = txt.read_text(encoding="utf-8")
    stem = txt.stem
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    for form in forms:
        if form == "html":
            out[form] = folder / f"{stem}.html"
            out[form].write_bytes(to_html(text))
        elif form == "word_html":
            out[form] = folder / f"{stem}_word.htm"
            out[form].write_bytes(to_word_html(text))
        elif form == "mht":
            out[form] = folder / f"{stem}.mht"
            out[form].write_bytes(to_mht(text))
        elif form == "xlsx":
            out[form] = to_xlsx(text, folder / f"{stem}.xlsx")
        elif form == "xls":
            out[form] = to_xls(text, folder / f"{stem}.xls")
        elif form == "docx":
            out[form] = to_docx(text, folder / f"{stem}.docx")
        elif form == "traditional":
            out[form] = folder / f"{stem}_fanti.txt"
            out[form].write_text(to_traditional(text), encoding="utf-8")
    return out
