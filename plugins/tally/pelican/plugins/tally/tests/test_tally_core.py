"""The tally core alone: reading, checking and adding up a CSV."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pelican.plugins.tally.core import TallyError, append_row, match_key, parse_tally, read_tally

CASES = {
    "annie-alfred": ["Annie Alfred"],
    "maxima-acuna": ["Máxima Acuña"],
    "edward-snowden": ["Edward Snowden"],
}


def parse(text, encoding="utf-8"):
    return parse_tally(text.encode(encoding), "tally.csv", CASES)


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
        ("annie-alfred", 4, 0, 0), ("annie-alfred", 5, 0, 0), ("annie-alfred", 6, 0, 0),
        ("annie-alfred", 7, 0, 0), ("maxima-acuna", 0, 2, 1)]  # the blank row is no addition
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
        'tally.csv, line 4: the "case" cell is empty. Write the name of the case the counts are for.']


def test_appending_participants_adds_their_column_once(tmp_path):
    path = tmp_path / "tally.csv"
    path.write_bytes(b"case;letters;table\r\nAnnie Alfred;3;1\r\n")
    assert append_row(path, "", {"participants": "12"}, CASES) == ""
    assert append_row(path, "Annie Alfred", {"letters": "2", "participants": "1"}, CASES) == "Annie Alfred"
    assert path.read_bytes() == ("case;letters;table;participants\r\nAnnie Alfred;3;1\r\n;;;12\r\n"
                                 "Annie Alfred;2;;1\r\n").encode()
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


@pytest.mark.parametrize("text", [
    "\ufeffcase,letters\r\nAnnie Alfred,2\r\n",  # BOM and CRLF
    "case;letters;cards\nAnnie Alfred;2;0\n",  # European spreadsheets
    "case\tletters\nAnnie Alfred\t2\n",  # tab separated
    "\n\ncase,letters\n\nAnnie Alfred,2\n,\n  \n , ,\n",  # blank lines and empty rows
    'case,letters,notes\n"Annie Alfred",2,"two\nlines"\n',  # quoted cell over two lines
])
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
    assert "line 1" in message and "appears twice" in message


def test_empty_case_cell_with_counts():
    [message] = problems("case,letters\n,3\n")
    assert "line 2" in message and '"case" cell is empty' in message


def test_every_problem_of_a_file_is_reported_at_once():
    found = problems("case,letters,cards\nAnnie Alfrd,1,x\nEdward Snowden,-1,\nMaxima Acuna,1,1\n")
    assert [m.split(":")[0] for m in found] == ["tally.csv, line 2"] * 2 + ["tally.csv, line 3"]


def test_another_encoding_is_refused_with_a_hint_to_save_as_utf8():
    [message] = problems("case,letters\nMáxima Acuña,1\n", encoding="latin-1")
    assert "line 2" in message and "UTF-8" in message


def test_empty_file():
    [message] = problems("")
    assert "empty" in message and "header" in message


def test_header_only_reports_nothing_yet():
    tally = parse("case,letters,cards,emails\n")
    assert tally.rows == 0 and tally.totals.total == 0


# Properties --------------------------------------------------------------

case_names = st.sampled_from(["Annie Alfred", "annie-alfred", "Máxima Acuña", "MAXIMA ACUNA",
                              "Edward Snowden", "edward snowden"])
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


@given(st.lists(st.lists(st.sampled_from(["case", "letters", "Annie Alfred", "1", "-1", "x", "", " ",
                                          '"', ";", "\r\n", "\t", "\x00", "é"]), max_size=6), max_size=8))
def test_csv_like_input_fails_only_with_a_tally_error(cells):
    data = "\n".join(",".join(row) for row in cells).encode("utf-8")
    try:
        parse_tally(data, "tally.csv", CASES)
    except TallyError:
        pass
