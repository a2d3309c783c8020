"""Before and after the evening (issue 12): the home page is the invitation until
the day, then leads with the results, and the calendar and structured data stay valid."""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import icalendar
import pytest
from pelican.plugins.event import dates

from conftest import FIXTURE_TALLY, LOCAL_SETTINGS, PUBLISH_SETTINGS, ROOT, build, copy_content, h1, our_event, read
from html_tools import visible_text


@pytest.fixture(scope="module")
def phases(tmp_path_factory):
    """The site made ours, with and without counts, on four days around Saturday 10 December 2016."""
    days = {
        "before": date(2016, 12, 9),
        "on the day": date(2016, 12, 10),
        "after": date(2016, 12, 11),
        "long after": date(2017, 3, 1),
    }
    built = {}
    for counted in (False, True):
        root = tmp_path_factory.mktemp("phases")
        content = copy_content(root, FIXTURE_TALLY if counted else None)
        for name, day in days.items():
            built[name, counted] = build(
                content, root / name.replace(" ", "-"), PUBLISH_SETTINGS, today=day, **our_event(PUBLISH_SETTINGS)
            )
    return built


@pytest.mark.parametrize("day", ["before", "on the day"])
@pytest.mark.parametrize("counted", [False, True])
def test_until_the_evening_the_home_page_is_the_invitation(phases, day, counted):
    html = read(phases[day, counted], "index.html")
    assert h1(html) == "Write for Rights 2016: An evening of letters in New York City"
    text = visible_text(html)
    assert text.index("When and where") < text.index("What to bring")
    assert "Coming? Tell us by e-mail" in text and "took place" not in text


@pytest.mark.parametrize("day", ["after", "long after"])
def test_after_the_evening_the_home_page_leads_with_the_results(phases, day):
    text = visible_text(read(phases[day, True], "index.html"))
    assert "Write for Rights 2016 in New York City: thank you" in text
    assert "took place on Saturday 10 December 2016" in text
    assert text.index("42 actions — 35 % of our goal") < text.index("The invitation, as it was")
    assert text.index("Thank you: our letters") < text.index("The invitation, as it was")
    # The invitation stays below, as a record.
    assert (
        text.index("The invitation, as it was")
        < text.index("What to bring")
        < text.index("cases we wrote for: people and communities")
    )


def test_after_the_evening_without_counts_the_home_page_says_when_they_come(phases):
    text = visible_text(read(phases["after", False], "index.html"))
    assert text.index("took place") < text.index("the numbers appear here in the week of Monday 12 December")
    assert text.index("in the week of Monday 12 December") < text.index("The invitation, as it was")


def test_long_after_the_evening_without_counts_no_past_week_is_promised(phases):
    text = visible_text(read(phases["long after", False], "index.html"))
    assert "No letters have been counted yet" in text and "the numbers appear here once they are counted" in text
    assert "12 December" not in text


def test_calendar_and_structured_data_stay_valid_on_every_day(phases):
    uids = set()
    for (day, counted), output in phases.items():
        data = json.loads(
            re.search(r'<script type="application/ld\+json">(.*?)</script>', read(output, "index.html"), re.S).group(1)
        )
        assert data["@type"] == "Event" and data["eventStatus"] == "https://schema.org/EventScheduled"
        assert data["startDate"] == "2016-12-10T17:00:00-05:00"
        [event] = icalendar.Calendar.from_ical((output / "event.ics").read_bytes()).walk("VEVENT")
        uids.add(str(event["UID"]))
    assert len(uids) == 1  # the same event, whatever the day of the build


def test_the_day_is_the_day_where_the_event_happens():
    event = our_event()["EVENT"]
    late_saturday = str(int(datetime(2016, 12, 11, 3, 0, tzinfo=timezone.utc).timestamp()))  # 22:00 in New York
    today = dates.build_date(ZoneInfo(event["timezone"]), {"SOURCE_DATE_EPOCH": late_saturday})
    assert today == date(2016, 12, 10) and dates.phase(event, today) == "on the day"


def test_a_bad_source_date_epoch_is_refused_clearly(tmp_path):
    env = {**os.environ, "COLUMNS": "400", "SOURCE_DATE_EPOCH": "yesterday"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            str(copy_content(tmp_path)),
            "-s",
            str(LOCAL_SETTINGS),
            "-o",
            str(tmp_path / "out"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    message = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0 and "Traceback" not in message
    assert 'SOURCE_DATE_EPOCH is "yesterday": set it to a number of seconds' in message


def test_after_the_evening_the_invitation_is_a_section_with_its_own_headings_below(phases):
    html = read(phases["after", True], "index.html")
    outline = [
        (int(level), visible_text(text)) for level, text in re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", html, re.S)
    ]
    at = outline.index((2, "The invitation, as it was"))
    inside = list(itertools.takewhile(lambda heading: heading[0] > 2, outline[at + 1 :]))
    assert (3, "When and where") in inside and (3, "What to bring") in inside
    assert {level for level, _ in inside} == {3}


@pytest.mark.parametrize("counted", [False, True])
def test_after_the_evening_shares_and_search_results_no_longer_invite(phases, counted):
    html = read(phases["after", counted], "index.html")
    [description] = re.findall(r'<meta name="description" content="([^"]*)"', html)
    [shared] = re.findall(r'<meta property="og:description" content="([^"]*)"', html)
    expected = "Our Write for Rights letter-writing evening in New York City took place on Saturday 10 December 2016."
    if counted:
        expected += " Together we wrote 42 letters, cards and e-mails."
    assert description == shared == expected
    before = read(phases["before", counted], "index.html")
    assert re.findall(r'<meta name="description" content="([^"]*)"', before)[0].startswith("Join us")
