"""A pool of isolated worker processes with a wall-time limit and a resident-memory cap per file.

Why not `ProcessPoolExecutor`: killing a worker that hangs in a parser breaks the whole executor
(every pending file is lost); here the parent kills only that worker, reports its file failed
with the reason and starts a fresh one. Workers are plain subprocesses (`python -m
etl.engine.worker`), so the pool also runs inside a Dask worker, whose processes are daemons.
Workers are recycled after `tasks_per_worker` files: pdfminer's caches grow across documents.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import selectors
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from etl.engine.cache import ParseCache
from etl.engine.limits import Limits
from etl.engine.task import TaskResult
from etl.engine.worker import HEADER

ROOT = Path(__file__).resolve().parents[2]
POLL_S = 0.1


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, IndexError, ValueError):
        return 0.0


@dataclass
class _Worker:
    proc: subprocess.Popen
    buf: bytearray = field(default_factory=bytearray)
    task: tuple | None = None
    started: float = 0.0
    done: int = 0
    peak_rss_mb: float = 0.0
    ready: bool = False  # imports done; a file's time limit starts when it is sent

    @property
    def fd(self) -> int:
        return self.proc.stdout.fileno()


class IsolatedPool:
    def __init__(
        self, jobs: int, limits: Limits, cache_root: str | None, want_payload: bool = False, tasks_per_worker: int = 100
    ):
        self.jobs = max(1, jobs)
        self.limits = limits
        self.cache_root = cache_root
        self.want_payload = want_payload
        self.tasks_per_worker = tasks_per_worker
        self.sel = selectors.DefaultSelector()
        self.workers: list[_Worker] = []
        self.peak_worker_rss_mb = 0.0
        self.start_failures = 0

    def _spawn(self) -> _Worker:
        env = dict(os.environ, SHEBAO_WORKER_MEMORY_MB=str(self.limits.memory_mb), PYTHONPATH=str(ROOT))
        proc = subprocess.Popen(
            [sys.executable, "-m", "etl.engine.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=str(ROOT),
            env=env,
            start_new_session=True,
        )
        os.set_blocking(proc.stdout.fileno(), False)
        w = _Worker(proc)
        self.sel.register(w.fd, selectors.EVENT_READ, w)
        return w

    def _retire(self, w: _Worker, kill: bool) -> None:
        self.sel.unregister(w.fd)
        if kill:
            try:
                os.killpg(w.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        else:
            w.proc.stdin.close()
        try:
            w.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            w.proc.kill()
            w.proc.wait()
        for stream in (w.proc.stdin, w.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self.workers.remove(w)

    def _send(self, w: _Worker, index: int, path: str) -> None:
        w.task, w.started = (index, path), time.monotonic()
        data = pickle.dumps((index, path, self.limits, self.cache_root, self.want_payload))
        w.proc.stdin.write(HEADER.pack(len(data)) + data)
        w.proc.stdin.flush()

    def _failed(self, w: _Worker, message: str) -> TaskResult:
        index, path = w.task
        res = TaskResult(
            index, path, False, f"failed: {message}", retryable=True, elapsed_s=time.monotonic() - w.started
        )
        self._remember(res, message)
        return res

    def _remember(self, res: TaskResult, message: str) -> None:
        """A failure at a time or memory limit, cached by content hash like any result: four copies
        of a file that takes the whole time limit cost one time limit, not four."""
        if not self.cache_root:
            return
        try:
            data = Path(res.path).read_bytes() if Path(res.path).stat().st_size <= self.limits.max_bytes else None
        except OSError:
            return
        if data is not None:
            res.sha256 = hashlib.sha256(data).hexdigest()
            ParseCache(Path(self.cache_root)).put(res.sha256, ("failed", message), self.limits.cache_kind())

    def _drain(self, w: _Worker) -> TaskResult | None:
        """Read what is available; a complete message is the worker's result."""
        try:
            chunk = os.read(w.fd, 1 << 20)
        except BlockingIOError:
            return None
        if not chunk and w.task is None:
            return "dead"
        if not chunk:  # the worker died
            code = w.proc.poll()
            if code is None:
                try:
                    code = w.proc.wait(timeout=2)
                except subprocess.TimeoutExpired:
                    code = "?"
            why = "memory cap exceeded" if code in (-9, 137) else f"worker process died (exit code {code})"
            return self._failed(w, why)
        w.buf += chunk
        if len(w.buf) < HEADER.size:
            return None
        n = HEADER.unpack(w.buf[: HEADER.size])[0]
        if len(w.buf) < HEADER.size + n:
            return None
        res = pickle.loads(bytes(w.buf[HEADER.size : HEADER.size + n]))
        del w.buf[: HEADER.size + n]
        return res

    def _over_limit(self, w: _Worker, now: float) -> str | None:
        if now - w.started > self.limits.timeout_s:
            return f"time limit exceeded ({self.limits.timeout_s:g} s)"
        rss = _rss_mb(w.proc.pid)
        w.peak_rss_mb = max(w.peak_rss_mb, rss)
        self.peak_worker_rss_mb = max(self.peak_worker_rss_mb, rss)
        if rss > self.limits.memory_mb:
            return f"memory cap exceeded ({rss:.0f} MiB > {self.limits.memory_mb} MiB)"
        return None

    def run(self, tasks: Iterable[tuple[int, str]]) -> Iterator[TaskResult]:
        """Yield one result per (index, path) as files finish, in completion order."""
        pending = deque(tasks)
        try:
            yield from self._loop(pending)
        finally:
            for w in list(self.workers):
                self._retire(w, kill=w.task is not None)

    def _loop(self, pending: deque) -> Iterator[TaskResult]:
        while pending or any(w.task for w in self.workers):
            while pending and len(self.workers) < self.jobs:
                self.workers.append(self._spawn())
            for w in list(self.workers):
                if w.ready and w.task is None and pending:
                    self._send(w, *pending.popleft())
            for key, _ in self.sel.select(timeout=POLL_S):
                w = key.data
                res = self._drain(w)
                if res is None:
                    continue
                if res == "ready":
                    w.ready = True
                    continue
                if res == "dead":
                    self._retire(w, kill=True)
                    self.start_failures += 1
                    if self.start_failures > 3:
                        raise RuntimeError("parse workers die on start (python -m etl.engine.worker)")
                    continue
                died = res.retryable and w.proc.poll() is not None
                w.task, w.done = None, w.done + 1
                if died or w.done >= self.tasks_per_worker:
                    self._retire(w, kill=died)
                yield res
            now = time.monotonic()
            for w in list(self.workers):
                if w.task is not None and (why := self._over_limit(w, now)):
                    res = self._failed(w, why)
                    w.task = None
                    self._retire(w, kill=True)
                    yield res
            for w in [w for w in self.workers if w.ready and w.task is None and not pending]:
                self._retire(w, kill=False)
