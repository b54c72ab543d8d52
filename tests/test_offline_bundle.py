"""Issue 5: the offline bundle works from file:// with no network."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import header_search

PAGES = [
    "index.html", "at-a-glance/index.html", "deeper-dives/index.html", "webinars/index.html",
    "at-a-glance/alpha-briefing.html", "deeper-dives/beta-dive.html", "webinars/past-webinar.html",
    "webinars/future-webinar.html", "at-a-glance/withdrawn-briefing.html",
    "programmes/index.html", "programmes/unpaid-carers.html", "topics/index.html", "topics/housing.html",
    "functions/index.html", "functions/curate.html", "finder/index.html", "accessibility.html",
    "about/index.html", "contribute.html",
]


@pytest.fixture
def offline_page(browser):
    """A tab where every request that is not for a file in the bundle is
    recorded and refused, as on a laptop with no network."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    left = []

    def guard(route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            left.append(url)
            route.abort()

    context.route("**/*", guard)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.left, tab.errors = left, []
    tab.on("console", lambda m: tab.errors.append(f"{tab.url}: {m.text}") if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.errors.append(f"{tab.url}: {e}"))
    yield tab
    context.close()


def test_every_kind_of_page_works_from_file_with_no_network(offline_page, offline_basic: Path):
    page = offline_page
    broken = []
    for rel in PAGES:
        page.goto((offline_basic / rel).as_uri())
        assert "This is an offline copy of the library, made on 1 June 2026" in page.inner_text("body"), rel
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            parts = urlsplit(href)
            if parts.scheme != "file":
                continue
            target = Path(unquote(parts.path))
            if not target.is_file():  # a folder would show a file listing
                broken.append(f"{rel} -> {href}")
    assert broken == []
    assert page.left == []
    assert page.errors == []


def test_header_search_works_offline(offline_page, offline_basic: Path):
    page = offline_page
    page.goto((offline_basic / "index.html").as_uri())
    header_search(page, "zephyrology")
    first = page.locator(".md-search-result__item a").first
    assert "alpha-briefing.html" in first.get_attribute("href")
    with page.expect_navigation():
        first.click()
    assert page.url.endswith("alpha-briefing.html") or "alpha-briefing.html" in page.url
    assert page.left == [] and page.errors == []


def test_finder_and_a_download_work_offline(offline_page, offline_basic: Path):
    page = offline_page
    page.goto((offline_basic / "finder" / "index.html").as_uri())
    page.wait_for_selector("html[data-finder-ready]")
    page.fill("#finder-q", "carers")
    page.check("#facet-type-at-a-glance")
    titles = page.locator("#finder-results .lib-card__title").all_inner_texts()
    assert titles == ["Alpha briefing on carers"]
    with page.expect_navigation():
        page.click("#finder-results a")
    with page.expect_download() as download:
        page.click("a[download]")
    assert Path(download.value.path()).read_bytes() == b"a,b\n1,2\n"
    assert page.left == [] and page.errors == []
