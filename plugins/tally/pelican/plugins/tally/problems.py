"""What is wrong with a tally file, phrased for the organizer: one ``Problem``
each, all raised at once as one ``TallyError`` so the whole file is fixed in one go."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def printable(text: str) -> str:
    """``text`` safe to show in a terminal: control characters and escape
    sequences are written out (``\\x1b``) instead of acting on the screen."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii") for c in text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file, phrased for the organizer."""

    path: str
    line: int | None
    message: str
    unknown_case: str | None = field(default=None, compare=False)  # the cell, when no case has that name

    def __str__(self) -> str:
        path = printable(self.path)
        where = f"{path}, line {self.line}" if self.line else path
        return f"{where}: {self.message}"


class TallyError(Exception):
    """Every problem found in one tally file."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def shown_path(path: str) -> str:
    """The path as the organizer typed it: relative to where they stand."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative
