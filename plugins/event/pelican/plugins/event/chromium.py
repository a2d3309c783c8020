"""The one way to find and start Chromium (Debian's, never a browser downloaded
at install time): the case-sheet pack, the flyer, the site's browser tests and
its benchmarks all use this."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

ENVIRONMENT_VARIABLE = "CHROMIUM_PATH"
DEBIAN_CHROMIUM = "/usr/bin/chromium"
# What headless Chromium needs on a server or in CI.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def find_chromium() -> Path:
    """$CHROMIUM_PATH if set, else `chromium` on the PATH, else Debian's /usr/bin/chromium
    (which may not exist: see `chromium_missing`)."""
    return Path(os.environ.get(ENVIRONMENT_VARIABLE) or shutil.which("chromium") or DEBIAN_CHROMIUM)


def chromium_missing(chromium: Path | None = None) -> str | None:
    """Why Chromium cannot be started, in words for the reader, or None."""
    chromium = chromium or find_chromium()
    if chromium.is_file():
        return None
    return f"no Chromium at {chromium} (install it with: apt-get install chromium, or set {ENVIRONMENT_VARIABLE})"


def launch(playwright, chromium: Path | None = None):
    """Start `chromium` (default: `find_chromium()`) headless through Playwright."""
    return playwright.chromium.launch(
        executable_path=str(chromium or find_chromium()), headless=True, args=CHROMIUM_ARGS
    )
