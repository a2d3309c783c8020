"""The Pelican side of the tally: find the case pages, read the CSV on every
build, hand the numbers to the templates and write tally.json."""

from __future__ import annotations

import copy
import fnmatch
import itertools
import logging
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from functools import cached_property
from pathlib import Path

from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup
from pelican.generators import Generator
from pelican.utils import get_date, slugify

from . import share_image
from .core import DEFAULT_MAX_PER_ROW, Counts, Problem, TallyError, match_key, printable, read_tally
from .results_posts import RESULTS_MARKER
from .settings import (
    YES_NO,
    SettingError,
    case_required,
    case_required_unless,
    case_yes_no,
    check_settings,
    csv_path,
    is_case,
    results_after,
    results_not_after,
)

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
                message=f'"{printable(named)}" is the case of {_shown(page.source_path)}, which is not published '
                f'(its "Status" is {page.status}). Publish the page, or take its rows out of the tally.',
            )
    return problem


def case_pages(pages, settings) -> list:
    """The pages in the case folders (TALLY_CASE_PATHS), in their `order`."""
    cases = [p for p in pages if is_case(p.source_path, settings)]
    return sorted(cases, key=lambda p: (_whole(getattr(p, "order", None), p, "order") or 0, p.slug))


def case_names(pages) -> dict[str, list[str]]:
    """What the core matches CSV rows against: each case's slug and title."""
    return {p.slug: [plain(p.title)] for p in pages}


def max_per_row(settings) -> int | None:
    """TALLY_MAX_PER_ROW: the largest count one row may hold (None: no limit)."""
    return settings.get("TALLY_MAX_PER_ROW", DEFAULT_MAX_PER_ROW)


def tally_for(pages, settings, unpublished=()) -> TallyResult:
    """Read the CSV for these case pages and put the two together.
    ``unpublished``: case pages that are drafts or hidden, whose rows are
    refused with that reason rather than as an unknown case."""
    path = csv_path(settings)
    try:
        tally = read_tally(path, case_names(pages), source=_shown(path), max_per_row=max_per_row(settings))
    except TallyError as error:
        raise TallyError([why_unknown(problem, unpublished) for problem in error.problems]) from None
    for warning in tally.warnings if tally else []:
        logger.warning("%s", warning)
    counts = tally.counts if tally else {}
    cases = [
        CaseResult(**asdict(counts.get(p.slug, Counts())), page=p, goal=_whole(getattr(p, "goal", None), p, "goal"))
        for p in pages
    ]
    result = TallyResult(
        **asdict(tally.totals if tally else Counts()),
        cases=cases,
        goal=settings.get("TALLY_GOAL"),
        rows=tally.rows if tally else 0,
        skipped=tally.skipped if tally else [],
        participants=tally.participants if tally else None,
    )
    if tally:
        result.latest = [Addition(**asdict(row), case=result.case(key)) for key, row in reversed(tally.latest)]
    return result


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
    seen_slugs: dict[tuple, str] = {}
    case_keys: dict[str, str] = {}
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
            if name in case_keys and case_keys[name] != page.shown:
                problems.append(
                    Problem(
                        page.shown,
                        page.title_line,
                        f'the case "{printable(page.title)}" has a name that '
                        f"reads the same as a case in {case_keys[name]} (the tally CSV ignores "
                        "capitals, accents and spaces), so its counts could go to either. "
                        "Give the two cases names that differ in their letters.",
                    )
                )
            case_keys.setdefault(name, page.shown)
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
        for kind, path in _markdown_files(settings):
            try:
                data = path.read_bytes()
            except OSError as error:
                shown = _shown(str(path))
                yield _PageCheck(shown, [Problem(shown, None, f"cannot be read ({error.strerror}).")])
                continue
            last = before.get((kind, path))
            page = last[1] if last is not None and last[0] == data else _check_page(kind, path, data, page_settings)
            self.pages[(kind, path)] = (data, page)
            yield page


_checked_pages = _CheckedPages()


