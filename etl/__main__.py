"""Command line: `python -m etl build|parse|check` (see README and docs/etl.md)."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from decimal import Decimal
from pathlib import Path

from etl.engine.limits import DEFAULT_LIMITS, Limits
from etl.engine.names import display_name
from etl.service import MAX_LOSS, build_lock, default_inputs, publish_guard
from etl.uploads import is_storage_fault
from warehouse.paths import current_db_path, default_db_path, publish


def _json_default(v):
    if isinstance(v, Decimal):
        return str(v)
    raise TypeError(type(v))


def _limit_flags(p: argparse.ArgumentParser) -> None:
    d = DEFAULT_LIMITS
    p.add_argument("--timeout", type=float, default=d.timeout_s, help=f"seconds per file (default {d.timeout_s:g})")
    p.add_argument("--memory-mb", type=int, default=d.memory_mb, help=f"MiB per worker (default {d.memory_mb})")
    p.add_argument("--max-mb", type=int, default=d.max_bytes // 2**20, help="largest file in MiB (default 64)")
    p.add_argument("--max-pages", type=int, default=d.max_pages, help=f"most PDF pages (default {d.max_pages})")


def _limits(args) -> Limits:
    return Limits(args.timeout, args.memory_mb, args.max_mb * 2**20, args.max_pages)


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m etl", description="县域社保预决算 ETL")
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="build the warehouse from disclosures")
    b.add_argument(
        "--input",
        action="append",
        type=Path,
        help="file or directory (repeatable); default data/raw and every accepted upload",
    )
    b.add_argument("--db", type=Path, help="warehouse file to write (default: the app's warehouse)")
    b.add_argument("--jobs", type=int, default=0, help="worker processes (default: every core)")
    b.add_argument("--executor", choices=("local", "dask"), default="local")
    b.add_argument("--scheduler", help="Dask scheduler address (default with --executor dask: a LocalCluster)")
    b.add_argument("--no-cache", action="store_true", help="parse every file again; do not use the parse cache")
    b.add_argument(
        "--cache-dir", type=Path, help="parse cache folder (default $SHEBAO_ETL_CACHE or ~/.cache/shebao-etl)"
    )
    b.add_argument("--force", action="store_true", help="publish even if the build lost disclosures")
    b.add_argument("--max-loss", type=float, default=MAX_LOSS, help="refuse a build losing more than this share")
    _limit_flags(b)
    p = sub.add_parser("parse", help="print what one file yields, as JSON")
    p.add_argument("file", type=Path)
    _limit_flags(p)
    c = sub.add_parser("check", help="print the failed 勾稽 checks, most severe first")
    c.add_argument("--db", type=Path, help="warehouse file (default: the app's current warehouse)")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.cmd == "check":
        return _check(args)
    if args.cmd == "parse":
        return _parse(args)
    return _build(args)


def _check(args) -> int:
    import duckdb

    from warehouse.checks_report import print_failures

    try:
        return print_failures(args.db)
    except (duckdb.Error, OSError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"{display_name(str(args.db))}: not a readable warehouse: {first}", file=sys.stderr)
        return 2


def _parse(args) -> int:
    from etl.engine.pool import IsolatedPool
    from etl.engine.task import load_entry

    res = next(IsolatedPool(1, _limits(args), None, want_payload=True).run([(0, str(args.file))]))
    name = display_name(args.file.name)
    if not res.ok:
        print(f"{name}: {display_name(res.message)}", file=sys.stderr)
        return 1
    _kind, parsed = load_entry(res)
    out = {
        "file": name,
        "format": parsed.fmt,
        "doc_id": parsed.doc_id,
        **parsed.info,
        "warnings": parsed.warnings,
        **{k: v for k, v in parsed.facts.rows.items() if not k.startswith("raw_")},
    }
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1, default=_json_default)
    print()
    return 0


EXIT_STORAGE = 4  # the disk filled (or failed) while the warehouse was written; nothing was replaced


def _build(args) -> int:
    from etl.build import Engine, discover
    from etl.engine.progress import Progress

    inputs = args.input or default_inputs()
    missing = [i for i in inputs if not i.exists()]
    for i in missing:
        print(f"{display_name(str(i))}: failed: no such file or directory", file=sys.stderr)
    if missing and len(missing) == len(inputs):
        return 2
    target = args.db or default_db_path()
    engine = Engine(args.jobs, args.executor, args.scheduler, _limits(args), args.cache_dir, not args.no_cache)
    bar = Progress(len(discover(inputs)))
    # Publishing to the app's warehouse: one build at a time (uploads and first start take it too).
    lock = build_lock() if args.db is None else contextlib.nullcontext()
    try:
        with lock:
            result = _run_build(args, inputs, target, engine, bar)
    except Exception as exc:  # every fault of the build is one line and an exit code, never a traceback
        bar.close()
        code, line = _fault(exc, target)
        print(line, file=sys.stderr)
        return code
    bar.close()
    reused = f" ({result.reused} unchanged, copied from the previous warehouse)" if result.reused else ""
    print(
        f"{len(result.outcomes) - len(result.failed)} loaded, {len(result.failed)} failed, "
        f"{result.documents} disclosures{reused}, {result.parsed} parsed (rest cached) -> {result.db_path}"
    )
    return 1 if result.failed else 0


def _fault(exc: Exception, target: Path) -> tuple[int, str]:
    """(exit code, the one line) for a build that did not publish; the previous warehouse is kept."""
    import duckdb

    from etl.build import PublishRefused

    kept = "the previous warehouse is kept"
    if isinstance(exc, TimeoutError):
        return 3, f"not published: {exc}"
    if isinstance(exc, PublishRefused):
        return 3, f"not published: {exc}; {kept} (--force publishes anyway)"
    if is_storage_fault(exc):
        first = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        return EXIT_STORAGE, f"{display_name(str(target))}: not published: out of disk space ({first}); {kept}"
    if isinstance(exc, OSError):
        return 2, f"{display_name(str(target))}: cannot write the warehouse: {exc.strerror or exc}"
    if isinstance(exc, duckdb.Error):
        first = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        return EXIT_STORAGE, f"{display_name(str(target))}: not published: the warehouse write failed ({first}); {kept}"
    raise exc


def _run_build(args, inputs, target, engine, bar):
    from etl.build import build

    baseline = args.db if args.db is not None else current_db_path()  # read under the lock
    result = build(
        inputs,
        target,
        engine=engine,
        on_file=lambda o: bar.update(o.ok, o.line),
        accept=None if args.force else publish_guard(baseline, args.max_loss),
        base=baseline,
    )
    if args.db is None:
        publish(result.db_path)
    return result


if __name__ == "__main__":
    sys.exit(main())
