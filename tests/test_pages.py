"""Issue 12: pages as good as GOV.UK's. Webinar pages that lead with the
action, calendars that every client reads alike, change history, file
facts and accessible formats, feeds for every list, a home page without
repeats, and the details readers notice. Real builds; Chromium where
behaviour is involved."""
from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import datetime, timedelta, timezone
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from conftest import REPO, build, make_project, read
from test_site import hrefs, main_content

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE_URL = "https://healthcare-improvement-scotland.github.io/strategic-planning-library/"
NODE_MODULES = REPO / "node_modules"
CONTACT = "his.strategicplanning@nhs.scot"

# A winter and a summer webinar, both upcoming on the fixture build date
# (1 June 2026), and a briefing whose author wrote headings with the same
# words as the library's own sections.
WINTER = """---
title: Winter webinar on frailty
summary: An upcoming webinar in GMT, the case that other calendar clients got wrong.
functions: [spread]
topics: [housing]
published: 2026-05-01
owner: Test team
status: current
starts: "2027-01-14T14:00"
duration_minutes: 90
speakers:
  - name: Strategic Planning Advisor
registration_url: https://events.example.org/winter
---

Body.
"""
SUMMER = WINTER.replace("Winter webinar on frailty", "Summer webinar on frailty").replace(
    "2027-01-14T14:00", "2026-07-09T12:00").replace("in GMT", "in BST").replace("/winter", "/summer")
CLASHING = """---
title: Briefing with its own section headings
summary: A briefing whose author wrote headings that the library also uses for its own sections.
functions: [curate]
topics: [housing]
published: 2026-01-05
updated: 2026-04-02
changes:
  - date: 2026-04-02
    note: "Replaced the checklist with the 2026 version & fixed a <3-line typo."
owner: Test team
status: current
downloads:
  - file: files/clash.pdf
    label: Planning checklist
---

## Related resources

## Downloads

## Updates to this page

## Lib related resources

Text.
"""


def write_pdf(path: Path, pages: int) -> None:
    from pypdf import PdfWriter
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        writer.write(handle)


@pytest.fixture(scope="module")
def extra_site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("extra"), "basic", content={
        "webinars/winter-webinar.md": WINTER, "webinars/summer-webinar.md": SUMMER,
        "at-a-glance/clashing-headings.md": CLASHING})
    write_pdf(project / "at-a-glance" / "files" / "clash.pdf", 12)
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def before(html: str, first: str, then: str) -> bool:
    assert first in html, first
    assert then in html, then
    return html.index(first) < html.index(then)


# Webinar pages -----------------------------------------------------------

def test_upcoming_webinar_leads_with_status_time_and_actions(basic_site):
    page = main_content(read(basic_site, "webinars/future-webinar/"))
    assert "Upcoming webinar" in page and "Past webinar" not in page
    # GOV.UK style: "1pm to 2:30pm", the zone named, before anything else.
    assert "Tuesday 1 September 2026, 1pm to 2:30pm (BST, UK time)" in page
    assert re.search(r'<a class="md-button md-button--primary" href="https://events.example.org/future">Register', page)
    assert re.search(r'<a class="md-button" href="../future-webinar.ics" download>Add to calendar', page)
    for metadata in ("<dt>Speakers</dt>", "<dt>Owner</dt>", "<dt>Topics</dt>"):
        assert before(page, "Register", metadata)
        assert before(page, "Add to calendar", metadata)
    assert before(page, "Upcoming webinar", "<h1>")


def test_past_webinar_leads_with_recording_slides_and_transcript(basic_site):
    page = main_content(read(basic_site, "webinars/past-webinar/"))
    assert "Past webinar" in page and "Register" not in page
    assert "Sunday 1 March 2026, 2pm to 3pm (GMT, UK time)" in page
    assert 'href="https://video.example.org/past">Watch the recording' in page
    # Slides: format, size and the page count read from the PDF itself.
    assert re.search(r'href="../files/past-slides.pdf" download>Slides</a> <span class="lib-file-info">'
                     r'\(PDF, \d+ bytes, 3 pages\)</span>', page)
    assert "A transcript is not available for this webinar." in page
    assert before(page, "Watch the recording", "<dt>Owner</dt>")
    assert before(page, "past-slides.pdf", "<dt>Owner</dt>")


