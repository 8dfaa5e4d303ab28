"""Read access to the warehouse for the app and scripts (no streamlit here).

DuckDB connections are not thread-safe: callers hold one read-only connection per warehouse file
and take a cursor per script run. First start builds the warehouse from the bundled samples.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from warehouse import paths

RAW_DIR = Path(__file__).resolve().parent.parent / "data" / "raw"


def ensure_warehouse(progress: Callable[[int, int, str], None] | None = None) -> Path:
    """The current warehouse file; built from data/raw and published if there is none."""
    current = paths.current_db_path()
    if current is not None:
        return current
    from etl.build import build

    result = build([RAW_DIR], paths.default_db_path(), progress=progress)
    paths.publish(result.db_path)
    return result.db_path


def open_readonly(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True)
