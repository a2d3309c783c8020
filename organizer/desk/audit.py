"""The desk's audit log beside the tally (content/data/tally.audit.csv): every add
and undo with its time and device, written atomically under the tally's lock
and never published (content/data/ is not copied to the site)."""

from __future__ import annotations

import csv
import io
from dataclasses import astuple, dataclass, fields
from pathlib import Path

from pelican.plugins.tally.appending import replace_file

from organizer.counting import spreadsheet_safe


@dataclass
class Entry:
    """One add or undo, as the audit log holds it (numbers negative for an undo)."""

    number: int
    time: str
    device: str
    action: str  # "add" or "undo"
    case: str
    letters: int
    cards: int
    emails: int
    participants: int | None
    undoes: int | None = None  # the number of the add an undo takes back


COLUMNS = [f.name for f in fields(Entry)]


def audit_path(tally_csv: str | Path) -> Path:
    """content/data/tally.csv -> content/data/tally.audit.csv."""
    tally_csv = Path(tally_csv)
    return tally_csv.with_name(f"{tally_csv.stem}.audit.csv")


class AuditLog:
    def __init__(self, path: Path):
        self.path = Path(path)

    def entries(self) -> list[Entry]:
        """Every entry, oldest first; a line that cannot be read is passed over."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        found = []
        for row in csv.DictReader(io.StringIO(text, newline="")):
            try:
                found.append(_entry(row))
            except (KeyError, TypeError, ValueError):
                continue
        return found

    def next_number(self) -> int:
        return max((e.number for e in self.entries()), default=0) + 1

    def append(self, entry: Entry) -> None:
        """Add `entry` at the end: a new file beside the log, renamed over it in
        one step. The caller holds the tally's lock."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            data = b""
        if not data.strip():
            data = _line(COLUMNS)
        elif not data.endswith(b"\n"):
            data += b"\r\n"
        cells = ["" if value is None else value for value in astuple(entry)]
        replace_file(self.path, data + _line(spreadsheet_safe([cells])[0]))


def _entry(row: dict) -> Entry:
    def number(name: str) -> int | None:
        value = (row[name] or "").strip()
        return int(value) if value else None

    return Entry(
        number=int(row["number"]),
        time=row["time"],
        device=row["device"].removeprefix("'"),
        action=row["action"],
        case=row["case"].removeprefix("'"),
        letters=number("letters") or 0,
        cards=number("cards") or 0,
        emails=number("emails") or 0,
        participants=number("participants"),
        undoes=number("undoes"),
    )


def _line(cells: list) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    return out.getvalue().encode("utf-8")
