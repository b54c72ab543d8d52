"""Issues 4 and 11: the finder in headless Chromium, used as readers use it:
typed into key by key, at 1280 and 390 px, by keyboard alone, over http
and from file:// (the offline bundle)."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import finder_ready

PHONE = {"width": 390, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
# The fixture site's build date: the future webinar is still to come.
FIXTURE_NOW = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)


def open_finder(page, url):
    page.goto(url)
    finder_ready(page)


def results(page) -> list[str]:
    return page.locator("#finder-results .lib-card__title").all_inner_texts()


def upcoming(page) -> list[str]:
    return page.locator("#finder-upcoming-list .lib-card__title").all_inner_texts()


def everything(page) -> list[str]:
    return upcoming(page) + results(page)


def missing(page) -> list[str]:
    """Each result's "Not found" line, "" where it has every word."""
    return page.locator("#finder-results li").evaluate_all(
        "els => els.map(e => (e.querySelector('.lib-card__missing') || {textContent: ''}).textContent)")


def status(page) -> str:
    return page.inner_text("#finder-status")


def facet_label(page, key, value) -> str:
    return page.locator(f"label[for='facet-{key}-{value}']").inner_text()


def wait_for_status(page, text: str) -> None:
    """Until the status has `text` and body text has finished loading."""
    page.wait_for_function("t => { const s = document.querySelector('#finder-status').textContent;"
                           " return s.includes(t) && !s.endsWith('\u2026'); }", arg=text)


def type_query(page, text: str, delay: float = 0) -> None:
    """Type into the finder's box key by key, as a reader does."""
    page.click("#finder-q")
    page.keyboard.type(text, delay=delay)
    wait_for_status(page, "\u201c" + text.strip() + "\u201d")


def clear_box(page) -> None:
    page.click("#finder-q")
    page.keyboard.press("Control+a")
    page.keyboard.press("Backspace")


@pytest.fixture(params=["http", "file"])
def finder_url(request, basic_url, offline_basic):
    if request.param == "http":
        return basic_url + "finder/"
    return (offline_basic / "finder" / "index.html").as_uri()


def tab(browser, viewport, clock=FIXTURE_NOW):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    if clock:
        page.clock.set_fixed_time(clock)
    return context, page


@pytest.fixture(params=["1280", "390"])
def sized(request, browser):
    context, page = tab(browser, DESKTOP if request.param == "1280" else PHONE)
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context, page = tab(browser, PHONE)
    yield page
    context.close()


def test_two_and_three_word_queries_typed_key_by_key(sized, finder_url):
    page = sized
    open_finder(page, finder_url)
    # Slower than the finder's pause, so it answers between keys, as it
    # does for a reader: the box must keep every space typed.
    page.click("#finder-q")
    page.keyboard.type("unpaid ", delay=60)
    page.wait_for_timeout(400)
    assert page.input_value("#finder-q") == "unpaid "
    page.keyboard.type("carers", delay=60)
    wait_for_status(page, "\u201cunpaid carers\u201d")
    assert page.input_value("#finder-q") == "unpaid carers"
    assert sorted(everything(page)) == ["Alpha briefing on carers", "Beta deeper dive on frailty",
                                        "Future webinar on carers"]
    assert status(page) == "3 resources match \u201cunpaid carers\u201d"
    clear_box(page)
    type_query(page, "frailty needs assessment")
    assert page.input_value("#finder-q") == "frailty needs assessment"
    # Every word first; then those with some of them, each saying which it lacks.
    assert everything(page) == ["Beta deeper dive on frailty", "Past webinar on frailty", "Alpha briefing on carers"]
    assert missing(page) == ["", "Not found: needs assessment", "Not found: frailty"]
    assert status(page) == ("1 resource matches \u201cfrailty needs assessment\u201d, "
                            "and 2 more match some of the words")
    # The words are in the address, for Back and for sharing.
    assert parse_qs(urlsplit(page.url).query)["text"] == ["frailty needs assessment"]
    assert page.errors == []


