"""Charts that never print over themselves (#19 item 3), in chromium at 1024 and 1440 px wide: no
two chart labels overlap, the legend has its own row under the title, source lines stay inside
the chart, and no download button's label is cut. Uses the session's one app server and chromium
(tests/conftest.py)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.browser_util import wait_for_run

pytestmark = pytest.mark.browser

FIVE = ["获嘉县", "井研县", "盐池县", "孟津区", "香河县"]

# Boxes of every text a plotly chart draws, per chart: data labels (scatter text, bar text),
# the title, the legend, the source annotation, tick labels; and the chart's own width.
BOXES = """() => [...document.querySelectorAll('.js-plotly-plot')].map(p => {
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const svg = p.querySelector('svg.main-svg').getBoundingClientRect();
  return {
    labels: [...p.querySelectorAll('.textpoint text, .bartext')].filter(e => e.textContent.trim()).map(e => [e.textContent, ...box(e)]),
    title: [...p.querySelectorAll('.gtitle')].map(box),
    legend: [...p.querySelectorAll('.legend .bg')].map(box),
    notes: [...p.querySelectorAll('.annotation-text')].map(box),
    width: [svg.left, svg.right],
  };
})"""


def overlap(a, b, slack: float = 1.0) -> bool:
    return a[0] + slack < b[2] and b[0] + slack < a[2] and a[1] + slack < b[3] and b[1] + slack < a[3]


def open_view(page, url: str, width: int) -> list[dict]:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    wait_for_run(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    page.wait_for_timeout(800)
    return page.evaluate(BOXES)


@pytest.mark.parametrize("width", [1024, 1440])
def test_sangong_labels_never_overlap(sample_app, browser_page, width):
    query = urlencode([("county", c) for c in FIVE] + [("sangong_docs", "true"), ("unit", "元")])
    charts = open_view(browser_page, f"{sample_app}/sangong?{query}", width)
    assert charts
    per_doc = charts[-1]  # the per-document stacks
    texts = [t[0] for t in per_doc["labels"]]
    assert "预算 30,000.00" in texts and "决算 7,635.90" in texts  # 盐池's two labels, both drawn
    for chart in charts:
        labels = [t[1:] for t in chart["labels"]]
        for i, a in enumerate(labels):
            for b in labels[i + 1 :]:
                assert not overlap(a, b), (width, chart["labels"])
        for legend in chart["legend"]:
            for title in chart["title"]:
                assert not overlap(legend, title), (width, "legend over title")
        left, right = chart["width"]
        for note in chart["notes"]:
            assert note[2] <= right + 1, (width, "source line past the chart's edge")


@pytest.mark.parametrize("width", [1024, 1440])
def test_download_buttons_are_not_cut(sample_app, browser_page, width):
    query = urlencode([("county", c) for c in FIVE[:3]])
    browser_page.set_viewport_size({"width": width, "height": 900})
    browser_page.goto(f"{sample_app}/rankings?{query}")
    wait_for_run(browser_page)
    cut = browser_page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=stDownloadButton] button')].flatMap(b =>
             [b, ...b.querySelectorAll('*')].filter(e => e.scrollWidth > e.clientWidth + 1).map(() => b.innerText))"""
    )
    assert not cut, cut


