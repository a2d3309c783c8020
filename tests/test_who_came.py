"""Who came (issue 16): the participants on the results post, added with
`invoke tally` and given in `invoke report`'s reporting form."""

from __future__ import annotations

import csv
import io
import json

from conftest import FIXTURE, invoke, read, site_with
from html_tools import visible_text


def test_results_post_says_how_many_people_took_part(tmp_path):
    output = site_with(tmp_path, "case,letters,participants\nAnnie Alfred,3,7\n,,12\nMáxima Acuña,2,\n")
    text = visible_text(read(output, "results.html"))
    assert "19 people took part." in text
    assert text.index("5 actions") < text.index("19 people took part.")
    assert json.loads(read(output, "tally.json"))["participants"] == 19


def test_one_person_and_not_recorded(tmp_path):
    one = visible_text(read(site_with(tmp_path / "a", "case,letters,participants\nAnnie Alfred,3,1\n"), "results.html"))
    assert "1 person took part." in one
    output = site_with(tmp_path / "b", FIXTURE)
    assert "took part" not in visible_text(read(output, "results.html"))  # never a made-up 0
    assert json.loads(read(output, "tally.json"))["participants"] is None


def test_tally_participants_then_report_gives_the_reporting_form(project):
    added = invoke(project, "tally", "--participants", "14")
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "Added to content/data/tally.csv: 14 participants."
    added = invoke(project, "tally", "--case", "Annie Alfred", "--letters", "2", "--participants", "1")
    assert added.stdout.strip() == (
        "Added to content/data/tally.csv: Annie Alfred, 2 letters, 0 cards, 0 e-mails; 1 participant."
    )
    report = invoke(project, "report")
    assert report.returncode == 0, report.stderr
    form = report.stdout.split("For Amnesty's reporting form")[1]
    lines = [" ".join(line.split()) for line in form.splitlines()[1:]]
    # The fixture: 24 letters, 12 cards, 6 e-mails; now 2 letters more and 15 people.
    assert lines == ["Letters 26", "Cards 12", "E-mails 6", "Actions in total 44", "Participants 15"]
    assert "Annie Alfred Malawi 13 6 2 21" in [" ".join(line.split()) for line in report.stdout.splitlines()]
    rows = list(csv.reader(io.StringIO(invoke(project, "report", "--csv", "-").stdout)))
    # The participants go on the totals row, so the file reads back as the same tally.
    assert rows[-1] == ["All cases", "", "26", "12", "6", "44", "15"]


def test_report_says_when_participants_are_not_recorded(project):
    form = invoke(project, "report").stdout.split("For Amnesty's reporting form")[1]
    assert "Participants not recorded (add them: invoke tally --participants N)" in " ".join(form.split())


def test_tally_with_nothing_to_add_says_what_to_give(project):
    before = (project / "content" / "data" / "tally.csv").read_bytes()
    result = invoke(project, "tally")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        'Say what to add: --case "Annie Alfred" --letters 3, or --participants 12. Nothing was written.'
    )
    assert (project / "content" / "data" / "tally.csv").read_bytes() == before