def _check_page(kind: str, path: Path, data: bytes, settings: _PageSettings) -> _PageCheck:
    shown = _shown(str(path))
    try:
        metadata, stray = _metadata(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return _PageCheck(shown, [Problem(shown, None, "is not UTF-8 text. Save it again as UTF-8.")])
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

    slug = metadata.get("slug", (0, ""))[1] or _slug(settings, path, metadata)
    address = (
        kind,
        metadata.get("status", (0, ""))[1].lower() == "draft",
        slug,
        metadata.get("lang", (0, settings["DEFAULT_LANG"]))[1],
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


_META_LINE = re.compile(r"^[ ]{0,3}([A-Za-z0-9_-]+):\s*(.*)$")  # as Markdown's meta extension reads it


def _metadata(text: str) -> tuple[dict[str, tuple[int, str]], tuple[int, str] | None]:
    """The lines at the top of a Markdown page: lower-cased name -> (line,
    text); and, if they end at a line that is not "Name: value" (a colon
    forgotten) while such lines follow it, that line's number and text."""
    metadata: dict[str, tuple[int, str]] = {}
    last = None
    lines = text.splitlines()
    start = 1 if lines and lines[0].strip() == "---" else 0
    for number, line in enumerate(lines[start:], start + 1):
        match = _META_LINE.match(line)
        if match:
            last = match[1].lower()
            metadata[last] = (number, match[2].strip())
        elif last and line.startswith("    ") and line.strip():
            metadata[last] = (metadata[last][0], f"{metadata[last][1]}\n{line.strip()}".strip())
        elif not line.strip() or line.strip() == "---":
            break  # a blank line (or "---") ends the metadata
        else:
            following = itertools.takewhile(lambda later: later.strip(), lines[number:])
            return metadata, (number, line) if any(_META_LINE.match(later) for later in following) else None
    return metadata, None


def _markdown_files(settings):
    extensions = (".md", ".markdown", ".mkd", ".mdown")
    ignores = settings.get("IGNORE_FILES", [".*"])
    for kind, folders in (("page", settings["PAGE_PATHS"]), ("article", settings["ARTICLE_PATHS"])):
        excludes = settings.get(f"{kind.upper()}_EXCLUDES", [])
        for folder in folders:
            root = Path(settings["PATH"], folder)
            for path in sorted(root.rglob("*")) if root.is_dir() else []:
                relative = path.relative_to(settings["PATH"]).as_posix()
                if (
                    path.suffix in extensions
                    and path.is_file()
                    and not any(relative.startswith(f"{e}/") or relative == e for e in excludes)
                    and not _ignored(path.relative_to(root), ignores)
                ):
                    yield kind, path


def _ignored(relative: Path, ignores) -> bool:
    """Whether Pelican skips this file: it or a folder on its way matches
    IGNORE_FILES (macOS's ._ files, editors' .#lock files with ".*")."""
    return any(fnmatch.fnmatch(part, pattern) for part in relative.parts for pattern in ignores)


def _slug(settings, path: Path, metadata) -> str:
    source = path.stem if settings.get("SLUGIFY_SOURCE") == "basename" else metadata.get("title", (0, ""))[1]
    return slugify(
        source,
        regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
        preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
        use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
    )


NUMBER_WORDS = {
    word: number
    for number, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
}
_CASES_COUNTED = re.compile(rf"\b(\d{{1,4}}|{'|'.join(NUMBER_WORDS)})\s+cases\b", re.IGNORECASE)


def wrong_case_counts(text: str, count: int) -> Iterator[tuple[int, str]]:
    """(line, words) for each "12 cases" / "twelve cases" in `text` that is not `count`."""
    for number, line in enumerate(text.splitlines(), 1):
        for found in _CASES_COUNTED.finditer(line):
            said = found[1].lower()
            if (int(said) if said.isdigit() else NUMBER_WORDS[said]) != count:
                yield number, found[0]


def warn_of_wrong_case_counts(contents, settings, count: int) -> None:
    """A page (or a setting, such as an event's description) that says "12
    cases" when the site has 13 case pages tells readers something false:
    warn, with the file and line, whenever a case page is added or removed."""
    for content in contents:
        try:
            text = Path(content.source_path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for line, words in wrong_case_counts(text, count):
            logger.warning(
                '%s, line %d: says "%s", but the site has %d case pages. Change the number (or add or remove a case page).',
                _shown(content.source_path),
                line,
                words,
                count,
            )
    for name, value in settings.items():
        texts = value.items() if isinstance(value, dict) else [(None, value)]
        for key, text in texts:
            if name.isupper() and isinstance(text, str):
                for _, words in wrong_case_counts(text, count):
                    where = f'{name}["{key}"]' if key is not None else name
                    logger.warning(
                        '%s in the settings says "%s", but the site has %d case pages. Change the number.',
                        where,
                        words,
                        count,
                    )


class TallyGenerator(Generator):
    def generate_context(self):
        check_settings(self.settings)
        unpublished = [*self.context.get("hidden_pages", []), *self.context.get("draft_pages", [])]
        self.tally = tally_for(
            case_pages(self.context.get("pages", []), self.settings),
            self.settings,
            case_pages(unpublished, self.settings),
        )
        others = [p for p in self.context.get("pages", []) if not is_case(p.source_path, self.settings)]
        warn_of_wrong_case_counts([*others, *self.context.get("articles", [])], self.settings, len(self.tally.cases))
        self.share_facts = share_facts(self.tally, self.settings)
        if self.share_facts:
            self.tally.share_image = share_image.file_name(self.settings["TALLY_SHARE_IMAGE"], self.share_facts)
            self.tally.share_image_alt = self.share_facts.alt_text()
        self.context["tally"] = self.tally

    def generate_output(self, writer):
        report = self.tally.as_dict(self.settings.get("SITEURL", ""))
        os.makedirs(self.output_path, exist_ok=True)
        # The JSON Jinja's `tojson` writes (<, >, & and ' as \u escapes): names
        # are text, and a page that puts this file inside its HTML cannot be
        # made to run a tag.
        text = htmlsafe_json_dumps(report, ensure_ascii=False, indent=2)
        with open(os.path.join(self.output_path, "tally.json"), "w", encoding="utf-8") as out:
            out.write(text + "\n")
        if self.share_facts:
            share_image.draw(self.share_facts, os.path.join(self.output_path, self.tally.share_image))


def share_facts(tally: TallyResult, settings) -> share_image.ShareFacts | None:
    """What the share picture shows, or None: none is drawn before anything is
    counted (the theme's picture stays) or without TALLY_SHARE_IMAGE."""
    if not (settings.get("TALLY_SHARE_IMAGE") and tally.reported):
        return None  # (check_settings has made sure Pillow is there when it is on)
    return share_image.ShareFacts(
        title=plain(settings.get("SITENAME", "")), total=tally.total, goal=tally.goal, percent=tally.percent
    )


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
        raise TallyError(
            [
                Problem(
                    _shown(page.source_path),
                    None,
                    f'the "{name}" metadata is "{value}": write a whole number such as 50.',
                )
            ]
        )
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
            record.msg = "%s %s. Fix %s and build again:\n%s"
            record.args = (
                "The pages have" if isinstance(error, ContentError) else "The tally has",
                "a problem" if count == 1 else f"{count} problems",
                "it" if count == 1 else "them",
                error,
            )
            record.exc_info = None
            record.exc_text = None
        return True


hide_traceback = HideTallyTraceback()
