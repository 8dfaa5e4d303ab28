"""Build progress: a bar with count, rate and ETA on a terminal (tqdm), plain periodic lines
otherwise (CI logs, pipes). The per-file `name: ok …` / `name: failed: …` lines are the CLI's
contract and go to stdout as each file finishes; progress goes to stderr."""

from __future__ import annotations

import sys
import time


def _eta(seconds: float) -> str:
    m, s = divmod(int(seconds), 60)
    h, m = divmod(m, 60)
    return f"{h}h{m:02d}m" if h else f"{m}m{s:02d}s"


class Progress:
    def __init__(self, total: int, stream=None, every_s: float = 10.0, tty: bool | None = None):
        self.total, self.done, self.failed = total, 0, 0
        self.stream = stream or sys.stderr
        self.every_s = every_s
        self.t0 = self.last = time.monotonic()
        tty = self.stream.isatty() if tty is None else tty
        self.bar = None
        if tty and total:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="file", file=self.stream, dynamic_ncols=True, smoothing=0.1)

    def update(self, ok: bool, line: str | None = None, out=None) -> None:
        self.done += 1
        self.failed += 0 if ok else 1
        out = out or sys.stdout
        if self.bar is not None:
            if line:
                self.bar.write(line, file=out)
            self.bar.update(1)
            self.bar.set_postfix(failed=self.failed, refresh=False)
            return
        if line:
            print(line, file=out, flush=True)
        now = time.monotonic()
        if now - self.last >= self.every_s or self.done == self.total:
            self.last = now
            print(self.status(now), file=self.stream, flush=True)

    def status(self, now: float | None = None) -> str:
        elapsed = (now or time.monotonic()) - self.t0
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate else 0.0
        return (
            f"progress: {self.done}/{self.total} files, {self.failed} failed, "
            f"{rate:.1f} files/s, elapsed {_eta(elapsed)}, ETA {_eta(left)}"
        )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
