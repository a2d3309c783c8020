"""Correction rows: a row with a note in the "correction" column takes counts
back (negative numbers), visibly, so sums stay right and nothing else changes."""

import pytest
from pelican.plugins.tally.appending import append_row
from pelican.plugins.tally.problems import TallyError
from pelican.plugins.tally.reading import read_tally
from tally_samples import CASES, parse, per_case, problems


def test_a_correction_row_takes_its_counts_back():
    tally = parse(
        "case,letters,cards,emails,participants,correction\n"
        "Annie Alfred,3,1,0,4,\n"
        "Edward Snowden,2,,,,\n"
        "Annie Alfred,-3,-1,0,-4,undo of desk add 1\n"
    )
    assert per_case(tally)["annie-alfred"] == (0, 0, 0)
    assert (tally.totals.total, tally.participants) == (2, 0)
    assert [key for key, _ in tally.latest] == ["edward-snowden"]  # the undone row left "just added"


def test_negative_counts_without_a_correction_note_are_still_refused():
    assert problems("case,letters,correction\nAnnie Alfred,3,\nAnnie Alfred,-3,\n") == [
        'tally.csv, line 3: "-3" in the "letters" column is negative. Counts start at 0.'
    ]
    assert problems("case,letters\nAnnie Alfred,-3\n") == [
        'tally.csv, line 2: "-3" in the "letters" column is negative. Counts start at 0.'
    ]


def test_a_negative_row_is_not_remembered_for_rows_without_a_note():
    """The fast path remembers clean rows; a correction's cells must never make a later '-3' pass."""
    assert problems("case,letters,correction\nAnnie Alfred,5,\nAnnie Alfred,-3,oops\nAnnie Alfred,-3,\n") == [
        'tally.csv, line 4: "-3" in the "letters" column is negative. Counts start at 0.'
    ]


def test_corrections_never_take_a_sum_below_zero():
    found = problems("case,letters,correction\nAnnie Alfred,2,\nAnnie Alfred,-3,undo\n")
    assert found == [
        "tally.csv, line 3: the corrections take more from the letters of Annie Alfred than was counted "
        "(-1 in all). A correction can only take back rows above it: check its numbers."
    ]
    assert "participants" in problems("case,letters,participants,correction\n,,-2,undo\n")[0]


def test_a_correction_stays_within_the_ceiling():
    found = problems("case,letters,correction\nAnnie Alfred,-20,undo\n", max_per_row=10)
    assert "more than 10, the most one row may hold" in found[0]


def test_a_correction_with_positive_numbers_adds_but_is_not_just_added():
    tally = parse("case,letters,correction\nAnnie Alfred,3,\nAnnie Alfred,2,forgot two\n")
    assert per_case(tally)["annie-alfred"] == (5, 0, 0)
    assert len(tally.latest) == 1


def test_appending_a_correction_adds_its_column_and_checks_the_sum(tmp_path):
    path = tmp_path / "tally.csv"
    path.write_text("case,letters,cards\nAnnie Alfred,3,1\n", encoding="utf-8")
    assert append_row(path, "annie-alfred", {"letters": "-3", "cards": "-1"}, CASES, correction="undo") == (
        "Annie Alfred"
    )
    assert path.read_text(encoding="utf-8") == (
        "case,letters,cards,correction\nAnnie Alfred,3,1\nAnnie Alfred,-3,-1,undo\n"  # the rows above read it as empty
    )
    assert read_tally(path, CASES).totals.total == 0
    before = path.read_bytes()
    with pytest.raises(TallyError, match="take more from the letters of Annie Alfred"):
        append_row(path, "Annie Alfred", {"letters": "-1"}, CASES, correction="undo")
    with pytest.raises(TallyError, match="is negative"):
        append_row(path, "Annie Alfred", {"letters": "-1"}, CASES)
    with pytest.raises(TallyError, match="one short line"):
        append_row(path, "Annie Alfred", {"letters": "1"}, CASES, correction="a\nb")
    assert path.read_bytes() == before


def test_while_locked_runs_once_the_row_is_on_disk_and_not_for_a_refused_row(tmp_path):
    path = tmp_path / "tally.csv"
    path.write_text("case,letters\n", encoding="utf-8")
    seen = []
    append_row(
        path, "Annie Alfred", {"letters": "2"}, CASES, while_locked=lambda name: seen.append((name, path.read_text()))
    )
    assert seen == [("Annie Alfred", "case,letters\nAnnie Alfred,2\n")]
    assert (tmp_path / ".tally.csv.lock").exists()
    with pytest.raises(TallyError):
        append_row(path, "Nobody", {"letters": "2"}, CASES, while_locked=lambda name: seen.append("no"))
    assert len(seen) == 1
