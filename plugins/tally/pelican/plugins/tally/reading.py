"""Read a tally CSV of letters per case: the file's bytes, their encoding
(BOMs, UTF-16), the delimiter and the header row, handing the rows to adding.py."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import re
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NoReturn

from .adding import Adding, Tally
from .columns import column_positions
from .counts import DEFAULT_MAX_PER_ROW
from .problems import Problem, TallyError, printable

DELIMITERS = (",", ";", "\t")
DELIMITER_SAMPLE = 65536  # characters at the start where the header row is looked for

UTF_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
SAVE_AS_UTF8 = (
    "Save the file again as 'CSV UTF-8' (in Excel: File > Save As > 'CSV UTF-8'; "
    "in LibreOffice: character set 'Unicode (UTF-8)')."
)

_LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")


def read_tally(
    path: str | Path,
    cases: Mapping[str, Iterable[str]],
    source: str | None = None,
    max_per_row: int | None = DEFAULT_MAX_PER_ROW,
) -> Tally | None:
    """Read the CSV at ``path``; ``None`` if there is no file (nothing reported yet).

    ``cases`` maps each case's key (its slug) to the other names it may be
    written as in the CSV; the first is the one suggested for a typo.
    ``source`` is how messages name the file (default: the path).
    ``max_per_row`` is the largest count one cell may hold (None: no limit).
    Raises ``TallyError`` for a bad file, or a path that is not a file.
    """
    source = source or str(path)
    data = read_file(path, source)
    return None if data is None else parse_tally(data, source, cases, max_per_row)


def read_file(path: str | Path, source: str) -> bytes | None:
    """The bytes of a regular file; ``None`` if nothing is there.

    Opened without waiting, so a FIFO (or a folder, or a device) is refused
    at once instead of hanging the build."""
    descriptor = _open_without_waiting(path, source)
    if descriptor is None:
        return None
    try:
        _refuse_unless_a_regular_file(os.fstat(descriptor).st_mode, source)
        with os.fdopen(descriptor, "rb", closefd=False) as file:
            return file.read()
    except OSError as error:
        raise TallyError([Problem(source, None, f"cannot be read ({error.strerror}).")]) from None
    finally:
        os.close(descriptor)


def _open_without_waiting(path: str | Path, source: str) -> int | None:
    """A descriptor of ``path`` opened for reading without blocking; ``None``
    if nothing is there, a ``TallyError`` saying why it cannot be opened."""
    try:
        return os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        if os.path.islink(path):
            raise TallyError(
                [
                    Problem(
                        source,
                        None,
                        f"is a link to {printable(os.readlink(path))}, which does not exist. "
                        "Point the link at the tally CSV, or replace it with the file.",
                    )
                ]
            ) from None
        return None
    except PermissionError:
        raise TallyError(
            [
                Problem(
                    source,
                    None,
                    "cannot be read: permission denied. Give yourself read permission "
                    "(e.g. chmod u+rw) or save the file again.",
                )
            ]
        ) from None
    except OSError as error:
        raise TallyError([Problem(source, None, f"cannot be read ({error.strerror}).")]) from None


def _refuse_unless_a_regular_file(mode: int, source: str) -> None:
    if not stat.S_ISREG(mode):
        kind = (
            "a folder" if stat.S_ISDIR(mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "not a regular file"
        )
        raise TallyError(
            [Problem(source, None, f"is {kind}, not a CSV file. Put the tally CSV there, or point TALLY_CSV at it.")]
        )


def parse_tally(
    data: bytes, source: str, cases: Mapping[str, Iterable[str]], max_per_row: int | None = DEFAULT_MAX_PER_ROW
) -> Tally:
    """Parse and add up CSV ``data``; ``source`` names the file in messages."""
    text_stream, delimiter = _open_text(data, source)
    reader = csv.reader(text_stream, delimiter=delimiter)
    adding = Adding(source, cases, max_per_row)
    try:
        header, header_line = header_row(reader)
        if header is None:
            _refuse(
                [Problem(source, None, "the file is empty. Put a header row first, e.g. case,letters,cards,emails.")],
                data,
                source,
            )
        columns = column_positions(header, source, header_line, adding.problems)
        if adding.problems:
            _refuse(_header_further_down(reader, source, header_line) or adding.problems, data, source)
        adding.add_rows(reader, columns, header, delimiter)
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            why = 'has a cell over 128 KB long: most likely a quote (") that is never closed. Remove it.'
        else:
            why = f"is not a readable CSV file ({printable(str(error))}). Export it again from the spreadsheet as CSV."
        adding.problems.append(Problem(source, reader.line_num or None, why))
    except UnicodeDecodeError:
        decode(data, source)  # raises "is not UTF-8 text" with the line
        raise
    tally = adding.result()
    if adding.problems:
        _refuse(adding.problems, data, source)
    return tally


def _open_text(data: bytes, source: str) -> tuple[io.TextIOBase, str]:
    """The CSV as text to read, and its delimiter; a text encoding other than
    UTF-8 or UTF-16/32 with a byte-order mark is refused with what to do.

    UTF-8 (most files) is decoded once, as it is read, so a large file is
    neither decoded twice nor held in memory as text too; bytes that are not
    UTF-8 are then refused when they are reached (see _refuse)."""
    if data.startswith(tuple(bom for bom, _ in UTF_BOMS)) or b"\x00" in data:
        text, _, _ = decode(data, source)  # UTF-16/32, or refused
        return io.StringIO(text, newline=""), guess_delimiter(text)
    start = 0
    while data.startswith(codecs.BOM_UTF8, start):
        start += len(codecs.BOM_UTF8)
    body = memoryview(data)[start:]
    try:  # enough bytes for the characters guess_delimiter looks at (4 bytes at most each)
        head = codecs.getincrementaldecoder("utf-8")().decode(body[: 4 * DELIMITER_SAMPLE])
    except UnicodeDecodeError:
        decode(data, source)  # raises "is not UTF-8 text" with the line
        raise
    return io.TextIOWrapper(io.BytesIO(body), encoding="utf-8", newline=""), guess_delimiter(head)


def _refuse(problems: list[Problem], data: bytes, source: str) -> NoReturn:
    """Raise ``problems``, unless the file is not UTF-8 text: then that alone,
    as when the whole file was decoded before it was read."""
    decode(data, source)
    raise TallyError(problems)


def decode(data: bytes, source: str) -> tuple[str, str, bytes]:
    """The text of ``data`` without byte-order marks (a doubled one too),
    its encoding ("utf-8", "utf-16" or "utf-32") and the mark it started with."""
    for bom, encoding in UTF_BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).lstrip("\ufeff"), encoding, bom
            except UnicodeDecodeError:
                raise TallyError(
                    [
                        Problem(
                            source,
                            None,
                            f"starts like a {encoding.upper()} file but cannot be read as one. " + SAVE_AS_UTF8,
                        )
                    ]
                ) from None
    if b"\x00" in data:
        line = _line_at(data, data.index(b"\x00"))
        raise TallyError(
            [
                Problem(
                    source,
                    line,
                    "holds zero bytes, so it is not a CSV text file (perhaps UTF-16 without a "
                    "byte-order mark, or a spreadsheet's own format). " + SAVE_AS_UTF8,
                )
            ]
        )
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    try:
        return data.decode("utf-8").lstrip("\ufeff"), "utf-8", bom  # spreadsheets often write a BOM
    except UnicodeDecodeError as error:
        line = _line_at(data, error.start)
        raise TallyError([Problem(source, line, "is not UTF-8 text. " + SAVE_AS_UTF8)]) from None


def _line_at(data: bytes, offset: int) -> int:
    """The line of the byte at ``offset``, whatever the line ends (Excel for
    Mac's "CSV (Macintosh)" ends lines with a bare CR)."""
    return len(_LINE_BREAK_BYTES.split(data[:offset]))


def guess_delimiter(text: str) -> str:
    """The separator the header row uses most: European spreadsheets write ';'.
    A first line "sep=;" (which Excel reads and some exports write) says it."""
    header = next((line for line in io.StringIO(text[:DELIMITER_SAMPLE]) if line.strip()), "")
    if header.lower().startswith("sep=") and header[4:5] in DELIMITERS:
        return header[4]
    return max(DELIMITERS, key=header.count)


def header_row(reader) -> tuple[list[str] | None, int]:
    """The header row and its line, passing blank rows and a "sep=;" line."""
    for row in reader:
        if any(cell.strip() for cell in row):
            if row[0].lower() == "sep=" and not any(cell.strip() for cell in row[1:]):
                continue
            return row, reader.line_num
    return None, 0


def _header_further_down(reader, source: str, first_line: int) -> list[Problem]:
    """When the first row is not a header, whether one of the next few is
    (a title line above the table, say): then that is the one thing to fix."""
    for row in itertools.islice(reader, 10):
        found: list[Problem] = []
        if not any(cell.strip() for cell in row):
            continue
        column_positions(row, source, reader.line_num, found)
        if not found:
            return [
                Problem(
                    source,
                    first_line,
                    f"the header row (the column names, {', '.join(printable(c.strip()) for c in row if c.strip())}) "
                    f"is on line {reader.line_num}. Delete the lines above it: the header row must come first.",
                )
            ]
    return []
