"""invoke tally and invoke report, as the organizer runs them in a private copy
of the project: a checked row added (and many at once), the file's format kept,
bad input and a broken file refused before writing, the report on the screen and
as CSV, never over the tally or a file that exists, and a case that is not published."""

from __future__ import annotations

import csv
import json
import os
import shutil

import pytest
from pelican.plugins.tally.api import TallyError
from pelican.plugins.tally.appending import append_row

from command_tools import BROKEN_CSV, edit_once
from conftest import invoke, invoke_running, read, tally_csv


def test_adds_from_several_terminals_at_once_all_land(project):
    tally_csv(project).write_text("case,letters,cards,emails\n", encoding="utf-8")
    adds = [invoke_running(project, "tally", "--case", "Annie Alfred", "--letters", str(n)) for n in range(1, 7)]
    results = [add.communicate(timeout=180) for add in adds]
    assert [add.returncode for add in adds] == [0] * 6, results
    assert all(out.startswith("Added to content/data/tally.csv: Annie Alfred") for out, _ in results)
    rows = list(csv.reader(tally_csv(project).open(encoding="utf-8")))[1:]
    assert sorted(int(row[1]) for row in rows) == [1, 2, 3, 4, 5, 6]


def test_tally_refuses_a_count_above_the_ceiling_and_escapes_what_it_echoes(project):
    before = tally_csv(project).read_bytes()
    result = invoke(project, "tally", "--case", "Annie\x1b[2JAlfred", "--letters", "20000")
    assert result.returncode != 0 and "\x1b" not in result.stderr and "\\x1b[2J" in result.stderr
    result = invoke(project, "tally", "--case", "Annie Alfred", "--letters", "20000")
    assert result.returncode != 0 and "more than 10,000" in result.stderr
    assert tally_csv(project).read_bytes() == before


# 4. The report never destroys data ---------------------------------------------


def test_report_refuses_to_write_over_a_file_unless_forced(project, tmp_path):
    out = tmp_path / "report.csv"
    out.write_text("my notes\n", encoding="utf-8")
    result = invoke(project, "report", "--csv", str(out))
    assert result.returncode != 0 and "already exists" in result.stderr and "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "my notes\n"
    assert invoke(project, "report", "--csv", str(out), "--force").returncode == 0
    assert out.read_text(encoding="utf-8").startswith("Case,Country,Letters")


@pytest.mark.parametrize("spelling", ["content/data/tally.csv", "./content/data/../data/tally.csv", "link.csv"])
def test_report_never_writes_over_the_tally(project, spelling):
    (project / "link.csv").symlink_to(tally_csv(project))
    before = tally_csv(project).read_bytes()
    result = invoke(project, "report", "--csv", spelling, "--force")
    assert result.returncode != 0 and "is the tally CSV itself" in result.stderr
    assert tally_csv(project).read_bytes() == before


def test_report_csv_cannot_run_as_a_formula_and_reads_back_as_the_same_tally(project, tmp_path):
    edit_once(project / "content/cases/annie-alfred.md", "Title: Annie Alfred", "Title: =HYPERLINK(1+1)")
    edit_once(project / "content/cases/annie-alfred.md", "Country: Malawi", "Country: @Malawi")
    edit_once(project / "content/cases/eren-keskin.md", "Country: Turkey", "Country: -Turkey")
    tally_csv(project).write_text(
        "case,letters,cards,emails,participants\nannie-alfred,3,2,1,10\nEren Keskin,4,,,\n,,,,5\n", encoding="utf-8"
    )
    out = tmp_path / "report.csv"
    assert invoke(project, "report", "--csv", str(out)).returncode == 0
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert ["'=HYPERLINK(1+1)", "'@Malawi", "3", "2", "1", "6", ""] in rows
    assert ["Eren Keskin", "'-Turkey", "4", "0", "0", "4", ""] in rows
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)

    # The round trip: the report, used as the tally, gives every case the same numbers.
    assert rows[-1] == ["All cases", "", "7", "2", "1", "10", "15"]
    first = invoke(project, "report").stdout
    assert "Participants 15" in " ".join(first.split())
    shutil.copy(out, tally_csv(project))
    result = invoke(project, "report")
    assert result.returncode == 0, result.stderr
    assert result.stdout == first
    result = invoke(project, "build")
    assert result.returncode == 0, result.stderr
    assert "skipped the totals row on line 14 of the tally" in result.stdout


