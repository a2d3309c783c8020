"""Which case a cell of the tally CSV names, whatever its capitals, accents
and spaces; an unknown name gets the closest case as a suggestion."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Mapping

from unidecode import unidecode

from .problems import Problem, printable


@functools.lru_cache(maxsize=4096)  # a CSV repeats the same few names
def match_key(text: str) -> str:
    """Fold a case name so that 'Máxima Acuña', 'MAXIMA ACUNA' and
    'maxima-acuna' compare equal (and 'Łukasz' is 'Lukasz'): letters and
    digits only, without accents or capitals."""
    return re.sub(r"[^a-z0-9]+", "", unidecode(text).lower())


def names_to_match(cases: Mapping[str, Iterable[str]]) -> dict[str, tuple[str, str]]:
    """Folded name -> (case key, the name to suggest)."""
    names: dict[str, tuple[str, str]] = {}
    for key, aliases in cases.items():
        aliases = list(aliases)
        display = aliases[0] if aliases else key
        for alias in [key, *aliases]:
            if match_key(alias):
                names.setdefault(match_key(alias), (key, display))
    return names


def match_case(
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
