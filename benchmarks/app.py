"""Server-side time of each page's script run on the sample warehouse (median and p95).

Uses streamlit.testing.v1.AppTest, which runs the page script in-process exactly as the server
does, minus the network. The warehouse is built once into a temporary directory first.
Usage: .venv/bin/python benchmarks/app.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PAGES = ["overview", "yoy", "structure", "pension", "sangong", "projects", "checks", "sources", "meeting"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    os.environ["SHEBAO_WAREHOUSE_DIR"] = str(tmp)
    from etl.build import build
    from warehouse import paths

    paths.DATA_DIR = tmp
    res = build([ROOT / "data" / "raw"], tmp / "warehouse-bench.duckdb")
    paths.publish(res.db_path)

    from streamlit.testing.v1 import AppTest

    print(f"{'page':10s} {'median ms':>10s} {'p95 ms':>8s}  (runs={args.runs}, after one warm-up run)")
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.run()
        if page != "overview":
            at.switch_page(f"pages/{page}.py")
        at.run()  # warm-up: caches, imports
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - t) * 1000)
            assert not at.exception, at.exception
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        print(f"{page:10s} {statistics.median(times):10.0f} {p95:8.0f}")


if __name__ == "__main__":
    main()
