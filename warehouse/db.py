"""Read access to the warehouse for the app and scripts (no streamlit, no ETL here).

DuckDB connections are not thread-safe: callers hold one read-only connection per warehouse file
and take a cursor per script run. Building the first warehouse is the app's decision (app.py).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

RAW_DIR = Path(__file__).resolve().parent.parent / "data" / "raw"


def open_readonly(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True)
