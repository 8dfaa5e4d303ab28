"""The upload recipes of issue #20 at full size, through the upload service, with their figures.

`python -m benchmarks.uploads [--national-db PATH]` runs each recipe of benchmarks/hostile.py in
a fresh process that first imports what the Streamlit process holds (streamlit, polars, the
service) and keeps the upload in memory as Streamlit does, then stages it (and previews the office
recipes in the isolated pool). Printed per recipe: the outcome of each file, the seconds it took,
and the process's resident memory before and at its peak. With `--national-db` (a warehouse of
`python -m benchmarks.national`), an upload into a copy of it is timed from accept to publish.
Timings are for the machine it runs on; the test suite runs bounded versions without timings.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import hostile  # noqa: E402

RAW = ROOT / "data" / "raw"
YC = RAW / "002_b6243eb5bb848ade.txt"
MJ = RAW / "003_988a4e9ed8c6212e.txt"
RECIPES = [
    "corrupt-deflate",
    "corrupt-bzip2",
    "entries-3.8m",
    "entries-1.9m",
    "lying-sizes",
    "small-members-199",
    "nested",
    "rows-1m-xlsx",
    "shared-strings-xlsx",
    "document-xml-250mib",
    "bidi-name",
    "no-extension",
]


def _rss_mb() -> float:
    with open("/proc/self/statm", "rb") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class Peak(threading.Thread):
    """Samples this process's resident memory every 5 ms (ru_maxrss never goes down)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak, self.running = _rss_mb(), True

    def run(self):
        while self.running:
            self.peak = max(self.peak, _rss_mb())
            time.sleep(0.005)


def make(recipe: str, folder: Path) -> list[tuple[str, Path]]:
    """The files of one recipe, written once under `folder` (reused by later runs); their names
    (a NUL or a bidi control is no file name on disk) in `names.json`."""
    target = folder / recipe
    manifest = target / "names.json"
    if manifest.is_file():
        return [(name, target / f) for name, f in json.loads(manifest.read_text(encoding="utf-8"))]
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    out = []
    for i, (name, path) in enumerate(_recipe_files(recipe, target)):
        path.rename(target / f"{i:02d}.bin")
        out.append((name, f"{i:02d}.bin"))
    manifest.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
    return [(name, target / f) for name, f in out]


def _write(folder: Path, name: str, data: bytes) -> tuple[str, Path]:
    p = folder / "tmp-file"
    p.write_bytes(data)
    q = folder / f"tmp-{len(list(folder.iterdir()))}"
    p.rename(q)
    return name, q


def _recipe_files(recipe: str, d: Path) -> list[tuple[str, Path]]:
    yc = YC.read_bytes()
    simple = {
        "corrupt-deflate": lambda: hostile.corrupt_member_zip(yc, zipfile.ZIP_DEFLATED),
        "corrupt-bzip2": lambda: hostile.corrupt_member_zip(yc, zipfile.ZIP_BZIP2),
        "entries-3.8m": lambda: hostile.many_entries_zip(3_800_000),  # 196 MB (over the app's 100 MB upload cap)
        "entries-1.9m": lambda: hostile.many_entries_zip(1_900_000),  # 95 MB: the largest the app takes
        "lying-sizes": lambda: hostile.lying_sizes_zip(50),
        "small-members-199": lambda: hostile.many_small_members_zip(199, 2**20 - 1),
        "nested": lambda: hostile.nested_zip(hostile.zip_of({"yc.txt": yc})),
    }
    if recipe in simple:
        return [_write(d, f"{recipe}.zip", simple[recipe]())]
    office = {
        "rows-1m-xlsx": ("rows.xlsx", lambda p: hostile.many_rows_xlsx(p, 1_000_000)),
        "shared-strings-xlsx": ("strings.xlsx", lambda p: hostile.shared_strings_xlsx(p, 64)),
        "document-xml-250mib": ("body.docx", lambda p: hostile.big_docx(p, 250)),
    }
    if recipe in office:
        name, fn = office[recipe]
        return [(name, fn(d / "tmp-office"))]
    if recipe == "bidi-name":
        return [_write(d, hostile.bidi_name(), yc)]
    return [_write(d, "盐池决算", yc), _write(d, "孟津.text", MJ.read_bytes())]


