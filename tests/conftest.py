"""Shared fixtures: the bundled samples, parsed once; a warehouse built once per session; for the
browser tests one app server on that warehouse and one chromium per session, a fresh page per
test; and `slowness()`, which scales every wall-clock limit to how busy the machine is."""

from __future__ import annotations

import functools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pytest
from hypothesis import settings as hypothesis_settings

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


# Property tests judge what parsers do, never how fast: hypothesis' default 200 ms deadline per
# example failed a loaded CI run ('E\x06\x14' took 257 ms once, 0.05 ms on the rerun).
hypothesis_settings.register_profile("no_deadline", deadline=None)
hypothesis_settings.load_profile("no_deadline")


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
    """Run app.py in AppTest, switch to `page` (a name in pages/_registry.py) with URL parameters,
    and fail on any exception. `timeout` is for a quiet machine; it is scaled by slowness()."""
    from streamlit.testing.v1 import AppTest

    from pages._registry import by_name

    spec = by_name(page)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=scaled(timeout))
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if not spec.default:
        at.switch_page(spec.file).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# --- a busy machine ------------------------------------------------------------------------------
# A wall-clock limit in a test is a guard against a hang, never the judge of speed (that is
# benchmarks/' job): every limit is written for a quiet machine and multiplied by slowness().

SPIN = 3_000_000
SPIN_QUIET_S = 0.12  # _spin() on the project's 2-core machine (Python 3.11), quiet: 0.115-0.122 s


def _spin() -> float:
    t = time.perf_counter()
    x = 0
    for i in range(SPIN):
        x += i * i
    return time.perf_counter() - t


@functools.cache
def calibration() -> float:
    """How much slower than the project's quiet machine this one ran a fixed piece of Python at
    the start of the session (median of three): a slower CPU and a crowded one both count."""
    return max(1.0, statistics.median(_spin() for _ in range(3)) / SPIN_QUIET_S)


def slowness() -> float:
    """Factor for wall-clock limits, >= 1: the calibration at the session's start, or the run queue
    now (1-minute load average per core) when the machine has become busier since."""
    load = os.getloadavg()[0] / (os.cpu_count() or 1)
    return max(1.0, calibration(), load)


def scaled(seconds: float) -> float:
    """A limit written for a quiet machine, for this machine now."""
    return seconds * slowness()


def pytest_report_header(config):
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"wall-clock limits x{slowness():.1f} (calibration x{calibration():.1f}, load average {load})"


def pytest_collection_modifyitems(session, config, items):
    """Browser tests last, together: the shared app server and chromium live only while they run
    (a running sync playwright marks the main thread's event loop busy: asyncio.run() there fails)."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


# --- the browser tests: one app server on the sample warehouse, one chromium, a page per test ---


@pytest.fixture(scope="session")
def chromium():
    from exports.chromium import CHROMIUM
    from exports.chromium import FLAGS as CHROME_ARGS

    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian chromium is required: apt-get install chromium (see .ci/run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def sample_app(warehouse, tmp_path_factory) -> str:
    """URL of one `streamlit run` on the sample warehouse (uploads go to a folder of its own)."""
    from tests.browser_util import running_app

    app_dir = tmp_path_factory.mktemp("app")
    (app_dir / "CURRENT").write_text(warehouse.name, encoding="utf-8")
    (app_dir / warehouse.name).symlink_to(warehouse)
    uploads = tmp_path_factory.mktemp("app-uploads")
    with running_app(app_dir, env={"SHEBAO_UPLOAD_DIR": str(uploads)}) as url:
        yield url


@pytest.fixture(scope="session")
def browser_context(chromium):
    """One context (1600 x 1000, downloads accepted) for the session, so that Streamlit's scripts
    come from the browser's cache after the first page; waits scaled by slowness()."""
    context = chromium.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
    context.set_default_timeout(scaled(30) * 1000)
    context.set_default_navigation_timeout(scaled(60) * 1000)
    yield context
    context.close()


@pytest.fixture
def browser_page(browser_context):
    """A fresh page per test: a Streamlit session of its own (sessions are per page, not per
    context), closed after the test."""
    page = browser_context.new_page()
    yield page
    page.close()


def doubted_inputs(folder: Path) -> Path:
    """获嘉 as printed, and a copy for 修武县 whose 收支总表 prints 本年支出合计 8,554.76 (a transposed
    typo) while its 支出表 and 情况说明 print 5,854.76 万元: a figure whose check fails and that the
    document contradicts (held out of ranks). Returns the folder holding the two texts."""
    text = (RAW / f"{STEMS['huojia']}.txt").read_text(encoding="utf-8")
    (folder / "a.txt").write_text(text, encoding="utf-8")
    typo = text.replace("获嘉", "修武").replace("本年支出合计\t5,854.76", "本年支出合计\t8,554.76")
    assert typo.count("8,554.76") == 1
    (folder / "b.txt").write_text(typo, encoding="utf-8")
    return folder
