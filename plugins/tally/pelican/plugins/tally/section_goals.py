"""Section mode's goals file: groups.csv in the groups' folder gives a goal
per group (columns `group` and `goal`); a row it cannot use is a warning with its line."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .case_names import match_key
from .problems import Problem, TallyError, printable, shown_path
from .reading import decode, guess_delimiter, read_file

GOALS_FILE = "groups.csv"
GROUP_COLUMNS = ("group", "name")


def read_goals(path: Path, groups: list) -> list[Problem]:
    """Give each of ``groups`` (pairs of a Group and its file's name without
    the suffix) the goal groups.csv gives it; the problems found, as warnings.
    A goal that cannot be read is not set: that group's bar is not shown."""
    source = shown_path(str(path))
    try:
        data = read_file(path, source)
        if data is None:
            return []
        text = decode(data, source)[0]
    except TallyError as error:
        return error.problems
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=guess_delimiter(text))
    header = [cell.strip().lower() for cell in next(reader, [])]
    at = next((header.index(name) for name in GROUP_COLUMNS if name in header), None)
    if at is None or "goal" not in header:
        return [Problem(source, 1, 'the header row must name a "group" and a "goal" column, e.g. group,goal.')]
    goal_at = header.index("goal")
    by_key = {}
    for group, stem in groups:
        by_key.setdefault(match_key(stem), group)
        by_key.setdefault(match_key(group.name), group)
    problems = []
    for row in reader:
        cells = [cell.strip() for cell in row] + [""] * (max(at, goal_at) + 1 - len(row))
        if not any(cells):
            continue
        problems += _set_goal(by_key.get(match_key(cells[at])), cells[at], cells[goal_at], source, reader.line_num)
    return problems


def _set_goal(group, named: str, goal: str, source: str, line: int) -> list[Problem]:
    if group is None:
        return [
            Problem(
                source,
                line,
                f'"{printable(named)}" is none of the group files in this folder: write the name of a '
                "group's file (without .csv or .json), or delete the row.",
            )
        ]
    if not (goal.isascii() and goal.isdigit() and int(goal) > 0):
        return [
            Problem(
                source,
                line,
                f'the goal of {printable(group.name)} is "{printable(goal)}": write a whole number above 0, '
                "such as 500. Its bar is not shown until then.",
            )
        ]
    group.goal = int(goal)
    return []
