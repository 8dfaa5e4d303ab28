"""Command line: `python -m etl build [--input DIR]... [--db PATH]` and `python -m etl parse FILE`."""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path

from warehouse.paths import default_db_path, publish


def _json_default(v):
    if isinstance(v, Decimal):
        return str(v)
    raise TypeError(type(v))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m etl", description="县域社保预决算 ETL")
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="build the warehouse from .txt and .pdf disclosures")
    b.add_argument("--input", action="append", type=Path, help="file or directory (repeatable); default data/raw")
    b.add_argument("--db", type=Path, help="warehouse file to write (default: the app's warehouse)")
    p = sub.add_parser("parse", help="print what one file yields, as JSON")
    p.add_argument("file", type=Path)
    c = sub.add_parser("check", help="print the failed 勾稽 checks, most severe first")
    c.add_argument("--db", type=Path, help="warehouse file (default: the app's current warehouse)")
    args = ap.parse_args(argv)

    if args.cmd == "check":
        from warehouse.checks_report import print_failures

        return print_failures(args.db)

    if args.cmd == "parse":
        from etl.model import DocumentError
        from etl.pipeline import parse_file

        try:
            parsed = parse_file(args.file)
        except DocumentError as exc:
            print(f"{args.file.name}: failed: {exc}", file=sys.stderr)
            return 1
        out = {
            "file": parsed.file_name,
            "format": parsed.fmt,
            "doc_id": parsed.doc_id,
            **parsed.info,
            "warnings": parsed.warnings,
            **{k: v for k, v in parsed.facts.rows.items() if not k.startswith("raw_")},
        }
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1, default=_json_default)
        print()
        return 0

    from etl.build import DEFAULT_INPUT, build

    inputs = args.input or [DEFAULT_INPUT]
    target = args.db or default_db_path()
    result = build(inputs, target)
    if args.db is None:
        publish(result.db_path)
    for o in result.outcomes:
        print(f"{o.path.name}: {o.message}")
    print(
        f"{len(result.outcomes) - len(result.failed)} loaded, {len(result.failed)} failed, "
        f"{result.documents} disclosures -> {result.db_path}"
    )
    return 1 if result.failed else 0


if __name__ == "__main__":
    sys.exit(main())
