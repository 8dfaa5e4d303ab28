"""ETL speed and memory: builds of the text samples and of the PDF samples, against pdfplumber's
own time to open the same PDFs and extract their tables and text (the baseline).

Each measurement runs in a fresh subprocess so peak RSS is its own. Prints figures; asserts nothing.
Usage: .venv/bin/python benchmarks/etl.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"

CHILD = r"""
import json, resource, sys, time, logging
sys.path.insert(0, sys.argv[1])
kind, files = sys.argv[2], sys.argv[3:]
t0 = time.perf_counter()
if kind == "baseline":
    import pdfplumber
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    pages = 0
    for f in files:
        with pdfplumber.open(f) as pdf:
            for page in pdf.pages:
                page.extract_tables()
                page.extract_text()
                pages += 1
                page.close()
    extra = {"pages": pages}
else:
    from pathlib import Path
    from etl.build import build
    import tempfile
    db = Path(tempfile.mkdtemp()) / "w.duckdb"
    res = build([Path(f) for f in files], db)
    extra = {"failed": len(res.failed), "documents": res.documents}
wall = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"wall_s": wall, "peak_mib": peak, **extra}))
"""


def run(kind: str, files: list[Path]) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(ROOT), kind, *map(str, files)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    texts = sorted(RAW.glob("*.txt"))
    pdfs = sorted(RAW.glob("*.pdf"))
    rows = {}
    for label, kind, files in [
        ("text build (5 files)", "build", texts),
        ("PDF build (5 files)", "build", pdfs),
        ("pdfplumber baseline (same PDFs)", "baseline", pdfs),
    ]:
        runs = [run(kind, files) for _ in range(args.repeat)]
        wall = statistics.median(r["wall_s"] for r in runs)
        peak = max(r["peak_mib"] for r in runs)
        rows[label] = wall
        print(
            f"{label:34s} median {wall:6.2f} s  (min {min(r['wall_s'] for r in runs):.2f})  "
            f"peak RSS {peak:6.0f} MiB  {json.dumps({k: v for k, v in runs[0].items() if k not in ('wall_s', 'peak_mib')})}"
        )
    ratio = rows["PDF build (5 files)"] / rows["pdfplumber baseline (same PDFs)"]
    print(f"PDF build / baseline = {ratio:.2f}x   (goal <= 1.3x); text build goal < 2 s")


if __name__ == "__main__":
    main()
