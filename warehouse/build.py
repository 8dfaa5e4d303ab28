"""Write parsed documents into a new DuckDB file and swap it in atomically.

The build writes `<target>.tmp-<pid>`, checkpoints, closes, checks no WAL remains, then
`os.replace`s it over the target, so readers never see a half-written warehouse.

Rows arrive in batches (`WarehouseWriter.append`) and are bulk-loaded through Arrow whenever a
table's buffer is full, so a national build never holds every document in memory. Every row is
validated against the declared schema before it is buffered (`row_problem`): a value that fits no
column is the problem of the file that carried it, never of the whole load.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from pathlib import Path

import duckdb
import pyarrow as pa

from rules.labels import CROSS_DOCUMENT_GROUP
from warehouse.schema import TABLES, ddl, sql_literal
from warehouse.sql import views_sql

BATCH_ROWS = 100_000
WRITER_MEMORY = "128MB"
MAX_PARTS = 256  # Arrow tables (one per document) buffered per warehouse table before a flush
# Rows per transaction: every autocommitted INSERT waits for its own WAL sync (measured: 132
# inserts of 600 documents spent longer waiting than inserting); a bounded transaction keeps the
# uncommitted state small at national volume.
COMMIT_ROWS = 200_000
_BY_NAME = {t.name: t for t in TABLES}
_INT32 = (-(2**31), 2**31 - 1)


class SchemaError(Exception):
    pass


class PublishRefused(Exception):
    """The new warehouse would replace better data with less; the old file stays."""


def _declared(table: str) -> list[str]:
    return [c.name for c in _BY_NAME[table].columns]


def _check_columns(table: str, rows: list[dict]) -> list[str]:
    if table not in _BY_NAME:
        raise SchemaError(f"{table}: undeclared table; declare it in warehouse/schema.py")
    declared = _declared(table)
    extra = {k for r in rows for k in r} - set(declared)
    if extra:
        raise SchemaError(f"{table}: undeclared columns {sorted(extra)}; declare them in warehouse/schema.py")
    return declared


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    for stmt in ddl():
        con.execute(stmt)


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """Views (and the materialised helpers) over the loaded tables; run after the data load. The
    generated blocks of views.sql are filled from rules/ at this moment, so a rule changed without
    regenerating the file still reaches the warehouse (a test keeps the file current too)."""
    con.execute(views_sql())


_DECIMAL = re.compile(r"DECIMAL\((\d+),(\d+)\)")


def _value_problem(value, sql_type: str) -> str | None:
    """Why `value` cannot be stored in a column of `sql_type` (None when it can)."""
    if value is None:
        return None
    if m := _DECIMAL.match(sql_type):
        precision, scale = int(m.group(1)), int(m.group(2))
        try:
            d = Decimal(value)
            if d.is_finite() and d.adjusted() >= precision - scale:
                return f"{str(value)[:40]} exceeds {sql_type}"
            q = d.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_EVEN)
        except (InvalidOperation, TypeError, ValueError):
            return f"not a number: {str(value)[:40]!r}"
        if q.is_nan() or q.is_infinite() or len(q.as_tuple().digits) > precision:
            return f"{str(value)[:40]} exceeds {sql_type}"
        return None
    if sql_type == "INTEGER":
        if isinstance(value, bool) or not isinstance(value, int) or not _INT32[0] <= value <= _INT32[1]:
            return f"{str(value)[:40]!r} is not a 32-bit integer"
        return None
    if sql_type == "VARCHAR":
        if not isinstance(value, str):
            return f"{type(value).__name__} where text is expected"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "text that is not valid Unicode (undecodable bytes)"
    return None


def row_problem(table: str, row: dict) -> str | None:
    """First reason the row cannot be loaded, naming the column; None when it fits the schema."""
    t = _BY_NAME.get(table)
    if t is None:
        return f"undeclared table {table}"
    types = {c.name: c.type for c in t.columns}
    for k, v in row.items():
        if k not in types:
            return f"undeclared column {table}.{k}"
        if why := _value_problem(v, types[k]):
            return f"{table}.{k}: {why}"
    return None


def rows_problem(tables: dict[str, list[dict]]) -> str | None:
    """The first row of a document that fits no column, described with its provenance."""
    for table, rows in tables.items():
        for r in rows:
            if why := row_problem(table, r):
                where = " ".join(
                    f"{k}={r[k]}" for k in ("page", "line", "row_index", "col_index") if r.get(k) is not None
                )
                return f"{why}{' at ' + where if where else ''}"
    return None


def _arrow_type(sql_type: str) -> pa.DataType:
    if m := _DECIMAL.match(sql_type):
        return pa.decimal128(int(m.group(1)), int(m.group(2)))
    return {"VARCHAR": pa.string(), "INTEGER": pa.int32(), "BOOLEAN": pa.bool_()}[sql_type]


def _column(values: list, sql_type: str) -> pa.Array:
    if m := _DECIMAL.match(sql_type):
        step = Decimal(1).scaleb(-int(m.group(2)))
        values = [None if v is None else Decimal(v).quantize(step, rounding=ROUND_HALF_EVEN) for v in values]
    return pa.array(values, type=_arrow_type(sql_type))


@functools.cache
def _schema_of(name: str) -> pa.Schema:
    return pa.schema([(c.name, _arrow_type(c.type)) for c in _BY_NAME[name].columns])


def _schema(t) -> pa.Schema:
    return _schema_of(t.name)


def _arrow_table(t, rows: list[dict]) -> pa.Table:
    """Bulk load through Arrow: executemany is ~100x slower for a few thousand rows. Arrow takes
    the dicts directly (its C++ loop); only when a decimal has more places than its column (a
    score, a rate) are decimals brought to the column's scale in Python first (money is already
    exact to the fen, so only non-money metrics can round here)."""
    try:
        return pa.Table.from_pylist(rows, schema=_schema(t))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.table({c.name: _column([r.get(c.name) for r in rows], c.type) for c in t.columns})


def to_ipc(table: str, rows: list[dict]) -> bytes:
    """Rows of a declared table as Arrow IPC bytes: made where the rows are made (a parse
    worker), so the loading process does no per-row work."""
    _check_columns(table, rows)
    data = _arrow_table(_BY_NAME[table], rows)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, data.schema) as w:
        w.write_table(data)
    return sink.getvalue().to_pybytes()


def from_ipc(data: bytes) -> pa.Table:
    return pa.ipc.open_stream(data).read_all()


# Tables and rows an incremental build makes anew rather than copying: the file list is the
# build's own; cross-document results depend on every document at once.
NOT_COPIED = {"core_source_files"}
NOT_COPIED_ROWS = {"check_results": f"check_group IS DISTINCT FROM '{CROSS_DOCUMENT_GROUP}'"}


def tmp_path_for(target: Path) -> Path:
    return target.with_name(f"{target.name}.tmp-{os.getpid()}")


class WarehouseWriter:
    """A new warehouse file written in batches and published by one atomic rename.

    Use as a context manager: rows are appended while loading; `end_load()` writes and commits
    them and returns the connection for work over the whole warehouse (the build runs its
    cross-document checks there); on a clean exit the load is ended if it was not, the views are
    created, the file is checkpointed and renamed over `target`. On any exception the temporary
    file is removed and nothing is replaced.
    """

    def __init__(self, target: Path, batch_rows: int = BATCH_ROWS):
        self.target = Path(target)
        self.batch_rows = batch_rows
        self.tmp = tmp_path_for(self.target)
        self.con: duckdb.DuckDBPyConnection | None = None
        self._buffers: dict[str, list[dict]] = {}
        self._arrow: dict[str, list[pa.Table]] = {}
        self._arrow_rows: dict[str, int] = {}
        self.rows_written: dict[str, int] = {}
        self._uncommitted = 0
        self.loading = False  # between __enter__ and end_load(): appends are taken
        # Last word before the swap: returns a reason to keep the old file (never replace more
        # data with less), or None to publish.
        self.accept: Callable[[duckdb.DuckDBPyConnection], str | None] | None = None

    def __enter__(self) -> WarehouseWriter:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        if self.target.is_dir():
            raise IsADirectoryError(21, "is a directory, not a warehouse file", str(self.target))
        for leftover in (self.tmp, Path(f"{self.tmp}.wal")):
            leftover.unlink(missing_ok=True)
        self.con = duckdb.connect(str(self.tmp))
        # DuckDB would otherwise keep inserted data in memory up to 80 % of RAM; a build's memory
        # must not grow with the corpus (it spills to its temp folder instead).
        self.con.execute(f"SET memory_limit = '{WRITER_MEMORY}'")
        # Loading is one stream of appends while parse workers use the cores; the views at the
        # end get every thread back (`_finish`).
        self.con.execute("SET threads = 1")
        create_schema(self.con)
        self.con.execute("BEGIN TRANSACTION")
        self.loading = True
        return self

    def _require_loading(self) -> None:
        if not self.loading:
            raise RuntimeError("the warehouse load has ended: no more rows can be appended")

    def append(self, table: str, rows: list[dict]) -> None:
        if not rows:
            return
        self._require_loading()
        _check_columns(table, rows)
        buf = self._buffers.setdefault(table, [])
        buf.extend(rows)
        if len(buf) >= self.batch_rows:
            self._flush(table)

    def append_arrow(self, table: str, data: pa.Table, **constants: str) -> None:
        """Arrow rows of a declared table (from `from_ipc`), with columns set to constants."""
        if data.num_rows == 0:
            return
        self._require_loading()
        declared = _schema(_BY_NAME[table])
        if data.schema != declared:  # rows cached under an older schema: same names, new columns empty
            data = pa.table(
                {
                    f.name: data[f.name] if f.name in data.column_names else pa.nulls(data.num_rows, f.type)
                    for f in declared
                },
                schema=declared,
            )
        for name, value in constants.items():
            if name in data.column_names:
                i = data.column_names.index(name)
                data = data.set_column(i, name, pa.repeat(pa.scalar(value, pa.string()), data.num_rows))
        parts = self._arrow.setdefault(table, [])
        parts.append(data)
        self._arrow_rows[table] = self._arrow_rows.get(table, 0) + data.num_rows
        # Many small Arrow tables cost more in per-table overhead than in rows: flush on either.
        if self._arrow_rows[table] >= self.batch_rows or len(parts) >= MAX_PARTS:
            self._flush(table)

    def append_all(self, tables: dict[str, list[dict]]) -> None:
        for table, rows in tables.items():
            self.append(table, rows)

    def _flush(self, table: str) -> None:
        parts = self._arrow.pop(table, [])
        self._arrow_rows.pop(table, None)
        rows = self._buffers.pop(table, [])
        if rows:
            parts.append(_arrow_table(_BY_NAME[table], rows))
        if not parts:
            return
        # One contiguous chunk: DuckDB scans it far faster than hundreds of one-document chunks.
        arrow = pa.concat_tables(parts, promote_options="none").combine_chunks() if len(parts) > 1 else parts[0]
        self.con.register("_incoming", arrow)
        self.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _incoming")
        self.con.unregister("_incoming")
        self.rows_written[table] = self.rows_written.get(table, 0) + arrow.num_rows
        self._uncommitted += arrow.num_rows
        if self._uncommitted >= COMMIT_ROWS:
            self.con.execute("COMMIT")
            self.con.execute("BEGIN TRANSACTION")
            self._uncommitted = 0

    def flush_all(self) -> None:
        for t in TABLES:
            self._flush(t.name)

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self._finish()
        except BaseException:
            self._abort()
            raise
        if exc_type is not None:
            self._abort()
            return
        self.con.close()
        if Path(f"{self.tmp}.wal").exists():
            self.tmp.unlink(missing_ok=True)
            raise RuntimeError(f"WAL left behind after checkpoint: {self.tmp}.wal")
        os.replace(self.tmp, self.target)

    def end_load(self) -> duckdb.DuckDBPyConnection:
        """Write and commit every appended row, and give the connection every thread and DuckDB's
        default memory limit back (the loading limits, one thread and WRITER_MEMORY, held the views
        of a national build to 122 MiB and failed them with OutOfMemoryException, issue #20).
        Returns the connection, for work over the loaded warehouse before the views; idempotent."""
        if self.loading:
            self.flush_all()
            self.con.execute("COMMIT")
            self.loading = False
            self.con.execute("RESET threads")
            self.con.execute("RESET memory_limit")
        return self.con

    def _finish(self) -> None:
        self.end_load()
        create_views(self.con)
        self.con.execute("CHECKPOINT")
        if self.accept and (why := self.accept(self.con)):
            raise PublishRefused(why)

    def copy_documents(self, base: Path, doc_ids: list[str], source_files_except: list[str] | None = None) -> int:
        """Rows of `doc_ids` copied from an earlier warehouse of the same schema, in SQL (no Python
        per row): how a build reuses documents whose files did not change, and how an incremental
        build (an upload) keeps everything the current warehouse holds. Cross-document check
        results are not copied; they are recomputed over the new whole. With
        `source_files_except` (an incremental build), the base's file list comes along too: the
        rows of the copied documents and of its failed files, except the paths this build lists
        itself. Returns the number of rows copied."""
        self._require_loading()
        self.flush_all()
        self.con.execute("COMMIT")  # ATTACH cannot run inside a transaction
        self.con.execute(f"ATTACH {sql_literal(str(base))} AS base (READ_ONLY)")
        self.con.execute("BEGIN TRANSACTION")
        # On an error the writer aborts and deletes its file (__exit__): nothing to undo here.
        self.con.register("_keep", pa.table({"doc_id": pa.array(sorted(doc_ids), type=pa.string())}))
        self.con.register("_listed", pa.table({"file_path": pa.array(source_files_except or [], type=pa.string())}))
        copied = 0
        for t in TABLES:
            cols = [c.name for c in t.columns]
            if "doc_id" not in cols or (t.name in NOT_COPIED and source_files_except is None):
                continue
            where = NOT_COPIED_ROWS.get(t.name, "TRUE")
            keep = "doc_id IN (SELECT doc_id FROM _keep)"
            if t.name in NOT_COPIED:
                keep = f"({keep} OR doc_id IS NULL) AND file_path NOT IN (SELECT file_path FROM _listed)"
            copied += self._copy_table(t.name, cols, f"{keep} AND {where}")
        self.con.unregister("_keep")
        self.con.unregister("_listed")
        self.con.execute("COMMIT")
        self.con.execute("DETACH base")
        self.con.execute("BEGIN TRANSACTION")
        return copied

    def _copy_table(self, table: str, cols: list[str], where: str) -> int:
        """One table's rows from `base`: the columns both schemas have (a warehouse written before a
        column was declared leaves it NULL, "not disclosed"; a table it lacks copies nothing)."""
        have = {
            r[0]
            for r in self.con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE database_name = 'base' AND table_name = ?", [table]
            ).fetchall()
        }
        needed = ["doc_id", *(["file_path"] if "file_path" in where else [])]
        if any(c not in have for c in needed):
            return 0
        names = ", ".join(c for c in cols if c in have)
        n = self.con.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM base.{table} WHERE {where}"
        ).fetchone()[0]
        self.rows_written[table] = self.rows_written.get(table, 0) + n
        return n

    def _abort(self) -> None:
        try:
            self.con.close()
        finally:
            self.tmp.unlink(missing_ok=True)
            Path(f"{self.tmp}.wal").unlink(missing_ok=True)


def write_warehouse(tables: dict[str, list[dict]], target: Path) -> Path:
    """Write all tables at once (small builds, tests, generated warehouses)."""
    with WarehouseWriter(target) as w:
        for t in TABLES:
            w.append(t.name, tables.get(t.name, []))
    return Path(target)
