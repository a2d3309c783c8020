"""Rows that sum the rows above them ("Total", "All cases"): skipped, not
counted, but checked against the rows so a disagreement is not lost."""

from __future__ import annotations

from .case_names import match_key
from .column_names import TOTALS_BY_LANGUAGE
from .columns import PARTICIPANTS
from .counts import sum_counts, whole_number
from .problems import Problem, printable

# A row whose case is one of these sums the rows above: it is not a case
# (in every language: column_names.py).
TOTALS_NAMES = tuple(name for names in TOTALS_BY_LANGUAGE.values() for name in names)

TOTALS_KEYS = frozenset(match_key(name) for name in TOTALS_NAMES)


def is_totals_row(case: str) -> bool:
    """True for a row whose case is "Total", "All cases" and the like."""
    return match_key(case) in TOTALS_KEYS


def check_totals_row(case, count_at, texts, counts, source, line) -> list[Problem]:
    """A totals row is skipped; say so when its numbers differ from the rows above."""
    above = sum_counts(counts.values())
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


def totals_participants(totals_people, participants, source, problems, warnings, max_per_row):
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
        return whole_number(cell, PARTICIPANTS, source, line, problems, max_per_row)
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
