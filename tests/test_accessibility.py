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


STOP_IN_VIEW = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return {where: 'body'};
  const r = e.getBoundingClientRect();
  const inDrawer = !!e.closest('.md-sidebar--primary');
  const seen = e.checkVisibility({visibilityProperty: true, opacityProperty: true});
  // What the reader sees at the middle of the control: the control itself, not a panel slid over it.
  const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1), y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
  const top = document.elementFromPoint(x, y);
  return {where: inDrawer ? 'drawer' : (e.closest('.md-header') ? 'header' : 'page'),
          text: (e.textContent || e.getAttribute('aria-label') || '').trim().slice(0, 40), seen,
          inView: r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= innerWidth + 1 && r.top >= 0 && r.bottom <= innerHeight + 1,
          onTop: !!top && (e === top || e.contains(top) || top.contains(e))};
}"""


@pytest.mark.parametrize("viewport, zoom", [({"width": 390, "height": 844}, 1), ({"width": 320, "height": 225}, 4)],
                         ids=["phone", "desktop at 400 %"])
def test_every_tab_stop_in_the_phone_menu_is_a_visible_control_in_view(browser, basic_url, viewport, zoom):
    """Issue 21: Tab, Tab, Enter opened the menu, and the next Tab went into
    closed sub-panels (the page's contents, Browse, About): focus vanished
    and the drawer showed an empty white panel. 400 % zoom on a 1280 px
    desktop lays the page out at 320 CSS pixels, as here."""
    context = browser.new_context(viewport=viewport, device_scale_factor=zoom)
    page = context.new_page()
    page.goto(basic_url + "at-a-glance/alpha-briefing/")
    page.keyboard.press("Tab")  # Skip to content
    page.keyboard.press("Tab")  # the menu button
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Menu"
    page.keyboard.press("Enter")
    page.wait_for_timeout(400)
    stops = []

    def tab_to(text: str, backwards: bool = False) -> None:
        """Tab (or Shift+Tab) until the control named `text`, checking each stop."""
        for _ in range(30):
            page.keyboard.press("Shift+Tab" if backwards else "Tab")
            page.wait_for_timeout(50)
            stop = page.evaluate(STOP_IN_VIEW)
            stops.append(stop)
            assert stop["where"] == "drawer" and stop["seen"] and stop["inView"] and stop["onTop"], f"{stop} after " + " > ".join(s["text"] for s in stops)
            if stop["text"] == text:
                return
        raise AssertionError(f"{text} never reached: {stops}")

    def enter() -> dict:
        page.keyboard.press("Enter")
        page.wait_for_timeout(450)  # the panel slides in
        stop = page.evaluate(STOP_IN_VIEW)
        assert stop["where"] == "drawer" and stop["seen"] and stop["inView"] and stop["onTop"], (stop, stops)
        return stop

    tab_to("Browse")
    assert enter()["text"] == "Browse"  # into the panel: its title, the way back
    tab_to("Topics")                     # every link in it, each in view
    tab_to("Browse", backwards=True)
    assert enter()["text"] == "Browse"  # back: focus on what opened it
    tab_to("About")
    enter()
    tab_to("Programmes we support")
    page.keyboard.press("Tab")          # past the last link in the panel: out of the menu, not into hidden parts
    assert page.evaluate(STOP_IN_VIEW)["where"] != "drawer"
    context.close()


def test_every_page_has_one_skip_link_to_somewhere_that_exists(basic_site):
    import re
    for path in basic_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        skips = re.findall(r'<a href="#([^"]+)" class="md-skip">', html)
        assert len(skips) == 1, path
        assert f'id="{skips[0]}"' in html, (path, skips)
        # No empty banner landmark online (the offline copy's note is one).
        assert "md-banner" not in html, path


def test_the_menu_button_is_a_button_that_axe_accepts_with_its_best_practices(browser, basic_url):
    """Issue 21: axe's one remaining finding was `aria-allowed-role` on the
    theme's menu <label role=button>. All of axe's rules, not only WCAG's."""
    for width in (390, 1280):
        context = browser.new_context(viewport={"width": width, "height": 844})
        page = context.new_page()
        page.goto(basic_url + "at-a-glance/alpha-briefing/")
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()
        if width == 390:
            assert page.evaluate("document.querySelector('[aria-label=Menu]').tagName") == "BUTTON"
            page.click("[aria-label=Menu]")  # by pointer too
            page.wait_for_timeout(300)
            assert page.is_checked("#__drawer")
        context.close()
