"""The tally plugin in someone else's site: Pelican's stock theme, no theme
of ours, two case pages, one other page and a CSV; only this plugin."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from pelican import Pelican, signals
from pelican.settings import read_settings
from pelican.utils import get_date

CSV = "case,letters,cards,emails\nRiver Clean-up,10,2,1\nlibrary-books,4,,\n"
PAGES = {
    "pages/cases/river-clean-up.md": "Title: River Clean-up\nCountry: <i>Wales</i>\n\nBags of rubbish.\n",
    "pages/cases/library-books.md": "Title: Library Books\n\nBooks returned.\n",
    "pages/about.md": "Title: About us\n\nNot a case.\n",
}
# A theme of one template on top of the stock one, importing the plugin's macros.
PAGE_TEMPLATE = """{% extends "!theme/page.html" %}
{% from "tally/macros.html" import progress_bar, results_table %}
{% block content %}{{ super() }}
{% if tally.goal %}{{ progress_bar(tally, "So far", "progress") }}{% endif %}
{{ results_table(tally) }}
{% endblock %}
"""
FEEDS = ("FEED_ALL_ATOM", "CATEGORY_FEED_ATOM", "TRANSLATION_FEED_ATOM", "AUTHOR_FEED_ATOM", "AUTHOR_FEED_RSS")
UNSET = object()  # a setting left to the plugin's default


def foreign_site(root: Path, csv: str | None = CSV) -> Path:
    """The content folder of a tiny site that is not ours."""
    content = root / "content"
    for name, text in PAGES.items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text(text, encoding="utf-8")
    (content / "data").mkdir()
    if csv is not None:
        (content / "data" / "tally.csv").write_text(csv, encoding="utf-8")
    return content


class Warnings(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def build(content: Path, output: Path, **settings) -> dict:
    """Build in this process with Pelican's defaults (its stock theme) and the
    tally plugin alone; return the template context the generators shared."""
    overrides = {
        "PATH": str(content),
        "OUTPUT_PATH": str(output),
        "PLUGINS": ["pelican.plugins.tally"],
        "TALLY_CASE_PATHS": ["pages/cases"],
        "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False,
        "TIMEZONE": "UTC",
        **dict.fromkeys(FEEDS),
        **settings,
    }
    seen = {}

    def keep_context(generators):
        seen.update(generators[0].context)

    warnings = Warnings()
    logging.getLogger("pelican").addHandler(warnings)
    signals.all_generators_finalized.connect(keep_context)
    try:
        Pelican(read_settings(None, override={k: v for k, v in overrides.items() if v is not UNSET})).run()
    finally:
        signals.all_generators_finalized.disconnect(keep_context)
        logging.getLogger("pelican").removeHandler(warnings)
    assert not warnings.messages, warnings.messages
    return seen


def test_numbers_reach_the_template_context_and_tally_json(tmp_path):
    context = build(foreign_site(tmp_path), tmp_path / "output", TALLY_GOAL=34)
    tally = context["tally"]
    assert (tally.letters, tally.cards, tally.emails, tally.total, tally.percent) == (14, 2, 1, 17, 50)
    assert [case.page.slug for case in tally.cases] == ["library-books", "river-clean-up"]  # not "about"
    assert tally.case("river-clean-up").total == 13
    written = json.loads((tmp_path / "output" / "tally.json").read_text(encoding="utf-8"))
    assert written == tally.as_dict()
    assert written["total"] == 17 and written["percent"] == 50
    assert {c["slug"]: c["total"] for c in written["cases"]} == {"library-books": 4, "river-clean-up": 13}


def test_a_stock_theme_page_imports_the_macros(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text(PAGE_TEMPLATE, encoding="utf-8")
    build(foreign_site(tmp_path), tmp_path / "output", TALLY_GOAL=34, THEME_TEMPLATES_OVERRIDES=[str(templates)])
    html = (tmp_path / "output" / "pages" / "about-us.html").read_text(encoding="utf-8")
    assert '<progress id="progress" max="34" value="17">50 %</progress>' in html
    assert "17 actions — 50 % of our goal of 34" in html
    assert '<a href="/pages/river-clean-up.html">River Clean-up</a>' in html
    # The stock theme does not autoescape: the macros escape data themselves.
    assert "<td>&lt;i&gt;Wales&lt;/i&gt;</td>" in html and "<i>Wales" not in html


def test_without_a_csv_nothing_is_counted(tmp_path):
    tally = build(foreign_site(tmp_path, csv=None), tmp_path / "output")["tally"]
    assert not tally.reported and tally.total == 0 and tally.percent is None
    assert json.loads((tmp_path / "output" / "tally.json").read_text(encoding="utf-8"))["rows"] == 0


def test_default_case_folder_is_cases(tmp_path):
    content = foreign_site(tmp_path, csv="case,letters\nLibrary Books,3\n")
    (content / "pages" / "cases").rename(content / "cases")
    tally = build(content, tmp_path / "output", TALLY_CASE_PATHS=UNSET, PAGE_PATHS=["pages", "cases"])["tally"]
    assert [case.page.slug for case in tally.cases] == ["library-books", "river-clean-up"]
    assert tally.total == 3


RESULTS_POST = "Title: Thank you\nDate: {date}\n{status}\nWe wrote:\n\n<!-- tally:results -->\n"


@pytest.mark.parametrize("dated", ["2016-12-10 20:30", "2016-12-12", "2016-12-10T20:30:00-05:00"])
def test_a_results_post_dated_after_the_evening_is_published(tmp_path, dated):
    content = foreign_site(tmp_path)
    (content / "results.md").write_text(RESULTS_POST.format(date=dated, status=""), encoding="utf-8")
    build(content, tmp_path / "output", TALLY_RESULTS_AFTER=datetime(2016, 12, 10, 20, 30))
    assert "We wrote:" in (tmp_path / "output" / "thank-you.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("dated", ["2015-12-14", "2016-12-10 17:00", "2016-12-10T19:00:00+01:00"])
def test_a_results_post_dated_before_the_evening_ended_stops_the_build(tmp_path, dated):
    from pelican.plugins.tally.api import ContentError

    content = foreign_site(tmp_path)
    (content / "results.md").write_text(RESULTS_POST.format(date=dated, status=""), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        build(content, tmp_path / "output", TALLY_RESULTS_AFTER=datetime(2016, 12, 10, 20, 30))
    assert str(caught.value).endswith(
        'results.md, line 2: shows the results (it has the line <!-- tally:results -->), but its "Date" '
        f"{str(get_date(dated))[:16]} is before the evening ended (2016-12-10 20:30). "
        "Give it the date you publish the results, after the evening."
    )
    assert not (tmp_path / "output").exists()


def test_a_results_post_may_be_dated_anyhow_as_a_draft_or_without_the_setting(tmp_path):
    content = foreign_site(tmp_path)
    (content / "results.md").write_text(RESULTS_POST.format(date="2015-12-14", status="Status: draft"), "utf-8")
    (content / "old.md").write_text(RESULTS_POST.format(date="2015-12-14", status="Slug: old"), "utf-8")
    build(content, tmp_path / "output")  # no TALLY_RESULTS_AFTER: last year's post stands
    from pelican.plugins.tally.api import ContentError

    with pytest.raises(ContentError) as caught:
        build(content, tmp_path / "again", TALLY_RESULTS_AFTER=date(2016, 12, 10))
    assert "old.md, line 2: shows the results" in str(caught.value)
    assert "results.md" not in str(caught.value)  # a draft is not published


@pytest.mark.parametrize(
    "setting, value, message",
    [
        (
            "TALLY_RESULTS_AFTER",
            "2016-12-10",
            "TALLY_RESULTS_AFTER is '2016-12-10': set it to when the evening ends, a datetime such as "
            "TALLY_RESULTS_AFTER = datetime(2016, 12, 10, 20, 30) (or None).",
        ),
        (
            "TALLY_GOAL",
            "lots",
            "TALLY_GOAL is 'lots': set it to the number of actions you aim for, "
            "a whole number such as TALLY_GOAL = 120 (or None for no goal).",
        ),
        (
            "TALLY_CSV",
            "data",
            "TALLY_CSV is 'data', but ",
        ),
        ("TALLY_CASE_PATHS", "cases", "TALLY_CASE_PATHS is 'cases': set it to a list of the folders"),
    ],
)
def test_a_setting_it_cannot_use_stops_the_build_naming_it(tmp_path, setting, value, message):
    from pelican.plugins.tally.settings import SettingError

    with pytest.raises(SettingError) as caught:
        build(foreign_site(tmp_path), tmp_path / "output", **{setting: value})
    assert str(caught.value).startswith(message)
    assert not (tmp_path / "output" / "tally.json").exists()


def test_pelican_says_so_in_one_line_without_a_traceback(tmp_path):
    content = foreign_site(tmp_path)
    (tmp_path / "pelicanconf.py").write_text(
        f'PLUGINS = ["pelican.plugins.tally"]\nTALLY_CASE_PATHS = ["pages/cases"]\n{" = ".join(FEEDS)} = None\nTIMEZONE = "UTC"\n'
        'TALLY_CSV = "dta/tally.csv"\nTALLY_GOAL = "120"\n',
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            str(content),
            "-s",
            str(tmp_path / "pelicanconf.py"),
            "-o",
            str(tmp_path / "output"),
            "--log-handler",
            "plain",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "400"},
        cwd=tmp_path,
    )
    assert done.returncode != 0
    lines = [line for line in (done.stdout + done.stderr).splitlines() if "TALLY_" in line]
    assert "Traceback" not in done.stdout + done.stderr
    assert len(lines) == 2, lines
    assert lines[0].endswith(
        "TALLY_GOAL is '120': set it to the number of actions you aim for, "
        "a whole number such as TALLY_GOAL = 120 (or None for no goal)."
    )
    assert lines[1] == (
        f"TALLY_CSV is 'dta/tally.csv', but there is no folder {content / 'dta'}: correct the "
        'path (relative to the content folder), such as TALLY_CSV = "data/tally.csv".'
    )


@pytest.mark.parametrize("letters, percent", [(239, 99), (240, 100), (241, 100), (6, 2), (0, 0), (300, 125)])
def test_the_goal_is_reached_at_100_percent_and_not_before(tmp_path, letters, percent):
    csv = f"case,letters\nRiver Clean-up,{letters}\n"
    tally = build(foreign_site(tmp_path, csv=csv), tmp_path / "output", TALLY_GOAL=240)["tally"]
    assert tally.percent == percent
