"""Adds and undos from the desk: each goes through the tally plugin's add_row,
the very checks, lock and atomic write of `invoke tally`, and is written to
the audit log under the same lock, so the two match row for row."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from pelican.plugins.tally import api as tally_api

from organizer.counting import some
from organizer.desk.audit import AuditLog, Entry, audit_path

COUNTS = ("letters", "cards", "emails")


class AuditError(Exception):
    """The row is in the tally, but the audit log could not be written."""


class Counter:
    """The tally CSV of `settings`, and its audit log beside it."""

    def __init__(self, settings: Mapping):
        self.settings = settings
        self.audit = AuditLog(audit_path(tally_api.csv_path(settings)))

    def add(self, device: str, case: str, typed: Mapping[str, str]) -> Entry:
        """Add one row as typed (checked by add_row; TallyError says why not)."""
        counts = {name: str(typed.get(name, "")) for name in (*COUNTS, "participants")}
        return self._write(device, "add", case, counts, correction="", undoes=None)

    def undo(self, device: str, entry: Entry) -> Entry:
        """A visible correcting row that takes `entry` back: its numbers negated,
        its note "undo of desk add N"."""
        counts = {name: str(-getattr(entry, name)) if getattr(entry, name) else "" for name in COUNTS}
        counts["participants"] = str(-entry.participants) if entry.participants else ""
        note = f"undo of desk add {entry.number}"
        return self._write(device, "undo", entry.case, counts, correction=note, undoes=entry.number)

    def _write(self, device: str, action: str, case: str, counts: dict, correction: str, undoes) -> Entry:
        written: list[Entry] = []

        def log(name: str) -> None:  # under the tally's lock, once the row is on disk
            numbers = {column: int(value.strip() or 0) for column, value in counts.items()}
            entry = Entry(
                number=self.audit.next_number(),
                time=datetime.now().astimezone().isoformat(timespec="seconds"),
                device=device,
                action=action,
                case=name,
                participants=numbers.pop("participants") if counts["participants"].strip() else None,
                undoes=undoes,
                **{c: numbers[c] for c in COUNTS},
            )
            try:
                self.audit.append(entry)
            except OSError as error:
                raise AuditError(f"{self.audit.path.name}: {error.strerror or error}") from None
            written.append(entry)

        tally_api.add_row(self.settings, case, counts, correction=correction, while_locked=log)
        return written[0]

    def recent(self, how_many: int = 10) -> list[Entry]:
        """The last adds and undos, newest first."""
        return self.audit.entries()[-how_many:][::-1]


def in_words(entry: Entry) -> str:
    """'Annie Alfred: 3 letters, 1 card, 0 e-mails; 4 participants' (numbers as given)."""
    parts = []
    if entry.case:
        parts.append(f"{entry.case}: " + ", ".join(some(abs(getattr(entry, c)), c) for c in COUNTS))
    if entry.participants is not None:
        parts.append(some(abs(entry.participants), "participants"))
    return "; ".join(parts)
