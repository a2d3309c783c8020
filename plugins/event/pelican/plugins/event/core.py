"""The event (EVENT in pelicanconf.py) as a calendar file and as schema.org data.

Plain Python with no Pelican import, so it can be tested alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timezone
from gettext import NullTranslations
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from icalendar import Calendar

# In every function here, `event` is the EVENT dict: name, description, start
# and end (local times, without a time zone), timezone (an IANA name such as
# "America/New_York"), venue, address, rsvp_email (the contact address),
# organizer (a person) and optionally group (the organizing group's name),
# attendance ("in person", the default, "online" or "both"), meeting_link
# (for an evening online; "" when it is private) and meeting_link_private.
# `site_url` is the site's absolute address, or "" when there is none yet (a
# local build): then no URL is written. `translations` (gettext's, from
# translations.translations_for) gives the words this module adds in the
# site's language; English by default.
ENGLISH = NullTranslations()

PRODID = "-//Write for Rights event site//event plugin//EN"


def event_times(event: Mapping) -> tuple[datetime, datetime]:
    """Start and end as times in the event's time zone."""
    zone = ZoneInfo(event["timezone"])
    return event["start"].replace(tzinfo=zone), event["end"].replace(tzinfo=zone)


def event_uid(event: Mapping) -> str:
    """The same for every build of this year's event, even when its time or place
    changes, so a calendar that imports the file again updates the event
    instead of adding a second one."""
    name = re.sub(r"[^a-z0-9]+", "-", event["name"].lower()).strip("-")
    domain = event["rsvp_email"].rpartition("@")[2]
    return f"{name}-{event['start']:%Y}@{domain}"


ATTENDANCE_MODES = {
    "in person": "https://schema.org/OfflineEventAttendanceMode",
    "online": "https://schema.org/OnlineEventAttendanceMode",
    "both": "https://schema.org/MixedEventAttendanceMode",
}


def attendance(event: Mapping) -> str:
    return event.get("attendance") or "in person"


def online_place(event: Mapping, translations=ENGLISH) -> str:
    """Where to join online: the meeting link, or (a private one) whom to ask for it."""
    _ = translations.gettext
    return event.get("meeting_link") or _("write to %(email)s for the link") % {"email": event["rsvp_email"]}


def location(event: Mapping, translations=ENGLISH) -> str:
    """The place as a calendar shows it: the venue, the meeting link, or both."""
    _ = translations.gettext
    place = f"{event['venue']}, {event['address']}"
    online = online_place(event, translations)
    if attendance(event) == "online":
        return _("Online: %(online)s") % {"online": online}
    if attendance(event) == "both":
        return _("%(place)s; or online: %(online)s") % {"place": place, "online": online}
    return place


def event_calendar(event: Mapping, site_url: str = "", stamp: datetime | None = None, translations=ENGLISH) -> Calendar:
    """An iCalendar (RFC 5545) calendar holding the one event.

    ``stamp`` is the DTSTAMP (when the file was made; default now, in UTC).
    """
    # Imported here, when the file is written: it costs a third of a build's start-up.
    from icalendar import Calendar, Event, vCalAddress

    start, end = event_times(event)
    description = event.get("description", "")
    coming = translations.gettext("Coming? Tell us by e-mail: %(email)s") % {"email": event["rsvp_email"]}
    description += f"\n\n{coming}"
    if site_url:
        description += f"\n\n{site_url}/"
    organizer = vCalAddress(f"mailto:{event['rsvp_email']}")
    organizer.params["CN"] = event["organizer"]

    vevent = Event.new(
        uid=event_uid(event),
        stamp=stamp or datetime.now(timezone.utc),
        start=start,
        end=end,
        summary=event["name"],
        description=description.strip(),
        location=location(event, translations),
        organizer=organizer,
        url=f"{site_url}/" if site_url else None,
    )
    if attendance(event) != "in person" and event.get("meeting_link"):
        # RFC 7986: where to join, for calendars that show a "Join" button.
        vevent.add("conference", event["meeting_link"], parameters={"VALUE": "URI", "FEATURE": "VIDEO"})
    calendar = Calendar()  # not Calendar.new(), which adds a new random UID every build
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(vevent)
    # The time zone's rules, for calendars that don't know it by name; the years
    # around the event are enough.
    calendar.add_missing_timezones(first_date=date(start.year - 1, 1, 1), last_date=date(end.year + 1, 12, 31))
    return calendar


def event_json_ld(event: Mapping, site_url: str = "", translations=ENGLISH) -> dict:
    """A schema.org Event, for search engines: https://schema.org/Event."""
    start, end = event_times(event)
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event["name"],
        "description": event.get("description", ""),
        "startDate": start.isoformat(),  # with the UTC offset, e.g. -05:00
        "endDate": end.isoformat(),
        # Still right after the evening: schema.org has no "took place" status;
        # EventScheduled means it happens (happened) as announced.
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": ATTENDANCE_MODES[attendance(event)],
        "location": json_ld_location(event, site_url, translations),
        "isAccessibleForFree": True,
        "organizer": {
            "@type": "Organization",
            "name": event.get("group") or event["organizer"],
            "email": event["rsvp_email"],
        },
    }
    if site_url:
        data["url"] = data["organizer"]["url"] = f"{site_url}/"
    if not data["description"]:
        del data["description"]
    return data


def json_ld_location(event: Mapping, site_url: str = "", translations=ENGLISH) -> dict | list[dict]:
    """A Place, a VirtualLocation (its url the meeting link; for a private
    one the site, which says whom to ask), or both."""
    place = {"@type": "Place", "name": event["venue"], "address": event["address"]}
    online = {"@type": "VirtualLocation"}
    if event.get("meeting_link"):
        online["url"] = event["meeting_link"]
    else:
        online["name"] = translations.gettext("Online: %(online)s") % {"online": online_place(event, translations)}
        if site_url:
            online["url"] = f"{site_url}/"
    return {"in person": place, "online": online, "both": [place, online]}[attendance(event)]