# 1. A totals row is skipped, said so, and checked ---------------------------------


def test_a_totals_row_is_skipped_in_the_build_summary_and_warned_about_when_wrong(project):
    tally_csv(project).write_text(
        "case,letters,e-mails\nAnnie Alfred,3,1\nEren Keskin,4,\nTotal,8,1\n", encoding="utf-8"
    )
    result = invoke(project, "build")
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert "skipped the totals row on line 4 of the tally; 8 actions counted" in last
    warning = " ".join((result.stdout + result.stderr).split())
    assert (
        'content/data/tally.csv, line 4: the totals row "Total" says 8 letters where the rows above add up to 7.'
    ) in warning
    assert json.loads(read(project / "output", "tally.json"))["letters"] == 7


# The public build and its case-sheet pack ------------------------------------


# invoke tally ------------------------------------------------------------


def test_tally_command_appends_one_checked_row(project):
    result = invoke(project, "tally", "--case", "maxima acuna", "--letters", " +3 ", "--cards", "1", "--emails", "")
    assert result.returncode == 0, result.stderr
    # What it says is what it wrote.
    assert result.stdout == "Added to content/data/tally.csv: Máxima Acuña, 3 letters, 1 card, 0 e-mails.\n"
    assert tally_csv(project).read_text(encoding="utf-8").endswith("\nMáxima Acuña,3,1,0,\n")
    assert invoke(project, "build").returncode == 0
    report = json.loads(read(project / "output", "tally.json"))
    assert report["total"] == 42 + 4


@pytest.mark.parametrize(
    "args, message",
    [
        (["--case", "Annie Alfrid", "--letters", "2"], 'unknown case "Annie Alfrid". Did you mean "Annie Alfred"?'),
        (["--case", "Annie Alfred", "--letters", "two"], '"two" in the "letters" column is not a whole number'),
        (["--case", "Annie Alfred", "--cards", "-1"], '"-1" in the "cards" column is negative'),
    ],
)
def test_tally_command_refuses_bad_input_before_writing(project, args, message):
    before = tally_csv(project).read_bytes()
    result = invoke(project, "tally", *args)
    assert result.returncode != 0
    assert message in result.stderr and "Nothing was written." in result.stderr
    assert tally_csv(project).read_bytes() == before


CASES = {"annie-alfred": ["Annie Alfred"], "maxima-acuna": ["Máxima Acuña"]}


@pytest.mark.parametrize(
    "original, added",
    [
        (b"case,letters,cards,emails\nAnnie Alfred,1,,\n", b"Annie Alfred,2,0,5\n"),
        (b"\xef\xbb\xbfcase;letters;writer;cards;emails\r\nAnnie Alfred;1;Jo;;\r\n", b"Annie Alfred;2;;0;5\r\n"),
        (b"case\tletters\temails\tcards\nAnnie Alfred\t1\t\t", b"\nAnnie Alfred\t2\t5\t0\n"),
    ],
)
def test_append_keeps_the_file_format(tmp_path, original, added):
    path = tmp_path / "tally.csv"
    path.write_bytes(original)
    assert append_row(path, "annie-alfred", {"letters": "2", "emails": "5"}, CASES) == "Annie Alfred"
    assert path.read_bytes() == original + added


def test_append_creates_a_missing_file(tmp_path):
    path = tmp_path / "data" / "tally.csv"
    append_row(path, "Máxima Acuña", {"letters": "4"}, CASES)
    assert path.read_text(encoding="utf-8") == "case,letters,cards,emails\nMáxima Acuña,4,0,0\n"


