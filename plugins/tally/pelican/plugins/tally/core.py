"""Read a tally CSV of letters per case and add it up.

Plain Python with no Pelican import, so it can be tested (and reused) alone.
Everything wrong with a file is collected and raised at once as one
``TallyError``, so the organizer fixes the whole file in one go.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import functools
import io
import itertools
import operator
import os
import re
import stat
import tempfile
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NoReturn

from unidecode import unidecode

COUNT_COLUMNS = ("letters", "cards", "emails")
# How many people took part: added up over the rows, like the counts, but not
# an action. A row may hold only this (its case cell empty).
PARTICIPANTS = "participants"
REQUIRED_COLUMNS = ("case", "letters")
DELIMITERS = (",", ";", "\t")
DELIMITER_SAMPLE = 65536  # characters at the start where the header row is looked for
DEFAULT_MAX_PER_ROW = 10_000  # TALLY_MAX_PER_ROW: more in one row is surely a typo
LOCK_TIMEOUT = 30  # seconds an add waits for another add to finish

# Every header people write for our columns. A header is compared with these
# folded like a case name (no capitals, accents, spaces or hyphens), so
# "E-mails", "e mail" and "EMAIL" are all "emails". Reading and adding both
# use this table; docs/tally.md shows it to the organizer.
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "case": ("case", "cases", "case name"),
    "letters": ("letters", "letter", "appeal letters", "appeal letter"),
    "cards": ("cards", "card", "solidarity cards", "solidarity card", "postcards", "postcard"),
    "emails": ("emails", "email", "e-mails", "e-mail", "mails", "mail"),
    PARTICIPANTS: ("participants", "participant"),
}
# A header that is none of the above but holds one of these words is probably
# a count column with a name we do not know (or in another language, or of an
# action the tally does not count): its numbers must not vanish unseen.
COUNT_WORDS = (
    "letter", "card", "mail",
    "lettre", "carte", "brief", "karte", "carta", "tarjeta",
    "tweet", "signature", "petition",
)  # fmt: skip
# A row whose case is one of these sums the rows above: it is not a case.
TOTALS_NAMES = ("total", "totals", "grand total", "all cases", "sum")

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


@functools.lru_cache(maxsize=4096)  # a CSV repeats the same few names
def match_key(text: str) -> str:
    """Fold a case name so that 'Máxima Acuña', 'MAXIMA ACUNA' and
    'maxima-acuna' compare equal (and 'Łukasz' is 'Lukasz'): letters and
    digits only, without accents or capitals."""
    return re.sub(r"[^a-z0-9]+", "", unidecode(text).lower())


_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # the line ends the csv module counts lines by
_LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")
_COLUMN_BY_KEY = {match_key(name): column for column, names in COLUMN_NAMES.items() for name in names}
_TOTALS_KEYS = frozenset(match_key(name) for name in TOTALS_NAMES)


def printable(text: str) -> str:
    """``text`` safe to show in a terminal: control characters and escape
    sequences are written out (``\\x1b``) instead of acting on the screen."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii") for c in text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file, phrased for the organizer."""

    path: str
    line: int | None
    message: str
    unknown_case: str | None = field(default=None, compare=False)  # the cell, when no case has that name

    def __str__(self) -> str:
        path = printable(self.path)
        where = f"{path}, line {self.line}" if self.line else path
        return f"{where}: {self.message}"


class TallyError(Exception):
    """Every problem found in one tally file."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Counts:
    letters: int = 0
    cards: int = 0
    emails: int = 0

    @property
    def total(self) -> int:
        """Actions: what the goal counts."""
        return self.letters + self.cards + self.emails

    def add(self, other: Counts) -> None:
        self.letters += other.letters
        self.cards += other.cards
        self.emails += other.emails


