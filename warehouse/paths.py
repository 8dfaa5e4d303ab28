"""Where the app's warehouse lives: versioned files plus a pointer file.

A rebuilt warehouse gets a new file name and `CURRENT` is rewritten to point at it (atomically),
so a process holding the old file open keeps a consistent view, and DuckDB's per-path instance
cache cannot hand the app the old database under the same name. Old files are deleted only when
no process has them open (DuckDB holds a POSIX lock on every open file), and the leftovers of
killed builds (`*.tmp-PID`, their `.wal`) are removed by the next build.
"""

from __future__ import annotations

import fcntl
import os
import re
import time
from pathlib import Path

DATA_DIR = Path(os.environ.get("SHEBAO_WAREHOUSE_DIR", Path(__file__).resolve().parent / "data"))
POINTER = "CURRENT"
_TMP = re.compile(r"\.tmp-(\d+)(\.wal)?$")


def default_db_path() -> Path:
    return DATA_DIR / f"warehouse-{time.time_ns()}.duckdb"


def _open_here(path: Path) -> bool:
    """Whether this process has the file open (a POSIX lock probe would release our own locks)."""
    target = str(path.resolve())
    try:
        fds = os.listdir("/proc/self/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink(f"/proc/self/fd/{fd}") == target:
                return True
        except OSError:
            continue
    return False


def in_use(path: Path) -> bool:
    """True while any process reads the warehouse file (DuckDB keeps a POSIX lock on it)."""
    path = Path(path)
    if not path.exists():
        return False
    if _open_here(path):
        return True
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return True
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_leftovers(folder: Path) -> list[Path]:
    """Remove `*.tmp-PID` files (and their WAL) whose build process is gone."""
    removed = []
    if not Path(folder).is_dir():
        return removed
    for p in Path(folder).iterdir():
        m = _TMP.search(p.name)
        if m and int(m.group(1)) != os.getpid() and not _pid_alive(int(m.group(1))):
            p.unlink(missing_ok=True)
            removed.append(p)
    return removed


def prune(folder: Path, keep: set[Path]) -> list[Path]:
    """Delete old versioned warehouse files that nobody reads; `keep` are never touched."""
    removed = []
    keep = {Path(k).resolve() for k in keep}
    for p in sorted(Path(folder).glob("warehouse-*.duckdb")):
        if p.resolve() in keep or in_use(p):
            continue
        p.unlink(missing_ok=True)
        Path(f"{p}.wal").unlink(missing_ok=True)
        removed.append(p)
    return removed


def publish(db_path: Path, keep: int = 2) -> None:
    """Point CURRENT at `db_path`; keep it and the one before; prune the rest when unread."""
    db_path = Path(db_path)
    previous = current_db_path(db_path.parent)
    pointer = db_path.parent / POINTER
    tmp = pointer.with_suffix(f".tmp-{os.getpid()}")
    tmp.write_text(db_path.name, encoding="utf-8")
    os.replace(tmp, pointer)
    kept = {db_path} | ({previous} if previous is not None and keep > 1 else set())
    prune(db_path.parent, kept)


def current_db_path(folder: Path | None = None) -> Path | None:
    folder = Path(folder or DATA_DIR)
    pointer = folder / POINTER
    if not pointer.exists():
        return None
    path = folder / pointer.read_text(encoding="utf-8").strip()
    return path if path.exists() else None
