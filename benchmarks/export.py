"""Export timings: a warm PNG export of a dashboard chart (kaleido server already started) and
the PDF report for one county. Prints figures; asserts nothing.
Usage: .venv/bin/python benchmarks/export.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    import duckdb

    from etl.build import build
    from exports.content import brief_chart, county_brief
    from exports.render import to_image
    from exports.report import build_report

    tmp = Path(tempfile.mkdtemp())
    db = build([ROOT / "data" / "raw"], tmp / "w.duckdb").db_path
    con = duckdb.connect(str(db), read_only=True)
    fig = brief_chart(county_brief(con.cursor(), "获嘉县", 2024))
    t = time.perf_counter()
    to_image(fig, "png")
    cold = time.perf_counter() - t
    warm = []
    for _ in range(args.runs):
        t = time.perf_counter()
        to_image(fig, "png")
        warm.append(time.perf_counter() - t)
    svg = []
    for _ in range(args.runs):
        t = time.perf_counter()
        to_image(fig, "svg")
        svg.append(time.perf_counter() - t)
    reports = []
    for i in range(max(3, args.runs // 3)):
        t = time.perf_counter()
        build_report(con.cursor(), "获嘉县", 2024, tmp / f"r{i}.pdf", warehouse=db.name)
        reports.append(time.perf_counter() - t)
    print(f"PNG export, first (starts kaleido/chromium): {cold * 1000:7.0f} ms")
    print(
        f"PNG export, warm (2x, 1200x520):  median {statistics.median(warm) * 1000:6.0f} ms  max {max(warm) * 1000:6.0f} ms"
    )
    print(f"SVG export, warm:                 median {statistics.median(svg) * 1000:6.0f} ms")
    print(
        f"PDF report 获嘉县 2024 (A4, chromium): median {statistics.median(reports):5.2f} s  "
        f"({(tmp / 'r0.pdf').stat().st_size / 1024:.0f} KiB)"
    )


if __name__ == "__main__":
    main()
