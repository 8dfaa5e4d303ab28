"""`python -m etl build`: every readable file under the inputs into one warehouse.

Flow: discover → parse each file in an isolated worker (local process pool or Dask), results
cached by content hash → group the parsed copies of each disclosure (same unit, fiscal year,
stage) → merge each group (`etl.merge`, which runs the per-document checks) and append its rows
in batches → end of the load → cross-document checks in SQL (`cross_document_checks`, a step of
this engine) → views → publish guard → atomic swap. The parent holds one small `TaskResult` per file and one
disclosure's documents at a time, so memory does not grow with the corpus, and groups are loaded
in sorted order so the order of the inputs never changes the warehouse.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from etl.checks.crossdoc import run_crossdoc_checks
from etl.engine.cache import ParseCache, default_cache_dir, parser_fingerprint
from etl.engine.limits import DEFAULT_LIMITS, Limits
from etl.engine.names import display_name
from etl.engine.stat_index import StatIndex
from etl.engine.task import TaskResult, load_entry, load_tables, restore_names
from etl.merge import merge_copies
from warehouse.build import PublishRefused, WarehouseWriter, from_ipc  # noqa: F401  (PublishRefused re-exported)
from warehouse.paths import clean_leftovers

DEFAULT_INPUT = Path(__file__).resolve().parent.parent / "data" / "raw"
try:  # the readers declare which file endings they read
    from etl.readers import READABLE_SUFFIXES as SUFFIXES
except ImportError:  # pragma: no cover - older readers
    SUFFIXES = (".txt", ".pdf")


@dataclass
class FileOutcome:
    path: Path
    ok: bool
    message: str
    cached: bool = False
    elapsed_s: float = 0.0

    @property
    def name(self) -> str:
        return display_name(self.path.name)

    @property
    def line(self) -> str:
        """The contract line: one per file, whatever its name holds."""
        return f"{self.name}: {display_name(self.message)}"


@dataclass
class BuildResult:
    outcomes: list[FileOutcome] = field(default_factory=list)
    db_path: Path | None = None
    documents: int = 0
    parsed: int = 0  # files parsed this build (the rest came from the cache)
    reused: int = 0  # disclosures copied from the previous warehouse (their files did not change)
    peak_worker_rss_mb: float = 0.0

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if not o.ok]


def discover(inputs: list[Path]) -> list[Path]:
    """Files under the inputs that a reader may read (by ending; the reader then sniffs content).
    A path given directly is always tried, whatever its name, so a missing or odd file gets its
    own failed line (uploads are given file by file: their form is known by content only)."""
    files: list[Path] = []
    for inp in inputs:
        inp = Path(inp)
        if inp.is_dir():
            files.extend(p for p in inp.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            files.append(inp)
    return sorted(set(files), key=lambda p: (p.name, str(p)))


@dataclass
class Engine:
    """How files are parsed: executor, parallelism, limits and cache."""

    jobs: int = 0  # 0: every core
    executor: str = "local"  # "local" | "dask"
    scheduler: str | None = None
    limits: Limits = DEFAULT_LIMITS
    cache_dir: Path | None = None  # None: the default cache; see etl/engine/cache.py
    use_cache: bool = True

    def n_jobs(self) -> int:
        return self.jobs or len(os.sched_getaffinity(0))


def _results(files: list[Path], engine: Engine, cache: ParseCache, index: StatIndex, on_result) -> BuildResult:
    """Run every file through the executor; unchanged files come from the cache without a worker."""
    res = BuildResult()
    results: list[TaskResult | None] = [None] * len(files)
    todo = []
    for i, p in enumerate(files):
        hit = index.lookup(p, cache) if engine.use_cache else None
        if hit is not None:
            results[i] = hit
            on_result(hit)
        else:
            todo.append((i, str(p)))
    if todo:
        for r in _execute(todo, engine, cache):
            if r.payload is not None and r.sha256:
                entry, tables = load_entry(r), load_tables(r)
                r.entry_path = str(cache.put(r.sha256, entry))
                if tables is not None:
                    r.tables_path = str(cache.put(r.sha256, tables, "tables"))
                r.payload = None
            results[r.index] = r
            index.record(Path(r.path), r)
            res.parsed += 0 if r.cached else 1
            on_result(r)
    index.save()
    res.outcomes = [FileOutcome(Path(r.path), r.ok, r.message, r.cached, r.elapsed_s) for r in results]
    res._tasks = results  # type: ignore[attr-defined]
    return res


def _execute(todo, engine: Engine, cache: ParseCache):
    if engine.executor == "dask":
        from etl.engine.dask_exec import run_dask

        yield from run_dask(todo, engine.limits, engine.scheduler, engine.n_jobs())
        return
    from etl.engine.pool import IsolatedPool

    pool = IsolatedPool(engine.n_jobs(), engine.limits, str(cache.root))
    yield from pool.run(todo)
    engine.peak_worker_rss_mb = pool.peak_worker_rss_mb  # type: ignore[attr-defined]


def _groups(tasks: list[TaskResult]) -> list[list[TaskResult]]:
    groups: dict[tuple, list[TaskResult]] = {}
    for t in tasks:
        if t.ok and t.doc_key is not None:
            groups.setdefault(t.doc_key, []).append(t)
    return [groups[k] for k in sorted(groups, key=lambda k: tuple(str(x) for x in k))]


def _load_group(group: list[TaskResult]):
    copies = []
    for t in group:
        _kind, parsed = load_entry(t)
        restore_names(parsed, t.path)
        copies.append(parsed)
    return merge_copies(copies)


def _source_file_rows(tasks: list[TaskResult], primary: dict[str, tuple[str, bool]]) -> list[dict]:
    rows = []
    for t in sorted(tasks, key=lambda t: (os.path.basename(t.path), t.path)):
        doc_id, is_primary = primary.get(t.path, (None, False))
        rows.append(
            dict(
                file_name=display_name(os.path.basename(t.path)),
                file_path=display_name(t.path),
                sha256=t.sha256,
                format=t.fmt,
                encoding=t.encoding,
                page_count=t.page_count,
                doc_id=doc_id,
                status="ok" if t.ok else "failed",
                message=display_name(t.message),
                is_primary=is_primary,
                **(t.identity or {}),
            )
        )
    return rows


def _reference_rows() -> dict[str, list[dict]]:
    try:
        from etl.reference.tables import reference_rows
    except ImportError:
        return {}
    return reference_rows()


def cross_document_checks(con) -> int:
    """The checks across documents, in SQL over the loaded warehouse (every disclosure at once),
    after the load and before the views; returns the number of check_results rows added."""
    return run_crossdoc_checks(con)


def _load_single(w: WarehouseWriter, t: TaskResult, tables: dict[str, bytes]) -> str:
    """A disclosure with one file: its rows were made by the worker; only names are set here."""
    name = display_name(os.path.basename(t.path))
    for table, data in tables.items():
        w.append_arrow(table, from_ipc(data), source_file=name, primary_file=name)
    return t.doc_id


def _base_files(base: Path | None) -> dict[str, tuple[str, str, bool]]:
    """file_path -> (sha256, doc_id, is_primary) of the loaded files of an earlier warehouse, when
    its documents came from this very parser; empty when it cannot be reused (none, unreadable,
    another parser or schema)."""
    if base is None or not Path(base).is_file():
        return {}
    import duckdb

    try:
        with duckdb.connect(str(base), read_only=True) as con:
            fp = con.execute("SELECT value FROM meta_build WHERE key = 'parser_fingerprint'").fetchone()
            if fp is None or fp[0] != parser_fingerprint():
                return {}
            rows = con.execute(
                "SELECT file_path, sha256, doc_id, is_primary FROM core_source_files WHERE doc_id IS NOT NULL"
            ).fetchall()
    except duckdb.Error:
        return {}
    return {path: (sha, doc_id, bool(is_primary)) for path, sha, doc_id, is_primary in rows}


def _reused(group: list[TaskResult], base_files: dict, files_of: Counter) -> str | None:
    """The earlier warehouse's document for exactly these files with exactly these bytes."""
    seen = [base_files.get(display_name(t.path)) for t in group]
    if not all(seen) or any(b[0] != t.sha256 for b, t in zip(seen, group)):
        return None
    doc_ids = {b[1] for b in seen}
    if len(doc_ids) != 1:
        return None
    doc_id = doc_ids.pop()
    return doc_id if files_of[doc_id] == len(group) else None


