"""Every page of the dashboard, declared once: file, navigation title, icon, URL path and section.

Pure data (no streamlit here): `app.py` turns it into `st.Page`/`st.navigation`; the tests and the
benchmarks import it instead of keeping lists of their own, and `tests/test_architecture.py`
checks that every page file in `pages/` is registered and every registered file exists.

The default page is served at "/" (Streamlit serves the default there whatever its url_path);
`route` is the path a browser opens. The upload page exists only where uploads are enabled
(`etl.service.UPLOADS_ENABLED`; the caller passes the flag, so this module imports nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

GROUPS = ("对比", "数据", "汇报")  # navigation sections, in sidebar order


@dataclass(frozen=True)
class PageSpec:
    file: str  # relative to the project root, as st.Page takes it
    title: str  # navigation title (sidebar link, browser tab)
    icon: str  # an emoji: a :material/…: icon makes the browser fetch the tab icon from fonts.gstatic.com
    url_path: str
    group: str  # one of GROUPS
    default: bool = False  # served at "/"
    needs_uploads: bool = False  # only when uploads are enabled (etl.service.UPLOADS_ENABLED)

    @property
    def name(self) -> str:
        """The file's stem ("overview"), the name tests and benchmarks use."""
        return PurePosixPath(self.file).stem

    @property
    def route(self) -> str:
        """The path after the server's root: "" for the default page, else url_path."""
        return "" if self.default else self.url_path


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "概览", "📊", "overview", "对比", default=True),
    PageSpec("pages/rankings.py", "排名", "🏆", "rankings", "对比"),
    PageSpec("pages/yoy.py", "同比变化", "📈", "yoy", "对比"),
    PageSpec("pages/structure.py", "支出结构", "🧩", "structure", "对比"),
    PageSpec("pages/pension.py", "养老补助占比", "👴", "pension", "对比"),
    PageSpec("pages/sangong.py", "三公经费", "🚗", "sangong", "对比"),
    PageSpec("pages/projects.py", "项目与绩效", "🚩", "projects", "对比"),
    PageSpec("pages/map.py", "地图", "🗺️", "map", "对比"),
    PageSpec("pages/coverage.py", "数据覆盖", "🗓️", "coverage", "数据"),
    PageSpec("pages/checks.py", "数据核验", "✅", "checks", "数据"),
    PageSpec("pages/sources.py", "来源文件", "📄", "sources", "数据"),
    PageSpec("pages/evidence.py", "查看原文", "🔍", "evidence", "数据"),
    PageSpec("pages/upload.py", "上传文件", "📤", "upload", "数据", needs_uploads=True),
    PageSpec("pages/meeting.py", "会议模式", "🖥️", "meeting", "汇报"),
)


def pages(uploads_enabled: bool = True) -> tuple[PageSpec, ...]:
    """The pages the app shows, in navigation order."""
    return tuple(p for p in PAGES if uploads_enabled or not p.needs_uploads)


def grouped(uploads_enabled: bool = True) -> dict[str, list[PageSpec]]:
    """{section: pages} in sidebar order, for st.navigation."""
    shown = pages(uploads_enabled)
    return {g: [p for p in shown if p.group == g] for g in GROUPS}


def by_name(name: str) -> PageSpec:
    for p in PAGES:
        if p.name == name:
            return p
    raise KeyError(name)


def names(*, with_uploads: bool = False) -> list[str]:
    """Page names in navigation order; the pages that show the warehouse, unless with_uploads."""
    return [p.name for p in pages(with_uploads)]
