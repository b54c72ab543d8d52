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
        if not isinstance(value, str) or not re.fullmatch(schema.resolve(field_schema)["pattern"].strip("^$"), value):
            typed = pos.text or str(value)
            parsed.found(pos.line, pos.col, "bad-date/date" if fmt == "date" else "bad-date/time", key=key,
                         typed=typed, hint=date_hint(key, typed, fmt))
            continue
        try:
            dates[key] = date.fromisoformat(value) if fmt == "date" else datetime.fromisoformat(value)
        except ValueError as error:
            parsed.found(pos.line, pos.col, "bad-date/unreal" if fmt == "date" else "bad-date/unreal-time",
                         value=value, error=error, hint=impossible_date_hint(key, value))
            continue
        if not YEARS[0] <= dates[key].year <= YEARS[1]:
            del dates[key]
            parsed.found(pos.line, pos.col, "bad-date/year", value=value, key=key, first=YEARS[0], last=YEARS[1],
                         example=example)
        elif fmt == "date-time-local":
            clock = _clock_change(dates[key])
            if clock:
                parsed.found(pos.line, pos.col, f"clock-change/{clock}", value=value)
    if "updated" in dates and "published" in dates and dates["updated"] < dates["published"]:
        pos = parsed.at(("updated",))
        parsed.found(pos.line, pos.col, "date-order")
    reviewed, due = dates.get("last_reviewed"), dates.get("next_review_due")
    if reviewed and due:
        pos = parsed.at(("next_review_due",))
        if due <= reviewed:
            parsed.found(pos.line, pos.col, "review-dates")
        elif due > _add_years(reviewed, MAX_REVIEW_YEARS):
            parsed.found(pos.line, pos.col, "review-dates/far", years=MAX_REVIEW_YEARS,
                         latest=_add_years(reviewed, MAX_REVIEW_YEARS).isoformat())
    if due and data.get("status") == "current":
        pos = parsed.at(("next_review_due",))
        today = now.date()
        if due < today:
            parsed.found(pos.line, pos.col, "review-overdue", due=due.isoformat())
        elif (due - today).days <= REVIEW_DUE_DAYS:
            parsed.found(pos.line, pos.col, "review-due", due=due.isoformat())


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
            parsed.found(pos.line, pos.col, "bad-date/change", name=field_label(("changes", index, "date")),
                         typed=pos.text or value, hint=date_hint("date", pos.text or str(value), "date", "- date: "))
            continue
        try:
            days.append((index, date.fromisoformat(value)))
        except ValueError as error:
            parsed.found(pos.line, pos.col, "bad-date/unreal", value=value, error=error,
                         hint=impossible_date_hint("- date", value))
        note = entry.get("note")
        if isinstance(note, str) and ("\n" in note.strip() or "\r" in note):
            npos = parsed.at(("changes", index, "note"))
            parsed.found(npos.line, npos.col, "change-note", name=field_label(("changes", index, "note")))
    for (before_index, before), (index, day) in zip(days, days[1:]):
        if day > before:
            pos = parsed.at(("changes", index, "date"))
            parsed.found(pos.line, pos.col, "change-order", day=day.isoformat(), before=before.isoformat())
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
            parsed.found(pos.line, pos.col, "change-dates", day=day.isoformat(), published=published.isoformat())
        elif day > now.date():
            parsed.found(pos.line, pos.col, "change-dates/future", day=day.isoformat())
    if days:
        newest = max(day for _, day in days)
        if updated is None:
            pos = parsed.key_positions.get("changes")
            parsed.found(pos.line if pos else 1, pos.col if pos else 1, "change-dates/no-updated",
                         newest=newest.isoformat())
        elif updated != newest:
            pos = parsed.at(("updated",))
            parsed.found(pos.line, pos.col, "change-dates/updated", updated=updated.isoformat(),
                         newest=newest.isoformat())


def _clock_change(local: datetime) -> str | None:
    """Why a UK wall-clock time is not one moment, or None: skipped when the
    clocks go "forward", or met twice when they go "back"."""
    first, second = local.replace(tzinfo=dates.LONDON, fold=0), local.replace(tzinfo=dates.LONDON, fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    back = first.astimezone(timezone.utc).astimezone(dates.LONDON).replace(tzinfo=None)
    return "forward" if back != local else "back"


def _add_years(value: date, years: int) -> date:
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February
        return value.replace(year=value.year + years, day=28)
