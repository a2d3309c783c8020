"""Add one row to a tally CSV, keeping how the file is written; adds wait for
each other (a lock file) and the file is replaced atomically, whole."""

from __future__ import annotations

import csv
import io
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from .case_names import match_case, match_key, names_to_match
from .columns import CORRECTION, COUNT_COLUMNS, PARTICIPANTS, column_name, column_positions
from .counts import DEFAULT_MAX_PER_ROW, whole_number
from .problems import Problem, TallyError
from .reading import decode, guess_delimiter, header_row, parse_tally, read_file

LOCK_TIMEOUT = 30  # seconds an add waits for another add to finish


def append_row(
    path: str | Path,
    case: str,
    counts: Mapping[str, str],
    cases: Mapping[str, Iterable[str]],
    source: str | None = None,
    max_per_row: int | None = DEFAULT_MAX_PER_ROW,
    correction: str = "",
    while_locked: Callable[[str], None] | None = None,
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

    With ``correction`` (a note, one line), the row takes back counts: they
    may be negative, the note goes in the "correction" column (added if the
    file has none), and the file is refused if a case's sum would go below 0.
    ``while_locked(case name as written)`` is called once the row is on disk,
    still under the lock (a log beside the tally, in the same order as its rows).
    """
    source = source or str(path)
    correction = _checked_note(correction, source)
    canonical, numbers, only_people = _checked_row(case, counts, cases, source, max_per_row, bool(correction))
    row = _Row(canonical, numbers, only_people, correction)

    # Here, not at the top: every command that uses the API imports this module, only adds lock.
    from filelock import FileLock, Timeout

    path = _writable_path(Path(path), source)
    _refuse_if_open_in_a_spreadsheet(path, source)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with FileLock(path.with_name(f".{path.name}.lock"), timeout=LOCK_TIMEOUT):
            _add_unless_changed_meanwhile(path, row, source, cases, max_per_row)
            if while_locked is not None:
                while_locked(canonical)
    except Timeout:
        raise _held_too_long(source) from None
    return canonical


def _held_too_long(source: str) -> TallyError:
    return TallyError(
        [
            Problem(
                source,
                None,
                f"another add has held the file for {LOCK_TIMEOUT} s. Try again; if it keeps "
                f"happening, check that no other `invoke tally` is stuck.",
            )
        ]
    )


class _Row:
    """What the new row holds, checked."""

    def __init__(self, case: str, numbers: dict[str, int], only_people: bool, correction: str):
        self.case, self.numbers, self.only_people, self.correction = case, numbers, only_people, correction


def _checked_note(note: str, source: str) -> str:
    note = str(note or "").strip()
    if any(ch in note for ch in "\r\n") or len(note) > 200:
        raise TallyError([Problem(source, None, "a correction's note must be one short line.")])
    return note


def _checked_row(
    case: str,
    counts: Mapping[str, str],
    cases: Mapping[str, Iterable[str]],
    source: str,
    max_per_row: int | None,
    negative_ok: bool = False,
) -> tuple[str, dict[str, int], bool]:
    """The case's name as written, the row's numbers, and whether it holds
    participants alone; every problem with them is raised before the file is touched."""
    names = names_to_match(cases)
    problems: list[Problem] = []
    case = case.strip()
    people_text = str(counts.get(PARTICIPANTS) or "").strip()
    numbers = {
        name: whole_number(str(counts.get(name, "")).strip(), name, source, None, problems, max_per_row, negative_ok)
        for name in COUNT_COLUMNS
    }
    if people_text:
        numbers[PARTICIPANTS] = whole_number(
            people_text, PARTICIPANTS, source, None, problems, max_per_row, negative_ok
        )
    only_people = bool(people_text) and not case and not any(numbers[n] for n in COUNT_COLUMNS)
    key = None if only_people else match_case(case, match_key(case), names, source, None, problems)
    if problems:
        raise TallyError(problems)
    canonical = "" if only_people else names[match_key(key)][1]
    return canonical, numbers, only_people


def _add_unless_changed_meanwhile(path: Path, row: _Row, source: str, cases, max_per_row) -> None:
    """Write the file with the row added; if it changed while the new file
    was made, start again from what it holds now (three tries)."""
    for _ in range(3):
        # Our adds wait for each other; an editor saving meanwhile does not.
        before = _file_state(path)
        data = read_file(path, source)
        new_data = _with_row(data, row, source, cases, max_per_row)
        if _file_state(path) == before:
            replace_file(path, new_data)
            return
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


def _with_row(data: bytes | None, row: _Row, source: str, cases, max_per_row) -> bytes:
    """The file's bytes with one row added at the end, checked to read back."""
    case, numbers, only_people = row.case, row.numbers, row.only_people
    if data:
        parse_tally(data, source, cases, max_per_row)  # refuse to add to a file that is already broken
        text, encoding, bom = decode(data, source)
    else:
        text, encoding, bom = "", "utf-8", b""
    if not text.strip():
        text = "case,letters,cards,emails\n"
    newline = "\r\n" if "\r\n" in text else "\n"
    delimiter = guess_delimiter(text)
    header, header_line = header_row(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    columns = column_positions(header, source, header_line, [])
    for name, wanted in ((PARTICIPANTS, PARTICIPANTS in numbers), (CORRECTION, bool(row.correction))):
        if wanted and name not in columns:
            written = column_name(name, header)  # "Teilnehmende" in a German header
            text = _add_column(text, header_line, delimiter, written)  # the rows above read it as empty
            header = [*header, written]
            columns[name] = len(header) - 1
    cells = [""] * len(header)
    cells[columns["case"]] = case
    if row.correction:
        cells[columns[CORRECTION]] = row.correction
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

    line = io.StringIO()
    csv.writer(line, delimiter=delimiter, lineterminator=newline).writerow(cells)
    if not text.endswith(("\n", "\r")):
        text += newline
    new_text = text + line.getvalue()
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


def replace_file(path: Path, data: bytes) -> None:
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
