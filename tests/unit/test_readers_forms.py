"""Form sniffing and the HTML, Excel, Word and 繁體 readers on small inline inputs."""

import zipfile

import pytest

from etl.model import DocumentError, Paragraph, RawTable
from etl.readers import read_document
from etl.readers.excel import column_letter, render
from etl.readers.sniff import sniff
from etl.traditional import CONVERTED, is_traditional

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500


def _zip(tmp_path, name, members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED):
    p = tmp_path / name
    with zipfile.ZipFile(p, "w", compression) as zf:
        for n, data in members.items():
            zf.writestr(n, data)
    return p


def _tables(doc):
    return [b for b in doc.blocks if isinstance(b, RawTable)]


def _paras(doc):
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


# ------------------------------------------------------------------ sniffing


@pytest.mark.parametrize(
    ("name", "data", "form"),
    [
        ("x.bin", b"%PDF-1.7\n...", "pdf"),
        ("a.xls", OLE2 + "Workbook".encode("utf-16-le"), "xls"),
        ("page.doc", b"<html><body><p>2024</p></body></html>", "html"),  # portals save pages as .doc
        ("a.txt", b"\xef\xbb\xbf<!DOCTYPE html><html>", "html"),
        ("a.txt", "2024年部门预算\n科目\t金额\n".encode(), "text"),
        ("a.txt", "注：<p>不是网页</p>".encode(), "text"),
    ],
)
def test_form_comes_from_content(tmp_path, name, data, form):
    p = tmp_path / name
    p.write_bytes(data)
    assert sniff(p, data) == form


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("a.doc", OLE2 + "WordDocument".encode("utf-16-le") + "Workbook".encode("utf-16-le"), "Word 97-2003"),
        ("a.wps", OLE2 + b"junk", "OLE2 compound file"),
        ("scan.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100, "JPEG image"),
        ("a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "PNG image"),
        ("a.rar", b"Rar!\x1a\x07\x00", "RAR archive"),
        ("a.pdf", b"hello", "no %PDF header"),
        ("a.xlsx", "预算表".encode() * 10, "not an Office document"),
    ],
)
def test_unreadable_forms_are_named_not_read_as_text(tmp_path, name, data, reason):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(DocumentError, match=reason) as e:
        read_document(p)
    assert "\n" not in str(e.value)


def test_zip_containers_by_their_members(tmp_path):
    x = _zip(tmp_path, "renamed.bin", {"xl/workbook.xml": b"<x/>", "[Content_Types].xml": b"<x/>"})
    assert sniff(x, x.read_bytes()) == "xlsx"
    d = _zip(tmp_path, "d.zip", {"word/document.xml": b"<x/>"})
    assert sniff(d, d.read_bytes()) == "docx"
    z = _zip(tmp_path, "disclosures.zip", {"a.pdf": b"%PDF-1.4"})
    with pytest.raises(DocumentError, match="neither an Excel workbook nor a Word document"):
        read_document(z)


def test_zip_bomb_refused_before_decompression(tmp_path):
    bomb = _zip(tmp_path, "bomb.xlsx", {"xl/workbook.xml": b"<x/>", "xl/worksheets/sheet1.xml": b"\0" * 30_000_000})
    assert bomb.stat().st_size < 100_000
    with pytest.raises(DocumentError, match="zip bomb"):
        read_document(bomb)


# ------------------------------------------------------------------ HTML

