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
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from pages._registry import by_name, names  # noqa: E402  (after the path is set)

PAGES = names()  # every page that shows the warehouse, in navigation order
RUNS = 5  # browser runs per page and way; the median of five moves less with the machine's load


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

    print(f"{'page':10s} {'median ms':>10s} {'p95 ms':>8s} {'first ms':>9s} {'load avg':>8s}  (runs={runs}, after one warm-up run)")
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        for k, v in params.items():
            at.query_params[k] = v
        t0 = time.perf_counter()
        at.run()
        if not by_name(page).default:
            at.switch_page(by_name(page).file)
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
        load = os.getloadavg()[0]  # the machine is shared: every figure with its load average
        print(f"{page:10s} {statistics.median(times):10.0f} {p95:8.0f} {first:9.0f} {load:8.1f}", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the process running every page: {peak:.0f} MiB")


# Counts finished script runs (running -> notRunning) so that an in-app page switch can be timed
# to the end of the run it starts, not the end of the previous one.
RUNS_JS = """window.__runs = 0; new MutationObserver((records) => { for (const r of records) {
  if (r.oldValue === 'running' && r.target.getAttribute('data-test-script-state') !== 'running') window.__runs += 1; } })
  .observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                      attributeFilter: ['data-test-script-state']});"""
# A switch that turned into a full load (window.__switching gone) counts runs from zero again.
DONE_JS = """(n) => (window.__switching ? window.__runs > n : window.__runs > 0) && !document.querySelector('[data-testid=stSkeleton]')
  && document.querySelector('[data-testid=stApp]').getAttribute('data-test-script-state') === 'notRunning'"""


def browser(wdir: Path, query: str, shots: Path | None = None) -> None:
    """Warm time until each page is complete in chromium: a full load of the page's address (a
    shared link, a new tab: the frontend and its lazy components load again) and a switch from
    another page through the sidebar (what a user clicking around does). Then the server's RSS."""
    from playwright.sync_api import sync_playwright

    from exports.chromium import CHROMIUM, FLAGS
    from tests.browser_util import running_app

    with running_app(wdir, timeout=180) as url, sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        ctx = b.new_context(viewport={"width": 1600, "height": 1000})
        ctx.add_init_script(RUNS_JS)
        page = ctx.new_page()
        print(f"{'page':10s} {'full load s':>11s} {'switch s':>9s} {'load avg':>8s}  (medians of {RUNS} warm runs)")
        for name in PAGES:
            target = f"{url}/{by_name(name).route}{query}"
            _full_load(page, target)  # cold: fills the caches
            full = statistics.median(_full_load(page, target) for _ in range(RUNS))
            ok = [x for x in (_switch(page, url, name, query) for _ in range(RUNS)) if x == x]  # drop n/a
            switch = statistics.median(ok) if ok else float("nan")
            print(f"{name:10s} {full:11.2f} {switch:9.2f} {os.getloadavg()[0]:8.1f}", flush=True)
            if shots:
                _shot(page, target, shots / f"{name}.png")
        b.close()
        print(f"server RSS after every page: {server_rss(url):.0f} MiB")


def _full_load(page, target: str) -> float:
    t = time.perf_counter()
    page.goto(target)
    page.wait_for_function(DONE_JS, arg=0, timeout=120_000, polling=20)
    return time.perf_counter() - t


def _switch(page, url: str, name: str, query: str) -> float:
    """From another page, click this page's link in the sidebar navigation."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    other = "sources" if name != "sources" else "checks"
    _full_load(page, f"{url}/{by_name(other).route}{query}")
    n = page.evaluate("window.__switching = true; window.__runs")
    links = page.locator("[data-testid=stSidebarNav] a")
    want = f"/{by_name(name).route}"
    link = next(a for a in links.all() if urlparse(a.get_attribute("href")).path == want)
    t = time.perf_counter()
    link.click()
    try:
        page.wait_for_function(DONE_JS, arg=n, timeout=30_000, polling=20)
    except PlaywrightTimeout:  # seen now and then under load: reported as n/a, not as a time
        return float("nan")
    return time.perf_counter() - t


def _shot(page, target: str, path: Path) -> None:
    """The whole page: Streamlit scrolls inside its main block, so the viewport is made as tall
    as the content (a full_page screenshot would stop at the window)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _full_load(page, target)
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": 1600, "height": min(int(height) + 40, 12000)})
    _full_load(page, target)
    page.wait_for_timeout(800)
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1600, "height": 1000})


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
        if b"--server.port" in cmd and port.encode() in cmd:
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
    ap.add_argument("--pages", help="comma-separated subset of pages (default: every page)")
    ap.add_argument("--no-server", action="store_true", help="skip the server-side (AppTest) timing")
    args = ap.parse_args()
    if args.pages:
        PAGES[:] = [p for p in PAGES if p in args.pages.split(",")]
    wdir = prepare(args)
    params = {"peers": args.peers} if args.peers else {}
    if not args.no_server:
        server_side(args.runs, params)
    if args.browser:
        from urllib.parse import quote

        browser(wdir, f"?peers={quote(args.peers)}" if args.peers else "", args.screenshots)


if __name__ == "__main__":
    main()
