"""The ETL as the app uses it: uploads staged by content, previewed in isolation, and added to
the shared warehouse by builds serialised by one lock and published by the atomic swap.

Why a lock: the first start, an upload and a command-line rebuild may all want to publish at
once; two builds racing would each publish and prune, and a slow one could publish older data
over a newer one. `build_lock()` is an exclusive `flock` on `warehouse/data/.build.lock`, held
for the whole parse-load-publish; readers never take it (they open published files read-only).

Uploads (issue #20): staged by `etl.uploads` (ZIPs streamed and bounded, disk faults as reasons);
the preview says what the build will do with each file, by its content; an accepted upload is
added to the current warehouse, whatever built it, by an incremental build (the current
disclosures copied in SQL, only the upload parsed), and the message that follows counts what the
new warehouse holds for the uploaded files. A file that did not load is named with its reason and
leaves the queue. Every default build reads `data/raw` and every accepted upload, each file given
by path: an upload's name says nothing about its form.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from etl import uploads
from etl.engine.limits import DEFAULT_LIMITS, Limits
from etl.engine.names import short_name
from etl.uploads import UPLOAD_LIMITS, Stored, UploadLimits, storage_reason  # noqa: F401  (the page's API)
from rules.labels import FORMS_ZH, reason_zh, stage_zh
from warehouse import paths

ROOT = Path(__file__).resolve().parent.parent
RAW_DIR = ROOT / "data" / "raw"
UPLOAD_DIR = Path(os.environ.get("SHEBAO_UPLOAD_DIR", ROOT / "data" / "uploads"))
STAGING_DIR = UPLOAD_DIR / ".staging"  # stored and previewed, not yet in the shared warehouse
STAGING_MAX_AGE_S = uploads.STAGING_MAX_AGE_S
UPLOADS_ENABLED = os.environ.get("SHEBAO_UPLOADS", "on").lower() not in ("0", "off", "false", "no")
MAX_LOSS = 0.2  # share of the current warehouse's disclosures a rebuild may lose before it is refused
EXPIRED = "暂存已过期（超过 24 小时未确认），请重新上传"


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


def store_uploads(files: list, folder: Path | None = None, limits: UploadLimits = UPLOAD_LIMITS) -> list[Stored]:
    """Stage one upload: (name, bytes or a binary file) each; ZIPs expanded member by member."""
    folder = Path(folder or STAGING_DIR)
    uploads.clean_staging(folder)
    return uploads.store_all(files, folder, limits)


def clean_staging(folder: Path | None = None, max_age_s: float = STAGING_MAX_AGE_S) -> int:
    return uploads.clean_staging(Path(folder or STAGING_DIR), max_age_s)


def accept_uploads(stored: list[Stored], folder: Path | None = None) -> list[Path]:
    """Move previewed files from staging into the upload queue every default build reads. A file
    swept from staging meanwhile gets `EXPIRED` as its message and is not moved."""
    folder = Path(folder or UPLOAD_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    moved = []
    for s in stored:
        if s.path is None:
            continue
        if not s.path.exists() and not (folder / s.path.name).exists():  # moved by an identical file
            s.message = EXPIRED
            continue
        for src in (s.path, s.path.with_name(f"{s.sha256}.json")):
            if src.exists():
                os.replace(src, folder / src.name)
        moved.append(folder / s.path.name)
    return sorted(set(moved))  # identical files of one upload are one file


def uploaded_files(folder: Path | None = None) -> list[Path]:
    """The accepted uploads, whatever their names end with (their form is sniffed from content)."""
    folder = Path(folder or UPLOAD_DIR)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".") and p.suffix != ".json")


def default_inputs() -> list[Path]:
    """What every default build reads (the app's first start and rebuilds, `etl build` without
    `--input`): the samples and every accepted upload, the uploads by path."""
    return [RAW_DIR, *uploaded_files()]


def original_name(path: Path) -> str:
    meta = path.with_name(path.name[:64] + ".json")
    try:
        return short_name(json.loads(meta.read_text(encoding="utf-8"))["original_name"])
    except (OSError, ValueError, KeyError):
        return short_name(path.name)


def dequeue(path: Path) -> None:
    """Take a file out of the upload queue (it will not be read by any later build)."""
    Path(path).unlink(missing_ok=True)
    Path(path).with_name(Path(path).name[:64] + ".json").unlink(missing_ok=True)


def _preview_row(stored: Stored, r) -> dict:
    from etl.engine.task import load_entry

    if not r.ok:
        return {"文件": stored.original_name, "结果": "不会载入", "形式": None, "说明": reason_zh(r.message)}
    _kind, parsed = load_entry(r)
    i = parsed.info
    return {
        "文件": stored.original_name,
        "结果": "将载入",
        "形式": FORMS_ZH.get(r.fmt, r.fmt),
        "单位": i.get("unit_name"),
        "年度": i.get("fiscal_year"),
        "阶段": i.get("stage"),
        "核验未通过": sum(1 for c in parsed.checks or [] if c.get("status") == "fail"),
        "说明": "按内容识别，将作为公开文档载入",
    }


def preview(
    stored: list[Stored],
    limits: Limits = DEFAULT_LIMITS,
    jobs: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict]:
    """Parse staged files in the isolated pool (cached) and say what the build will do with each,
    by its content. Identical files (one staged path) are parsed once."""
    from etl.build import Engine
    from etl.engine.cache import default_cache_dir
    from etl.engine.pool import IsolatedPool

    first: dict[Path, int] = {}
    for i, s in enumerate(stored):
        if s.path is not None:
            first.setdefault(s.path, i)
    todo = [(i, str(p)) for p, i in first.items()]
    results: dict[Path, object] = {}
    pool = IsolatedPool(Engine(jobs=jobs).n_jobs(), limits, str(default_cache_dir()))
    for n, r in enumerate(pool.run(todo), 1):
        results[Path(r.path)] = r
        if progress:
            progress(n, len(todo))
    rows = []
    for i, s in enumerate(stored):
        if s.path is None:
            rows.append({"文件": s.original_name, "结果": "已拒绝", "说明": s.message})
            continue
        row = _preview_row(s, results[s.path])
        if first[s.path] != i:
            same = stored[first[s.path]].original_name
            row["说明"] = (
                f"与「{same}」内容相同，只载入一次" if row["结果"] == "将载入" else f"与「{same}」内容相同，同上"
            )
        rows.append(row)
    return rows


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


@dataclass
class UploadReport:
    """What an upload did to the shared warehouse, as the page says it."""

    published: bool
    documents: int = 0  # disclosures in the shared warehouse afterwards
    loaded: list[tuple[str, str]] = field(default_factory=list)  # (file, the disclosure it is in)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason); left the queue
    reason: str = ""  # why nothing was published

    @property
    def message(self) -> str:
        if not self.published:
            return f"未发布新数据仓库：{self.reason}原数据仓库保持不变（{self.documents} 份公开文档）。"
        docs = len({d for _n, d in self.loaded})
        return (
            f"已发布：本次 {len(self.loaded) + len(self.failed)} 个文件中 {len(self.loaded)} 个已载入"
            f"（{docs} 份公开文档），数据仓库现有 {self.documents} 份公开文档。"
        )


def _upload_guard(current: Path | None, files: list[Path], seen: dict) -> Callable:
    """The publish guard of an upload: the general guard, then what the new warehouse holds for
    each uploaded file (by content hash); nothing new is published when no uploaded file loaded."""
    general = publish_guard(current)
    shas = sorted({p.name[:64] for p in files})

    def accept(con) -> str | None:
        if why := general(con):
            return why
        rows = con.execute(
            "SELECT f.sha256, d.unit_name, d.fiscal_year, d.stage FROM core_source_files f "
            "JOIN core_documents d USING (doc_id) WHERE f.sha256 IN (SELECT unnest($1::VARCHAR[]))",
            [shas],
        ).fetchall()
        for sha, unit, year, stage in rows:
            seen[sha] = f"{unit} {year} 年{stage_zh(stage)}"
        seen["__documents__"] = con.execute("SELECT count(*) FROM core_documents").fetchone()[0]
        return None if len(seen) > 1 else "no uploaded file loaded"

    return accept


def _documents(db: Path | None) -> int:
    import duckdb

    if db is None:
        return 0
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            return con.execute("SELECT count(*) FROM core_documents").fetchone()[0]
    except duckdb.Error:
        return 0


def _fault_reason(exc: BaseException) -> str:
    """A build that could not finish, as one Chinese sentence (no path, no traceback)."""
    from warehouse.build import PublishRefused

    if isinstance(exc, TimeoutError):
        return "另一项重建正在进行，请稍后再试；文件仍在待载入队列中。"
    if isinstance(exc, PublishRefused):
        return "新数据仓库会丢失已有的公开文档，已拒绝。" if "lost" in str(exc) else "本次上传的文件都未能载入。"
    if uploads.is_storage_fault(exc):
        return "服务器存储空间不足，新数据仓库未写完，已丢弃。"
    if isinstance(exc, OSError):
        return "服务器无法写入数据仓库（读写错误），新数据仓库已丢弃。"
    return f"重建出错（{type(exc).__name__}），新数据仓库已丢弃。"


def add_uploads(files: list[Path] | None = None, on_file: Callable | None = None) -> UploadReport:
    """Add queued uploads to the current warehouse by an incremental build (whatever built the
    current one: a national warehouse takes an upload in seconds), under the build lock. Files that
    did not load leave the queue, named with their reason; so does every file of a refused build."""
    import duckdb

    from warehouse.build import PublishRefused

    files = sorted(files if files is not None else uploaded_files())
    seen: dict = {}
    outcomes: dict[Path, str] = {}  # why each file that failed to parse failed

    def record(o) -> None:
        if not o.ok:
            outcomes[Path(o.path)] = o.message
        if on_file:
            on_file(o)

    try:
        _incremental(files, seen, record)
    except TimeoutError as exc:  # the files stay queued: the next build reads them
        return UploadReport(False, _documents(paths.current_db_path()), reason=_fault_reason(exc))
    except (PublishRefused, OSError, duckdb.Error) as exc:
        seen.clear()  # nothing was published: no file is in the shared warehouse
        report = UploadReport(False, _documents(paths.current_db_path()), reason=_fault_reason(exc))
    else:
        report = UploadReport(True, seen.pop("__documents__"))
    for p in files:
        if p.name[:64] in seen:
            report.loaded.append((original_name(p), seen[p.name[:64]]))
            continue
        why = reason_zh(outcomes[p]) if p in outcomes else "未载入"
        report.failed.append((original_name(p), f"{why}；已从待载入队列移除"))
        dequeue(p)
    return report


def _incremental(files: list[Path], seen: dict, on_file: Callable) -> None:
    from etl.build import build

    with build_lock():
        current = paths.current_db_path()
        accept = _upload_guard(current, files, seen)
        inputs = files if current is not None else [RAW_DIR, *files]  # no warehouse yet: the samples too
        result = build(inputs, paths.default_db_path(), on_file=on_file, accept=accept, add_to=current)
        paths.publish(result.db_path)


def rebuild(
    extra_inputs: list[Path] | None = None, max_loss: float = MAX_LOSS, on_file: Callable | None = None
) -> tuple[Path, int]:
    """Rebuild the shared warehouse from the samples and every upload, under the build lock."""
    from etl.build import build

    with build_lock():
        inputs = [*default_inputs(), *(extra_inputs or [])]
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

        result = build(default_inputs(), paths.default_db_path(), progress=progress)
        paths.publish(result.db_path)
        return result.db_path
