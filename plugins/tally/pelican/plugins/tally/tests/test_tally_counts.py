"""One count cell: a whole number, not negative, not above the ceiling."""

import pytest
from pelican.plugins.tally.problems import TallyError
from pelican.plugins.tally.reading import parse_tally
from tally_samples import CASES, problems


@pytest.mark.parametrize("value", ["2.5", "two", "1,5", "3 letters", "1e3", "٣"])
def test_count_that_is_not_a_whole_number(value):
    [message] = problems(f'case,letters\nAnnie Alfred,"{value}"\n')
    assert message.startswith("tally.csv, line 2:")
    assert f'"{value}"' in message and "not a whole number" in message and '"letters"' in message


def test_negative_count():
    [message] = problems("case,letters,cards\nAnnie Alfred,1,-2\n")
    assert "line 2" in message and '"-2"' in message and "negative" in message and '"cards"' in message


# Numbers people mistype ----------------------------------------------------


def test_a_count_above_the_ceiling_names_the_line_and_the_setting():
    [message] = problems("case,letters\nAnnie Alfred,10000\nAnnie Alfred,10001\n", max_per_row=10_000)
    assert message.startswith("tally.csv, line 3:")
    assert '"10001"' in message and "10,000" in message and "TALLY_MAX_PER_ROW" in message


def test_the_ceiling_is_ten_thousand_unless_set():
    with pytest.raises(TallyError, match="line 2"):
        parse_tally(b"case,letters\nAnnie Alfred,12000\n", "tally.csv", CASES)
    assert (
        parse_tally(b"case,letters\nAnnie Alfred,12000\n", "tally.csv", CASES, max_per_row=20_000).totals.letters
        == 12000
    )


def test_a_digits_only_count_too_long_to_be_one_says_so():
    [message] = problems("case,letters\nAnnie Alfred,1234567890123456\n")
    assert (
        message
        == 'tally.csv, line 2: "1234567890123456" in the "letters" column is far too large to be a count: check it.'
    )
