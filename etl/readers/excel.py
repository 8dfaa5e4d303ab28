"""Excel reader (openpyxl for .xlsx/.xlsm, xlrd for .xls, python-calamine for .ods) into the model.

Portals attach the budget tables as a workbook, one table per sheet, the title in the first row,
amounts as numbers and codes as text; sometimes the explanation sits on a sheet of its own. Each
sheet is read in workbook order like a page of text: a row with two or more filled cells is a
table row, a row with one filled cell in the sheet's first used column (a title, 单位：万元, a
note) is a paragraph, and a blank row ends a table (a table right after another one, with no text between,
continues it, as in the text reader).

Numbers are rendered as the sheet displays them: the cell's number format gives the decimals
(`#,##0.00` shows 3 as `3.00`, which is what makes it an amount and not a code). Formats are read
for .xlsx by openpyxl and for .xls by xlrd. calamine does not report them for .ods, but an .ods
stores each number's text as displayed beside its value (`<text:p>1,234.00</text:p>`), so the
decimals are taken from that text (`_ods_printed`). Provenance: page = sheet number (1-based,
workbook order), line = spreadsheet row number, col_index = column, `ref` = "Sheet!A7".
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal
from pathlib import Path

from etl.model import Document, DocumentError, Paragraph, RawTable, Row
from etl.normalize import clean_text, compact, find_unit, looks_like_title
from etl.readers.sniff import member_bytes, member_head
from rules.templates import EMPTY_TABLE_NOTE

MAX_SHEET_CELLS = 500_000  # rows x columns of one sheet's used range (a budget workbook: < 50,000)
MAX_DOC_CELLS = 1_000_000
MAX_SHARED_STRINGS_BYTES = 16 * 2**20  # a budget workbook's shared strings: well under 1 MiB
MAX_SHEET_XML_BYTES = 64 * 2**20  # one sheet's XML; 500,000 cells are ~30 MiB
MAX_COLUMNS = 512
MAX_EMPTY_RUN = 5000  # consecutive empty rows after which a sheet is taken as finished
_DECIMALS = re.compile(r"0\.(0+)")
_NOTE_START = ("注", "备注", "说明", "附注", "填报", "制表", "审核")


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def render(value, number_format: str | None = None) -> str:
    """A cell value as text: numbers with the decimals their format shows, else in shortest form."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return _render_number(value, number_format)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return clean_text(str(value)).strip()


def _render_number(value: int | float, number_format: str | None) -> str:
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return ""
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    fmt = (number_format or "General").split(";")[0]
    if fmt != "General" and "@" not in fmt:
        m = _DECIMALS.search(fmt)
        decimals = len(m.group(1)) if m else 0
        sep = "," if "," in fmt else ""
        if "%" in fmt:
            return f"{number * 100:{sep}.{decimals}f}%"
        return f"{number:{sep}.{decimals}f}"
    if number == number.to_integral_value() and abs(number) < Decimal(10) ** 18:
        return str(int(number))
    return format(number.normalize(), "f")


def _is_paragraph_row(cells: list[str], filled: list[int], in_table: bool) -> bool:
    """One filled cell: a paragraph when it is in the first column and reads like text outside a
    table (no open table, or a note), or whatever its column when it states the amount unit."""
    if len(filled) != 1:
        return False
    text = compact(cells[filled[0]])
    if find_unit(text) and len(text) <= 30:
        return True
    if filled[0] != 0:
        return False
    if not in_table or text.startswith(_NOTE_START) or len(text) > 40:
        return True
    return bool(EMPTY_TABLE_NOTE.search(text)) or looks_like_title(text)


