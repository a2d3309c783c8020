"""The tally's columns and every name people write for them in the header
row; which column a header cell is, and which cells are missing or doubled."""

from __future__ import annotations

from .case_names import match_key
from .problems import Problem, printable

COUNT_COLUMNS = ("letters", "cards", "emails")
# How many people took part: added up over the rows, like the counts, but not
# an action. A row may hold only this (its case cell empty).
PARTICIPANTS = "participants"
# A row with a note in this column corrects the rows above (an undo, a typo
# taken back): its counts may be negative. No case's sum may go below 0.
CORRECTION = "correction"
REQUIRED_COLUMNS = ("case", "letters")

# Every header people write for our columns. A header is compared with these
# folded like a case name (no capitals, accents, spaces or hyphens), so
# "E-mails", "e mail" and "EMAIL" are all "emails". Reading and adding a row both
# use this table; docs/tally.md shows it to the organizer.
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "case": ("case", "cases", "case name"),
    "letters": ("letters", "letter", "appeal letters", "appeal letter"),
    "cards": ("cards", "card", "solidarity cards", "solidarity card", "postcards", "postcard"),
    "emails": ("emails", "email", "e-mails", "e-mail", "mails", "mail"),
    PARTICIPANTS: ("participants", "participant"),
    CORRECTION: ("correction", "corrections"),
}
# A header that is none of the above but holds one of these words is probably
# a count column with a name we do not know (or in another language, or of an
# action the tally does not count): its numbers must not vanish unseen.
COUNT_WORDS = (
    "letter", "card", "mail",
    "lettre", "carte", "brief", "karte", "carta", "tarjeta",
    "tweet", "signature", "petition",
)  # fmt: skip

_COLUMN_BY_KEY = {match_key(name): column for column, names in COLUMN_NAMES.items() for name in names}


def column_of(header_cell: str) -> str | None:
    """Which of our columns a header cell names ("case", "letters", ...), if any."""
    return _COLUMN_BY_KEY.get(match_key(header_cell))


def accepted_names(column: str) -> str:
    return ", ".join(f'"{name}"' for name in COLUMN_NAMES[column])


def column_positions(header: list[str], source: str, line: int, problems: list[Problem]) -> dict[str, int]:
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
