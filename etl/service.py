"""The ETL as the app uses it: uploads stored by content, previewed in isolation, and rebuilds of
the shared warehouse serialised by one lock and published by the atomic swap.

Why a lock: the first start, an upload and a command-line rebuild may all want to publish at
once; two builds racing would each publish and prune, and a slow one could publish older data
over a newer one. `build_lock()` is an exclusive `flock` on `warehouse/data/.build.lock`, held
for the whole parse-load-publish; readers never take it (they open published files read-only).

Uploads: each file is stored once as `<sha256><ext>` under the upload folder with a JSON sidecar
holding the original name (as data, never a path). A ZIP is expanded with limits on entry count,
total and per-entry size and ratio; entry names never become paths. The form is sniffed from the
bytes by the readers, never trusted from the name.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from etl.engine.limits import DEFAULT_LIMITS, Limits
from etl.engine.names import display_name
from warehouse import paths

ROOT = Path(__file__).resolve().parent.parent
RAW_DIR = ROOT / "data" / "raw"
UPLOAD_DIR = Path(os.environ.get("SHEBAO_UPLOAD_DIR", ROOT / "data" / "uploads"))
STAGING_DIR = UPLOAD_DIR / ".staging"  # stored and previewed, not yet in the shared warehouse
STAGING_MAX_AGE_S = 24 * 3600
UPLOADS_ENABLED = os.environ.get("SHEBAO_UPLOADS", "on").lower() not in ("0", "off", "false", "no")


@dataclass(frozen=True)
class UploadLimits:
    max_file_bytes: int = 50 * 2**20
    max_files: int = 200  # per upload, ZIP members included
    max_zip_bytes: int = 300 * 2**20  # all members of one ZIP, uncompressed
    max_zip_ratio: int = 100  # uncompressed / compressed, per member over 1 MiB


UPLOAD_LIMITS = UploadLimits()
MAX_LOSS = 0.2  # share of the current warehouse's disclosures a rebuild may lose before it is refused


@dataclass
class Stored:
    original_name: str  # as shown to people; never used as a path
    sha256: str
    path: Path | None
    message: str  # "" when stored, else the reason it was refused


@contextlib.contextmanager
def build_lock(folder: Path | None = None, wait_s: float = 600.0) -> Iterator[None]:
    folder = Path(folder or paths.DATA_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / ".build.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError("another build holds the warehouse lock") from None
                time.sleep(0.2)
        yield
    finally:
        os.close(fd)  # closing releases the flock


def _store(name: str, data: bytes, folder: Path, limits: UploadLimits) -> Stored:
    shown = display_name(name)
    if len(data) > limits.max_file_bytes:
        return Stored(
            shown, "", None, f"文件过大（{len(data) / 2**20:.1f} MiB，上限 {limits.max_file_bytes // 2**20} MiB）"
        )
    if not data.strip():
        return Stored(shown, "", None, "空文件")
    sha = hashlib.sha256(data).hexdigest()
    ext = Path(shown).suffix.lower()
    ext = ext if ext.isascii() and ext[1:].isalnum() and len(ext) <= 6 else ""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{sha}{ext}"
    if not target.exists():
        tmp = folder / f".{sha}.tmp-{os.getpid()}"
        tmp.write_bytes(data)
        os.replace(tmp, target)
    meta = folder / f"{sha}.json"
    if not meta.exists():
        meta.write_text(
            json.dumps(
                {"original_name": shown, "bytes": len(data), "uploaded_at": int(time.time())}, ensure_ascii=False
            ),
            encoding="utf-8",
        )
    return Stored(shown, sha, target, "")


def _zip_members(data: bytes, limits: UploadLimits) -> Iterator[tuple[str, bytes | None, str]]:
    """(name, bytes or None, reason) for each member; refuses bombs before inflating."""
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > limits.max_files:
            raise ValueError(f"压缩包内文件过多（{len(infos)} 个，上限 {limits.max_files}）")
        if sum(i.file_size for i in infos) > limits.max_zip_bytes:
            raise ValueError(f"压缩包解压后过大（上限 {limits.max_zip_bytes // 2**20} MiB）")
        for i in infos:
            name = (
                i.filename
                if i.flag_bits & 0x800
                else i.filename.encode("cp437", "replace").decode("gb18030", "replace")
            )
            base = name.replace("\\", "/").rsplit("/", 1)[-1]
            if i.file_size > 2**20 and i.file_size > limits.max_zip_ratio * max(i.compress_size, 1):
                yield base, None, "压缩比异常（疑似压缩炸弹），已拒绝"
            elif i.file_size > limits.max_file_bytes:
                yield base, None, "文件过大，已拒绝"
            else:
                yield base, zf.read(i), ""


def store_uploads(
    files: list[tuple[str, bytes]], folder: Path | None = None, limits: UploadLimits = UPLOAD_LIMITS
) -> list[Stored]:
    """Stage uploaded files (ZIPs expanded) under content-addressed names; refuse with reasons."""
    folder = Path(folder or STAGING_DIR)
    clean_staging(folder)
    out: list[Stored] = []
    for name, data in files:
        if len(out) >= limits.max_files:
            out.append(Stored(display_name(name), "", None, f"超过单次上传文件数上限（{limits.max_files}）"))
            continue
        if data[:4] == b"PK\x03\x04" and not _is_office_zip(data):
            try:
                for member, body, why in _zip_members(data, limits):
                    shown = f"{display_name(name)} / {display_name(member)}"
                    out.append(
                        _store(member, body, folder, limits) if body is not None else Stored(shown, "", None, why)
                    )
            except (zipfile.BadZipFile, ValueError, RuntimeError) as exc:
                out.append(Stored(display_name(name), "", None, f"无法展开压缩包：{exc}"))
            continue
        out.append(_store(name, data, folder, limits))
    return out


def _is_office_zip(data: bytes) -> bool:
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist()[:2000])
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names or "mimetype" in names


def clean_staging(folder: Path | None = None, max_age_s: float = STAGING_MAX_AGE_S) -> int:
    """Remove staged uploads nobody confirmed within a day."""
    folder = Path(folder or STAGING_DIR)
    if not folder.is_dir():
        return 0
    old = [p for p in folder.iterdir() if p.is_file() and time.time() - p.stat().st_mtime > max_age_s]
    for p in old:
        p.unlink(missing_ok=True)
    return len(old)


def accept_uploads(stored: list[Stored], folder: Path | None = None) -> list[Path]:
    """Move previewed files from staging into the upload folder the rebuild reads."""
    folder = Path(folder or UPLOAD_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    moved = []
    for s in stored:
        if s.path is None or not s.path.exists():
            continue
        for src in (s.path, s.path.with_name(f"{s.sha256}.json")):
            if src.exists():
                os.replace(src, folder / src.name)
        moved.append(folder / s.path.name)
    return moved


def uploaded_files(folder: Path | None = None) -> list[Path]:
    folder = Path(folder or UPLOAD_DIR)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".") and p.suffix != ".json")


def original_name(path: Path) -> str:
    meta = path.with_name(path.name.split(".")[0] + ".json")
    try:
        return json.loads(meta.read_text(encoding="utf-8"))["original_name"]
    except (OSError, ValueError, KeyError):
        return display_name(path.name)


def preview(
    stored: list[Stored],
    limits: Limits = DEFAULT_LIMITS,
    jobs: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict]:
    """Parse stored files in the isolated pool (cached) and say what each one is."""
    from etl.build import Engine
    from etl.engine.cache import default_cache_dir
    from etl.engine.pool import IsolatedPool
    from etl.engine.task import load_entry

    todo = [(i, str(s.path)) for i, s in enumerate(stored) if s.path is not None]
    rows: dict[int, dict] = {}
    cache_root = str(default_cache_dir())
    pool = IsolatedPool(Engine(jobs=jobs).n_jobs(), limits, cache_root)
    for n, r in enumerate(pool.run(todo), 1):
        row = {"文件": stored[r.index].original_name, "结果": "可读取" if r.ok else "失败", "说明": r.message}
        if r.ok:
            _kind, parsed = load_entry(r)
            checks = parsed.checks or []
            i = parsed.info
            row.update(
                {
                    "单位": i.get("unit_name"),
                    "年度": i.get("fiscal_year"),
                    "阶段": i.get("stage"),
                    "核验未通过": sum(1 for c in checks if c.get("status") == "fail"),
                }
            )
        rows[r.index] = row
        if progress:
            progress(n, len(todo))
    return [rows.get(i) or {"文件": s.original_name, "结果": "已拒绝", "说明": s.message} for i, s in enumerate(stored)]


def publish_guard(baseline: Path | None, max_loss: float = MAX_LOSS):
    """The veto a build applies before its swap (the CLI's and the app's rebuilds alike): nothing
    loaded, or more than `max_loss` of the disclosures of `baseline` lost."""
    import duckdb

    def accept(con) -> str | None:
        n = con.execute("SELECT count(*) FROM core_documents").fetchone()[0]
        if n == 0:
            return "no disclosure loaded"
        if baseline is None or not Path(baseline).exists():
            return None
        try:
            with duckdb.connect(str(baseline), read_only=True) as old:
                prev = old.execute("SELECT count(*) FROM core_documents").fetchone()[0]
        except duckdb.Error:
            return None
        if n < prev * (1 - max_loss):
            return f"{n} disclosures would replace {prev} in {Path(baseline).name} (more than {max_loss:.0%} lost)"
        return None

    return accept


def rebuild(
    extra_inputs: list[Path] | None = None, max_loss: float = MAX_LOSS, on_file: Callable | None = None
) -> tuple[Path, int]:
    """Rebuild the shared warehouse from the samples and every upload, under the build lock."""
    from etl.build import build

    inputs = [RAW_DIR, *([UPLOAD_DIR] if UPLOAD_DIR.is_dir() else []), *(extra_inputs or [])]
    with build_lock():
        target, current = paths.default_db_path(), paths.current_db_path()
        result = build(inputs, target, on_file=on_file, accept=publish_guard(current, max_loss), base=current)
        paths.publish(result.db_path)
    return result.db_path, result.documents


def ensure_warehouse(progress: Callable[[int, int, str], None] | None = None) -> Path:
    """The published warehouse; built from the samples (and uploads) on first start, once, even
    when many sessions arrive together."""
    current = paths.current_db_path()
    if current is not None:
        return current
    with build_lock():
        current = paths.current_db_path()  # another session built it while we waited
        if current is not None:
            return current
        from etl.build import build

        inputs = [RAW_DIR, *([UPLOAD_DIR] if UPLOAD_DIR.is_dir() else [])]
        result = build(inputs, paths.default_db_path(), progress=progress)
        paths.publish(result.db_path)
        return result.db_path
