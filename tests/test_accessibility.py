"""Issue 6: WCAG 2.2 AA in headless Chromium: axe on every kind of page in
both colour schemes, keyboard focus, CSP, cookies, third parties, print."""
from __future__ import annotations

import io

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import header_search

PAGE_KINDS = {
    "home": "", "at-a-glance listing": "at-a-glance/", "deeper-dives listing": "deeper-dives/",
    "webinars listing": "webinars/", "at-a-glance resource": "at-a-glance/alpha-briefing/",
    "deeper-dive resource": "deeper-dives/beta-dive/", "upcoming webinar": "webinars/future-webinar/",
    "past webinar": "webinars/past-webinar/", "withdrawn resource": "at-a-glance/withdrawn-briefing/",
    "programme index": "programmes/", "programme page": "programmes/unpaid-carers/",
    "topic index": "topics/", "topic page": "topics/needs-assessment/", "function index": "functions/",
    "function page": "functions/curate/", "finder": "finder/", "accessibility statement": "accessibility/",
    "about": "about/", "privacy": "privacy/", "contribute": "contribute/",
}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_report(page, kind: str, path: str, label: str) -> str:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return f"--- {kind} ({path}), {label}:\n{results.generate_report()}" if results.violations_count else ""


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("scheme, material_scheme", [("light", "default"), ("dark", "slate")])
def test_axe_finds_no_violations_on_any_kind_of_page(browser, basic_url, scheme, material_scheme, width):
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
    page = context.new_page()
    report = []
    for kind, path in PAGE_KINDS.items():
        page.goto(basic_url + path)
        if path == "finder/":
            page.wait_for_selector("html[data-finder-ready]")
        assert page.get_attribute("body", "data-md-color-scheme") == material_scheme
        report.append(axe_report(page, kind, path, f"{scheme}, {width} px"))
    context.close()
    report = [r for r in report if r]
    assert report == [], "\n".join(report)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_with_the_phone_menu_opened_by_keyboard(browser, basic_url, scheme):
    context = browser.new_context(color_scheme=scheme, viewport={"width": 390, "height": 844})
    page = context.new_page()
    report = []
    for kind in ("home", "at-a-glance resource", "upcoming webinar", "topic page"):
        path = PAGE_KINDS[kind]
        page.goto(basic_url + path)
        page.focus('.md-header [aria-label="Menu"]')
        page.keyboard.press("Enter")
        page.wait_for_timeout(300)  # the drawer slides in
        assert page.is_checked("#__drawer")
        assert page.locator(".md-sidebar--primary .md-nav__link").first.is_visible()
        report.append(axe_report(page, kind, path, f"{scheme}, menu open"))
    context.close()
    report = [r for r in report if r]
    assert report == [], "\n".join(report)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_on_the_page_not_found(browser, basic_site, scheme):
    """Served as GitHub Pages serves it, under the site's path, at a missing address."""
    from test_pages import SITE_URL, serve_like_github_pages
    from urllib.parse import urlsplit
    base = serve_like_github_pages(basic_site, urlsplit(SITE_URL).path)
    report = []
    for width in (1280, 390):
        context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
        page = context.new_page()
        assert page.goto(base + "no/such/page/").status == 404
        report.append(axe_report(page, "page not found", "no/such/page/", f"{scheme}, {width} px"))
        context.close()
    report = [r for r in report if r]
    assert report == [], "\n".join(report)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_in_the_finder_on_a_phone(browser, basic_url, scheme):
    """At 390 px, in each state a reader meets: filters closed and open,
    filters applied as chips, results for words, the empty state."""
    context = browser.new_context(color_scheme=scheme, viewport={"width": 390, "height": 800})
    page = context.new_page()
    axe = Axe()
    report = []

    def check(state):
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        if results.violations_count:
            report.append(f"--- {state}, {scheme}:\n{results.generate_report()}")

    page.goto(basic_url + "finder/")
    page.wait_for_selector("html[data-finder-ready]")
    check("filters closed")
    page.click("#finder-filter-toggle")
    page.check("#facet-programmes-focus-on-frailty")
    check("filters open, one applied")
    page.click(".lib-finder__show-results")
    check("a chip")
    page.goto(basic_url + "finder/?text=fraility")
    page.wait_for_selector("html[data-finder-ready]")
    page.wait_for_selector("#finder-suggest:not([hidden]) strong")
    check("showing results for a correction")
    page.goto(basic_url + "finder/?text=fraility&exact=1")
    page.wait_for_selector("html[data-finder-ready]")
    page.wait_for_selector("#finder-empty:not([hidden])")
    check("did you mean, and the empty state")
    page.goto(basic_url + "finder/?text=frailty+IJB")
    page.wait_for_selector("html[data-finder-ready]")
    page.wait_for_selector(".lib-card__missing")
    check("results that lack a word")
    page.goto(basic_url + "at-a-glance/alpha-briefing/")
    check("a resource page with the header's search box")
    context.close()
    assert report == [], "\n".join(report)