def test_a_word_found_only_in_body_text_arrives_after_the_first_answer(page, finder_url):
    requested = []
    page.on("request", lambda r: requested.append(r.url.rsplit("/", 1)[-1]))
    open_finder(page, finder_url)
    # No words, no body text fetched.
    assert not [name for name in requested if name.startswith("finder-body-")]
    type_query(page, "zephyrology")
    page.wait_for_function("() => document.querySelectorAll('#finder-results li').length === 1")
    assert results(page) == ["Alpha briefing on carers"]
    assert [name for name in requested if name.startswith("finder-body-")]
    assert page.errors == []


def test_query_and_facets_combine_with_live_counts_and_chips(sized, finder_url):
    page = sized
    open_finder(page, finder_url)
    type_query(page, "frailty")
    assert sorted(everything(page)) == ["Beta deeper dive on frailty", "Past webinar on frailty"]
    if page.viewport_size["width"] < 600:
        page.click("#finder-filter-toggle")
    assert facet_label(page, "type", "webinars") == "Webinar (1)"
    assert facet_label(page, "type", "at-a-glance") == "At a Glance (0)"
    page.check("#facet-type-webinars")
    assert everything(page) == ["Past webinar on frailty"]
    # OR within a facet, AND across facets.
    page.check("#facet-type-deeper-dives")
    assert len(everything(page)) == 2
    page.check("#facet-programmes-unpaid-carers")
    assert everything(page) == ["Beta deeper dive on frailty"]
    # Counts for a facet ignore its own selection but respect the others.
    assert facet_label(page, "type", "webinars") == "Webinar (0)"
    # The status names the filters in force, for screen readers too.
    assert status(page) == ("1 resource matches \u201cfrailty\u201d, filtered by Type: Webinar or Deeper Dive; "
                            "Programme: Unpaid Carers Improvement Programme")
    chips = page.locator("#finder-chips button").evaluate_all("els => els.map(e => e.textContent)")
    assert chips == ["Remove filter: Webinar\u00d7", "Remove filter: Deeper Dive\u00d7",
                     "Remove filter: Unpaid Carers Improvement Programme\u00d7"]
    assert page.get_by_role("button", name="Remove filter: Unpaid Carers Improvement Programme").count() == 1
    page.get_by_role("button", name="Remove filter: Unpaid Carers Improvement Programme").click()
    assert sorted(everything(page)) == ["Beta deeper dive on frailty", "Past webinar on frailty"]
    assert not page.is_checked("#facet-programmes-unpaid-carers")
    # Focus stays among the chips: on the one before, as the last has gone.
    assert page.evaluate("document.activeElement.textContent") == "Remove filter: Deeper Dive\u00d7"
    page.keyboard.press("Enter")
    assert everything(page) == ["Past webinar on frailty"]
    assert page.evaluate("document.activeElement.textContent") == "Remove filter: Webinar\u00d7"
    page.keyboard.press("Enter")
    # No chips left: focus goes to the results.
    assert page.evaluate("document.activeElement.id") == "finder-results-heading"
    assert page.is_hidden("#finder-chips")
    assert page.errors == []


def test_state_lives_in_the_url_and_survives_reload_and_back(page, finder_url):
    open_finder(page, finder_url)
    page.check("#facet-topics-housing")
    page.select_option("#finder-sort", "date")
    assert re.search(r"topics=housing", page.url) and "sort=date" in page.url
    assert everything(page) == ["Future webinar on carers", "Alpha briefing on carers"]
    page.reload()
    finder_ready(page)
    assert page.is_checked("#facet-topics-housing")
    assert page.input_value("#finder-sort") == "date"
    page.go_back()
    page.wait_for_function("() => !location.search.includes('sort=date')")
    assert page.is_checked("#facet-topics-housing")
    page.go_back()
    page.wait_for_function("() => !document.querySelector('#facet-topics-housing').checked")
    assert len(everything(page)) == 4
    # Typing makes one history entry per pause, and Back restores the box.
    type_query(page, "carers")
    page.wait_for_timeout(1200)
    page.keyboard.type(" housing")
    wait_for_status(page, "\u201ccarers housing\u201d")
    page.go_back()
    page.wait_for_function("() => document.querySelector('#finder-q').value === 'carers'")
    # A shared link opens the same view.
    open_finder(page, finder_url + "?text=carers&type=webinars")
    assert page.input_value("#finder-q") == "carers"
    assert everything(page) == ["Future webinar on carers"]


