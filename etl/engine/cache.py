"""Content-addressed cache of parsed documents, shared by every build on this machine.

Key: SHA-256 of the file bytes plus a fingerprint of the parser code (every `.py` and reference
file under `etl/` and the business rules under `rules/`), so editing a recogniser or a rule
invalidates old entries and an unchanged file is never parsed twice. Entries are pickles written
atomically by the worker that parsed the file (`.pkl`: the parsed document, with its check results; `.tables`: its warehouse rows as Arrow IPC, ready to load when it has no copies);
a deterministic failure (not a disclosure, bad PDF…) is cached too, timeouts and memory kills
are not. Location: `$SHEBAO_ETL_CACHE`, else `$XDG_CACHE_HOME/shebao-etl`, else
`~/.cache/shebao-etl`; `etl build --no-cache` parses into a throwaway folder instead.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path

ETL_DIR = Path(__file__).resolve().parent.parent
_SKIP = {"engine", "__pycache__"}


@cache
def parser_fingerprint() -> str:
    """Hash of the parser's source and reference data (the engine itself does not change output)."""
    h = hashlib.sha256()
    # The warehouse schema shapes the cached Arrow rows, so it is part of the parser's identity.
    h.update((ETL_DIR.parent / "warehouse" / "schema.py").read_bytes())
    # The rules the parser and the checks apply (units, templates, labels …) are part of it too.
    for p in sorted((ETL_DIR.parent / "rules").glob("*.py")):
        h.update(f"rules/{p.name}".encode())
        h.update(p.read_bytes())
    for p in sorted(ETL_DIR.rglob("*")):
        rel = p.relative_to(ETL_DIR)
        if not p.is_file() or _SKIP & set(rel.parts) or p.suffix not in (".py", ".csv", ".tsv", ".txt", ".json"):
            continue
        h.update(str(rel).encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def default_cache_dir() -> Path:
    if env := os.environ.get("SHEBAO_ETL_CACHE"):
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "shebao-etl"


class ParseCache:
    """Parsed documents by content hash, in `<root>/<fingerprint>/<sha[:2]>/<sha>.pkl`."""

    def __init__(self, root: Path, fingerprint: str | None = None):
        self.root = Path(root)
        self.dir = self.root / (fingerprint or parser_fingerprint())

    def path(self, sha256: str, kind: str = "pkl") -> Path:
        return self.dir / sha256[:2] / f"{sha256}.{kind}"

    def get(self, sha256: str, kind: str = "pkl"):
        p = self.path(sha256, kind)
        try:
            with open(p, "rb") as f:
                return pickle.load(f)
        except FileNotFoundError:
            return None
        except Exception:  # a torn or foreign entry is a miss, and is rewritten
            p.unlink(missing_ok=True)
            return None

    def put(self, sha256: str, entry, kind: str = "pkl") -> Path:
        p = self.path(sha256, kind)
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(entry, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, p)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return p
