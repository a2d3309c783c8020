"""The tally in the group's language: French, Spanish and German column names
and totals rows, read and added to under the rules of the English ones."""

import pytest
from pelican.plugins.tally.appending import append_row
from pelican.plugins.tally.case_names import match_key
from pelican.plugins.tally.column_names import LANGUAGES, NAMES_BY_LANGUAGE, TOTALS_BY_LANGUAGE
from pelican.plugins.tally.columns import COLUMN_NAMES, COUNT_WORDS, column_of
from pelican.plugins.tally.reading import parse_tally, read_tally
from pelican.plugins.tally.results_posts import has_counts
from pelican.plugins.tally.totals_rows import TOTALS_NAMES, is_totals_row
from tally_samples import CASES, parse, per_case, problems

# One evening's tally, header and totals row in each language.
HEADERS = {
    "de": ("Fall;Briefe;Karten;E-Mails;Teilnehmende", "Summe"),
    "fr": ("Cas;Lettres;Cartes;Courriels;Participants", "Total"),
    "es": ("Caso;Cartas;Tarjetas;Correos electrónicos;Participantes", "Total"),
}
ROWS = "Annie Alfred;30;5;2;\nMáxima Acuña;1000;200;34;25\n"  # Annie 37, Máxima 1,234


def evening(language, totals=None):
    header, totals_word = HEADERS[language]
    return f"{header}\n{ROWS}{totals or totals_word};1030;205;36;\n"


def test_no_folded_name_belongs_to_two_columns_in_any_language():
    seen: dict[str, str] = {}
    for column, names in COLUMN_NAMES.items():
        for name in names:
            key = match_key(name)
            assert key, name
            assert seen.setdefault(key, column) == column, f'"{name}" is both {seen[key]} and {column}'
    assert not set(seen) & {match_key(word) for word in TOTALS_NAMES}


def test_every_language_has_every_column_and_totals_words_and_the_tables_hold_them_all():
    assert list(NAMES_BY_LANGUAGE) == list(LANGUAGES) == list(TOTALS_BY_LANGUAGE)
    for language, table in NAMES_BY_LANGUAGE.items():
        assert list(table) == list(COLUMN_NAMES), language
        for column, names in table.items():
            assert names and set(names) <= set(COLUMN_NAMES[column])
    assert set(TOTALS_NAMES) == {word for words in TOTALS_BY_LANGUAGE.values() for word in words}
    assert all(word == word.casefold() for word in TOTALS_NAMES)


@pytest.mark.parametrize("column, name", [(c, n) for c, names in COLUMN_NAMES.items() for n in names])
def test_every_name_in_every_language_is_its_column(column, name):
    assert column_of(name) == column
    assert column_of(name.upper()) == column and column_of(f" {name} ") == column


@pytest.mark.parametrize(
    "spelling, column",
    [
        ("Teilnehmer*innen", "participants"),
        ("Teilnehmer:innen", "participants"),
        ("Teilnehmer_innen", "participants"),
        ("TeilnehmerInnen", "participants"),
        ("FÄLLE", "case"),
        ("Faelle", "case"),
        ("Solidaritaetskarten", "cards"),
        ("E-Mail", "emails"),
        ("Courriers électroniques", "emails"),
        ("courriers-electroniques", "emails"),
        ("Lettres d’appel", "letters"),  # a typographic apostrophe
        ("CORREOS ELECTRONICOS", "emails"),
        ("Corrección", "correction"),
        ("Nom du cas", "case"),
    ],
)
def test_headers_as_people_type_them(spelling, column):
    assert column_of(spelling) == column


@pytest.mark.parametrize("language", HEADERS)
def test_a_tally_in_each_language_is_read_right(language):
    tally = parse(evening(language))
    assert per_case(tally) == {
        "annie-alfred": (30, 5, 2),
        "maxima-acuna": (1000, 200, 34),
        "edward-snowden": (0, 0, 0),
    }
    assert tally.participants == 25 and tally.totals.total == 1271
    assert tally.skipped == [4] and tally.warnings == []


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_a_german_tally_is_read_right_in_each_encoding_the_reader_takes(tmp_path, encoding):
    path = tmp_path / "tally.csv"
    path.write_bytes(evening("de").replace("\n", "\r\n").encode(encoding))
    tally = read_tally(path, CASES)
    totals = tally.totals
    assert (totals.letters, totals.cards, totals.emails, tally.participants) == (1030, 205, 36, 25)
    assert tally.skipped == [4] and tally.warnings == []


def test_a_german_excel_export_in_windows_1252_is_read_while_it_is_ascii_and_refused_with_the_line_after():
    """German Excel's plain "CSV (Trennzeichen-getrennt)" is Windows-1252: its
    ASCII is UTF-8, so a header without umlauts reads right; an umlaut is
    refused with its line and how to save as UTF-8, never misread (as in English)."""
    ascii_only = "Fall;Briefe;Karten;E-Mails;Teilnehmende\r\nAnnie Alfred;3;1;;\r\nSumme;3;1;;12\r\n"
    tally = parse_tally(ascii_only.encode("cp1252"), "tally.csv", CASES)
    assert (tally.totals.letters, tally.totals.cards, tally.participants, tally.skipped) == (3, 1, 12, [3])
    with_umlauts = "Fälle;Briefe\r\nAnnie Alfred;3\r\nMáxima Acuña;2\r\nAlle Fälle;5\r\n"
    [message] = problems(with_umlauts, encoding="cp1252")
    assert message.startswith("tally.csv, line 1: is not UTF-8 text.") and "CSV UTF-8" in message
    assert parse(with_umlauts).totals.letters == 5  # the same file saved as UTF-8