def test_newest_first_is_by_publication_and_upcoming_webinars_have_their_own_place(page, finder_url):
    page.clock.set_fixed_time(FIXTURE_NOW)
    open_finder(page, finder_url)
    assert page.input_value("#finder-sort") == "date"
    assert upcoming(page) == ["Future webinar on carers"]
    assert page.is_visible("#finder-upcoming-heading") and page.is_visible("#finder-newest-heading")
    # Published 10 Feb, 1 Feb, 10 Jan: the past webinar's event date (1 March) does not count.
    assert results(page) == ["Beta deeper dive on frailty", "Past webinar on frailty", "Alpha briefing on carers"]
    card = page.locator("#finder-upcoming-list li").first.inner_text()
    assert "Takes place 1 September 2026" in card and "Published 1 May 2026" in card
    # Once it has taken place, it is listed by its publication date.
    page.clock.set_fixed_time(datetime(2026, 10, 1, tzinfo=timezone.utc))
    open_finder(page, finder_url)
    assert upcoming(page) == [] and page.is_hidden("#finder-upcoming")
    assert results(page)[0] == "Future webinar on carers"
    assert "Took place 1 September 2026" in page.locator("#finder-results li").first.inner_text()


def test_the_year_facet_is_the_year_of_publication(browser, tmp_path):
    from conftest import build, make_project, serve
    webinar = ("---\ntitle: Webinar next year\nsummary: A webinar published this year that takes place next year.\n"
               "functions: [spread]\ntopics: [housing]\npublished: 2026-11-10\nowner: Test\nstatus: current\n"
               "starts: \"2027-01-27T13:00\"\nduration_minutes: 60\nspeakers:\n  - name: A Speaker\n"
               "registration_url: https://events.example.org/x\n---\n\nBody.\n")
    project = make_project(tmp_path / "p", content={"webinars/webinar-next-year.md": webinar})
    assert build(project).returncode == 0
    context, page = tab(browser, DESKTOP, clock=datetime(2026, 11, 24, tzinfo=timezone.utc))
    open_finder(page, serve(project / "site") + "finder/")
    assert page.locator("#finder-facets fieldset").last.locator("legend").inner_text() == "Year published"
    assert page.locator("input[name=year]").evaluate_all("els => els.map(e => e.value)") == ["2026"]
    context.close()


