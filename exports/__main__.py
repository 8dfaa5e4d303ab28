"""`python -m exports report --county 获嘉县 --year 2024 -o FILE`: the county report without a browser."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rules.units import DEFAULT_DISPLAY_UNIT, DISPLAY_UNITS
from warehouse import paths
from warehouse.db import open_readonly


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m exports")
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("report", help="printable PDF report (A4) for one county and year")
    r.add_argument("--county", required=True)
    r.add_argument("--year", type=int, required=True)
    r.add_argument("-o", "--output", type=Path, required=True)
    r.add_argument("--db", type=Path, help="warehouse file (default: the app's current warehouse)")
    r.add_argument("--unit", choices=DISPLAY_UNITS, default=DEFAULT_DISPLAY_UNIT)
    args = ap.parse_args(argv)

    from exports.report import build_report

    db = args.db or paths.current_db_path()
    if db is None:
        print("failed: no warehouse; run `python -m etl build` first", file=sys.stderr)
        return 2
    con = open_readonly(db)
    try:
        out = build_report(con.cursor(), args.county, args.year, args.output, warehouse=Path(db).name, unit=args.unit)
    except LookupError as exc:
        print(f"failed: {exc}", file=sys.stderr)
        return 1
    finally:
        con.close()
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
