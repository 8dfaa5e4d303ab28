"""ETL speed and memory, printed as figures (asserts nothing). Each measurement runs in a fresh
subprocess so its peak RSS is its own: `parent` is the build process (merging and loading),
`worker` the largest parse worker.

Suites (default: all but `memory10k`):
  samples    the 5 text and 5 PDF samples, and pdfplumber's own time on the same PDFs
  scaling    N synthetic text disclosures (benchmarks/corpus.py) with 1 and 2 processes
  rebuild    a cached rebuild after changing one of N files, against the clean build
  dask       the same N files through a 2-worker Dask LocalCluster
  memory     peak RSS for 1,000 and 10,000 disclosures (--sizes)

Usage: .venv/bin/python benchmarks/etl.py [--suite NAME]... [--n 2000] [--sizes 1000,10000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, resource, sys, time, logging
sys.path.insert(0, sys.argv[1])
kind, args = sys.argv[2], json.loads(sys.argv[3])
t0 = time.perf_counter()
extra = {}
if kind == "baseline":
    import pdfplumber
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    pages = 0
    for f in args["files"]:
        with pdfplumber.open(f) as pdf:
            for page in pdf.pages:
                page.extract_tables(); page.extract_text(); pages += 1; page.close()
    extra = {"pages": pages}
else:
    from pathlib import Path
    from etl.build import Engine, build
    eng = Engine(jobs=args["jobs"], executor=args.get("executor", "local"),
                 cache_dir=args.get("cache"), use_cache=args.get("cache") is not None)
    base = Path(args["base"]) if args.get("base") else None
    res = build([Path(f) for f in args["files"]], Path(args["db"]), engine=eng, base=base)
    extra = {"failed": len(res.failed), "documents": res.documents, "parsed": res.parsed, "reused": res.reused}
wall = time.perf_counter() - t0
me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"wall_s": wall, "parent_mib": me, "worker_mib": kids, **extra}))
"""


def run(kind: str, **args) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(ROOT), kind, json.dumps(args, default=str)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _fmt(label: str, r: dict) -> str:
    keep = {k: v for k, v in r.items() if k not in ("wall_s", "parent_mib", "worker_mib")}
    return (
        f"{label:44s} {r['wall_s']:8.2f} s  parent {r['parent_mib']:6.0f} MiB  "
        f"worker {r['worker_mib']:5.0f} MiB  {json.dumps(keep)}"
    )


def samples(repeat: int, tmp: Path) -> None:
    texts, pdfs = sorted(RAW.glob("*.txt")), sorted(RAW.glob("*.pdf"))
    walls = {}
    for label, kind, files in [
        ("text build (5 samples, 2 jobs)", "build", texts),
        ("PDF build (5 samples, 2 jobs)", "build", pdfs),
        ("pdfplumber alone on the same PDFs", "baseline", pdfs),
    ]:
        runs = [run(kind, files=files, jobs=2, db=tmp / "s.duckdb") for _ in range(repeat)]
        med = statistics.median(r["wall_s"] for r in runs)
        walls[label] = med
        print(_fmt(label + f" median of {repeat}", dict(runs[0], wall_s=med)))
    for label, files in [("PDF build (5 samples, 1 job)", pdfs)]:
        print(_fmt(label, run("build", files=files, jobs=1, db=tmp / "s1.duckdb")))


def corpus(n: int, tmp: Path) -> list[Path]:
    """The folder of n generated disclosures (passed to the build as one input: 10,000 paths do
    not fit on a command line)."""
    from benchmarks.corpus import generate

    folder = tmp / f"corpus-{n}"
    if not folder.exists():
        generate(n, folder)
    return [folder]


def scaling(n: int, tmp: Path) -> None:
    files = corpus(n, tmp)
    one = run("build", files=files, jobs=1, db=tmp / "j1.duckdb")
    print(_fmt(f"{n} text disclosures, 1 process, no cache", one))
    two = run("build", files=files, jobs=2, db=tmp / "j2.duckdb")
    print(_fmt(f"{n} text disclosures, 2 processes, no cache", two))
    print(
        f"  {n / one['wall_s']:.1f} files/s with 1 process, {n / two['wall_s']:.1f} with 2: "
        f"speedup {one['wall_s'] / two['wall_s']:.2f}x (goal >= 1.7x)"
    )


def rebuild(n: int, tmp: Path) -> None:
    files = corpus(n, tmp)
    cache = tmp / f"cache-{n}"
    cold = run("build", files=files, jobs=2, db=tmp / "r0.duckdb", cache=cache)
    print(_fmt(f"{n} files, clean build into an empty cache", cold))
    every = sorted(files[0].glob("*.txt"))
    f = every[len(every) // 2]
    f.write_text(f.read_text(encoding="utf-8") + "\n附注：本文件已更新。\n", encoding="utf-8")
    # As `etl build` does: the previous warehouse lends the disclosures whose files did not change.
    warm = run("build", files=files, jobs=2, db=tmp / "r1.duckdb", cache=cache, base=tmp / "r0.duckdb")
    print(_fmt(f"{n} files, rebuild after changing one", warm))
    print(f"  rebuild / clean = {warm['wall_s'] / cold['wall_s']:.1%} (goal <= 10%), parsed {warm['parsed']} file(s)")


def dask(n: int, tmp: Path) -> None:
    files = corpus(n, tmp)
    local = run("build", files=files, jobs=2, db=tmp / "l.duckdb")
    print(_fmt(f"{n} files, local pool, 2 processes", local))
    dk = run("build", files=files, jobs=2, executor="dask", db=tmp / "d.duckdb")
    print(_fmt(f"{n} files, Dask LocalCluster, 2 workers", dk))
    print(f"  Dask overhead: {dk['wall_s'] - local['wall_s']:+.1f} s ({dk['wall_s'] / local['wall_s'] - 1:+.1%})")


def memory(sizes: list[int], tmp: Path) -> None:
    peaks = {}
    for n in sizes:
        r = run("build", files=corpus(n, tmp), jobs=2, db=tmp / f"m{n}.duckdb")
        peaks[n] = r["parent_mib"]
        print(_fmt(f"{n} text disclosures, 2 processes", r))
    if len(sizes) > 1:
        a, b = sizes[0], sizes[-1]
        print(f"  parent peak RSS {b} / {a} = {peaks[b] / peaks[a]:.2f}x (goal <= 1.2x, <= 1 GB)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--suite", action="append", choices=("samples", "scaling", "rebuild", "dask", "memory"))
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--tmp", type=Path, help="work folder (generated corpora are reused)")
    a = ap.parse_args()
    suites = a.suite or ["samples", "scaling", "rebuild", "dask"]
    tmp = a.tmp or Path(tempfile.mkdtemp(prefix="etl-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    for s in suites:
        print(f"== {s}")
        if s == "samples":
            samples(a.repeat, tmp)
        elif s == "memory":
            memory([int(x) for x in a.sizes.split(",")], tmp)
        else:
            {"scaling": scaling, "rebuild": rebuild, "dask": dask}[s](a.n, tmp)


if __name__ == "__main__":
    main()