PORTAL = """<!DOCTYPE html><html><head><meta charset="{charset}"><title>首页</title>
<script>var x = "<p>2019年决算</p>";</script></head><body>
<div class="top-nav"><ul class="nav"><li><a href="/">首页</a></li><li><a>政务公开</a></li><li><a>预决算公开</a></li></ul></div>
<div class="position">当前位置：<a>首页</a> &gt; <a>财政预决算</a></div>
<table><tr><td><table class="xxgk"><tr><td>索引号：</td><td>123/2024-1</td><td>发布机构：</td><td>兴国县人社局</td></tr>
<tr><td>生成日期：</td><td>2024-04-15</td><td>文号：</td><td></td></tr></table>
<div class="content"><p>获嘉县社会保险中心2024年部门预算{extra}</p><p style="display:none">隐藏文字</p>
<p>一、部门支出总体情况表</p><p>单位：万元</p>
<table border="1"><tr><td rowspan="2">科目编码</td><td colspan="2">支出</td><td>备注</td></tr>
<tr><td>基本支出</td><td>项目支出</td><td></td></tr>
<tr><td>2080109</td><td><p><span>50.16</span></p></td><td>33.96<o:p></o:p></td><td>&nbsp;</td></tr></table>
<p>注：本表<br>无其他说明</p></div></td></tr></table>
<div class="footer">主办单位：兴国县人民政府办公室</div></body></html>"""


@pytest.mark.parametrize(("charset", "encoding"), [("utf-8", "utf-8"), ("gb2312", "gbk")])
def test_html_portal_page(tmp_path, charset, encoding):
    p = tmp_path / "page.htm"
    p.write_bytes(PORTAL.format(charset=charset, extra="（喆）").encode(encoding))  # 喆 is GBK, not GB2312
    doc = read_document(p)
    assert doc.fmt == "html" and doc.encoding == ("utf-8" if charset == "utf-8" else "gb18030")
    assert _paras(doc) == [
        "获嘉县社会保险中心2024年部门预算(喆)",  # NFKC: full-width punctuation as ASCII
        "一、部门支出总体情况表",
        "单位:万元",
        "注:本表",
        "无其他说明",
    ]
    (t,) = _tables(doc)  # the 索引号 box and the layout table are not tables of the disclosure
    assert [r.cells for r in t.rows] == [
        ["科目编码", "支出", "", "备注"],
        ["", "基本支出", "项目支出", ""],
        ["2080109", "50.16", "33.96", ""],
    ]
    assert t.rows[2].ref == "table[1]/tr[3]" and t.rows[2].line == 11  # source line of the <tr>
    assert doc.warnings == []


def test_html_without_text_is_refused(tmp_path):
    p = tmp_path / "empty.html"
    p.write_bytes(b"<html><head><title>x</title></head><body><script>1</script></body></html>")
    with pytest.raises(DocumentError, match="without text"):
        read_document(p)


# ------------------------------------------------------------------ Excel


@pytest.mark.parametrize(
    ("value", "fmt", "text"),
    [
        (3.0, "#,##0.00", "3.00"),
        (12615180.1, "#,##0.0", "12,615,180.1"),
        (2080501.0, "General", "2080501"),
        (70.8, None, "70.8"),
        (0.979, "0.0%", "97.9%"),
        (1e16, "General", "10000000000000000"),
        (float("nan"), "General", ""),
    ],
)
def test_excel_numbers_render_as_displayed(value, fmt, text):
    assert render(value, fmt) == text


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


def test_excel_sheets_titles_and_provenance(tmp_path):
    import xlsxwriter

    p = tmp_path / "book.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    money = wb.add_format({"num_format": "#,##0.00"})
    ws = wb.add_worksheet("说明")
    ws.write_string(0, 0, "获嘉县社会保险中心2024年部门预算公开说明")
    ws.write_string(1, 0, "一、部门支出总体情况\n二、三公经费")  # wrapped in one cell: two paragraphs
    ws = wb.add_worksheet("支出表")
    ws.merge_range("A1:D1", "2024年部门支出总体情况表")
    ws.write_string(1, 3, "单位：万元")  # unit stated at the right
    for c, h in enumerate(["科目编码", "科目名称", "合计", "基本支出"]):
        ws.write_string(2, c, h)
    ws.write_string(3, 0, "2080109")
    ws.write_string(3, 1, "社会保险经办机构")
    ws.write_number(3, 2, 84.12, money)
    ws.write_number(3, 3, 50, money)
    ws.write_string(4, 1, "小计")  # one filled cell inside a table: still a row
    ws.write_string(5, 0, "此表为空表说明")
    hidden = wb.add_worksheet("lists")
    hidden.write_string(0, 0, "下拉选项")
    hidden.hide()
    wb.close()
    doc = read_document(p)
    assert doc.fmt == "excel" and doc.page_count == 3
    assert _paras(doc) == [
        "获嘉县社会保险中心2024年部门预算公开说明",
        "一、部门支出总体情况",
        "二、三公经费",
        "2024年部门支出总体情况表",
        "单位:万元",
        "此表为空表说明",
    ]
    (t,) = _tables(doc)
    assert [r.cells for r in t.rows] == [
        ["科目编码", "科目名称", "合计", "基本支出"],
        ["2080109", "社会保险经办机构", "84.12", "50.00"],
        ["", "小计", "", ""],
    ]
    assert (t.page, t.rows[1].line, t.rows[1].ref) == (2, 4, "支出表!A4:D4")
    assert doc.warnings == ["hidden sheet 'lists' skipped"]


