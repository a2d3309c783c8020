"""The tally core alone: reading, checking and adding up a CSV."""

import codecs
import csv
import io
import os
import stat
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.plugins.tally import core
from pelican.plugins.tally.core import TallyError, append_row, match_key, parse_tally, read_tally

CASES = {
    "annie-alfred": ["Annie Alfred"],
    "maxima-acuna": ["Máxima Acuña"],
    "edward-snowden": ["Edward Snowden"],
}


def parse(text, encoding="utf-8", max_per_row=None):
    return parse_tally(text.encode(encoding), "tally.csv", CASES, max_per_row=max_per_row)


def problems(text, **kwargs):
    with pytest.raises(TallyError) as caught:
        parse(text, **kwargs)
    return [str(p) for p in caught.value.problems]


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


def test_appending_participants_adds_their_column_once(tmp_path):
    path = tmp_path / "tally.csv"
    path.write_bytes(b"case;letters;table\r\nAnnie Alfred;3;1\r\n")
    assert append_row(path, "", {"participants": "12"}, CASES) == ""
    assert append_row(path, "Annie Alfred", {"letters": "2", "participants": "1"}, CASES) == "Annie Alfred"
    assert path.read_bytes() == (
        b"case;letters;table;participants\r\nAnnie Alfred;3;1\r\n;;;12\r\nAnnie Alfred;2;;1\r\n"
    )
    tally = read_tally(path, CASES)
    assert (tally.participants, tally.totals.letters) == (13, 5)


def test_appending_bad_participants_writes_nothing(tmp_path):
    path = tmp_path / "tally.csv"
    path.write_text("case,letters\nAnnie Alfred,3\n", encoding="utf-8")
    with pytest.raises(TallyError, match='"some" in the "participants" column is not a whole number'):
        append_row(path, "", {"participants": "some"}, CASES)
    with pytest.raises(TallyError, match='the "case" cell is empty'):
        append_row(path, "", {"letters": "2", "participants": "3"}, CASES)
    assert path.read_text(encoding="utf-8") == "case,letters\nAnnie Alfred,3\n"


@pytest.mark.parametrize("written", ["Máxima Acuña", "MAXIMA ACUNA", "maxima-acuna", "  maxima acuña "])
def test_a_case_matches_whatever_its_case_accents_and_spaces(written):
    assert parse(f"case,letters\n{written},2\n").counts["maxima-acuna"].letters == 2


def test_match_key_folds_accents_case_and_punctuation():
    assert match_key("Máxima Acuña") == match_key("MAXIMA-ACUNA") == "maximaacuna"


def test_optional_columns_extra_columns_and_header_spacing():
    tally = parse(" Case , LETTERS ,writer,notes\nAnnie Alfred, 5 ,Jo,secret note\n")
    assert tally.counts["annie-alfred"].letters == 5
    assert tally.counts["annie-alfred"].cards == 0
    assert "secret" not in repr(tally) and "Jo" not in repr(tally)


@pytest.mark.parametrize(
    "text",
    [
        "\ufeffcase,letters\r\nAnnie Alfred,2\r\n",  # BOM and CRLF
        "case;letters;cards\nAnnie Alfred;2;0\n",  # European spreadsheets
        "case\tletters\nAnnie Alfred\t2\n",  # tab separated
        "\n\ncase,letters\n\nAnnie Alfred,2\n,\n  \n , ,\n",  # blank lines and empty rows
        'case,letters,notes\n"Annie Alfred",2,"two\nlines"\n',  # quoted cell over two lines
    ],
)
def test_formats_spreadsheets_write(text):
    assert parse(text).counts["annie-alfred"].letters == 2


def test_a_missing_file_means_nothing_reported_yet(tmp_path):
    assert read_tally(tmp_path / "none.csv", CASES) is None


def test_reads_a_file_and_names_it_in_errors(tmp_path):
    path = tmp_path / "tally.csv"
    path.write_text("case,letters\nAnnie Alfred,2\n", encoding="utf-8")
    assert read_tally(path, CASES).totals.letters == 2
    path.write_text("case,letters\nAnnie Alfred,two\n", encoding="utf-8")
    with pytest.raises(TallyError) as caught:
        read_tally(path, CASES, source="content/data/tally.csv")
    assert str(caught.value).startswith("content/data/tally.csv, line 2:")


