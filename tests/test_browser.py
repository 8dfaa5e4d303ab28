"""A real browser (Debian chromium via playwright, never `playwright install`) against `streamlit
run`: every page opens, a filter changes the view and the URL, a CSV and an SVG download, and
each page is saved as a screenshot under tests/artifacts/."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from pages._registry import by_name, pages
from tests.browser_util import heading, wait_for_run
from tests.conftest import scaled

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
# Every registered page, at its route (the default page at "/"), with its own title; 会议模式's title
# is computed from its county and year, so it opens on one.
MEETING = (f"{by_name('meeting').route}?meet_county=%E7%9B%90%E6%B1%A0%E5%8E%BF", "盐池县 2024年决算")
OPEN = {p.name: (p.route, heading(p)) for p in pages()} | {"meeting": MEETING}


@pytest.fixture(scope="module", autouse=True)
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)


@pytest.fixture
def app(sample_app, browser_page):
    """The shared app on the samples and a fresh page."""
    return sample_app, browser_page


@pytest.mark.parametrize("name", list(OPEN))
def test_page_opens_and_screenshot(app, name):
    url, page = app
    route, title = OPEN[name]
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(f"{url}/{route}")
    wait_for_run(page)
    page.get_by_role("heading", name=title).first.wait_for()
    assert not page.get_by_test_id("stException").count()
    # An offline deployment: nothing but the app itself is asked for (no icon from fonts.gstatic.com).
    outside = [u for u in requested if urlparse(u).scheme in ("http", "https", "ws", "wss")
               and urlparse(u).hostname not in ("127.0.0.1", "localhost")]
    assert outside == [], outside
    links = [a.inner_text().split()[-1] for a in page.get_by_test_id("stSidebarNavLink").all()]
    assert links == [p.title for p in pages()]  # every section in order, uploads enabled
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_filter_changes_view_and_url_and_link_reopens(app):
    url, page = app
    page.goto(f"{url}/")
    wait_for_run(page)
    page.get_by_test_id("stSidebar").get_by_text("元", exact=True).click()
    wait_for_run(page)
    box = page.get_by_test_id("stMultiSelect").first
    box.click()
    page.get_by_role("option", name="盐池县").click()
    page.keyboard.press("Escape")
    wait_for_run(page)
    query = parse_qs(urlparse(page.url).query)
    assert query.get("county") == ["盐池县"] and query.get("unit") == ["元"]
    assert page.get_by_test_id("stMetricValue").filter(has_text="12,984,142.90").first.is_visible()
    assert not page.get_by_text("获嘉县 2024预算").count()
    shared = page.url.replace("/?", f"/{by_name('pension').route}?")
    page.goto(shared)
    wait_for_run(page)
    assert page.get_by_test_id("stMultiSelect").first.inner_text().find("盐池县") >= 0
    assert parse_qs(urlparse(page.url).query).get("county") == ["盐池县"]


def test_csv_download(app):
    url, page = app
    page.goto(f"{url}/?unit=%E5%85%83&county=%E7%9B%90%E6%B1%A0%E5%8E%BF")
    wait_for_run(page)
    with page.expect_download() as info:  # the second table: the focus's documents (the first: peers)
        page.get_by_test_id("stDownloadButton").filter(has_text="下载 CSV").nth(1).click()
    path = ARTIFACTS / info.value.suggested_filename
    info.value.save_as(path)
    data = path.read_bytes()
    assert path.suffix == ".csv" and data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "本年支出合计（元）" in text and "12984142.9" in text


def test_svg_chart_export_from_modebar(app):
    url, page = app
    page.goto(f"{url}/{by_name('yoy').route}?img=SVG&county=%E9%A6%99%E6%B2%B3%E5%8E%BF")
    wait_for_run(page)
    assert page.locator(".js-plotly-plot").count() == 1  # the comparison view; the documents wait
    # Opening the per-document section reruns the page with its charts and puts it in the URL.
    page.get_by_test_id("stExpander").filter(has_text="焦点县各文件").locator("summary").click()
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length > 1")
    wait_for_run(page)
    assert "yoy_docs=true" in page.url
    plot = page.locator(".js-plotly-plot").last  # the per-document chart, after the peer comparison
    plot.hover()
    with page.expect_download() as info:
        plot.locator('.modebar-btn[data-title="下载图表"]').click()
    path = ARTIFACTS / info.value.suggested_filename
    info.value.save_as(path)
    svg = path.read_text(encoding="utf-8")
    assert path.name == "同比增减率_本年支出合计.svg"
    assert svg.startswith("<svg") and "增减率" in svg and "来源" in svg
    assert re.search(r"Noto Sans CJK SC", svg)


def test_bundle_download_from_chart(app):
    url, page = app
    page.goto(f"{url}/{by_name('pension').route}?county=%E5%AD%9F%E6%B4%A5%E5%8C%BA&pension_docs=true")  # open
    wait_for_run(page)
    with page.expect_download(timeout=scaled(90) * 1000) as info:  # the per-document chart's bundle
        page.get_by_test_id("stDownloadButton").filter(has_text="下载数据包").last.click()
    path = ARTIFACTS / info.value.suggested_filename
    info.value.save_as(path)
    from exports.bundle import unicode_names

    names = unicode_names(path.read_bytes())
    assert path.name == "养老补助占比.zip"
    assert [n.split("/")[-1] for n in names] == [
        "养老补助占比.png",
        "养老补助占比.svg",
        "养老补助占比_数据.csv",
        "养老补助占比_数据.xlsx",
        "引用说明.txt",
    ]


def test_report_download_from_meeting_page(app):
    url, page = app
    page.goto(f"{url}/{by_name('meeting').route}?meet_county=%E7%9B%90%E6%B1%A0%E5%8E%BF&meet_year=2024")
    wait_for_run(page)
    page.screenshot(path=str(ARTIFACTS / "meeting.png"))
    with page.expect_download(timeout=scaled(120) * 1000) as info:
        page.get_by_test_id("stDownloadButton").filter(has_text="下载会议报告").first.click()
    path = ARTIFACTS / info.value.suggested_filename
    info.value.save_as(path)
    import pdfplumber

    from etl.normalize import clean_text

    with pdfplumber.open(path) as pdf:
        text = clean_text(pdf.pages[0].extract_text())
    assert path.name == "盐池县_2024_社保经费简报.pdf"
    assert "盐池县 2024年社保经费简报" in text and "1,298.41" in text