@dataclass
class Tally:
    """Counts per case key (as given to the reader) and the rows they came from.

    ``rows`` counts the rows with a count in them (a case with empty count
    cells is checked but counts nothing; 0 is a count). ``skipped`` holds
    the lines of totals rows, which are not counted;
    ``warnings`` what the organizer should check but that stops nothing
    (a totals row that disagrees with the rows above it).
    ``latest`` holds the last LATEST rows, oldest first, as (case key, counts):
    what was added most recently, for a screen in the room. ``participants``
    is the sum of the participants column, or None when no cell holds one."""

    counts: dict[str, Counts]
    rows: int = 0
    totals: Counts = field(default_factory=Counts)
    skipped: list[int] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    latest: list[tuple[str, Counts]] = field(default_factory=list)
    participants: int | None = None


LATEST = 5
REMEMBERED_CELLS = 50_000  # the most cells parse_tally remembers for its fast path (memory)


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
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
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
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            kind = (
                "a folder"
                if stat.S_ISDIR(mode)
                else "a named pipe (FIFO)"
                if stat.S_ISFIFO(mode)
                else "not a regular file"
            )
            raise TallyError(
                [
                    Problem(
                        source, None, f"is {kind}, not a CSV file. Put the tally CSV there, or point TALLY_CSV at it."
                    )
                ]
            )
        with os.fdopen(descriptor, "rb", closefd=False) as file:
            return file.read()
    except OSError as error:
        raise TallyError([Problem(source, None, f"cannot be read ({error.strerror}).")]) from None
    finally:
        os.close(descriptor)


def parse_tally(
    data: bytes, source: str, cases: Mapping[str, Iterable[str]], max_per_row: int | None = DEFAULT_MAX_PER_ROW
) -> Tally:
    """Parse and add up CSV ``data``; ``source`` names the file in messages."""
    text_stream, delimiter = _open_text(data, source)
    reader = csv.reader(text_stream, delimiter=delimiter)
    adding = _Adding(source, cases, max_per_row)
    try:
        header, header_line = _first_nonblank(reader)
        if header is None:
            _refuse(
                [Problem(source, None, "the file is empty. Put a header row first, e.g. case,letters,cards,emails.")],
                data,
                source,
            )
        columns = _columns(header, source, header_line, adding.problems)
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