def test_unknown_case_names_line_value_and_closest_case():
    [message] = problems("case,letters\nAnnie Alfred,1\nAnnie Alfrid,2\n")
    assert message.startswith("tally.csv, line 3:")
    assert '"Annie Alfrid"' in message and 'Did you mean "Annie Alfred"?' in message


def test_unknown_case_far_from_any_gets_no_wrong_suggestion():
    [message] = problems("case,letters\nZzzz Qqqq,1\n")
    assert "Did you mean" not in message and '"Zzzz Qqqq"' in message


@pytest.mark.parametrize("value", ["2.5", "two", "1,5", "3 letters", "1e3", "٣"])
def test_count_that_is_not_a_whole_number(value):
    [message] = problems(f'case,letters\nAnnie Alfred,"{value}"\n')
    assert message.startswith("tally.csv, line 2:")
    assert f'"{value}"' in message and "not a whole number" in message and '"letters"' in message


def test_negative_count():
    [message] = problems("case,letters,cards\nAnnie Alfred,1,-2\n")
    assert "line 2" in message and '"-2"' in message and "negative" in message and '"cards"' in message


@pytest.mark.parametrize("header, missing", [("case,cards", "letters"), ("name,letters", "case")])
def test_missing_required_column(header, missing):
    [message] = problems(f"{header}\nAnnie Alfred,1\n")
    assert message.startswith("tally.csv, line 1:") and f'no "{missing}" column' in message


def test_duplicated_column():
    [message] = problems("case,letters,Letters\nAnnie Alfred,1,2\n")
    assert "line 1" in message and '"letters" and "Letters" are both the letters column' in message


def test_empty_case_cell_with_counts():
    [message] = problems("case,letters\n,3\n")
    assert "line 2" in message and '"case" cell is empty' in message


def test_every_problem_of_a_file_is_reported_at_once():
    found = problems("case,letters,cards\nAnnie Alfrd,1,x\nEdward Snowden,-1,\nMaxima Acuna,1,1\n")
    assert [m.split(":")[0] for m in found] == ["tally.csv, line 2"] * 2 + ["tally.csv, line 3"]


def test_another_encoding_is_refused_with_a_hint_to_save_as_utf8():
    [message] = problems("case,letters\nMáxima Acuña,1\n", encoding="latin-1")
    assert "line 2" in message and "UTF-8" in message


@pytest.mark.parametrize(
    "header, first_row",
    [
        ("case,letters", "Annie Alfred,1"),
        ("case,letters", "Annie Alfrd,x"),  # problems above the bad byte
        ("case,lettres", "Annie Alfred,1"),  # a header the tally cannot read
    ],
)
def test_a_byte_that_is_not_utf8_far_into_a_big_file_is_refused_for_that_alone(header, first_row):
    rows = [first_row] + ["Edward Snowden,2"] * 50_000
    data = ("\n".join([header, *rows]) + "\n").encode("utf-8") + "Máxima Acuña,1\n".encode("latin-1")
    with pytest.raises(TallyError) as caught:
        parse_tally(data, "tally.csv", CASES)
    [message] = [str(p) for p in caught.value.problems]
    assert message.startswith("tally.csv, line 50003: is not UTF-8 text.")


def test_empty_file():
    [message] = problems("")
    assert "empty" in message and "header" in message


def test_header_only_reports_nothing_yet():
    tally = parse("case,letters,cards,emails\n")
    assert tally.rows == 0 and tally.totals.total == 0


# Properties --------------------------------------------------------------

case_names = st.sampled_from(
    ["Annie Alfred", "annie-alfred", "Máxima Acuña", "MAXIMA ACUNA", "Edward Snowden", "edward snowden"]
)
counts = st.integers(min_value=0, max_value=10**6)
rows = st.lists(st.tuples(case_names, counts, counts, counts), max_size=30)


