"""Server-side time of each page's script run (median and p95 of warm runs), the app process's
peak memory, and optionally the time until each page is complete in a real browser.

Server side uses streamlit.testing.v1.AppTest, which runs the page script in-process exactly as the
server does, minus the network. Browser: `streamlit run` + Debian chromium (playwright), page
complete = Streamlit's own e2e criterion (connected, script not running, no skeleton), warm.

Usage:
  .venv/bin/python benchmarks/app.py [--runs N]                 # the five bundled samples
  .venv/bin/python benchmarks/app.py --national [--db PATH]     # 2,850 units x 10 years (generated if no --db)
  .venv/bin/python benchmarks/app.py --national --browser       # also time every page in chromium
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PAGES = [
    "overview",
    "rankings",
    "yoy",
    "structure",
    "pension",
    "sangong",
    "projects",
    "map",
    "coverage",
    "checks",
    "sources",
    "meeting",
]
URL = {"overview": ""}


def prepare(args) -> Path:
    """A warehouse directory with CURRENT pointing at the warehouse to measure."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-app-"))
    os.environ["SHEBAO_WAREHOUSE_DIR"] = str(tmp)
    from warehouse import paths

    paths.DATA_DIR = tmp
    if args.db:
        db = tmp / "warehouse-bench.duckdb"
        db.symlink_to(Path(args.db).resolve())
    elif args.national:
        from benchmarks.national import generate

        db = tmp / "warehouse-bench.duckdb"
        t = time.perf_counter()
        generate(db, 2850, 10)
        print(f"generated the national warehouse in {time.perf_counter() - t:.0f} s")
    else:
        from etl.build import build

        db = build([ROOT / "data" / "raw"], tmp / "warehouse-bench.duckdb").db_path
    (tmp / "CURRENT").write_text(db.name, encoding="utf-8")
    return tmp


def server_side(runs: int, params: dict) -> None:
    from streamlit.testing.v1 import AppTest

    print(f"{'page':10s} {'median ms':>10s} {'p95 ms':>8s} {'first ms':>9s}  (runs={runs}, after one warm-up run)")
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        for k, v in params.items():
            at.query_params[k] = v
        t0 = time.perf_counter()
        at.run()
        if page != "overview":
            at.switch_page(f"pages/{page}.py")
            at.run()
        first = (time.perf_counter() - t0) * 1000
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - t) * 1000)
            assert not at.exception, at.exception
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        print(f"{page:10s} {statistics.median(times):10.0f} {p95:8.0f} {first:9.0f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the process running every page: {peak:.0f} MiB")


def browser(wdir: Path, query: str, shots: Path | None = None) -> None:
    """Warm time until each page is complete in chromium, and the server's RSS afterwards."""
    from playwright.sync_api import sync_playwright

    from exports.chromium import CHROMIUM, FLAGS
    from tests.browser_util import running_app, wait_for_run

    with running_app(wdir, timeout=180) as url, sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = b.new_page(viewport={"width": 1600, "height": 1000})
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        print(f"{'page':10s} {'wall s (warm)':>13s} {'renderer CPU s':>15s}  (load average {os.getloadavg()[0]:.1f})")
        for name in PAGES:
            target = f"{url}/{URL.get(name, name)}{query}"
            page.goto(target)
            wait_for_run(page, timeout=120_000)  # cold: fills the caches
            walls, cpus = [], []
            for _ in range(3):
                before = _task_seconds(cdp)
                t = time.perf_counter()
                page.goto(target)
                wait_for_run(page, timeout=120_000, settle=False)
                walls.append(time.perf_counter() - t)
                after = _task_seconds(cdp)
                cpus.append(after - before if after >= before else after)  # a new renderer restarts at 0
            print(f"{name:10s} {statistics.median(walls):13.2f} {statistics.median(cpus):15.2f}")
            if shots:
                shots.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
        b.close()
        print(f"server RSS after every page: {server_rss(url):.0f} MiB")


def _task_seconds(cdp) -> float:
    """CPU time the renderer's main thread has spent on tasks (Chrome's TaskDuration metric):
    the browser's own work, less sensitive than wall time to a machine shared with other jobs."""
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return metrics.get("TaskDuration", 0.0)


def server_rss(url: str) -> float:
    """RSS of the streamlit process listening on the url's port (from /proc)."""
    port = url.rsplit(":", 1)[1]
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in b" ".join(cmd) and port.encode() in cmd:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS"):
                    return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--national", action="store_true", help="2,850 units x 10 years x budget and final")
    ap.add_argument("--db", help="an existing warehouse file to measure")
    ap.add_argument("--peers", default=None, help="peer group for the run, e.g. 同省 (default: 全部已载入)")
    ap.add_argument("--browser", action="store_true", help="also time each page in chromium")
    ap.add_argument("--screenshots", type=Path, help="with --browser: save a full-page PNG per page here")
    args = ap.parse_args()
    wdir = prepare(args)
    params = {"peers": args.peers} if args.peers else {}
    server_side(args.runs, params)
    if args.browser:
        from urllib.parse import quote

        browser(wdir, f"?peers={quote(args.peers)}" if args.peers else "", args.screenshots)


if __name__ == "__main__":
    main()