class _Adding:
    """The sums of one file as its rows are read, and the problems found."""

    def __init__(self, source: str, cases: Mapping[str, Iterable[str]], max_per_row: int | None):
        self.source, self.max_per_row = source, max_per_row
        self.names = _case_names(cases)
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.skipped: list[int] = []
        self.counts = {key: Counts() for key in cases}
        self.rows = 0
        self.latest: deque[tuple[str, Counts]] = deque(maxlen=LATEST)
        self.participants: int | None = None
        self.totals_people: list[tuple[int, str]] = []  # (line, cell) of each totals row's participants
        # A big file repeats a few dozen case cells and a few thousand count
        # cells. Once a row was counted without a problem, a row with the same
        # case cell and the same count (and participants) cells is counted
        # straight away: the checks would give the same answer.
        self.case_cells: dict[str, str] = {}  # case cell -> case key
        self.known_counts: dict[object, tuple[Counts, int | None]] = {}  # count cells -> counts, participants

    def add_rows(self, reader, columns: dict[str, int], header: list[str], delimiter: str) -> None:
        case_at = columns["case"]
        count_at = [(name, columns[name]) for name in COUNT_COLUMNS if name in columns]
        people_at = columns.get(PARTICIPANTS)
        width = max(columns.values()) + 1
        padding = [""] * width
        # Cells under no header name: a number there would not be counted.
        named = len(header)
        unnamed = [index for index, name in enumerate(header) if not name.strip()]
        count_cells = operator.itemgetter(*(at for _, at in count_at), *([] if people_at is None else [people_at]))
        case_cells, known_counts = self.case_cells, self.known_counts
        line = reader.line_num
        for row in reader:
            row_line, line = line + 1, reader.line_num
            if line != row_line and self._swallows_rows(row, row_line, line, header, delimiter, case_at):
                continue
            if (len(row) > named or unnamed) and self._numbers_under_no_name(row, row_line, header, unnamed):
                continue
            if len(row) < width:
                row += padding[len(row) :]  # cells missing at the end of a row are empty
            key = case_cells.get(row[case_at])
            known = known_counts.get(count_cells(row))
            if key is not None and known is not None:  # inline: most rows of a big file come here
                row_counts, people_count = known
                case_counts = self.counts[key]
                case_counts.letters += row_counts.letters
                case_counts.cards += row_counts.cards
                case_counts.emails += row_counts.emails
                if people_count is not None:
                    self.participants = (self.participants or 0) + people_count
                self.latest.append((key, row_counts))
                self.rows += 1
                continue
            counted = self._check_row(row, row_line, case_at, count_at, people_at)
            if counted and len(case_cells) + len(known_counts) < REMEMBERED_CELLS:
                case_cells[row[case_at]] = counted[0]  # no problem at all: remember the cells
                known_counts[count_cells(row)] = counted[1:]

    def _swallows_rows(self, row, first: int, last: int, header, delimiter: str, case_at: int) -> bool:
        """A row that runs over lines ``first`` to ``last``: a quoted cell
        with line breaks. Fine for a note; but when what follows a break looks
        like rows of counts, a stray quote has swallowed them, and the csv
        module would say nothing (they would silently not count)."""
        for index, cell in enumerate(row):
            if "\n" not in cell and "\r" not in cell:
                continue
            for inner in _LINE_BREAK.split(cell)[1:]:
                cells = [part.strip() for part in inner.split(delimiter)]
                if len(cells) < 2:
                    continue
                case = cells[case_at] if case_at < len(cells) else ""
                if match_key(case) in self.names or is_totals_row(case) or any(c.isdigit() for c in cells):
                    column = header[index].strip() if index < len(header) else ""
                    where = f'the "{printable(column)}" cell' if column else "a cell"
                    self.problems.append(
                        Problem(
                            self.source,
                            first,
                            f'a quote (") opens {where} that runs on to line {last}, taking in lines that '
                            f'look like rows ("{printable(inner.strip())}"), which would not be counted. '
                            "Remove the stray quote, or close it on the same line.",
                        )
                    )
                    return True
        return False

    def _numbers_under_no_name(self, row, line: int, header, unnamed: list[int]) -> bool:
        """A number in a cell whose column has no name in the header row (or
        beyond its last column) would not be counted: "1,234" typed in a
        comma-separated file is two cells, 1 and 234."""
        stray = [(index, row[index]) for index in unnamed if index < len(row) and row[index].strip()]
        stray += [(index, cell) for index, cell in enumerate(row[len(header) :], len(header)) if cell.strip()]
        stray = [(index, cell) for index, cell in stray if any(c.isdigit() for c in cell)]
        if not stray:
            return False
        index, cell = stray[0]
        self.problems.append(
            Problem(
                self.source,
                line,
                f'"{printable(cell.strip())}" is in column {index + 1}, which has no name in the header row, '
                "so it would not be counted. If a number has a thousands separator (1,234), write it without "
                'one (1234); otherwise give the column a name in the header row (e.g. "notes") or delete the cell.',
            )
        )
        return True

    def _check_row(self, row, row_line: int, case_at: int, count_at, people_at) -> tuple | None:
        """Check and count one row; (case key, counts, participants) when it
        had no problem at all, else None."""
        source, problems, max_per_row = self.source, self.problems, self.max_per_row
        case = row[case_at].strip()
        texts = [row[at].strip() for _, at in count_at]
        people = row[people_at].strip() if people_at is not None else ""
        folded = match_key(case)
        if folded in _TOTALS_KEYS:
            self.skipped.append(row_line)
            self.warnings += _check_totals_row(case, count_at, texts, self.counts, source, row_line)
            if people:
                self.totals_people.append((row_line, people))
            return None
        people_before = len(problems)
        people_count = None
        if people:
            people_count = _whole_number(people, PARTICIPANTS, source, row_line, problems, max_per_row)
            if len(problems) == people_before:
                self.participants = (self.participants or 0) + people_count
        if not case and not any(texts):
            return None  # a blank row, one holding only notes, or only the participants
        row_problems_before = len(problems)
        key = _match_case(case, folded, self.names, source, row_line, problems)
        numbers = {
            name: _whole_number(text, name, source, row_line, problems, max_per_row)
            for (name, _), text in zip(count_at, texts)
        }
        if len(problems) != row_problems_before:
            return None
        if not any(texts):
            return None  # a case with empty count cells (a sheet made ready for the evening): nothing counted
        row_counts = Counts(**numbers)
        self.counts[key].add(row_counts)  # the participants were added above
        self.latest.append((key, row_counts))
        self.rows += 1
        return (key, row_counts, people_count) if len(problems) == people_before else None

    def result(self) -> Tally:
        if self.totals_people:
            self.participants = _totals_participants(
                self.totals_people, self.participants, self.source, self.problems, self.warnings, self.max_per_row
            )
        return Tally(
            counts=self.counts,
            rows=self.rows,
            totals=_sum(self.counts.values()),
            skipped=self.skipped,
            warnings=self.warnings,
            latest=[(key, replace(row_counts)) for key, row_counts in self.latest],  # rows share Counts
            participants=self.participants,
        )


