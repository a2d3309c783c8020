"""The repository stays a house the next engineer reads in a minute: small
files, short functions, each module saying what it is for, and a top level
that holds the layout Pelican users know and little else."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Not ours, or made by a command: never read.
NOT_OURS = {".git", ".venv", "node_modules", "cache", "artifacts", "build", "__pycache__", ".pytest_cache"}
MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 50


def our_python_files() -> list[Path]:
    def ours(path: Path) -> bool:
        parts = path.relative_to(ROOT).parts
        return not any(part in NOT_OURS or part.startswith("output") or part.endswith(".egg-info") for part in parts)

    return sorted(path for path in ROOT.rglob("*.py") if ours(path))


FILES = our_python_files()


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_the_house_has_rooms_to_check():
    names = {shown(path) for path in FILES}
    assert {"tasks.py", "organizer/devserver/builder.py", "plugins/tally/pelican/plugins/tally/api.py"} <= names


@pytest.mark.parametrize("path", FILES, ids=shown)
def test_no_file_is_over_400_lines(path):
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_FILE_LINES, f"{shown(path)} has {lines} lines: split it along the jobs it does"


@pytest.mark.parametrize("path", FILES, ids=shown)
def test_no_function_is_over_50_lines(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines, from line {node.lineno})"
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == [], f"{shown(path)}: {', '.join(long)}"


@pytest.mark.parametrize("path", FILES, ids=shown)
def test_every_module_says_what_it_is_for(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docstring = ast.get_docstring(tree)
    assert docstring and docstring.strip(), f"{shown(path)} does not start with a sentence on what it is for"


def test_the_top_level_holds_the_layout_pelican_users_know():
    """content/, theme/, plugins/, the two settings files and tasks.py first;
    the organizer's commands in one package; no other Python at the top."""
    python = sorted(path.name for path in ROOT.glob("*.py"))
    assert python == ["pelicanconf.py", "publishconf.py", "tasks.py"]
    for folder in ("content", "theme", "plugins", "tests", "organizer", "docs"):
        assert (ROOT / folder).is_dir(), folder
