"""Issue 4: the finder in headless Chromium, over http and from file://."""
from __future__ import annotations

import re

import pytest


def open_finder(page, url):
    page.goto(url)
    page.wait_for_selector("html[data-finder-ready]")


def results(page) -> list[str]:
    return page.locator("#finder-results .lib-card__title").all_inner_texts()


def facet_label(page, key, value) -> str:
    return page.locator(f"label[for='facet-{key}-{value}']").inner_text()


@pytest.fixture(params=["http", "file"])
def finder_url(request, basic_url, offline_basic):
    if request.param == "http":
        return basic_url + "finder/"
    return (offline_basic / "finder" / "index.html").as_uri()


def test_query_and_facets_combine_with_live_counts(page, finder_url):
    open_finder(page, finder_url)
    assert len(results(page)) == 4
    page.fill("#finder-q", "frailty")
    page.wait_for_function("document.querySelector('#finder-status').textContent.includes('frailty')")
    assert sorted(results(page)) == ["Beta deeper dive on frailty", "Past webinar on frailty"]
    assert page.inner_text("#finder-status") == "2 resources match \u201cfrailty\u201d (of 4)"
    assert facet_label(page, "type", "webinars") == "Webinar (1)"
    assert facet_label(page, "type", "at-a-glance") == "At a Glance (0)"
    page.check("#facet-type-webinars")
    assert results(page) == ["Past webinar on frailty"]
    # OR within a facet, AND across facets.
    page.check("#facet-type-deeper-dives")
    assert len(results(page)) == 2
    page.check("#facet-programmes-unpaid-carers")
    assert results(page) == ["Beta deeper dive on frailty"]
    # Counts for a facet ignore its own selection but respect the others.
    assert facet_label(page, "type", "webinars") == "Webinar (0)"
    assert "1 resource match" in page.inner_text("#finder-status")
    assert page.errors == []


def test_state_lives_in_the_url_and_survives_reload_and_back(page, finder_url):
    open_finder(page, finder_url)
    page.check("#facet-topics-housing")
    page.select_option("#finder-sort", "date")
    assert re.search(r"topics=housing", page.url) and "sort=date" in page.url
    assert results(page) == ["Future webinar on carers", "Alpha briefing on carers"]
    page.reload()
    page.wait_for_selector("html[data-finder-ready]")
    assert page.is_checked("#facet-topics-housing")
    assert page.input_value("#finder-sort") == "date"
    assert results(page) == ["Future webinar on carers", "Alpha briefing on carers"]
    page.go_back()
    page.wait_for_function("!location.search.includes('sort=date')")
    assert page.is_checked("#facet-topics-housing")
    page.go_back()
    page.wait_for_function("!document.querySelector('#facet-topics-housing').checked")
    assert len(results(page)) == 4
    # A shared link opens the same view.
    shared = finder_url + "?text=carers&type=webinars"
    open_finder(page, shared)
    assert page.input_value("#finder-q") == "carers"
    assert results(page) == ["Future webinar on carers"]


def test_the_finder_works_by_keyboard_alone(page, finder_url):
    open_finder(page, finder_url)
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "finder-q":
            break
    else:
        pytest.fail("the search box cannot be reached with Tab")
    page.keyboard.type("carer")
    page.wait_for_function("document.querySelector('#finder-status').textContent.includes('carer')")
    # The dive is in the Unpaid Carers programme, whose name is indexed.
    assert sorted(results(page)) == ["Alpha briefing on carers", "Beta deeper dive on frailty",
                                     "Future webinar on carers"]
    page.keyboard.press("Tab")  # first facet value: At a Glance
    assert page.evaluate("document.activeElement.id") == "facet-type-at-a-glance"
    page.keyboard.press("Space")
    assert results(page) == ["Alpha briefing on carers"]
    # Tab on to the result link and follow it with Enter.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('#finder-results') !== null"):
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "alpha-briefing" in page.url
    assert page.errors == []


def test_without_javascript_every_resource_is_listed(browser, basic_url):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(basic_url + "finder/")
    assert tab.locator("#lib-finder").is_hidden()
    links = tab.locator("#lib-finder-a-z li a").all_inner_texts()
    assert links == sorted(links, key=str.lower) and len(links) == 4
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
    assert page.inner_text("#finder-status") == "63 resources"
    assert page.inner_text("#finder-more") == "Show 13 more of 13 remaining"
    page.focus("#finder-more")
    page.keyboard.press("Enter")
    assert len(results(page)) == 63
    assert page.is_hidden("#finder-more")
    # Focus moves to the first new result, so a keyboard user reads on from there.
    assert page.evaluate("document.activeElement.closest('li') === document.querySelectorAll('#finder-results li')[50]")
