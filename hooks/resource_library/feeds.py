"""Feeds for readers' tools: an Atom feed of new and updated resources, a
calendar file per upcoming webinar and one for all webinars, and schema.org
data for each resource page.

Dates come from front matter, never from git: a shallow clone (as CI makes)
would give every file the same date.
"""
from __future__ import annotations

import json
from datetime import datetime, time, timedelta, timezone
from html import escape
from typing import TYPE_CHECKING
from urllib.parse import urljoin


from .characters import for_output
from .dates import long_date
from . import pdf
from .claims import Claim, Claimed
from .files import href as files_href
from .load import Library, Resource
from .memo import remembered
from .urls import page_url, term_src

# feedgen (with lxml) and icalendar are imported where feeds are made, in
# the side process: the build's main process needs only json_ld and the
# paths, and the two would add about 8 MB to it.
if TYPE_CHECKING:
    from icalendar import Event, Timezone

FEED_PATH = "feed.xml"
CALENDAR_PATH = "webinars/webinars.ics"
FEED_SIZE = 50
TEAM = "Strategic Planning for Redesign team, Healthcare Improvement Scotland"
CONTACT = "his.strategicplanning@nhs.scot"
FEED_KINDS = ("types", "functions", "programmes", "topics")
FEED_NOUNS = {"types": "", "functions": "function", "programmes": "programme", "topics": "topic"}


def absolute(site_url: str, src_uri: str) -> str:
    return urljoin(site_url, page_url(src_uri, True))


def feed_path(kind: str, slug: str) -> str:
    """Where the Atom feed of one type, function, programme or topic lives."""
    return f"feeds/{kind}/{slug}.xml"


def _midday(value) -> datetime:
    return datetime.combine(value, time(12), tzinfo=timezone.utc)


def entry_html(r: Resource) -> str:
    """An entry's content: the summary, then what changed, newest first."""
    parts = [f"<p>{escape(for_output(r.meta['summary']))}</p>"]
    if r.changes:
        items = "".join(f"<li>{long_date(day)}: {escape(for_output(note))}</li>" for day, note in r.changes)
        parts.append(f"<p>Updates to this resource:</p><ul>{items}</ul>")
    return "".join(parts)


def atom_feed(library: Library, site_url: str, title: str, path: str = FEED_PATH,
              resources: list[Resource] | None = None, alternate: str = "", memo: dict | None = None) -> bytes:
    """An Atom feed of resources (the whole library by default), newest
    change first. Each entry says what changed, from `changes:`."""
    pool = library.listed if resources is None else resources
    newest = sorted(pool, key=lambda r: (r.changed, r.published, r.src_uri), reverse=True)[:FEED_SIZE]
    vocab = library.vocabulary
    key = ("atom", site_url, title, path, alternate, None if newest else library.now.date(),
           tuple((r.src_uri, r.title, r.meta["summary"], tuple(r.changes), r.published, r.changed,
                  vocab.types[r.type].name, tuple((t, vocab.topics[t].name) for t in r.topics)) for r in newest))
    return remembered(memo, key, lambda: _atom_feed(library, site_url, title, path, newest, alternate))


def _atom_feed(library: Library, site_url: str, title: str, path: str, newest: list[Resource],
               alternate: str) -> bytes:
    from feedgen.feed import FeedGenerator
    feed = FeedGenerator()
    feed.id(urljoin(site_url, path))
    feed.title(for_output(title))
    feed.subtitle("At a Glance briefings, Deeper Dives and webinars from the Strategic Planning for Redesign "
                  "team, Healthcare Improvement Scotland.")
    feed.link(href=urljoin(site_url, alternate) if alternate else site_url, rel="alternate")
    feed.link(href=urljoin(site_url, path), rel="self")
    feed.language("en-GB")
    feed.author({"name": TEAM, "email": CONTACT})
    feed.updated(_midday(newest[0].changed) if newest else _midday(library.now.date()))
    enclosures: dict[str, str] = {}  # entry id -> its briefing's PDF
    # feedgen adds entries to the front: add oldest first for a newest-first feed.
    for r in reversed(newest):
        entry = feed.add_entry()
        url = absolute(site_url, r.src_uri)
        entry.id(url)
        # Through for_output: a character the checks missed must not stop
        # lxml, which refuses control characters with a traceback.
        entry.title(for_output(r.title))
        entry.link(href=url)
        if pdf.wanted(r):
            enclosures[url] = urljoin(site_url, files_href(pdf.pdf_path(r)))
        latest = r.changes[0] if r.changes else None
        entry.summary(for_output(f"Updated {long_date(latest[0])}: {latest[1]} {r.meta['summary']}" if latest
                                 else r.meta["summary"]))
        entry.content(entry_html(r), type="html")
        entry.published(_midday(r.published))
        entry.updated(_midday(r.changed))
        entry.category(term=r.type, label=for_output(library.vocabulary.types[r.type].name))
        for topic in r.topics:
            entry.category(term=topic, label=for_output(library.vocabulary.topics[topic].name))
    return with_enclosures(feed.atom_str(pretty=True), enclosures)