def run_one(recipe: str, folder: Path) -> dict:
    """In this (fresh) process: what Streamlit holds, the upload in memory, then stage + preview."""
    import polars  # noqa: F401  (the app process has them loaded)
    import streamlit  # noqa: F401

    from etl import service

    files = [(name, io.BytesIO(path.read_bytes())) for name, path in make(recipe, folder)]
    before = _rss_mb()
    peak = Peak()
    peak.start()
    t0 = time.perf_counter()
    stored = service.store_uploads(files)
    staged_s = time.perf_counter() - t0
    rows = service.preview(stored, jobs=1) if any(s.path for s in stored) else []
    total_s = time.perf_counter() - t0
    peak.running = False
    peak.join()
    staged = sum(p.stat().st_size for p in service.STAGING_DIR.glob("*") if p.suffix != ".json" and p.is_file())
    outcomes = [f"{r['文件']}: {r['结果']} {r.get('说明') or ''}" for r in rows] or [
        f"{s.original_name}: {s.message}" for s in stored
    ]
    return dict(
        recipe=recipe,
        upload_mb=round(sum(p.stat().st_size for _n, p in make(recipe, folder)) / 2**20, 1),
        staged_mb=round(staged / 2**20, 2),
        stage_s=round(staged_s, 2),
        total_s=round(total_s, 2),
        rss_before_mb=round(before),
        rss_peak_mb=round(peak.peak),
        outcomes=outcomes[:6] + ([f"… {len(outcomes) - 6} more"] if len(outcomes) > 6 else []),
    )


def national_upload(db: Path, work: Path) -> dict:
    """Accept-to-publish time of an upload into a copy of a national warehouse."""
    wh = work / "wh"
    wh.mkdir(parents=True)
    shutil.copy(db, wh / "warehouse-1.duckdb")
    (wh / "CURRENT").write_text("warehouse-1.duckdb", encoding="utf-8")
    env = dict(os.environ, SHEBAO_WAREHOUSE_DIR=str(wh), SHEBAO_UPLOAD_DIR=str(work / "uploads"))
    code = (
        "import time, json; from pathlib import Path; from etl import service\n"
        f"stored = service.store_uploads([('yc.txt', Path({str(YC)!r}).read_bytes()), ('mj.txt', Path({str(MJ)!r}).read_bytes())])\n"
        "service.preview(stored, jobs=1)\n"
        "t = time.perf_counter(); r = service.add_uploads(service.accept_uploads(stored))\n"
        "print(json.dumps(dict(publish_s=round(time.perf_counter() - t, 1), message=r.message, failed=r.failed), ensure_ascii=False))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode:
        return {"error": out.stderr[-2000:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.uploads", description=__doc__.splitlines()[0])
    ap.add_argument("--recipe", choices=RECIPES, action="append", help="only these (default: all)")
    ap.add_argument("--files", type=Path, default=Path(tempfile.gettempdir()) / "shebao-upload-recipes")
    ap.add_argument("--national-db", type=Path)
    ap.add_argument("--one", choices=RECIPES, help=argparse.SUPPRESS)  # the child process
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, args.files), ensure_ascii=False))
        return 0
    for recipe in args.recipe or RECIPES:
        make(recipe, args.files)
        with tempfile.TemporaryDirectory(prefix="shebao-upload-bench-") as work:
            env = dict(os.environ, SHEBAO_UPLOAD_DIR=str(Path(work) / "uploads"))
            env.setdefault("SHEBAO_ETL_CACHE", str(Path(work) / "cache"))  # a fresh parse cache: cold figures
            cmd = [sys.executable, "-m", "benchmarks.uploads", "--one", recipe, "--files", str(args.files)]
            out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
            print(out.stdout.strip() if out.returncode == 0 else f"{recipe}: FAILED\n{out.stderr[-2000:]}", flush=True)
    if args.national_db:
        with tempfile.TemporaryDirectory(prefix="shebao-national-upload-") as work:
            print(json.dumps({"national_upload": national_upload(args.national_db, Path(work))}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