def as_csv(rows, delimiter=","):
    lines = [delimiter.join(["case", "letters", "cards", "emails"])]
    lines += [delimiter.join([name, str(a), str(b), str(c)]) for name, a, b, c in rows]
    return "\n".join(lines) + "\n"


def per_case(tally):
    return {key: (c.letters, c.cards, c.emails) for key, c in tally.counts.items()}


@given(rows, st.randoms(use_true_random=False), st.sampled_from([",", ";", "\t"]))
def test_totals_do_not_depend_on_row_order(rows, random, delimiter):
    shuffled = list(rows)
    random.shuffle(shuffled)
    assert per_case(parse(as_csv(rows))) == per_case(parse(as_csv(shuffled, delimiter)))


@given(rows, st.data())
def test_totals_do_not_depend_on_how_counts_are_split_over_rows(rows, data):
    split = []
    for name, a, b, c in rows:
        first = tuple(data.draw(st.integers(0, n)) for n in (a, b, c))
        split.append((name, *first))
        split.append((name, a - first[0], b - first[1], c - first[2]))
    whole, parts = parse(as_csv(rows)), parse(as_csv(split))
    assert per_case(whole) == per_case(parts)
    assert whole.totals.total == parts.totals.total == sum(a + b + c for _, a, b, c in rows)


@settings(max_examples=300)
@given(st.binary(max_size=400) | st.text(max_size=400).map(lambda t: t.encode("utf-8")))
def test_no_input_fails_other_than_with_a_tally_error(data):
    try:
        tally = parse_tally(data, "tally.csv", CASES)
    except TallyError as error:
        assert error.problems and all(str(p).startswith("tally.csv") for p in error.problems)
    else:
        assert tally.totals.total >= 0


@given(
    st.lists(
        st.lists(
            st.sampled_from(
                ["case", "letters", "Annie Alfred", "1", "-1", "x", "", " ", '"', ";", "\r\n", "\t", "\x00", "é"]
            ),
            max_size=6,
        ),
        max_size=8,
    )
)
def test_csv_like_input_fails_only_with_a_tally_error(cells):
    data = "\n".join(",".join(row) for row in cells).encode("utf-8")
    try:
        parse_tally(data, "tally.csv", CASES)
    except TallyError:
        pass


@settings(max_examples=150)
@given(
    rows,
    st.lists(
        st.text(
            st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=30
        ),  # a zero byte is refused
        min_size=30,
        max_size=30,
    ),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom"]),
)
def test_any_text_in_a_notes_column_and_any_unicode_encoding_keep_the_sums(rows, notes, encoding):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["case", "letters", "cards", "emails", "notes"])
    for (name, a, b, c), note in zip(rows, notes):
        writer.writerow([name, a, b, c, note])
    text = out.getvalue()
    if encoding.endswith("-bom"):
        data = {"utf-16-le-bom": codecs.BOM_UTF16_LE, "utf-16-be-bom": codecs.BOM_UTF16_BE}[encoding]
        data += text.encode(encoding[:9])
    else:
        data = text.encode(encoding)
    try:
        tally = parse_tally(data, "tally.csv", CASES, max_per_row=None)
    except TallyError as error:
        # A note over several lines whose later lines look like rows (a comma
        # and a number, or a case's name) is refused as a stray quote.
        assert all('a quote (") opens the "notes" cell' in str(p) for p in error.problems)
        assert any(set(note) & set("\r\n") for note in notes)
        return
    assert per_case(tally) == per_case(parse(as_csv(rows)))
    assert tally.rows == len(rows)


def outcome(data, max_per_row):
    """Everything parse_tally tells: the Tally, or the problems it refuses the file with."""
    try:
        return parse_tally(data, "tally.csv", CASES, max_per_row=max_per_row)
    except TallyError as error:
        return [str(p) for p in error.problems]