def _sum(counts: Iterable[Counts]) -> Counts:
    total = Counts()
    for each in counts:
        total.add(each)
    return total


def _check_totals_row(case, count_at, texts, counts, source, line) -> list[Problem]:
    """A totals row is skipped; say so when its numbers differ from the rows above."""
    above = _sum(counts.values())
    differences = []
    for (name, _), text in zip(count_at, texts):
        if not text:
            continue
        expected = getattr(above, name)
        if not (text.isascii() and text.isdigit() and int(text) == expected):
            shown = name[:-1] if text == "1" else name  # "1 letter", "8 letters"
            differences.append(f"{printable(text)} {shown} where the rows above add up to {expected}")
    if not differences:
        return []
    return [
        Problem(
            source,
            line,
            f'the totals row "{printable(case)}" says {"; ".join(differences)}. It was not counted '
            "(the rows are); check the rows above it, or delete the totals row.",
        )
    ]


def _totals_participants(totals_people, participants, source, problems, warnings, max_per_row):
    """Participants written only on the totals row (as `invoke report --csv`
    writes them) are the participants. Two totals rows that give them, or a
    totals row that disagrees with the rows' own, leave the number in doubt:
    the file is refused rather than one of them published."""
    if len(totals_people) > 1:
        lines = " and ".join(str(line) for line, _ in totals_people)
        problems.append(
            Problem(
                source,
                totals_people[-1][0],
                f"the totals rows on lines {lines} each give participants "
                f"({', '.join(printable(cell) for _, cell in totals_people)}). Keep the number on one of them.",
            )
        )
        return participants
    [(line, cell)] = totals_people
    if participants is None:
        return _whole_number(cell, PARTICIPANTS, source, line, problems, max_per_row)
    if cell != str(participants):
        problems.append(
            Problem(
                source,
                line,
                f"the totals row says {printable(cell)} participants, but the other rows add up to "
                f"{participants}. Write the participants in one place: on the rows (and empty this cell), "
                "or on the totals row alone.",
            )
        )
    return participants


def _open_text(data: bytes, source: str) -> tuple[io.TextIOBase, str]:
    """The CSV as text to read, and its delimiter; a text encoding other than
    UTF-8 or UTF-16/32 with a byte-order mark is refused with what to do.

    UTF-8 (most files) is decoded once, as it is read, so a large file is
    neither decoded twice nor held in memory as text too; bytes that are not
    UTF-8 are then refused when they are reached (see _refuse)."""
    if data.startswith(tuple(bom for bom, _ in UTF_BOMS)) or b"\x00" in data:
        text, _, _ = decode(data, source)  # UTF-16/32, or refused
        return io.StringIO(text, newline=""), _guess_delimiter(text)
    start = 0
    while data.startswith(codecs.BOM_UTF8, start):
        start += len(codecs.BOM_UTF8)
    body = memoryview(data)[start:]
    try:  # enough bytes for the characters _guess_delimiter looks at (4 bytes at most each)
        head = codecs.getincrementaldecoder("utf-8")().decode(body[: 4 * DELIMITER_SAMPLE])
    except UnicodeDecodeError:
        decode(data, source)  # raises "is not UTF-8 text" with the line
        raise
    return io.TextIOWrapper(io.BytesIO(body), encoding="utf-8", newline=""), _guess_delimiter(head)


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


