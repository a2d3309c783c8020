"""The Pelican side of past years: every build of this year's site also
builds each archived year as a site of its own in <output>/<year>/ (its own
pages, tally and goal; past_years.py has its settings), and writes the page
that lists them all (EVENT_YEARS_SAVE_AS, default years.html)."""

from __future__ import annotations

import json
from pathlib import Path

from pelican.generators import Generator

from .past_years import archived_years, year_settings

DEFAULT_YEARS_PAGE = "years.html"


class PastYearsGenerator(Generator):
    def generate_context(self):
        self.years = list(archived_years(self.settings))
        self.page_name = self.settings.get("EVENT_YEARS_SAVE_AS", DEFAULT_YEARS_PAGE) if self.years else ""
        # For the navigation of every page: the page of earlier years, if there are any.
        self.context["EVENT_YEARS_PAGE"] = self.page_name

    def generate_output(self, writer):
        if not self.years:
            return
        rows = [self.build_year(year) for year in self.years]
        current = self.current_row()
        writer.write_file(
            self.page_name,
            self.get_template("years"),
            self.context,
            relative_urls=self.settings.get("RELATIVE_URLS"),
            years=[current, *rows],
        )

    def build_year(self, year: int) -> dict:
        """Build `year` into <output>/<year>/ (a problem in it stops the
        whole build, naming its file) and give its line of the years page."""
        from pelican import Pelican

        settings = year_settings(self.settings, year)
        settings["OUTPUT_PATH"] = str(Path(self.output_path, str(year)))
        Pelican(settings).run()
        return year_row(settings["EVENT"], Path(settings["OUTPUT_PATH"]), f"{year}/")

    def current_row(self) -> dict:
        tally = self.context.get("tally")
        numbers = tally.as_dict() if tally is not None else {}
        return {**_row(self.settings["EVENT"], numbers), "url": "", "current": True}


def year_row(event: dict, output: Path, url: str) -> dict:
    """A year's line of the years page: its date, cases, actions, goal, from its own build."""
    try:
        numbers = json.loads((output / "tally.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        numbers = {}
    return {**_row(event, numbers), "url": url, "current": False}


def _row(event: dict, numbers: dict) -> dict:
    total, goal = numbers.get("total", 0), numbers.get("goal")
    return {
        "year": event["start"].year,
        "start": event["start"],
        "cases": len(numbers.get("cases", [])),
        "counted": bool(numbers.get("rows")),
        "total": total,
        "goal": goal,
        "reached": bool(goal) and total >= goal,
    }
