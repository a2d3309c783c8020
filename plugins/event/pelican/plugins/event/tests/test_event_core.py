"""The event core alone: the calendar file and the schema.org data, from an
EVENT dict, without Pelican."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from pelican.plugins.event import casesheets
from pelican.plugins.event.core import event_calendar, event_json_ld, event_uid

EVENT = {
    "name": "Letters & Cards Night",
    "description": "Bring a pen.",
    "start": datetime(2030, 3, 2, 18, 0),
    "end": datetime(2030, 3, 2, 21, 0),
    "timezone": "Europe/Paris",
    "venue": "Salle des fêtes",
    "address": "1 rue Exemple, Lyon",
    "rsvp_email": "lettres@example.net",
    "organizer": "Groupe local",
}
STAMP = datetime(2030, 1, 1, 12, 0, tzinfo=timezone.utc)


def the_event(calendar):
    [event] = calendar.walk("VEVENT")
    return event


def test_calendar_holds_the_event_in_its_time_zone():
    event = the_event(event_calendar(EVENT, "https://letters.example", stamp=STAMP))
    assert event["SUMMARY"] == "Letters & Cards Night"
    assert event.start == datetime(2030, 3, 2, 18, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert event.start.utcoffset().total_seconds() == 3600  # winter: UTC+1
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event["LOCATION"] == "Salle des fêtes, 1 rue Exemple, Lyon"
    assert event["DTSTAMP"].dt == STAMP
    assert event["URL"] == "https://letters.example/"
    assert event["DESCRIPTION"] == (
        "Bring a pen.\n\nComing? Tell us by e-mail: lettres@example.net\n\nhttps://letters.example/"
    )


def test_without_a_site_address_no_url_is_written():
    event = the_event(event_calendar(EVENT, stamp=STAMP))
    assert "URL" not in event and "http" not in event["DESCRIPTION"]
    assert "url" not in event_json_ld(EVENT)


def test_uid_stays_when_the_time_or_place_changes():
    moved = {**EVENT, "start": datetime(2030, 3, 9, 17, 0), "venue": "Elsewhere"}
    assert event_uid(moved) == event_uid(EVENT) == "letters-cards-night-2030@example.net"
    assert event_uid({**EVENT, "start": datetime(2031, 3, 1, 18, 0)}) != event_uid(EVENT)


def test_json_ld_is_a_schema_org_event_with_offsets():
    data = event_json_ld(EVENT, "https://letters.example")
    assert (data["@type"], data["name"]) == ("Event", "Letters & Cards Night")
    assert (data["startDate"], data["endDate"]) == ("2030-03-02T18:00:00+01:00", "2030-03-02T21:00:00+01:00")
    assert data["location"] == {"@type": "Place", "name": "Salle des fêtes", "address": "1 rue Exemple, Lyon"}
    assert data["url"] == data["organizer"]["url"] == "https://letters.example/"


def test_json_ld_leaves_out_an_empty_description():
    assert "description" not in event_json_ld({**EVENT, "description": ""})


@pytest.mark.parametrize(
    "url, root",
    [
        ("annie-alfred.html", casesheets.LOCAL_ORIGIN),
        ("https://w4r.example/annie-alfred.html", "https://w4r.example/"),
        ("https://someone.github.io/letters/annie-alfred.html", "https://someone.github.io/letters/"),
    ],
)
def test_pages_are_served_to_chromium_from_the_built_folder(tmp_path, url, root):
    (tmp_path / "annie-alfred.html").write_text("<h1>Annie Alfred</h1>")
    assert casesheets._site_root(tmp_path, url) == root


def test_a_case_url_that_is_no_page_of_the_site_is_refused(tmp_path):
    with pytest.raises(casesheets.PackError, match="is not a page of"):
        casesheets._site_root(tmp_path, "https://w4r.example/missing.html")
