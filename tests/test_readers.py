"""Issue 6: what readers get besides pages: feeds, calendars, metadata and
the signals that let them trust a resource. Checked on the built site."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from icalendar import Calendar

from conftest import read
from test_site import main_content

ATOM = "{http://www.w3.org/2005/Atom}"


def test_atom_feed_lists_new_and_updated_resources_dated_from_front_matter(basic_site):
    feed = ET.parse(basic_site / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    titles = [e.find(f"{ATOM}title").text for e in entries]
    # Newest change first; withdrawn and draft resources are left out.
    assert titles == ["Future webinar on carers", "Beta deeper dive on frailty", "Past webinar on frailty",
                      "Alpha briefing on carers"]
    alpha = entries[-1]
    assert alpha.find(f"{ATOM}published").text.startswith("2026-01-10")
    assert alpha.find(f"{ATOM}link").get("href").endswith("/at-a-glance/alpha-briefing/")
    html = read(basic_site, "")
    assert re.search(r'<link rel="alternate feed" type="application/atom\+xml"[^>]*href="feed.xml"', html)


def test_each_upcoming_webinar_has_a_calendar_file(basic_site):
    event = Calendar.from_ical((basic_site / "webinars" / "future-webinar.ics").read_bytes()).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Future webinar on carers"
    start = event.decoded("DTSTART")
    assert start.isoformat() == "2026-09-01T13:00:00+01:00" and str(start.tzinfo) == "Europe/London"
    assert (event.decoded("DTEND") - start).total_seconds() == 90 * 60
    assert not (basic_site / "webinars" / "past-webinar.ics").exists()
    page = main_content(read(basic_site, "webinars/future-webinar/"))
    assert 'href="../future-webinar.ics"' in page
    everything = Calendar.from_ical((basic_site / "webinars" / "webinars.ics").read_bytes())
    assert sorted(str(e["SUMMARY"]) for e in everything.walk("VEVENT")) == [
        "Future webinar on carers", "Past webinar on frailty"]
    assert everything.walk("VTIMEZONE")


def test_upcoming_webinar_shows_time_zone_duration_and_registration(basic_site):
    page = main_content(read(basic_site, "webinars/future-webinar/"))
    # Issue 12: GOV.UK style, start to end, rather than a start and minutes.
    assert "Tuesday 1 September 2026, 1pm to 2:30pm (BST, UK time)" in page
    assert 'href="https://events.example.org/future"' in page and ">Register<" in page


def test_past_webinar_shows_recording_and_says_when_there_is_no_transcript(basic_site):
    page = main_content(read(basic_site, "webinars/past-webinar/"))
    assert "Past webinar" in page and 'href="https://video.example.org/past"' in page
    assert "A transcript is not available for this webinar." in page
    assert "Register" not in page


def json_ld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


def test_resources_carry_schema_org_data(basic_site):
    event = json_ld(read(basic_site, "webinars/future-webinar/"))
    assert event["@type"] == "Event" and event["startDate"] == "2026-09-01T13:00:00+01:00"
    assert event["eventAttendanceMode"].endswith("OnlineEventAttendanceMode")
    article = json_ld(read(basic_site, "at-a-glance/alpha-briefing/"))
    assert article["@type"] == "Article" and article["datePublished"] == "2026-01-10"
    assert article["headline"] == "Alpha briefing on carers"


def test_every_page_has_description_canonical_and_open_graph(basic_site):
    for path in ("", "at-a-glance/", "at-a-glance/alpha-briefing/", "topics/housing/", "finder/", "accessibility/"):
        html = read(basic_site, path)
        head = html.split("</head>")[0]
        assert re.search(r'<meta name="description" content="[^"]{20,}">', head), path
        assert re.search(r'<link rel="canonical" href="https://[^"]+">', head), path
        for prop in ("og:title", "og:description", "og:url", "og:type", "og:site_name"):
            assert f'property="{prop}"' in head, (path, prop)
    head = read(basic_site, "at-a-glance/alpha-briefing/").split("</head>")[0]
    assert 'content="A fixture briefing about unpaid carers and housing, used by the tests."' in head
    assert (basic_site / "sitemap.xml").exists()
    assert "at-a-glance/alpha-briefing/" in (basic_site / "sitemap.xml").read_text()


def test_every_resource_shows_dates_review_and_owner(basic_site):
    page = main_content(read(basic_site, "at-a-glance/alpha-briefing/"))
    review = page.split('class="lib-review"')[1].split("</div>")[0]
    assert ("Published 10 January 2026. Last reviewed 10 January 2026. Next review due 10 January 2027. "
            "Owner: Test team.") in review


def test_a_content_security_policy_allows_only_the_site_itself(basic_site):
    for path in ("", "finder/", "at-a-glance/alpha-briefing/"):
        head = read(basic_site, path).split("</head>")[0]
        policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', head).group(1)
        assert "default-src 'self'" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
        assert "http" not in policy
        # The policy comes before any script, or it would not govern it.
        assert head.index("Content-Security-Policy") < head.index("<script")


def test_no_page_loads_anything_from_another_site(basic_site):
    offenders = []
    for page in basic_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for match in re.finditer(r'<(?:script|img|iframe|source)\b[^>]*\bsrc="((?:https?:)?//[^"]+)"', html):
            offenders.append(f"{page.name}: {match.group(1)}")
        for match in re.finditer(r'<link\b[^>]*rel="(?:stylesheet|preconnect|preload|modulepreload)"[^>]*href="((?:https?:)?//[^"]+)"', html):
            offenders.append(f"{page.name}: {match.group(1)}")
    assert offenders == []
