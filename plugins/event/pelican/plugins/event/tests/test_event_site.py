"""The event plugin in someone else's site (Pelican's stock theme), and what a
missing or wrong EVENT setting says."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime

import icalendar
import pytest
from pelican.plugins.event.settings import EventSettingError, check_event
from test_event_core import EVENT

SETTINGS = """import datetime
PLUGINS = ["pelican.plugins.event"]
TIMEZONE = "UTC"
FEED_ALL_ATOM = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
EVENT = {event}
"""


def pelican(tmp_path, event: dict) -> subprocess.CompletedProcess:
    """Pelican's command line on a one-page site with the event plugin alone."""
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "hello.md").write_text("Title: Hello\nDate: 2030-01-01\n\nHi.\n", encoding="utf-8")
    (tmp_path / "conf.py").write_text(SETTINGS.format(event=repr(event)), encoding="utf-8")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            "content",
            "-s",
            "conf.py",
            "-o",
            "output",
            "--fatal",
            "warnings",
            "--log-handler",
            "plain",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "400"},
    )


def test_a_stock_theme_site_gets_the_calendar_file(tmp_path):
    done = pelican(tmp_path, EVENT)
    assert done.returncode == 0, done.stdout + done.stderr
    calendar = icalendar.Calendar.from_ical((tmp_path / "output" / "event.ics").read_bytes())
    [event] = calendar.walk("VEVENT")
    assert event["SUMMARY"] == EVENT["name"] and event["DTSTART"].params["TZID"] == "Europe/Paris"


def test_a_missing_key_is_one_line_naming_it_without_a_traceback(tmp_path):
    done = pelican(tmp_path, {key: value for key, value in EVENT.items() if key != "venue"})
    output = done.stdout + done.stderr
    assert done.returncode != 0 and "Traceback" not in output and "KeyError" not in output
    assert 'EVENT has no "venue": add it, e.g. "venue": "Community room, Neighborhood Center".' in output
    assert not (tmp_path / "output" / "event.ics").exists()


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"start": "2030-03-02 18:00"},
            "EVENT[\"start\"] is '2030-03-02 18:00': write the local date and time "
            'without a time zone, e.g. "start": datetime(2016, 12, 10, 17, 0)',
        ),
        (
            {"timezone": "Paris"},
            'EVENT["timezone"] is \'Paris\', not a time zone name: e.g. "timezone": "America/New_York".',
        ),
        ({"rsvp_email": "nobody"}, "EVENT[\"rsvp_email\"] is 'nobody', not an e-mail address"),
        ({"end": datetime(2030, 3, 2, 17, 0)}, 'EVENT["end"] is not after EVENT["start"]'),
        ({"name": None}, 'EVENT["name"] is None: write it as text'),
        ({"description": 3}, 'EVENT["description"] is 3: write it as text'),
    ],
)
def test_a_wrong_value_names_the_key_and_a_good_value(change, message):
    with pytest.raises(EventSettingError) as caught:
        check_event({"EVENT": {**EVENT, **change}})
    assert str(caught.value).startswith(message)


def test_every_problem_at_once_one_line_each():
    with pytest.raises(EventSettingError) as caught:
        check_event({"EVENT": {"name": "Letters"}})
    lines = str(caught.value).splitlines()
    assert len(lines) == 7 and all(line.startswith("EVENT has no ") for line in lines)


def test_no_event_at_all():
    with pytest.raises(
        EventSettingError,
        match=r"^EVENT is None: set it to a dict of the event's details, "
        r"e.g. EVENT = \{'name': ",
    ):
        check_event({})


def test_a_good_event_passes():
    check_event({"EVENT": EVENT})
