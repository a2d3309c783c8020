"""Reading a tally file: its encoding, delimiter and header row, and files that are not CSV text."""

import codecs
import os
import time
from pathlib import Path

import pytest
from pelican.plugins.tally.appending import append_row
from pelican.plugins.tally.problems import TallyError
from pelican.plugins.tally.reading import parse_tally, read_tally
from tally_samples import CASES, parse, problems


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


def test_a_mac_file_with_bare_carriage_returns_is_refused_at_the_right_line():
    data = b"case,letters\rAnnie Alfred,7\rEdward Snowden,3\rM\x87xima Acu\x96a,5\r"
    with pytest.raises(TallyError) as caught:
        parse_tally(data, "tally.csv", CASES)
    assert str(caught.value).startswith("tally.csv, line 4: is not UTF-8 text.")


def test_a_quote_never_closed_in_a_huge_file_is_named():
    text = 'case,letters,notes\nAnnie Alfred,3,"oops\n' + "x" * 140_000 + "\n"
    [message] = problems(text)
    assert "has a cell over 128 KB long: most likely a quote" in message