class _SheetReader:
    def __init__(self, doc: Document, sheet_no: int, name: str, first_col: int = 0) -> None:
        self.doc, self.page, self.name, self.first_col = doc, sheet_no, name, first_col
        self.table: RawTable | None = None
        self.text_since_table = True
        self.has_text = False  # any paragraph on this sheet yet

    def paragraph(self, text: str, rowno: int, col: int) -> None:
        for part in text.split("\n"):
            part = part.strip()
            if part:
                ref = f"{self.name}!{column_letter(col + self.first_col)}{rowno}"
                self.doc.blocks.append(Paragraph(text=part, page=self.page, line=rowno, ref=ref))
                self.text_since_table = self.has_text = True

    def row(self, cells: list[str], rowno: int) -> None:
        filled = [i for i, c in enumerate(cells) if c.strip()]
        if not filled:
            self.close()
            return
        if _is_paragraph_row(cells, filled, self.table is not None):
            self.close()
            self.paragraph(cells[filled[0]], rowno, filled[0])
            return
        if self.table is None and not self.has_text and looks_like_title(self.name):
            # no title row: the sheet's name ("表3 部门支出总表") is the table's title
            self.doc.blocks.append(
                Paragraph(text=clean_text(self.name).strip(), page=self.page, line=None, ref=self.name)
            )
            self.text_since_table = self.has_text = True
        if self.table is None:
            self.table = RawTable(rows=[], page=self.page, line=rowno, continues_previous=not self.text_since_table)
            self.doc.blocks.append(self.table)
        left, right = column_letter(filled[0] + self.first_col), column_letter(filled[-1] + self.first_col)
        ref = f"{self.name}!{left}{rowno}:{right}{rowno}"
        self.table.rows.append(Row(cells=cells, page=self.page, line=rowno, index=len(self.table.rows), ref=ref))
        self.text_since_table = False

    def close(self) -> None:
        """Trim a finished table's rows to its own width (rightmost filled column)."""
        if self.table is not None:
            width = max(max((i for i, c in enumerate(r.cells) if c.strip()), default=0) for r in self.table.rows) + 1
            for r in self.table.rows:
                r.cells = r.cells[:width]
        self.table = None


