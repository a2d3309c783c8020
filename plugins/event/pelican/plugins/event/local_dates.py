"""Dates and times in the site's language (DEFAULT_LANG), formatted by Babel
with a pattern per language: "samedi 10 décembre 2016", "17 h". English, and
a language with no pattern here, keep dates.py's own words byte for byte."""

from __future__ import annotations

from datetime import date, datetime

from . import dates

# Per language: the long date, the day and month, the clock on the hour and not.
PATTERNS = {
    "fr": ("EEEE d MMMM y", "EEEE d MMMM", "H 'h'", "H 'h' mm"),
    "de": ("EEEE, d. MMMM y", "EEEE, d. MMMM", "H:mm 'Uhr'", "H:mm 'Uhr'"),
    "es": ("EEEE, d 'de' MMMM 'de' y", "EEEE, d 'de' MMMM", "H:mm", "H:mm"),
}


def long_date(day: date, lang: str = "en") -> str:
    if lang not in PATTERNS:
        return dates.long_date(day)
    from babel.dates import format_date

    return format_date(day, PATTERNS[lang][0], locale=lang)


def day_and_month(day: date, lang: str = "en") -> str:
    if lang not in PATTERNS:
        return dates.day_and_month(day)
    from babel.dates import format_date

    return format_date(day, PATTERNS[lang][1], locale=lang)


def clock(time: datetime, lang: str = "en") -> str:
    if lang not in PATTERNS:
        return dates.clock(time)
    from babel.dates import format_time

    return format_time(time, PATTERNS[lang][2 if time.minute == 0 else 3], locale=lang)


def filters(lang: str) -> dict:
    """The templates' date filters for this language."""
    return {
        "long_date": lambda day: long_date(day, lang),
        "day_and_month": lambda day: day_and_month(day, lang),
        "clock": lambda time: clock(time, lang),
    }
