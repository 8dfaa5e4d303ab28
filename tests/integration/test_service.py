"""Uploads and shared rebuilds (etl.service): content-addressed storage, ZIP limits, preview in
the isolated pool, one build at a time, first start built once however many sessions arrive."""

from __future__ import annotations

import io
import json
import threading
import zipfile

import duckdb

from etl import service
from tests.conftest import RAW, STEMS
from warehouse import paths

HJ = RAW / f"{STEMS['huojia']}.txt"
YC = RAW / f"{STEMS['yanchi']}.txt"


class _RawNameInfo(zipfile.ZipInfo):
    """A member whose name is stored as given bytes with no UTF-8 flag, as Windows zip tools do."""

    raw_name = b""

    def _encodeFilenameFlags(self):  # noqa: N802  (zipfile's own name)
        return self.raw_name, self.flag_bits


def _zip(members: dict[bytes, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for raw_name, data in members.items():
            info = _RawNameInfo(raw_name.decode("cp437"))
            info.raw_name = raw_name
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


def test_uploads_stored_by_content_with_the_name_as_data(dirs):
    data = YC.read_bytes()
    stored = service.store_uploads([("../../etc/盐池决算.txt", data), ("copy.txt", data)])
    assert [s.message for s in stored] == ["", ""]
    assert stored[0].path == stored[1].path  # one file for one content
    assert stored[0].path.parent == service.STAGING_DIR and stored[0].path.name == f"{stored[0].sha256}.txt"
    meta = json.loads(stored[0].path.with_name(f"{stored[0].sha256}.json").read_text(encoding="utf-8"))
    assert meta["original_name"] == "../../etc/盐池决算.txt" and meta["bytes"] == len(data)
    assert not (dirs / "etc").exists()


def test_zip_is_expanded_with_windows_names_and_bombs_refused(dirs):
    gbk_name = "获嘉预算.txt".encode("gbk")
    z = _zip({gbk_name: HJ.read_bytes(), b"dir/../../evil.txt": YC.read_bytes()})
    stored = service.store_uploads([("批量.zip", z)])
    assert sorted(s.original_name for s in stored) == ["evil.txt", "获嘉预算.txt"]
    assert all(s.path.parent == service.STAGING_DIR for s in stored)
    bomb = _zip({b"bomb.txt": b"0" * (50 * 2**20)})
    assert len(bomb) < 200_000
    (refused,) = service.store_uploads([("bomb.zip", bomb)])
    assert refused.path is None and "压缩炸弹" in refused.message
    many = _zip({f"{i}.txt".encode(): b"x" for i in range(5)})
    (too_many,) = service.store_uploads([("many.zip", many)], limits=service.UploadLimits(max_files=3))
    assert too_many.path is None and "文件过多" in too_many.message


def test_preview_says_what_each_file_is(dirs):
    stored = service.store_uploads([("yc.txt", YC.read_bytes()), ("junk.txt", bytes(range(256)) * 50), ("e.txt", b"")])
    rows = service.preview(stored, jobs=2)
    assert rows[0]["单位"] == "盐池县社会保险事业管理中心" and rows[0]["年度"] == 2024 and rows[0]["阶段"] == "final"
    assert isinstance(rows[0]["核验未通过"], int)
    assert rows[0]["结果"] == "将载入" and rows[0]["形式"] == "文本"
    assert rows[1]["结果"] == "不会载入" and rows[1]["说明"].startswith("不是文本或可识别的文档格式（二进制数据）")
    assert "binary data" in rows[1]["说明"]
    assert rows[2] == {"文件": "e.txt", "结果": "已拒绝", "说明": "空文件"}


def test_accepted_uploads_join_the_shared_warehouse(dirs):
    service.ensure_warehouse()
    stored = service.store_uploads([("yc.txt", YC.read_bytes())])
    service.accept_uploads(stored)
    assert not any(service.STAGING_DIR.iterdir())
    db, n = service.rebuild()
    assert n == 2 and paths.current_db_path() == db
    with duckdb.connect(str(db), read_only=True) as c:
        assert c.execute("SELECT count(*) FROM core_documents").fetchone() == (2,)


def test_concurrent_first_starts_build_once_and_rebuilds_serialise(dirs):
    errors: list[BaseException] = []

    def run(fn):
        try:
            fn()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(service.ensure_warehouse,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(list(paths.DATA_DIR.glob("warehouse-*.duckdb"))) == 1
    threads = [threading.Thread(target=run, args=(service.rebuild,)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    current = paths.current_db_path()
    assert current is not None and list(paths.DATA_DIR.glob("*.tmp-*")) == []
    with duckdb.connect(str(current), read_only=True) as c:
        assert c.execute("SELECT count(*) FROM core_documents").fetchone() == (1,)
