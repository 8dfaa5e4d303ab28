"""A real browser (Debian chromium via playwright, never `playwright install`) against `streamlit
run`: every page opens, a filter changes the view and the URL, a CSV and an SVG download, and
each page is saved as a screenshot under tests/artifacts/."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from exports.chromium import CHROMIUM
from exports.chromium import FLAGS as CHROME_ARGS
from tests.browser_util import running_app, wait_for_run

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
# The default page (概览) is served at "/"; the others at their url_path.
PATHS = {"overview": "", "meeting": "meeting?meet_county=%E7%9B%90%E6%B1%A0%E5%8E%BF"}
PAGES = {
    "overview": "县域社保预决算概览",
    "rankings": "排名",
    "map": "地图",
    "coverage": "数据覆盖",
    "yoy": "同比变化",
    "structure": "支出结构",
    "pension": "养老补助占比",
    "sangong": "“三公”经费",
    "projects": "项目与绩效目标",
    "checks": "数据核验（勾稽关系）",
    "sources": "来源文件",
    "meeting": "盐池县 2024年决算",
}


@pytest.fixture(scope="module")
def browser_page(warehouse, tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian chromium is required: apt-get install chromium (see .ci/run)")
    from playwright.sync_api import sync_playwright

    app_dir = tmp_path_factory.mktemp("app")
    (app_dir / "CURRENT").write_text(warehouse.name, encoding="utf-8")
    (app_dir / warehouse.name).symlink_to(warehouse)
    ARTIFACTS.mkdir(exist_ok=True)
    with running_app(app_dir) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        context = browser.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
        page = context.new_page()
        yield url, page
        browser.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_page_opens_and_screenshot(browser_page, name):
    url, page = browser_page
    page.goto(f"{url}/{PATHS.get(name, name)}")
    wait_for_run(page)
    page.get_by_role("heading", name=PAGES[name]).first.wait_for(timeout=30_000)
    assert not page.get_by_test_id("stException").count()
    links = [a.inner_text().split()[-1] for a in page.get_by_test_id("stSidebarNavLink").all()]
    assert links == [
        "概览",
        "排名",
        "同比变化",
        "支出结构",
        "养老补助占比",
        "三公经费",
        "项目与绩效",
        "地图",
        "数据覆盖",
        "数据核验",
        "来源文件",
        "上传文件",
        "会议模式",
    ]
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_filter_changes_view_and_url_and_link_reopens(browser_page):
    url, page = browser_page
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
    shared = page.url.replace("/?", "/pension?")
    page.goto(shared)
    wait_for_run(page)
    assert page.get_by_test_id("stMultiSelect").first.inner_text().find("盐池县") >= 0
    assert parse_qs(urlparse(page.url).query).get("county") == ["盐池县"]


def test_csv_download(browser_page):
    url, page = browser_page
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


def test_svg_chart_export_from_modebar(browser_page):
    url, page = browser_page
    page.goto(f"{url}/yoy?img=SVG&county=%E9%A6%99%E6%B2%B3%E5%8E%BF")
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
        plot.locator('.modebar-btn[data-title="Download plot"]').click()
    path = ARTIFACTS / info.value.suggested_filename
    info.value.save_as(path)
    svg = path.read_text(encoding="utf-8")
    assert path.name == "同比增减率_本年支出合计.svg"
    assert svg.startswith("<svg") and "增减率" in svg and "来源" in svg
    assert re.search(r"Noto Sans CJK SC", svg)


def test_bundle_download_from_chart(browser_page):
    url, page = browser_page
    page.goto(f"{url}/pension?county=%E5%AD%9F%E6%B4%A5%E5%8C%BA&pension_docs=true")  # section open
    wait_for_run(page)
    with page.expect_download(timeout=90_000) as info:  # the per-document chart's bundle
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


def test_report_download_from_meeting_page(browser_page):
    url, page = browser_page
    page.goto(f"{url}/meeting?meet_county=%E7%9B%90%E6%B1%A0%E5%8E%BF&meet_year=2024")
    wait_for_run(page)
    page.screenshot(path=str(ARTIFACTS / "meeting.png"))
    with page.expect_download(timeout=120_000) as info:
        page.get_by_test_id("stDownloadButton").filter(has_text="下载会议报告").first.click()
    path = ARTIFACTS / info.value.suggested_filename
    info.value.save_as(path)
    import pdfplumber

    from etl.normalize import clean_text

    with pdfplumber.open(path) as pdf:
        text = clean_text(pdf.pages[0].extract_text())
    assert path.name == "盐池县_2024_社保经费简报.pdf"
    assert "盐池县 2024年社保经费简报" in text and "1,298.41" in text
