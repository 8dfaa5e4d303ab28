""".ods amounts by their printed precision and Word 97-2003 .doc through LibreOffice (#18, item 4).

The .ods fixtures are written here from the sample texts (content.xml as LibreOffice writes it: each
number's value plus the text it displays); the .doc fixture is a sample .docx converted by
LibreOffice itself (`soffice --convert-to doc`), as a portal's Word 97-2003 file would be.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import time
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.model import DocumentError, RawTable
from etl.normalize import parse_number
from etl.pipeline import parse_file
from etl.readers import read_document
from etl.readers import word as word_reader
from etl.readers.excel import _printed_format, render
from tests.conftest import RAW, STEMS, parsed
from tests.forms import _excel_value, blocks, workbook_layout

PROVENANCE = {"page", "line", "row_index", "col_index", "table_id", "seq", "sentence", "source_a", "source_b"}
PRINTED = {"amount_printed", "note"}  # a workbook stores numbers, not their print, as for .xlsx


def _facts(p, table: str, skip: set[str]) -> Counter:
    return Counter(
        tuple(sorted((k, str(v)) for k, v in r.items() if k not in PROVENANCE | skip))
        for r in p.facts.rows.get(table, [])
    )


def _same_facts(text, other, skip: set[str]) -> None:
    assert other.info == text.info
    tables = {t for t in set(text.facts.rows) | set(other.facts.rows) if t.startswith("core_")}
    for table in sorted(tables):
        a, b = _facts(text, table, skip), _facts(other, table, skip)
        assert a == b, (table, list((a - b).elements())[:2], list((b - a).elements())[:2])


# ---------------------------------------------------------------- .ods

_ODS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    "<office:body><office:spreadsheet>"
)
_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)


def _ods_cell(cell) -> str:
    """A string cell, or (value, displayed text) as a float cell; empty cells repeated as LibreOffice does."""
    if isinstance(cell, tuple):
        value, shown = cell
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{html.escape(shown)}</text:p></table:table-cell>"
        )
    return f'<table:table-cell office:value-type="string"><text:p>{html.escape(cell)}</text:p></table:table-cell>'


def _ods_row(cells: dict[int, object]) -> str:
    out, col = ["<table:table-row>"], 0
    for c in sorted(cells):
        if c > col:
            out.append(f'<table:table-cell table:number-columns-repeated="{c - col}"/>')
        out.append(_ods_cell(cells[c]))
        col = c + 1
    return "".join(out) + "</table:table-row>"


def write_ods(path: Path, sheets: list[tuple[str, dict[int, dict[int, object]]]]) -> Path:
    body = []
    for name, rows in sheets:
        body.append(f'<table:table table:name="{html.escape(name)}">')
        last = -1
        for r in sorted(rows):
            if r > last + 1:
                body.append(
                    f'<table:table-row table:number-rows-repeated="{r - last - 1}"><table:table-cell/></table:table-row>'
                )
            body.append(_ods_row(rows[r]))
            last = r
        body.append("</table:table>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", _MANIFEST, zipfile.ZIP_DEFLATED)
        z.writestr(
            "content.xml",
            _ODS_HEAD + "".join(body) + "</office:spreadsheet></office:body></office:document-content>",
            zipfile.ZIP_DEFLATED,
        )
    return path


def to_ods(text: str, path: Path) -> Path:
    """The workbook of tests/forms.py as .ods: amounts as numbers showing the text's print."""
    sheets = []
    for name, cells in workbook_layout(text):
        rows: dict[int, dict[int, object]] = {}
        for row, col, c in cells:
            v = _excel_value(c)
            rows.setdefault(row, {})[col] = (repr(v), c.strip()) if isinstance(v, float) else v
        sheets.append((name, rows))
    return write_ods(path, sheets)


@pytest.mark.parametrize("stem", STEMS.values(), ids=STEMS.keys())
def test_ods_of_each_sample_gives_the_facts_of_the_text(tmp_path, stem):
    path = to_ods((RAW / f"{stem}.txt").read_text(encoding="utf-8"), tmp_path / f"{stem}.ods")
    other = parse_file(path)
    assert other.fmt == "excel"
    _same_facts(parsed(stem), other, PRINTED)


def test_integral_amounts_keep_their_printed_decimals(tmp_path):
    """获嘉's 2024 summary states 本年收入 5,783.96 万元; integral amounts (3.00, 0.00) are amounts
    by their print, a code (2080109) stays a code and a rate keeps its percent."""
    rows = {
        0: {0: "2024年部门收支总表"},
        1: {0: "单位：万元"},
        2: {0: "科目编码", 1: "项目", 2: "金额", 3: "占比"},
        3: {0: ("2080109", "2080109"), 1: "社会保险经办机构", 2: ("3", "3.00"), 3: ("0.5", "50.00%")},
        4: {0: ("2080505", "2080505"), 1: "机关事业单位基本养老保险缴费支出", 2: ("0", "0.00"), 3: ("0", "0%")},
        5: {1: "合计", 2: ("5783.96", "5,783.96")},
    }
    doc = read_document(write_ods(tmp_path / "a.ods", [("收支总表", rows)]))
    (table,) = [b for b in doc.blocks if isinstance(b, RawTable)]
    assert [r.cells for r in table.rows] == [
        ["科目编码", "项目", "金额", "占比"],
        ["2080109", "社会保险经办机构", "3.00", "50.00%"],
        ["2080505", "机关事业单位基本养老保险缴费支出", "0.00", "0%"],
        ["", "合计", "5,783.96", ""],
    ]


# ---------------------------------------------------------------- .doc