def with_enclosures(atom: bytes, enclosures: dict[str, str]) -> bytes:
    """Each entry's PDF as <link rel="enclosure">. feedgen 1.0 writes an
    entry's links with their href only (its writer reads rel and type from
    the element it has just made), so they are added here."""
    if not enclosures:
        return atom
    from lxml import etree
    ns = "{http://www.w3.org/2005/Atom}"
    tree = etree.fromstring(atom)
    for entry in tree.iter(f"{ns}entry"):
        pdf_url = enclosures.get(entry.findtext(f"{ns}id"))
        for link in entry.findall(f"{ns}link"):
            if pdf_url and link.get("href") == pdf_url:
                entry.remove(link)
        if pdf_url:
            link = etree.SubElement(entry, f"{ns}link", href=pdf_url, rel="enclosure", type="application/pdf")
            link.tail = "\n  "
    etree.indent(tree, space="  ")
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def term_feeds(library: Library, site_url: str, site_name: str, memo: dict | None = None) -> dict[str, bytes]:
    """A feed for every type, function, programme and topic, even one with
    no resources yet: a reader can subscribe before the first arrives. Its
    web page is the term's page, or, while no resource has the term and so
    that page is not built (indexes.generate), the list of its kind."""
    outputs = {}
    vocab = library.vocabulary
    for kind in FEED_KINDS:
        for slug, term in vocab.terms(kind).items():
            if kind == "types":
                resources, name = library.of_type(slug), term.plural
            else:
                resources, name = library.with_term(kind, slug), f"{term.name} ({FEED_NOUNS[kind]})"
            path = feed_path(kind, slug)
            page = term_src(kind, slug) if resources or kind == "types" else f"{kind}/index.md"
            outputs[path] = atom_feed(library, site_url, f"{site_name}: {name}", path, resources,
                                      page_url(page, True), memo)
    return outputs


