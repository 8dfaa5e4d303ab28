"""Parse time and peak memory against input size: one text line of N tab cells, text files of N MB
(a sample's tables repeated), and one PDF page drawing N short strings.

Each size runs in a fresh subprocess (peak RSS is its own). The caps in etl/limits.py are lifted
for the text rows and files (`--no-caps`, the default) so the growth of the parsers themselves
shows; with `--caps` the same inputs show what the caps refuse and how fast. Prints a table;
asserts nothing. Usage: .venv/bin/python benchmarks/parse_scaling.py [--caps] [--quick]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "raw" / "003_988a4e9ed8c6212e.txt"
POOL = ["合计", "产出指标", "数量指标", "人数", "≥100人", "1,234.56", "2080505", "", "abc", "社会保险", "0.00", "-"]

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from etl import limits
if sys.argv[3] == "nocaps":
    limits.MAX_ROW_CELLS = limits.MAX_LINE_CHARS = limits.MAX_TEXT_CHARS = limits.MAX_TEXT_BYTES = 10**12
from etl.model import DocumentError
from etl.pipeline import parse_file
t0 = time.perf_counter()
try:
    parse_file(sys.argv[2]); outcome = "parsed"
except DocumentError as exc:
    outcome = "refused: " + str(exc)[:70]
wall = time.perf_counter() - t0
print(json.dumps({"wall_s": wall, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "outcome": outcome}))
"""


def _run(path: Path, caps: bool) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(ROOT), str(path), "caps" if caps else "nocaps"],
        capture_output=True,
        text=True,
        check=True,
        timeout=1800,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _row_file(tmp: Path, n: int) -> Path:
    path = tmp / f"row{n}.txt"
    cells = [POOL[(i * 7 + i // 5) % len(POOL)] for i in range(n)]
    path.write_text(SAMPLE.read_text(encoding="utf-8") + "\n" + "\t".join(cells) + "\n", encoding="utf-8")
    return path


def _big_file(tmp: Path, megabytes: float) -> Path:
    """The sample with its table rows repeated until the file reaches the size."""
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    rows = [ln for ln in lines if "\t" in ln]
    size, target = len("\n".join(lines).encode()), int(megabytes * 1_000_000)
    per = len("\n".join(rows).encode()) + 1
    repeat = max(1, (target - size) // per + 1)
    out, done = [], False
    for ln in lines:
        out.append(ln)
        if "\t" in ln and not done:
            out.extend(rows * repeat)
            done = True
    path = tmp / f"big{megabytes}.txt"
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def _flood_pdf(tmp: Path, n: int) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp / f"flood{n}.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("STSong-Light", 6)
    c.drawString(60, 800, "2024年部门预算公开")
    for i in range(n):
        c.drawString(20 + (i * 37) % 500, 20 + (i * 7) % 760, "社保1.0")
    c.showPage()
    c.save()
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--caps", action="store_true", help="keep the caps of etl/limits.py")
    ap.add_argument("--quick", action="store_true", help="smaller sizes")
    args = ap.parse_args()
    rows = [1_000, 8_000, 20_000] if args.quick else [1_000, 8_000, 20_000, 100_000, 500_000]
    sizes = [0.5, 1, 2] if args.quick else [0.5, 1, 2, 5, 20]
    floods = [2_000, 20_000] if args.quick else [2_000, 20_000, 200_000]
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        print(f"{'input':<34}{'size':>12}{'wall s':>10}{'peak MiB':>10}  outcome")
        for n in rows:
            path = _row_file(tmp, n)
            r = _run(path, args.caps)
            print(f"{'text: one row of N cells':<34}{n:>12,}{r['wall_s']:>10.2f}{r['peak_mib']:>10.0f}  {r['outcome']}")
        for mb in sizes:
            path = _big_file(tmp, mb)
            r = _run(path, args.caps)
            size = f"{path.stat().st_size / 1e6:.1f} MB"
            print(f"{'text: file of N MB':<34}{size:>12}{r['wall_s']:>10.2f}{r['peak_mib']:>10.0f}  {r['outcome']}")
        for n in floods:
            path = _flood_pdf(tmp, n)
            r = _run(path, True)
            print(
                f"{'pdf: one page, N strings drawn':<34}{n:>12,}{r['wall_s']:>10.2f}{r['peak_mib']:>10.0f}  {r['outcome']}"
            )


if __name__ == "__main__":
    main()
