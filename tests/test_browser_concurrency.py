"""Many users at once on a cold app (issue #11): 20 browser sessions open pages while 3 uploads
go through the 上传文件 page and 3 rebuilds run from the command line. Nothing may show an
exception, no upload may be lost, nothing may be left behind.

On a busy machine this takes longer, and that is not a failure: no single wait has a deadline.
A watchdog ends the run when nothing in the crowd has moved for `STALL` seconds (scaled by the
machine's slowness): no page finished a step, no upload advanced. Each command-line rebuild has a
scaled time limit as its own hang guard. The server is its own (a cold warehouse is the point);
the crowd runs on the async API in a thread of its own, with a chromium of its own (the shared
one belongs to the sync API, whose objects cannot be used from another thread or event loop)."""

from __future__ import annotations

import asyncio
import hashlib
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from exports.chromium import CHROMIUM
from exports.chromium import FLAGS as CHROME_ARGS
from pages._registry import by_name
from tests.browser_util import ROOT, running_app
from tests.conftest import scaled

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SESSIONS = 20
VIEWS = [by_name(n).route for n in ("overview", "checks", "sources", "coverage", "rankings")]
STALL = 180  # seconds without any progress on a quiet machine: a hang
IDLE = (
    "() => { const a = document.querySelector('[data-testid=stApp]');"
    " return a && a.getAttribute('data-test-connection-state') === 'CONNECTED'"
    " && a.getAttribute('data-test-script-state') === 'notRunning'"
    " && !document.querySelector('[data-testid=stSkeleton]'); }"
)


class Progress:
    """When anything last moved, and what each actor is doing (for the report of a hang)."""

    def __init__(self) -> None:
        self.last = time.monotonic()
        self.doing: dict[str, str] = {}

    def step(self, who: str, what: str) -> None:
        self.last = time.monotonic()
        self.doing[who] = what


def _uploads(tmp: Path) -> list[Path]:
    """Three new disclosures: samples moved to other counties (benchmarks/corpus.py)."""
    from benchmarks.corpus import generate

    return sorted(generate(3, tmp / "new", seed=11))


async def _session(browser, url: str, i: int, errors: list[str], progress: Progress) -> None:
    who = f"session {i}"
    ctx = await browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(0)  # no deadline per wait: the watchdog decides what is a hang
    page = await ctx.new_page()
    page.on("pageerror", lambda e: errors.append(f"{who}: page error {e}"))
    view = ""
    try:
        for k in range(3):
            view = VIEWS[(i + k) % len(VIEWS)]
            progress.step(who, f"opening /{view}")
            await page.goto(f"{url}/{view}", timeout=0)
            await page.wait_for_function(IDLE, timeout=0)
            await page.wait_for_timeout(300)
            await page.wait_for_function(IDLE, timeout=0)
            progress.step(who, f"shown /{view}")
            n = await page.get_by_test_id("stException").count()
            if n:
                text = await page.get_by_test_id("stException").first.inner_text()
                errors.append(f"{who} /{view}: {text[:300]}")
        progress.step(who, "done")
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / f"concurrency-session-{i}.png"))
        errors.append(f"{who} /{view}: {type(exc).__name__}: {str(exc)[:200]}")
    finally:
        await ctx.close()


async def _upload(browser, url: str, files: list[Path], errors: list[str], progress: Progress) -> None:
    ctx = await browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(0)
    page = await ctx.new_page()
    try:
        for f in files:
            who = f"upload {f.name}"
            progress.step(who, "opening the page")
            await page.goto(f"{url}/{by_name('upload').route}", timeout=0)
            await page.wait_for_function(IDLE, timeout=0)
            await page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(f))
            progress.step(who, "file chosen")
            await page.get_by_role("button", name="识别文件").click()
            progress.step(who, "recognising")
            await page.get_by_role("button", name="加入共享数据仓库").click()
            progress.step(who, "publishing")
            await page.get_by_text("已发布").wait_for()
            progress.step(who, "published")
            if await page.get_by_test_id("stException").count():
                errors.append(f"{who}: exception")
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / "concurrency-upload-failure.png"), full_page=True)
        errors.append(f"upload: {type(exc).__name__}: {str(exc)[:300]}")
    finally:
        await ctx.close()