# 会议模式 on a projector: every metric, heading, table cell and button of the main area whole
# (an ellipsis shows only as scrollWidth > clientWidth), the sidebar folded to a strip at the left
# edge (the main area starts within 100 px of it), chart text >= 14 px.
ROOM = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const sel = ['[data-testid=stMetricValue]', '[data-testid=stMetricLabel]', '[data-testid=stHeading]',
               '[data-testid=stDownloadButton] button', '[data-testid=stTable]'];
  const cut = [...main.querySelectorAll(sel.map(s => s + ', ' + s + ' *').join(', '))]
    .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText.slice(0, 30));
  const bar = document.querySelector('[data-testid=stSidebar]');
  const fonts = [...main.querySelectorAll('.js-plotly-plot text')].filter(t => t.textContent.trim())
    .map(t => parseFloat(getComputedStyle(t).fontSize));
  return {metrics: main.querySelectorAll('[data-testid=stMetricValue]').length, cut,
          sidebar: bar ? bar.getBoundingClientRect().right : 0, mainLeft: main.getBoundingClientRect().left, fonts, charts: main.querySelectorAll('.js-plotly-plot').length,
          tables: main.querySelectorAll('[data-testid=stTable] table').length};
}"""


@pytest.mark.parametrize("size", [(1024, 768), (1920, 1080)])
def test_meeting_mode_fits_the_room(sample_app, browser_page, size):
    width, height = size
    browser_page.set_viewport_size({"width": width, "height": height})
    query = urlencode([("meet_county", c) for c in ["获嘉县", "盐池县", "香河县"]] + [("meet_year", "2024")])
    browser_page.goto(f"{sample_app}/meeting?{query}")
    wait_for_run(browser_page)
    browser_page.wait_for_selector(".js-plotly-plot .main-svg")
    browser_page.mouse.move(width - 5, height - 5)  # the pointer away from the sidebar's strip
    browser_page.wait_for_function(
        "() => { const b = document.querySelector('[data-testid=stSidebar]');"
        " return !b || b.getBoundingClientRect().right <= 17; }"
    )
    room = browser_page.evaluate(ROOM)
    # Five figures per county, and the headline changes the documents state: 获嘉 two (收支总计,
    # 一般公共预算支出), 盐池 its first two of three, 香河 (2023) none.
    assert room["metrics"] == 15 + 4 and not room["cut"], room["cut"]
    assert room["sidebar"] <= 17 and room["mainLeft"] < 100  # folded: the counties get the width
    assert room["charts"] == 1 and room["tables"] == 1
    assert room["fonts"] and min(room["fonts"]) >= 14, sorted(set(room["fonts"]))
    assert browser_page.get_by_text("没有 2024 年的文件：显示最近的 2023 年。").is_visible()


SHOTS = Path(os.environ["SHEBAO_SHOTS"]) if os.environ.get("SHEBAO_SHOTS") else None  # to look at by hand
ENGLISH = r"/You can only select|Remove an option|No results|Choose options/"


def test_county_limit_and_no_match_say_it_in_chinese(sample_app, browser_page):
    """会议模式 takes at most three counties. Streamlit's max_selections would print "You can only
    select up to 3 options. Remove an option first." in the dropdown and its filter "No results":
    a fourth county is taken back with a Chinese note, and a filter matching nothing says 无匹配项."""
    browser_page.set_viewport_size({"width": 1024, "height": 768})
    query = urlencode([("meet_county", c) for c in ["获嘉县", "盐池县", "香河县"]] + [("meet_year", "2024")])
    browser_page.goto(f"{sample_app}/meeting?{query}")
    wait_for_run(browser_page)
    english = f"() => {ENGLISH}.exec(document.body.innerText)"
    picker = browser_page.get_by_test_id("stMultiSelect").filter(has_text="会议审阅的县").locator("input")
    picker.click()
    browser_page.wait_for_timeout(500)
    assert browser_page.evaluate(english) is None
    browser_page.get_by_role("option", name="孟津区").click()
    browser_page.keyboard.press("Escape")
    wait_for_run(browser_page)
    assert browser_page.get_by_text("最多可选 3 个，请先移除一个再添加。").is_visible()
    assert browser_page.evaluate("() => new URL(location.href).searchParams.getAll('meet_county')") == [
        "获嘉县",
        "盐池县",
        "香河县",
    ]
    assert browser_page.evaluate(english) is None
    picker.click()
    browser_page.keyboard.type("不存在的县")
    browser_page.wait_for_timeout(500)
    shown = "() => [...document.querySelectorAll('.eo2qvtu11')].map(e => getComputedStyle(e, '::after').content)"
    assert browser_page.evaluate(shown) == ['"无匹配项"']  # drawn by app.py's stylesheet in place of the English
    assert browser_page.evaluate(english) is None
    browser_page.keyboard.press("Escape")
    # A selectbox (the year) says the same in its own component.
    browser_page.get_by_test_id("stSelectbox").filter(has_text="年度").locator("input").click()
    browser_page.keyboard.type("1999")
    browser_page.wait_for_timeout(500)
    shown = "() => [...document.querySelectorAll('.equpb2c9')].map(e => getComputedStyle(e, '::after').content)"
    assert browser_page.evaluate(shown) == ['"无匹配项"']
    assert browser_page.evaluate(english) is None
    browser_page.screenshot(path=str(SHOTS / "meeting-no-match-1024.png")) if SHOTS else None


# 概览's peer table and cards at a laptop's 1024 px beside the open sidebar (and at 1440): the
# table shows every column without sideways scrolling, no card figure is cut.
OVERVIEW = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const grid = [...main.querySelectorAll('[data-testid=stDataFrame]')][0];
  const sc = grid.querySelector('.dvn-scroller');
  const cut = [...main.querySelectorAll('[data-testid=stMetricValue], [data-testid=stMetricValue] *')]
    .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText);
  return {scroll: sc.scrollWidth, client: sc.clientWidth, cut};
}"""


