"""The build's notion of "now", and dates as readers see them."""
from __future__ import annotations

import os
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def build_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set, so that a rebuild of the same
    commit decides "upcoming" and "review due" the same way."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now(timezone.utc)


def long_date(value: date) -> str:
    """`5 March 2027`, the GOV.UK style."""
    return f"{value.day} {value:%B %Y}"


def clock(value: datetime) -> str:
    """`2pm`, `3:30pm`, `midday`, `midnight`: the GOV.UK style."""
    if value.minute == 0 and value.hour in (0, 12):
        return "midnight" if value.hour == 0 else "midday"
    hour = value.strftime("%I").lstrip("0")
    minutes = "" if value.minute == 0 else f":{value:%M}"
    return f"{hour}{minutes}{value:%p}".lower()


def long_datetime(value: datetime) -> str:
    """`Tuesday 1 September 2026, 1pm (BST, UK time)`."""
    local = value.astimezone(LONDON)
    return f"{local:%A} {long_date(local.date())}, {clock(local)} ({local.tzname()}, UK time)"


def time_range(start: datetime, end: datetime) -> str:
    """`Tuesday 1 September 2026, 2pm to 3:30pm (BST, UK time)`; both days
    when it runs past midnight."""
    first, last = start.astimezone(LONDON), end.astimezone(LONDON)
    if first.date() == last.date():
        zone = first.tzname() if first.tzname() == last.tzname() else f"{first.tzname()} to {last.tzname()}"
        return f"{first:%A} {long_date(first.date())}, {clock(first)} to {clock(last)} ({zone}, UK time)"
    return (f"{first:%A} {long_date(first.date())}, {clock(first)} ({first.tzname()}) to "
            f"{last:%A} {long_date(last.date())}, {clock(last)} ({last.tzname()}, UK time)")
