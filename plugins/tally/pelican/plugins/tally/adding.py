"""Add up the rows of a tally CSV, row by row: ``Adding`` keeps the sums
and the problems found, and gives the ``Tally`` of the file."""

from __future__ import annotations

import operator
import re
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from .case_names import match_case, match_key, names_to_match
from .columns import CORRECTION, COUNT_COLUMNS, PARTICIPANTS
from .counts import Counts, sum_counts, whole_number
from .problems import Problem, printable
from .totals_rows import TOTALS_KEYS, check_totals_row, is_totals_row, totals_participants

_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # the line ends the csv module counts lines by


@dataclass
class Tally:
    """Counts per case key (as given to the reader) and the rows they came from.

    ``rows`` counts the rows with a count in them (a case with empty count
    cells is checked but counts nothing; 0 is a count). ``skipped`` holds
    the lines of totals rows, which are not counted;
    ``warnings`` what the organizer should check but that stops nothing
    (a totals row that disagrees with the rows above it).
    ``latest`` holds the last LATEST rows, oldest first, as (case key, counts):
    what was added most recently, for a screen in the room (a correction row
    is not among them, and takes the row it cancels out of them). ``participants``
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


class Adding:
    """The sums of one file as its rows are read, and the problems found."""

    def __init__(self, source: str, cases: Mapping[str, Iterable[str]], max_per_row: int | None):
        self.source, self.max_per_row = source, max_per_row
        self.names = names_to_match(cases)
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
        self.corrected: dict[str, int] = {}  # case key ("" for participants) -> line of its last correction
        self.case_cells: dict[str, str] = {}  # case cell -> case key
        self.known_counts: dict[object, tuple[Counts, int | None]] = {}  # count cells -> counts, participants

    def add_rows(self, reader, columns: dict[str, int], header: list[str], delimiter: str) -> None:
        case_at = columns["case"]
        count_at = [(name, columns[name]) for name in COUNT_COLUMNS if name in columns]
        people_at = columns.get(PARTICIPANTS)
        correction_at = columns.get(CORRECTION)
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
            if correction_at is not None and row[correction_at].strip():
                self._check_correction(row, row_line, case_at, count_at, people_at)
                continue  # never remembered: its numbers may be negative
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

    def _check_correction(self, row, row_line: int, case_at: int, count_at, people_at) -> None:
        """A row with a note in the correction column: counted like any row, but
        its numbers may be negative; it is not one of the latest additions and
        takes the newest one it cancels out of them."""
        latest_before = list(self.latest)
        counted = self._check_row(row, row_line, case_at, count_at, people_at, negative_ok=True)
        self.latest = deque(latest_before, maxlen=LATEST)
        if counted is not None and counted[0] is not None:
            key, row_counts = counted[0], counted[1]
            self.corrected[key] = row_line
            undone = Counts(-row_counts.letters, -row_counts.cards, -row_counts.emails)
            for index in range(len(self.latest) - 1, -1, -1):
                if self.latest[index] == (key, undone):
                    del self.latest[index]
                    break
        if people_at is not None and row[people_at].strip():
            self.corrected[""] = row_line

    def _check_row(
        self, row, row_line: int, case_at: int, count_at, people_at, negative_ok: bool = False
    ) -> tuple | None:
        """Check and count one row; (case key, counts, participants) when it
        had no problem at all, else None (a correction: its key None without counts)."""
        source, problems, max_per_row = self.source, self.problems, self.max_per_row
        case = row[case_at].strip()
        texts = [row[at].strip() for _, at in count_at]
        people = row[people_at].strip() if people_at is not None else ""
        folded = match_key(case)
        if folded in TOTALS_KEYS:
            self.skipped.append(row_line)
            self.warnings += check_totals_row(case, count_at, texts, self.counts, source, row_line)
            if people:
                self.totals_people.append((row_line, people))
            return None
        people_before = len(problems)
        people_count = None
        if people:
            people_count = whole_number(people, PARTICIPANTS, source, row_line, problems, max_per_row, negative_ok)
            if len(problems) == people_before:
                self.participants = (self.participants or 0) + people_count
        if not case and not any(texts):
            # a blank row, one holding only notes, or only the participants
            return (None, Counts(), people_count) if negative_ok and len(problems) == people_before else None
        row_problems_before = len(problems)
        key = match_case(case, folded, self.names, source, row_line, problems)
        numbers = {
            name: whole_number(text, name, source, row_line, problems, max_per_row, negative_ok)
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

    def _below_zero(self) -> None:
        """Corrections may take back what was counted, never more."""
        for key, line in self.corrected.items():
            if key == "":
                sums = {PARTICIPANTS: self.participants or 0}
            else:
                sums = {name: getattr(self.counts[key], name) for name in COUNT_COLUMNS}
            for name, value in sums.items():
                if value < 0:
                    what = f"the {name} of {self.names[match_key(key)][1]}" if key else "the participants"
                    self.problems.append(
                        Problem(
                            self.source,
                            line,
                            f"the corrections take more from {what} than was counted ({value:,} in all). "
                            "A correction can only take back rows above it: check its numbers.",
                        )
                    )

    def result(self) -> Tally:
        if self.corrected:
            self._below_zero()
        if self.totals_people:
            self.participants = totals_participants(
                self.totals_people, self.participants, self.source, self.problems, self.warnings, self.max_per_row
            )
        return Tally(
            counts=self.counts,
            rows=self.rows,
            totals=sum_counts(self.counts.values()),
            skipped=self.skipped,
            warnings=self.warnings,
            latest=[(key, replace(row_counts)) for key, row_counts in self.latest],  # rows share Counts
            participants=self.participants,
        )