def test_register_button_is_on_the_first_screen_of_a_phone(browser, basic_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(basic_url + "webinars/future-webinar/")
    register = page.get_by_role("link", name=re.compile("^Register"))
    box = register.bounding_box()
    assert box and box["y"] + box["height"] <= 844, box
    calendar = page.get_by_role("link", name=re.compile("^Add to calendar"))
    assert calendar.bounding_box()["y"] + calendar.bounding_box()["height"] <= 844
    assert page.get_by_text("Upcoming webinar").is_visible()
    context.close()


@pytest.mark.parametrize("path", ["", "webinars/future-webinar/", "topics/housing/", "finder/"])
def test_on_a_phone_every_page_says_whose_site_it_is(browser, basic_url, path):
    # The header's search box takes the site's name's place on a phone: a
    # reader who arrives from a link still sees whose site this is, first.
    for width, shown in ((390, True), (1280, False)):
        context = browser.new_context(viewport={"width": width, "height": 844})
        page = context.new_page()
        page.goto(basic_url + path)
        brand = page.get_by_role("link", name="Strategic Planning Resource Library", exact=True)
        visible = [b for b in brand.all() if b.is_visible()]
        if shown:
            assert len(visible) == 1 and visible[0].bounding_box()["y"] < 200, path
            assert visible[0].bounding_box()["height"] < 30  # one line: the finder's results stay first
            visible[0].click()
            page.wait_for_url(basic_url)
        else:
            assert not page.locator(".lib-phone-brand").is_visible(), path
            assert page.locator(".md-header__title").is_visible()
        context.close()


def test_webinar_listing_offers_a_subscription_not_only_a_download(basic_site):
    page = main_content(read(basic_site, "webinars/"))
    links = hrefs(page)
    webcal = SITE_URL.replace("https://", "webcal://") + "webinars/webinars.ics"
    assert webcal in links
    assert re.search(re.escape(f'href="{webcal}">Subscribe to the webinar calendar</a>'), page)
    assert "webinars.ics" in links  # a one-off download as well


# Calendars: three parsers agree ------------------------------------------

def icalendar_times(path: Path) -> dict[str, tuple[str, str]]:
    calendar = Calendar.from_ical(path.read_bytes())
    return {str(e["SUMMARY"]): (e.decoded("DTSTART").astimezone(timezone.utc).isoformat(),
                                e.decoded("DTEND").astimezone(timezone.utc).isoformat())
            for e in calendar.walk("VEVENT")}


def vobject_times(path: Path) -> dict[str, tuple[str, str]]:
    import vobject
    calendar = vobject.readOne(path.read_text(encoding="utf-8"))
    return {e.summary.value: (e.dtstart.value.astimezone(timezone.utc).isoformat(),
                              e.dtend.value.astimezone(timezone.utc).isoformat())
            for e in calendar.vevent_list}


def require_tool(ready: bool, message: str) -> None:
    """Like the offline-bundle tests: skipped with a reason on a machine
    without npm (or Java), and a failure in CI, which installs them."""
    if not ready:
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def icaljs_times(path: Path) -> dict[str, tuple[str, str]]:
    require_tool((NODE_MODULES / "ical.js").is_dir() and bool(shutil.which("node")),
                 "ical.js is a test dependency: `make test` installs it with npm (Debian: apt-get install npm)")
    out = subprocess.run(["node", str(REPO / "tests" / "js" / "ical_times.cjs"), str(NODE_MODULES), str(path)],
                         capture_output=True, text=True, timeout=60, check=True).stdout

    def utc(value: str) -> str:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
    return {e["summary"]: (utc(e["start"]), utc(e["end"])) for e in json.loads(out)}


def test_calendars_read_the_same_in_icalendar_vobject_and_icaljs(extra_site):
    expected = {
        # 14:00 in January is GMT: 14:00 UTC. ical.js and vobject put it at 13:00 before.
        "Winter webinar on frailty": ("2027-01-14T14:00:00+00:00", "2027-01-14T15:30:00+00:00"),
        # 12:00 in July is BST: 11:00 UTC.
        "Summer webinar on frailty": ("2026-07-09T11:00:00+00:00", "2026-07-09T12:30:00+00:00"),
        "Future webinar on carers": ("2026-09-01T12:00:00+00:00", "2026-09-01T13:30:00+00:00"),
        "Past webinar on frailty": ("2026-03-01T14:00:00+00:00", "2026-03-01T15:00:00+00:00"),
    }
    every = extra_site / "webinars" / "webinars.ics"
    for reader in (icalendar_times, vobject_times, icaljs_times):
        assert reader(every) == expected, reader.__name__
        winter = reader(extra_site / "webinars" / "winter-webinar.ics")
        assert winter == {"Winter webinar on frailty": expected["Winter webinar on frailty"]}, reader.__name__
    text = every.read_text(encoding="utf-8")
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in text and "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in text
    assert not re.search(r"^RDATE:[^\r\n]*,", text, re.M)  # never several values on one RDATE line


def test_the_time_zone_rules_match_the_tz_database_for_years_ahead(extra_site):
    """The VTIMEZONE is written by hand: check it against tzdata, hour by
    hour around every change from 2026 to 2040, as vobject reads it."""
    import vobject
    calendar = vobject.readOne((extra_site / "webinars" / "webinars.ics").read_text(encoding="utf-8"))
    ours, london = calendar.vtimezone.gettzinfo(), ZoneInfo("Europe/London")
    moment = datetime(2026, 1, 1, tzinfo=timezone.utc)
    mismatches = []
    while moment.year < 2041:
        if london.utcoffset(moment.replace(tzinfo=None)) != london.utcoffset((moment + timedelta(days=1)).replace(tzinfo=None)) \
                or moment.hour == 12:
            for hour in range(-30, 31):
                instant = moment + timedelta(hours=hour)
                if instant.astimezone(ours).utcoffset() != instant.astimezone(london).utcoffset():
                    mismatches.append(instant.isoformat())
        moment += timedelta(days=1)
    assert mismatches == []


# Change history ----------------------------------------------------------

def test_change_history_shows_last_updated_and_every_update(basic_site):
    page = main_content(read(basic_site, "deeper-dives/beta-dive/"))
    line = re.search(r'<p class="lib-history-line">(.*?)</p>', page, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", line) == "Published 10 February 2026. Last updated 1 March 2026 — see all updates"
    assert 'href="#lib--updates"' in line
    history = page.split('id="lib--updates"')[1].split("</section>")[0]
    items = [re.sub(r"<[^>]+>", " ", item).split() for item in re.findall(r"<li>(.*?)</li>", history, re.S)]
    assert [" ".join(i) for i in items] == ["1 March 2026 Added the table of results.",
                                            "20 February 2026 Corrected a figure in the method.",
                                            "10 February 2026 First published."]
    # No history, no link to one.
    assert "see all updates" not in main_content(read(basic_site, "at-a-glance/alpha-briefing/"))


def test_the_atom_entry_says_what_changed(basic_site):
    feed = ET.parse(basic_site / "feed.xml").getroot()
    entry = next(e for e in feed.findall(f"{ATOM}entry") if e.find(f"{ATOM}title").text == "Beta deeper dive on frailty")
    assert entry.find(f"{ATOM}summary").text.startswith("Updated 1 March 2026: Added the table of results.")
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert "Corrected a figure in the method." in content.text and "1 March 2026" in content.text
    assert entry.find(f"{ATOM}updated").text.startswith("2026-03-01")


def test_change_notes_are_escaped_everywhere(extra_site):
    page = main_content(read(extra_site, "at-a-glance/clashing-headings/"))
    assert "2026 version &amp; fixed a &lt;3-line typo." in page and "<3-line" not in page
    feed = ET.parse(extra_site / "feed.xml").getroot()
    entry = next(e for e in feed.findall(f"{ATOM}entry") if "own section" in e.find(f"{ATOM}title").text)
    # The entry's HTML, once unescaped by a feed reader, still shows the text as typed.
    assert "&amp; fixed a &lt;3-line typo." in entry.find(f"{ATOM}content").text


CHANGE_CASES = [
    ("not newest first", "updated: 2026-04-01\nchanges:\n  - date: 2026-03-01\n    note: First fix to the text.\n"
     "  - date: 2026-04-01\n    note: Second fix to the text.", 12, "change-order", "newest first"),
    ("before published", "updated: 2026-03-01\nchanges:\n  - date: 2026-03-01\n    note: A fix to the text.\n"
     "  - date: 2025-12-01\n    note: An impossible change.", 12, "change-dates", "before `published`"),
    ("updated is not the newest change", "updated: 2026-05-01\nchanges:\n  - date: 2026-03-01\n"
     "    note: A fix to the text.", 8, "change-dates", "the newest change is 2026-03-01"),
    ("changes without updated", "changes:\n  - date: 2026-03-01\n    note: A fix to the text.", 8,
     "change-dates", "Add updated: 2026-03-01"),
    ("impossible change date", "updated: 2026-03-01\nchanges:\n  - date: 2026-02-30\n    note: A fix to the text.",
     10, "bad-date", "is not a real date"),
    ("change date in the wrong form", "updated: 2026-03-01\nchanges:\n  - date: 1 March 2026\n"
     "    note: A fix to the text.", 10, "bad-date", "YYYY-MM-DD"),
    ("note over two lines", 'updated: 2026-03-01\nchanges:\n  - date: 2026-03-01\n    note: "A fix\\nto the text."',
     11, "change-note", "more than one line"),
    ("note missing", "updated: 2026-03-01\nchanges:\n  - date: 2026-03-01", 10, "missing-field", "note"),
    ("empty list", "updated: 2026-03-01\nchanges: []", 9, "bad-value", "at least 1"),
]


@pytest.mark.parametrize("case, lines, line, rule, text", CHANGE_CASES, ids=[c[0] for c in CHANGE_CASES])
def test_the_validator_checks_changes_against_published_and_updated(tmp_path, case, lines, line, rule, text):
    from conftest import run_cli
    from test_validate import good
    project = make_project(tmp_path / "p", content={
        "at-a-glance/case.md": good(published="published: 2026-01-10\n" + lines)})
    result = run_cli(project, "validate")
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(rf"^at-a-glance/case.md:{line}:\d+ \[{rule}\] .*", result.stderr, re.M), result.stderr
    assert text in result.stderr and "hint:" in result.stderr and "Traceback" not in result.stderr


def test_a_valid_change_history_passes(tmp_path):
    from conftest import run_cli
    from test_validate import good
    project = make_project(tmp_path / "p", content={"at-a-glance/case.md": good(
        published="published: 2026-01-10\nupdated: 2026-03-01\nchanges:\n  - date: 2026-03-01\n"
                  "    note: A second fix.\n  - date: 2026-03-01\n    note: A fix on the same day.")})
    result = run_cli(project, "validate")
    assert result.returncode == 0, result.stderr


# Downloads ---------------------------------------------------------------

def test_downloads_give_format_size_pages_and_a_request_for_another_format(extra_site):
    page = main_content(read(extra_site, "at-a-glance/clashing-headings/"))
    assert re.search(r'download>Planning checklist</a> <span class="lib-file-info">\(PDF, \d+ (?:bytes|KB), 12 pages\)', page)
    request = re.search(r'<a class="lib-request" href="([^"]+)">Request an accessible format', page).group(1)
    parts = urlsplit(request.replace("&amp;", "&"))
    assert parts.scheme == "mailto" and parts.path == CONTACT
    query = parse_qs(parts.query)
    assert "Briefing with its own section headings" in query["subject"][0]
    assert '"Planning checklist"' in query["body"][0]
    assert SITE_URL + "at-a-glance/clashing-headings/" in query["body"][0]
    assert "This web page is the main version of this resource." in page
    # The same for a webinar's slides.
    past = main_content(read(extra_site, "webinars/past-webinar/"))
    slides_request = re.search(r'<a class="lib-request" href="([^"]+)">Request an accessible format'
                               r'<span class="lib-visually-hidden">: Slides', past).group(1)
    assert "Past%20webinar%20on%20frailty" in slides_request and "slides" in unquote(slides_request)


def test_an_unreadable_pdf_is_refused_since_what_it_would_do_cannot_be_checked(tmp_path):
    """It used to be published with its format and size. A PDF that cannot be
    read cannot be checked for scripts and actions, which Chromium's viewer
    runs (found by the fresh-clone attacker, issue 20): it is refused."""
    project = make_project(tmp_path / "p", content={"at-a-glance/clashing-headings.md": CLASHING})
    (project / "at-a-glance" / "files").mkdir(parents=True, exist_ok=True)
    (project / "at-a-glance" / "files" / "clash.pdf").write_bytes(b"%PDF-1.7\nthis is not really a PDF\n")
    result = build(project)
    assert result.returncode != 0
    assert re.search(r"^at-a-glance/clashing-headings\.md:\d+:\d+ \[unsafe-file\] .*cannot be read as a PDF",
                     result.stderr, re.M), result.stderr[-2000:]


# Feeds for every list ----------------------------------------------------

def entry_titles(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    assert root.tag == f"{ATOM}feed"
    return [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]


def test_a_feed_for_every_type_function_programme_and_topic(basic_site):
    assert entry_titles(basic_site / "feeds/types/at-a-glance.xml") == ["Alpha briefing on carers"]
    assert entry_titles(basic_site / "feeds/types/webinars.xml") == ["Future webinar on carers", "Past webinar on frailty"]
    assert entry_titles(basic_site / "feeds/functions/curate.xml") == ["Alpha briefing on carers"]
    assert entry_titles(basic_site / "feeds/programmes/unpaid-carers.xml") == [
        "Future webinar on carers", "Beta deeper dive on frailty", "Alpha briefing on carers"]
    assert entry_titles(basic_site / "feeds/topics/housing.xml") == ["Future webinar on carers", "Alpha briefing on carers"]
    # Every term has its feed, so a link to one never breaks; an empty one is valid.
    vocabulary = {kind: __import__("yaml").safe_load((REPO / "vocabulary" / f"{kind}.yml").read_text())
                  for kind in ("types", "functions", "programmes", "topics")}
    for kind, terms in vocabulary.items():
        for slug in terms:
            assert (basic_site / "feeds" / kind / f"{slug}.xml").is_file(), (kind, slug)
    assert entry_titles(basic_site / "feeds/topics/workforce-planning.xml") == []
    root = ET.parse(basic_site / "feeds/topics/housing.xml").getroot()
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == SITE_URL + "feeds/topics/housing.xml"
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href") == SITE_URL + "topics/housing/"


def test_feed_readers_read_every_feed_cleanly(basic_site):
    """feedparser, as many feed readers use: no feed is malformed, every
    entry links to a page that exists, and change notes come through."""
    import feedparser
    feeds = [basic_site / "feed.xml", *sorted((basic_site / "feeds").rglob("*.xml"))]
    assert len(feeds) > 30
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == "atom10" and parsed.feed.title
        for entry in parsed.entries:
            assert entry.link.startswith(SITE_URL), entry.link
            assert (basic_site / entry.link[len(SITE_URL):] / "index.html").is_file(), entry.link
    beta = next(e for e in feedparser.parse(basic_site / "feed.xml").entries if e.title.startswith("Beta"))
    assert beta.summary.startswith("Updated 1 March 2026: Added the table of results.")
    assert "<li>20 February 2026: Corrected a figure in the method.</li>" in beta.content[0].value


@pytest.mark.parametrize("path, feed", [("topics/housing/", "feeds/topics/housing.xml"),
                                        ("programmes/unpaid-carers/", "feeds/programmes/unpaid-carers.xml"),
                                        ("functions/curate/", "feeds/functions/curate.xml"),
                                        ("at-a-glance/", "feeds/types/at-a-glance.xml"),
                                        ("webinars/", "feeds/types/webinars.xml")])
def test_each_list_page_links_its_feed_with_autodiscovery(basic_site, path, feed):
    html = read(basic_site, path)
    head = html.split("</head>")[0]
    found = re.findall(r'<link rel="alternate feed" type="application/atom\+xml" title="([^"]+)" href="([^"]+)">', head)
    depth = "../" * path.count("/")
    assert (depth + feed) in [href for _, href in found], found
    assert (basic_site / path / (depth + feed)).resolve().is_file()
    assert depth + feed in hrefs(main_content(html))  # and a visible link


# Home page ---------------------------------------------------------------

def test_home_page_repeats_no_resource_and_browses_by_type_topic_programme_first(basic_site):
    page = main_content(read(basic_site, ""))
    cards = re.findall(r'<h3 class="lib-card__title"><a href="([^"]+)"', page)
    assert cards and len(cards) == len(set(cards)), Counter(cards)
    upcoming = page.split('id="upcoming-webinars"')[1].split("<h2")[0]
    newest = page.split('id="newest-resources"')[1].split("<h2")[0]
    assert "Future webinar on carers" in upcoming and "Future webinar on carers" not in newest
    # Newest by publication date: beta (10 February) before alpha (10 January).
    assert re.findall(r'lib-card__title"><a[^>]*>([^<]+)<', newest) == [
        "Beta deeper dive on frailty", "Past webinar on frailty", "Alpha briefing on carers"]
    order = [page.index(marker) for marker in ('id="browse-the-library"', ">At a Glance briefings</a>",
                                                'id="browse-topics"', 'id="browse-programmes"',
                                                'id="how-our-work-is-organised"', ">Curate</a>")]
    assert order == sorted(order)


# Markup: no duplicate ids, no empty attributes, the Nu Html Checker -------

class Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.empty = Counter(), []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id":
                self.ids[value] += 1
            if name in ("id", "action", "href", "src", "for", "name") and value is not None and not value.strip():
                self.empty.append(f"<{tag} {name}=\"\">")


def test_no_duplicate_ids_or_empty_attributes_even_with_clashing_headings(extra_site):
    problems = []
    for path in sorted(extra_site.rglob("*.html")):
        parser = Ids()
        parser.feed(path.read_text(encoding="utf-8"))
        rel = path.relative_to(extra_site).as_posix()
        problems += [f"{rel}: id={i!r} x{n}" for i, n in parser.ids.items() if n > 1]
        # The finder's form is templates/finder.html, owned by the finder's branch.
        problems += [f"{rel}: {e}" for e in parser.empty if not (rel == "finder/index.html" and "action" in e)]
    assert problems == []
    page = read(extra_site, "at-a-glance/clashing-headings/")
    assert page.count('id="related-resources"') == 1 and page.count('id="downloads"') == 1
    assert page.count('id="lib--downloads"') == 1 and page.count('id="lib--updates"') == 1


# Errors that come from Material's own templates, not ours; each is matched
# exactly, so a new error of ours is never hidden behind them.
THEME_ERRORS = [
    # base.html: autocomplete="off" on the drawer and search checkboxes.
    re.compile(r"^Attribute “autocomplete” is only allowed when the input type is .*"),
    # partials/nav-item.html: tabindex="" on section labels.
    re.compile(r"^Bad value “” for attribute “tabindex” on element “label”: The empty string is not a valid integer\.$"),
    # partials/toc.html: the "Table of contents" label when a page has no headings.
    re.compile(r"^The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control\.$"),
]
# templates/finder.html (the finder's branch is removing it).
KNOWN_ELSEWHERE = {("finder/index.html", "Bad value “” for attribute “action” on element “form”: Must be non-empty.")}


def test_the_nu_html_checker_finds_no_errors_from_our_templates(extra_site):
    jar = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
    require_tool(jar.is_file() and bool(shutil.which("java")),
                 "the Nu Html Checker is a test dependency: `make test` installs vnu-jar with npm, and it needs "
                 "Java (Debian: default-jre-headless; .ci/run installs both)")
    result = subprocess.run(["java", "-jar", str(jar), "--errors-only", "--skip-non-html", "--format", "json",
                             str(extra_site)], capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    ours = []
    for m in messages:
        rel = unquote(urlsplit(m.get("url", "")).path)[len(str(extra_site)) + 1:]
        if any(p.match(m["message"]) for p in THEME_ERRORS) or (rel, m["message"]) in KNOWN_ELSEWHERE:
            continue
        ours.append(f"{rel}:{m.get('lastLine')}: {m['message']} {m.get('extract', '')!r}")
    assert ours == []
    checked = len(list(extra_site.rglob("*.html")))
    assert checked > 30


# Search engines: sitemap, noindex, images, structured data ---------------

def test_sitemap_leaves_out_withdrawn_and_empty_pages(basic_site):
    locs = [e.text for e in ET.parse(basic_site / "sitemap.xml").getroot().iter(f"{SITEMAP}loc")]
    assert SITE_URL + "at-a-glance/alpha-briefing/" in locs
    assert SITE_URL + "at-a-glance/withdrawn-briefing/" not in locs
    for loc in locs:
        path = loc[len(SITE_URL):]
        assert (basic_site / path / "index.html").is_file() or (basic_site / path).is_file(), loc
        assert "There are no resources here yet" not in read(basic_site, path)
    # Empty term pages are not built at all, and nothing links to them.
    assert not (basic_site / "topics" / "workforce-planning").exists()
    assert not (basic_site / "programmes" / "residential-rehabilitation").exists()
    everywhere = "".join(p.read_text(encoding="utf-8") for p in basic_site.rglob("*.html"))
    assert "topics/workforce-planning/" not in everywhere
    assert "programmes/residential-rehabilitation/" not in everywhere


def test_withdrawn_pages_are_noindex_and_others_are_not(basic_site):
    assert '<meta name="robots" content="noindex">' in read(basic_site, "at-a-glance/withdrawn-briefing/")
    for path in ("", "at-a-glance/alpha-briefing/", "webinars/future-webinar/", "topics/housing/"):
        assert 'name="robots"' not in read(basic_site, path), path


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_every_page_has_an_og_image_and_a_twitter_card(basic_site):
    image = SITE_URL + "assets/social-card.png"
    for path in basic_site.rglob("*.html"):
        head = path.read_text(encoding="utf-8").split("</head>")[0]
        assert f'<meta property="og:image" content="{image}">' in head, path
        assert '<meta name="twitter:card" content="summary_large_image">' in head, path
        assert 'property="og:image:alt"' in head
    assert png_size(basic_site / "assets" / "social-card.png") == (1200, 630)


def json_ld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


def test_structured_data_names_the_organisation_not_role_named_people(extra_site):
    event = json_ld(read(extra_site, "webinars/winter-webinar/"))
    assert event["organizer"]["@type"] == "Organization"
    assert event["organizer"]["name"] == "Strategic Planning for Redesign team, Healthcare Improvement Scotland"
    assert "performer" not in event and "Strategic Planning Advisor" not in json.dumps(event)
    assert event["image"] == [SITE_URL + "assets/social-card.png"]
    article = json_ld(read(extra_site, "at-a-glance/alpha-briefing/"))
    assert article["author"]["@type"] == "Organization" and article["author"]["name"].startswith("Strategic Planning")
    assert "Person" not in json.dumps(article) + json.dumps(event)


# 404, report a problem, no edit pencil -------------------------------------

def test_every_page_has_report_a_problem_with_its_title_and_address(basic_site):
    for path in sorted(basic_site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        match = re.search(r'<a href="(mailto:[^"]+)">Report a problem with this page</a>', html)
        assert match, path
        parts = urlsplit(match.group(1).replace("&amp;", "&"))
        query = parse_qs(parts.query)
        assert parts.path == CONTACT
        if path.name == "404.html":
            assert query["subject"] == ["Problem with a page: Page not found"]
            continue
        title = unescape(re.search(r"<title>(.*?)</title>", html).group(1).rsplit(" - ", 1)[0])
        canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)
        assert query["subject"][0] == f"Problem with a page: {title}", path
        assert f"Address: {canonical}" in query["body"][0], path


def test_reader_pages_have_no_edit_pencil_and_the_footer_has_the_contributor_link(basic_site):
    for path in basic_site.rglob("*.html"):
        assert "md-content__button" not in path.read_text(encoding="utf-8"), path
    footer = read(basic_site, "at-a-glance/alpha-briefing/").split('class="md-copyright"')[1]
    assert ('href="https://github.com/healthcare-improvement-scotland/strategic-planning-library/edit/main/'
            'at-a-glance/alpha-briefing.md">Edit this page\'s source (for contributors)') in footer.replace("&#39;", "'")
    contribute = main_content(read(basic_site, "contribute/"))
    assert "make " not in contribute and "CONTRIBUTING.md" in contribute
    nav = read(basic_site, "").split('<nav class="md-tabs"')[1].split("</nav>")[0]
    assert "Contribute" not in nav


def serve_like_github_pages(site: Path, prefix: str) -> str:
    """Serve `site` under `prefix`, answering a missing page with 404.html
    and status 404, as GitHub Pages does."""
    import functools
    import http.server
    import threading

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def translate_path(self, path):
            path = urlsplit(path).path
            if not path.startswith(prefix):
                return str(site / "no-such-file")
            return super().translate_path("/" + path[len(prefix):])

        def send_error(self, code, message=None, explain=None):
            if code != 404:
                return super().send_error(code, message, explain)
            body = (site / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}{prefix}"


def test_the_404_page_offers_a_search_the_listings_and_the_contact(browser, basic_site):
    base = serve_like_github_pages(basic_site, urlsplit(SITE_URL).path)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    response = page.goto(base + "some/deep/missing-page/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    # Every link from the 404 page works, however deep the missing address.
    for href in page.eval_on_selector_all("article a[href]", "els => els.map(e => e.href)"):
        if href.startswith("http"):
            assert page.request.get(href).status == 200, href
        else:
            assert href.startswith(f"mailto:{CONTACT}"), href
    links = page.eval_on_selector_all("article a[href]", "els => els.map(e => e.textContent.trim())")
    for text in ("At a Glance briefings", "Deeper Dives", "Webinars", "Topics, A to Z", "National improvement programmes",
                 CONTACT, "Report a problem with this page"):
        assert text in links, text
    # The search box sends the words to the finder, by keyboard alone.
    page.get_by_label("Search the library").focus()
    page.keyboard.type("unpaid carers")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    url = urlsplit(page.url)
    assert url.path == urlsplit(SITE_URL).path + "finder/"
    assert parse_qs(url.query) == {"text": ["unpaid carers"]}
    page.close()


# Keyboard and low vision --------------------------------------------------

def focused(page) -> dict:
    return page.evaluate("""(() => { const e = document.activeElement;
        return {tag: e.tagName, text: (e.getAttribute('aria-label') || e.textContent || '').trim(),
                inDrawer: !!e.closest('.md-sidebar--primary'), inSearch: !!e.closest('.md-search'),
                visible: !!(e.offsetWidth || e.offsetHeight) && getComputedStyle(e).visibility === 'visible',
                left: e.getBoundingClientRect().left}; })()""")


def test_phone_menu_opens_by_keyboard_and_the_closed_drawer_is_out_of_the_tab_order(browser, basic_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(basic_url + "at-a-glance/alpha-briefing/")
    # Closed: Tab through the whole page and never land in the drawer.
    stops = []
    for _ in range(60):
        page.keyboard.press("Tab")
        stops.append(focused(page))
    assert not [s for s in stops if s["inDrawer"]], [s for s in stops if s["inDrawer"]][:3]
    # Every stop is on screen (the header search slides in as it takes focus: not ours).
    assert all(s["left"] >= 0 for s in stops if s["tag"] != "BODY" and not s["inSearch"]), stops
    # The menu button is reachable and says what it is and whether it is open.
    page.goto(basic_url + "at-a-glance/alpha-briefing/")
    for _ in range(5):
        page.keyboard.press("Tab")
        if focused(page)["text"] == "Menu":
            break
    assert focused(page)["text"] == "Menu"
    button = page.locator('.md-header [aria-label="Menu"]')
    assert button.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert page.is_checked("#__drawer")
    now = focused(page)
    assert now["inDrawer"] and now["visible"], now
    page.wait_for_timeout(400)  # the drawer slides in
    assert page.locator(".md-sidebar--primary").bounding_box()["x"] >= -1
    # Its links are now in the Tab order, and Escape closes it again.
    page.keyboard.press("Tab")
    assert focused(page)["inDrawer"]
    page.keyboard.press("Escape")
    assert not page.is_checked("#__drawer")
    assert focused(page)["text"] == "Menu" and button.get_attribute("aria-expanded") == "false"
    # Space works too.
    page.keyboard.press(" ")
    assert page.is_checked("#__drawer")
    context.close()


def test_table_text_is_at_least_the_body_size(page, basic_url):
    page.goto(basic_url + "deeper-dives/beta-dive/")
    sizes = page.evaluate("""(() => ({
        body: parseFloat(getComputedStyle(document.querySelector('article p')).fontSize),
        cell: parseFloat(getComputedStyle(document.querySelector('article table td')).fontSize),
        head: parseFloat(getComputedStyle(document.querySelector('article table th')).fontSize)}))()""")
    assert sizes["cell"] >= sizes["body"] and sizes["head"] >= sizes["body"], sizes


def test_print_shows_link_targets_and_keeps_headings_with_what_follows(browser, basic_url):
    import io

    from pypdf import PdfReader
    page = browser.new_page()
    page.goto(basic_url + "webinars/future-webinar/")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages)
    text = re.sub(r"\s+", " ", text)
    assert re.search(r"Register.{0,60} \(https://events\.example\.org/future\)", text), text[:2000]
    # Relative links print in full, so a reader can type them in.
    assert re.search(r"Housing \(http://127\.0\.0\.1:\d+/topics/housing/\)", text), text[:2000]
    page.emulate_media(media="print")
    breaks = page.evaluate("[...document.querySelectorAll('article h1, article h2')].map(h => getComputedStyle(h).breakAfter)")
    assert breaks and set(breaks) == {"avoid"}
    page.close()
    # Fortieth round: an email link's printed address left out its `?bcc=`.
    page = browser.new_page()
    page.set_content('<div class="md-content"><a href="mailto:team@nhs.scot?subject=Hi%20there&bcc=x%40evil.example">'
                     'Email the team</a> <a href="mailto:a.b%2Bplans@nhs.scot">Plans</a></div>')
    page.add_script_tag(path=str(REPO / "docs" / "assets" / "keyboard.js"))
    assert page.eval_on_selector_all(".md-content a", "as => as.map(a => a.getAttribute('data-print-href'))") == [
        "team@nhs.scot, bcc: x@evil.example", "a.b+plans@nhs.scot"]
    page.close()


def test_the_offline_banner_link_has_enough_contrast(browser, offline_basic):
    from axe_playwright_python.sync_playwright import Axe
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        for rel in ("index.html", "webinars/past-webinar.html", "topics/housing.html"):
            page.goto((offline_basic / rel).as_uri())
            results = Axe().run(page, options={"runOnly": {"type": "rule", "values": ["color-contrast"]}})
            assert results.violations_count == 0, (scheme, rel, results.generate_report())
        context.close()


# Statement and privacy ---------------------------------------------------

def test_accessibility_statement_has_every_part_regulation_8_asks_for(basic_site):
    page = main_content(read(basic_site, "accessibility/"))
    text = re.sub(r"<[^>]+>", " ", page)
    headings = re.findall(r"<h[234][^>]*>(.*?)<", page)
    for heading in ("Feedback and contact information", "Reporting accessibility problems with this library",
                    "Enforcement procedure", "Compliance status", "Non-accessible content",
                    "Non-compliance with the accessibility regulations", "Disproportionate burden",
                    "Content that is not within the scope of the accessibility regulations",
                    "What we are doing to improve accessibility", "Preparation of this accessibility statement"):
        assert heading in headings, heading
    assert "partially compliant" in text and "WCAG" in text
    assert "Equality Advisory and Support Service" in text and "Equality and Human Rights Commission" in text
    assert re.search(r"within \d+ working days", text)  # how long a reply takes
    assert re.search(r"by \d+ \w+ 2027", text)  # a date in the plan
    assert re.search(r"prepared on \d+ \w+ \d{4}", text) and re.search(r"last reviewed on \d+ \w+ \d{4}", text)
    assert f"mailto:{CONTACT}" in page


def test_privacy_page_says_the_site_sets_no_cookies_and_is_linked_from_every_page(basic_site):
    page = main_content(read(basic_site, "privacy/"))
    assert "The library sets no cookies." in page
    for path in ("", "at-a-glance/alpha-briefing/", "topics/housing/"):
        footer = read(basic_site, path).split('class="md-copyright"')[1]
        assert ">Privacy and cookies</a>" in footer


def test_the_home_page_title_is_the_site_name_once(basic_site):
    """Found by the fresh-clone tester: "Name - Name" in the browser tab."""
    assert re.search(r"<title>(.*?)</title>", read(basic_site, "")).group(1) == "Strategic Planning Resource Library"
    assert re.search(r"<title>(.*?)</title>", read(basic_site, "about/")).group(1).endswith(
        " - Strategic Planning Resource Library")
