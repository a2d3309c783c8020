"""The event's facts in a plain TOML file (event.toml), read into the EVENT
dict the plugin and the templates use: a mistake in the file is one sentence
naming the file, its line and the field, and what to do.

Plain Python with no Pelican import: pelicanconf.py reads the file with it,
and `invoke init` checks each answer with the same rules.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tomllib

from .public_address import public_address_problem

# How the evening happens: at a place, online, or both at once.
IN_PERSON, ONLINE, BOTH = "in person", "online", "both"
ATTENDANCE = (IN_PERSON, ONLINE, BOTH)
# The key that lists the facts still the shipped example's (`invoke init`
# takes each out as it is answered).
EXAMPLE_FACTS = "example_facts"
EMAIL = re.compile(r"^[^@\s\"<>,;]+@[^@\s\"<>,;]+\.[^@\s\"<>,;.]+$")


@dataclass(frozen=True)
class Field:
    kind: str  # text, email, choice, link, yes/no, date-time, date, time zone, goal, list, languages
    example: str  # a good line, as TOML, for the messages
    required: bool = True


FIELDS = {
    "name": Field("text", 'name = "Write for Rights letter-writing evening"'),
    "group": Field("text", 'group = "Amnesty International Group 42"'),
    "city": Field("text", 'city = "New York City"'),
    "organizer": Field("text", 'organizer = "Robin Writer"'),
    "rsvp_email": Field("email", 'rsvp_email = "letters@your-group.org"'),
    "attendance": Field("choice", 'attendance = "in person"', required=False),
    "venue": Field("text", 'venue = "Library hall, Jefferson Market Library"', required=False),
    "address": Field("text", 'address = "425 Avenue of the Americas, New York, NY 10011, USA"', required=False),
    "meeting_link": Field("link", 'meeting_link = "https://meet.jit.si/write-for-rights"', required=False),
    "meeting_link_private": Field("yes/no", "meeting_link_private = false", required=False),
    "start": Field("date-time", "start = 2016-12-10T17:00:00"),
    "end": Field("date-time", "end = 2016-12-10T20:30:00"),
    "timezone": Field("time zone", 'timezone = "America/New_York"'),
    "description": Field("text", 'description = "An evening of letters for human rights."', required=False),
    "goal": Field("goal", "goal = 120"),
    "public_address": Field("text", 'public_address = "https://your-account.github.io/write-for-rights"'),
    "report_by": Field("date", "report_by = 2017-01-15", required=False),
    "languages": Field("languages", 'languages = ["en", "fr"]', required=False),
    EXAMPLE_FACTS: Field("list", 'example_facts = ["start", "goal"]', required=False),
}
# A date-time written without seconds (TOML 1.1, not yet read by Python's
# tomllib): "start = 2016-12-10T17:00" is read as 17:00:00.
SHORT_TIME = re.compile(r"(?m)^([ \t]*(?:start|end)[ \t]*=[ \t]*\d{4}-\d\d-\d\d[T ]\d\d:\d\d)(?=[ \t]*(?:#.*)?$)")


class EventFileError(ValueError):
    """The event file cannot be used: one sentence naming the file, the line, the field and what to do."""


def normalized(text: str) -> str:
    """The file's text with each start and end given seconds if it has none."""
    return SHORT_TIME.sub(r"\1:00", text)


