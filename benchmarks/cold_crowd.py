"""N browser sessions open pages at once on a cold app (no warehouse yet): prints, per session,
the seconds until its page finished or that it stalled, and which of the app's own files the
browser was still waiting for. It found the server-wide freeze tests/test_browser_concurrency.py
met: polars' map_elements in pages deadlocked on the GIL with several sessions at once (8 of 8
stalled in about half the runs; 0 of 48 in 6 runs once pages stopped using it). A stall here is
worth a `py-spy dump` of the server: every thread idle with requests unread means a lock.

Usage: .venv/bin/python benchmarks/cold_crowd.py [--sessions 8] [--wait 60] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from exports.chromium import CHROMIUM, FLAGS  # noqa: E402
from tests.browser_util import running_app  # noqa: E402

VIEWS = ["", "checks", "sources", "coverage", "rankings"]
IDLE = (
    "() => { const a = document.querySelector('[data-testid=stApp]');"
    " return a && a.getAttribute('data-test-connection-state') === 'CONNECTED'"
    " && a.getAttribute('data-test-script-state') === 'notRunning'"
    " && !document.querySelector('[data-testid=stSkeleton]'); }"
)


async def _session(browser, url: str, i: int, wait_s: float, t0: float, pending: dict) -> float | None:
    ctx = await browser.new_context()
    page = await ctx.new_page()
    page.on("request", lambda r: pending.__setitem__(id(r), r.url))
    page.on("requestfinished", lambda r: pending.pop(id(r), None))
    page.on("requestfailed", lambda r: pending.pop(id(r), None))
    await page.goto(f"{url}/{VIEWS[i % len(VIEWS)]}", timeout=0)
    try:
        await page.wait_for_function(IDLE, timeout=wait_s * 1000)
        return time.monotonic() - t0
    except Exception:
        return None
    finally:
        await ctx.close()


async def _crowd(url: str, n: int, wait_s: float) -> None:
    from playwright.async_api import async_playwright

    pending: dict = {}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        t0 = time.monotonic()
        done = await asyncio.gather(*(_session(browser, url, i, wait_s, t0, pending) for i in range(n)))
        await browser.close()
    stalled = sum(d is None for d in done)
    shown = ", ".join("stalled" if d is None else f"{d:.1f} s" for d in done)
    print(f"{n} sessions: {stalled} stalled; {shown}")
    if pending:
        print(f"  still waiting for {len(pending)} requests, e.g. {sorted(set(pending.values()))[:3]}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=8)
    ap.add_argument("--wait", type=float, default=60)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    for _ in range(a.runs):
        with tempfile.TemporaryDirectory() as tmp:
            up = Path(tmp) / "uploads"
            up.mkdir()
            with running_app(Path(tmp) / "wh", env={"SHEBAO_UPLOAD_DIR": str(up)}) as url:
                asyncio.run(_crowd(url, a.sessions, a.wait))


if __name__ == "__main__":
    main()
