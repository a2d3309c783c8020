"""Check every Markdown page's metadata before Pelican reads it, so one build
names every page to fix at once; a page's checks are remembered until its bytes change."""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from pelican.utils import get_date

from .case_names import match_key
from .markdown_pages import markdown_files, page_slug, read_metadata
from .problems import Problem, TallyError, printable, shown_path
from .results_posts import RESULTS_MARKER
from .settings import (
    YES_NO,
    case_required,
    case_required_unless,
    case_yes_no,
    is_case,
    results_after,
    results_not_after,
)


class ContentError(TallyError):
    """Every problem found in the pages' metadata in one build."""


def check_content(settings) -> None:
    """Check every Markdown page's metadata before Pelican reads it: a case
    page without its address or order, a date that cannot be read, a page
    without a title, two pages with one address, two cases one CSV name could
    mean, a results post dated before the evening ended. Raises one
    ``ContentError`` listing them all."""
    problems: list[Problem] = []
    not_before, not_after = results_after(settings), results_not_after(settings)
    if not_after and not _counted(settings):
        not_after = None  # the post waits for counts, off the site (results_posts.py): its date shows nowhere yet
    seen_slugs: dict[tuple, str] = {}
    case_keys: dict[str, tuple[str, str]] = {}
    for page in _checked_pages.check(settings):
        problems += page.problems
        if page.address is None:
            continue  # not read
        slug = page.address[2]
        if slug and page.address in seen_slugs:
            problems.append(
                Problem(
                    page.shown,
                    page.slug_line,
                    f'has the address "{slug}" that {seen_slugs[page.address]} already has, so one would '
                    'replace the other. Rename one of the files (or give it its own "Slug").',
                )
            )
        seen_slugs.setdefault(page.address, page.shown)
        if page.shows_results and page.date and not page.address[1]:  # a results post, not a draft
            problems += _results_date_problems(page, not_before, not_after)

        problems += page.case_problems
        for name in page.case_names:
            # A translation of the case (Lang: fr, its Slug) is the same case.
            if name in case_keys and case_keys[name][0] != page.shown and case_keys[name][1] != slug:
                problems.append(
                    Problem(
                        page.shown,
                        page.title_line,
                        f'the case "{printable(page.title)}" has a name that '
                        f"reads the same as a case in {case_keys[name][0]} (the tally CSV ignores "
                        "capitals, accents and spaces), so its counts could go to either. "
                        "Give the two cases names that differ in their letters.",
                    )
                )
            case_keys.setdefault(name, (page.shown, slug))
    if problems:
        raise ContentError(sorted(problems, key=lambda p: (p.path, p.line or 0)))


# The settings one page's own checks read (_check_page and what it calls): a
# page's remembered checks stand while these, the folder we run in and the
# page's bytes are unchanged.
PAGE_SETTINGS = (
    "PATH",
    "TALLY_CASE_PATHS",
    "TALLY_CASE_REQUIRED",
    "TALLY_CASE_REQUIRED_UNLESS",
    "TALLY_CASE_YES_NO",
    "DEFAULT_DATE",
    "DEFAULT_LANG",
    "DEFAULT_METADATA",
    "SLUGIFY_SOURCE",
    "SLUG_REGEX_SUBSTITUTIONS",
    "SLUGIFY_PRESERVE_CASE",
    "SLUGIFY_USE_UNICODE",
)


class _PageSettings(Mapping):
    """A copy of the settings in PAGE_SETTINGS. Reading another one through
    it is a mistake in this file (a page's checks would outlive a change to
    it), and it says so."""

    def __init__(self, settings):
        self._values = {name: copy.deepcopy(settings[name]) for name in PAGE_SETTINGS if name in settings}

    def __getitem__(self, name):
        if name not in PAGE_SETTINGS:
            raise RuntimeError(f"a page's checks read the setting {name}: add it to PAGE_SETTINGS")
        return self._values[name]

    def __iter__(self):
        return iter(self._values)

    def __len__(self):
        return len(self._values)


