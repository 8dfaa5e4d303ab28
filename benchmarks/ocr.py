"""OCR cost, printed as figures (asserts nothing): CPU-seconds per page of the whole parse of
each sample's scan (tests/scans.py: the scans tests/integration/test_scans.py reads, and 获嘉's
bundled PDF as a clean 144 dpi image PDF), and the time to refuse a textless PDF of blank pages.
Each parse runs in a fresh subprocess; CPU is user + system of every thread.

Usage: .venv/bin/python benchmarks/ocr.py [--only yanchi,huojia] [--blank 599] [--engine v1] [--upright]
(--upright: the same scans with every page fed upright, to price the pages turned upright).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from etl.model import DocumentError
from etl.pipeline import parse_file
import etl.readers.ocr as ocr
if sys.argv[3] == "v1":
    ocr._engine_v3 = lambda: None  # rapidocr-onnxruntime 1.4 even where 3.x is installed
ocr._engine()  # models loaded before the clock starts, as in a build worker
r0, w0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
try:
    p = parse_file(Path(sys.argv[2]))
    pages, outcome = p.page_count, "; ".join(p.warnings)
except DocumentError as exc:
    pages, outcome = None, f"refused: {exc}"
r1 = resource.getrusage(resource.RUSAGE_SELF)
cpu = r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime
print(json.dumps({"cpu": cpu, "wall": time.perf_counter() - w0, "pages": pages, "outcome": outcome}))
"""


def measure(pdf: Path, engine: str = "auto") -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(ROOT), str(pdf), engine], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def blank_pdf(path: Path, pages: int) -> Path:
    """Scans of empty sheets: one grey-white, noisy 150 dpi JPEG on every page (stored once)."""
    import io

    import numpy as np
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    sheet = np.random.default_rng(0).normal(240, 5, (1754, 1240)).clip(0, 255).astype("uint8")
    buf = io.BytesIO()
    Image.fromarray(sheet).save(buf, "JPEG", quality=60)
    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(pages):
        buf.seek(0)
        c.drawImage(ImageReader(buf), 0, 0, *A4)
        c.showPage()
    c.save()
    return path


def main() -> None:
    from tests.conftest import RAW, STEMS
    from tests.forms import to_scanned_pdf
    from tests.integration.test_scans import SCANS
    from tests.scans import landscape_pdf, scan_pdf

    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="")
    ap.add_argument("--blank", type=int, default=599)
    ap.add_argument("--engine", choices=["auto", "v1"], default="auto", help="v1: rapidocr-onnxruntime 1.4")
    ap.add_argument("--upright", action="store_true", help="every page fed upright (no sideways or upside-down page)")
    a = ap.parse_args()
    names = [n for n in ["huojia", *SCANS] if not a.only or n in a.only.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for name in names:
            if name == "huojia":
                pdf = to_scanned_pdf(RAW / f"{STEMS[name]}.pdf", out / "huojia.scan.pdf")
            else:
                landscape, spec = SCANS[name]
                spec = dataclasses.replace(spec, turns=()) if a.upright else spec
                src = landscape_pdf(RAW / f"{STEMS[name]}.txt", out) if landscape else RAW / f"{STEMS[name]}.pdf"
                pdf = scan_pdf(src, out / f"{name}.scan.pdf", spec)
            m = measure(pdf, a.engine)
            print(
                f"{a.engine:4s} {name:8s} {m['pages']:3d} pages  {m['cpu'] / m['pages']:5.2f} CPU-s/page  "
                f"{m['wall'] / m['pages']:5.2f} s/page wall  ({m['outcome']})",
                flush=True,
            )
        if a.blank:
            m = measure(blank_pdf(out / "blank.pdf", a.blank))
            print(f"blank    {a.blank:3d} pages  {m['cpu']:5.2f} CPU-s  {m['wall']:5.2f} s wall  ({m['outcome']})")


if __name__ == "__main__":
    main()