def london_timezone() -> Timezone:
    """Europe/London as a VTIMEZONE with one RRULE per change, as Outlook
    and Google write it. icalendar's own add_missing_timezones() lists every
    change as a comma-separated RDATE, which ical.js and vobject read only
    the first value of: winter events came out an hour early there.

    These are the rules in force since 1996 (last Sunday of March and of
    October, at 01:00 UTC); a test checks them against the tz database."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard
    zone = Timezone()
    zone.add("tzid", "Europe/London")
    zone.add("x-lic-location", "Europe/London")
    for part, name, offset_from, offset_to, start, month in (
            (TimezoneDaylight, "BST", 0, 1, datetime(1996, 3, 31, 1), 3),
            (TimezoneStandard, "GMT", 1, 0, datetime(1996, 10, 27, 2), 10)):
        piece = part()
        piece.add("tzname", name)
        piece.add("tzoffsetfrom", timedelta(hours=offset_from))
        piece.add("tzoffsetto", timedelta(hours=offset_to))
        piece.add("dtstart", start)
        piece.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        zone.add_component(piece)
    return zone


def _event(r: Resource, site_url: str, stamp: datetime) -> Event:
    from icalendar import Event
    event = Event()
    url = absolute(site_url, r.src_uri)
    event.add("uid", f"{r.slug}@{urljoin(site_url, '/').split('//')[1].strip('/')}")
    event.add("dtstamp", stamp)
    event.add("dtstart", _ics_time(r.starts))
    event.add("dtend", _ics_time(r.ends))
    # Every value through for_output: a CR or LF ends a calendar property.
    event.add("summary", ics_text(r.title), encode=False)
    # The summary on one line, as the page shows it: a line of its own
    # could pass for the lines written here (forty-fourth round: a summary
    # ending `Register: https://...` came before the real one).
    event.add("description", ics_text(f"{for_output(r.meta['summary'])}\n\nDetails: {url}"
                                      + (f"\nRegister: {for_output(r.meta['registration_url'])}"
                                         if r.meta.get("registration_url") else ""), one_line=False), encode=False)
    event.add("url", url)
    event.add("location", "Online")
    return event


def _ics_time(moment: datetime) -> datetime:
    """A local time, or UTC where the local time comes twice (the hour the
    clocks go back) and this is the second: RFC 5545 reads a repeated local
    time as the first, an hour early."""
    return moment.astimezone(timezone.utc) if moment.fold else moment


class _IcsText(str):
    """A TEXT value already escaped: added with encode=False, icalendar
    writes what to_ical gives."""

    def to_ical(self) -> bytes:
        return self.encode("utf-8")


def ics_text(value: str, one_line: bool = True) -> _IcsText:
    """A TEXT value as RFC 5545 writes it, escaped here rather than by
    icalendar, which wrote a contributor's `\\N` as a line break and left
    X-WR-CALNAME unescaped (found by the second fresh-clone attacker)."""
    text = for_output(value, one_line=one_line)
    return _IcsText(text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n"))


def calendar(resources: list[Resource], site_url: str, stamp: datetime, name: str, memo: dict | None = None) -> bytes:
    # Under `make serve` (the only time the memo is on), a calendar nothing
    # changed in keeps the DTSTAMP of when it was first made this session.
    key = ("ics", site_url, name, tuple((r.src_uri, r.slug, r.title, r.meta["summary"], r.meta.get("registration_url"),
                                         r.starts, r.ends) for r in resources))
    return remembered(memo, key, lambda: _calendar(resources, site_url, stamp, name))


def _calendar(resources: list[Resource], site_url: str, stamp: datetime, name: str) -> bytes:
    from icalendar import Calendar
    cal = Calendar()
    cal.add("prodid", "-//Healthcare Improvement Scotland//Strategic Planning Resource Library//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", ics_text(name), encode=False)
    cal.add("x-wr-timezone", "Europe/London")
    # Clients that subscribe (webcal://) check back about daily.
    cal.add("refresh-interval", timedelta(days=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "P1D")
    cal.add_component(london_timezone())
    for r in resources:
        cal.add_component(_event(r, site_url, stamp))
    return cal.to_ical()


def ics_path(r: Resource) -> str:
    return f"{r.type}/{r.slug}.ics"


def webcal_url(site_url: str) -> str:
    """The hosted calendar as a webcal:// address, which calendar apps
    subscribe to (and keep up to date) rather than import once."""
    if not site_url.startswith(("https://", "http://")):
        return ""
    return "webcal://" + urljoin(site_url, CALENDAR_PATH).split("://", 1)[1]


def build_feeds(library: Library, site_url: str, site_name: str, memo: dict | None = None) -> Claimed:
    """The feeds and the calendars, as {path in the site: bytes}, each claimed.
    `memo`: the store that `make serve` keeps between rebuilds (memo.py)."""
    stamp = library.now.replace(microsecond=0)
    webinars = sorted((r for r in library.listed if r.type == "webinars"), key=lambda r: r.starts)
    outputs = Claimed()
    outputs.claim(FEED_PATH, atom_feed(library, site_url, f"{site_name}: new and updated resources", memo=memo),
                  Claim("the site's feed"))
    outputs.claim(CALENDAR_PATH, calendar(webinars, site_url, stamp, f"{site_name}: webinars", memo),
                  Claim("the calendar of every webinar"))
    for path, feed in term_feeds(library, site_url, site_name, memo).items():
        outputs.claim(path, feed, Claim("a list's feed"))
    for r in library.upcoming():
        outputs.claim(ics_path(r), calendar([r], site_url, stamp, r.title, memo), Claim("a webinar's calendar", r.src_uri))
    return outputs


SOCIAL_IMAGE = "assets/social-card.png"  # 1200 x 630, made for the library (see docs/assets/)


def organisation(site_url: str) -> dict:
    """Who writes, runs and publishes everything here: the team, within HIS.
    Speakers' and owners' entries name roles, not people, so they are not
    given to search engines as Person."""
    return {"@type": "Organization", "name": TEAM, "email": CONTACT, "url": site_url or None,
            "parentOrganization": {"@type": "Organization", "name": "Healthcare Improvement Scotland"}}


def json_ld(r: Resource, library: Library, site_url: str) -> str:
    """schema.org Article, or Event for a webinar, safe to put in a <script>."""
    url = absolute(site_url, r.src_uri)
    team = {k: v for k, v in organisation(site_url).items() if v is not None}
    publisher = {"@type": "Organization", "name": "Healthcare Improvement Scotland"}
    image = urljoin(site_url, SOCIAL_IMAGE)
    if r.type == "webinars":
        data = {
            "@context": "https://schema.org", "@type": "Event", "name": r.title,
            "description": for_output(r.meta["summary"]),
            "url": url, "startDate": r.starts.isoformat(), "endDate": r.ends.isoformat(),
            "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
            "eventStatus": "https://schema.org/EventScheduled",
            "location": {"@type": "VirtualLocation", "url": r.meta.get("registration_url") or url},
            "organizer": team, "image": [image], "isAccessibleForFree": True,
        }
        if r.meta.get("registration_url") and r.is_upcoming(library.now):
            data["offers"] = {"@type": "Offer", "url": r.meta["registration_url"], "price": 0,
                              "priceCurrency": "GBP", "availability": "https://schema.org/InStock"}
    else:
        data = {
            "@context": "https://schema.org", "@type": "Article", "headline": r.title,
            "description": for_output(r.meta["summary"]), "url": url, "mainEntityOfPage": url, "image": [image],
            "datePublished": r.published.isoformat(), "dateModified": r.changed.isoformat(),
            "author": team, "publisher": publisher,
            "about": [library.vocabulary.topics[t].name for t in r.topics],
        }
    return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
