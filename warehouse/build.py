"""Write parsed documents into a new DuckDB file and swap it in atomically.

The build writes `<target>.tmp-<pid>`, checkpoints, closes, checks no WAL remains, then
`os.replace`s it over the target, so readers never see a half-written warehouse. Row order is
sorted on stable keys so the same inputs give the same content.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import duckdb

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
            cols = _check_columns(t.name, rows)
            placeholders = ", ".join("?" for _ in cols)
            con.executemany(
                f"INSERT INTO {t.name} ({', '.join(cols)}) VALUES ({placeholders})",
                [[_plain(r.get(c)) for c in cols] for r in rows],
            )
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


def _plain(v):
    if isinstance(v, Decimal):
        return v
    return v