def _guess_delimiter(text: str) -> str:
    """The separator the header row uses most: European spreadsheets write ';'.
    A first line "sep=;" (which Excel reads and some exports write) says it."""
    header = next((line for line in io.StringIO(text[:DELIMITER_SAMPLE]) if line.strip()), "")
    if header.lower().startswith("sep=") and header[4:5] in DELIMITERS:
        return header[4]
    return max(DELIMITERS, key=header.count)


def _first_nonblank(reader) -> tuple[list[str] | None, int]:
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
        _columns(row, source, reader.line_num, found)
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


def column_of(header_cell: str) -> str | None:
    """Which of our columns a header cell names ("case", "letters", ...), if any."""
    return _COLUMN_BY_KEY.get(match_key(header_cell))


def is_totals_row(case: str) -> bool:
    """True for a row whose case is "Total", "All cases" and the like."""
    return match_key(case) in _TOTALS_KEYS


def accepted_names(column: str) -> str:
    return ", ".join(f'"{name}"' for name in COLUMN_NAMES[column])


def _columns(header: list[str], source: str, line: int, problems: list[Problem]) -> dict[str, int]:
    """Map our column names to their positions; other columns are ignored,
    unless their name speaks of letters, cards or mail."""
    positions: dict[str, int] = {}
    first_name: dict[str, str] = {}
    for index, raw in enumerate(header):
        shown = printable(raw.strip())
        key = match_key(raw)
        column = _COLUMN_BY_KEY.get(key)
        if column is None:
            word = next((word for word in COUNT_WORDS if word in key), None)
            if word:
                problems.append(
                    Problem(
                        source,
                        line,
                        f'the column "{shown}" is not one the tally knows, so its numbers would not '
                        f"be counted. The tally counts letters, cards and e-mails: name it as one of "
                        f"{accepted_names('letters')}; {accepted_names('cards')}; {accepted_names('emails')}, "
                        f'or, if it holds something else, give it a name without "{word}" (e.g. "notes").',
                    )
                )
            continue
        if column in positions:
            twice = (
                f'the column "{shown}" appears twice'
                if shown == first_name[column]
                else f'the columns "{first_name[column]}" and "{shown}" are both the {column} column'
            )
            problems.append(Problem(source, line, f"{twice}. Delete or rename one of them."))
        else:
            positions[column] = index
            first_name[column] = shown
    for column in REQUIRED_COLUMNS:
        if column not in positions:
            problems.append(
                Problem(
                    source,
                    line,
                    f'the header row has no "{column}" column ({accepted_names(column)} all work). '
                    "The first row must name the columns, e.g. case,letters,cards,emails.",
                )
            )
    return positions


def _case_names(cases: Mapping[str, Iterable[str]]) -> dict[str, tuple[str, str]]:
    """Folded name -> (case key, the name to suggest)."""
    names: dict[str, tuple[str, str]] = {}
    for key, aliases in cases.items():
        aliases = list(aliases)
        display = aliases[0] if aliases else key
        for alias in [key, *aliases]:
            if match_key(alias):
                names.setdefault(match_key(alias), (key, display))
    return names


def _match_case(
    value: str, folded: str, names: dict[str, tuple[str, str]], source: str, line: int | None, problems: list[Problem]
) -> str | None:
    if folded in names:
        return names[folded][0]
    if not value:
        problems.append(
            Problem(source, line, 'the "case" cell is empty. Write the name of the case the counts are for.')
        )
        return None
    close = difflib.get_close_matches(folded, names, n=1, cutoff=0.6) if folded else []
    hint = f' Did you mean "{names[close[0]][1]}"?' if close else ""
    problems.append(
        Problem(
            source,
            line,
            f"unknown case \"{printable(value)}\".{hint} Use a case's name or its page's file name.",
            unknown_case=value,
        )
    )
    return None


