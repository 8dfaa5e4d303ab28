"""Shared fixtures: the bundled samples, parsed once; a warehouse built once per session."""

from __future__ import annotations

import functools
import os
import sys
import tempfile
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RAW = ROOT / "data" / "raw"
# Builds in tests use their own parse cache, never the developer's (~/.cache/shebao-etl).
os.environ.setdefault("SHEBAO_ETL_CACHE", tempfile.mkdtemp(prefix="shebao-etl-test-"))

STEMS = {
    "huojia": "000_f365d46e117a03b8",
    "jingyan": "001_a38c96af54c32677",
    "yanchi": "002_b6243eb5bb848ade",
    "mengjin": "003_988a4e9ed8c6212e",
    "xianghe": "004_34934d9f6fd71a3b",
}


@functools.cache
def parsed(stem: str, ext: str = "txt"):
    from etl.pipeline import parse_file

    return parse_file(RAW / f"{stem}.{ext}")


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory) -> Path:
    from etl.build import build

    db = tmp_path_factory.mktemp("wh") / "w.duckdb"
    result = build([RAW], db)
    assert not result.failed, [o.message for o in result.failed]
    return db


@pytest.fixture(scope="session")
def con(warehouse):
    c = duckdb.connect(str(warehouse), read_only=True)
    yield c
    c.close()


def one(con, sql: str, *params):
    rows = con.execute(sql, list(params)).fetchall()
    assert len(rows) == 1, (sql, params, rows)
    return rows[0]


def serve_warehouse(monkeypatch, db: Path, folder: Path) -> Path:
    """Point the app (AppTest, same process) at warehouse file `db` through a CURRENT pointer."""
    (folder / "CURRENT").write_text(db.name, encoding="utf-8")
    (folder / db.name).symlink_to(db)
    monkeypatch.setenv("SHEBAO_WAREHOUSE_DIR", str(folder))
    import warehouse.paths as paths

    monkeypatch.setattr(paths, "DATA_DIR", folder)
    return folder


def run_app_page(page: str, timeout: float = 60, **params):
    """Run app.py in AppTest, switch to `page` with URL parameters, and fail on any exception."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at
