"""What a contributor probably meant, written so that it can be pasted.

A hint is only useful if following it fixes the problem: links are given
relative to the file being edited, resources are preferred to the pages the
site generates (a topic page shares its slug with many resources), every
suggested page is named for what it is, and dates and times come back in the
contributor's own values, corrected.
"""
from __future__ import annotations

import calendar
import difflib
import posixpath
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from . import dates
from .indexes import FINDER, TERM_KINDS
from .load import TYPES, Library
from .render import term_src
from .vocabulary import closest

# Kinds of page, in the order suggestions prefer them.
RESOURCE, DOCS_PAGE, GENERATED = 0, 1, 2
KIND_NAMES = {"functions": "function", "programmes": "programme", "topics": "topic"}


@dataclass
class Catalogue:
    """Every page a resource may link to, by source path."""
    anchors: dict[str, set[str] | None] = field(default_factory=dict)  # None: not known (generated)
    kinds: dict[str, int] = field(default_factory=dict)
    described: dict[str, str] = field(default_factory=dict)  # how a reader knows the page
    suggestible: set[str] = field(default_factory=set)       # pages a link may be sent to
    # Term pages not built, because no published resource uses the term yet.
    unbuilt: dict[str, str] = field(default_factory=dict)

    def add(self, src: str, kind: int, description: str, anchors: set[str] | None, suggest: bool = True):
        self.anchors[src], self.kinds[src], self.described[src] = anchors, kind, description
        if suggest:
            self.suggestible.add(src)
        else:
            self.suggestible.discard(src)

    def __contains__(self, src: str) -> bool:
        return src in self.anchors


def catalogue(library: Library, docs_pages: dict[str, set[str] | None], generated: set[str],
              invalid: set[str]) -> Catalogue:
    """Generated pages, then editors' pages (which replace them), then
    resources; resources with errors of their own are known by path only."""
    pages = Catalogue()
    vocabulary = library.vocabulary
    terms = {term_src(kind, slug): (kind, term) for kind in TERM_KINDS
             for slug, term in vocabulary.terms(kind).items()}
    for src in sorted(generated):
        folder = src.split("/")[0]
        if src in terms:
            kind, term = terms[src]
            if not library.with_term(kind, term.slug):
                pages.unbuilt[src] = f"the {KIND_NAMES[kind]} page “{term.name}”"
                continue
            text = f"the {KIND_NAMES[kind]} page “{term.name}”, a list of resources that the site makes"
        elif src == FINDER:
            text = "the resource finder"
        elif folder in TYPES and folder in vocabulary.types:
            text = f"the list of all {vocabulary.types[folder].plural}"
        else:
            text = f"the index of {folder}"
        pages.add(src, GENERATED, text, None)
    for src, anchors in docs_pages.items():
        pages.add(src, DOCS_PAGE, f"the page docs/{src}", anchors)
    for src in sorted(invalid):
        folder = src.split("/")[0]
        name = vocabulary.types[folder].name if folder in vocabulary.types else "resource"
        pages.add(src, RESOURCE, f"the {name} in {src}", None)
    for resource in library.resources:
        name = vocabulary.types[resource.type].name if resource.type in vocabulary.types else "resource"
        pages.add(resource.src_uri, RESOURCE, f"the {name} “{resource.title}”", resource.anchors,
                  suggest=resource.status != "draft" or library.include_drafts)
    return pages


def relative_link(to_src: str, from_src: str) -> str:
    """A link from one source file to another, as it is written in Markdown."""
    return posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")


def address_to_file(target: str) -> list[str]:
    """The source files a page address could stand for: `x/`, `x/index.html`,
    `x.html` and `x` are all the page built from `x.md`."""
    stem = target
    for ending in ("/index.md", "/index.html", "/", ".html"):
        if stem.endswith(ending):
            stem = stem[: -len(ending)]
            break
    if not stem or stem.endswith(".md") and stem == target:
        return []
    return [stem + ".md", stem + "/index.md"]


def _closest(value: str, options) -> str | None:
    matches = difflib.get_close_matches(value, sorted(options), n=1, cutoff=0.6)
    return matches[0] if matches else None


