"""Properties of the tally core, tried on many generated files: sums that do not depend on how rows are written, and no failure but a TallyError."""

import codecs
import csv
import io
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.plugins.tally import adding
from pelican.plugins.tally.problems import TallyError
from pelican.plugins.tally.reading import parse_tally
from tally_samples import CASES, parse, per_case

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
    with mock.patch.object(adding, "REMEMBERED_CELLS", 0):
        checked = outcome(data, max_per_row)
    assert outcome(data, max_per_row) == checked