@dataclass(frozen=True)
class _PageCheck:
    """One Markdown page checked on its own: its problems, and what the
    checks across pages (one address, one case name) compare."""

    shown: str  # the path as the organizer sees it
    problems: list[Problem]  # the page's own, but for a case's
    address: tuple | None = None  # (kind, draft, slug, lang): two pages with one replace each other; None: unread
    slug_line: int | None = None
    case_problems: list[Problem] = field(default_factory=list)
    case_names: tuple[str, ...] = ()  # a case's slug and title, folded as the tally CSV folds names
    title: str = ""
    title_line: int | None = None
    date: datetime | None = None  # its "Date", if it has one that reads
    date_line: int | None = None
    shows_results: bool = False  # it has the results marker line


class _CheckedPages:
    """Each Markdown page's own checks, remembered with the page's bytes.
    check_content runs on every build of the dev server: a page whose bytes
    did not change then costs a read and a comparison (its time is no proof:
    saves within one clock tick share one). Only the pages of the last check
    are kept, so this never outgrows the site."""

    def __init__(self) -> None:
        self.context: tuple | None = None
        self.pages: dict[tuple[str, Path], tuple[bytes, _PageCheck]] = {}

    def check(self, settings) -> Iterator[_PageCheck]:
        """Every Markdown page of the site, in order, checked on its own."""
        page_settings = _PageSettings(settings)
        context = (page_settings, os.getcwd())  # shown paths are relative to where we run
        before = self.pages if context == self.context else {}
        self.context, self.pages = context, {}
        for kind, path in markdown_files(settings):
            try:
                data = path.read_bytes()
            except OSError as error:
                shown = shown_path(str(path))
                yield _PageCheck(shown, [Problem(shown, None, f"cannot be read ({error.strerror}).")])
                continue
            last = before.get((kind, path))
            page = last[1] if last is not None and last[0] == data else _check_page(kind, path, data, page_settings)
            self.pages[(kind, path)] = (data, page)
            yield page


_checked_pages = _CheckedPages()