def _stem(src: str) -> str:
    return posixpath.splitext(posixpath.basename(src))[0]


def _folder(src: str) -> str:
    return src.split("/")[0] if "/" in src else ""


def nearest_page(target: str, pages: Catalogue) -> str | None:
    """The page a mistyped link most likely meant, or None.

    File names are compared, not whole paths (a shared folder would make any
    two paths look alike). Pages of the kind the link's folder suggests come
    first: a link into a resource folder gets a resource, even where a topic
    page has the same slug; then, among equals, one in the link's own folder."""
    for src in address_to_file(target):
        if src in pages.suggestible:
            return src
    folder, stem = _folder(target), _stem(target)
    if folder in TERM_KINDS or target == FINDER:
        order = (GENERATED, RESOURCE, DOCS_PAGE)
    elif folder in TYPES or not folder:
        order = (RESOURCE, DOCS_PAGE, GENERATED)
    else:
        order = (DOCS_PAGE, RESOURCE, GENERATED)
    for kind in order:
        by_stem: dict[str, list[str]] = {}
        for src in sorted(pages.suggestible):
            if pages.kinds[src] == kind:
                # An index page is known by its folder: `topics/index.md` is "topics".
                key = _folder(src) if _stem(src) == "index" else _stem(src)
                by_stem.setdefault(key, []).append(src)
        wanted = folder if stem == "index" else stem
        found = closest(wanted, by_stem)
        if found:
            return sorted(by_stem[found], key=lambda src: _folder(src) != folder)[0]
    return None


def link_hint(target: str, anchor: str, from_src: str, pages: Catalogue) -> str:
    """The hint for a link to a page that does not exist."""
    found = nearest_page(target, pages)
    if not found:
        return ("Link to the resource's .md file, relative to this one, for example "
                "`../deeper-dives/some-slug.md`.")
    link = relative_link(found, from_src)
    known = pages.anchors.get(found)
    if anchor and known is not None and anchor in known:
        link += f"#{anchor}"
    return f"Did you mean `{link}`, {pages.described[found]}?"


def anchor_hint(path_part: str, anchor: str, known: set[str]) -> str:
    guess = _closest(anchor, known)
    listed = ", ".join(f"#{a}" for a in sorted(known)[:8]) or "none"
    return (f"Did you mean `{path_part}#{guess}`? " if guess else "") + f"Headings there: {listed}."


def resource_key_hint(value: str, library: Library, known: dict[str, str]) -> str:
    """For `replaced_by`: the type/slug of the resource meant. `known`: every
    resource's key, with how a reader knows it."""
    cleaned = re.sub(r"^(\.\./|\./|/)+", "", str(value).strip()).removesuffix("/").removesuffix(".md")
    if cleaned in known and cleaned != value:
        return f"Write it as type/slug: replaced_by: {cleaned}"
    found = _closest(cleaned, known)
    if not found:
        by_slug = {key.split("/")[-1]: key for key in known}
        slug = _closest(cleaned.split("/")[-1], by_slug)
        found = by_slug[slug] if slug else None
    if found:
        return f"Did you mean {known[found]}? Write replaced_by: {found}"
    return "Use the type/slug of an existing resource, for example replaced_by: at-a-glance/some-slug"


def file_hint(value: str, type_slug: str, content_files: set[str]) -> str:
    """For a download, slides or transcript that is not there."""
    beside = {f[len(type_slug) + 1:] for f in content_files if f.startswith(type_slug + "/")}
    # A misspelling of a file of the same type, or the same name with another
    # extension: not any file that shares `files/` and a word.
    stem, extension = posixpath.splitext(value)
    same_name = [f for f in beside if posixpath.splitext(f)[0] == stem]
    matches = difflib.get_close_matches(value, sorted(f for f in beside if f.endswith(extension)), n=1, cutoff=0.85)
    guess = same_name[0] if len(same_name) == 1 else (matches[0] if matches else None)
    # The same letters stored another way (`é` as `e` and a combining accent,
    # as macOS writes names): the two look alike, so say what differs.
    decomposed = [f for f in beside if f != value and unicodedata.normalize("NFC", f) == unicodedata.normalize("NFC", value)]
    if decomposed:
        return (f"The file is there, but its name stores accents another way (as a letter and a separate mark, "
                f"as macOS writes names). Rename {type_slug}/{decomposed[0]} by typing its name again, "
                "so the name and the path match.")
    if guess:
        return f"Did you mean `{guess}`? It is {type_slug}/{guess} in the repository."
    return (f"Add the file to the repository as {type_slug}/{value}, or correct the path: "
            "it is written relative to this file, as in files/checklist.pdf.")