def test_corrupt_workbook_is_one_line(tmp_path):
    p = _zip(tmp_path, "bad.xlsx", {"xl/workbook.xml": b"<not-xml", "[Content_Types].xml": b"<x/>"})
    with pytest.raises(DocumentError, match="corrupt or unreadable workbook"):
        read_document(p)


# ------------------------------------------------------------------ Word


def test_docx_paragraphs_tables_and_merged_cells(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("香河县社会保险事业管理所2023年单位预算")
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 0).merge(t.cell(1, 0)).text = "科目"
    t.cell(0, 1).merge(t.cell(0, 2)).text = "支出"
    t.cell(1, 1).text, t.cell(1, 2).text = "基本支出", "项目支出"
    t.cell(2, 0).text, t.cell(2, 1).text, t.cell(2, 2).text = "2080109", "50.16", "33.96"
    d.add_paragraph("注：无")
    p = tmp_path / "a.docx"
    d.save(str(p))
    doc = read_document(p)
    assert doc.fmt == "docx" and _paras(doc) == ["香河县社会保险事业管理所2023年单位预算", "注:无"]
    (raw,) = _tables(doc)
    assert [r.cells for r in raw.rows] == [
        ["科目", "支出", ""],
        ["", "基本支出", "项目支出"],
        ["2080109", "50.16", "33.96"],
    ]
    assert raw.rows[2].ref == "table[1]/tr[3]" and raw.line == 2


# ------------------------------------------------------------------ 繁體


def test_traditional_text_is_converted_before_matching(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(
        "興國縣社會保險服務中心2024年部門預算\n單位：萬元\n項目\t金額\n一般公共預算撥款\t1,234.50\n", encoding="utf-8"
    )
    doc = read_document(p)
    assert doc.script == "traditional" and doc.warnings == [CONVERTED]
    assert _paras(doc) == ["兴国县社会保险服务中心2024年部门预算", "单位:万元"]
    assert _tables(doc)[0].rows[1].cells == ["一般公共预算拨款", "1,234.50"]


def test_simplified_text_is_left_alone():
    text = "获嘉县社会保险中心 2024 年支出合计 5854.76 万元，其中：基本支出 70.8 万元。于2024年发布。" * 5
    assert not is_traditional(text)
    assert is_traditional("興國縣社會保險服務中心部門預算財政撥款收入支出決算總表")


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ('<html><meta charset="gb2312"><body><p>获嘉县社会保险中心</p></body></html>'.encode(), "utf-8"),
        ('<html><meta charset="utf-8"><body><p>获嘉县社会保险中心</p></body></html>'.encode("gbk"), "gb18030"),
        ("<html><body><p>获嘉县社会保险中心</p></body></html>".encode("gb18030"), "gb18030"),
        ('<html><meta charset="big5"><body><p>興國縣社會保險服務中心部門預算</p></body></html>'.encode("big5"), "big5"),
    ],
)
def test_html_charset_declared_wrongly_or_not_at_all(tmp_path, data, encoding):
    p = tmp_path / "a.html"
    p.write_bytes(data)
    doc = read_document(p)
    assert doc.encoding == encoding
    assert _paras(doc)[0] in ("获嘉县社会保险中心", "兴国县社会保险服务中心部门预算")  # Big5 is 繁體 too


