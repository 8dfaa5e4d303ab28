"""Reader speed per input form, printed as figures (asserts nothing).

Every sample is rendered into every form (tests/forms.py); each file is read (`read_document`)
and parsed (`parse_file`) three times in this process and the median is printed, with the file
size. `--ocr N` also OCRs N pages of 获嘉's PDF rendered to images (slow: ~18 s CPU a page).

Usage: .venv/bin/python benchmarks/forms.py [--ocr 1]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.pipeline import parse_file  # noqa: E402
from etl.readers import read_document  # noqa: E402
from tests.conftest import RAW, STEMS  # noqa: E402
from tests.forms import to_scanned_pdf, write_forms  # noqa: E402


def _median(fn, path: Path, n: int = 3) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn(path)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ocr", type=int, default=0, help="pages of a scanned sample to OCR")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"{'sample':8} {'form':12} {'KiB':>7} {'read s':>7} {'parse s':>8}")
        totals: dict[str, list[float]] = {}
        for name, stem in STEMS.items():
            paths = {"text": RAW / f"{stem}.txt", "pdf": RAW / f"{stem}.pdf"}
            paths.update(write_forms(RAW / f"{stem}.txt", folder))
            for form, path in paths.items():
                r, p = _median(read_document, path), _median(parse_file, path)
                totals.setdefault(form, []).append(p)
                print(f"{name:8} {form:12} {path.stat().st_size / 1024:7.0f} {r:7.3f} {p:8.3f}")
        print("\nparse time per form, all 5 samples:", ", ".join(f"{f} {sum(v):.2f} s" for f, v in totals.items()))
        if args.ocr:
            scan = to_scanned_pdf(
                RAW / f"{STEMS['huojia']}.pdf", folder / "scan.pdf", pages=list(range(1, 1 + args.ocr))
            )
            t, c = time.perf_counter(), time.process_time()
            doc = read_document(scan)
            wall, cpu = time.perf_counter() - t, time.process_time() - c
            print(f"OCR {args.ocr} page(s): {wall:.1f} s wall, {cpu:.1f} s CPU, {len(doc.blocks)} blocks")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