# Dates and times ------------------------------------------------------------

DATE_PARTS_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
DATE_TIME_RE = re.compile(r"(?P<date>\d{4}-\d{1,2}-\d{1,2})(?P<sep>[Tt]|\s+)(?P<hour>\d{1,2}):(?P<minute>\d{2})"
                          r"(?P<seconds>:\d{2}(?:\.\d+)?)?\s*(?P<zone>[Zz]|[+-]\d{2}(?::?\d{2})?)?")


MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
MONTHS.update({name[:3]: n for name, n in list(MONTHS.items())}, sept=9)
_DAY = r"(?P<{0}>\d{{1,2}})(?:st|nd|rd|th)?"
_TIME = r"(?:,?\s*(?:at\s+)?(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>[ap]\.?m\.?)?)?"
# `25 November 2026`, `Tuesday 25th Nov 2026`, `November 25, 2026`, `25/11/2026`,
# each perhaps with a time: `13:00`, `1pm`, `at 1.30 pm`.
LOOSE_DATE_RES = [
    re.compile(r"(?:[a-z]+,?\s+)?" + _DAY.format("day") + r"\s+(?P<month>[a-z]+)\.?,?\s+(?P<year>\d{4})" + _TIME, re.I),
    re.compile(r"(?:[a-z]+,?\s+)?(?P<month>[a-z]+)\.?\s+" + _DAY.format("day") + r",?\s+(?P<year>\d{4})" + _TIME, re.I),
    re.compile(r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})" + _TIME.replace("(?:,?\\s*", "(?:,?\\s+", 1),
               re.I),
    # The right date with the time as people say it: `2027-01-20 1pm`, `2027-01-20 at 1.30pm`.
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})" + _TIME.replace("(?:,?\\s*", "(?:[Tt]|,?\\s+", 1),
               re.I),
]


def _loose(typed: str) -> tuple[date, tuple[int, int] | None] | None:
    """A date written as people write it (day first, or in words), and the
    time after it if any, as (date, (hour, minute) or None); None if it is
    not clearly one."""
    for regex in LOOSE_DATE_RES:
        match = regex.fullmatch(typed.strip())
        if not match:
            continue
        month = match.group("month")
        month = int(month) if month.isdigit() else MONTHS.get(month.lower().rstrip("."))
        try:
            day = date(int(match.group("year")), month or 0, int(match.group("day")))
        except ValueError:
            return None
        if match.group("hour") is None:
            return day, None
        hour, minute = int(match.group("hour")), int(match.group("minute") or 0)
        half = (match.group("half") or "").replace(".", "").lower()
        if half and not 1 <= hour <= 12 or hour > 23 or minute > 59:
            return None
        if half == "pm" and hour != 12:
            hour += 12
        elif half == "am" and hour == 12:
            hour = 0
        return day, (hour, minute)
    return None


def impossible_date_hint(key: str, value: str) -> str:
    """What is wrong with a date or time in the right form that is not
    real: `2026-02-30`, `2026-13-01`, `2026-12-10T25:00`."""
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?", value)
    example = f"{key}: 2027-03-05" if len(value) <= 10 else f"{key}: \"2027-03-05T13:00\""
    if not match:
        return f"For example {example}"
    year, month, day = (int(part) for part in match.group(1, 2, 3))
    if not 1 <= month <= 12:
        if 1 <= day <= 12 and match.group(4) is None:
            return f"The month comes second: did you mean {key}: {year}-{day:02d}-{month:02d}?"
        return f"The month comes second and runs from 01 to 12; the date is year, month, day. For example {example}"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"{calendar.month_name[month]} {year} has {days} days. Check the day."
    if match.group(4) is not None and int(match.group(4)) > 23:
        return "The hour runs from 00 to 23, in the 24-hour clock: 1pm is 13:00."
    if match.group(5) is not None and int(match.group(5)) > 59:
        return "The minutes run from 00 to 59."
    return f"For example {example}"


