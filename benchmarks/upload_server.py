"""Resident memory of the real Streamlit server while the upload page takes each big recipe.

`python -m benchmarks.upload_server [--recipe NAME ...]` starts the app (scripts/serve.py) on a
copy of the sample warehouse with its own upload folder, opens 上传文件 in Debian's chromium,
uploads the recipe's files (written by benchmarks/uploads.py), presses 识别文件 and waits for the
page to finish; the server's RSS (the process and its children except parse workers, which have
their own caps) is sampled every 20 ms. Printed per recipe: the server's RSS before, its peak, and
what the page said. Issue #20's bound: under 600 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.uploads import make  # noqa: E402

BIG = ["entries-1.9m", "entries-3.8m", "document-xml-250mib", "rows-1m-xlsx", "lying-sizes", "small-members-199"]


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return 0.0


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(env: dict, log: Path) -> tuple[subprocess.Popen, str]:
    port = _port()
    cmd = [sys.executable, "scripts/serve.py", "--server.headless", "true", "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError(f"the app did not start: {log.read_text()[-2000:]}")


def _upload(page, url: str, files: list[Path], received: list) -> str:
    page.goto(f"{url}/upload")
    page.get_by_text("选择公开文件或 ZIP 压缩包").first.wait_for(timeout=300_000)
    page.locator("input[type=file]").set_input_files([str(p) for p in files])
    try:
        button = page.get_by_role("button", name="识别文件")
        button.wait_for(timeout=300_000)
        page.wait_for_timeout(2000)
        received.append(True)  # Streamlit has taken the upload; the service has not run yet
        button.click(timeout=300_000)
    except Exception:  # the browser refused the file (over server.maxUploadSize): what it says
        return page.locator("[data-testid=stMain]").inner_text()[-600:]
    done = page.locator("[data-testid=stDataFrame], [data-testid=stAlert], [data-testid=stException]")
    done.first.wait_for(timeout=600_000)
    page.wait_for_timeout(1000)
    return page.locator("[data-testid=stMain]").inner_text()[-600:]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.upload_server", description=__doc__.splitlines()[0])
    ap.add_argument("--recipe", action="append", help=f"default: {' '.join(BIG)}")
    ap.add_argument("--files", type=Path, default=Path(tempfile.gettempdir()) / "shebao-upload-recipes")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    for recipe in args.recipe or BIG:
        made = make(recipe, args.files)
        with tempfile.TemporaryDirectory(prefix="shebao-upload-server-") as work:
            w = Path(work)
            files = []
            for i, (name, path) in enumerate(made):  # the browser sends the file's own name
                safe = name.replace("\x00", "").replace("/", "_")[:100] or f"file{i}"
                (w / "in").mkdir(exist_ok=True)
                (w / "in" / safe).symlink_to(path)
                files.append(w / "in" / safe)
            env = dict(os.environ, SHEBAO_WAREHOUSE_DIR=str(w / "wh"), SHEBAO_UPLOAD_DIR=str(w / "uploads"))
            env.setdefault("SHEBAO_ETL_CACHE", str(w / "cache"))
            proc, url = _serve(env, w / "streamlit.log")
            try:
                with sync_playwright() as p:
                    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
                    page = browser.new_page()
                    page.goto(url)
                    page.locator("[data-testid=stApp]").wait_for(timeout=600_000)
                    page.wait_for_timeout(3000)
                    before = _rss_mb(proc.pid)
                    peak, at_receipt = [before], [before]
                    running, received = [True], []

                    def sample(peak=peak, running=running, pid=proc.pid, received=received, at_receipt=at_receipt):
                        while running[0]:
                            peak[0] = max(peak[0], _rss_mb(pid))
                            if not received:
                                at_receipt[0] = peak[0]
                            time.sleep(0.02)

                    t = threading.Thread(target=sample, daemon=True)
                    t.start()
                    t0 = time.perf_counter()
                    said = _upload(page, url, files, received)
                    running[0] = False
                    t.join()
                    browser.close()
            finally:
                proc.terminate()
                proc.wait(timeout=30)
            row = dict(
                recipe=recipe,
                upload_mb=round(sum(p.stat().st_size for _n, p in made) / 2**20, 1),
                server_rss_before_mb=round(before),
                server_rss_peak_receiving_mb=round(at_receipt[0]),  # Streamlit taking the upload
                server_rss_peak_mb=round(peak[0]),
                seconds=round(time.perf_counter() - t0, 1),
                page_said=" ".join(said.split())[-300:],
            )
            print(json.dumps(row, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
