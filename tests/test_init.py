"""`invoke init` (issue 23) driven through a real pseudo-terminal: each
question refuses a bad answer with its reason and asks again, the file keeps
its comments, the site built from it shows the answers, and Ctrl-C or the end
of input leaves event.toml exactly as it was."""

from __future__ import annotations

import os
import re
import sys
from datetime import date

import icalendar
import pexpect
import pytest
from pelican.plugins.event.event_file import read_event_file

from conftest import EVENT_FILE, copy_project, epoch, invoke, read
from html_tools import visible_text

# What each question says | an answer (empty: Enter) | the line a bad answer gets back, in order.
# "Your name" first takes the file's "Alex Example"; the time zone is suggested from the city.
SCRIPT = """
group's name | Amnesty International Example Group | is the example's
group's name | Amnesty International Groupe 7 |
Your city | Montréal |
Your name |  | is the example's
Your name | Camille Écrit |
contact e-mail | camille at groupe7 | is not an e-mail address
contact e-mail | lettres@groupe7-amnistie.ca |
online or both | sometimes | Type "in person", "online" or "both".
online or both | both |
place and room | Salle 2, Maison du quartier |
street address | 1 rue Saint-Denis, Montréal, QC |
meeting link | http://meet.jit.si/groupe7 | is not an address starting with https://
meeting link | https://meet.example.org/groupe7 | which is an example address
meeting link | https://meet.jit.si/groupe7-lettres |
private | maybe | Type "yes" or "no".
private | no |
The date | 7 December | is not a date written as year-month-day
The date | 2024-12-07 |
starts at | 25:00 | is not a time like 17:00
starts at | 6:00 PM |
ends at | 17:30 | must be after the start (18:00)
ends at | 21:30 |
(America/Montreal) | Mars/Olympus_Mons | is not a time zone name
time zone |  |
how many letters | 0 | is not a whole number above 0
how many letters | lots | is not a whole number above 0
how many letters | 150 |
public address | https://localhost:8000 | which is an address of this computer
public address | http://groupe7-amnistie.ca | is not an address starting with https://
public address | https://groupe7-amnistie.ca |
counts by | 2024-12-01 | is before the evening
counts by | 2025-01-15 |
languages | en klingon | "klingon" is no language code
languages | en it | The theme has no catalog for "it"
languages | en, fr |
"""
ANSWERS = [[part.strip() for part in row.split("|")] for row in SCRIPT.strip().splitlines()]
ANSWERS = [(question, reply, refused or None) for question, reply, refused in ANSWERS]


def spawn(project) -> pexpect.spawn:
    env = {**os.environ, "TERM": "xterm", "NO_COLOR": "1"}
    return pexpect.spawn(
        sys.executable,
        ["-m", "invoke", "init"],
        cwd=str(project),
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(24, 200),
    )


def answer(child: pexpect.spawn, answers) -> None:
    for question, reply, refused in answers:
        child.expect_exact(question)
        child.expect_exact(": ")  # the end of the prompt
        child.sendline(reply)
        if refused:
            child.expect_exact(refused)
            child.expect_exact("Try again.")


@pytest.fixture
def shipped(tmp_path):
    return copy_project(tmp_path / "project", ours=False)


def test_init_checks_each_answer_and_writes_event_toml_with_its_comments(shipped):
    child = spawn(shipped)
    answer(child, ANSWERS)
    child.expect_exact("Wrote event.toml.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    text = (shipped / "event.toml").read_text(encoding="utf-8")
    comments = [row for row in EVENT_FILE.read_text(encoding="utf-8").splitlines() if row.startswith("#")]
    assert comments and all(row in text.splitlines() for row in comments)
    event, facts = read_event_file(shipped / "event.toml")
    assert facts == []  # every example fact answered: nothing is the example's now
    assert (event["city"], event["timezone"], event["goal"]) == ("Montréal", "America/Montreal", 150)
    assert (event["start"].isoformat(), event["end"].isoformat()) == ("2024-12-07T18:00:00", "2024-12-07T21:30:00")
    assert event["report_by"].isoformat() == "2025-01-15" and event["attendance"] == "both"
    assert event["languages"] == ["en", "fr"]


def test_the_site_built_from_what_init_wrote_shows_the_answers(shipped):
    child = spawn(shipped)
    answer(child, [a for a in ANSWERS if a[2] is None])
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    post = shipped / "content" / "posts" / "results.md"  # as README says: a date after the new evening
    post.write_text(post.read_text(encoding="utf-8").replace("Date: 2016-12-12", "Date: 2024-12-09"), "utf-8")
    result = invoke(shipped, "build", SOURCE_DATE_EPOCH=epoch(date(2024, 12, 1)))
    assert result.returncode == 0, result.stderr
    home = read(shipped / "output", "index.html")
    text = visible_text(home)
    for shown in (
        "Saturday 7 December 2024",
        "6:00 PM to 9:30 PM",
        "Salle 2, Maison du quartier",
        "1 rue Saint-Denis, Montréal, QC",
        "https://meet.jit.si/groupe7-lettres",
        "Amnesty International Groupe 7, Montréal. Organized by Camille Écrit.",
        "lettres@groupe7-amnistie.ca",
    ):
        assert shown in text, shown
    assert "example-banner" not in home  # nothing left of the example's
    assert '<html lang="fr">' in read(shipped / "output", "fr/index.html")  # the second language's site
    [vevent] = icalendar.Calendar.from_ical((shipped / "output" / "event.ics").read_bytes()).walk("VEVENT")
    assert vevent["DTSTART"].params["TZID"] == "America/Montreal"


@pytest.mark.parametrize("how", ["Ctrl-C", "end of input"])
def test_stopping_init_leaves_event_toml_exactly_as_it_was(shipped, how):
    before = (shipped / "event.toml").read_bytes()
    child = spawn(shipped)
    answer(child, ANSWERS[1:3])  # a group and a city given, then stopped
    child.expect_exact("Your name")
    if how == "Ctrl-C":
        child.sendintr()
    else:
        child.sendeof()
    child.expect_exact("Stopped: event.toml was left exactly as it was.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert (shipped / "event.toml").read_bytes() == before
    assert not [p.name for p in shipped.iterdir() if re.match(r"\.event\.toml\.", p.name)]
