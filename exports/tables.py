"""Tables leaving the app as files: CSV (UTF-8 with BOM, so Excel in China opens it) and XLSX.

Every text cell that a spreadsheet would read as a formula — one beginning with = + - @, a tab or
a carriage return — is neutralised as OWASP recommends (a leading apostrophe), in every download
and bundle. Numbers stay numbers: a negative amount is a number column, never touched, and a text
cell that is only a number ("-1,234.50") cannot be a formula and is left as it is.
"""

from __future__ import annotations

import io

import polars as pl

FORMULA_START = r"^[=+\-@\t\r]"
PLAIN_NUMBER = r"^[+-]?[\d,]+(\.\d+)?%?$"


def neutralise_text(value: str | None) -> str | None:
    """One cell: the same rule as `neutralise`, for text written outside a DataFrame."""
    if value is None or not value or value[0] not in "=+-@\t\r":
        return value
    import re

    return value if re.match(PLAIN_NUMBER, value) else "'" + value


def neutralise(df: pl.DataFrame) -> pl.DataFrame:
    """The frame with every formula-like text cell prefixed by an apostrophe (text columns only)."""
    text = [c for c, t in df.schema.items() if t == pl.Utf8]
    if not text:
        return df
    return df.with_columns(
        [
            pl.when(pl.col(c).str.contains(FORMULA_START) & ~pl.col(c).str.contains(PLAIN_NUMBER))
            .then(pl.lit("'") + pl.col(c))
            .otherwise(pl.col(c))
            .alias(c)
            for c in text
        ]
    )


def _flat(df: pl.DataFrame) -> pl.DataFrame:
    """List columns (sparklines) as "a; b; c" text, which CSV and XLSX can hold."""
    lists = [c for c, t in df.schema.items() if isinstance(t, pl.List)]
    return df.with_columns([pl.col(c).cast(pl.List(pl.Utf8)).list.join("; ") for c in lists]) if lists else df


def export_frame(df: pl.DataFrame) -> pl.DataFrame:
    """What every CSV and XLSX writes: list columns flattened, formula-like text neutralised."""
    return neutralise(_flat(df))


def csv_bytes(df: pl.DataFrame) -> bytes:
    return export_frame(df).write_csv(include_bom=True).encode("utf-8")


def xlsx_bytes(df: pl.DataFrame, sheet: str = "数据", about: list[tuple[str, str]] | None = None) -> bytes:
    """The table as XLSX; with `about`, a second sheet "来源与口径" of (label, text) rows: the view's
    link, the warehouse's build date, the documents (written as text, never a formula)."""
    buf = io.BytesIO()
    if not about:
        export_frame(df).write_excel(buf, worksheet=sheet[:31], autofit=True)
        return buf.getvalue()
    import xlsxwriter

    with xlsxwriter.Workbook(buf) as wb:
        export_frame(df).write_excel(workbook=wb, worksheet=sheet[:31], autofit=True)
        ws = wb.add_worksheet(ABOUT_SHEET)
        bold = wb.add_format({"bold": True})
        for i, (k, v) in enumerate(about):
            ws.write_string(i, 0, k, bold)
            ws.write_string(i, 1, neutralise_text(v) or "")
        ws.set_column(0, 0, 14)
        ws.set_column(1, 1, 100)
    return buf.getvalue()


ABOUT_SHEET = "来源与口径"
