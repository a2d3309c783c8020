"""One home for the event's facts (issue 12): a new date reaches the title, the
heading and the calendar, and no year or strftime flag is written anywhere else."""

from __future__ import annotations

import re
from datetime import date, datetime

import icalendar
from pelican.plugins.event import dates
from pelican.settings import read_settings

from conftest import (
    CONTENT,
    EVENT_FILE,
    LOCAL_SETTINGS,
    ROOT,
    build,
    copy_content,
    copy_project,
    epoch,
    h1,
    invoke,
    our_event,
    read,
)
from html_tools import visible_text


def title(html: str) -> str:
    return visible_text(re.search(r"<title>(.*?)</title>", html, re.S).group(1))


def test_a_new_date_brings_its_year_to_title_heading_and_calendar(tmp_path):
    project = copy_project(tmp_path / "project")
    conf = project / "pelicanconf.py"
    facts = project / "event.toml"
    text = facts.read_text(encoding="utf-8")
    text = text.replace("start = 2016-12-10T17:00:00", "start = 2017-12-09T17:00:00")
    text = text.replace("end = 2016-12-10T20:30:00", "end = 2017-12-09T20:30:00")
    facts.write_text(text, encoding="utf-8")
    # Last year's results post would thank people before the new evening:
    # the build names it and builds nothing until it has a new date.
    refused = invoke(project, "build", SOURCE_DATE_EPOCH=epoch(date(2017, 12, 1)))
    assert refused.returncode == 1 and not (project / "output").exists()
    assert (
        'content/posts/results.md, line 2: shows the results (it has the line <!-- tally:results -->), but its "Date" '
        "2016-12-12 10:00 is before the evening ended (2017-12-09 20:30)." in refused.stderr
    )
    post = project / "content" / "posts" / "results.md"
    post.write_text(post.read_text(encoding="utf-8").replace("Date: 2016-12-12", "Date: 2017-12-11"), encoding="utf-8")
    result = invoke(project, "build", SOURCE_DATE_EPOCH=epoch(date(2017, 12, 1)))
    assert result.returncode == 0, result.stderr
    html = read(project / "output", "index.html")
    for place in (title(html), h1(html)):
        assert "2017" in place and "2016" not in place, place
    assert "Saturday 9 December 2017" in visible_text(html)
    [event] = icalendar.Calendar.from_ical((project / "output" / "event.ics").read_bytes()).walk("VEVENT")
    assert "2017" in event.to_ical().decode() and "2016" not in event.to_ical().decode()
    assert event.start.year == 2017
    # Every page's name follows, and the goal and author come from EVENT too.
    settings = read_settings(str(conf))
    assert settings["SITENAME"] == "Write for Rights 2017"
    assert settings["TALLY_GOAL"] == settings["EVENT"]["goal"] and settings["AUTHOR"] == settings["EVENT"]["group"]


def test_footer_of_every_page_names_group_city_organizer_and_contact(tmp_path):
    ours = our_event()
    output = build(copy_content(tmp_path), tmp_path / "out", **ours)
    event = ours["EVENT"]
    for page in output.glob("*.html"):
        footer = visible_text(page.read_text(encoding="utf-8").split('<footer class="site-footer">')[1])
        for fact in (event["group"], event["city"], event["organizer"], event["rsvp_email"]):
            assert fact in footer, (page.name, fact)


def test_no_year_is_written_outside_the_event_settings():
    templates = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "theme").rglob("*.html"))
    assert not re.search(r"\b20\d\d\b", templates)
    assert "2016" not in LOCAL_SETTINGS.read_text(encoding="utf-8")
    settings = EVENT_FILE.read_text(encoding="utf-8")
    assert [line.strip() for line in settings.splitlines() if "2016" in line and not line.startswith("#")] == [
        "start = 2016-12-10T17:00:00",
        "end = 2016-12-10T20:30:00",
    ]
    for page in ("pages/invitation.md", "pages/cases.md", "pages/guide.md"):
        header = (CONTENT / page).read_text(encoding="utf-8").split("\n\n")[0]
        assert "2016" not in header, page


def test_dates_are_written_without_strftime_flags():
    assert dates.long_date(date(2016, 12, 10)) == "Saturday 10 December 2016"
    assert dates.day_and_month(date(2016, 12, 12)) == "Monday 12 December"
    assert [dates.clock(datetime(2016, 1, 1, h, m)) for h, m in ((0, 30), (9, 5), (12, 0), (17, 0))] == [
        "12:30 AM",
        "9:05 AM",
        "12:00 PM",
        "5:00 PM",
    ]
    templates = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "theme").rglob("*.html"))
    assert not re.search(r"\.strftime\(|%-[a-zA-Z]", templates)
