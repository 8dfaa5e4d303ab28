"""Uploaded files staged before anything is parsed: ZIPs streamed and bounded, names kept as data,
disk faults reported as reasons, staging swept by the age of the staging event.

Why each bound is where it is (issue #20):
- `zipfile.ZipFile()` reads the whole central directory into memory before anything can be
  checked (4 million entries in a 192 MB upload took the app to 2.5 GB), so the entry count and
  the directory's size are read from the end record first and a ZIP over either cap is refused
  before the directory is touched.
- A directory can lie about every size, so members are inflated as a stream and the bytes that
  actually come out are counted: per member (the file cap, and a ratio to the member's real span in
  the archive), per archive (a ratio to the archive's size, against hundreds of members each just
  under a per-member threshold), per upload and per day.
- A corrupt member (`zlib.error`, `OSError` from bzip2, a CRC mismatch) is skipped with its reason;
  the good members go on. Archives inside archives are refused: nothing is unpacked twice.
- A disk that fills while staging leaves no partial file and gives one reason, never a traceback.
- A staged file lives STAGING_MAX_AGE_S from its latest staging (a sidecar records when), not from
  the file's age: a re-upload of an abandoned file renews it, so it cannot be swept between
  preview and accept.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import io
import json
import lzma
import os
import struct
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from etl.engine.names import short_name

STAGING_MAX_AGE_S = 24 * 3600
ARCHIVE_FLOOR = 4 * 2**20  # a small archive may inflate to this whatever its ratio
TMP_MAX_AGE_S = 3600  # a `.tmp-` file older than this belongs to a process that died
_EOCD = b"PK\x05\x06"
_EOCD64 = b"PK\x06\x06"
_NESTED = {b"PK\x03\x04": "ZIP", b"Rar!": "RAR", b"7z\xbc\xaf\x27\x1c": "7z", b"\x1f\x8b": "gzip"}
_MEMBER_ERRORS = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, RuntimeError, NotImplementedError)
_open = open  # the file opener staging writes through (a test swaps it for a full disk)


@dataclass(frozen=True)
class UploadLimits:
    max_file_bytes: int = 50 * 2**20
    max_files: int = 200  # per upload, ZIP members included
    max_upload_bytes: int = 300 * 2**20  # everything one upload stores, ZIP members inflated
    max_day_bytes: int = 2 * 2**30  # everything stored in one (UTC) day, all sessions together
    max_zip_ratio: int = 100  # inflated / compressed, per member over 1 MiB and per archive
    max_zip_entries: int = 1000  # central directory entries (folders included), from the end record
    max_zip_directory_bytes: int = 2**20  # central directory size, from the end record


UPLOAD_LIMITS = UploadLimits()


@dataclass
class Stored:
    original_name: str  # as shown to people; never used as a path
    sha256: str
    path: Path | None
    message: str  # "" when stored, else the reason it was refused


class Refused(Exception):
    """One upload item (a file or a whole archive) refused; the message is the Chinese reason."""


def storage_reason(exc: OSError) -> str:
    """A disk fault as one Chinese line (no path, no traceback)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "服务器存储空间不足，文件未保存（未留下不完整的文件）"
    return f"服务器无法保存文件（{errno.errorcode.get(exc.errno or 0, '读写错误')}），未留下不完整的文件"