@pytest.mark.parametrize("width", [1024, 1440])
def test_overview_peer_table_fits_beside_the_sidebar(sample_app, browser_page, width):
    browser_page.set_viewport_size({"width": width, "height": 768})
    query = urlencode([("county", c) for c in ["获嘉县", "孟津区"]] + [("stage", "预算")])
    browser_page.goto(f"{sample_app}/?{query}")
    wait_for_run(browser_page)
    browser_page.wait_for_selector("[data-testid=stDataFrame] .dvn-scroller")
    got = browser_page.evaluate(OVERVIEW)
    assert got["scroll"] <= got["client"], got  # no column behind a sideways scrollbar
    assert not got["cut"], got["cut"]
    # one table per county, each headed by its county (the table has no county column)
    headings = browser_page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=stMain] [data-testid=stMarkdownContainer] p > strong')]"
        ".filter(e => e.parentElement.innerText === e.innerText).map(e => e.innerText)"
    )
    assert headings[:2] == ["孟津区", "获嘉县"], headings


# Wide tables (#19 close-out): 来源文件, 数据核验, 排名, 同比变化 and the other pages with tables (their
# yearly statistics and per-document sections open) show every grid without a sideways scrollbar
# at 1024 and 1440 px.
WIDE_VIEWS = [
    ("sources", [("county", "获嘉县")]),
    ("checks", [("county", "香河县"), ("check_status", "不符"), ("check_status", "通过")]),
    ("rankings", [("county", "获嘉县")]),
    ("yoy", [("county", "获嘉县"), ("county", "香河县"), ("yoy_table", "true"), ("yoy_docs", "true")]),
    ("", [("county", "获嘉县"), ("county", "香河县")]),
    ("structure", [("county", "获嘉县"), ("structure_table", "true"), ("structure_docs", "true")]),
    ("pension", [("county", "获嘉县"), ("county", "香河县"), ("pension_docs", "true")]),
    ("sangong", [("county", "获嘉县"), ("sangong_docs", "true")]),
    ("projects", [("county", "获嘉县"), ("county", "香河县")]),
    ("coverage", [("county", "获嘉县")]),
]
GRIDS = """() => [...document.querySelectorAll('[data-testid=stMain] [data-testid=stDataFrame] .dvn-scroller')]
  .map(s => [s.scrollWidth, s.clientWidth])"""


