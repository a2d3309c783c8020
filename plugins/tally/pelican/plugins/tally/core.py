"""Read a tally CSV of letters per case and add it up.

Plain Python with no Pelican import, so it can be tested (and reused) alone.
Everything wrong with a file is collected and raised at once as one
``TallyError``, so the organizer fixes the whole file in one go.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import os
import re
import unicodedata
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

REQUIRED_COLUMNS = ("case", "letters")
COUNT_COLUMNS = ("letters", "cards", "emails")
# How many people took part: added up over the rows, like the counts, but not
# an action. A row may hold only this (its case cell empty).
PARTICIPANTS = "participants"
DELIMITERS = (",", ";", "\t")


@functools.lru_cache(maxsize=4096)  # a CSV repeats the same few names
def match_key(text: str) -> str:
    """Fold a case name so that 'Máxima Acuña', 'MAXIMA ACUNA' and
    'maxima-acuna' compare equal: no accents, no case, letters and digits only."""
    decomposed = unicodedata.normalize("NFKD", text)
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", without_accents.casefold())


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file, phrased for the organizer."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}, line {self.line}" if self.line else self.path
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

    def add(self, other: "Counts") -> None:
        self.letters += other.letters
        self.cards += other.cards
        self.emails += other.emails


@dataclass
class Tally:
    """Counts per case key (as given to the reader) and the rows they came from.

    ``latest`` holds the last LATEST rows, oldest first, as (case key, counts):
    what was added most recently, for a screen in the room. ``participants``
    is the sum of the participants column, or None when no cell holds one."""

    counts: dict[str, Counts]
    rows: int = 0
    totals: Counts = field(default_factory=Counts)
    latest: list[tuple[str, Counts]] = field(default_factory=list)
    participants: int | None = None


LATEST = 5


def read_tally(path: str | Path, cases: Mapping[str, Iterable[str]],
               source: str | None = None) -> Tally | None:
    """Read the CSV at ``path``; ``None`` if there is no file (nothing reported yet).

    ``cases`` maps each case's key (its slug) to the other names it may be
    written as in the CSV; the first is the one suggested for a typo.
    ``source`` is how messages name the file (default: the path).
    Raises ``TallyError`` for a bad file.
    """
    path = Path(path)
    source = source or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise TallyError([Problem(source, None, f"cannot be read ({error.strerror}).")])
    return parse_tally(data, source, cases)


def parse_tally(data: bytes, source: str, cases: Mapping[str, Iterable[str]]) -> Tally:
    """Parse and add up CSV ``data``; ``source`` names the file in messages."""
    delimiter = _guess_delimiter(_decode(data, source))  # also checks it is all UTF-8
    names = _case_names(cases)
    problems: list[Problem] = []
    counts = {key: Counts() for key in cases}
    rows = 0
    latest: deque[tuple[str, Counts]] = deque(maxlen=LATEST)
    participants: int | None = None

    # Decoded as it is read, so a large file is not held in memory twice.
    text_stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    reader = csv.reader(text_stream, delimiter=delimiter)
    try:
        header, header_line = _first_nonblank(reader)
        if header is None:
            raise TallyError([Problem(source, None, "the file is empty. "
                "Put a header row first, e.g. case,letters,cards,emails.")])
        columns = _columns(header, source, header_line, problems)
        if problems:
            raise TallyError(problems)

        case_at = columns["case"]
        count_at = [(name, columns[name]) for name in COUNT_COLUMNS if name in columns]
        people_at = columns.get(PARTICIPANTS)
        padding = [""] * (max(columns.values()) + 1)
        line = reader.line_num
        for row in reader:
            row_line, line = line + 1, reader.line_num
            row += padding[len(row):]  # cells missing at the end of a row are empty
            case = row[case_at].strip()
            texts = [row[at].strip() for _, at in count_at]
            people = row[people_at].strip() if people_at is not None else ""
            if people:
                people_before = len(problems)
                number = _whole_number(people, PARTICIPANTS, source, row_line, problems)
                if len(problems) == people_before:
                    participants = (participants or 0) + number
            if not case and not any(texts):
                continue  # a blank row, one holding only notes, or only the participants
            row_problems_before = len(problems)
            key = _match_case(case, names, source, row_line, problems)
            numbers = {name: _whole_number(text, name, source, row_line, problems)
                       for (name, _), text in zip(count_at, texts)}
            if len(problems) == row_problems_before:
                row_counts = Counts(**numbers)
                counts[key].add(row_counts)
                latest.append((key, row_counts))
                rows += 1
    except csv.Error as error:
        problems.append(Problem(source, reader.line_num or None,
            f"is not a readable CSV file ({error}). Export it again from the spreadsheet as CSV."))

    if problems:
        raise TallyError(problems)
    totals = Counts()
    for case_counts in counts.values():
        totals.add(case_counts)
    return Tally(counts=counts, rows=rows, totals=totals, latest=list(latest), participants=participants)


def _add_column(text: str, header_line: int, delimiter: str, name: str) -> str:
    """`text` with `name` added at the end of its header row (line `header_line`)."""
    lines = text.splitlines(keepends=True)
    header = lines[header_line - 1]
    ending = header[len(header.rstrip("\r\n")):]
    lines[header_line - 1] = header.rstrip("\r\n") + delimiter + name + ending
    return "".join(lines)


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")  # spreadsheets often write a BOM
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TallyError([Problem(source, line,
            "is not UTF-8 text. Save the file again as 'CSV UTF-8' "
            "(in LibreOffice: character set 'Unicode (UTF-8)').")]) from None


def _guess_delimiter(text: str) -> str:
    """The separator the header row uses most: European spreadsheets write ';'."""
    header = next((line for line in io.StringIO(text[:65536]) if line.strip()), "")
    return max(DELIMITERS, key=header.count)


def _first_nonblank(reader) -> tuple[list[str] | None, int]:
    for row in reader:
        if any(cell.strip() for cell in row):
            return row, reader.line_num
    return None, 0


def _columns(header: list[str], source: str, line: int, problems: list[Problem]) -> dict[str, int]:
    """Map our column names to their positions; other columns are ignored."""
    positions: dict[str, int] = {}
    for index, raw in enumerate(header):
        name = raw.strip().casefold()
        if name not in ("case",) + COUNT_COLUMNS + (PARTICIPANTS,):
            continue
        if name in positions:
            problems.append(Problem(source, line,
                f'the column "{raw.strip()}" appears twice. Delete or rename one of them.'))
        else:
            positions[name] = index
    for name in REQUIRED_COLUMNS:
        if name not in positions:
            problems.append(Problem(source, line,
                f'the header row has no "{name}" column. The first row must name the '
                f"columns, e.g. case,letters,cards,emails."))
    return positions


def _case_names(cases: Mapping[str, Iterable[str]]) -> dict[str, tuple[str, str]]:
    """Folded name -> (case key, the name to suggest)."""
    names: dict[str, tuple[str, str]] = {}
    for key, aliases in cases.items():
        aliases = list(aliases)
        display = aliases[0] if aliases else key
        for alias in [key, *aliases]:
            names.setdefault(match_key(alias), (key, display))
    return names


def _match_case(value: str, names: dict[str, tuple[str, str]], source: str, line: int,
                problems: list[Problem]) -> str | None:
    folded = match_key(value)
    if folded in names:
        return names[folded][0]
    if not value:
        problems.append(Problem(source, line,
            'the "case" cell is empty. Write the name of the case the counts are for.'))
        return None
    close = difflib.get_close_matches(folded, names, n=1, cutoff=0.6)
    hint = f' Did you mean "{names[close[0]][1]}"?' if close else ""
    problems.append(Problem(source, line,
        f'unknown case "{value}".{hint} Use a case\'s name or its page\'s file name.'))
    return None


def _whole_number(value: str, column: str, source: str, line: int, problems: list[Problem]) -> int:
    if not value:
        return 0
    if value.isascii() and value.isdigit() and len(value) <= 15:
        return int(value)  # the usual case, without the regex below
    if re.fullmatch(r"[+-]?\d{1,15}", value, flags=re.ASCII):
        number = int(value)
        if number >= 0:
            return number
        problems.append(Problem(source, line,
            f'"{value}" in the "{column}" column is negative. Counts start at 0.'))
        return 0
    problems.append(Problem(source, line,
        f'"{value}" in the "{column}" column is not a whole number. '
        f"Write digits only, like 12, or leave the cell empty for 0."))
    return 0


def append_row(path: str | Path, case: str, counts: Mapping[str, str],
               cases: Mapping[str, Iterable[str]], source: str | None = None) -> str:
    """Add one row to the CSV at ``path``, keeping its delimiter, line ends,
    BOM and extra columns; create the file if there is none.

    ``counts`` holds the letters, cards and e-mails (and participants) as
    typed; they follow the same rules as the file's cells. ``case`` may be
    empty when only participants are added. The case, the counts and the
    resulting file are all checked first, so a bad value is refused before
    anything is written; the file is replaced atomically, so an interruption
    leaves either the old file or the new one. Returns the case's name as
    written ("" for a row of participants only).
    """
    path = Path(path)
    source = source or str(path)
    names = _case_names(cases)
    problems: list[Problem] = []
    people_text = str(counts.get(PARTICIPANTS) or "").strip()
    numbers = {name: _whole_number(str(counts.get(name, "")).strip(), name, source, None, problems)
               for name in COUNT_COLUMNS}
    if people_text:
        numbers[PARTICIPANTS] = _whole_number(people_text, PARTICIPANTS, source, None, problems)
    only_people = bool(people_text) and not case.strip() and not any(numbers[n] for n in COUNT_COLUMNS)
    key = None if only_people else _match_case(case.strip(), names, source, None, problems)
    if problems:
        raise TallyError(problems)
    canonical = "" if only_people else names[match_key(key)][1]

    if path.exists():
        data = path.read_bytes()
        parse_tally(data, source, cases)  # refuse to add to a file that is already broken
        text = _decode(data, source)
        bom = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
    else:
        text, bom = "", ""
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
    cells[columns["case"]] = canonical
    for name in COUNT_COLUMNS + (PARTICIPANTS,):
        value = numbers.get(name)
        if value is None or (only_people and name != PARTICIPANTS):
            continue  # left empty
        if name in columns:
            cells[columns[name]] = str(value)
        elif value:
            raise TallyError([Problem(source, header_line,
                f'has no "{name}" column for the {value} {name}. Add the column to the header row.')])

    row = io.StringIO()
    csv.writer(row, delimiter=delimiter, lineterminator=newline).writerow(cells)
    if not text.endswith(("\n", "\r")):
        text += newline
    new_text = text + row.getvalue()
    parse_tally(new_text.encode("utf-8"), source, cases)  # the result must read back cleanly

    temporary = path.with_name(f".{path.name}.tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(temporary, "w", encoding="utf-8", newline="") as out:
            out.write(bom + new_text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return canonical