@pytest.mark.parametrize("word", [w for words in TOTALS_BY_LANGUAGE.values() for w in words])
def test_every_totals_word_is_a_totals_row_and_checked(word):
    assert is_totals_row(word.upper()) and is_totals_row(word.title())
    tally = parse(f"Fall;Briefe\nAnnie Alfred;3\nEdward Snowden;4\n{word.title()};8\n")
    assert tally.totals.letters == 7 and tally.skipped == [4]
    [warning] = [str(w) for w in tally.warnings]
    assert warning.startswith("tally.csv, line 4:") and "8 letters where the rows above add up to 7" in warning


@pytest.mark.parametrize(
    "header, name, word",
    [
        ("Fall;Briefe;Briefe (Entwurf)", "Briefe (Entwurf)", "brief"),
        ("Fall;Briefe;Anzahl Karten", "Anzahl Karten", "karte"),
        ("cas;lettres;Lettres envoyées", "Lettres envoyées", "lettre"),
        ("cas;lettres;Courriers", "Courriers", "courrier"),
        ("cas;lettres;courriels reçus", "courriels reçus", "courriel"),
        ("caso;cartas;Correos enviados", "Correos enviados", "correo"),
        ("caso;cartas;tarjetas firmadas", "tarjetas firmadas", "tarjeta"),
        ("Fall;Briefe;Unterschriften", "Unterschriften", "unterschrift"),
    ],
)
def test_an_unknown_count_column_in_another_language_is_flagged(header, name, word):
    assert word in COUNT_WORDS
    [message] = problems(f"{header}\nAnnie Alfred;3;2\n")
    assert message.startswith("tally.csv, line 1:") and f'the column "{name}" is not one the tally knows' in message
    assert message.endswith(f'give it a name without "{word}" (e.g. "notes").')


def test_messages_list_the_names_in_the_headers_language():
    [unknown] = problems("Fall;Briefe;Briefe (Entwurf)\nAnnie Alfred;3;2\n")
    assert '"Briefe", "Brief"' in unknown and '"Solidaritätskarten"' in unknown and '"E-Mails"' in unknown
    assert '"appeal letters"' not in unknown
    [missing] = problems("Fall;Karten\nAnnie Alfred;1\n")
    assert 'no "letters" column ("Briefe", "Brief", "Appellbriefe", "Appellbrief" all work)' in missing
    [missing] = problems("nom;lettres\nAnnie Alfred;1\n")
    assert 'no "case" column ("cas", "dossier", "dossiers", "nom du cas" all work)' in missing


def test_doubled_columns_across_languages_are_refused_as_in_english():
    [message] = problems("Fall;Briefe;letters\nAnnie Alfred;1;2\n")
    assert '"Briefe" and "letters" are both the letters column' in message
    [message] = problems("caso;cartas;correos;e-mails\nAnnie Alfred;1;2;3\n")
    assert '"correos" and "e-mails" are both the emails column' in message


@pytest.mark.parametrize(
    "header, row, people, note",
    [
        ("Notiz;E-Mails;Karten;Briefe;Fall", ";2;1;3;Annie Alfred", "Teilnehmende", "Korrektur"),
        ("cas;lettres;cartes;courriels", "Annie Alfred;3;1;2", "participants", "correction"),
        ("caso;cartas;tarjetas;correos", "Annie Alfred;3;1;2", "participantes", "corrección"),
    ],
)
def test_a_row_added_to_a_header_in_another_language_lands_in_its_columns(tmp_path, header, row, people, note):
    path = tmp_path / "tally.csv"
    path.write_bytes(f"{header}\r\n".encode("utf-8-sig"))
    append_row(path, "annie alfred", {"letters": "3", "cards": "1", "emails": "2"}, CASES)
    assert path.read_bytes() == f"{header}\r\n{row}\r\n".encode("utf-8-sig")
    append_row(path, "", {"participants": "12"}, CASES)
    append_row(path, "Annie Alfred", {"letters": "-1"}, CASES, correction="typo")
    first, *_ = path.read_text(encoding="utf-8-sig").splitlines()
    assert first == f"{header};{people};{note}"
    tally = read_tally(path, CASES)
    annie = tally.counts["annie-alfred"]
    assert (annie.letters, annie.cards, annie.emails, tally.participants) == (2, 1, 2, 12)


@pytest.mark.parametrize(
    "text, counted",
    [
        ("Fall;Briefe;Karten\nAnnie Alfred;;\n", False),  # a sheet made ready for the evening
        ("Fall;Briefe;Karten\nSumme;3;\n", False),
        ("Fall;Briefe;Karten\nAnnie Alfred;;0\n", True),
        ("caso;correos electrónicos\nAnnie Alfred;2\n", True),
        ("Name;Briefe\nAnnie Alfred;2\n", True),  # no case column: the build goes on, the reader says so
    ],
)
def test_a_results_post_waits_for_counts_in_another_language_too(tmp_path, text, counted):
    path = tmp_path / "tally.csv"
    path.write_text(text, encoding="utf-8")
    assert has_counts(path) is counted


def test_a_header_without_a_case_column_gets_an_example_in_its_language():
    [message] = problems("Name;Briefe;Karten\nAnnie Alfred;1;2\n")
    assert message.endswith("The first row must name the columns, e.g. Fall,Briefe,Karten,E-Mails.")
    [message] = problems("nombre,cartas\nAnnie Alfred,1\n")
    assert message.endswith("e.g. caso,cartas,tarjetas,correos electrónicos.")