def _rebuilds(env: dict, upload_dir: Path, results: list, progress: Progress) -> None:
    for k in range(3):
        progress.step("rebuilds", f"rebuild {k + 1} running")
        r = subprocess.run(
            [sys.executable, "-m", "etl", "build", "--input", str(ROOT / "data" / "raw"), "--input", str(upload_dir)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=scaled(600),  # a hang guard only
        )
        results.append((r.returncode, r.stderr[-500:]))
        progress.step("rebuilds", f"rebuild {k + 1} exited {r.returncode}")


async def _watchdog(progress: Progress) -> None:
    while True:
        await asyncio.sleep(1)
        if time.monotonic() - progress.last > scaled(STALL):
            stuck = {who: what for who, what in progress.doing.items() if what not in ("done", "published")}
            raise TimeoutError(f"nothing moved for {time.monotonic() - progress.last:.0f} s: {stuck}")


async def _crowd(url: str, files: list[Path], progress: Progress) -> list[str]:
    from playwright.async_api import async_playwright

    errors: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        try:
            work = asyncio.gather(
                *(_session(browser, url, i, errors, progress) for i in range(SESSIONS)),
                _upload(browser, url, files, errors, progress),
            )
            dog = asyncio.ensure_future(_watchdog(progress))
            finished, _ = await asyncio.wait({work, dog}, return_when=asyncio.FIRST_COMPLETED)
            if dog in finished:
                work.cancel()
                await asyncio.gather(work, return_exceptions=True)
                dog.result()  # raises: the hang
            dog.cancel()
            work.result()
        finally:
            await browser.close()
    return errors


def test_twenty_sessions_three_uploads_three_rebuilds(tmp_path):
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian chromium is required: apt-get install chromium (see .ci/run)")
    wh, up = tmp_path / "wh", tmp_path / "uploads"
    up.mkdir()
    env = {"SHEBAO_UPLOAD_DIR": str(up)}
    files = _uploads(tmp_path)
    rebuilds: list = []
    progress = Progress()
    with running_app(wh, env=env, timeout=120) as url:  # cold: no warehouse yet
        cli_env = dict(os.environ, SHEBAO_WAREHOUSE_DIR=str(wh), **env)
        rebuilder = threading.Thread(target=_rebuilds, args=(cli_env, up, rebuilds, progress))
        rebuilder.start()  # each rebuild has a (scaled) hang guard of its own
        # In a thread of its own: a running sync playwright (the shared browser) owns this
        # thread's event loop, and asyncio.run() refuses to start beside it.
        result: dict = {}

        def crowd() -> None:
            try:
                result["errors"] = asyncio.run(_crowd(url, files, progress))
            except BaseException as exc:  # reported below, in the test's thread
                result["raised"] = exc

        runner = threading.Thread(target=crowd)
        runner.start()
        runner.join()
        rebuilder.join()
    if "raised" in result:
        raise result["raised"]
    assert result["errors"] == []
    assert [code for code, _ in rebuilds] == [0, 0, 0], rebuilds
    # No upload lost: the published warehouse holds the samples and every upload.
    current = wh / (wh / "CURRENT").read_text(encoding="utf-8").strip()
    with duckdb.connect(str(current), read_only=True) as c:
        loaded = {r[0] for r in c.execute("SELECT sha256 FROM core_source_files WHERE status = 'ok'").fetchall()}
        assert c.execute("SELECT count(*) FROM core_documents").fetchone()[0] == 5 + len(files)
    assert {hashlib.sha256(f.read_bytes()).hexdigest() for f in files} <= loaded
    # Nothing left behind: no temporary warehouse, no staged upload, no stray file.
    assert sorted(p.name for p in wh.iterdir() if ".tmp" in p.name or p.suffix == ".wal") == []
    assert not (up / ".staging").exists() or list((up / ".staging").iterdir()) == []
    # The queue holds each upload once, beside its sidecar (the day's ledger is a dotfile beside them).
    shas = {hashlib.sha256(f.read_bytes()).hexdigest() for f in files}
    queued = [p for p in up.iterdir() if p.is_file() and not p.name.startswith(".")]
    assert sorted(p.name for p in queued if p.suffix == ".json") == sorted(f"{s}.json" for s in shas)
    assert sorted(p.name[:64] for p in queued if p.suffix != ".json") == sorted(shas)