def test_a_misspelling_shows_the_correction_at_once(page, finder_url):
    """Issue 21: no empty list and a link to click, but the correction's
    results, and a way back to the words as typed."""
    open_finder(page, finder_url)
    page.click("#finder-q")
    page.keyboard.type("fraility", delay=40)
    wait_for_status(page, "\u201cfrailty\u201d")
    assert status(page) == "2 resources match \u201cfrailty\u201d"
    assert sorted(everything(page)) == ["Beta deeper dive on frailty", "Past webinar on frailty"]
    assert page.inner_text("#finder-suggest") == "Showing results for frailty. Search instead for fraility."
    assert page.inner_text("#finder-suggest strong") == "frailty"
    # The box keeps what the reader typed.
    assert page.input_value("#finder-q") == "fraility"
    page.get_by_role("link", name="fraility").click()
    wait_for_status(page, "\u201cfraility\u201d")
    assert status(page) == "No resources match \u201cfraility\u201d"
    assert parse_qs(urlsplit(page.url).query) == {"text": ["fraility"], "exact": ["1"]}
    assert page.inner_text("#finder-suggest") == "Did you mean frailty?"
    # A shared link to the words as typed opens the same view.
    page.reload()
    finder_ready(page)
    wait_for_status(page, "\u201cfraility\u201d")
    assert everything(page) == []
    page.get_by_role("link", name="frailty").click()
    wait_for_status(page, "\u201cfrailty\u201d")
    assert page.input_value("#finder-q") == "frailty" and page.is_hidden("#finder-suggest")
    assert len(everything(page)) == 2
    # Typing again corrects again; a word with no close word stays as typed.
    clear_box(page)
    page.keyboard.type("fraility zephyrologia", delay=40)
    wait_for_status(page, "\u201cfrailty zephyrologia\u201d")
    assert missing(page) == ["Not found: zephyrologia"] * 2
    assert "exact" not in page.url
    assert page.errors == []


def test_an_empty_state_that_helps(page, finder_url):
    open_finder(page, finder_url)
    type_query(page, "winter")
    assert status(page) == "No resources match \u201cwinter\u201d"
    empty = page.locator("#finder-empty")
    assert empty.is_visible()
    assert "topics, A to Z" in empty.inner_text()
    hrefs = empty.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert any(h.startswith("mailto:his.strategicplanning@nhs.scot") for h in hrefs)
    assert any(h.startswith("../topics/") for h in hrefs)
    # Known words that no resource has together: those with some of them,
    # not an empty list.
    clear_box(page)
    type_query(page, "zephyrology frailty")
    assert page.is_hidden("#finder-empty")
    assert status(page) == ("No resources match all of \u201czephyrology frailty\u201d: "
                            "3 resources match some of the words")
    assert missing(page) == ["Not found: zephyrology"] * 2 + ["Not found: frailty"]
    assert page.errors == []


def test_an_extra_word_ranks_instead_of_emptying_the_list(sized, finder_url):
    """Issue 21: a word no resource has, typed after words that match,
    leaves the results in place, each saying what it lacks, in the
    reader's own letters."""
    page = sized
    open_finder(page, finder_url)
    type_query(page, "unpaid carers", delay=40)
    before = everything(page)
    page.keyboard.type(" IJB", delay=40)
    wait_for_status(page, "\u201cunpaid carers IJB\u201d")
    assert everything(page) == before
    assert set(missing(page)) == {"Not found: IJB"}
    assert status(page) == "No resources match all of \u201cunpaid carers IJB\u201d: 3 resources match some of the words"
    # A resource with fewer of the words comes after those with more.
    clear_box(page)
    type_query(page, "carers housing", delay=40)
    assert everything(page)[2] == "Beta deeper dive on frailty"
    assert missing(page) == ["", "", "Not found: housing"]
    assert status(page) == "2 resources match \u201ccarers housing\u201d, and 1 more matches some of the words"
    assert page.errors == []


def test_the_filters_offer_only_terms_in_use(page, finder_url):
    # Issue 21: a topic no resource has is not a "(0)" filter.
    open_finder(page, finder_url)
    counts = page.locator("#finder-facets .lib-facet__count").all_inner_texts()
    assert counts and "(0)" not in counts
    assert page.locator("#facet-topics-workforce-planning").count() == 0
    # An old link to it still opens the finder, unfiltered.
    open_finder(page, finder_url + "?topics=workforce-planning")
    assert len(everything(page)) == 4 and page.is_hidden("#finder-chips")


