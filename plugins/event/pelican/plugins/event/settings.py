"""The event plugin's settings: EVENT, checked before every build, so that a
missing or wrong key is one line naming it and a good value, not a KeyError.

No Pelican import: `settings` is any mapping (Pelican's settings dict).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Every key the plugin reads, with an example value for the messages.
EXAMPLE = {
    "name": '"Write for Rights letter-writing evening"',
    "start": "datetime(2016, 12, 10, 17, 0)",
    "end": "datetime(2016, 12, 10, 20, 30)",
    "timezone": '"America/New_York"',
    "venue": '"Community room, Neighborhood Center"',
    "address": '"1 Main Street, Springfield"',
    "rsvp_email": '"letters@example.org"',
    "organizer": '"Amnesty International local group"',
}


# Not needed for an evening online only (EVENT["attendance"] = "online").
PLACE = ("venue", "address")
ATTENDANCE = ("in person", "online", "both")


class EventSettingError(ValueError):
    """EVENT cannot be used: one line per problem, naming the key and a good value."""


def check_event(settings: Mapping) -> None:
    """Raise EventSettingError listing everything wrong with EVENT."""
    event = settings.get("EVENT")
    if not isinstance(event, Mapping):
        raise EventSettingError(
            f"EVENT is {event!r}: set it to a dict of the event's details, e.g. EVENT = "
            f"{{{', '.join(f'{key!r}: {value}' for key, value in EXAMPLE.items())}}}."
        )
    online_only = event.get("attendance") == "online"
    problems = [_key_problem(event, key) for key in EXAMPLE if not (online_only and key in PLACE)]
    problems += _online_problems(event)
    if not isinstance(event.get("description", ""), str):
        problems.append(
            f'EVENT["description"] is {event["description"]!r}: write it as text, '
            'e.g. "description": "An evening of letters for human rights." (or leave it out).'
        )
    if not any(problems) and event["end"] <= event["start"]:
        problems.append(
            f'EVENT["end"] is not after EVENT["start"]: e.g. "start": {EXAMPLE["start"]}, "end": {EXAMPLE["end"]}.'
        )
    problems = [problem for problem in problems if problem]
    if problems:
        raise EventSettingError("\n".join(problems))


def _key_problem(event: Mapping, key: str) -> str | None:
    hint = f'"{key}": {EXAMPLE[key]}'
    if key not in event:
        return f'EVENT has no "{key}": add it, e.g. {hint}.'
    value = event[key]
    if key in ("start", "end"):
        if isinstance(value, datetime) and value.tzinfo is None:
            return None
        return (
            f'EVENT["{key}"] is {value!r}: write the local date and time without a time zone, '
            f"e.g. {hint} (from datetime import datetime)."
        )
    if not isinstance(value, str) or not value.strip():
        return f'EVENT["{key}"] is {value!r}: write it as text, e.g. {hint}.'
    if key == "timezone" and not _is_zone(value):
        return f'EVENT["timezone"] is {value!r}, not a time zone name: e.g. {hint}.'
    if key == "rsvp_email" and "@" not in value:
        return f'EVENT["rsvp_email"] is {value!r}, not an e-mail address: e.g. {hint}.'
    return None


def _online_problems(event: Mapping) -> list[str]:
    """An evening online or both needs a meeting link, or one marked private."""
    attendance = event.get("attendance", "in person")
    if attendance not in ATTENDANCE:
        choices = ", ".join(f'"{choice}"' for choice in ATTENDANCE)
        return [f'EVENT["attendance"] is {attendance!r}: write one of {choices}.']
    link = event.get("meeting_link") or ""
    if not isinstance(link, str) or (link and not link.startswith("https://")):
        return [f'EVENT["meeting_link"] is {link!r}: write the meeting\'s address, e.g. "https://meet.jit.si/letters".']
    if attendance != "in person" and not link and not event.get("meeting_link_private"):
        return [
            f'EVENT has no "meeting_link" for an evening {attendance}: add it, e.g. "meeting_link": '
            '"https://meet.jit.si/letters" (and "meeting_link_private": True to keep it off the site).'
        ]
    return []


def _is_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
