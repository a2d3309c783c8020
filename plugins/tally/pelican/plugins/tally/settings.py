"""The tally plugin's settings: their defaults, where they point, and a check
that turns a setting the plugin cannot use into one line naming it.

No Pelican import: `settings` is any mapping (Pelican's settings dict).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Mapping
from datetime import date, datetime, time
from pathlib import Path

DEFAULT_CSV = "data/tally.csv"
DEFAULT_CASE_PATHS = ("cases",)


class SettingError(ValueError):
    """Settings the plugin cannot use: one line per setting, naming it and a good value."""


def csv_path(settings: Mapping) -> str:
    """TALLY_CSV, relative to the content folder (PATH) unless absolute."""
    return os.path.join(settings["PATH"], settings.get("TALLY_CSV", DEFAULT_CSV))


def section_folder(settings: Mapping) -> str | None:
    """TALLY_SECTION_GROUPS: the folder of group files (section mode), relative
    to the content folder unless absolute; None when section mode is off."""
    value = settings.get("TALLY_SECTION_GROUPS")
    return os.path.join(settings["PATH"], value) if value else None


def case_paths(settings: Mapping) -> list[str]:
    """TALLY_CASE_PATHS: the folders of PATH whose pages are the cases."""
    return list(settings.get("TALLY_CASE_PATHS", DEFAULT_CASE_PATHS))


def is_case(source_path: str, settings: Mapping) -> bool:
    """Whether the page read from `source_path` lies in one of the case folders."""
    relative = Path(os.path.relpath(source_path, settings["PATH"]))
    return any(relative.is_relative_to(folder) for folder in case_paths(settings))


def case_required(settings: Mapping) -> list[str]:
    """TALLY_CASE_REQUIRED: metadata every case page must have (Title always)."""
    return list(settings.get("TALLY_CASE_REQUIRED", ()))


def case_required_unless(settings: Mapping) -> dict[str, str]:
    """TALLY_CASE_REQUIRED_UNLESS: a required field may be left out of a page
    that has this metadata line, e.g. {"Address": "Address_confirmed: no"}."""
    return dict(settings.get("TALLY_CASE_REQUIRED_UNLESS", {}))


def case_yes_no(settings: Mapping) -> list[str]:
    """TALLY_CASE_YES_NO: metadata a case page may have that must say yes or
    no, e.g. ["Address_confirmed"]: a template reads anything else as one or
    the other, and nobody would know which."""
    return list(settings.get("TALLY_CASE_YES_NO", ()))


YES_NO = ("yes", "no", "true", "false")  # in any capitals


def results_after(settings: Mapping) -> datetime | None:
    """TALLY_RESULTS_AFTER: when the evening ends (a datetime, or a date for
    its start); a post with the results may not be dated before it. None
    when not set, or not a date (check_settings says so)."""
    value = settings.get("TALLY_RESULTS_AFTER")
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    return None


def results_not_after(settings: Mapping) -> datetime | None:
    """TALLY_RESULTS_NOT_AFTER: when the site is published (a datetime); a
    post with the results may not be dated after it. None when not set."""
    value = settings.get("TALLY_RESULTS_NOT_AFTER")
    return value if isinstance(value, datetime) else None


def check_settings(settings: Mapping) -> None:
    """Raise SettingError listing every tally setting that cannot be used."""
    problems = [
        _goal_problem(settings.get("TALLY_GOAL")),
        _csv_problem(settings),
        _case_paths_problem(settings.get("TALLY_CASE_PATHS", DEFAULT_CASE_PATHS)),
        _share_image_problem(settings.get("TALLY_SHARE_IMAGE")),
        _results_after_problem(settings.get("TALLY_RESULTS_AFTER")),
        _results_not_after_problem(settings.get("TALLY_RESULTS_NOT_AFTER")),
        _section_problem(settings),
    ]
    problems = [problem for problem in problems if problem]
    if problems:
        raise SettingError("\n".join(problems))


def _goal_problem(goal) -> str | None:
    if goal is None or (type(goal) is int and goal > 0):
        return None
    return (
        f"TALLY_GOAL is {goal!r}: set it to the number of actions you aim for, "
        "a whole number such as TALLY_GOAL = 120 (or None for no goal)."
    )


def _csv_problem(settings: Mapping) -> str | None:
    value = settings.get("TALLY_CSV", DEFAULT_CSV)
    example = f'such as TALLY_CSV = "{DEFAULT_CSV}"'
    if not isinstance(value, (str, os.PathLike)) or not str(value).strip():
        return f"TALLY_CSV is {value!r}: set it to the CSV file's path, relative to the content folder, {example}."
    path = Path(csv_path(settings))
    if path.is_dir():
        return (
            f"TALLY_CSV is {str(value)!r}, but {path} is a folder, not a CSV file: put the tally CSV "
            "there in place of the folder, or point TALLY_CSV at the CSV file."
        )
    # A folder that does not exist is a typo; a missing file only means nothing is counted yet.
    if "TALLY_CSV" in settings and not path.parent.is_dir():
        return (
            f"TALLY_CSV is {str(value)!r}, but there is no folder {path.parent}: "
            f"correct the path (relative to the content folder), {example}."
        )
    return None


def _share_image_problem(value) -> str | None:
    """TALLY_SHARE_IMAGE: off (None), or a .png path whose {key} changes with the numbers."""
    if not value:
        return None
    example = 'such as TALLY_SHARE_IMAGE = "images/tally-{key}.png" (or None for the theme\'s picture)'
    if not isinstance(value, str) or "{key}" not in value or not value.endswith(".png"):
        return (
            f"TALLY_SHARE_IMAGE is {value!r}: give a .png path with {{key}} in it, which changes with "
            f"the numbers so that no social network shows an old total, {example}."
        )
    if importlib.util.find_spec("PIL") is None:
        return (
            'TALLY_SHARE_IMAGE needs Pillow to draw the picture: pip install "pelican-tally[image]" '
            "(or set TALLY_SHARE_IMAGE = None to keep the theme's picture)."
        )
    return None


def _results_after_problem(value) -> str | None:
    if value is None or isinstance(value, date):  # a datetime is a date too
        return None
    return (
        f"TALLY_RESULTS_AFTER is {value!r}: set it to when the evening ends, a datetime such as "
        "TALLY_RESULTS_AFTER = datetime(2016, 12, 10, 20, 30) (or None)."
    )


def _results_not_after_problem(value) -> str | None:
    if value is None or isinstance(value, datetime):
        return None
    return f"TALLY_RESULTS_NOT_AFTER is {value!r}: set it to a datetime (when the site is published), or None."


def _case_paths_problem(value) -> str | None:
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) and v.strip() for v in value):
        return None
    return (
        f"TALLY_CASE_PATHS is {value!r}: set it to a list of the folders (in the content folder) "
        f'whose pages are the cases, such as TALLY_CASE_PATHS = ["cases"].'
    )


def _section_problem(settings: Mapping) -> str | None:
    value = settings.get("TALLY_SECTION_GROUPS")
    if value is None or value == "":
        return None
    example = 'such as TALLY_SECTION_GROUPS = "groups" (or None for one group\'s site)'
    if not isinstance(value, (str, os.PathLike)):
        return f"TALLY_SECTION_GROUPS is {value!r}: set it to the folder of the groups' files, {example}."
    if not Path(section_folder(settings)).is_dir():
        return (
            f"TALLY_SECTION_GROUPS is {str(value)!r}, but there is no folder {section_folder(settings)}: "
            f"make it and put one file per group in it, or correct the path (relative to the content folder), {example}."
        )
    return None