def _base_documents(add_to: Path | None) -> set[str]:
    """Every disclosure of the warehouse an incremental build adds to (whatever built it)."""
    if add_to is None:
        return set()
    import duckdb

    with duckdb.connect(str(add_to), read_only=True) as con:
        return {r[0] for r in con.execute("SELECT doc_id FROM core_documents").fetchall()}


def load(
    tasks: list[TaskResult],
    db_path: Path,
    accept: Callable | None = None,
    base: Path | None = None,
    add_to: Path | None = None,
) -> tuple[int, int]:
    """Merge and load every disclosure, one group at a time; a disclosure whose files are unchanged
    since `base` (an earlier warehouse) is copied from it in SQL instead. With `add_to`, every
    disclosure of that warehouse is copied too, except those the new files make anew (an upload
    into a national warehouse parses only the upload). Returns the number of disclosures in the
    new warehouse and how many of them were copied."""
    primary: dict[str, tuple[str, bool]] = {}
    groups = _groups(tasks)
    base_files = _base_files(base)
    files_of = Counter(b[1] for b in base_files.values())
    reuse = {i: doc_id for i, g in enumerate(groups) if (doc_id := _reused(g, base_files, files_of))}
    kept = _base_documents(add_to) - {g[0].doc_id for g in groups}
    with WarehouseWriter(db_path) as w:
        w.accept = accept
        w.append_all(_reference_rows())
        w.append("meta_build", [dict(key="parser_fingerprint", value=parser_fingerprint())])
        if reuse:
            w.copy_documents(Path(base), list(reuse.values()))
        if kept:
            w.copy_documents(Path(add_to), sorted(kept), source_files_except=[display_name(t.path) for t in tasks])
        for i, group in enumerate(groups):
            if i in reuse:
                for t in group:
                    primary[t.path] = (reuse[i], base_files[display_name(t.path)][2])
                continue
            tables = load_tables(group[0]) if len(group) == 1 else None
            if tables is not None:
                primary[group[0].path] = (_load_single(w, group[0], tables), True)
                continue
            chosen, rows = _load_group(group)
            for t in group:
                primary[t.path] = (chosen.doc_id, t.path == chosen.path)
            w.append_all(rows)
        w.append("core_source_files", _source_file_rows(tasks, primary))
        cross_document_checks(w.end_load())
    return len(groups) + len(kept), len(reuse) + len(kept)


