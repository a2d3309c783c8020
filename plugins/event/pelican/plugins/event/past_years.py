"""Past years: each archived campaign (EVENT_ARCHIVE_PATH in the content
folder, e.g. content/archive/2016/ with its own event.toml, pages, cases,
posts and tally CSV), and the settings that build it as a site of its own.

Plain Python with no Pelican import: the build, `invoke tally --year`,
`invoke report --year` and the example-values check all read a year here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from .event_file import read_event_file

# The archive folder, relative to the content folder; None for none.
ARCHIVE_SETTING = "EVENT_ARCHIVE_PATH"
# The site's name for a year, e.g. "Write for Rights {year}".
SITENAME_SETTING = "EVENT_SITENAME"
# Set in a past year's settings: that year (the templates say so on every page).
PAST_YEAR = "PAST_YEAR"
YEAR_FOLDER = re.compile(r"^\d{4}$")


class ArchiveError(ValueError):
    """A past year that cannot be used: one line naming its folder or file."""


def archive_folder(settings: Mapping) -> Path | None:
    """content/archive (EVENT_ARCHIVE_PATH in PATH), or None when there is none."""
    name = settings.get(ARCHIVE_SETTING)
    if not name or not settings.get("PATH") or settings.get(PAST_YEAR):
        return None
    return Path(settings["PATH"], name)


def archived_years(settings: Mapping) -> dict[int, Path]:
    """Each archived year and its folder, newest first (a folder named by
    four digits; anything else in the archive is left alone)."""
    folder = archive_folder(settings)
    if folder is None or not folder.is_dir():
        return {}
    years = sorted((p for p in folder.iterdir() if p.is_dir() and YEAR_FOLDER.match(p.name)), reverse=True)
    return {int(p.name): p for p in years}


def shown(path: Path) -> str:
    """`path` as the organizer knows it (relative to the current folder)."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def year_settings(settings: Mapping, year: int) -> dict:
    """The settings that build `year` from its archive folder: its own event,
    goal, tally CSV and case pages, at SITEURL/<year>; no feed, no calendar
    file, no live page, no share picture, no case-sheet pack."""
    folder = archived_years(settings).get(year)
    if folder is None:
        known = ", ".join(str(y) for y in archived_years(settings)) or "none yet"
        raise ArchiveError(f"There is no archived year {year} (archived: {known}).")
    facts = folder / "event.toml"
    if not facts.is_file():
        raise ArchiveError(f"{shown(facts)} is missing: put the {year} event's facts file back there.")
    event, example_facts = read_event_file(facts, shown(facts))
    if event["start"].year != year:
        raise ArchiveError(
            f"{shown(facts)}: start is in {event['start'].year}, but the folder is {year}: "
            "put back that year's own event.toml."
        )
    site_url = str(settings.get("SITEURL") or "").rstrip("/")
    plugins = [p for p in settings.get("PLUGINS") or () if not str(p).endswith("sitemap")]
    name = settings.get(SITENAME_SETTING) or "{year}"
    return {
        **settings,
        PAST_YEAR: year,
        "CURRENT_SITEURL": site_url,
        "CURRENT_SITENAME": settings.get("SITENAME", ""),
        "PATH": str(folder),
        "OUTPUT_PATH": os.path.join(settings.get("OUTPUT_PATH") or "output", str(year)),
        "SITEURL": f"{site_url}/{year}" if site_url else "",
        "SITENAME": name.format(year=year),
        "AUTHOR": event["group"],
        "TIMEZONE": event["timezone"],
        "EVENT": event,
        "EVENT_EXAMPLE_FACTS": example_facts,
        "EVENT_FILE": str(facts),
        "EVENT_FILE_NAME": shown(facts),
        "EVENT_ICS_SAVE_AS": "",
        "TALLY_GOAL": event["goal"],
        "TALLY_CSV": "data/tally.csv",
        "TALLY_RESULTS_AFTER": event["end"],
        "TALLY_SHARE_IMAGE": None,
        "CASE_SHEETS_PDF": None,
        "FEED_ALL_ATOM": None,
        "FEED_DOMAIN": None,
        "DIRECT_TEMPLATES": [t for t in settings.get("DIRECT_TEMPLATES") or () if t != "live"],
        "PLUGINS": plugins,
        "DELETE_OUTPUT_DIRECTORY": False,
        "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False,
        "LIVE_DESK_QR": False,
    }


def archived_example_values(settings: Mapping) -> list:
    """The example values of every archived year's event facts and tally
    (its pages are in the content folder, which the main check scans)."""
    from .examples import example_values

    found = []
    for year in archived_years(settings):
        try:
            found += example_values(year_settings(settings, year), scan_content=False)
        except (ArchiveError, ValueError) as error:
            raise ArchiveError(str(error)) from None
    return found