@pytest.mark.parametrize("width", [1024, 1440])
@pytest.mark.parametrize(("route", "query"), WIDE_VIEWS)
def test_wide_tables_need_no_sideways_scrolling(sample_app, browser_page, route, query, width):
    browser_page.set_viewport_size({"width": width, "height": 768})
    browser_page.goto(f"{sample_app}/{route}?{urlencode(query)}")
    wait_for_run(browser_page)
    browser_page.wait_for_selector("[data-testid=stDataFrame] .dvn-scroller")
    grids = browser_page.evaluate(GRIDS)
    assert grids and all(scroll <= client for scroll, client in grids), (route, width, grids)


@pytest.mark.parametrize("route", ["projects", "map", "rankings"])
def test_chart_titles_stay_inside_the_chart_at_1024(sample_app, browser_page, route):
    """Long titles ("预算执行率（决算÷预算）（%）：历年走势（全部已载入，决算）", the map's "…（对比组 =
    全部已载入，N 个县公开此数）") ran past the chart's right edge beside the sidebar at 1024 px:
    they wrap after their "：", and the legend stays under them."""
    query = urlencode([("county", c) for c in FIVE[:2]])
    charts = open_view(browser_page, f"{sample_app}/{route}?{query}", 1024)
    assert charts
    for chart in charts:
        left, right = chart["width"]
        for title in chart["title"]:
            assert title[2] <= right + 1, (route, "title past the chart's edge", title, right)
            for legend in chart["legend"]:
                assert not overlap(legend, title), (route, "legend over title")


def test_upload_box_speaks_chinese(sample_app, browser_page):
    """The uploader's fixed English ("Upload", "100MB per file") is replaced by 选择文件 and the
    size limit in Chinese (pages/upload.py's stylesheet)."""
    browser_page.set_viewport_size({"width": 1024, "height": 768})
    browser_page.goto(f"{sample_app}/upload")
    wait_for_run(browser_page)
    text = browser_page.get_by_test_id("stFileUploader").inner_text()
    assert "Upload" not in text and "per file" not in text, text
    after = browser_page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=stFileUploaderDropzone] button p,'
             + '[data-testid=stFileUploaderDropzoneInstructions] span')]
             .map(e => getComputedStyle(e, '::after').content)"""
    )
    assert after == ['"选择文件"', '"每个文件不超过 100 MB"'], after


def test_sidebar_link_box_copies_the_view(sample_app, chromium):
    """The sidebar shows the view's link and 复制链接 puts it on the clipboard: through the
    Clipboard API, and through a selected textarea where the page has none (an intranet http://
    host is not a secure context). The link box is plain HTML: a code box's syntax highlighter cost
    a full page load 0.3–0.8 s in chromium."""
    ctx = chromium.new_context(viewport={"width": 1024, "height": 768})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"])
    try:
        page = ctx.new_page()
        page.goto(f"{sample_app}/rankings?{urlencode([('county', '获嘉县')])}")
        wait_for_run(page)
        assert not page.locator("[data-testid=stSidebar] [data-testid=stCode]").count()
        shown = page.locator("[data-testid=stSidebar] .shebao-link").inner_text()
        assert shown.startswith(f"{sample_app}/rankings?") and "county=%E8%8E%B7%E5%98%89%E5%8E%BF" in shown
        button = page.locator("[data-testid=stSidebar] button.shebao-copy")
        for clipboard_api in (True, False):
            page.evaluate("navigator.clipboard.writeText('')")
            if not clipboard_api:
                page.evaluate("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
            button.scroll_into_view_if_needed()
            button.click()
            page.wait_for_function("() => document.querySelector('button.shebao-copy').textContent === '已复制'")
            reader = ctx.new_page()  # a page whose navigator still has the clipboard
            reader.goto(sample_app)
            assert reader.evaluate("navigator.clipboard.readText()") == shown, clipboard_api
            reader.close()
            page.wait_for_function("() => document.querySelector('button.shebao-copy').textContent === '复制链接'")
    finally:
        ctx.close()