def _docx_with_breaks(text: str, path: Path) -> Path:
    """tests/forms.py's .docx, with an empty paragraph between a table's parts and after the last
    table: a Word 97-2003 file holds no two tables without a paragraph between them (LibreOffice
    joins them) and ends with a paragraph (a table closing the body came back as one paragraph)."""
    import docx

    d = docx.Document()
    for b in blocks(text):
        if isinstance(b, str):
            d.add_paragraph(b)
            continue
        for i, part in enumerate(b.parts):
            if i:
                d.add_paragraph()
            t = d.add_table(rows=0, cols=max(len(r) for r in part))
            t.style = "Table Grid"
            for cells in part:
                row = t.add_row().cells
                for col, c in enumerate(cells):
                    if c:
                        row[col].text = c
    d.add_paragraph()
    d.save(str(path))
    return path


@pytest.fixture(scope="module")
def doc_forms(tmp_path_factory) -> dict[str, Path]:
    """The five samples as Word 97-2003 files LibreOffice wrote itself (one conversion for all)."""
    folder = tmp_path_factory.mktemp("doc")
    sources = [
        _docx_with_breaks((RAW / f"{stem}.txt").read_text(encoding="utf-8"), folder / f"{stem}.docx")
        for stem in STEMS.values()
    ]
    subprocess.run(
        [word_reader.soffice() or "soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless"]
        + ["--convert-to", "doc", "--outdir", str(folder / "doc"), *map(str, sources)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    shutil.rmtree(folder / "profile", ignore_errors=True)
    out = {stem: folder / "doc" / f"{stem}.doc" for stem in STEMS.values()}
    for path in out.values():  # real OLE2 Word files, not renamed .docx
        assert path.read_bytes()[:8] == word_reader.OLE2_MAGIC
    return out


@pytest.fixture
def huojia_doc(doc_forms) -> Path:
    return doc_forms[STEMS["huojia"]]


@pytest.mark.parametrize("stem", STEMS.values(), ids=STEMS.keys())
def test_doc_is_converted_by_libreoffice_and_gives_the_figures_of_the_text(tmp_path, doc_forms, stem):
    path = tmp_path / "预算 公开.doc"
    shutil.copy(doc_forms[stem], path)
    started = time.process_time()
    other = parse_file(path)
    assert time.process_time() - started < 20  # our side; LibreOffice's own CPU is in its process
    assert other.fmt == "docx" and word_reader.CONVERTED_FROM_DOC in other.warnings
    assert other.path == str(path) and other.file_name == "预算 公开.doc"
    _same_facts(parsed(stem), other, set())


def test_doc_reads_real_figures(tmp_path, huojia_doc):
    other = parse_file(huojia_doc)
    assert other.info["unit_name"] == "获嘉县社会保险中心" and other.info["fiscal_year"] == 2024
    total = {(r["table_family"], r["measure"], r["amount_printed"]) for r in other.facts.rows["core_table_facts"]}
    assert ("projects", "total", "5,783.96") in total  # 获嘉's 2024 项目支出 5,783.96 万元 (its text says so)
    assert ("expenditure", "project", "5,783.96") in total


def test_doc_without_libreoffice_is_refused_in_one_line(tmp_path, monkeypatch, huojia_doc):
    path = tmp_path / "旧格式.doc"
    shutil.copy(huojia_doc, path)
    monkeypatch.setattr(word_reader, "soffice", lambda: None)
    with pytest.raises(DocumentError) as e:
        read_document(path)
    msg = str(e.value)
    assert "旧格式.doc" in msg and "LibreOffice is needed" in msg and "\n" not in msg


def test_damaged_doc_is_refused_without_starting_libreoffice(tmp_path, monkeypatch, huojia_doc):
    path = tmp_path / "damaged.doc"
    data = bytearray(huojia_doc.read_bytes())
    data[28:32] = b"\x00\x00\x00\x00"  # byte-order mark and sector size zeroed
    path.write_bytes(bytes(data))
    monkeypatch.setattr(word_reader, "_run_soffice", lambda *a: pytest.fail("LibreOffice started"))
    with pytest.raises(DocumentError, match="Word 97-2003 document .* damaged OLE2 header"):
        read_document(path)


@settings(max_examples=200)
@given(st.decimals(min_value=-(10**11), max_value=10**11, places=4), st.integers(0, 4), st.booleans())
def test_ods_number_renders_as_displayed(value, places, grouped):
    """Whatever the displayed text's decimals and separators, the rendered cell has the value and
    the decimals the sheet showed (an integral 3 shown as 3.00 is an amount, not a code)."""
    d = value.quantize(Decimal(1).scaleb(-places))
    shown = f"{d:,.{places}f}" if grouped else f"{d:.{places}f}"
    text = render(float(d), _printed_format(shown))
    assert parse_number(text).value == d and parse_number(text).decimals == places


def test_a_hung_conversion_is_killed_with_its_process_group(tmp_path, monkeypatch, huojia_doc):
    started: list[int] = []
    real_popen = subprocess.Popen

    def popen(*args, **kwargs):
        proc = real_popen(*args, **kwargs)
        started.append(proc.pid)
        return proc

    monkeypatch.setattr(word_reader, "DOC_CONVERT_SECONDS", 0.05)
    monkeypatch.setattr(word_reader.subprocess, "Popen", popen)
    with pytest.raises(DocumentError, match="conversion time limit exceeded") as e:
        read_document(huojia_doc)
    assert "\n" not in str(e.value)
    (pid,) = started
    deadline = time.monotonic() + 10
    while _running_in_group(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _running_in_group(pid) == []  # soffice.bin, a grandchild, went with it


def _running_in_group(pgid: int) -> list[int]:
    """Processes of a group that still run (a killed grandchild may linger as a zombie until init
    reaps it; that one is gone)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            out.append(int(stat.parent.name))
    return out