def test_append_refuses_a_count_the_file_has_no_column_for(tmp_path):
    path = tmp_path / "tally.csv"
    path.write_text("case,letters\nAnnie Alfred,1\n", encoding="utf-8")
    with pytest.raises(TallyError, match='has no "cards" column'):
        append_row(path, "Annie Alfred", {"letters": "1", "cards": "2"}, CASES)
    assert path.read_text(encoding="utf-8") == "case,letters\nAnnie Alfred,1\n"


def test_append_refuses_to_add_to_a_broken_file(tmp_path):
    path = tmp_path / "tally.csv"
    path.write_text(BROKEN_CSV, encoding="utf-8")
    with pytest.raises(TallyError, match="not a whole number"):
        append_row(path, "Annie Alfred", {"letters": "1"}, CASES)
    assert path.read_text(encoding="utf-8") == BROKEN_CSV


def test_an_interrupted_append_leaves_the_old_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "tally.csv"
    path.write_text("case,letters\nAnnie Alfred,1\n", encoding="utf-8")

    def crash(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        append_row(path, "Annie Alfred", {"letters": "9"}, CASES)
    assert path.read_text(encoding="utf-8") == "case,letters\nAnnie Alfred,1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".tally.csv.lock", "tally.csv"]  # no temporary file


# invoke report -----------------------------------------------------------


def test_report_prints_the_table_total_and_progress(project):
    result = invoke(project, "report")
    assert result.returncode == 0, result.stderr
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert "Case Country Letters Cards E-mails Total" in lines
    assert "Annie Alfred Malawi 11 6 2 19" in lines
    assert "All cases 24 12 6 42" in lines
    assert "42 actions: 35 % of our goal of 120." in lines


def test_report_as_csv(project, tmp_path):
    out = tmp_path / "report.csv"
    assert invoke(project, "report", "--csv", str(out)).returncode == 0
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["Case", "Country", "Letters", "Cards", "E-mails", "Total", "Participants"]
    assert ["Máxima Acuña", "Peru", "5", "3", "0", "8", ""] in rows
    assert rows[-1] == ["All cases", "", "24", "12", "6", "42", ""]  # participants not recorded in the fixture
    assert len(rows) == 14


def test_report_on_a_broken_csv_says_what_is_wrong(project):
    tally_csv(project).write_text(BROKEN_CSV, encoding="utf-8")
    result = invoke(project, "report")
    assert result.returncode != 0 and "not a whole number" in result.stderr and "Traceback" not in result.stderr


def test_report_into_a_folder_that_does_not_exist_is_one_line(project, tmp_path):
    out = tmp_path / "no-such-folder" / "report.csv"
    result = invoke(project, "report", "--csv", str(out))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"{out}: there is no folder {out.parent}. Create it or write the report elsewhere, e.g. --csv report.csv. "
        "Nothing was written."
    )
    assert not out.parent.exists()


@pytest.mark.parametrize("status", ["draft", "hidden"])
def test_a_case_that_is_not_published_is_named_as_such_by_tally_build_and_report(project, status):
    page = project / "content" / "cases" / "eren-keskin.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Order:", f"Status: {status}\nOrder:", 1), "utf-8")
    said = (
        f'"Eren Keskin" is the case of content/cases/eren-keskin.md, which is not published (its "Status" is '
        f"{status}). Publish the page, or take its rows out of the tally."
    )
    before = tally_csv(project).read_bytes()
    added = invoke(project, "tally", "--case", "Eren Keskin", "--letters", "5")
    assert added.returncode == 1 and said in added.stderr and "Nothing was written." in added.stderr
    assert tally_csv(project).read_bytes() == before
    # Typed into the spreadsheet instead: the site and the report refuse it alike (none counts it unseen).
    tally_csv(project).write_bytes(before + b"Eren Keskin,5,,\n")
    for command in ("build", "report"):
        result = invoke(project, command)
        assert result.returncode == 1 and said in result.stderr, (command, result.stderr)
