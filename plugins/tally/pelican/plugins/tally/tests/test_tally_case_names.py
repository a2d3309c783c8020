"""Which case a cell names, whatever its capitals, accents and spaces, and what an unknown one is told."""

import pytest
from pelican.plugins.tally.case_names import match_key
from pelican.plugins.tally.reading import parse_tally
from tally_samples import parse, problems


@pytest.mark.parametrize("written", ["Máxima Acuña", "MAXIMA ACUNA", "maxima-acuna", "  maxima acuña "])
def test_a_case_matches_whatever_its_case_accents_and_spaces(written):
    assert parse(f"case,letters\n{written},2\n").counts["maxima-acuna"].letters == 2


def test_match_key_folds_accents_case_and_punctuation():
    assert match_key("Máxima Acuña") == match_key("MAXIMA-ACUNA") == "maximaacuna"


def test_unknown_case_names_line_value_and_closest_case():
    [message] = problems("case,letters\nAnnie Alfred,1\nAnnie Alfrid,2\n")
    assert message.startswith("tally.csv, line 3:")
    assert '"Annie Alfrid"' in message and 'Did you mean "Annie Alfred"?' in message


def test_unknown_case_far_from_any_gets_no_wrong_suggestion():
    [message] = problems("case,letters\nZzzz Qqqq,1\n")
    assert "Did you mean" not in message and '"Zzzz Qqqq"' in message


def test_empty_case_cell_with_counts():
    [message] = problems("case,letters\n,3\n")
    assert "line 2" in message and '"case" cell is empty' in message


@pytest.mark.parametrize(
    "written, title",
    [("Lukasz Nowak", "Łukasz Nowak"), ("Oyvind Berg", "Øyvind Berg"), ("strasse", "Straße"), ("ÅSA", "Åsa")],
)
def test_names_fold_through_transliteration(written, title):
    cases = {"the-case": [title]}
    tally = parse_tally(f"case,letters\n{written},2\n".encode(), "tally.csv", cases)
    assert tally.counts["the-case"].letters == 2
    assert match_key(written) == match_key(title)