def test_one_filter_and_no_words_offers_that_list_as_a_feed(page, finder_url):
    open_finder(page, finder_url)
    assert page.is_hidden("#finder-feed")
    page.check("#facet-topics-housing")
    link = page.locator("#finder-feed a")
    assert link.inner_text() == "Get updates for this list (Atom feed)"
    assert link.get_attribute("href") == "../feeds/topics/housing.xml"
    assert link.get_attribute("type") == "application/atom+xml"
    page.check("#facet-type-webinars")
    assert page.is_hidden("#finder-feed")
    page.uncheck("#facet-topics-housing")
    assert page.locator("#finder-feed a").get_attribute("href") == "../feeds/types/webinars.xml"
    type_query(page, "carers")
    assert page.is_hidden("#finder-feed")
    page.uncheck("#facet-type-webinars")
    page.check("#facet-year-2026")
    clear_box(page)
    page.wait_for_function("() => !document.querySelector('#finder-status').textContent.includes('carers')")
    assert page.is_hidden("#finder-feed")  # no feed for a year


def first_result_box(page) -> dict:
    return page.locator("#finder-upcoming-list li, #finder-results li").first.bounding_box()


def test_on_a_phone_the_results_come_first(phone, finder_url):
    page = phone
    open_finder(page, finder_url)
    # Filters wait behind a button; the count and the first result are on the first screen.
    assert page.is_visible("#finder-filter-toggle") and page.is_hidden("#finder-facets")
    assert page.locator("#finder-results-heading").bounding_box()["y"] < 800
    box = first_result_box(page)
    assert box["y"] + 60 < 800, box
    type_query(page, "unpaid carers")
    page.keyboard.press("Enter")  # as the phone's Search key does
    page.evaluate("window.scrollTo(0, 0)")
    box = first_result_box(page)
    assert box["y"] + 60 < 800, box
    # The Filter button opens the filters, says how many are applied, and
    # "Show results" goes back to them.
    toggle = page.locator("#finder-filter-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and page.is_visible("#finder-facets")
    page.check("#facet-programmes-focus-on-frailty")
    assert toggle.text_content() == "Filter (1 applied)"
    assert page.get_by_role("button", name="Remove filter: Focus on Frailty").count() == 1
    page.click(".lib-finder__show-results")
    assert page.is_hidden("#finder-facets")
    assert page.evaluate("document.activeElement.id") == "finder-results-heading"
    assert everything(page) == ["Beta deeper dive on frailty"]
    page.get_by_role("button", name="Remove filter: Focus on Frailty").click()
    assert toggle.text_content() == "Filter"
    assert page.errors == []


def focus_ring(page) -> str:
    return page.evaluate("""(() => { const s = getComputedStyle(document.activeElement);
        return s.outlineStyle === 'none' || s.outlineWidth === '0px' ? '' : s.outlineStyle + ' ' + s.outlineWidth; })()""")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_the_finder_works_by_keyboard_alone(browser, finder_url, viewport):
    context, page = tab(browser, viewport)
    open_finder(page, finder_url)
    for presses in range(1, 30):
        page.keyboard.press("Tab")
        assert focus_ring(page), page.evaluate("document.activeElement.outerHTML.slice(0, 80)")
        if page.evaluate("document.activeElement.id") == "finder-q":
            break
    else:
        pytest.fail("the search box cannot be reached with Tab")
    page.keyboard.type("carer")
    wait_for_status(page, "carer")
    # Next: the skip link, shown when it has focus.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to results"
    assert page.locator(".lib-finder__skip").bounding_box()["width"] > 20 and focus_ring(page)
    if viewport is PHONE:
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "finder-filter-toggle" and focus_ring(page)
        page.keyboard.press("Enter")
    else:
        page.keyboard.press("Tab")
    # Into the filters: the first value, checked with Space.
    for _ in range(3):
        if page.evaluate("document.activeElement.id") == "facet-type-at-a-glance":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "facet-type-at-a-glance" and focus_ring(page)
    page.keyboard.press("Space")
    assert everything(page) == ["Alpha briefing on carers"]
    # Back to the box, then straight to the results with the skip link.
    page.focus("#finder-q")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "finder-results-heading"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#finder-results, #finder-upcoming') !== null")
    assert focus_ring(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "alpha-briefing" in page.url
    assert page.errors == []
    context.close()


def test_every_finder_control_shows_focus(browser, basic_url):
    context, page = tab(browser, DESKTOP)
    open_finder(page, basic_url + "finder/?topics=housing")
    missing, seen = [], set()
    for _ in range(80):
        page.keyboard.press("Tab")
        where = page.evaluate("""(() => { const e = document.activeElement;
            return e.closest('#lib--finder') ? (e.id || e.classList[0] || e.tagName) + ':' + e.textContent.slice(0, 30) : null; })()""")
        if where:
            seen.add(where.split(":")[0])
            if not focus_ring(page):
                missing.append(where)
    assert missing == []
    assert {"finder-q", "finder-sort", "finder-clear", "lib-chip", "facet-type-webinars"} <= seen
    context.close()


def test_without_javascript_the_finder_leads_to_every_resource(browser, basic_url):
    # Not one list of every resource (645 KB at 4,000): links to the paged
    # type listings, which between them hold every listed resource.
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(basic_url + "finder/")
    assert page.locator("#lib--finder").is_hidden() and page.locator("#lib--finder-browse").is_visible()
    browse = page.locator("#lib--finder-browse a")
    assert browse.all_inner_texts() == ["At a Glance briefings", "Deeper Dives", "Webinars", "Topics, A to Z",
                                        "National improvement programmes", "The team's four functions"]
    found = []
    for n in range(3):
        page.goto(basic_url + "finder/")
        page.locator("#lib--finder-browse a").nth(n).click()
        while True:
            found += page.locator("article .lib-card__title").all_inner_texts()
            following = page.locator("a[rel=next]")
            if not following.count():
                break
            following.click()
    assert sorted(found) == ["Alpha briefing on carers", "Beta deeper dive on frailty",
                             "Future webinar on carers", "Past webinar on frailty"]
    for n, heading in ((3, "Topics"), (4, "Programmes"), (5, "Functions")):
        page.goto(basic_url + "finder/")
        page.locator("#lib--finder-browse a").nth(n).click()
        assert page.locator("article h1").inner_text() == heading
    context.close()


def test_the_finder_is_one_click_from_every_page(page, basic_url):
    for path in ("", "at-a-glance/alpha-briefing/", "topics/"):
        page.goto(basic_url + path)
        link = page.locator("a.md-tabs__link", has_text="Find resources")
        assert link.count() == 1
    page.goto(basic_url)
    assert page.locator("article a", has_text="Find a resource").count() == 1


def test_long_result_lists_show_fifty_at_a_time(page, tmp_path):
    from conftest import build, make_project, serve
    content = {}
    for n in range(63):
        content[f"deeper-dives/many-{n:02d}.md"] = (
            f"---\ntitle: Resource number {n}\nsummary: One of many resources for the paging test of the finder.\n"
            f"functions: [curate]\ntopics: [housing]\npublished: 2026-01-{1 + n % 28:02d}\nowner: Test\n"
            "status: current\n---\n\nBody.\n")
    project = make_project(tmp_path / "p", content=content)
    assert build(project).returncode == 0
    open_finder(page, serve(project / "site") + "finder/")
    assert len(results(page)) == 50
    assert status(page) == "63 resources"
    assert page.inner_text("#finder-more") == "Show 13 more of 13 remaining"
    page.focus("#finder-more")
    page.keyboard.press("Enter")
    assert len(results(page)) == 63
    assert page.is_hidden("#finder-more")
    # Focus moves to the first new result, so a keyboard user reads on from there.
    assert page.evaluate("document.activeElement.closest('li') === document.querySelectorAll('#finder-results li')[50]")


def test_the_header_box_lands_on_the_finder_with_the_words(sized, basic_url):
    from conftest import header_search
    page = sized
    for path in ("", "at-a-glance/alpha-briefing/", "topics/housing/"):
        page.goto(basic_url + path)
        # A plain form: no script is needed to get to the finder.
        form = page.locator("form.lib-site-search")
        assert form.get_attribute("method") == "get"
        action = form.evaluate("f => f.action")
        assert action == basic_url + "finder/", path
    header_search(page, "needs assessment")
    assert urlsplit(page.url).path == "/finder/"
    assert parse_qs(urlsplit(page.url).query) == {"text": ["needs assessment"]}
    assert page.input_value("#finder-q") == "needs assessment"
    assert sorted(everything(page)) == ["Alpha briefing on carers", "Beta deeper dive on frailty"]
    assert page.errors == []


def test_the_offline_header_box_points_at_the_finder_file(offline_basic):
    import re as regex
    for rel, action in (("index.html", "finder/index.html"), ("at-a-glance/alpha-briefing.html", "../finder/index.html"),
                        ("accessibility.html", "finder/index.html")):
        html = (offline_basic / rel).read_text()
        assert regex.search(r'<form class="lib-site-search" role="search" aria-label="Site search" action="'
                            + regex.escape(action) + '" method="get">', html), rel


def test_hostile_text_is_shown_as_text(browser, tmp_path):
    """Quotes, backslashes, markup and line separators in every field the
    finder shows or searches reach the page as text, never as code."""
    from conftest import build, make_project, serve
    # HTML in front matter is refused by the validator; what it lets through must stay text.
    title = 'Quokka "quoted" \'single\' \\ back & amp; 5 < 6 > 4 end'
    resource = ("---\ntitle: " + '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"\n'
                "summary: 'A summary with a backslash \\ , an ampersand &amp; and a less-than 3 < 4, quokkas too.'\n"
                "functions: [curate]\ntopics: [housing]\npublished: 2026-01-05\nowner: Test\nstatus: current\n---\n\n"
                "## Heading with <em>markup</em> and 'quotes'\n\n`<img src=x onerror=\"window.__hit=1\">`\n\n"
                "Body with `code`, \"quotes\", </script> and quokkaology, in a caf\u00e9 (na\u00efvet\u00e9 aside), e.g.\n\n"
                # Eighth attacker: lunr.py's stemmer recursed once a `y` (RecursionError);
                # a word over 40 letters is indexed unstemmed, and found as typed.
                + "y" * 2000 + "e supercalifragilisticexpialidociousplannings\n")
    project = make_project(tmp_path / "p", content={"at-a-glance/hostile.md": resource})
    result = build(project)
    assert result.returncode == 0, result.stderr
    context, page = tab(browser, DESKTOP)
    open_finder(page, serve(project / "site") + "finder/")
    type_query(page, "quokkaology")
    page.wait_for_function("() => document.querySelectorAll('#finder-results li').length === 1")
    assert page.locator("#finder-results .lib-card__title").text_content() == title
    assert "&amp; and a less-than 3 < 4" in page.locator("#finder-results .lib-card__summary").text_content()
    # Words beyond ASCII are cut into terms in the browser as at build time.
    for word in ("caf\u00e9", "na\u00efvet\u00e9", "e.g.", "supercalifragilisticexpialidociousplannings"):
        clear_box(page)
        type_query(page, word)
        assert everything(page) == [title], word
    assert page.evaluate("window.__hit") is None
    assert page.locator("#finder-results img").count() == 0
    # Ninth attacker: words and filters named like JavaScript's own object
    # properties stopped the finder ("constructor", "__proto__") or showed
    # "function Object()" as a filter; a contributor could link readers there.
    for word in ("constructor", "__proto__ quokkaology", "toString hasOwnProperty"):
        clear_box(page)
        type_query(page, word)
    assert everything(page) == [], everything(page)
    page.goto(serve(project / "site") + "finder/?text=quokkaology+constructor&topics=constructor,__proto__,housing"
              "&functions=toString&year=constructor")
    finder_ready(page)
    chips = page.locator("#finder-chips").inner_text()
    assert chips.count("Housing") == 1 and "function" not in chips.lower() and "object" not in chips.lower(), chips
    assert everything(page) == [title]
    assert page.errors == []
    context.close()


SPOKEN = """() => { window.__spoken = [];
  for (const region of document.querySelectorAll('#lib--finder [aria-live]')) {
    let last = region.textContent;
    new MutationObserver(() => {
      if (region.textContent !== last) { last = region.textContent; window.__spoken.push(last); }
    }).observe(region, {childList: true, subtree: true, characterData: true});
  } }"""


def test_the_live_region_speaks_once_the_reader_stops_typing(browser, starter_site):
    """Issue 21: typed at 300 ms a key, "mental health" made the live
    region change at every key, with counts that jumped. Every change to
    any live region's text is counted, as a screen reader hears it."""
    from conftest import serve
    context, page = tab(browser, DESKTOP, clock=None)
    open_finder(page, serve(starter_site) + "finder/")
    page.wait_for_timeout(500)  # what the page says on opening is not counted
    page.evaluate(SPOKEN)
    page.click("#finder-q")
    page.keyboard.type("mental health", delay=300)
    page.wait_for_timeout(2000)
    spoken = page.evaluate("window.__spoken")
    print(f"\nThe live region changed {len(spoken)} times: {spoken}")
    assert len(spoken) == 1, spoken
    assert re.fullmatch(r"\d+ resources match \u201cmental health\u201d", spoken[0]), spoken
    assert spoken[0] == status(page)
    # A filter is said at once, and a correction says what it searched for.
    page.check("#facet-type-webinars")
    page.wait_for_timeout(400)
    assert page.evaluate("window.__spoken")[1:] == [status(page)]
    page.uncheck("#facet-type-webinars")
    page.wait_for_timeout(400)
    clear_box(page)
    page.keyboard.type("phychosis", delay=300)
    page.wait_for_timeout(1500)
    assert page.evaluate("window.__spoken")[2:] == [
        spoken[0], "Showing results for psychosis. 1 resource matches \u201cpsychosis\u201d"]
    context.close()


@pytest.mark.parametrize("words, line", [("carers", ""), ("IJB strategic plan", "Not found: IJB"),
                                         ("needs assesment", "Showing results for needs assessment.")])
def test_from_the_header_on_a_phone_three_results_are_in_sight(browser, starter_site, words, line):
    """Issue 21: after a header search at 390 x 844 the finder repeated its
    title, introduction, box, hint, Filter button and sort above the
    results, and the first began at about 600 px. Arriving with words, the
    head is compact and the first three results are whole on the first
    screen, with a "Not found" or "Showing results for" line among them."""
    from conftest import header_search, serve
    context, page = tab(browser, {"width": 390, "height": 844}, clock=None)
    page.goto(serve(starter_site))
    header_search(page, words)
    page.wait_for_function("() => !document.querySelector('#finder-results-heading').textContent.endsWith('\u2026')")
    if line:
        assert line in page.inner_text("#lib--finder")
    assert page.evaluate("window.scrollY") == 0
    boxes = [li.bounding_box() for li in page.locator("#finder-results li").all()[:3]]
    print(f"\n{words!r} at 390 x 844, the first three results (top, bottom):",
          [(round(b["y"]), round(b["y"] + b["height"])) for b in boxes])
    assert len(boxes) == 3 and all(b["y"] + b["height"] <= 844 for b in boxes), boxes
    # The box, the Filter button and the sort are still on the first screen; the
    # title and the hint are still there for screen readers.
    for control in ("#finder-q", "#finder-filter-toggle", "#finder-sort"):
        assert page.locator(control).bounding_box()["y"] < boxes[0]["y"], control
    assert page.get_by_role("heading", level=1, name="Find resources").count() == 1
    assert page.get_attribute("#finder-q", "aria-describedby") == "finder-q-hint"
    assert page.errors == []
    context.close()
