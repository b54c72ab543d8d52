"""Feeds for readers' tools: an Atom feed of new and updated resources, a
calendar file per upcoming webinar and one for all webinars, and schema.org
data for each resource page.

Dates come from front matter, never from git: a shallow clone (as CI makes)
would give every file the same date.
"""
from __future__ import annotations

import json
from datetime import datetime, time, timezone
from pathlib import Path
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator
from icalendar import Calendar, Event

from .dates import LONDON
from .load import Library, Resource
from .urls import page_url

FEED_PATH = "feed.xml"
CALENDAR_PATH = "webinars/webinars.ics"
FEED_SIZE = 50


def absolute(site_url: str, src_uri: str) -> str:
    return urljoin(site_url, page_url(src_uri, True))


def _midday(value) -> datetime:
    return datetime.combine(value, time(12), tzinfo=timezone.utc)


def atom_feed(library: Library, site_url: str, site_name: str) -> bytes:
    newest = sorted(library.listed, key=lambda r: (r.changed, r.published, r.src_uri), reverse=True)[:FEED_SIZE]
    feed = FeedGenerator()
    feed.id(urljoin(site_url, FEED_PATH))
    feed.title(f"{site_name}: new and updated resources")
    feed.subtitle("At a Glance briefings, Deeper Dives and webinars from the Strategic Planning for Redesign "
                  "team, Healthcare Improvement Scotland.")
    feed.link(href=site_url, rel="alternate")
    feed.link(href=urljoin(site_url, FEED_PATH), rel="self")
    feed.language("en-GB")
    feed.author({"name": "Strategic Planning for Redesign team, Healthcare Improvement Scotland",
                 "email": "his.strategicplanning@nhs.scot"})
    feed.updated(_midday(newest[0].changed) if newest else _midday(library.now.date()))
    # feedgen adds entries to the front: add oldest first for a newest-first feed.
    for r in reversed(newest):
        entry = feed.add_entry()
        url = absolute(site_url, r.src_uri)
        entry.id(url)
        entry.title(r.title)
        entry.link(href=url)
        entry.summary(r.meta["summary"])
        entry.published(_midday(r.published))
        entry.updated(_midday(r.changed))
        entry.category(term=r.type, label=library.vocabulary.types[r.type].name)
        for topic in r.topics:
            entry.category(term=topic, label=library.vocabulary.topics[topic].name)
    return feed.atom_str(pretty=True)


def _event(r: Resource, site_url: str, stamp: datetime) -> Event:
    event = Event()
    url = absolute(site_url, r.src_uri)
    event.add("uid", f"{r.slug}@{urljoin(site_url, '/').split('//')[1].strip('/')}")
    event.add("dtstamp", stamp)
    event.add("dtstart", r.starts)
    event.add("dtend", r.ends)
    event.add("summary", r.title)
    event.add("description", f"{r.meta['summary']}\n\nDetails: {url}"
              + (f"\nRegister: {r.meta['registration_url']}" if r.meta.get("registration_url") else ""))
    event.add("url", url)
    event.add("location", "Online")
    return event


def calendar(resources: list[Resource], site_url: str, stamp: datetime, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Healthcare Improvement Scotland//Strategic Planning Resource Library//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/London")
    for r in resources:
        cal.add_component(_event(r, site_url, stamp))
    cal.add_missing_timezones()  # a VTIMEZONE for Europe/London, as clients expect
    return cal.to_ical()


def ics_path(r: Resource) -> str:
    return f"{r.type}/{r.slug}.ics"


def build_feeds(library: Library, site_url: str, site_name: str) -> dict[str, bytes]:
    """The feed and the calendars, as {path in the site: bytes}."""
    stamp = library.now.replace(microsecond=0)
    webinars = sorted((r for r in library.listed if r.type == "webinars"), key=lambda r: r.starts)
    outputs = {FEED_PATH: atom_feed(library, site_url, site_name),
               CALENDAR_PATH: calendar(webinars, site_url, stamp, f"{site_name}: webinars")}
    for r in library.upcoming():
        outputs[ics_path(r)] = calendar([r], site_url, stamp, r.title)
    return outputs


def json_ld(r: Resource, library: Library, site_url: str) -> str:
    """schema.org Article, or Event for a webinar, safe to put in a <script>."""
    url = absolute(site_url, r.src_uri)
    publisher = {"@type": "Organization", "name": "Healthcare Improvement Scotland"}
    if r.type == "webinars":
        data = {
            "@context": "https://schema.org", "@type": "Event", "name": r.title, "description": r.meta["summary"],
            "url": url, "startDate": r.starts.isoformat(), "endDate": r.ends.isoformat(),
            "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
            "eventStatus": "https://schema.org/EventScheduled",
            "location": {"@type": "VirtualLocation", "url": r.meta.get("registration_url") or url},
            "organizer": publisher,
            "performer": [{"@type": "Person", "name": s["name"]} for s in r.meta["speakers"]],
        }
    else:
        data = {
            "@context": "https://schema.org", "@type": "Article", "headline": r.title,
            "description": r.meta["summary"], "url": url, "mainEntityOfPage": url,
            "datePublished": r.published.isoformat(), "dateModified": r.changed.isoformat(),
            "author": {"@type": "Organization", "name": r.meta["owner"]}, "publisher": publisher,
            "about": [library.vocabulary.topics[t].name for t in r.topics],
        }
    return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
