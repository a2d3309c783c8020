"""The header row: the columns the tally knows, however people spell them, and the ones it refuses."""

import pytest
from pelican.plugins.tally.appending import append_row
from pelican.plugins.tally.reading import read_tally
from tally_samples import CASES, parse, problems


def test_optional_columns_extra_columns_and_header_spacing():
    tally = parse(" Case , LETTERS ,writer,notes\nAnnie Alfred, 5 ,Jo,secret note\n")
    assert tally.counts["annie-alfred"].letters == 5
    assert tally.counts["annie-alfred"].cards == 0
    assert "secret" not in repr(tally) and "Jo" not in repr(tally)


@pytest.mark.parametrize("header, missing", [("case,cards", "letters"), ("name,letters", "case")])
def test_missing_required_column(header, missing):
    [message] = problems(f"{header}\nAnnie Alfred,1\n")
    assert message.startswith("tally.csv, line 1:") and f'no "{missing}" column' in message


def test_duplicated_column():
    [message] = problems("case,letters,Letters\nAnnie Alfred,1,2\n")
    assert "line 1" in message and '"letters" and "Letters" are both the letters column' in message


# Column names as people type them -----------------------------------------


@pytest.mark.parametrize("letters", ["letters", "Letter", "LETTERS", " Appeal letters ", "appeal-letter"])
@pytest.mark.parametrize("cards", ["cards", "Card", "Solidarity cards", "postcards", "Post-card"])
@pytest.mark.parametrize("emails", ["emails", "E-mails", "e-mail", "Email", "E mail", "mails", "Mail"])
def test_count_columns_whatever_their_spelling(letters, cards, emails):
    tally = parse(f"Case,{letters},{cards},{emails}\nAnnie Alfred,3,2,1\n")
    annie = tally.counts["annie-alfred"]
    assert (annie.letters, annie.cards, annie.emails) == (3, 2, 1)


@pytest.mark.parametrize(
    "name",
    # "Briefe", "cartes" and "Postkarten" were here: they are names now (issue 24, point 3).
    [
        "Letters written",
        "cards sent",
        "emails (sent)",
        "letters2",
        "Briefe (Entwurf)",
        "cartes envoyées",
        "Postkarten 2024",
        "tweets",
    ],
)
def test_an_unknown_column_that_speaks_of_counts_stops_with_the_accepted_names(name):
    [message] = problems(f"case,letters,{name}\nAnnie Alfred,3,2\n")
    assert message.startswith("tally.csv, line 1:") and f'"{name}"' in message
    assert '"e-mails"' in message and '"solidarity cards"' in message and '"appeal letters"' in message


def test_an_unknown_count_column_says_which_word_to_drop():
    [message] = problems("case,letters,signatures\nAnnie Alfred,3,25\n")
    assert message.endswith('or, if it holds something else, give it a name without "signature" (e.g. "notes").')


def test_columns_that_do_not_speak_of_counts_are_still_ignored():
    tally = parse("case,letters,writer,table,notes\nAnnie Alfred,3,Jo,2,hello\n")
    assert tally.counts["annie-alfred"].total == 3


def test_two_spellings_of_one_column_are_refused():
    [message] = problems("case,letters,email,E-mails\nAnnie Alfred,1,2,3\n")
    assert '"email" and "E-mails" are both the emails column' in message


def test_every_accepted_name_is_read_by_append_too(tmp_path):
    path = tmp_path / "tally.csv"
    path.write_text("Case,Appeal letters,Solidarity cards,E-mails\n", encoding="utf-8")
    append_row(path, "Annie Alfred", {"letters": "1", "cards": "2", "emails": "3"}, CASES)
    assert path.read_text(encoding="utf-8").endswith("Annie Alfred,1,2,3\n")
    assert read_tally(path, CASES).counts["annie-alfred"].total == 6
