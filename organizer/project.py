"""Where the project's parts are (content/, the built sites, the settings),
and the settings and port as the commands read them: a mistake is one line."""

from __future__ import annotations

import os
from pathlib import Path

from invoke import Exit

ROOT = Path(__file__).resolve().parent.parent

CONTENT = ROOT / "content"
OUTPUT = ROOT / "output"
LOCAL_SETTINGS = ROOT / "pelicanconf.py"
EVENT_FILE = ROOT / "event.toml"  # the event's facts, which pelicanconf.py reads
PUBLISH_SETTINGS = ROOT / "publishconf.py"
CACHE = ROOT / "cache"
DESK_QR = CACHE / "desk-qr.svg"  # the count desk's address as a QR code, while `invoke desk` runs

PREVIEW_OUTPUT = ROOT / "output-preview"  # the public build, apart from the site `make serve` shows
DEMO_OUTPUT = ROOT / "output-demo"  # the example numbers, never in the site `make serve` (or a projector) shows

HOST = os.environ.get("HOST", "127.0.0.1")
PORT = os.environ.get("PORT", "8000")

NOTHING_PUBLISHED = "Nothing was published."


def settings(path: Path = LOCAL_SETTINGS) -> dict:
    """Pelican's settings from `path`; a mistake in the file (or in
    pelicanconf.py, which publishconf.py reads) exits with one line naming it."""
    from pelican.settings import read_settings

    try:
        return read_settings(str(path))
    except Exception as error:
        from organizer.problems import problem_line

        raise Exit(f"{problem_line(error)}\nFix it and run the command again. Nothing was changed.", code=1)


def port(value=None, given_as="PORT", example="PORT=8001 make serve") -> int:
    """The port to serve at: PORT, or `value` given as `given_as`; anything but
    a port number exits with one line showing `example`."""
    value = str(value or PORT).strip()
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise Exit(f'{given_as} is "{value}": the port must be a number from 1 to 65535, e.g. {example}.', code=2)
    return int(value)


def watched_paths() -> list[str]:
    """What should rebuild the site: content (the tally CSV with
    it), theme, plugins, settings (event.toml with them), and the CSV
    wherever TALLY_CSV points."""
    from pelican.plugins.tally import api as tally_api
    from pelican.settings import read_settings

    paths = [CONTENT, ROOT / "theme", ROOT / "plugins", LOCAL_SETTINGS, EVENT_FILE]
    try:
        tally_csv = Path(tally_api.csv_path(read_settings(str(LOCAL_SETTINGS)))).resolve()
    except Exception:  # the first build shows what is wrong with the settings; saving them rebuilds
        return [str(p) for p in paths if p.exists()]
    if not any(tally_csv.is_relative_to(p) for p in paths):
        # watched once (a doubled watch builds twice); its folder until it exists
        paths.append(tally_csv if tally_csv.exists() else tally_csv.parent)
    return [str(p) for p in paths if p.exists()]