def _check_page(kind: str, path: Path, data: bytes, settings: _PageSettings) -> _PageCheck:
    shown = shown_path(str(path))
    try:
        metadata, stray = read_metadata(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return _PageCheck(shown, [Problem(shown, None, "is not UTF-8 text. Save it again as UTF-8.")])
    problems, dates = _metadata_problems(kind, metadata, stray, shown, settings)

    slug = metadata.get("slug", (0, ""))[1] or page_slug(settings, path, metadata)
    address = (
        kind,
        metadata.get("status", (0, ""))[1].lower() == "draft",
        slug,
        # A page without Lang is in the main language (DEFAULT_METADATA's, on a translated site).
        metadata.get("lang", (0, (settings.get("DEFAULT_METADATA") or {}).get("lang") or settings["DEFAULT_LANG"]))[1],
    )
    page = _PageCheck(
        shown,
        problems,
        address,
        slug_line=metadata.get("slug", (None,))[0],
        date=dates.get("date"),
        date_line=metadata.get("date", (None,))[0],
        shows_results=RESULTS_MARKER.encode() in data,
    )
    if not is_case(str(path), settings):
        return page
    return replace(
        page,
        # Past a line that ends the metadata early, "missing" fields only echo it.
        case_problems=[] if stray else _check_case(metadata, shown, settings),
        case_names=tuple({match_key(slug), match_key(metadata.get("title", (0, ""))[1])} - {""}),
        title=metadata.get("title", (0, slug))[1],
        title_line=metadata.get("title", (None,))[0],
    )


def _metadata_problems(kind: str, metadata: dict, stray, shown: str, settings) -> tuple[list[Problem], dict]:
    """What is wrong with the lines at a page's top (a line without its name,
    no title, a date that does not read), and its dates that do read."""
    problems = []
    dates = {}
    if stray:
        number, line = stray
        problems.append(
            Problem(
                shown,
                number,
                f'"{printable(line.strip()[:60])}" has no "Name:" at its start, so the lines at the top end here '
                "and the ones below it are read as the page's text. Add the name and a colon (or a blank line "
                "after the lines at the top).",
            )
        )
    if not metadata.get("title", (0, ""))[1]:
        problems.append(Problem(shown, None, 'has no "Title". Add a first line such as "Title: Annie Alfred".'))
    for name in ("date", "modified"):
        line, value = metadata.get(name, (0, ""))
        if value:
            try:
                dates[name] = get_date(value)
            except (ValueError, OverflowError):
                problems.append(
                    Problem(
                        shown,
                        line,
                        f'the "{name.capitalize()}" "{printable(value)}" is not a date. '
                        "Write it as 2016-12-10 (or 2016-12-10 17:00).",
                    )
                )
    if kind == "article" and "date" not in metadata and not settings.get("DEFAULT_DATE"):
        problems.append(Problem(shown, None, 'has no "Date". Add a line such as "Date: 2016-12-10" at the top.'))
    return problems, dates


def _results_date_problems(page: _PageCheck, not_before: datetime | None, not_after: datetime | None) -> list[Problem]:
    """A results post dated before the evening ended would tell readers that
    letters were counted before anyone wrote them (last year's post with this
    year's EVENT, say); one dated after `not_after` (the time of publishing)
    shows a day that has not come (counted on Sunday, the post dated Monday)."""
    problems = []
    if not_before and _earlier(page.date, not_before):
        problems.append(
            Problem(
                page.shown,
                page.date_line,
                f'shows the results (it has the line {RESULTS_MARKER}), but its "Date" '
                f"{page.date:%Y-%m-%d %H:%M} is before the evening ended ({not_before:%Y-%m-%d %H:%M}). "
                "Give it the date you publish the results, after the evening.",
            )
        )
    if not_after and _earlier(not_after, page.date):
        problems.append(
            Problem(
                page.shown,
                page.date_line,
                f'shows the results, but its "Date" {page.date:%Y-%m-%d %H:%M} has not come yet (now: '
                f"{not_after:%Y-%m-%d %H:%M}). Give it today's date, or publish on that day.",
            )
        )
    return problems


def _counted(settings) -> bool:
    from .results_posts import has_counts
    from .settings import csv_path

    return has_counts(csv_path(settings))


def _earlier(one: datetime, other: datetime) -> bool:
    """`one` before `other`; if only one of them has a time zone, as clock times."""
    if (one.tzinfo is None) != (other.tzinfo is None):
        one, other = one.replace(tzinfo=None), other.replace(tzinfo=None)
    return one < other


def _check_case(metadata: dict, shown: str, settings) -> list[Problem]:
    problems = []
    excused = case_required_unless(settings)
    for field_name in case_required(settings):
        unless = excused.get(field_name)
        if unless and _says(metadata, unless):
            continue
        if not metadata.get(field_name.lower(), (0, ""))[1]:
            hint = f' (or, if it may be left out, "{unless}")' if unless else ""
            problems.append(
                Problem(
                    shown,
                    None,
                    f'the case page has no "{field_name}". Add a line "{field_name}: ..."{hint} to the '
                    "lines at its top (see the other case pages).",
                )
            )
    for field_name in case_yes_no(settings):
        line, value = metadata.get(field_name.lower(), (None, None))
        if value is not None and value.lower() not in YES_NO:
            said = f'"{printable(value)}"' if value else "empty"
            problems.append(
                Problem(
                    shown,
                    line,
                    f'the "{field_name}" is {said}: write yes or no (true or false are read too).',
                )
            )
    line, order = metadata.get("order", (None, ""))
    if order and not (order.isascii() and order.isdigit()):
        problems.append(Problem(shown, line, f'the "Order" is "{printable(order)}": write a whole number such as 5.'))
    if not match_key(metadata.get("title", (0, "x"))[1]):
        problems.append(
            Problem(
                shown,
                metadata["title"][0],
                "the title has no letters or digits, so the tally CSV cannot name the case.",
            )
        )
    return problems


def _says(metadata: dict, line: str) -> bool:
    """Whether the page has the metadata line ``line``, e.g. "Address_confirmed: no"."""
    name, _, value = line.partition(":")
    found = metadata.get(name.strip().lower())
    return found is not None and found[1].lower() == value.strip().lower()
