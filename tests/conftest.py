"""Shared helpers: build real sites into temporary folders, the way Pelican's
own tests do, and read what they wrote."""

from __future__ import annotations

import logging
import os
import re
import shutil
import socket
import subprocess
import sys
from contextlib import contextmanager
from datetime import date, datetime, time, timezone
from pathlib import Path
from time import monotonic, sleep

import pytest
from pelican import Pelican
from pelican.settings import read_settings

from html_tools import visible_text
from support.dev_server import stop  # noqa: F401 (for the tests)
from support.project_files import PROJECT_FILES

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
LOCAL_SETTINGS = ROOT / "pelicanconf.py"
EVENT_FILE = ROOT / "event.toml"
PUBLISH_SETTINGS = ROOT / "publishconf.py"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Our own counts, never the shipped ones: letters 24, cards 12, e-mails 6,
# total 42; Annie Alfred 11 + 6 + 2 = 19, Máxima Acuña 8, Edward Snowden 11.
FIXTURE_TALLY = FIXTURES / "tally.csv"
# The evening's counts, as a CSV (the results chart, share picture, live page
# and who came).
FIXTURE = """case,letters,cards,emails
Annie Alfred,30,5,2
Máxima Acuña,1000,200,34
Edward Snowden,600,17,0
"""  # Annie 37, Máxima 1,234, Edward 617: half of Máxima's

# A group that has made the site its own: what replaces each shipped example
# value (the keys are the shipped values, as written in event.toml).
OUR_VALUES = {
    "Amnesty International Example Group": "Amnesty International Group 42",
    "Alex Example": "Robin Writer",
    "w4r-nyc@example.org": "letters@w4r-group42.org",
    "Community room, Example Neighborhood Center": "Library hall, Jefferson Market Library",
    "120 Example Street, New York, NY 10014, USA": "425 Avenue of the Americas, New York, NY 10011, USA",
    "https://w4r-nyc.example.org": "https://w4r-group42.org",
}
OUR_SITEURL = "https://w4r-group42.org"
# The facts the shipped event.toml marks as the example's (the date, the
# city, the goal): the tests keep their values, made ours by taking them out.
SHIPPED_EXAMPLE_FACTS = 'example_facts = ["start", "end", "city", "timezone", "goal"]\n'
OUR_EXAMPLE_FACTS = "example_facts = []\n"
# The settings the shipped site's example values are in, in the order they are listed.
SHIPPED_EXAMPLES = [
    "group",
    "city",
    "organizer",
    "rsvp_email",
    "venue",
    "address",
    "start",
    "end",
    "timezone",
    "goal",
    "SITEURL",
]
# The day a build believes it is (SOURCE_DATE_EPOCH): before the shipped
# evening of Saturday 10 December 2016, unless a test says otherwise.
BEFORE_THE_EVENING = date(2016, 12, 1)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def epoch(day: date) -> str:
    """SOURCE_DATE_EPOCH for noon UTC of `day`."""
    return str(int(datetime.combine(day, time(12), timezone.utc).timestamp()))


@contextmanager
def build_date(day: date):
    """Builds in this block believe today is `day` (SOURCE_DATE_EPOCH)."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch(day)
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def our_event(settings_file: Path = LOCAL_SETTINGS) -> dict:
    """Overrides for an in-process build of a site with no example values left."""
    event = dict(read_settings(str(settings_file))["EVENT"])
    event.update({key: OUR_VALUES.get(value, value) for key, value in event.items() if isinstance(value, str)})
    return {
        "EVENT": event,
        "EVENT_EXAMPLE_FACTS": [],
        "AUTHOR": event["group"],
        "SITEURL": OUR_SITEURL if settings_file == PUBLISH_SETTINGS else "",
    }


def make_it_ours(settings_text: str) -> str:
    """event.toml with every shipped example value replaced, as an organizer would."""
    for example, ours in OUR_VALUES.items():
        assert f'"{example}"' in settings_text, example
        settings_text = settings_text.replace(f'"{example}"', f'"{ours}"')
    assert SHIPPED_EXAMPLE_FACTS in settings_text
    return settings_text.replace(SHIPPED_EXAMPLE_FACTS, OUR_EXAMPLE_FACTS)


def build(
    content: Path, output: Path, settings_file: Path = LOCAL_SETTINGS, today: date = BEFORE_THE_EVENING, **overrides
) -> Path:
    """Build `content` into `output` in this process, on the day `today`;
    fail on any warning."""
    settings = read_settings(
        str(settings_file),
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "CACHE_CONTENT": False,
            "LOAD_CONTENT_CACHE": False,
            **overrides,
        },
    )
    collect = _Collect()
    logger = logging.getLogger("pelican")
    logger.addHandler(collect)
    try:
        with build_date(today):
            Pelican(settings).run()
    finally:
        logger.removeHandler(collect)
    warnings = [r.getMessage() for r in collect.records]
    assert not warnings, f"the build logged warnings: {warnings}"
    return output


def run_pelican(
    content: Path, output: Path, *extra: str, settings_file: Path = LOCAL_SETTINGS, today: date = BEFORE_THE_EVENING
):
    """Build with Pelican's own command line, as the organizer's tasks do."""
    env = {**os.environ, "COLUMNS": "400", "SOURCE_DATE_EPOCH": epoch(today)}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            str(content),
            "-s",
            str(settings_file),
            "-o",
            str(output),
            "--fatal",
            "warnings",
            *extra,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def copy_content(tmp_path: Path, tally: Path | None = None) -> Path:
    """A private copy of the shipped content, free to change; with `tally`,
    that file as its tally CSV."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    if tally:
        shutil.copy(tally, content / "data" / "tally.csv")
    return content


