"""Display helpers: amounts in the chosen unit as floats for charts and tables (storage stays
DECIMAL in 元), and Chinese labels for the warehouse's keys."""

from __future__ import annotations

import re

import polars as pl

from rules.labels import MEASURE_COLUMN_ZH, STAGE_ZH, warnings_zh
from rules.names import shown_name


def mapped(df: pl.DataFrame, column: str, fn) -> pl.Series:
    """`fn` over one column's non-null values, in this thread (nulls stay null).

    Never `map_elements` in a page: it calls Python from polars' worker pool, and with sessions in
    several threads one conversion held the GIL waiting for that pool while the pool waited for
    the GIL; the whole server froze, event loop included (a cold crowd of 8 sessions, py-spy dump;
    pola-rs/polars#10970). tests/test_architecture.py keeps it out of everything the server runs."""
    return pl.Series(column, [None if v is None else fn(v) for v in df[column].to_list()], dtype=pl.Utf8)


def scaled(df: pl.DataFrame, columns: list[str], factor) -> pl.DataFrame:
    """Money columns (元, DECIMAL) divided into the display unit, as Float64 rounded to 4 places."""
    f = float(factor)
    return df.with_columns([(pl.col(c).cast(pl.Float64) / f).round(4).alias(c) for c in columns if c in df.columns])


def zh_stage(df: pl.DataFrame, col: str = "stage") -> pl.DataFrame:
    return df.with_columns(pl.col(col).replace_strict(STAGE_ZH, default=pl.col(col))) if col in df.columns else df


def zh_warnings(df: pl.DataFrame, col: str = "warnings") -> pl.DataFrame:
    """The readers' warnings (English in the warehouse, joined by '; ') in Chinese."""
    if col not in df.columns:
        return df
    # A few hundred short strings: a list comprehension, not a polars Python callback.
    return df.with_columns(pl.Series(col, [warnings_zh(w) for w in df[col].to_list()], dtype=pl.Utf8))


def label(df: pl.DataFrame) -> pl.DataFrame:
    """A '县 年度阶段' label column for charts."""
    return df.with_columns(
        (
            pl.col("county").fill_null("未识别")
            + " "
            + pl.col("fiscal_year").cast(pl.Utf8)
            + pl.col("stage").replace_strict(STAGE_ZH, default="")
        ).alias("label")
    )


def where(with_table: bool = False) -> pl.Expr:
    """ "file 第N页 第M行《table》": where a figure or check was read, as one display column."""
    expr = (
        pl.col("source_file")
        + " 第"
        + pl.col("page").cast(pl.Utf8)
        + "页"
        + pl.when(pl.col("line").is_not_null()).then(" 第" + pl.col("line").cast(pl.Utf8) + "行").otherwise(pl.lit(""))
    )
    if with_table:
        expr = expr + pl.when(pl.col("table_title").is_not_null()).then("《" + pl.col("table_title") + "》").otherwise(
            pl.lit("")
        )
    return expr.alias("where")


def safe_name(name: str) -> str:
    """A file name Windows and browsers accept: no path separators, reserved characters or spaces;
    no bidi controls or NUL, length capped (rules.names, the rule every shown name follows)."""
    return re.sub(r"[\\/:*?\"<>|\s]+", "_", shown_name(name)).strip("_")


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def md(text) -> str:
    """Document text for st.markdown / metric labels / captions: every markdown and HTML
    character escaped, so a unit name like `[x](http://…)` or `<iframe …>` shows as typed."""
    if text is None:
        return ""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def chart_text(text) -> str:
    """Document text inside plotly labels and hovers (exports.figures.plain: one rule)."""
    from exports.figures import plain

    return plain(text)


# A table column's key as its header reads (rules.labels), with the keys it has no header for (a
# 三公 table's budget/actual, a project's amount): never the key itself on a page.
COLUMN_ZH = MEASURE_COLUMN_ZH


def column_zh(key: str | None) -> str | None:
    return None if key is None else COLUMN_ZH.get(key, key)
