"""The tally core adding up a CSV's rows: counts per case, the latest rows, participants, rows that would not count."""

import pytest
from tally_samples import parse, problems


def test_adds_up_letters_cards_and_emails_per_case():
    tally = parse("case,letters,cards,emails\nAnnie Alfred,3,1,2\nannie-alfred,4,,\nEdward Snowden,1,0,0\n")
    annie = tally.counts["annie-alfred"]
    assert (annie.letters, annie.cards, annie.emails, annie.total) == (7, 1, 2, 10)
    assert tally.counts["maxima-acuna"].total == 0
    assert (tally.totals.letters, tally.totals.total, tally.rows) == (8, 11, 3)


def test_latest_rows_are_the_last_five_counted_oldest_first():
    rows = "".join(f"Annie Alfred,{n},,\n" for n in range(1, 8))
    tally = parse("case,letters,cards,emails\n" + rows + "\n,,,\nMáxima Acuña,0,2,1\n")
    assert [(key, c.letters, c.cards, c.emails) for key, c in tally.latest] == [
        ("annie-alfred", 4, 0, 0),
        ("annie-alfred", 5, 0, 0),
        ("annie-alfred", 6, 0, 0),
        ("annie-alfred", 7, 0, 0),
        ("maxima-acuna", 0, 2, 1),
    ]  # the blank row is no addition
    assert parse("case,letters\n").latest == []


def test_participants_are_added_up_and_may_have_a_row_of_their_own():
    tally = parse("case,letters,participants\nAnnie Alfred,3,4\n,,12\nMáxima Acuña,1,\n")
    assert tally.participants == 16
    assert (tally.rows, tally.totals.total) == (2, 4)  # a row of participants only is no count
    assert [key for key, _ in tally.latest] == ["annie-alfred", "maxima-acuna"]


@pytest.mark.parametrize("text", ["case,letters\nAnnie Alfred,3\n", "case,letters,participants\nAnnie Alfred,3,\n"])
def test_participants_not_recorded_are_none_not_zero(text):
    assert parse(text).participants is None


def test_participants_follow_the_rules_of_counts():
    assert problems("case,letters,participants\n,,many\nAnnie Alfred,1,-2\n,4,3\n") == [
        'tally.csv, line 2: "many" in the "participants" column is not a whole number. '
        "Write digits only, like 12, or leave the cell empty for 0.",
        'tally.csv, line 3: "-2" in the "participants" column is negative. Counts start at 0.',
        'tally.csv, line 4: the "case" cell is empty. Write the name of the case the counts are for.',
    ]


def test_every_problem_of_a_file_is_reported_at_once():
    found = problems("case,letters,cards\nAnnie Alfrd,1,x\nEdward Snowden,-1,\nMaxima Acuna,1,1\n")
    assert [m.split(":")[0] for m in found] == ["tally.csv, line 2"] * 2 + ["tally.csv, line 3"]


# What a spreadsheet does to a file that people do not see -----------------


@pytest.mark.parametrize(
    "text, line, cell, column",
    [
        ("case,letters\nAnnie Alfred,1,234\n", 2, "234", 3),  # 1,234 typed in a comma file
        ("case,letters,cards,emails,table\nAnnie Alfred,1,234,4,2,1\n", 2, "1", 6),  # the row shifted
        ("case;letters;cards\nAnnie Alfred;1,5;2;3\n", 2, "3", 4),
        ("case,letters,,\nAnnie Alfred,1,,5\n", 2, "5", 4),  # a column left without a name
    ],
)
def test_a_number_under_no_column_name_is_refused_not_dropped(text, line, cell, column):
    [message] = problems(text)
    assert message.startswith(f'tally.csv, line {line}: "{cell}" is in column {column}, which has no name')
    assert "write it without one (1234)" in message


def test_empty_cells_and_notes_beyond_the_header_are_fine():
    tally = parse("case,letters,,\nAnnie Alfred,1,,\nEdward Snowden,2,,great table\nAnnie Alfred,3\n")
    assert tally.totals.letters == 6 and tally.rows == 3


@pytest.mark.parametrize(
    "text, first, last, swallowed",
    [
        (
            'case,letters,cards,emails,notes\nAnnie Alfred,7,4,2,"great table\nEdward Snowden,10,,,\nMáxima Acuña,5,3,,\n',
            2,
            4,
            "Edward Snowden,10,,,",
        ),
        (
            'case,letters,notes,cards\nAnnie Alfred,7,"table 3 ,4\nEdward Snowden,10,,\nMaxima Acuna,2,"x",1\n',
            2,
            4,
            "Edward Snowden,10,,",
        ),
        ('"Annie Alfred,7\nEdward Snowden,3\n'.join(["case,letters\n", ""]), 2, 3, "Edward Snowden,3"),
    ],
)
def test_a_stray_quote_that_swallows_rows_is_refused(text, first, last, swallowed):
    [message] = problems(text)
    assert message.startswith(f'tally.csv, line {first}: a quote (") opens ')
    assert f'runs on to line {last}, taking in lines that look like rows ("{swallowed}")' in message
    assert message.endswith("Remove the stray quote, or close it on the same line.")


def test_a_note_over_several_lines_is_still_a_note():
    text = 'case,letters,notes\nAnnie Alfred,7,"line one\nmostly students, some teachers\n"\nEdward Snowden,2,\n'
    tally = parse(text)
    assert tally.totals.letters == 9 and tally.rows == 2


def test_names_with_empty_count_cells_are_nothing_counted():
    # A sheet made ready before the evening: every case, no numbers yet.
    tally = parse("case,letters,cards,emails\nAnnie Alfred,,,\nEdward Snowden,,,\n")
    assert tally.rows == 0 and tally.latest == []
    assert parse("case,letters,cards,emails\nAnnie Alfred,,0,\n").rows == 1  # 0 typed is a count
    [message] = problems("case,letters\nAnie Alfred,\n")  # the names are still checked
    assert 'unknown case "Anie Alfred". Did you mean "Annie Alfred"?' in message
