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


def long_datetime(value: datetime) -> str:
    local = value.astimezone(LONDON)
    hour = local.strftime("%I").lstrip("0")
    clock = f"{hour}{local:%p}".lower() if local.minute == 0 else f"{hour}:{local:%M}{local:%p}".lower()
    return f"{local:%A} {long_date(local.date())}, {clock} ({local.tzname()}, UK time)"
