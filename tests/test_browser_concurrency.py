"""Many users at once on a cold app (issue #11): 20 browser sessions open pages while 3 uploads
go through the 上传文件 page and 3 rebuilds run from the command line. Bounded: every wait has a
timeout. Nothing may show an exception, no upload may be lost, nothing may be left behind."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest

from exports.chromium import CHROMIUM
from exports.chromium import FLAGS as CHROME_ARGS
from tests.browser_util import ROOT, running_app

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SESSIONS = 20
VIEWS = ["", "checks", "sources", "coverage", "rankings"]
IDLE = (
    "() => { const a = document.querySelector('[data-testid=stApp]');"
    " return a && a.getAttribute('data-test-connection-state') === 'CONNECTED'"
    " && a.getAttribute('data-test-script-state') === 'notRunning'"
    " && !document.querySelector('[data-testid=stSkeleton]'); }"
)


def _uploads(tmp: Path) -> list[Path]:
    """Three new disclosures: samples moved to other counties (benchmarks/corpus.py)."""
    from benchmarks.corpus import generate

    return sorted(generate(3, tmp / "new", seed=11))


async def _session(browser, url: str, i: int, errors: list[str]) -> None:
    ctx = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await ctx.new_page()
    page.on("pageerror", lambda e: errors.append(f"session {i}: page error {e}"))
    view = ""
    try:
        for k in range(3):
            view = VIEWS[(i + k) % len(VIEWS)]
            await page.goto(f"{url}/{view}", timeout=240_000)
            await page.wait_for_function(IDLE, timeout=240_000)
            await page.wait_for_timeout(300)
            await page.wait_for_function(IDLE, timeout=240_000)
            n = await page.get_by_test_id("stException").count()
            if n:
                text = await page.get_by_test_id("stException").first.inner_text()
                errors.append(f"session {i} /{view}: {text[:300]}")
    except Exception as exc:  # a timeout is a failure of this session; the others go on
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / f"concurrency-session-{i}.png"))
        errors.append(f"session {i} /{view}: {type(exc).__name__}: {str(exc)[:200]}")
    finally:
        await ctx.close()


async def _upload(browser, url: str, files: list[Path], errors: list[str]) -> None:
    ctx = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await ctx.new_page()
    try:
        for f in files:
            await page.goto(f"{url}/upload", timeout=240_000)
            await page.wait_for_function(IDLE, timeout=240_000)
            await page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(f))
            await page.get_by_role("button", name="识别文件").click(timeout=240_000)
            await page.get_by_role("button", name="加入共享数据仓库").click(timeout=240_000)
            await page.get_by_text("已发布").wait_for(timeout=300_000)
            if await page.get_by_test_id("stException").count():
                errors.append(f"upload {f.name}: exception")
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        await page.screenshot(path=str(ARTIFACTS / "concurrency-upload-failure.png"), full_page=True)
        raise
    finally:
        await ctx.close()


def _rebuilds(env: dict, upload_dir: Path, results: list) -> None:
    for _ in range(3):
        r = subprocess.run(
            [sys.executable, "-m", "etl", "build", "--input", str(ROOT / "data" / "raw"), "--input", str(upload_dir)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        results.append((r.returncode, r.stderr[-500:]))


async def _crowd(url: str, files: list[Path]) -> list[str]:
    from playwright.async_api import async_playwright

    errors: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        try:
            await asyncio.gather(
                *(_session(browser, url, i, errors) for i in range(SESSIONS)),
                _upload(browser, url, files, errors),
            )
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
    with running_app(wh, env=env, timeout=120) as url:  # cold: no warehouse yet
        cli_env = dict(os.environ, SHEBAO_WAREHOUSE_DIR=str(wh), **env)
        worker = threading.Thread(target=_rebuilds, args=(cli_env, up, rebuilds))
        worker.start()
        errors = asyncio.run(_crowd(url, files))
        worker.join(timeout=900)
    assert errors == []
    assert [code for code, _ in rebuilds] == [0, 0, 0], rebuilds
    # No upload lost: the published warehouse holds the samples and every upload.
    current = wh / (wh / "CURRENT").read_text(encoding="utf-8").strip()
    with duckdb.connect(str(current), read_only=True) as c:
        loaded = {r[0] for r in c.execute("SELECT sha256 FROM core_source_files WHERE status = 'ok'").fetchall()}
        assert c.execute("SELECT count(*) FROM core_documents").fetchone()[0] == 5 + len(files)
    import hashlib

    assert {hashlib.sha256(f.read_bytes()).hexdigest() for f in files} <= loaded
    # Nothing left behind: no temporary warehouse, no staged upload, no stray file.
    assert sorted(p.name for p in wh.iterdir() if ".tmp" in p.name or p.suffix == ".wal") == []
    assert not (up / ".staging").exists() or list((up / ".staging").iterdir()) == []
    assert len(list(up.glob("*.json"))) == len(files)