def _whole_number(
    value: str, column: str, source: str, line: int | None, problems: list[Problem], max_per_row: int | None
) -> int:
    if not value:
        return 0
    if value.isascii() and value.isdigit():  # the usual case, without the regex below
        if len(value) > 15:
            problems.append(
                Problem(source, line, f'"{value}" in the "{column}" column is far too large to be a count: check it.')
            )
            return 0
        number = int(value)
    elif re.fullmatch(r"[+-]?\d{1,15}", value, flags=re.ASCII):
        number = int(value)
        if number < 0:
            problems.append(
                Problem(source, line, f'"{value}" in the "{column}" column is negative. Counts start at 0.')
            )
            return 0
    else:
        problems.append(
            Problem(
                source,
                line,
                f'"{printable(value)}" in the "{column}" column is not a whole number. '
                f"Write digits only, like 12, or leave the cell empty for 0.",
            )
        )
        return 0
    if max_per_row is not None and number > max_per_row:
        problems.append(
            Problem(
                source,
                line,
                f'"{value}" in the "{column}" column is more than {max_per_row:,}, the most one row '
                "may hold. Check the number for a typo; if it is right, split it over several rows "
                "or raise TALLY_MAX_PER_ROW in pelicanconf.py.",
            )
        )
        return 0
    return number


def append_row(
    path: str | Path,
    case: str,
    counts: Mapping[str, str],
    cases: Mapping[str, Iterable[str]],
    source: str | None = None,
    max_per_row: int | None = DEFAULT_MAX_PER_ROW,
) -> str:
    """Add one row to the CSV at ``path``, keeping its delimiter, line ends,
    encoding, BOM and extra columns; create the file if there is none.

    ``counts`` holds the letters, cards and e-mails (and participants) as
    typed; they follow the same rules as the file's cells. ``case`` may be
    empty when only participants are added. The case, the counts and the
    resulting file are all checked first, so a bad value is refused before
    anything is written. Adds from several processes at once wait for each other (a lock
    file beside the CSV), and the file is replaced atomically, so a reader or
    an interruption sees either the old file or the new one, whole. Returns
    the case's name as written ("" for a row of participants only), once the
    row is on disk.
    """
    source = source or str(path)
    names = _case_names(cases)
    problems: list[Problem] = []
    case = case.strip()
    people_text = str(counts.get(PARTICIPANTS) or "").strip()
    numbers = {
        name: _whole_number(str(counts.get(name, "")).strip(), name, source, None, problems, max_per_row)
        for name in COUNT_COLUMNS
    }
    if people_text:
        numbers[PARTICIPANTS] = _whole_number(people_text, PARTICIPANTS, source, None, problems, max_per_row)
    only_people = bool(people_text) and not case and not any(numbers[n] for n in COUNT_COLUMNS)
    key = None if only_people else _match_case(case, match_key(case), names, source, None, problems)
    if problems:
        raise TallyError(problems)
    canonical = "" if only_people else names[match_key(key)][1]

    from filelock import FileLock, Timeout  # here, not at the top: every build imports this module, only adds lock

    path = _writable_path(Path(path), source)
    _refuse_if_open_in_a_spreadsheet(path, source)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with FileLock(path.with_name(f".{path.name}.lock"), timeout=LOCK_TIMEOUT):
            for _ in range(3):
                # Our adds wait for each other; an editor saving meanwhile does not.
                before = _file_state(path)
                data = read_file(path, source)
                new_data = _with_row(data, canonical, numbers, only_people, source, cases, max_per_row)
                if _file_state(path) == before:
                    _replace(path, new_data)
                    break
            else:
                raise TallyError(
                    [
                        Problem(
                            source,
                            None,
                            "kept changing while the row was being added (is a program saving it?). "
                            "Nothing was added: try again once it is saved.",
                        )
                    ]
                )
    except Timeout:
        raise TallyError(
            [
                Problem(
                    source,
                    None,
                    f"another add has held the file for {LOCK_TIMEOUT} s. Try again; if it keeps "
                    f"happening, check that no other `invoke tally` is stuck.",
                )
            ]
        ) from None
    return canonical


