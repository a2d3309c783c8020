"""The Pelican side of the tally: find the case pages, read the CSV on every
build, hand the numbers to the templates and write tally.json."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field

from markupsafe import Markup
from pelican.generators import Generator

from . import share_image
from .core import Counts, Problem, TallyError, read_tally
from .settings import SettingError, check_settings, csv_path, is_case


def percent_of(total: int, goal: int | None) -> int | None:
    """The share of the goal reached, rounded to a whole percent (may pass 100)."""
    return round(total * 100 / goal) if goal else None


@dataclass
class CaseResult(Counts):
    """One case page with its letters, cards, emails and total."""

    page: object = None
    goal: int | None = None

    @property
    def title(self) -> str:
        return plain(self.page.title)

    @property
    def percent(self) -> int | None:
        return percent_of(self.total, self.goal)

    def as_dict(self, siteurl: str = "") -> dict:
        """The case as tally.json and the report write it."""
        url = self.page.url
        return {
            "slug": self.page.slug,
            "title": self.title,
            "country": getattr(self.page, "country", ""),
            "url": f"{siteurl}/{url}" if siteurl else url,
            "letters": self.letters,
            "cards": self.cards,
            "emails": self.emails,
            "total": self.total,
            "goal": self.goal,
            "percent": self.percent,
        }


@dataclass
class Addition(Counts):
    """One row of the CSV: what was added for a case at one go."""

    case: CaseResult | None = None


@dataclass
class TallyResult(Counts):
    """`tally` in the template context: the event's totals and every case."""

    cases: list[CaseResult] = field(default_factory=list)
    goal: int | None = None
    rows: int = 0
    latest: list[Addition] = field(default_factory=list)  # the last rows added, newest first
    participants: int | None = None  # people who took part; None: not recorded
    # The share picture (TALLY_SHARE_IMAGE): its path in the site and its text.
    share_image: str | None = None
    share_image_alt: str = ""

    @property
    def reported(self) -> bool:
        """False until the CSV holds at least one count: pages then say so."""
        return self.rows > 0

    @property
    def percent(self) -> int | None:
        return percent_of(self.total, self.goal)

    @property
    def largest(self) -> int:
        """The most actions any case has: the full length of a chart's bar."""
        return max((c.total for c in self.cases), default=0)

    def case(self, slug: str) -> CaseResult | None:
        return next((c for c in self.cases if c.page.slug == slug), None)

    def as_dict(self, siteurl: str = "") -> dict:
        """What tally.json holds: the totals, the goal and every case."""
        return {
            "goal": self.goal,
            "percent": self.percent,
            "total": self.total,
            "letters": self.letters,
            "cards": self.cards,
            "emails": self.emails,
            "rows": self.rows,
            "participants": self.participants,
            "cases": [case.as_dict(siteurl) for case in self.cases],
        }


def plain(text: str) -> str:
    """A title without typogrify's markup, entities or no-break spaces."""
    return Markup(text).striptags().replace("\xa0", " ")


def case_pages(pages, settings) -> list:
    """The pages in the case folders (TALLY_CASE_PATHS), in their `order`."""
    cases = [p for p in pages if is_case(p.source_path, settings)]
    return sorted(cases, key=lambda p: (_whole(getattr(p, "order", None), p, "order") or 0, p.slug))


def case_names(pages) -> dict[str, list[str]]:
    """What the core matches CSV rows against: each case's slug and title."""
    return {p.slug: [plain(p.title)] for p in pages}


def tally_for(pages, settings) -> TallyResult:
    """Read the CSV for these case pages and put the two together."""
    path = csv_path(settings)
    tally = read_tally(path, case_names(pages), source=_shown(path))
    counts = tally.counts if tally else {}
    cases = [CaseResult(**asdict(counts.get(p.slug, Counts())), page=p,
                        goal=_whole(getattr(p, "goal", None), p, "goal"))
             for p in pages]
    by_slug = {c.page.slug: c for c in cases}
    return TallyResult(
        **asdict(tally.totals if tally else Counts()),
        cases=cases,
        goal=settings.get("TALLY_GOAL"),
        rows=tally.rows if tally else 0,
        latest=[Addition(**asdict(row), case=by_slug[key]) for key, row in reversed(tally.latest)] if tally else [],
        participants=tally.participants if tally else None,
    )


class TallyGenerator(Generator):
    def generate_context(self):
        check_settings(self.settings)
        self.tally = tally_for(case_pages(self.context.get("pages", []), self.settings), self.settings)
        self.share_facts = share_facts(self.tally, self.settings)
        if self.share_facts:
            self.tally.share_image = share_image.file_name(self.settings["TALLY_SHARE_IMAGE"], self.share_facts)
            self.tally.share_image_alt = self.share_facts.alt_text()
        self.context["tally"] = self.tally

    def generate_output(self, writer):
        report = self.tally.as_dict(self.settings.get("SITEURL", ""))
        os.makedirs(self.output_path, exist_ok=True)
        with open(os.path.join(self.output_path, "tally.json"), "w", encoding="utf-8") as out:
            json.dump(report, out, ensure_ascii=False, indent=2)
            out.write("\n")
        if self.share_facts:
            share_image.draw(self.share_facts, os.path.join(self.output_path, self.tally.share_image))


def share_facts(tally: TallyResult, settings) -> share_image.ShareFacts | None:
    """What the share picture shows, or None: none is drawn before anything is
    counted (the theme's picture stays) or without TALLY_SHARE_IMAGE."""
    if not (settings.get("TALLY_SHARE_IMAGE") and tally.reported):
        return None  # (check_settings has made sure Pillow is there when it is on)
    return share_image.ShareFacts(title=plain(settings.get("SITENAME", "")), total=tally.total,
                                  goal=tally.goal, percent=tally.percent)


def _shown(path: str) -> str:
    """The path as the organizer typed it: relative to where they stand."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _whole(value, page, name) -> int | None:
    """A page's `order` or `goal` metadata as a number."""
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        number = -1
    if number < 0:
        raise TallyError([Problem(_shown(page.source_path), None,
            f'the "{name}" metadata is "{value}": write a whole number such as 50.')])
    return number


class HideTallyTraceback(logging.Filter):
    """Pelican logs a fatal error with its traceback; a bad CSV or setting is
    the organizer's to fix, not a crash, so show just the problems."""

    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, SettingError):
            record.msg, record.args = "%s", (error,)
            record.exc_info = record.exc_text = None
        elif isinstance(error, TallyError):
            count = len(error.problems)
            record.msg = "The tally has %s. Fix %s and build again:\n%s"
            record.args = ("a problem" if count == 1 else f"{count} problems",
                           "it" if count == 1 else "them", error)
            record.exc_info = None
            record.exc_text = None
        return True


hide_traceback = HideTallyTraceback()