def copy_project(root: Path, ours: bool = True, tally: Path | None = FIXTURE_TALLY) -> Path:
    """A private copy of the project to run its invoke tasks in: by default
    made ours (no example values) and with the fixture tally."""
    root.mkdir(parents=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, root / name)
    if ours:
        facts = root / "event.toml"
        facts.write_text(make_it_ours(facts.read_text(encoding="utf-8")), encoding="utf-8")
    if tally:
        shutil.copy(tally, root / "content" / "data" / "tally.csv")
    return root


def read(output: Path, name: str) -> str:
    return (output / name).read_text(encoding="utf-8")


def h1(html: str) -> str:
    return visible_text(re.search(r"<h1>(.*?)</h1>", html, re.S).group(1))


def chart(html: str) -> str:
    [svg] = re.findall(r'<svg class="tally-chart[ "].*?</svg>', html, re.S)
    return svg


def bars(svg: str) -> dict[str, float]:
    """Each case's label -> its bar's width in percent (0 without a bar)."""
    widths = {}
    for row in re.findall(r'<g class="chart-row"[^>]*>(.*?)</g>', svg, re.S):
        label = re.search(r'class="chart-label"[^>]*>([^<]*)<', row).group(1)
        bar = re.search(r'<rect class="chart-bar"[^>]*width="([\d.]+)%"', row)
        widths[label] = float(bar.group(1)) if bar else 0.0
    return widths


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The shipped site (no counts, example values), built once before the
    evening, for all tests that only read it."""
    return build(CONTENT, tmp_path_factory.mktemp("site") / "output")


@pytest.fixture(scope="session")
def counted_site(tmp_path_factory) -> Path:
    """The shipped pages with the fixture tally, built the day after the evening."""
    root = tmp_path_factory.mktemp("counted")
    return build(copy_content(root, FIXTURE_TALLY), root / "output", today=date(2016, 12, 11))


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


@pytest.fixture
def page(chromium):
    """A fresh page at a desktop size, in a context of its own."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


# --------------------------------------------------------------------------- the project as the organizer runs it


@pytest.fixture
def project(tmp_path) -> Path:
    """The project made ours (no example values), with the fixture tally (total 42)."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def in_project(project, monkeypatch):
    """The project as the current folder; its pelicanconf, which reading its
    settings puts in sys.modules (publishconf imports it by that name), put back."""
    monkeypatch.chdir(project)
    saved = sys.modules.get("pelicanconf")
    yield project
    if saved is None:
        sys.modules.pop("pelicanconf", None)
    else:
        sys.modules["pelicanconf"] = saved


def invoke(project: Path, *args: str, timeout: float = 300, umask: int | None = None, **env):
    """Run `invoke <args>` in `project` as the organizer would; `env` adds
    environment variables, `umask` runs it under that umask."""
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "400", **env},
        timeout=timeout,
        preexec_fn=None if umask is None else lambda: os.umask(umask),
    )


def invoke_running(project: Path, *args: str, **env) -> subprocess.Popen:
    """`invoke <args>` started in `project` and left running, its output in
    pipes, in a process group of its own as in a terminal: a test can Ctrl-C
    it (os.killpg) while it works. `env` adds environment variables."""
    return subprocess.Popen(
        [sys.executable, "-m", "invoke", *args],
        cwd=project,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "400", **env},
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def tally_csv(project: Path) -> Path:
    return project / "content" / "data" / "tally.csv"


def wait_for(condition, seconds=30.0):
    """Poll `condition` until it is true (True) or `seconds` pass (False)."""
    deadline = monotonic() + seconds
    while monotonic() < deadline:
        if condition():
            return True
        sleep(0.1)
    return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def site_with(tmp_path: Path, csv_text: str | None = None, settings_file: Path | None = None, **overrides) -> Path:
    """The shipped content built with this tally CSV (None: no CSV at all)."""
    content = copy_content(tmp_path)
    csv_path = content / "data" / "tally.csv"
    if csv_text is None:
        csv_path.unlink()
    else:
        csv_path.write_text(csv_text, encoding="utf-8")
    extra = {"settings_file": settings_file} if settings_file else {}
    return build(content, tmp_path / "output", **extra, **overrides)


def public_with(tmp_path, csv_text=None, **overrides):
    """A public build (publishconf.py draws the share picture) of a site made
    ours (the public build refuses example values), with these counts."""
    return site_with(tmp_path, csv_text, settings_file=PUBLISH_SETTINGS, **{**our_event(PUBLISH_SETTINGS), **overrides})
