"""Helpers for the tests of the organizer's commands: a tree's hash, the
staging folders left behind, a one-line error, the dev server's box."""

from __future__ import annotations

import hashlib
import re
import stat
from pathlib import Path


def tree_hash(folder: Path) -> str:
    """Every path, mode and byte of a tree."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(f"{path.relative_to(folder)} {stat.S_IMODE(path.lstat().st_mode):o}\n".encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def staging_left(project: Path) -> list[str]:
    return sorted(p.name for p in project.rglob(".output*"))


def without_case_sheets(project: Path) -> None:
    with open(project / "publishconf.py", "a", encoding="utf-8") as settings:
        settings.write("\nCASE_SHEETS_PDF = None\n")


def edit_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def one_line(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


BROKEN_CSV = "case,letters\nAnnie Alfred,lots\n"


def banner(page: str) -> str | None:
    match = re.search(r'<section class="devserver-problems".*?</section>', page, flags=re.S)
    return match.group(0) if match else None


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