def is_storage_fault(exc: BaseException) -> bool:
    """A full disk, a quota or a file-size limit, as Python or DuckDB reports it."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return True
    text = str(exc).lower()
    return any(k in text for k in ("no space left", "disk quota", "file too large", "not enough space"))


def _as_stream(data: bytes | BinaryIO) -> BinaryIO:
    return io.BytesIO(data) if isinstance(data, bytes | bytearray | memoryview) else data


def _size(f: BinaryIO) -> int:
    return f.seek(0, os.SEEK_END)


def zip_directory(f: BinaryIO) -> tuple[int, int]:
    """(entries, directory bytes) from the end record (ZIP64 too), read without the directory."""
    size = _size(f)
    n_tail = min(size, 22 + 0xFFFF + 20 + 56)
    f.seek(size - n_tail)
    tail = f.read(n_tail)
    i = tail.rfind(_EOCD)
    if i < 0 or len(tail) - i < 22:
        raise Refused("不是完整的 ZIP 压缩包（找不到目录结束记录）")
    entries, dir_bytes, _offset = struct.unpack_from("<HLL", tail, i + 10)
    if entries == 0xFFFF or 0xFFFFFFFF in (dir_bytes, _offset):
        j = tail.rfind(_EOCD64, 0, i)
        if j < 0 or i - j < 56:
            raise Refused("ZIP64 压缩包的目录记录不完整")
        entries, dir_bytes = struct.unpack_from("<QQ", tail, j + 32)
    return entries, dir_bytes


def check_directory(f: BinaryIO, limits: UploadLimits) -> None:
    entries, dir_bytes = zip_directory(f)
    if entries > limits.max_zip_entries:
        raise Refused(f"压缩包内条目过多（{entries} 个，上限 {limits.max_zip_entries}），未展开")
    if dir_bytes > limits.max_zip_directory_bytes:
        raise Refused(
            f"压缩包目录过大（{dir_bytes / 2**20:.1f} MiB，上限 {limits.max_zip_directory_bytes // 2**20} MiB），未展开"
        )


def is_office_zip(f: BinaryIO, limits: UploadLimits = UPLOAD_LIMITS) -> bool:
    """An xlsx/docx/ods is a ZIP too: stored whole and left to the parser (which has its own caps)."""
    try:
        check_directory(f, limits)
        f.seek(0)
        with zipfile.ZipFile(f) as zf:
            names = set(zf.namelist())
    except (Refused, zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names or "mimetype" in names


def _member_name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if not info.flag_bits & 0x800:  # no UTF-8 flag: Windows tools write the local code page (GBK)
        name = name.encode("cp437", "replace").decode("gb18030", "replace")
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def _spans(infos: list[zipfile.ZipInfo], end: int) -> dict[int, int]:
    """Each member's real extent in the archive (header to next header): an upper bound on its
    compressed bytes that the directory cannot inflate."""
    starts = sorted({i.header_offset for i in infos} | {end})
    nxt = dict(zip(starts, starts[1:]))
    return {id(i): max(nxt.get(i.header_offset, end) - i.header_offset, 1) for i in infos}


class _Budget:
    """Bytes an upload may still store: per upload and per day, counted as they come out."""

    def __init__(self, upload_left: int, day_left: int):
        self.upload_left, self.day_left, self.spent = upload_left, day_left, 0

    def cap(self, file_cap: int) -> int:
        return min(file_cap, self.upload_left, self.day_left)

    def reason(self, n: int, limits: UploadLimits) -> str:
        if n > limits.max_file_bytes:
            return f"文件过大（超过 {limits.max_file_bytes // 2**20} MiB），已拒绝"
        if self.day_left < self.upload_left:  # the cap that binds is today's
            return f"已达今日上传总量上限（{limits.max_day_bytes // 2**20} MiB），已拒绝"
        return f"超过单次上传总量上限（{limits.max_upload_bytes // 2**20} MiB），已拒绝"

    def spend(self, n: int) -> None:
        self.upload_left -= n
        self.day_left -= n
        self.spent += n


def _inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, member_cap: int, archive_left: int) -> bytes:
    """A member's bytes, streamed: stops at `cap` bytes out (file, upload, day), at `member_cap`
    (its ratio to its real span, past 1 MiB) or past `archive_left` (the archive's ratio)."""
    out = bytearray()
    with zf.open(info) as f:
        while chunk := f.read(1 << 16):
            out += chunk
            if len(out) > cap:
                raise _OverCap(len(out))
            if len(out) > 2**20 and len(out) > member_cap:
                raise Refused("压缩比异常（疑似压缩炸弹），已拒绝")
            if len(out) > archive_left:
                raise Refused("压缩包解压总量与其大小之比异常（疑似压缩炸弹），已拒绝")
    return bytes(out)


class _OverCap(Exception):
    pass


def _nested(body: bytes, limits: UploadLimits) -> str | None:
    for magic, kind in _NESTED.items():
        if body.startswith(magic) and not (kind == "ZIP" and is_office_zip(io.BytesIO(body), limits)):
            return f"压缩包内的 {kind} 压缩包不展开，请先解压后上传"
    return None


def zip_members(f: BinaryIO, limits: UploadLimits, budget: _Budget):
    """(name, bytes or None, reason) for each member, inflated one at a time under every cap."""
    check_directory(f, limits)
    f.seek(0)
    archive = _size(f)
    f.seek(0)
    with zipfile.ZipFile(f) as zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > limits.max_files:
            raise Refused(f"压缩包内文件过多（{len(infos)} 个，上限 {limits.max_files}）")
        spans = _spans(zf.infolist(), archive)
        archive_cap = max(limits.max_zip_ratio * archive, ARCHIVE_FLOOR)
        inflated = 0
        for info in infos:
            name = _member_name(info)
            try:
                body = _inflate(
                    zf,
                    info,
                    budget.cap(limits.max_file_bytes),
                    limits.max_zip_ratio * spans[id(info)],
                    archive_cap - inflated,
                )
            except _OverCap as exc:
                yield name, None, budget.reason(exc.args[0], limits)
                continue
            except Refused as exc:
                yield name, None, str(exc)
                continue
            except _MEMBER_ERRORS as exc:
                yield name, None, f"压缩包内文件损坏，无法解压（{type(exc).__name__}），已跳过；其他文件照常处理"
                continue
            inflated += len(body)
            yield name, body, _nested(body, limits) or ""


def _write_atomic(target: Path, data: bytes) -> None:
    """Write under a temporary name and rename: a full disk leaves no partial file behind."""
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        with _open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _sidecar(folder: Path, sha: str, shown: str, size: int) -> None:
    """The original name (as data) and when it was last staged: the sweep reads `staged_at`."""
    meta = folder / f"{sha}.json"
    try:
        old = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        old = {}
    now = int(time.time())
    body = {
        "original_name": old.get("original_name") or shown,
        "bytes": size,
        "uploaded_at": old.get("uploaded_at", now),
    }
    body["staged_at"] = now
    _write_atomic(meta, json.dumps(body, ensure_ascii=False).encode("utf-8"))


def _ext(name: str) -> str:
    """The name's ending, kept for people looking at the folder (never to decide the form); `.json`
    is the sidecar's."""
    ext = Path(name).suffix.lower()
    return ext if ext.isascii() and ext[1:].isalnum() and len(ext) <= 6 and ext != ".json" else ""


def _staged(folder: Path, sha: str) -> Path | None:
    """The file already staged for this content, whatever name it came with."""
    for p in folder.glob(f"{sha}*") if folder.is_dir() else ():
        if p.name[64:] == _ext(p.name) and p.suffix != ".json":
            return p
    return None


def store_one(name: str, data: bytes, folder: Path, limits: UploadLimits) -> Stored:
    """One file under `<sha256><ext>` with its sidecar; a reason instead when it cannot be."""
    shown = short_name(name)
    if len(data) > limits.max_file_bytes:
        return Stored(
            shown, "", None, f"文件过大（{len(data) / 2**20:.1f} MiB，上限 {limits.max_file_bytes // 2**20} MiB）"
        )
    if not data.strip():
        return Stored(shown, "", None, "空文件")
    sha = hashlib.sha256(data).hexdigest()
    target = _staged(folder, sha) or folder / f"{sha}{_ext(shown)}"  # one file for one content
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            _write_atomic(target, data)
        _sidecar(folder, sha, shown, len(data))
    except OSError as exc:
        return Stored(shown, "", None, storage_reason(exc))
    return Stored(shown, sha, target, "")


@contextlib.contextmanager
def day_budget(folder: Path, limits: UploadLimits):
    """The bytes today's uploads may still store, in `<folder>/.daily.json`, under a lock."""
    folder.mkdir(parents=True, exist_ok=True)
    ledger = folder / ".daily.json"
    fd = os.open(folder / ".daily.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        today = time.strftime("%Y-%m-%d", time.gmtime())
        try:
            seen = json.loads(ledger.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            seen = {}
        used = seen.get("bytes", 0) if seen.get("day") == today else 0
        budget = _Budget(limits.max_upload_bytes, limits.max_day_bytes - used)
        yield budget
        with contextlib.suppress(OSError):  # a full disk: the files were refused anyway
            _write_atomic(ledger, json.dumps({"day": today, "bytes": used + budget.spent}).encode())
    finally:
        os.close(fd)


def _store_archive(name: str, f: BinaryIO, folder: Path, limits: UploadLimits, budget: _Budget, room: int):
    out: list[Stored] = []
    try:
        for member, body, why in zip_members(f, limits, budget):
            shown = f"{short_name(name)} / {short_name(member)}"
            if len(out) >= room:
                out.append(Stored(shown, "", None, f"超过单次上传文件数上限（{limits.max_files}）"))
            elif why:
                out.append(Stored(shown, "", None, why))
            else:
                s = store_one(member, body, folder, limits)
                budget.spend(len(body) if s.path else 0)
                out.append(s)
    except Refused as exc:
        out.append(Stored(short_name(name), "", None, str(exc)))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        out.append(Stored(short_name(name), "", None, f"无法展开压缩包（{type(exc).__name__}）"))
    return out


def _read_capped(f: BinaryIO, cap: int) -> bytes:
    f.seek(0)
    return f.read(cap + 1)


def store_all(files, folder: Path, limits: UploadLimits) -> list[Stored]:
    """Stage each (name, bytes or binary file) of one upload; ZIPs expanded member by member."""
    out: list[Stored] = []
    with day_budget(folder.parent, limits) as budget:
        for name, data in files:
            f = _as_stream(data)
            room = limits.max_files - len(out)
            if room <= 0:
                out.append(Stored(short_name(name), "", None, f"超过单次上传文件数上限（{limits.max_files}）"))
                continue
            f.seek(0)
            if f.read(4) == b"PK\x03\x04" and not is_office_zip(f, limits):
                out.extend(_store_archive(name, f, folder, limits, budget, room))
                continue
            body = _read_capped(f, budget.cap(limits.max_file_bytes))
            if len(body) > budget.cap(limits.max_file_bytes):
                out.append(Stored(short_name(name), "", None, budget.reason(_size(f), limits)))
                continue
            s = store_one(name, body, folder, limits)
            budget.spend(len(body) if s.path else 0)
            out.append(s)
    return out


def clean_staging(folder: Path, max_age_s: float = STAGING_MAX_AGE_S) -> int:
    """Remove what nobody confirmed within `max_age_s` of its latest staging (the sidecar's
    `staged_at`), and temporary files of writers that died."""
    if not folder.is_dir():
        return 0
    now, removed = time.time(), 0
    for meta in folder.glob("*.json"):
        try:
            staged = json.loads(meta.read_text(encoding="utf-8"))["staged_at"]
        except (OSError, ValueError, KeyError, TypeError):
            staged = meta.stat().st_mtime
        if now - staged > max_age_s:
            sha = meta.stem
            for p in folder.glob(f"{sha}*"):
                p.unlink(missing_ok=True)
                removed += 1
    for p in folder.glob(".*.tmp-*"):
        if now - p.stat().st_mtime > TMP_MAX_AGE_S:
            p.unlink(missing_ok=True)
    return removed