def test_the_slash_key_focuses_the_search_box(page, basic_url):
    page.goto(basic_url + "at-a-glance/alpha-briefing/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "lib--site-search-q"
    # Typed into a box, "/" is just a character.
    page.keyboard.type("a/b")
    assert page.input_value("#lib--site-search-q") == "a/b"
    page.goto(basic_url + "finder/")
    page.wait_for_selector("html[data-finder-ready]")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "finder-q"


def test_skip_link_moves_focus_to_the_main_content(page, basic_url):
    page.goto(basic_url + "at-a-glance/alpha-briefing/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # The next stop is inside the article, not the header or the navigation.
    assert page.evaluate("!!document.activeElement.closest('article')")


def test_focused_elements_are_never_hidden_under_the_sticky_header(page, basic_url):
    page.goto(basic_url + "topics/")
    header = page.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom")
    hidden = []
    for _ in range(40):
        page.keyboard.press("Tab")
        box = page.evaluate("""(() => { const e = document.activeElement;
            if (!e.closest('article')) return null;
            const r = e.getBoundingClientRect(); return {top: r.top, text: e.textContent.trim()}; })()""")
        if box and box["top"] < header:
            hidden.append(box)
    assert hidden == []


def test_links_in_text_are_underlined(page, basic_url):
    page.goto(basic_url + "at-a-glance/alpha-briefing/")
    decoration = page.evaluate(
        "getComputedStyle(document.querySelector('article p a[href*=beta-dive]')).textDecorationLine")
    assert "underline" in decoration


def test_no_csp_violations_no_cookies_no_third_party_requests(browser, basic_url):
    context = browser.new_context()
    others = []

    def guard(route):
        if route.request.url.startswith(basic_url) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            others.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation',"
                         " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    for path in ("", "finder/", "at-a-glance/alpha-briefing/", "webinars/"):
        page.goto(basic_url + path)
        page.wait_for_load_state("networkidle")
        if path == "finder/":
            page.click("#finder-q")
            page.keyboard.type("carers")
            page.wait_for_function("() => document.querySelector('#finder-status').textContent.includes('carers')")
        if path == "":
            header_search(page, "frailty")  # lands on the finder
            page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__csp") == [], path
    assert errors == []
    assert others == []
    assert context.cookies() == []
    context.close()


def test_an_at_a_glance_prints_cleanly_on_a4(browser, basic_url):
    from pypdf import PdfReader
    page = browser.new_page()
    page.goto(basic_url + "at-a-glance/alpha-briefing/")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert 1 <= len(pdf.pages) <= 2
    width, height = float(pdf.pages[0].mediabox.width), float(pdf.pages[0].mediabox.height)
    assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2  # A4 in points
    assert "Alpha briefing on carers" in text and "Published" in text and "zephyrology" in text
    for chrome in ("Skip to content", "Find resources", "Accessibility statement", "Table of contents",
                   "Related resources", "Search"):
        assert chrome not in text, chrome
    page.close()
