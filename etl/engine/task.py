"""One file's work, run inside an isolated worker: read once, hash once, parse unless cached,
validate every row against the warehouse schema, store the result in the cache.

The parent only ever sees a small `TaskResult`; the parsed document stays in the cache file until
the loader reads it back for its disclosure, so nothing grows with the corpus in the parent.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from dataclasses import dataclass
from pathlib import Path

from etl.engine.cache import ParseCache
from etl.engine.limits import Limits
from etl.model import DocumentError

# What a file says of itself, kept with its outcome (core_source_files): a page that names its unit,
# year and stage but keeps its tables in an attachment is refused, yet it shows the unit published.
FILE_IDENTITY = ("unit_name", "fiscal_year", "stage", "adcode", "county")


@dataclass
class TaskResult:
    index: int
    path: str
    ok: bool
    message: str
    sha256: str | None = None
    size: int | None = None
    cached: bool = False
    retryable: bool = False  # a limit was hit (time, memory): never cached
    doc_key: tuple | None = None
    doc_id: str | None = None
    fmt: str | None = None
    encoding: str | None = None
    page_count: int | None = None
    elapsed_s: float = 0.0
    entry_path: str | None = None  # the cache file holding the parsed document
    tables_path: str | None = None  # the cache file holding its warehouse rows as Arrow IPC
    payload: bytes | None = None  # the pickled entry, for executors without a shared cache folder
    identity: dict | None = None  # FILE_IDENTITY as read, for a loaded file or a refusal that names itself


def _ok_message(parsed) -> str:
    i = parsed.info
    warn = f" ({len(parsed.warnings)} warnings: {parsed.warnings[0]})" if parsed.warnings else ""
    return f"ok: {i['unit_name']} {i['fiscal_year']} {i['stage']}{warn}"


def _pdf_precheck(data: bytes, limits: Limits) -> None:
    """Refuse encrypted, damaged and oversized PDFs with a reason before any parser runs."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        text = str(exc).lower()
        if "password" in text:
            raise DocumentError("encrypted PDF: a password is required to open it") from None
        raise DocumentError(f"corrupt or truncated PDF ({exc})") from None
    try:
        n = len(pdf)
    finally:
        pdf.close()
    if n > limits.max_pages:
        raise DocumentError(f"too many pages: {n} > cap {limits.max_pages} (raise it with --max-pages)")
    if n == 0:
        raise DocumentError("corrupt or truncated PDF (no pages)")


def _parse(path: Path, data: bytes, limits: Limits):
    from etl.pipeline import parse_document
    from etl.readers import read_document
    from warehouse.build import rows_problem

    if data[:1024].lstrip().startswith(b"%PDF"):
        _pdf_precheck(data, limits)
    parsed = parse_document(read_document(path), data)
    if why := rows_problem(parsed.facts.rows):
        raise DocumentError(f"value out of range: {why}")
    return parsed


def _read(path: Path, limits: Limits) -> bytes:
    if not path.exists():
        raise DocumentError("no such file")
    if path.is_dir():
        raise DocumentError("is a directory, not a file")
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise DocumentError(f"file too large: {_size(size)} > cap {_size(limits.max_bytes)} (raise it with --max-mb)")
    return path.read_bytes()


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MiB" if n >= 2**20 else f"{n / 1024:.1f} KiB" if n >= 1024 else f"{n} bytes"


def _identity(info: dict | None) -> dict | None:
    return {k: info.get(k) for k in FILE_IDENTITY} if info else None


def _from_entry(res: TaskResult, entry) -> TaskResult:
    """A failed entry is (failed, message) or (failed, message, identity the file states)."""
    kind, value = entry[0], entry[1]
    if kind == "failed":
        res.ok, res.message = False, value
        res.identity = entry[2] if len(entry) > 2 else None
        return res
    res.ok, res.message, res.identity = True, _ok_message(value), _identity(value.info)
    res.doc_key, res.doc_id = value.doc_key, value.doc_id
    res.fmt, res.encoding, res.page_count = value.fmt, value.encoding, value.page_count
    return res


