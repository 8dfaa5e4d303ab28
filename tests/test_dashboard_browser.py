"""A real browser (Debian chromium) on a national-like warehouse: choose a focus and a peer group
in the sidebar, walk every page (no exception, the title drawn, no axis with more than 40 tick
labels), download the rankings CSV and check it against the page; and eight sessions opening
chart pages at once right after the server starts all load (the start-up import race)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from pages._registry import by_name, pages
from tests.browser_util import heading, running_app, wait_for_run
from tests.conftest import scaled

pytestmark = pytest.mark.browser
# Every page that shows the warehouse with a title of its own (会议模式's is computed).
WALK = {p.name: (p.route, heading(p)) for p in pages(uploads_enabled=False) if heading(p)}
# Eight pages at once: every page after the default one, as the sidebar lists them.
AT_ONCE = [p.route for p in pages(uploads_enabled=False) if not p.default][:8]


@pytest.fixture(scope="module")
def national_dir(tmp_path_factory):
    from benchmarks.national import generate

    d = tmp_path_factory.mktemp("national-app")
    generate(d / "warehouse-n.duckdb", units=120, years=4, seed=5)
    (d / "CURRENT").write_text("warehouse-n.duckdb", encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def national_app(national_dir):
    """One server on the national warehouse for the tests that do not need a fresh start."""
    with running_app(national_dir) as url:
        yield url


def test_first_loads_of_chart_pages_at_once(national_dir, browser_context):
    """Eight sessions open chart pages right after start: none may fail on a half-imported module.
    A server of its own (its first sessions are the point); eight pages of the shared browser (a
    Streamlit session each), all sent off before any is waited for."""
    with running_app(national_dir) as url:
        tabs = [browser_context.new_page() for _ in AT_ONCE]
        try:
            for tab, route in zip(tabs, AT_ONCE, strict=True):
                tab.goto(f"{url}/{route}", wait_until="commit", timeout=scaled(60) * 1000)
            errors = []
            for tab, route in zip(tabs, AT_ONCE, strict=True):
                wait_for_run(tab, timeout=120)
                errors.append((route, tab.get_by_test_id("stException").count()))
        finally:
            for tab in tabs:
                tab.close()
    assert errors == [(route, 0) for route in AT_ONCE]


def test_focus_peers_every_page_and_export(national_app, browser_page, tmp_path):
    url, page = national_app, browser_page
    page.goto(f"{url}/")
    wait_for_run(page)
    sidebar = page.get_by_test_id("stSidebar")
    default = sidebar.get_by_test_id("stAlert").inner_text().split("默认显示 ")[1].split("（")[0]
    box = sidebar.get_by_test_id("stMultiSelect").first
    box.click()
    page.keyboard.type(default)
    page.get_by_role("option", name=default).first.click()
    page.keyboard.press("Escape")
    wait_for_run(page)
    sidebar.get_by_text("同省", exact=True).click()
    wait_for_run(page)
    query = parse_qs(urlparse(page.url).query)
    assert query.get("county") == [default] and query.get("peers") == ["同省"]
    for name, (route, title) in WALK.items():
        page.goto(f"{url}/{route}?{urlparse(page.url).query}")
        wait_for_run(page, timeout=120)
        page.get_by_role("heading", name=title).first.wait_for()
        assert not page.get_by_test_id("stException").count(), name
        for plot in page.locator(".js-plotly-plot").all():
            for axis in ("xtick", "ytick"):
                assert plot.locator(f"g.{axis}").count() <= 40, (name, axis)
        assert parse_qs(urlparse(page.url).query).get("peers") == ["同省"], name
    page.goto(f"{url}/{by_name('rankings').route}?{urlparse(page.url).query}")
    wait_for_run(page)
    with page.expect_download() as info:
        page.get_by_test_id("stDownloadButton").filter(has_text="下载 CSV").first.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    import polars as pl

    table = pl.read_csv(data)
    mine = table.filter(pl.col("焦点") == "★")
    assert mine["县（区）"].to_list() == [default] and table["排名"].min() == 1


# Screen position of every point of the map's trace `trace` (plotly's own axis transforms), and
# for each the pixel distance to its nearest neighbour in any trace: the test clicks an isolated
# point so that the click cannot land on another county.
POINTS_JS = """(name) => {
  const gd = document.querySelector('.js-plotly-plot'), L = gd._fullLayout;
  const box = gd.querySelector('.nsewdrag').getBoundingClientRect();
  const px = (t, i) => [box.left + L.xaxis.l2p(t.x[i]), box.top + L.yaxis.l2p(t.y[i])];
  const all = gd._fullData.flatMap(t => t.x.map((_, i) => px(t, i)));
  const t = gd._fullData.find(d => d.name === name);
  return t.x.map((_, i) => { const [x, y] = px(t, i);
    const near = Math.min(...all.filter(([a, b]) => a !== x || b !== y).map(([a, b]) => Math.hypot(a - x, b - y)));
    return {x, y, near, label: t.customdata[i][0]}; }); }"""


def test_map_click_focuses_county(national_app, browser_page):
    """A real click on a county's point on the map makes it the focus: sidebar, URL and ring."""
    url, page = national_app, browser_page
    page.goto(f"{url}/{by_name('map').route}")
    wait_for_run(page)
    sidebar = page.get_by_test_id("stSidebar")
    default = sidebar.get_by_test_id("stAlert").inner_text().split("默认显示 ")[1].split("（")[0]
    points = [q for q in page.evaluate(POINTS_JS, "本年支出合计") if q["label"] != default]
    target = max(points, key=lambda q: q["near"])
    assert target["near"] > 12, target  # an isolated point: the click cannot hit a neighbour
    # Plotly selects on click what is hovered: move first, wait for the hover label.
    page.mouse.move(target["x"], target["y"])
    hover = page.locator(".hoverlayer .hovertext").first
    hover.wait_for(timeout=scaled(10) * 1000)
    assert hover.text_content().startswith(target["label"] + "："), hover.text_content()
    page.mouse.click(target["x"], target["y"])
    page.wait_for_url(lambda u: "county=" in u)
    wait_for_run(page)
    assert parse_qs(urlparse(page.url).query).get("county") == [target["label"]]
    chosen = sidebar.get_by_test_id("stMultiSelect").first.inner_text()
    assert target["label"] in chosen and default not in chosen, chosen
    assert not sidebar.get_by_test_id("stAlert").filter(has_text="默认显示").count()
    ring = page.evaluate(
        "() => document.querySelector('.js-plotly-plot')._fullData"
        ".find(t => t.name === '焦点县').customdata.map(c => c[0])"
    )
    assert ring == [target["label"]]
