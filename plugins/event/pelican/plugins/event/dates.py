"""Dates as the site writes them, and the day a build happens.

Plain Python: English names written out here, so a page reads the same on
every computer (strftime's "%-d" fails on Windows, and "%A" follows the
machine's language).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone, tzinfo

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: date) -> str:
    """Saturday 10 December 2016"""
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


def day_and_month(day: date) -> str:
    """Monday 12 December"""
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"


def clock(time: datetime) -> str:
    """5:00 PM"""
    return f"{time.hour % 12 or 12}:{time.minute:02d} {'AM' if time.hour < 12 else 'PM'}"


class BuildDateError(ValueError):
    """SOURCE_DATE_EPOCH is set but is not a number of seconds."""


def build_time(environ: Mapping[str, str] = os.environ) -> datetime:
    """When the site is built, in UTC: SOURCE_DATE_EPOCH when it is set (the
    reproducible-builds convention, https://reproducible-builds.org/specs/source-date-epoch/),
    so tests and reviewers can fix the day; otherwise now."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now(timezone.utc)
    try:
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise BuildDateError(
            f'SOURCE_DATE_EPOCH is "{epoch}": set it to a number of seconds since 1970 (e.g. $(date +%s)), or unset it.'
        ) from None


def build_clock(zone: tzinfo, environ: Mapping[str, str] = os.environ) -> datetime:
    """The build's time as a clock where the event happens shows it (no zone)."""
    return build_time(environ).astimezone(zone).replace(tzinfo=None)


def build_date(zone: tzinfo, environ: Mapping[str, str] = os.environ) -> date:
    """Today's date where the event happens."""
    return build_clock(zone, environ).date()


def phase(event: Mapping, today: date) -> str:
    """ "before" the evening, "on the day", or "after" it (from the day after it ends)."""
    if today < event["start"].date():
        return "before"
    if today <= event["end"].date():
        return "on the day"
    return "after"


def results_week(event: Mapping) -> date:
    """The Monday after the evening: the organizer reports the count to Amnesty
    "early next week", and the results appear on the site then."""
    day = event["start"].date()
    return day + timedelta(days=7 - day.weekday())