class _Sheet:
    def __init__(self, name: str, visible: bool, rows) -> None:
        self.name, self.visible, self.rows = name, visible, rows


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def precheck_xlsx(path: Path) -> None:
    """Refuse a workbook past the caps before it is parsed (issue #20: a 1,000,000-row sheet or a
    huge shared-strings part held a worker for its whole time limit): each sheet's used range from
    its `<dimension>` element, and the bytes its sheets and shared strings really inflate to."""
    with zipfile.ZipFile(path) as zf:
        names = [n for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        if member_bytes(zf, "xl/sharedStrings.xml", MAX_SHARED_STRINGS_BYTES) > MAX_SHARED_STRINGS_BYTES:
            raise DocumentError(f"workbook shared strings over {MAX_SHARED_STRINGS_BYTES // 2**20} MiB (cap)")
        for name in names:
            if m := _DIMENSION.search(member_head(zf, name)):
                rows = int(m.group(4) or m.group(2)) - int(m.group(2)) + 1
                cols = _column_number(m.group(3) or m.group(1)) - _column_number(m.group(1)) + 1
                if rows * cols > MAX_SHEET_CELLS:
                    raise DocumentError(f"sheet spans {rows} rows x {cols} columns (cap {MAX_SHEET_CELLS} cells)")
            if member_bytes(zf, name, MAX_SHEET_XML_BYTES) > MAX_SHEET_XML_BYTES:
                raise DocumentError(f"sheet XML over {MAX_SHEET_XML_BYTES // 2**20} MiB (cap)")


def _openpyxl_sheets(path: Path, doc: Document):
    import openpyxl

    try:
        precheck_xlsx(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise DocumentError(f"corrupt or unreadable workbook ({type(exc).__name__})") from exc
    try:
        wb = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises KeyError/ValueError/zip errors on damaged parts
        raise DocumentError(f"corrupt or unreadable workbook ({type(exc).__name__})") from exc
    try:
        doc.page_count = len(wb.worksheets)
        for ws in wb.worksheets:
            width = min(ws.max_column or 1, MAX_COLUMNS)
            rows = (
                [render(c.value, getattr(c, "number_format", None)) for c in row]
                for row in ws.iter_rows(min_row=1, min_col=1, max_col=width)
            )
            yield _Sheet(ws.title, ws.sheet_state == "visible", rows)
    finally:
        wb.close()


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODS_NUMERIC = ("float", "currency", "percentage")
MAX_ODS_CONTENT_BYTES = 64 * 2**20  # content.xml holds every sheet; 500,000 cells are ~40 MiB


class _OdsCursor:
    """Where the scan of content.xml is: sheet, row, column, and the numeric cells' texts."""

    def __init__(self) -> None:
        self.sheets: list[dict[tuple[int, int], str]] = []
        self.row = self.col = 0
        self.row_cells: dict[int, str] = {}

    def cell(self, el) -> None:
        repeat = min(int(el.get(f"{_ODS_TABLE}number-columns-repeated") or 1), MAX_COLUMNS)
        if el.get(f"{_ODS_OFFICE}value-type") in _ODS_NUMERIC:
            printed = "".join(el.itertext()).strip()
            for k in range(repeat):
                self.row_cells[self.col + k] = printed
        self.col += repeat

    def end_row(self, el) -> None:
        repeat = int(el.get(f"{_ODS_TABLE}number-rows-repeated") or 1)
        if self.row_cells and self.sheets:
            for k in range(min(repeat, MAX_SHEET_CELLS // max(len(self.row_cells), 1))):
                self.sheets[-1].update({(self.row + k, c): t for c, t in self.row_cells.items()})
        self.row += repeat
        self.col, self.row_cells = 0, {}


def _ods_printed(path: Path) -> list[dict[tuple[int, int], str]]:
    """Per sheet (workbook order), the displayed text of each numeric cell by (row, column): the
    decimals an amount was printed with, which calamine's values alone do not carry."""
    from lxml import etree

    cur = _OdsCursor()
    with zipfile.ZipFile(path) as zf:
        if member_bytes(zf, "content.xml", MAX_ODS_CONTENT_BYTES) > MAX_ODS_CONTENT_BYTES:
            raise DocumentError(f"spreadsheet content.xml over {MAX_ODS_CONTENT_BYTES // 2**20} MiB (cap)")
        with zf.open("content.xml") as f:
            for event, el in etree.iterparse(f, events=("start", "end"), resolve_entities=False, no_network=True):
                _ods_event(cur, event, el)
    return cur.sheets


def _ods_event(cur: _OdsCursor, event: str, el) -> None:
    tag = el.tag
    if event == "start":
        if tag == f"{_ODS_TABLE}table":
            cur.sheets.append({})
            cur.row = cur.col = 0
        return
    if tag in (f"{_ODS_TABLE}table-cell", f"{_ODS_TABLE}covered-table-cell"):
        cur.cell(el)
        el.clear()
    elif tag == f"{_ODS_TABLE}table-row":
        cur.end_row(el)
        el.clear()


def _printed_format(printed: str | None) -> str | None:
    """A number format that shows what the cell showed: its decimals, separators and percent."""
    if not printed:
        return None
    digits = re.sub(r"[^\d.,%]", "", printed)
    decimals = len(digits.rpartition(".")[2].rstrip("%")) if "." in digits else 0
    return (
        ("#,##0" if "," in digits else "0")
        + ("." + "0" * decimals if decimals else "")
        + ("%" if "%" in digits else "")
    )


def _ods_rows(sheet, printed: dict[tuple[int, int], str]):
    for r, values in enumerate(sheet.to_python(skip_empty_area=False)):
        yield [
            render(v, _printed_format(printed.get((r, c))) if isinstance(v, (int, float)) else None)
            for c, v in enumerate(values[:MAX_COLUMNS])
        ]


def _calamine_sheets(path: Path, doc: Document):
    import python_calamine as pc

    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for bad or protected files
        reason = "password-protected workbook" if "password" in str(exc).lower() else "corrupt or unreadable workbook"
        raise DocumentError(f"{reason} ({type(exc).__name__})") from exc
    try:
        printed = _ods_printed(path)
    except DocumentError:
        raise
    except Exception as exc:  # lxml or zip errors on a damaged content.xml: values in shortest form
        doc.warnings.append(f"number formats of the spreadsheet unreadable ({type(exc).__name__})")
        printed = []
    try:
        metas = [m for m in wb.sheets_metadata if "WorkSheet" in str(m.typ)]
        doc.page_count = len(metas)
        total = 0
        for i, meta in enumerate(metas):
            sheet = wb.get_sheet_by_name(meta.name)
            cells = (sheet.end[0] + 1) * (sheet.end[1] + 1) if sheet.end else 0
            total += cells
            if cells > MAX_SHEET_CELLS or total > MAX_DOC_CELLS:
                raise DocumentError(f"sheet {meta.name!r} spans {cells} cells (cap {MAX_SHEET_CELLS})")
            rows = _ods_rows(sheet, printed[i] if i < len(printed) else {})
            yield _Sheet(meta.name, "Visible" in str(meta.visible), rows)
    finally:
        wb.close()


def _xlrd_value(book, cell):
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    return cell.value


def _xlrd_format(book, cell) -> str | None:
    try:
        return book.format_map[book.xf_list[cell.xf_index].format_key].format_str
    except (IndexError, KeyError, AttributeError):
        return None


def _xlrd_sheets(path: Path, doc: Document):
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, struct errors on damaged files
        reason = "password-protected workbook" if "encrypt" in str(exc).lower() else "corrupt or unreadable workbook"
        raise DocumentError(f"{reason} ({type(exc).__name__})") from exc
    try:
        doc.page_count = book.nsheets
        for i in range(book.nsheets):
            sheet = book.sheet_by_index(i)
            if sheet.nrows * sheet.ncols > MAX_SHEET_CELLS:
                raise DocumentError(
                    f"sheet {sheet.name!r} spans {sheet.nrows * sheet.ncols} cells (cap {MAX_SHEET_CELLS})"
                )
            width = min(sheet.ncols, MAX_COLUMNS)
            rows = (
                [
                    render(_xlrd_value(book, cell), _xlrd_format(book, cell))
                    for cell in sheet.row_slice(r, 0, min(width, sheet.row_len(r)))
                ]
                for r in range(sheet.nrows)
            )
            yield _Sheet(sheet.name, sheet.visibility == 0, rows)
    finally:
        book.release_resources()


def _sheet_rows(sheet: _Sheet, seen: int) -> tuple[list[list[str]], int]:
    """The sheet's rendered rows (up to a long run of empty rows) and the cells counted so far."""
    rows: list[list[str]] = []
    empty_run = 0
    for cells in sheet.rows:
        seen += len(cells)
        if seen > MAX_DOC_CELLS:
            raise DocumentError(f"workbook with more than {MAX_DOC_CELLS} cells")
        empty_run = 0 if any(cells) else empty_run + 1
        if empty_run > MAX_EMPTY_RUN:
            break
        rows.append(cells)
    return rows, seen


def read_excel(path: Path, form: str = "xlsx") -> Document:
    doc = Document(path=str(path), file_name=path.name, fmt="excel", page_count=0)
    readers = {"xlsx": _openpyxl_sheets, "xls": _xlrd_sheets}
    sheets = readers.get(form, _calamine_sheets)(path, doc)
    total = 0
    for sheet_no, sheet in enumerate(sheets, 1):
        if not sheet.visible:
            doc.warnings.append(f"hidden sheet {sheet.name!r} skipped")
            continue
        try:
            rows, total = _sheet_rows(sheet, total)
        except DocumentError:
            raise
        except Exception as exc:  # a damaged sheet: the other sheets still load
            doc.warnings.append(f"sheet {sheet.name!r}: unreadable ({type(exc).__name__})")
            continue
        # Sheets that start at column B or C: the first used column is the left edge.
        first = min((next(i for i, c in enumerate(r) if c) for r in rows if any(r)), default=0)
        reader = _SheetReader(doc, sheet_no, sheet.name, first)
        for rowno, cells in enumerate(rows, 1):
            reader.row(cells[first:], rowno)
        reader.close()
    if not doc.blocks:
        raise DocumentError("workbook without any filled cell")
    return doc
