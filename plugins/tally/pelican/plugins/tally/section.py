"""Section mode's core: a folder of group files (one tally CSV or saved tally.json
per local group) read into one result per group, and the section's sums of them.

No Pelican import: it is tested alone. A group whose file has a problem is not
counted (never a partial number) and its problems are the section's warnings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from unidecode import unidecode

from .adding import Tally
from .counts import DEFAULT_MAX_PER_ROW, Counts, sum_counts
from .group_files import parse_group_json
from .problems import Problem, TallyError, shown_path
from .reading import read_file, read_tally
from .section_goals import GOALS_FILE, read_goals

GROUP_SUFFIXES = (".csv", ".json")


@dataclass
class Group:
    """One local group: its name and slug (from its file's name), its counts
    (None while not counted: no counts yet, or a file with a problem), its goal."""

    name: str
    slug: str
    source: str  # the file, as messages name it
    tally: Tally | None = None
    goal: int | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def counted(self) -> bool:
        """True once the group's file holds counts and has no problem."""
        return self.tally is not None and self.tally.rows > 0 and not self.problems


@dataclass
class Section:
    """Every group of the folder, in order of name, and the sums of the counted ones."""

    groups: list[Group]
    tally: Tally
    warnings: list[Problem] = field(default_factory=list)


def group_name(stem: str) -> str:
    """A group's name from its file's: brooklyn-heights -> Brooklyn Heights."""
    words = re.split(r"[-_\s]+", stem.strip())
    return " ".join(word[:1].upper() + word[1:] for word in words if word) or stem


def group_slug(name: str, taken: set[str]) -> str:
    """A slug of letters, digits and hyphens only, unique among ``taken`` (which it joins)."""
    base = re.sub(r"[^a-z0-9]+", "-", unidecode(name).lower()).strip("-") or "group"
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug


def group_files(folder: str | Path) -> list[Path]:
    """The group files of the folder: its .csv and .json files but the goals
    file, hidden files (a lock, an editor's copy) and anything not a file."""
    return [
        path
        for path in Path(folder).iterdir()
        if path.suffix.lower() in GROUP_SUFFIXES
        and path.name.lower() != GOALS_FILE
        and not path.name.startswith((".", "~"))
        and not path.is_dir()
    ]


def read_group(path: Path, cases: Mapping[str, Iterable[str]], max_per_row: int | None) -> tuple:
    """(counts or None, goal from the file or None, problems) of one group file."""
    source = shown_path(str(path))
    try:
        if path.suffix.lower() == ".json":
            data = read_file(path, source)
            return (*parse_group_json(data or b"", source, cases), [])
        return read_tally(path, cases, source=source, max_per_row=max_per_row), None, []
    except TallyError as error:
        return None, None, error.problems


def read_section(
    folder: str | Path, cases: Mapping[str, Iterable[str]], max_per_row: int | None = DEFAULT_MAX_PER_ROW
) -> Section:
    """Read every group file of ``folder``; ``cases`` as for reading.read_tally."""
    files = sorted(group_files(folder), key=lambda path: (group_name(path.stem).casefold(), path.name))
    taken: set[str] = set()
    groups, warnings = [], []
    for path in files:
        name = group_name(path.stem)
        tally, goal, problems = read_group(path, cases, max_per_row)
        group = Group(name, group_slug(name, taken), shown_path(str(path)), tally, goal, problems)
        groups.append(group)
        warnings += [_not_counted(problem, name) for problem in problems]
        warnings += tally.warnings if tally and not problems else []
    warnings += read_goals(Path(folder) / GOALS_FILE, list(zip(groups, (path.stem for path in files))))
    return Section(groups=groups, tally=add_up(groups, cases), warnings=warnings)


def _not_counted(problem: Problem, name: str) -> Problem:
    """A group file's problem as a warning that says the group is left out."""
    return Problem(
        problem.path,
        problem.line,
        f"{problem.message} {name} is shown as not counted yet, and adds nothing to the "
        "section's totals, until the file is fixed.",
    )


def add_up(groups: Iterable[Group], cases: Iterable[str]) -> Tally:
    """The section's counts: per case, the sum over the counted groups only."""
    counts = {key: Counts() for key in cases}
    rows, participants = 0, None
    for group in groups:
        if not group.counted:
            continue
        for key, case_counts in group.tally.counts.items():
            counts[key].add(case_counts)
        rows += group.tally.rows
        if group.tally.participants is not None:
            participants = (participants or 0) + group.tally.participants
    return Tally(counts=counts, rows=rows, totals=sum_counts(counts.values()), participants=participants)


def section_has_counts(folder: str | Path, csv_has_counts) -> bool:
    """Whether any group file of ``folder`` has a count (``csv_has_counts``
    says for a CSV); a file that cannot be read says yes here, as for the
    tally CSV, and the build's warnings say what is wrong with it."""
    if not Path(folder).is_dir():
        return True  # check_settings says what is wrong
    for path in group_files(folder):
        if path.suffix.lower() == ".csv" and csv_has_counts(path):
            return True
        if path.suffix.lower() == ".json":
            try:
                rows = json.loads(path.read_bytes()).get("rows")
            except (OSError, ValueError, AttributeError):
                return True
            if not isinstance(rows, int) or rows > 0:
                return True
    return False
