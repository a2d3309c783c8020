"""The tally plugin's public API, for commands and programs beside a site:
read the site's tally, or add a row to its CSV, from Pelican's settings,
without building the site.

    from pelican.settings import read_settings
    from pelican.plugins.tally import api

    settings = read_settings("pelicanconf.py")
    result = api.read_tally(settings)      # the `tally` the templates get
    api.add_row(settings, "Annie Alfred", {"letters": "3"})

Both raise TallyError (a bad CSV: every problem, with its line) or
SettingError (a setting the plugin cannot use); str() of either is the message.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

from pelican.contents import Page
from pelican.readers import Readers

from .appending import append_row
from .page_checks import ContentError
from .problems import Problem, TallyError, printable
from .results import CaseResult, TallyResult, case_names, case_pages, max_per_row, tally_for, why_unknown
from .settings import SettingError, case_paths, check_settings, csv_path

__all__ = [
    "CaseResult",
    "ContentError",
    "Problem",
    "SettingError",
    "TallyError",
    "TallyResult",
    "add_row",
    "csv_path",
    "printable",
    "read_case_pages",
    "read_tally",
]


def read_case_pages(settings: Mapping) -> list[Page]:
    """The site's case pages (TALLY_CASE_PATHS, published), read straight
    from the content folder, in order."""
    return _case_pages_by_status(settings)[0]


def read_tally(settings: Mapping) -> TallyResult:
    """The site's tally: its totals, its goal and percent, and every case."""
    check_settings(settings)
    published, unpublished = _case_pages_by_status(settings)
    return tally_for(published, settings, unpublished)


def add_row(
    settings: Mapping,
    case: str,
    counts: Mapping[str, str],
    correction: str = "",
    while_locked: Callable[[str], None] | None = None,
) -> str:
    """Add one row of counts ("letters", "cards", "emails", and "participants",
    as typed) for `case` (its name or slug; "" for participants alone) to the
    site's CSV, checked before anything is written; returns the case's name
    as written ("" for participants alone). With `correction` (a note), the
    row takes counts back (negative numbers); `while_locked` runs under the
    file's lock once the row is on disk (see appending.append_row)."""
    check_settings(settings)
    path = csv_path(settings)
    published, unpublished = _case_pages_by_status(settings)
    try:
        return append_row(
            path,
            case,
            counts,
            case_names(published),
            source=os.path.relpath(path),
            max_per_row=max_per_row(settings),
            correction=correction,
            while_locked=while_locked,
        )
    except TallyError as error:
        raise TallyError([why_unknown(problem, unpublished) for problem in error.problems]) from None


def _case_pages_by_status(settings: Mapping) -> tuple[list[Page], list[Page]]:
    """The case pages the site publishes, and those it does not (drafts, hidden)."""
    global _last_read
    readers = Readers(settings)
    files = [
        file
        for folder in case_paths(settings)
        for file in sorted(Path(settings["PATH"], folder).rglob("*"))
        if file.is_file() and file.suffix[1:] in readers.extensions
    ]
    stamp = [(file, file.read_bytes()) for file in files]
    if _last_read and _last_read[0] is settings and _last_read[1] == stamp:
        return _last_read[2]
    pages = [
        readers.read_file(
            base_path=settings["PATH"], path=str(file.relative_to(settings["PATH"])), content_class=Page, context={}
        )
        for file in files
    ]
    by_status = (
        case_pages([page for page in pages if page.status == "published"], settings),
        case_pages([page for page in pages if page.status != "published"], settings),
    )
    _last_read = (settings, stamp, by_status)
    return by_status


# The case pages as last read, with the settings and every case file's bytes
# they were read from: a caller that adds row after row (the count desk) reads
# them again only when a file or the settings changed. Reading them is nearly
# all the time an add takes (Markdown and typogrify on every page).
_last_read: tuple[Mapping, list[tuple[Path, bytes]], tuple[list[Page], list[Page]]] | None = None