def line_of(text: str, key: str) -> int | None:
    """The line of `key = ...` in the file's text (tomllib gives none)."""
    match = re.search(rf'(?m)^[ \t]*["\']?{re.escape(key)}["\']?[ \t]*=', text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def read_event_file(path, name: str | None = None) -> tuple[dict, list[str]]:
    """EVENT (as pelicanconf.py had it: datetimes, the goal as a number) and
    the facts still the example's, from the file at `path` (named `name` in
    the messages: a past year's content/archive/2016/event.toml)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        why = getattr(error, "strerror", None) or "it is not UTF-8 text"
        raise EventFileError(
            f"{path.name} cannot be read ({why}): put it back beside pelicanconf.py "
            '(git checkout event.toml), then run invoke init (see "Make it yours" in README.md).'
        ) from None
    return parse_event(text, name or path.name)


def parse_event(text: str, name: str = "event.toml") -> tuple[dict, list[str]]:
    try:
        data = tomllib.loads(normalized(text))
    except tomllib.TOMLDecodeError as error:
        raise EventFileError(_syntax_problem(text, name, error)) from None
    for key in data:
        if key not in FIELDS:
            raise EventFileError(_unknown_field(text, name, key))
    for key, field in FIELDS.items():
        if key not in data:
            if field.required:
                raise EventFileError(
                    f'{name} has no "{key}": add a line such as {field.example} (or run invoke init, '
                    'see "Make it yours" in README.md).'
                )
            continue
        problem = value_problem(key, data[key])
        if problem:
            raise EventFileError(f"{name}, line {line_of(text, key)}: {problem}.")
    problem = together_problem(data)
    if problem:
        key, why = problem
        raise EventFileError(f"{name}, line {line_of(text, key)}: {why}.")
    return event_from(data), [str(fact) for fact in data.get(EXAMPLE_FACTS, [])]


def event_from(data: dict) -> dict:
    """EVENT as the plugin and the templates read it. A private meeting link
    is left out: what is not in EVENT no page, file or feed can show."""
    event = {key: value for key, value in data.items() if key != EXAMPLE_FACTS}
    event.setdefault("attendance", IN_PERSON)
    event["meeting_link_private"] = bool(event.get("meeting_link_private"))
    if event["meeting_link_private"] or event["attendance"] == IN_PERSON:
        event["meeting_link"] = ""
    for key in ("venue", "address", "meeting_link", "description"):
        event.setdefault(key, "")
    event["report_by"] = event.get("report_by") or None
    event["languages"] = list(event.get("languages") or ["en"])
    return event


def value_problem(key: str, value) -> str | None:
    """What is wrong with `value` for `key`, as the end of a sentence; None if it is good."""
    field = FIELDS[key]
    check = _CHECKS[field.kind]
    problem = check(value)
    return f"{key} is {_shown(value)}, {problem}: write it as {field.example}" if problem else None


def together_problem(data: dict) -> tuple[str, str] | None:
    """What is wrong between the fields (an end before the start, a venue
    missing for an evening in person): the field to name and why."""
    attendance = data.get("attendance", IN_PERSON)
    if attendance in (IN_PERSON, BOTH):
        for key in ("venue", "address"):
            if not str(data.get(key, "")).strip():
                return key, f"{key} is empty, but the evening is {attendance}: write it as {FIELDS[key].example}"
    if attendance in (ONLINE, BOTH) and not str(data.get("meeting_link", "")).strip():
        return "meeting_link", (
            f"meeting_link is empty, but the evening is {attendance}: write it as {FIELDS['meeting_link'].example} "
            "(and meeting_link_private = true if only guests who write to you may have it)"
        )
    if data["end"] <= data["start"]:
        return "end", (
            f"end ({data['end']:%Y-%m-%d %H:%M}) is not after start ({data['start']:%Y-%m-%d %H:%M}): "
            f"put the time the evening ends, e.g. end = {data['start']:%Y-%m-%d}T20:30:00"
        )
    report_by = data.get("report_by")
    if isinstance(report_by, date) and report_by < data["end"].date():
        return "report_by", (
            f"report_by ({report_by:%Y-%m-%d}) is before the evening ({data['end']:%Y-%m-%d}): "
            "put the day the counts are due at Amnesty, e.g. report_by = 2017-01-15"
        )
    return None


def _text(value) -> str | None:
    return None if isinstance(value, str) else "not text in double quotes"


def _email(value) -> str | None:
    return _text(value) or (None if EMAIL.match(value.strip()) else "not an e-mail address")


def _choice(value) -> str | None:
    if value in ATTENDANCE:
        return None
    return "not one of " + ", ".join(f'"{choice}"' for choice in ATTENDANCE)


def _link(value) -> str | None:
    if not isinstance(value, str):
        return _text(value)
    if not value.strip() or value.strip().startswith("https://"):
        return None  # empty: the checks of the whole file say whether one is needed
    return "not an address starting with https://"


def link_problem(value: str) -> str | None:
    """Why `value` cannot be a public https:// address (the public address rule), or None."""
    if not value.strip().startswith("https://"):
        return "not an address starting with https://"
    problem = public_address_problem(value)
    return str(problem).replace("it is", "which is", 1) if problem else None


def _yes_no(value) -> str | None:
    return None if isinstance(value, bool) else "not true or false (without quotes)"


def _date_time(value) -> str | None:
    if isinstance(value, datetime) and value.tzinfo is None:
        return None
    if isinstance(value, datetime):
        return "a date and time with a time zone (the time zone goes in timezone)"
    return "not a date and time (without quotes)"


def _date(value) -> str | None:
    if value == "" or (isinstance(value, date) and not isinstance(value, datetime)):
        return None
    return 'not a date (without quotes; or "" for none)'


def _zone(value) -> str | None:
    return _text(value) or (None if is_zone(value) else "not a time zone name")


def _goal(value) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return "not a whole number above 0 (without quotes)"
    return None


def _list(value) -> str | None:
    if isinstance(value, list) and all(name in FIELDS for name in value):
        return None
    return "not a list of the file's field names"


def _languages(value) -> str | None:
    """A list of language codes (Babel's: "en", "fr", "pt_BR"), each once."""
    from babel import Locale, UnknownLocaleError

    if not isinstance(value, list) or not value or not all(isinstance(code, str) for code in value):
        return "not a list of language codes in double quotes"
    if len(set(value)) != len(value):
        return "a list naming a language twice"
    for code in value:
        try:
            Locale.parse(code)
        except (ValueError, UnknownLocaleError):
            return f'a list with "{code}" in it, which is no language code'
    return None


_CHECKS = {
    "text": _text,
    "email": _email,
    "choice": _choice,
    "link": _link,
    "yes/no": _yes_no,
    "date-time": _date_time,
    "date": _date,
    "time zone": _zone,
    "goal": _goal,
    "list": _list,
    "languages": _languages,
}


def is_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return bool(name.strip())


def _shown(value) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(map(_shown, value)) + "]"
    return repr(value)


def _syntax_problem(text: str, name: str, error: tomllib.TOMLDecodeError) -> str:
    """A TOML mistake: its line, the field on that line, and how TOML wants it."""
    found = re.search(r"\(at line (\d+), column \d+\)$", str(error))
    reason = re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)$", "", str(error))
    reason = reason[:1].lower() + reason[1:]
    line = int(found.group(1)) if found else text.count("\n") + 1
    row = (text.splitlines() or [""])[min(line, len(text.splitlines()) or 1) - 1]
    key = re.match(r'[ \t]*["\']?([\w-]+)["\']?[ \t]*=', row)
    field = f" ({key.group(1)})" if key else ""
    hint = FIELDS[key.group(1)].example if key and key.group(1) in FIELDS else 'city = "New York City"'
    return (
        f"{name}, line {line}{field}: this line is not written as TOML wants it ({reason}): put text in "
        f"double quotes and numbers, dates and true/false without them, e.g. {hint}."
    )


def _unknown_field(text: str, name: str, key: str) -> str:
    close = difflib.get_close_matches(key, FIELDS, n=1)
    instead = f'did you mean "{close[0]}"? Correct it' if close else "take it out"
    return f'{name}, line {line_of(text, key)}: there is no field "{key}": {instead} (every field: docs/settings.md).'
