"""Totals rows: skipped, not counted, and checked against the rows above them."""

import pytest
from tally_samples import parse, per_case, problems

# Totals rows ---------------------------------------------------------------


@pytest.mark.parametrize("label", ["Total", "TOTALS", "All cases", "sum", "Grand total"])
def test_a_totals_row_is_skipped_not_counted(label):
    tally = parse(f"case,letters,cards\nAnnie Alfred,3,1\nEdward Snowden,4,\n{label},7,1\n")
    assert tally.totals.letters == 7 and tally.totals.cards == 1 and tally.rows == 2
    assert tally.skipped == [4] and tally.warnings == []


def test_a_totals_row_that_disagrees_warns_with_its_line():
    tally = parse("case,letters,cards\nAnnie Alfred,3,1\nEdward Snowden,4,\nTotal,8,1\n")
    assert tally.totals.letters == 7 and tally.skipped == [4]
    [warning] = [str(w) for w in tally.warnings]
    assert warning.startswith("tally.csv, line 4:")
    assert "8 letters where the rows above add up to 7" in warning and "cards" not in warning


def test_a_totals_row_with_text_in_it_only_warns():
    tally = parse("case,letters\nAnnie Alfred,3\nTotal,=SUM(B2)\n")
    assert tally.totals.letters == 3 and len(tally.warnings) == 1


def test_the_report_csv_reads_back_as_a_tally():
    report = (
        "Case,Country,Letters,Cards,E-mails,Total\r\nAnnie Alfred,Malawi,11,6,2,19\r\n"
        "Máxima Acuña,Peru,5,3,0,8\r\nEdward Snowden,USA,0,0,0,0\r\nAll cases,,16,9,2,27\r\n"
    )
    tally = parse(report)
    assert per_case(tally) == {"annie-alfred": (11, 6, 2), "maxima-acuna": (5, 3, 0), "edward-snowden": (0, 0, 0)}
    assert tally.warnings == [] and tally.skipped == [5]


def test_participants_on_the_totals_row_only_are_the_participants():
    tally = parse("case,letters,participants\nAnnie Alfred,3,\nAll cases,3,25\n")
    assert tally.participants == 25 and tally.totals.letters == 3 and tally.warnings == []


def test_participants_in_the_rows_and_a_totals_row_that_agrees_are_read():
    tally = parse("case,letters,participants\nAnnie Alfred,3,10\n,,5\nTotal,3,15\n")
    assert tally.participants == 15 and tally.warnings == []


def test_participants_in_the_rows_and_a_different_totals_row_are_refused():
    # `invoke report --csv` writes 25 on the totals row; someone then adds 3 on a row of its own.
    [message] = problems("case,letters,participants\nAnnie Alfred,3,\nAll cases,3,25\n,,3\n")
    assert message == (
        "tally.csv, line 3: the totals row says 25 participants, but the other rows add up to 3. Write the "
        "participants in one place: on the rows (and empty this cell), or on the totals row alone."
    )


def test_two_totals_rows_with_participants_are_refused():
    text = "case,letters,participants\nAnnie Alfred,7,\nAll cases,7,25\nEdward Snowden,5,\nTotal,12,30\n"
    [message] = problems(text)
    assert message == (
        "tally.csv, line 5: the totals rows on lines 3 and 5 each give participants (25, 30). "
        "Keep the number on one of them."
    )
