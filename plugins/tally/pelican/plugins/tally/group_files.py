"""Section mode: a group's published tally.json, saved in the groups' folder,
read into the same counts its tally CSV would give, or a TallyError with lines."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from .adding import Tally
from .case_names import match_case, match_key, names_to_match
from .columns import COUNT_COLUMNS
from .counts import Counts, sum_counts
from .problems import Problem, TallyError, printable
from .reading import decode

SAVE_AGAIN = "Save the group's tally.json again, as its site publishes it."


def parse_group_json(data: bytes, source: str, cases: Mapping[str, Iterable[str]]) -> tuple[Tally, int | None]:
    """The counts per case key and the goal of one group's tally.json."""
    text = decode(data, source)[0]
    try:
        report = json.loads(text)
    except json.JSONDecodeError as error:
        raise TallyError(
            [Problem(source, error.lineno, f"is not readable JSON ({error.msg}, column {error.colno}). {SAVE_AGAIN}")]
        ) from None
    if not isinstance(report, dict) or not isinstance(report.get("cases"), list):
        raise TallyError([Problem(source, 1, f'is not a tally.json: it has no "cases" list. {SAVE_AGAIN}')])
    problems: list[Problem] = []
    names = names_to_match(cases)
    counts = {key: Counts() for key in cases}
    for entry, line in zip(report["cases"], _entry_lines(text, len(report["cases"]))):
        if not isinstance(entry, dict):
            problems.append(Problem(source, line, f"a case is not a {{...}} object. {SAVE_AGAIN}"))
            continue
        named = str(entry.get("slug") or entry.get("title") or "")
        key = match_case(named, match_key(named), names, source, line, problems)
        numbers = {name: _count(entry.get(name), f'"{name}"', source, line, problems) for name in COUNT_COLUMNS}
        if "total" in entry and entry["total"] != sum(numbers.values()):
            problems.append(
                Problem(
                    source,
                    line,
                    f'the "total" of "{printable(named)}" ({printable(str(entry["total"]))}) is not its '
                    f"letters + cards + e-mails ({sum(numbers.values())}). {SAVE_AGAIN}",
                )
            )
        if key is not None:
            counts[key].add(Counts(**numbers))
    rows = _count(report.get("rows"), '"rows"', source, 1, problems)
    people = report.get("participants")
    participants = None if people is None else _count(people, '"participants"', source, 1, problems)
    goal = report.get("goal")
    if goal is not None and not (type(goal) is int and goal > 0):
        problems.append(
            Problem(
                source, 1, f'the "goal" is {printable(json.dumps(goal))}: a whole number above 0, or null. {SAVE_AGAIN}'
            )
        )
    if problems:
        raise TallyError(problems)
    tally = Tally(counts=counts, rows=rows, totals=sum_counts(counts.values()), participants=participants)
    return tally, goal


def _count(value, name: str, source: str, line: int | None, problems: list[Problem]) -> int:
    """A count of the file: a whole number, 0 or more (missing: 0)."""
    if value is None:
        return 0
    if type(value) is int and value >= 0:
        return value
    problems.append(
        Problem(
            source, line, f"{name} is {printable(json.dumps(value))}, not a whole number of 0 or more. {SAVE_AGAIN}"
        )
    )
    return 0


def _entry_lines(text: str, count: int) -> list[int | None]:
    """The line each element of the top-level "cases" list starts on, read
    element by element; None for each where the text is not laid out so."""
    decoder = json.JSONDecoder()
    lines: list[int | None] = []
    try:
        at = text.index("[", text.index('"cases"'))
        while len(lines) < count:
            at += 1
            while text[at] in " \t\r\n,":
                at += 1
            lines.append(text.count("\n", 0, at) + 1)
            at = decoder.raw_decode(text, at)[1] - 1
    except (ValueError, IndexError):
        return [None] * count
    return lines