def _real_date(text: str) -> date | None:
    """`2026-3-5` or `2026-03-05` as a date, or None."""
    match = DATE_PARTS_RE.fullmatch(text.strip())
    try:
        return date(*map(int, match.groups())) if match else None
    except ValueError:
        return None


def date_hint(key: str, typed: str, fmt: str, prefix: str = "") -> str:
    """What to write instead of a date (`fmt` "date") or a webinar's time
    ("date-time-local") in the wrong form: the contributor's own value,
    corrected where the intent is clear. `prefix` is how the line starts."""
    prefix = prefix or f"{key}: "
    typed = typed.strip()
    if fmt == "date":
        fixed = _real_date(typed) or _real_date(typed[:10])
        if fixed and len(typed) > 10 and typed[10] in "Tt ":
            return f"Leave out the time: {prefix}{fixed.isoformat()}"
        if fixed:
            return f"Write the month and day with two digits: {prefix}{fixed.isoformat()}"
        loose = _loose(typed)
        if loose:
            fixed, clock = loose
            first = "Leave out the time and write" if clock else "Write"
            return (f"{first} the year first, then the month and the day: {prefix}{fixed.isoformat()} "
                    f"(for {dates.long_date(fixed)})")
        return f"For example {prefix}2027-03-05"
    match = DATE_TIME_RE.fullmatch(typed)
    day = _real_date(match.group("date")) if match else None
    if day is None or int(match.group("hour")) > 23 or int(match.group("minute")) > 59:
        loose = None if match else _loose(typed)
        only_day = _real_date(typed) or (loose[0] if loose else None)
        if loose and loose[1]:
            written = datetime.combine(loose[0], time(*loose[1]))
            if DATE_PARTS_RE.match(typed):
                return (f"Write the time after a T, in the 24-hour clock: "
                        f"{prefix}\"{written:%Y-%m-%dT%H:%M}\" (for {dates.long_date(loose[0])}, {dates.clock(written)})")
            return (f"Write the year first, then the month, the day, a T and the time: "
                    f"{prefix}\"{written:%Y-%m-%dT%H:%M}\" (for {dates.long_date(loose[0])}, {dates.clock(written)})")
        if only_day:
            return (f"Add the time it starts, in UK time, after a T: for 1pm write "
                    f"{prefix}\"{only_day.isoformat()}T13:00\"")
        if match:
            return impossible_date_hint(prefix.split(":")[0].strip() or "starts", f"{match.group('date')}T"
                                        f"{int(match.group('hour')):02d}:{match.group('minute')}")
        return f"For example {prefix}\"2027-03-05T13:00\""
    written = datetime(day.year, day.month, day.day, int(match.group("hour")), int(match.group("minute")))
    local, fixes = written, []
    if match.group("zone"):
        zone = match.group("zone").upper()
        offset = timezone.utc if zone == "Z" else timezone(
            (1 if zone[0] == "+" else -1)
            * timedelta(hours=int(zone[1:3]), minutes=int(zone[-2:]) if len(zone) > 3 else 0))
        # The same moment, as a clock in the UK shows it.
        local = written.replace(tzinfo=offset).astimezone(dates.LONDON).replace(tzinfo=None)
        fixes.append("Leave out the zone: UK time is assumed.")
        if local != written:
            on_day = f" on {local.date().isoformat()}" if local.date() != day else ""
            fixes.append(f"{typed} is {local:%H:%M} in UK time{on_day}.")
    if match.group("sep").upper() != "T":
        fixes.append("Use T between date and time.")
    if match.group("seconds"):
        fixes.append("Leave out the seconds.")
    if len(match.group("hour")) == 1 or match.group("date") != day.isoformat():
        fixes.append("Write each number with two digits.")
    fixes.append(f"Write it as {prefix}\"{local:%Y-%m-%dT%H:%M}\"")
    return " ".join(fixes)
