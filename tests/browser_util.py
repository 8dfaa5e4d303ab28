"""Start the app with `streamlit run` on a free loopback port and drive it with Debian's chromium.

Waits are written for a quiet machine and scaled by tests.conftest.slowness(): on a busy machine a
page is allowed to take longer, and a limit is only there to end a hang."""

from __future__ import annotations

import ast
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from pages._registry import PageSpec
from tests.conftest import scaled

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def heading(spec: PageSpec) -> str | None:
    """The page's own title, read from its `st.title("…")` (None when the title is computed)."""
    tree = ast.parse((ROOT / spec.file).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and ast.unparse(node.func) == "st.title"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            return node.args[0].value
    return None


@contextlib.contextmanager
def running_app(warehouse_dir: Path, timeout: float = 90, env: dict | None = None):
    """`streamlit run` (scripts/serve.py) on a free port; its output goes to a log file (a pipe
    nobody reads fills up and stops the server), whose tail is shown when it does not start."""
    port = free_port()
    env = dict(os.environ, SHEBAO_WAREHOUSE_DIR=str(warehouse_dir), **(env or {}))
    log = tempfile.NamedTemporaryFile(prefix="streamlit-", suffix=".log", delete=False)  # noqa: SIM115
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
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + scaled(timeout)
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.3)
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = Path(log.name).read_text(encoding="utf-8", errors="replace")[-3000:]
                raise RuntimeError(f"streamlit did not become healthy (exit code {proc.poll()}):\n{tail}")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        os.unlink(log.name)


def wait_for_run(page, timeout: float = 60, settle: bool = True) -> None:
    """Streamlit's own e2e criterion: connected, script not running, no skeletons left. With
    settle=False (timing), one check after the page's title is drawn, without the pauses.
    `timeout` in seconds on a quiet machine, scaled by slowness()."""
    ms = scaled(timeout) * 1000
    page.wait_for_selector("[data-testid=stApp][data-test-connection-state=CONNECTED]", timeout=ms)
    if not settle:
        page.wait_for_selector("[data-testid=stMain] :is(h1, h2)", timeout=ms)
    idle = (
        "() => { const a = document.querySelector('[data-testid=stApp]');"
        " return a && a.getAttribute('data-test-script-state') === 'notRunning'"
        " && !document.querySelector('[data-testid=stSkeleton]'); }"
    )
    # Twice, apart: a page may rerun itself once (first visit, st.rerun) right after finishing.
    for _ in range(2 if settle else 1):
        page.wait_for_function(idle, timeout=ms)
        if settle:
            page.wait_for_timeout(500)