def _base_copies(tasks: list[TaskResult], add_to: Path | None) -> list[Path]:
    """Files of `add_to` that disclose what a new file discloses too (same unit, year, stage):
    they are merged with it, as a full rebuild would, when they are still on disk."""
    new_ids = sorted({t.doc_id for t in tasks if t.ok and t.doc_id})
    if add_to is None or not new_ids:
        return []
    import duckdb
    import pyarrow as pa

    with duckdb.connect(str(add_to), read_only=True) as con:
        con.register("_new", pa.table({"doc_id": new_ids}))
        rows = con.execute(
            "SELECT file_path FROM core_source_files WHERE doc_id IN (SELECT doc_id FROM _new)"
        ).fetchall()
    have = {display_name(t.path) for t in tasks}
    return sorted({Path(r[0]) for r in rows if r[0] not in have and Path(r[0]).is_file()})


def build(
    inputs: list[Path],
    db_path: Path,
    progress: Callable[[int, int, str], None] | None = None,
    engine: Engine | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
    accept: Callable | None = None,
    base: Path | None = None,
    add_to: Path | None = None,
) -> BuildResult:
    """Parse and load; `accept(con)` may veto publishing (return a reason) before the swap.
    `base`, an earlier warehouse, lends the rows of disclosures whose files did not change (only
    with the cache on: `--no-cache` asks for everything anew). `add_to`, the current warehouse,
    makes the build incremental: the inputs are added to everything it holds (an upload)."""
    engine = engine or Engine()
    files = discover(inputs)
    clean_leftovers(Path(db_path).parent)
    staging = None
    if engine.use_cache:
        root = Path(engine.cache_dir or default_cache_dir())
    else:
        staging = tempfile.TemporaryDirectory(prefix="shebao-etl-")
        root = Path(staging.name)
    cache = ParseCache(root)
    index = StatIndex(root, enabled=engine.use_cache)
    done = 0

    def on_result(r: TaskResult) -> None:
        nonlocal done
        done += 1
        if on_file:
            on_file(FileOutcome(Path(r.path), r.ok, r.message, r.cached, r.elapsed_s))
        if progress:
            progress(done, len(files), display_name(os.path.basename(r.path)))

    try:
        result = _results(files, engine, cache, index, on_result)
        result.peak_worker_rss_mb = getattr(engine, "peak_worker_rss_mb", 0.0)
        tasks = result._tasks  # type: ignore[attr-defined]
        if more := _base_copies(tasks, add_to):
            tasks = tasks + _results(more, engine, cache, index, lambda r: None)._tasks  # type: ignore[attr-defined]
        result.documents, result.reused = load(
            tasks, Path(db_path), accept, base if engine.use_cache else None, add_to=add_to
        )
        result.db_path = Path(db_path)
    finally:
        if staging is not None:
            staging.cleanup()
    return result
