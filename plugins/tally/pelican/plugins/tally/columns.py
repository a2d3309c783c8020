"""The tally's columns and every name people write for them in the header
row; which column a header cell is, and which cells are missing or doubled."""

from __future__ import annotations

from collections.abc import Iterable

from .case_names import match_key
from .column_names import COUNT_WORDS, LANGUAGES, NAMES_BY_LANGUAGE
from .problems import Problem, printable

COUNT_COLUMNS = ("letters", "cards", "emails")
# How many people took part: added up over the rows, like the counts, but not
# an action. A row may hold only this (its case cell empty).
PARTICIPANTS = "participants"
# A row with a note in this column corrects the rows above (an undo, a typo
# taken back): its counts may be negative. No case's sum may go below 0.
CORRECTION = "correction"
REQUIRED_COLUMNS = ("case", "letters")

# Every header people write for our columns, in every language (column_names.py).
# A header is compared with these folded like a case name (no capitals,
# accents, spaces or hyphens), so "E-mails", "e mail" and "EMAIL" are all
# "emails". Reading and adding a row both use this table; docs/tally.md shows
# it to the organizer, language by language.
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    column: tuple(name for names in NAMES_BY_LANGUAGE.values() for name in names[column])
    for column in NAMES_BY_LANGUAGE["en"]
}

_COLUMN_BY_KEY = {match_key(name): column for column, names in COLUMN_NAMES.items() for name in names}
_LANGUAGES_BY_KEY: dict[str, set[str]] = {}  # folded name -> the languages that write it so
for _language, _table in NAMES_BY_LANGUAGE.items():
    for _name in (name for names in _table.values() for name in names):
        _LANGUAGES_BY_KEY.setdefault(match_key(_name), set()).add(_language)


def column_of(header_cell: str) -> str | None:
    """Which of our columns a header cell names ("case", "letters", ...), if any."""
    return _COLUMN_BY_KEY.get(match_key(header_cell))


def header_languages(header: list[str]) -> list[str]:
    """The languages the header's known cells are written in ("de" for
    "Fall;Briefe;E-Mails"), in LANGUAGES order. A cell written alike in several
    ("E-Mails", "participants") says nothing when another names one language
    only; English when no cell says more."""
    found = [_LANGUAGES_BY_KEY[key] for key in map(match_key, header) if key in _LANGUAGES_BY_KEY]
    languages = {next(iter(named)) for named in found if len(named) == 1}
    if not languages and found and not any("en" in named for named in found):
        languages = set().union(*found)
    return [language for language in LANGUAGES if language in languages] or ["en"]


def accepted_names(column: str, languages: Iterable[str] = ("en",)) -> str:
    """The names of ``column`` in ``languages``, quoted, each once (whatever its capitals)."""
    names: dict[str, str] = {}  # without capitals -> the first way of writing it
    for language in languages:
        for name in NAMES_BY_LANGUAGE[language][column]:
            names.setdefault(name.casefold(), name)
    return ", ".join(f'"{name}"' for name in names.values())


def column_name(column: str, header: list[str]) -> str:
    """The name a column added to this header gets: in the header's language."""
    return NAMES_BY_LANGUAGE[header_languages(header)[0]][column][0]


def example_header(language: str) -> str:
    """'case,letters,cards,emails' in ``language`` ('Fall,Briefe,Karten,E-Mails')."""
    return ",".join(NAMES_BY_LANGUAGE[language][column][0] for column in ("case", *COUNT_COLUMNS))


def column_positions(header: list[str], source: str, line: int, problems: list[Problem]) -> dict[str, int]:
    """Map our column names to their positions; other columns are ignored,
    unless their name speaks of letters, cards or mail."""
    positions: dict[str, int] = {}
    first_name: dict[str, str] = {}
    languages = header_languages(header)
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
                        f"{accepted_names('letters', languages)}; {accepted_names('cards', languages)}; "
                        f"{accepted_names('emails', languages)}, "
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
                    f'the header row has no "{column}" column ({accepted_names(column, languages)} all work). '
                    f"The first row must name the columns, e.g. {example_header(languages[0])}.",
                )
            )
    return positions