@settings(max_examples=200)
@given(
    # a few case cells and a few sets of count cells, combined over many rows
    st.lists(
        st.sampled_from(["Annie Alfred", " annie-alfred ", "MAXIMA ACUNA", "", "Total", "Anne", "x\x1b"]),
        min_size=1,
        max_size=3,
    ),
    st.lists(
        st.tuples(
            st.sampled_from(["", "0", "3", " 3", "12", "-1", "x", "99", "+4"]),
            st.sampled_from(["", "1", "2", "a"]),
            st.sampled_from(["", "4", "0"]),
            st.sampled_from(["", "", "5", "1.5"]),
        ),
        min_size=1,
        max_size=3,
    ),
    st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), max_size=40),
    st.sampled_from([None, 12]),
)
def test_rows_seen_before_are_counted_as_if_checked_again(case_cells, count_cells, order, max_per_row):
    # parse_tally counts a row whose cells it has checked before without
    # checking them again; with nothing remembered, every row is checked.
    rows = [[case_cells[i % len(case_cells)], *count_cells[j % len(count_cells)]] for i, j in order]
    lines = ["case,letters,cards,emails,participants"] + [",".join(row) for row in rows]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    with mock.patch.object(core, "REMEMBERED_CELLS", 0):
        checked = outcome(data, max_per_row)
    assert outcome(data, max_per_row) == checked


# Column names as people type them -----------------------------------------


@pytest.mark.parametrize("letters", ["letters", "Letter", "LETTERS", " Appeal letters ", "appeal-letter"])
@pytest.mark.parametrize("cards", ["cards", "Card", "Solidarity cards", "postcards", "Post-card"])
@pytest.mark.parametrize("emails", ["emails", "E-mails", "e-mail", "Email", "E mail", "mails", "Mail"])
def test_count_columns_whatever_their_spelling(letters, cards, emails):
    tally = parse(f"Case,{letters},{cards},{emails}\nAnnie Alfred,3,2,1\n")
    annie = tally.counts["annie-alfred"]
    assert (annie.letters, annie.cards, annie.emails) == (3, 2, 1)


