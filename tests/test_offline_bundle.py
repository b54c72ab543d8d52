"""Issue 5: the offline bundle works from file:// with no network."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from conftest import header_search, make_project, run_cli

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


def test_the_header_box_lands_on_the_finder_with_the_words_offline(offline_page, offline_basic: Path):
    page = offline_page
    page.goto((offline_basic / "at-a-glance" / "alpha-briefing.html").as_uri())
    header_search(page, "unpaid carers")
    assert urlsplit(page.url).path.endswith("/finder/index.html")
    assert parse_qs(urlsplit(page.url).query) == {"text": ["unpaid carers"]}
    assert page.input_value("#finder-q") == "unpaid carers"
    assert page.locator("#finder-results .lib-card__title").first.inner_text() == "Alpha briefing on carers"
    # Body text is searched from file:// too, with no worker and no network.
    page.goto((offline_basic / "index.html").as_uri())
    header_search(page, "zephyrology")
    page.wait_for_function("() => document.querySelectorAll('#finder-results li').length === 1")
    first = page.locator("#finder-results a").first
    with page.expect_navigation():
        first.click()
    assert page.url.endswith("alpha-briefing.html")
    assert page.left == [] and page.errors == []


def test_the_bundle_needs_no_inline_script_for_search(offline_basic: Path):
    """No worker, no shim: the only scripts a page runs for search are files."""
    import re
    html = (offline_basic / "finder" / "index.html").read_text()
    sources = re.findall(r'<script src="([^"]+)"', html)
    assert "../assets/finder.js" in sources and "../assets/site-search.js" in sources
    assert "iframe-worker" not in html and "search_index" not in html


def test_no_page_in_the_bundle_reaches_for_the_root_of_the_disk(offline_basic: Path):
    """From file://, an address starting with `/` is the root of the reader's disk (fortieth round: the bundle's
    404.html took its styles from /strategic-planning-library/..., and showed none)."""
    import re
    pages = list(offline_basic.rglob("*.html"))
    assert len(pages) > 20 and not (offline_basic / "404.html").exists()
    rooted = [(page.relative_to(offline_basic).as_posix(), found) for page in pages
              for found in re.findall(r'(?:src|href)="(/[^/][^"]*)"', page.read_text(encoding="utf-8"))]
    assert not rooted, rooted[:5]


def test_finder_and_a_download_work_offline(offline_page, offline_basic: Path):
    page = offline_page
    page.goto((offline_basic / "finder" / "index.html").as_uri())
    page.wait_for_selector("html[data-finder-ready]")
    page.click("#finder-q")
    page.keyboard.type("carers")
    page.check("#facet-type-at-a-glance")
    page.wait_for_function("() => document.querySelector('#finder-status').textContent.includes('carers')")
    titles = page.locator("#finder-results .lib-card__title").all_inner_texts()
    assert titles == ["Alpha briefing on carers"]
    with page.expect_navigation():
        page.click("#finder-results a")
    with page.expect_download() as download:
        page.click(".lib-downloads a[download]")
    assert Path(download.value.path()).read_bytes() == b"a,b\n1,2\n"
    assert page.left == [] and page.errors == []


def test_the_offline_copy_is_published_with_the_site_and_offered_where_readers_look(tmp_path):
    """Issue 21: the accessibility statement promised a zip to download, and
    the deploy built one, but uploaded only site/. As the deploy does now:
    the bundle first, then the site with it."""
    import re
    project = make_project(tmp_path / "p", "basic")
    made = run_cli(project, "bundle", "--dist", "dist")
    assert made.returncode == 0, made.stderr
    (zip_path,) = (project / "dist").glob("*-offline-*.zip")
    result = run_cli(project, "build", "--site-dir", "site", "--offline-copy", str(zip_path))
    assert result.returncode == 0, result.stderr[-2000:]
    site = project / "site"
    published = site / "offline" / zip_path.name
    assert published.read_bytes() == zip_path.read_bytes()
    page = (site / "offline" / "index.html").read_text()
    size = zip_path.stat().st_size
    shown = f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{max(1, round(size / 1000))} KB"
    assert f"Download the offline copy (ZIP, {shown})" in page
    assert re.search(rf'href="{re.escape(zip_path.name)}" download', page)
    assert "Made on 1 June 2026." in page  # the build date of the fixtures
    # Linked from every page's footer and from the accessibility statement.
    assert 'href="offline/">Use the library offline</a>' in (site / "index.html").read_text()
    assert 'href="../offline/"' in (site / "accessibility" / "index.html").read_text()
    # Without one (a local build), the page says how it is made, and offers nothing.
    plain = run_cli(project, "build", "--site-dir", "plain")
    assert plain.returncode == 0, plain.stderr[-2000:]
    assert not list((project / "plain" / "offline").glob("*.zip"))
    assert "This build was made without one" in (project / "plain" / "offline" / "index.html").read_text()
