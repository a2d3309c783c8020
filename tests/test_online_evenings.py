"""Evenings in person, online and both (issue 23): the invitation, the calendar
file and the schema.org data follow event.toml's attendance and meeting link;
a private link is in no built file; report_by reaches the results post and
`invoke report`."""

from __future__ import annotations

import json
import re
from datetime import date

import icalendar
import pytest
from pelican.plugins.event import flyer
from pelican.plugins.event.event_file import parse_event

from conftest import EVENT_FILE as SHIPPED_FILE
from conftest import (
    FIXTURE_TALLY,
    OUR_SITEURL,
    PUBLISH_SETTINGS,
    build,
    copy_content,
    invoke,
    make_it_ours,
    our_event,
    read,
)
from html_tools import visible_text

LINK = "https://meet.jit.si/w4r-group42-letters"
OURS = make_it_ours(SHIPPED_FILE.read_text(encoding="utf-8"))
HOW = {
    "in person": ('attendance = "in person"', 'meeting_link = ""'),
    "online": ('attendance = "online"\nvenue = ""\naddress = ""', f'meeting_link = "{LINK}"'),
    "both": ('attendance = "both"', f'meeting_link = "{LINK}"'),
}
MODES = {
    "in person": "https://schema.org/OfflineEventAttendanceMode",
    "online": "https://schema.org/OnlineEventAttendanceMode",
    "both": "https://schema.org/MixedEventAttendanceMode",
}


def event_file(how: str, private: bool = False) -> str:
    attendance, link = HOW[how]
    text = OURS.replace('attendance = "in person"', attendance).replace('meeting_link = ""', link)
    if attendance.count("\n"):  # online only: the venue and address lines given once, empty
        text = re.sub(r'(?m)^(venue|address) = "[^"]+"\n', "", text)
    return text.replace("meeting_link_private = false", f"meeting_link_private = {str(private).lower()}")


def public_build(tmp_path, text: str, today: date = date(2016, 12, 1)):
    event, facts = parse_event(text)
    assert facts == []
    overrides = {**our_event(PUBLISH_SETTINGS), "EVENT": event, "EVENT_EXAMPLE_FACTS": facts}
    content = copy_content(tmp_path, FIXTURE_TALLY)
    return build(content, tmp_path / "output", PUBLISH_SETTINGS, today=today, **overrides), event


def calendar_event(output):
    calendar = icalendar.Calendar.from_ical((output / "event.ics").read_bytes())
    [vevent] = calendar.walk("VEVENT")
    return vevent


def json_ld(output) -> dict:
    [data] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', read(output, "index.html"), re.S)
    return json.loads(data)


@pytest.mark.parametrize("how", ["in person", "online", "both"])
def test_each_kind_of_evening_has_its_calendar_file_and_schema_org_event(tmp_path, how):
    output, event = public_build(tmp_path, event_file(how))
    vevent = calendar_event(output)
    place = f"{event['venue']}, {event['address']}"
    assert vevent["URL"] == f"{OUR_SITEURL}/"
    assert (
        vevent["LOCATION"]
        == {"in person": place, "online": f"Online: {LINK}", "both": f"{place}; or online: {LINK}"}[how]
    )
    assert (vevent.get("CONFERENCE") == LINK) is (how != "in person")
    data = json_ld(output)
    for field in ("name", "startDate", "endDate", "location", "eventAttendanceMode", "eventStatus", "description"):
        assert data[field], field
    assert data["organizer"]["name"] == event["group"] and data["organizer"]["url"] == f"{OUR_SITEURL}/"
    assert data["image"].startswith(f"{OUR_SITEURL}/") and data["image"].endswith(".png")
    assert data["eventAttendanceMode"] == MODES[how]
    places = data["location"] if isinstance(data["location"], list) else [data["location"]]
    kinds = {"in person": ["Place"], "online": ["VirtualLocation"], "both": ["Place", "VirtualLocation"]}[how]
    assert [p["@type"] for p in places] == kinds
    for virtual in (p for p in places if p["@type"] == "VirtualLocation"):
        assert virtual["url"] == LINK
    text = visible_text(read(output, "index.html"))
    assert (LINK in text) is (how != "in person")
    assert ("Library hall, Jefferson Market Library" in text) is (how != "online")


@pytest.mark.parametrize("how", ["online", "both"])
def test_a_private_meeting_link_is_in_no_built_file(tmp_path, how):
    text = event_file(how, private=True)
    assert LINK in text
    output, event = public_build(tmp_path, text, today=date(2016, 12, 11))  # the results, the feed too
    assert LINK not in repr(event)
    files = [p for p in output.rglob("*") if p.is_file()]
    assert {"event.ics", "tally.json", "index.html"} <= {p.name for p in files}
    assert any(p.suffix == ".xml" for p in files)  # the feed and sitemap
    for path in files:
        assert LINK.encode() not in path.read_bytes() and b"meet.jit.si" not in path.read_bytes(), path
    page = visible_text(read(output, "index.html"))
    assert f"write to {event['rsvp_email']} for the meeting link" in page
    assert f"write to {event['rsvp_email']} for the link" in calendar_event(output)["LOCATION"]
    virtual = (
        [p for p in json_ld(output)["location"] if p["@type"] == "VirtualLocation"]
        if how == "both"
        else [json_ld(output)["location"]]
    )
    assert virtual[0]["url"] == f"{OUR_SITEURL}/"  # the site, which says whom to ask
    printed = flyer.render(event, "Write for Rights 2016", OUR_SITEURL, "<ul><li>A pen</li></ul>")
    assert LINK not in printed and f"write to {event['rsvp_email']} for the link" in printed


def test_the_reporting_deadline_is_on_the_results_post_and_in_the_report(tmp_path, project):
    text = OURS.replace('report_by = ""', "report_by = 2017-01-15")
    output, _ = public_build(tmp_path, text, today=date(2016, 12, 13))
    post = visible_text(read(output, "results.html"))
    assert "Our count goes to Amnesty International by Sunday 15 January 2017" in post
    (project / "event.toml").write_text(text, encoding="utf-8")
    before = invoke(project, "report", SOURCE_DATE_EPOCH="1481630400")  # 13 December 2016
    assert before.returncode == 0, before.stderr
    assert "Amnesty wants these numbers by Sunday 15 January 2017 (in 33 days)." in before.stdout
    after = invoke(project, "report", SOURCE_DATE_EPOCH="1484740800")  # 18 January 2017
    assert "The reporting deadline, Sunday 15 January 2017, has passed" in after.stdout
    without = OURS
    (project / "event.toml").write_text(without, encoding="utf-8")
    assert "deadline" not in invoke(project, "report").stdout
