"""The site's Markdown pages as Pelican will find them, and the lines at their
top as Markdown's meta extension reads them, without Pelican reading the pages."""

from __future__ import annotations

import fnmatch
import itertools
import re
from pathlib import Path

from pelican.utils import slugify

_META_LINE = re.compile(r"^[ ]{0,3}([A-Za-z0-9_-]+):\s*(.*)$")  # as Markdown's meta extension reads it


def read_metadata(text: str) -> tuple[dict[str, tuple[int, str]], tuple[int, str] | None]:
    """The lines at the top of a Markdown page: lower-cased name -> (line,
    text); and, if they end at a line that is not "Name: value" (a colon
    forgotten) while such lines follow it, that line's number and text."""
    metadata: dict[str, tuple[int, str]] = {}
    last = None
    lines = text.splitlines()
    start = 1 if lines and lines[0].strip() == "---" else 0
    for number, line in enumerate(lines[start:], start + 1):
        match = _META_LINE.match(line)
        if match:
            last = match[1].lower()
            metadata[last] = (number, match[2].strip())
        elif last and line.startswith("    ") and line.strip():
            metadata[last] = (metadata[last][0], f"{metadata[last][1]}\n{line.strip()}".strip())
        elif not line.strip() or line.strip() == "---":
            break  # a blank line (or "---") ends the metadata
        else:
            following = itertools.takewhile(lambda later: later.strip(), lines[number:])
            return metadata, (number, line) if any(_META_LINE.match(later) for later in following) else None
    return metadata, None


def markdown_files(settings):
    extensions = (".md", ".markdown", ".mkd", ".mdown")
    ignores = settings.get("IGNORE_FILES", [".*"])
    for kind, folders in (("page", settings["PAGE_PATHS"]), ("article", settings["ARTICLE_PATHS"])):
        excludes = settings.get(f"{kind.upper()}_EXCLUDES", [])
        for folder in folders:
            root = Path(settings["PATH"], folder)
            for path in sorted(root.rglob("*")) if root.is_dir() else []:
                relative = path.relative_to(settings["PATH"]).as_posix()
                if (
                    path.suffix in extensions
                    and path.is_file()
                    and not any(relative.startswith(f"{e}/") or relative == e for e in excludes)
                    and not _ignored(path.relative_to(root), ignores)
                ):
                    yield kind, path


def _ignored(relative: Path, ignores) -> bool:
    """Whether Pelican skips this file: it or a folder on its way matches
    IGNORE_FILES (macOS's ._ files, editors' .#lock files with ".*")."""
    return any(fnmatch.fnmatch(part, pattern) for part in relative.parts for pattern in ignores)


def page_slug(settings, path: Path, metadata) -> str:
    source = path.stem if settings.get("SLUGIFY_SOURCE") == "basename" else metadata.get("title", (0, ""))[1]
    return slugify(
        source,
        regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
        preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
        use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
    )