def test_excel_sheet_name_is_the_title_when_no_title_row(tmp_path):
    import xlsxwriter

    p = tmp_path / "b.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    for name in ("表3 部门支出总表", "Sheet2"):
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, ["科目编码", "科目名称", "合计"])
        ws.write_row(1, 0, ["2080109", "社会保险经办机构", "84.12"])
    wb.close()
    doc = read_document(p)
    assert [(b.text, b.page, b.ref) for b in doc.blocks if isinstance(b, Paragraph)] == [
        ("表3 部门支出总表", 1, "表3 部门支出总表")
    ]
    assert [t.page for t in _tables(doc)] == [1, 2]


def test_html_caption_is_the_table_title(tmp_path):
    p = tmp_path / "c.html"
    p.write_text(
        "<html><body><p>说明</p><table><caption>2024年部门支出总体情况表</caption>"
        "<tr><th>科目编码</th><th>合计</th></tr><tr><td>2080109</td><td>84.12</td></tr></table></body></html>",
        encoding="utf-8",
    )
    doc = read_document(p)
    assert _paras(doc) == ["说明", "2024年部门支出总体情况表"]
    assert _tables(doc)[0].rows[0].cells == ["科目编码", "合计"]


def test_docx_content_controls_are_read(tmp_path):
    import copy

    import docx
    from docx.oxml.ns import qn
    from lxml import etree

    d = docx.Document()
    para = d.add_paragraph("兴国县社会保险服务中心2024年单位预算")
    sdt = etree.SubElement(d.element.body, qn("w:sdt"))
    content = etree.SubElement(sdt, qn("w:sdtContent"))
    content.append(copy.deepcopy(para._p))
    d.element.body.remove(para._p)
    d.element.body.remove(sdt)
    d.element.body.insert(0, sdt)
    p = tmp_path / "sdt.docx"
    d.save(str(p))
    assert _paras(read_document(p)) == ["兴国县社会保险服务中心2024年单位预算"]


def test_mht_single_file_web_page(tmp_path):
    from tests.forms import to_mht

    p = tmp_path / "page.doc"  # portals serve Word's .mht under a .doc name
    p.write_bytes(to_mht("获嘉县社会保险中心2024年部门预算\n科目\t金额\n合计\t5,854.76\n"))
    assert sniff(p, p.read_bytes()) == "mhtml"
    doc = read_document(p)
    assert doc.fmt == "html" and _paras(doc) == ["获嘉县社会保险中心2024年部门预算"]
    assert _tables(doc)[0].rows[1].cells == ["合计", "5,854.76"]
    q = tmp_path / "mail.eml"
    q.write_bytes(b"MIME-Version: 1.0\nContent-Type: text/plain\n\nhello")
    with pytest.raises(DocumentError, match="without an HTML part"):
        read_document(q)


def test_copies_rank_by_provenance():
    from etl.readers import provenance_rank

    ranks = [provenance_rank(f) for f in ("text", "excel", "html", "docx", "pdf")]
    assert ranks == sorted(ranks) and len(set(ranks)) == 5
    assert provenance_rank("pdf", ["OCR on pages 1-3 (lower confidence)"]) > provenance_rank("pdf")
    assert provenance_rank("text", [CONVERTED]) > provenance_rank("docx")


def test_html_caps_refuse_hostile_pages(tmp_path):
    from etl.readers import html as html_reader

    p = tmp_path / "many.html"
    p.write_bytes(b"<html><body>" + b"<p>a</p>" * (html_reader.MAX_ELEMENTS + 10) + b"</body></html>")
    with pytest.raises(DocumentError, match="elements"):
        read_document(p)
    q = tmp_path / "spans.html"
    q.write_bytes(
        b"<html><body><table>"
        + b'<tr><td colspan="999" rowspan="999">x</td><td>y</td></tr>' * 1200
        + b"</table></body></html>"
    )
    with pytest.raises(DocumentError, match="table cells"):
        read_document(q)
