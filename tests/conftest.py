"""Shared helpers: build real sites into temporary folders, the way Pelican's
own tests do, and read what they wrote."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pelican import Pelican
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
LOCAL_SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def build(content: Path, output: Path, settings_file: Path = LOCAL_SETTINGS, **overrides) -> Path:
    """Build `content` into `output` in this process; fail on any warning."""
    settings = read_settings(str(settings_file), override={
        "PATH": str(content), "OUTPUT_PATH": str(output), "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False, **overrides})
    collect = _Collect()
    logger = logging.getLogger("pelican")
    logger.addHandler(collect)
    try:
        Pelican(settings).run()
    finally:
        logger.removeHandler(collect)
    warnings = [r.getMessage() for r in collect.records]
    assert not warnings, f"the build logged warnings: {warnings}"
    return output


def run_pelican(content: Path, output: Path, *extra: str, settings_file: Path = LOCAL_SETTINGS):
    """Build with Pelican's own command line, as the organizer's tasks do."""
    env = {**os.environ, "COLUMNS": "400"}
    return subprocess.run(
        [sys.executable, "-m", "pelican", str(content), "-s", str(settings_file), "-o", str(output),
         "--fatal", "warnings", *extra],
        cwd=ROOT, env=env, capture_output=True, text=True)


def copy_content(tmp_path: Path) -> Path:
    """A private copy of the shipped content, free to change."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    return content


def read(output: Path, name: str) -> str:
    return (output / name).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The shipped site, built once for all tests that only read it."""
    return build(CONTENT, tmp_path_factory.mktemp("site") / "output")


@pytest.fixture(scope="session")
def case_slugs() -> list[str]:
    return sorted(p.stem for p in (CONTENT / "cases").glob("*.md"))


@pytest.fixture(scope="session")
def chromium():
    """One Chromium for every browser test: Playwright's sync API allows one
    instance per process, so test modules share this one."""
    from browser_tools import launch_chromium, require_browser

    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()
