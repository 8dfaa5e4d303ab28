"""Which files are unchanged since the last build, without reading them again.

Maps a path's (size, mtime, inode) to its content hash and the small summary the build needs
(ok/failed, message, disclosure key). Kept per parser fingerprint next to the parse cache; a
hit is trusted only while the cached entry still exists. A changed file is read (and hashed)
once, in its worker.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from dataclasses import replace
from pathlib import Path

from etl.engine.cache import ParseCache
from etl.engine.task import TaskResult

FILE = "stat-index.pkl"


def _stamp(p: Path) -> tuple | None:
    try:
        st = p.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


class StatIndex:
    def __init__(self, root: Path, enabled: bool = True):
        self.enabled = enabled
        self.file: Path | None = None
        self.entries: dict[str, tuple] = {}
        self.dirty = False
        if enabled:
            self.file = ParseCache(root).dir / FILE
            try:
                with open(self.file, "rb") as f:
                    self.entries = pickle.load(f)
            except Exception:
                self.entries = {}

    def lookup(self, p: Path, cache: ParseCache) -> TaskResult | None:
        key = os.path.abspath(p)
        hit = self.entries.get(key)
        if hit is None or hit[0] != _stamp(p):
            return None
        summary: TaskResult = hit[1]
        entry = cache.path(summary.sha256)
        if not entry.exists():
            return None
        return replace(summary, path=str(p), cached=True, entry_path=str(entry), elapsed_s=0.0)

    def record(self, p: Path, r: TaskResult) -> None:
        if not self.enabled or r.retryable or not r.sha256 or r.entry_path is None:
            return
        self.entries[os.path.abspath(p)] = (_stamp(p), replace(r, payload=None))
        self.dirty = True

    def save(self) -> None:
        if not (self.enabled and self.dirty and self.file):
            return
        self.file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.file.parent, prefix=".tmp-index-")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(self.entries, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.file)
        self.dirty = False
