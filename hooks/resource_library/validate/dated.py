"""Rules on dates: real dates in their form and range, in order, reviews
due, and the change history (`changes:`)."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone

from .. import dates
from ..frontmatter import ParsedFile
from ..problems import field_label
from ..suggestions import date_hint, impossible_date_hint
from .patterns import PLACEHOLDER
from .schema import Schema

REVIEW_DUE_DAYS = 60
MAX_REVIEW_YEARS = 3
# Years a date may have: wide enough for any real resource, narrow enough
# that adding a duration or three years never overflows.
YEARS = (1970, 2100)


def check_dates(parsed: ParsedFile, schema: Schema, now: datetime) -> None:
    data, dates = parsed.data, {}
    for key, field_schema in schema.fields.items():
        fmt = schema.resolve(field_schema).get("format")
        if fmt not in ("date", "date-time-local") or data.get(key) is None:
            continue
        value, pos = data[key], parsed.at((key,))
        if isinstance(value, str) and PLACEHOLDER in value:
            continue  # reported once, as a placeholder
        example = "2027-03-05" if fmt == "date" else "\"2027-03-05T13:00\""
        form = "a date as YYYY-MM-DD" if fmt == "date" else "a date and time as YYYY-MM-DDTHH:MM, in quotes"
        if not isinstance(value, str) or not re.fullmatch(schema.resolve(field_schema)["pattern"].strip("^$"), value):
            typed = pos.text or str(value)
            parsed.problem(pos.line, pos.col, "bad-date", f"`{key}` must be {form}, not `{typed}`",
                           date_hint(key, typed, fmt))
            continue
        try:
            dates[key] = date.fromisoformat(value) if fmt == "date" else datetime.fromisoformat(value)
        except ValueError as error:
            real = "a real date" if fmt == "date" else "a real date and time"
            parsed.problem(pos.line, pos.col, "bad-date", f"`{value}` is not {real} ({error})",
                           impossible_date_hint(key, value))
            continue
        if not YEARS[0] <= dates[key].year <= YEARS[1]:
            del dates[key]
            parsed.problem(pos.line, pos.col, "bad-date", f"`{value}` is not a likely date for `{key}`",
                           f"Use a year from {YEARS[0]} to {YEARS[1]}; for example {key}: {example}")
        elif fmt == "date-time-local":
            clock = _clock_change(dates[key])
            if clock:
                parsed.problem(pos.line, pos.col, "clock-change", f"`{value}` {clock} in UK time",
                               "Webinar times are UK time; choose a start outside 1am to 2am on the day the clocks "
                               "change, so the time and the calendar entry mean one moment.")
    if "updated" in dates and "published" in dates and dates["updated"] < dates["published"]:
        pos = parsed.at(("updated",))
        parsed.problem(pos.line, pos.col, "date-order", "`updated` is before `published`",
                       "A resource can only be updated after it was published.")
    reviewed, due = dates.get("last_reviewed"), dates.get("next_review_due")
    if reviewed and due:
        pos = parsed.at(("next_review_due",))
        if due <= reviewed:
            parsed.problem(pos.line, pos.col, "review-dates", "`next_review_due` is not after `last_reviewed`",
                           "Set the next review after the last one, usually one year later.")
        elif due > _add_years(reviewed, MAX_REVIEW_YEARS):
            parsed.problem(pos.line, pos.col, "review-dates",
                           f"`next_review_due` is more than {MAX_REVIEW_YEARS} years after `last_reviewed`",
                           f"Review at least every {MAX_REVIEW_YEARS} years; set it on or before "
                           f"{_add_years(reviewed, MAX_REVIEW_YEARS).isoformat()}.")
    if due and data.get("status") == "current":
        pos = parsed.at(("next_review_due",))
        today = now.date()
        if due < today:
            parsed.problem(pos.line, pos.col, "review-overdue", f"the review was due on {due.isoformat()}",
                           "The owner should review it, then update last_reviewed and next_review_due.",
                           severity="warning")
        elif (due - today).days <= REVIEW_DUE_DAYS:
            parsed.problem(pos.line, pos.col, "review-due", f"a review is due on {due.isoformat()}",
                           "Let the owner know the review is coming up.", severity="warning")


def check_changes(parsed: ParsedFile, now: datetime) -> None:
    """`changes:`: real dates, newest first, none before `published` or
    after the build, one line each, and the newest one is `updated`.
    (The schema has already checked the shape: a list of date and note.)"""
    data = parsed.data
    entries = data.get("changes")
    if not isinstance(entries, list):
        return
    days: list[tuple[int, date]] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        value, pos = entry.get("date"), parsed.at(("changes", index, "date"))
        if isinstance(value, str) and PLACEHOLDER in value or value is None:
            continue
        if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            parsed.problem(pos.line, pos.col, "bad-date",
                           f"{field_label(('changes', index, 'date'))} must be a date as YYYY-MM-DD, "
                           f"not `{pos.text or value}`", date_hint("date", pos.text or str(value), "date",
                                                                       "- date: "))
            continue
        try:
            days.append((index, date.fromisoformat(value)))
        except ValueError as error:
            parsed.problem(pos.line, pos.col, "bad-date", f"`{value}` is not a real date ({error})",
                           impossible_date_hint("- date", value))
        note = entry.get("note")
        if isinstance(note, str) and ("\n" in note.strip() or "\r" in note):
            npos = parsed.at(("changes", index, "note"))
            parsed.problem(npos.line, npos.col, "change-note",
                           f"{field_label(('changes', index, 'note'))} runs over more than one line",
                           "Keep each note to one line; say what changed for readers, not how.")
    for (before_index, before), (index, day) in zip(days, days[1:]):
        if day > before:
            pos = parsed.at(("changes", index, "date"))
            parsed.problem(pos.line, pos.col, "change-order",
                           f"`changes` must be newest first, but {day.isoformat()} comes after {before.isoformat()}",
                           "Put the newest change at the top of the list.")
            break
    published, updated = data.get("published"), data.get("updated")
    try:
        published = date.fromisoformat(published) if isinstance(published, str) else None
        updated = date.fromisoformat(updated) if isinstance(updated, str) else None
    except ValueError:
        return  # reported by check_dates
    for index, day in days:
        pos = parsed.at(("changes", index, "date"))
        if published and day < published:
            parsed.problem(pos.line, pos.col, "change-dates",
                           f"a change on {day.isoformat()} is before `published` ({published.isoformat()})",
                           "A resource can only change after it was first published; check the date.")
        elif day > now.date():
            parsed.problem(pos.line, pos.col, "change-dates", f"a change on {day.isoformat()} is in the future",
                           "Date a change on the day it is published.", severity="warning")
    if days:
        newest = max(day for _, day in days)
        if updated is None:
            pos = parsed.key_positions.get("changes")
            parsed.problem(pos.line if pos else 1, pos.col if pos else 1, "change-dates",
                           "`changes` is given but `updated` is not",
                           f"Add updated: {newest.isoformat()} (the date of the newest change).")
        elif updated != newest:
            pos = parsed.at(("updated",))
            parsed.problem(pos.line, pos.col, "change-dates",
                           f"`updated` is {updated.isoformat()}, but the newest change is {newest.isoformat()}",
                           f"Set updated: {newest.isoformat()}, or add a note for the change on {updated.isoformat()}.")


def _clock_change(local: datetime) -> str | None:
    """Why a UK wall-clock time is not one moment, or None: skipped when the
    clocks go forward, or met twice when they go back."""
    first, second = local.replace(tzinfo=dates.LONDON, fold=0), local.replace(tzinfo=dates.LONDON, fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    back = first.astimezone(timezone.utc).astimezone(dates.LONDON).replace(tzinfo=None)
    return "does not exist: the clocks go forward an hour then" if back != local else \
        "happens twice: the clocks go back an hour then"


def _add_years(value: date, years: int) -> date:
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February
        return value.replace(year=value.year + years, day=28)
