"""Write parsed documents into a new DuckDB file and swap it in atomically.

The build writes `<target>.tmp-<pid>`, checkpoints, closes, checks no WAL remains, then
`os.replace`s it over the target, so readers never see a half-written warehouse. Row order is
sorted on stable keys so the same inputs give the same content.
"""

from __future__ import annotations

import os
import re
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.schema import TABLES, ddl

VIEWS_SQL = Path(__file__).with_name("views.sql")


class SchemaError(Exception):
    pass


def _check_columns(table: str, rows: list[dict]) -> list[str]:
    declared = [c.name for c in next(t for t in TABLES if t.name == table).columns]
    extra = {k for r in rows for k in r} - set(declared)
    if extra:
        raise SchemaError(f"{table}: undeclared columns {sorted(extra)}; declare them in warehouse/schema.py")
    return declared


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    for stmt in ddl():
        con.execute(stmt)


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """Views (and the one materialised helper) over the loaded tables; run after the data load."""
    con.execute(VIEWS_SQL.read_text(encoding="utf-8"))


def write_warehouse(tables: dict[str, list[dict]], target: Path) -> Path:
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    for leftover in (tmp, Path(f"{tmp}.wal")):
        leftover.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        create_schema(con)
        for t in TABLES:
            rows = tables.get(t.name, [])
            if not rows:
                continue
            _check_columns(t.name, rows)
            arrow = _arrow_table(t, rows)
            con.register("_incoming", arrow)
            con.execute(f"INSERT INTO {t.name} BY NAME SELECT * FROM _incoming")
            con.unregister("_incoming")
        create_views(con)
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
        raise
    con.close()
    if Path(f"{tmp}.wal").exists():
        raise RuntimeError(f"WAL left behind after checkpoint: {tmp}.wal")
    os.replace(tmp, target)
    return target


_DECIMAL = re.compile(r"DECIMAL\((\d+),(\d+)\)")


def _arrow_type(sql_type: str) -> pa.DataType:
    if m := _DECIMAL.match(sql_type):
        return pa.decimal128(int(m.group(1)), int(m.group(2)))
    return {"VARCHAR": pa.string(), "INTEGER": pa.int32(), "BOOLEAN": pa.bool_()}[sql_type]


def _plain(value, sql_type: str):
    """Python value for an Arrow column; decimals are brought to the column's scale (money is
    already exact to the fen, so only non-money metrics such as scores can round here)."""
    if value is None:
        return None
    if m := _DECIMAL.match(sql_type):
        return Decimal(value).quantize(Decimal(1).scaleb(-int(m.group(2))), rounding=ROUND_HALF_EVEN)
    return value


def _arrow_table(t, rows: list[dict]) -> pa.Table:
    """Bulk load through Arrow: executemany is ~100x slower for a few thousand rows."""
    arrays = {
        c.name: pa.array([_plain(r.get(c.name), c.type) for r in rows], type=_arrow_type(c.type)) for c in t.columns
    }
    return pa.table(arrays)