# The lock files spreadsheets keep beside a file while it is open in them.
SPREADSHEET_LOCKS = {".~lock.{name}#": "LibreOffice", "~${name}": "Excel"}


def _refuse_if_open_in_a_spreadsheet(path: Path, source: str) -> None:
    """A row added while a spreadsheet has the file open is lost when the
    spreadsheet saves its own copy over it."""
    for pattern, program in SPREADSHEET_LOCKS.items():
        lock = path.with_name(pattern.format(name=path.name))
        if os.path.lexists(lock):
            raise TallyError(
                [
                    Problem(
                        source,
                        None,
                        f"is open in {program} (its lock file {lock.name} is beside it), which would save its "
                        "own copy over the row added here. Type the row in the spreadsheet and save, or close "
                        f"the file there and add again. If {program} is not running, delete {lock.name}.",
                    )
                ]
            )


def _file_state(path: Path) -> tuple | None:
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return (found.st_ino, found.st_size, found.st_mtime_ns)


def _writable_path(path: Path, source: str) -> Path:
    """Where the new file goes: through a symlink to the file it points at,
    so the link survives."""
    if path.is_symlink():
        target = Path(os.path.realpath(path))
        if not target.exists():
            read_file(path, source)  # raises the dangling-link message
        return target
    return path


def _with_row(
    data: bytes | None, case: str, numbers: dict[str, int], only_people: bool, source: str, cases, max_per_row
) -> bytes:
    """The file's bytes with one row added at the end, checked to read back."""
    if data:
        parse_tally(data, source, cases, max_per_row)  # refuse to add to a file that is already broken
        text, encoding, bom = decode(data, source)
    else:
        text, encoding, bom = "", "utf-8", b""
    if not text.strip():
        text = "case,letters,cards,emails\n"
    newline = "\r\n" if "\r\n" in text else "\n"
    delimiter = _guess_delimiter(text)
    header, header_line = _first_nonblank(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    columns = _columns(header, source, header_line, [])
    if PARTICIPANTS in numbers and PARTICIPANTS not in columns:
        text = _add_column(text, header_line, delimiter, PARTICIPANTS)  # the rows above read it as empty
        header = [*header, PARTICIPANTS]
        columns[PARTICIPANTS] = len(header) - 1
    cells = [""] * len(header)
    cells[columns["case"]] = case
    for name in COUNT_COLUMNS + (PARTICIPANTS,):
        value = numbers.get(name)
        if value is None or (only_people and name != PARTICIPANTS):
            continue  # left empty
        if name in columns:
            cells[columns[name]] = str(value)
        elif value:
            raise TallyError(
                [
                    Problem(
                        source,
                        header_line,
                        f'has no "{name}" column for the {value} {name}. Add the column to the header row.',
                    )
                ]
            )

    row = io.StringIO()
    csv.writer(row, delimiter=delimiter, lineterminator=newline).writerow(cells)
    if not text.endswith(("\n", "\r")):
        text += newline
    new_text = text + row.getvalue()
    parse_tally(new_text.encode("utf-8"), source, cases, max_per_row)  # it must read back cleanly
    if encoding == "utf-8":
        return bom + new_text.encode("utf-8")
    return new_text.encode(encoding)  # UTF-16/32 write their own byte-order mark


def _add_column(text: str, header_line: int, delimiter: str, name: str) -> str:
    """`text` with `name` added at the end of its header row (line `header_line`)."""
    lines = text.splitlines(keepends=True)
    header = lines[header_line - 1]
    ending = header[len(header.rstrip("\r\n")) :]
    lines[header_line - 1] = header.rstrip("\r\n") + delimiter + name + ending
    return "".join(lines)


def _replace(path: Path, data: bytes) -> None:
    """Write a unique temporary file beside ``path``, then rename it over
    ``path`` in one step; the file keeps its permissions."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
            out.flush()
            os.fchmod(out.fileno(), mode)
            os.fsync(out.fileno())
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