def run_task(index: int, path_str: str, limits: Limits, cache_root: str | None, want_payload: bool) -> TaskResult:
    """Parse one file (or take it from the cache); every failure becomes a message, never a raise."""
    t0 = time.perf_counter()
    path = Path(path_str)
    res = TaskResult(index=index, path=path_str, ok=False, message="")
    cache = ParseCache(Path(cache_root)) if cache_root else None
    try:
        data = _read(path, limits)
    except DocumentError as exc:
        res.message = f"failed: {exc}"
        return res
    except OSError as exc:
        res.message = f"failed: cannot read the file ({exc.strerror or exc})"
        return res
    res.sha256, res.size = hashlib.sha256(data).hexdigest(), len(data)
    if cache and (limit := cache.get(res.sha256, limits.cache_kind())) is not None:
        res.cached, res.retryable, res.message = True, True, f"failed: {limit[1]}"
        res.elapsed_s = time.perf_counter() - t0
        return res  # it met a time or memory limit before, under these limits
    entry = cache.get(res.sha256) if cache else None
    tables = cache.get(res.sha256, "tables") if cache and entry is not None and entry[0] == "ok" else None
    res.cached = entry is not None and (entry[0] == "failed" or tables is not None)
    if not res.cached:
        entry = _parse_entry(path, data, limits)
        tables = _tables_entry(entry)
        if isinstance(tables, str):
            entry, tables = ("failed", tables), None
        if cache:
            cache.put(res.sha256, entry)
            if tables is not None:
                cache.put(res.sha256, tables, "tables")
    if cache:
        res.entry_path = str(cache.path(res.sha256))
        res.tables_path = str(cache.path(res.sha256, "tables")) if tables is not None else None
    _from_entry(res, entry)
    if not res.ok:
        res.message = f"failed: {res.message}"
    if want_payload:
        res.payload = pickle.dumps((entry, tables), protocol=pickle.HIGHEST_PROTOCOL)
    res.elapsed_s = time.perf_counter() - t0
    return res


def _tables_entry(entry) -> dict[str, bytes] | str | None:
    """The document's warehouse rows as if it had no copies (what `merge_copies` gives for one
    copy), as Arrow IPC per table; the file-name columns are filled in by the loader. The merge
    runs the per-document checks, here in the worker, and keeps them on the parsed document, which
    is cached after this: a merge of copies in the parent reuses them. Returns a reason string when
    the rows cannot be converted."""
    if entry[0] != "ok":
        return None
    from etl.merge import document_checks, merge_copies
    from warehouse.build import to_ipc

    parsed = entry[1]
    try:  # the merge's checks, first: a check that breaks on a document is reported as a bug
        document_checks(parsed)
    except Exception as exc:
        return f"unexpected {type(exc).__name__}: {_one_line(str(exc))}"
    try:
        _primary, rows = merge_copies([parsed])
        return {t: to_ipc(t, r) for t, r in rows.items() if r}
    except Exception as exc:  # a value that fits no column after checks: the file fails, alone
        return f"value out of range in derived rows: {type(exc).__name__}: {_one_line(str(exc))}"


def _parse_entry(path: Path, data: bytes, limits: Limits):
    try:
        parsed = _parse(path, data, limits)
    except DocumentError as exc:  # a refusal that still read who published (NoFiguresError) says so
        stated = _identity(getattr(exc, "info", None))
        return ("failed", str(exc), stated) if stated else ("failed", str(exc))
    except RecursionError:
        return ("failed", "unexpected RecursionError: structure nested too deeply")
    except Exception as exc:  # a parser bug must not stop the other files
        if type(exc).__name__ == "PdfiumError":  # pdfium refuses a damaged page or object
            return ("failed", f"damaged PDF: {_one_line(str(exc))}")
        return ("failed", f"unexpected {type(exc).__name__}: {_one_line(str(exc))}")
    # The cached document must not remember where it was first seen: copies have other names.
    parsed.path, parsed.file_name = "", ""
    return ("ok", parsed)


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def load_entry(result: TaskResult):
    """The cached entry for a result: from its payload or its cache file."""
    if result.payload is not None:
        return pickle.loads(result.payload)[0]
    with open(result.entry_path, "rb") as f:
        return pickle.load(f)


def load_tables(result: TaskResult) -> dict[str, bytes] | None:
    if result.payload is not None:
        return pickle.loads(result.payload)[1]
    if result.tables_path is None:
        return None
    with open(result.tables_path, "rb") as f:
        return pickle.load(f)


def restore_names(parsed, path: str) -> None:
    from etl.engine.names import display_name

    parsed.path = path
    parsed.file_name = display_name(os.path.basename(path))