@pytest.mark.parametrize(
    "name", ["Letters written", "cards sent", "emails (sent)", "letters2", "Briefe", "cartes", "Postkarten", "tweets"]
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


@pytest.mark.parametrize(
    "row",
    [
        "\x1b[2J\x1b[31mAnnie,1",
        "Annie Alfred,\x1b]0;pwned\x07",
        '"Annie\r\x1b[KAlfred",1',
        "Annie\u202eAlfrd,1",
    ],
)
def test_control_characters_are_never_echoed_raw(row):
    [message] = problems(f"case,letters\n{row}\n")
    assert message.isprintable() and "\\x1b" in message or "\\u202e" in message or "\\r" in message
    assert "\x1b" not in message and "\r" not in message and "\x07" not in message


def test_a_control_character_in_a_header_is_escaped_too():
    [message] = problems("case,letters,\x1b[31mcards\nAnnie Alfred,1,2\n")
    assert "\\x1b[31mcards" in message and "\x1b" not in message


@pytest.mark.parametrize(
    "bom, encoding", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"), (b"", "utf-16")]
)
def test_utf16_with_a_byte_order_mark_is_read(bom, encoding):
    data = bom + "case\tletters\r\nMáxima Acuña\t4\r\n".encode(encoding)
    assert parse_tally(data, "tally.csv", CASES).counts["maxima-acuna"].letters == 4


def test_utf16_without_a_byte_order_mark_is_refused_with_how_to_save():
    [message] = problems("case,letters\nAnnie Alfred,1\n", encoding="utf-16-le")
    assert message.startswith("tally.csv, line 1:") and "CSV UTF-8" in message


def test_a_doubled_byte_order_mark_is_read():
    data = codecs.BOM_UTF8 * 2 + b"case,letters\nAnnie Alfred,2\n"
    assert parse_tally(data, "tally.csv", CASES).counts["annie-alfred"].letters == 2


@pytest.mark.parametrize(
    "written, title",
    [("Lukasz Nowak", "Łukasz Nowak"), ("Oyvind Berg", "Øyvind Berg"), ("strasse", "Straße"), ("ÅSA", "Åsa")],
)
def test_names_fold_through_transliteration(written, title):
    cases = {"the-case": [title]}
    tally = parse_tally(f"case,letters\n{written},2\n".encode(), "tally.csv", cases)
    assert tally.counts["the-case"].letters == 2
    assert match_key(written) == match_key(title)


# Odd files -----------------------------------------------------------------


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(TallyError, match="is a folder, not a CSV file"):
        read_tally(tmp_path, CASES, source="data/tally.csv")


def test_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "tally.csv"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(TallyError, match=r"named pipe \(FIFO\)"):
        read_tally(fifo, CASES)
    assert time.monotonic() - started < 1


def test_a_dangling_symlink_is_not_nothing_counted_yet(tmp_path):
    link = tmp_path / "tally.csv"
    link.symlink_to(tmp_path / "gone.csv")
    with pytest.raises(TallyError, match="which does not exist"):
        read_tally(link, CASES)
    with pytest.raises(TallyError, match="which does not exist"):
        append_row(link, "Annie Alfred", {"letters": "1"}, CASES)
    assert not (tmp_path / "gone.csv").exists()


def test_an_unreadable_file_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "tally.csv"
    path.write_text("case,letters\n", encoding="utf-8")
    path.chmod(0)
    if os.geteuid() == 0:  # root reads every file: refuse the open as the system would for others
        real_open = os.open

        def denied(name, *args, **kwargs):
            if Path(name) == path:
                raise PermissionError(13, "Permission denied", str(name))
            return real_open(name, *args, **kwargs)

        monkeypatch.setattr(os, "open", denied)
    with pytest.raises(TallyError, match="permission denied"):
        read_tally(path, CASES)


# Adding rows ---------------------------------------------------------------


def test_append_through_a_symlink_keeps_the_link_and_the_mode(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("case,letters\n", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "tally.csv"
    link.symlink_to(real)
    append_row(link, "Annie Alfred", {"letters": "1"}, CASES)
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "case,letters\nAnnie Alfred,1\n"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == ["real.csv", "tally.csv"]


def test_append_to_a_utf16_file_keeps_it_utf16(tmp_path):
    path = tmp_path / "tally.csv"
    path.write_bytes("case\tletters\r\nAnnie Alfred\t1\r\n".encode("utf-16"))
    append_row(path, "Annie Alfred", {"letters": "2"}, CASES)
    assert path.read_bytes().decode("utf-16") == "case\tletters\r\nAnnie Alfred\t1\r\nAnnie Alfred\t2\r\n"


def test_append_refuses_a_count_above_the_ceiling(tmp_path):
    path = tmp_path / "tally.csv"
    with pytest.raises(TallyError, match="more than 500"):
        append_row(path, "Annie Alfred", {"letters": "501"}, CASES, max_per_row=500)
    assert not path.exists()


# The core loaded by its path: importing it as pelican.plugins.tally.core
# would import all of Pelican first, which is most of each process's time.
ADD_ONE_ROW = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("tally_core", sys.argv[3])
core = sys.modules["tally_core"] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(core)
cases = {"annie-alfred": ["Annie Alfred"], "maxima-acuna": ["Máxima Acuña"]}
n = int(sys.argv[2])
print(core.append_row(sys.argv[1], "Annie Alfred" if n % 2 else "maxima acuna",
                 {"letters": str(n), "cards": "1"}, cases))
"""


def test_fifty_adds_at_once_all_land_and_a_reader_always_sees_a_whole_file(tmp_path):
    path = tmp_path / "tally.csv"
    path.write_text("case,letters,cards,emails\n", encoding="utf-8")
    core = Path(__file__).parent.parent / "core.py"
    adds = [
        subprocess.Popen(
            [sys.executable, "-c", ADD_ONE_ROW, str(path), str(n), str(core)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(1, 51)
    ]
    readings = 0
    while any(add.poll() is None for add in adds):
        tally = read_tally(path, CASES)  # never a half-written file
        assert tally.rows <= 50
        readings += 1
        time.sleep(0.01)
    results = [add.communicate() for add in adds]
    assert [add.returncode for add in adds] == [0] * 50, [err for _, err in results if err]
    tally = read_tally(path, CASES)
    assert tally.rows == 50
    assert tally.counts["annie-alfred"].letters == sum(range(1, 51, 2))
    assert tally.counts["maxima-acuna"].letters == sum(range(2, 51, 2))
    assert tally.totals.cards == 50
    assert readings > 0
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "tally.csv"]
    assert leftovers == [".tally.csv.lock"]  # no temporary file left behind


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


def test_appending_to_a_file_with_a_stray_quote_writes_nothing(tmp_path):
    path = tmp_path / "tally.csv"
    before = 'case,letters,notes\nAnnie Alfred,7,"great table\nEdward Snowden,10,\n'
    path.write_text(before, encoding="utf-8")
    with pytest.raises(TallyError, match="a quote"):
        append_row(path, "Edward Snowden", {"letters": "9"}, CASES)
    assert path.read_text(encoding="utf-8") == before


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


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_a_sep_line_at_the_top_names_the_separator(separator):
    tally = parse(f"sep={separator}\ncase{separator}letters\nAnnie Alfred{separator}3\n")
    assert tally.totals.letters == 3


@pytest.mark.parametrize("above", ["Write for Rights 2016 - our letters,,,\n", "Table 1\n\n"])
def test_a_title_above_the_header_row_is_named_as_the_thing_to_fix(above):
    [message] = problems(f"{above}case,letters,cards,emails\nAnnie Alfred,3,,\n")
    assert message == (
        "tally.csv, line 1: the header row (the column names, case, letters, cards, emails) is on line "
        f"{above.count(chr(10)) + 1}. Delete the lines above it: the header row must come first."
    )


@pytest.mark.parametrize("lock, program", [(".~lock.tally.csv#", "LibreOffice"), ("~$tally.csv", "Excel")])
def test_no_row_is_added_while_a_spreadsheet_has_the_file_open(tmp_path, lock, program):
    path = tmp_path / "tally.csv"
    path.write_text("case,letters\nAnnie Alfred,3\n", encoding="utf-8")
    (tmp_path / lock).write_text("someone,host,2016-12-10", encoding="utf-8")
    with pytest.raises(TallyError) as caught:
        append_row(path, "Annie Alfred", {"letters": "2"}, CASES)
    assert str(caught.value).startswith(f"{path}: is open in {program} (its lock file {lock} is beside it)")
    assert path.read_text(encoding="utf-8") == "case,letters\nAnnie Alfred,3\n"


def test_a_file_that_changes_while_a_row_is_added_is_read_again(tmp_path):
    path = tmp_path / "tally.csv"
    path.write_text("case,letters\nAnnie Alfred,3\n", encoding="utf-8")
    real_with_row, calls = core._with_row, []

    def an_editor_saves_meanwhile(*args):
        calls.append(1)
        if len(calls) == 1:  # the editor's save lands while the first new file is made
            path.write_text("case,letters\nAnnie Alfred,3\nEdward Snowden,5\n", encoding="utf-8")
        return real_with_row(*args)

    with mock.patch.object(core, "_with_row", an_editor_saves_meanwhile):
        append_row(path, "Máxima Acuña", {"letters": "2"}, CASES)
    assert len(calls) == 2
    assert path.read_text(encoding="utf-8") == "case,letters\nAnnie Alfred,3\nEdward Snowden,5\nMáxima Acuña,2\n"


def test_a_digits_only_count_too_long_to_be_one_says_so():
    [message] = problems("case,letters\nAnnie Alfred,1234567890123456\n")
    assert (
        message
        == 'tally.csv, line 2: "1234567890123456" in the "letters" column is far too large to be a count: check it.'
    )


def test_a_mac_file_with_bare_carriage_returns_is_refused_at_the_right_line():
    data = b"case,letters\rAnnie Alfred,7\rEdward Snowden,3\rM\x87xima Acu\x96a,5\r"
    with pytest.raises(TallyError) as caught:
        parse_tally(data, "tally.csv", CASES)
    assert str(caught.value).startswith("tally.csv, line 4: is not UTF-8 text.")


def test_a_quote_never_closed_in_a_huge_file_is_named():
    text = 'case,letters,notes\nAnnie Alfred,3,"oops\n' + "x" * 140_000 + "\n"
    [message] = problems(text)
    assert "has a cell over 128 KB long: most likely a quote" in message
