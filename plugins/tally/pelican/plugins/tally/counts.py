"""Letters, cards and e-mails as numbers: ``Counts``, their sum, and one
count cell read as a whole number (or a problem saying why it is not one)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .problems import Problem, printable

DEFAULT_MAX_PER_ROW = 10_000  # TALLY_MAX_PER_ROW: more in one row is surely a typo


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


def sum_counts(counts: Iterable[Counts]) -> Counts:
    total = Counts()
    for each in counts:
        total.add(each)
    return total


def whole_number(
    value: str,
    column: str,
    source: str,
    line: int | None,
    problems: list[Problem],
    max_per_row: int | None,
    negative_ok: bool = False,
) -> int:
    """The cell as a whole number; a problem (and 0) if it is none. Negative
    only with ``negative_ok`` (a correction row), and never beyond the ceiling."""
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
        if number < 0 and not negative_ok:
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
    if max_per_row is not None and abs(number) > max_per_row:
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
