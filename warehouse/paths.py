"""Where the app's warehouse lives: versioned files plus a pointer file.

A rebuilt warehouse gets a new file name and `CURRENT` is rewritten to point at it (atomically),
so a process holding the old file open keeps a consistent view, and DuckDB's per-path instance
cache cannot hand the app the old database under the same name.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

DATA_DIR = Path(os.environ.get("SHEBAO_WAREHOUSE_DIR", Path(__file__).resolve().parent / "data"))
POINTER = "CURRENT"


def default_db_path() -> Path:
    return DATA_DIR / f"warehouse-{time.time_ns()}.duckdb"


def publish(db_path: Path, keep: int = 2) -> None:
    db_path = Path(db_path)
    pointer = db_path.parent / POINTER
    tmp = pointer.with_suffix(f".tmp-{os.getpid()}")
    tmp.write_text(db_path.name, encoding="utf-8")
    os.replace(tmp, pointer)
    olds = sorted(p for p in db_path.parent.glob("warehouse-*.duckdb") if p != db_path)
    for p in olds[: -(keep - 1)] if keep > 1 else olds:
        p.unlink(missing_ok=True)


def current_db_path() -> Path | None:
    pointer = DATA_DIR / POINTER
    if not pointer.exists():
        return None
    path = DATA_DIR / pointer.read_text(encoding="utf-8").strip()
    return path if path.exists() else None
