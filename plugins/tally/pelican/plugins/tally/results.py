"""The `tally` the templates get: the event's totals and every case page with
its counts and goal, put together from the CSV and the case pages."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property

from markupsafe import Markup

from .adding import Tally
from .case_names import match_key
from .counts import DEFAULT_MAX_PER_ROW, Counts
from .problems import Problem, TallyError, printable, shown_path
from .reading import read_tally
from .settings import csv_path, is_case

logger = logging.getLogger(__name__)


def percent_of(total: int, goal: int | None) -> int | None:
    """The share of the goal reached, rounded to a whole percent (may pass
    100); 100 only once the goal is reached (239 of 240 is 99 %, not 100 %)."""
    if not goal:
        return None
    share = round(total * 100 / goal)
    return min(share, 99) if total < goal else share


@dataclass
class CaseResult(Counts):
    """One case page with its letters, cards, emails and total."""

    page: object = None
    goal: int | None = None

    # Worked out once: every list, table and chart of the site asks again,
    # and Pelican computes a page's url anew each time it is asked.
    @cached_property
    def title(self) -> str:
        return plain(self.page.title)

    @cached_property
    def url(self) -> str:
        """The case page's address, relative to SITEURL."""
        return self.page.url

    @property
    def percent(self) -> int | None:
        return percent_of(self.total, self.goal)

    def as_dict(self, siteurl: str = "") -> dict:
        """The case as tally.json and the report write it."""
        url = self.url
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
    skipped: list[int] = field(default_factory=list)  # lines of totals rows, not counted
    latest: list[Addition] = field(default_factory=list)  # the last rows added, newest first
    participants: int | None = None  # people who took part; None: not recorded
    # The share picture (TALLY_SHARE_IMAGE): its path in the site and its text.
    share_image: str | None = None
    share_image_alt: str = ""
    _by_slug: dict = field(default_factory=dict, repr=False, compare=False)

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
        # Every case page asks once: a dict keeps a site of 1,200 cases linear.
        if len(self._by_slug) != len(self.cases):
            self._by_slug = {c.page.slug: c for c in self.cases}
        return self._by_slug.get(slug)

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
            "skipped_totals_rows": self.skipped,
            "participants": self.participants,
            "cases": [case.as_dict(siteurl) for case in self.cases],
        }


def plain(text: str) -> str:
    """A title without typogrify's markup, entities or no-break spaces."""
    return Markup(text).striptags().replace("\xa0", " ")


def why_unknown(problem: Problem, unpublished) -> Problem:
    """An "unknown case" that is a draft or hidden case page: say that."""
    named = problem.unknown_case
    for page in unpublished if named is not None else ():
        if match_key(named) in (match_key(page.slug), match_key(plain(page.title))):
            return replace(
                problem,
                message=f'"{printable(named)}" is the case of {shown_path(page.source_path)}, which is not published '
                f'(its "Status" is {page.status}). Publish the page, or take its rows out of the tally.',
            )
    return problem


def case_pages(pages, settings) -> list:
    """The pages in the case folders (TALLY_CASE_PATHS), in their `order`."""
    cases = [p for p in pages if is_case(p.source_path, settings)]
    return sorted(cases, key=lambda p: (_whole(getattr(p, "order", None), p, "order") or 0, p.slug))


def case_names(pages) -> dict[str, list[str]]:
    """What the core matches CSV rows against: each case's slug and title
    (and its translations' titles, so one CSV feeds every language's site)."""
    return {p.slug: [plain(p.title), *(plain(t.title) for t in getattr(p, "translations", ()))] for p in pages}


def max_per_row(settings) -> int | None:
    """TALLY_MAX_PER_ROW: the largest count one row may hold (None: no limit)."""
    return settings.get("TALLY_MAX_PER_ROW", DEFAULT_MAX_PER_ROW)


def tally_for(pages, settings, unpublished=()) -> TallyResult:
    """Read the CSV for these case pages and put the two together.
    ``unpublished``: case pages that are drafts or hidden, whose rows are
    refused with that reason rather than as an unknown case."""
    path = csv_path(settings)
    try:
        tally = read_tally(path, case_names(pages), source=shown_path(path), max_per_row=max_per_row(settings))
    except TallyError as error:
        raise TallyError([why_unknown(problem, unpublished) for problem in error.problems]) from None
    for warning in tally.warnings if tally else []:
        logger.warning("%s", warning)
    return result_for(pages, tally, settings.get("TALLY_GOAL"))


def result_for(pages, tally: Tally | None, goal: int | None) -> TallyResult:
    """The `tally` of these case pages from the counts of a read file (None:
    nothing counted), toward ``goal``: the site's, or one group's in section mode."""
    counts = tally.counts if tally else {}
    cases = [
        CaseResult(**asdict(counts.get(p.slug, Counts())), page=p, goal=_whole(getattr(p, "goal", None), p, "goal"))
        for p in pages
    ]
    result = TallyResult(
        **asdict(tally.totals if tally else Counts()),
        cases=cases,
        goal=goal,
        rows=tally.rows if tally else 0,
        skipped=tally.skipped if tally else [],
        participants=tally.participants if tally else None,
    )
    if tally:
        result.latest = [Addition(**asdict(row), case=result.case(key)) for key, row in reversed(tally.latest)]
    return result


def _whole(value, page, name) -> int | None:
    """A page's `order` or `goal` metadata as a number."""
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        number = -1
    if number < 0:
        raise TallyError(
            [
                Problem(
                    shown_path(page.source_path),
                    None,
                    f'the "{name}" metadata is "{value}": write a whole number such as 50.',
                )
            ]
        )
    return number
