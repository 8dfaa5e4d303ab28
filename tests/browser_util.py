"""Start the app with `streamlit run` on a free loopback port and drive it with Debian's chromium."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(warehouse_dir: Path, timeout: float = 90, env: dict | None = None):
    port = free_port()
    env = dict(os.environ, SHEBAO_WAREHOUSE_DIR=str(warehouse_dir), **(env or {}))
    proc = subprocess.Popen(
        [
            sys.executable,
            "scripts/serve.py",  # streamlit run app.py, with the libraries preloaded first
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError("streamlit did not become healthy")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def wait_for_run(page, timeout: float = 60_000, settle: bool = True) -> None:
    """Streamlit's own e2e criterion: connected, script not running, no skeletons left. With
    settle=False (timing), one check after the page's title is drawn, without the pauses."""
    page.wait_for_selector("[data-testid=stApp][data-test-connection-state=CONNECTED]", timeout=timeout)
    if not settle:
        page.wait_for_selector("[data-testid=stMain] :is(h1, h2)", timeout=timeout)
    idle = (
        "() => { const a = document.querySelector('[data-testid=stApp]');"
        " return a && a.getAttribute('data-test-script-state') === 'notRunning'"
        " && !document.querySelector('[data-testid=stSkeleton]'); }"
    )
    # Twice, apart: a page may rerun itself once (first visit, st.rerun) right after finishing.
    for _ in range(2 if settle else 1):
        page.wait_for_function(idle, timeout=timeout)
        if settle:
            page.wait_for_timeout(500)
