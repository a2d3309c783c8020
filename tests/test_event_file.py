"""The event's facts in event.toml (issue 23): each kind of mistake in the file
is one sentence naming the file, the line and the field, in process, in every
command (nothing changed, no traceback) and in make serve's box, which a save
of event.toml rebuilds."""

from __future__ import annotations

import html
import json
import re

import pytest
from pelican.plugins.event.event_file import EventFileError, parse_event, read_event_file
from pelican.settings import read_settings

from command_tools import banner, edit_once, write
from conftest import EVENT_FILE, LOCAL_SETTINGS, free_port, invoke, snapshot, tally_csv, wait_for
from support.dev_server import DevServer

SHIPPED = EVENT_FILE.read_text(encoding="utf-8")


def line(text: str, starting: str) -> int:
    return next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith(starting))


# (what is changed in the shipped file, into what; the sentence, with {line} the changed line's)
MISTAKES = {
    "TOML syntax": (
        ('city = "New York City"', "city = New York City"),
        "event.toml, line {line} (city): this line is not written as TOML wants it (invalid value): put text in "
        'double quotes and numbers, dates and true/false without them, e.g. city = "New York City".',
    ),
    "a wrong type": (
        ("goal = 120", 'goal = "120"'),
        'event.toml, line {line}: goal is "120", not a whole number above 0 (without quotes): write it as goal = 120.',
    ),
    "an unknown field": (
        ('city = "New York City"', 'citty = "New York City"'),
        'event.toml, line {line}: there is no field "citty": did you mean "city"? Correct it '
        "(every field: docs/settings.md).",
    ),
    "a missing field": (
        ('organizer = "Alex Example"\n', ""),
        'event.toml has no "organizer": add a line such as organizer = "Robin Writer" (or run invoke init, '
        'see "Make it yours" in README.md).',
    ),
    "an end before the start": (
        ("end = 2016-12-10T20:30:00", "end = 2016-12-10T16:30"),
        "event.toml, line {line}: end (2016-12-10 16:30) is not after start (2016-12-10 17:00): put the time "
        "the evening ends, e.g. end = 2016-12-10T20:30:00.",
    ),
    "a bad time zone": (
        ('timezone = "America/New_York"', 'timezone = "America/New_Yrok"'),
        'event.toml, line {line}: timezone is "America/New_Yrok", not a time zone name: write it as '
        'timezone = "America/New_York".',
    ),
    "a date that is no date": (
        ("start = 2016-12-10T17:00:00", "start = 2016-13-10T17:00:00"),
        "event.toml, line {line} (start): this line is not written as TOML wants it (expected newline or end of "
        "document after a statement): put text in double quotes and numbers, dates and true/false without them, "
        "e.g. start = 2016-12-10T17:00:00.",
    ),
    "a time with a zone": (
        ("start = 2016-12-10T17:00:00", "start = 2016-12-10T17:00:00-05:00"),
        "event.toml, line {line}: start is 2016-12-10T17:00:00-05:00, a date and time with a time zone (the time "
        "zone goes in timezone): write it as start = 2016-12-10T17:00:00.",
    ),
    "an evening online without its link": (
        ('attendance = "in person"', 'attendance = "online"'),
        "event.toml, line {line}: meeting_link is empty, but the evening is online: write it as "
        'meeting_link = "https://meet.jit.si/write-for-rights" (and meeting_link_private = true if only guests '
        "who write to you may have it).",
    ),
}


def broken(kind: str) -> tuple[str, str]:
    """The shipped file with one mistake of `kind`, and the sentence it gives."""
    (old, new), said = MISTAKES[kind]
    assert old in SHIPPED
    text = SHIPPED.replace(old, new, 1)
    if kind == "an evening online without its link":
        where = line(text, "meeting_link =")
    else:
        where = line(text, new.split(" =")[0] + " =") if new else 0
    return text, said.format(line=where)


def test_the_shipped_file_gives_the_event_as_pelicanconf_had_it():
    event, facts = read_event_file(EVENT_FILE)
    assert event == read_settings(str(LOCAL_SETTINGS))["EVENT"]
    assert event["start"].isoformat() == "2016-12-10T17:00:00" and event["goal"] == 120
    assert facts == ["start", "end", "city", "timezone", "goal"]
    # Times without seconds, as TOML 1.1 allows, are read too.
    short = SHIPPED.replace("T17:00:00", "T17:00")
    assert parse_event(short)[0]["start"] == event["start"]


@pytest.mark.parametrize("kind", MISTAKES)
def test_each_mistake_is_one_sentence_naming_the_file_line_and_field(kind):
    text, said = broken(kind)
    with pytest.raises(EventFileError) as raised:
        parse_event(text)
    assert str(raised.value) == said
    assert "\n" not in said and said.count(". ") <= 1  # one sentence


@pytest.mark.parametrize("kind", ["TOML syntax", "a wrong type", "an end before the start", "a bad time zone"])
def test_each_mistake_stops_every_command_with_its_line_and_changes_nothing(project, kind):
    assert invoke(project, "build").returncode == 0
    before = snapshot(project)
    text, said = broken(kind)
    write(project / "event.toml", text)
    before["event.toml"] = text.encode()
    commands = (["build"], ["report"], ["tally", "--case", "Annie Alfred", "--letters", "1"], ["preview"], ["init"])
    for command in commands:
        result = invoke(project, *command)
        assert result.returncode == 1, command
        assert "Traceback" not in result.stderr, (command, result.stderr)
        assert any(row.startswith(said) for row in result.stderr.splitlines()), (command, result.stderr)
    assert snapshot(project) == before


def test_make_serve_shows_the_sentence_keeps_the_site_and_rebuilds_when_event_toml_is_saved(project):
    running = DevServer(project, free_port())
    try:
        assert wait_for(lambda: running.total() == 42), running.text()
        good = (project / "event.toml").read_text(encoding="utf-8")
        _, said = broken("an end before the start")  # the made-ours file has the shipped lines
        write(project / "event.toml", good.replace("end = 2016-12-10T20:30:00", "end = 2016-12-10T16:30", 1))
        assert wait_for(lambda: banner(running.get("index.html")) is not None), running.text()
        box = html.unescape(" ".join(re.sub(r"<[^>]+>", " ", banner(running.get("index.html"))).split()))
        assert said in box and "Traceback" not in box
        assert said in running.text() and running.total() == 42  # the last good site, still served
        # Saved again, fixed and with a new goal: read again and built.
        write(project / "event.toml", good.replace("goal = 120", "goal = 150"))
        assert wait_for(lambda: json.loads(running.get("tally.json"))["goal"] == 150), running.text()
        assert banner(running.get("index.html")) is None
    finally:
        running.stop()


def test_a_missing_event_file_is_one_line(project):
    (project / "event.toml").unlink()
    result = invoke(project, "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("event.toml cannot be read (No such file or directory): put it back")


def test_the_tally_still_counts_after_a_mistake_is_fixed(project):
    """A mistake leaves the tally alone: the row is added once the file is right."""
    good = (project / "event.toml").read_text(encoding="utf-8")
    edit_once(project / "event.toml", "goal = 120", "goal = -3")
    before = tally_csv(project).read_bytes()
    assert invoke(project, "tally", "--case", "Annie Alfred", "--letters", "1").returncode == 1
    assert tally_csv(project).read_bytes() == before
    write(project / "event.toml", good)
    assert invoke(project, "tally", "--case", "Annie Alfred", "--letters", "1").returncode == 0
