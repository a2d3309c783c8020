"""`invoke new-year YEAR`: this year's pages, cases, posts, tally CSV and
event.toml move into content/archive/<this year>/, and the new year starts
from templates/new_year/, every field to fill in marked TODO (docs/new-year.md)."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

from invoke import Exit

from organizer.project import EVENT_FILE, ROOT, settings

TEMPLATES = Path(__file__).resolve().parent / "templates" / "new_year"
NOTHING = "Nothing was changed."
HEADER = "case,letters,cards,emails\n"
# The facts every new year must give again: the date, the goal.
NEW_FACTS = ["start", "end", "goal"]


def refuse(why: str) -> Exit:
    return Exit(f"invoke new-year: {why}. {NOTHING}", code=1)


def new_year(year: str, cases: str = "12", force: bool = False) -> None:
    """Archive this year and write the new year's starting point, or refuse in one line, changing nothing."""
    site = settings()
    current = site["EVENT"]["start"].year
    new, count = _checked_numbers(year, cases, current)
    archive = Path(site["PATH"], site.get("EVENT_ARCHIVE_PATH") or "archive")
    for taken in (new, current):
        if (archive / str(taken)).exists():
            raise refuse(f"{_shown(archive / str(taken))} already exists: {taken} is archived already")
    _check_committed(force)
    event_text = new_event_text(EVENT_FILE.read_text(encoding="utf-8"), new)
    _archive(site, archive / str(current))
    _start(site, new, count, event_text)
    print(f"Archived {current} in {_shown(archive / str(current))}/ (its site: /{current}/).")
    print(
        f"Started {new} with {count} case pages: fill in every TODO in content/ and the facts example_facts "
        "lists in event.toml (make serve shows which are left; invoke preview refuses until none is)."
    )


def _checked_numbers(year: str, cases: str, current: int) -> tuple[int, int]:
    text = str(year).strip()
    if not (text.isdigit() and len(text) == 4):
        raise refuse(f'"{year}" is not a year: give the new campaign\'s year, e.g. invoke new-year {current + 1}')
    if int(text) <= current:
        raise refuse(
            f"{text} is not after the current campaign ({current}, the start in event.toml): "
            f"give a later year, e.g. invoke new-year {current + 1}"
        )
    count = str(cases).strip()
    if not count.isdigit() or not 1 <= int(count) <= 500:
        raise refuse(f'--cases "{cases}" is not a number of cases from 1 to 500, e.g. --cases 12')
    return int(text), int(count)


def _check_committed(force: bool) -> None:
    """Refuse uncommitted changes under content/ or in event.toml (git
    status); outside a git repository refuse too, unless `force`."""
    try:
        status = subprocess.run(
            ["git", "status", "--porcelain", "--", "content", "event.toml"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
    except OSError:
        status = None
    if status is None or status.returncode != 0:
        if force:
            return
        raise refuse(
            "this folder is not a git repository, so the year's pages cannot be checked as committed: "
            "commit them in git first, or add --force to archive them as they are"
        )
    changed = [line[3:] for line in status.stdout.splitlines() if line.strip()]
    if changed:
        shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
        raise refuse(f"there are uncommitted changes ({shown}): commit them first (git add -A && git commit)")


def new_event_text(text: str, year: int) -> str:
    """event.toml for `year`: the dates moved to that year, a description to
    write, and the date and goal marked as still to give (example_facts)."""
    import tomlkit
    from pelican.plugins.event.event_file import EXAMPLE_FACTS, normalized

    document = tomlkit.parse(normalized(text))
    shift = year - document["start"].year
    for key in ("start", "end", "report_by"):
        value = document.get(key)
        if isinstance(value, (date, datetime)):
            document[key] = _moved(value, shift)
    document["description"] = f"TODO: one or two sentences about the {year} evening, for calendars and search engines."
    facts = [str(fact) for fact in document.get(EXAMPLE_FACTS, [])]
    extra = ["report_by"] if document.get("report_by") else []
    document[EXAMPLE_FACTS] = facts + [fact for fact in NEW_FACTS + extra if fact not in facts]
    return tomlkit.dumps(document)


def _moved(value: date, years: int) -> date:
    plain = datetime.fromisoformat(value.isoformat()) if isinstance(value, datetime) else date.fromisoformat(str(value))
    try:
        return plain.replace(year=plain.year + years)
    except ValueError:  # 29 February
        return plain.replace(year=plain.year + years, day=28)


def _archive(site: dict, folder: Path) -> None:
    """Move this year's pages, cases, posts, tally CSV and event.toml into
    `folder`, put together beside it first (the guide and other pages are
    copied: they stay this year's too)."""
    from pelican.plugins.tally.api import csv_path

    content = Path(site["PATH"])
    staging = folder.with_name(f".{folder.name}.new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name in site.get("PAGE_PATHS") or ():
        if (content / name).is_dir():
            if name in (site.get("TALLY_CASE_PATHS") or ()):
                continue
            shutil.copytree(content / name, staging / name)
    (staging / "data").mkdir()
    tally = Path(csv_path(site))
    if tally.is_file():
        shutil.copy2(tally, staging / "data" / "tally.csv")
    shutil.copy2(EVENT_FILE, staging / "event.toml")
    for name in [*(site.get("TALLY_CASE_PATHS") or ()), *(site.get("ARTICLE_PATHS") or ())]:
        if (content / name).is_dir():
            shutil.copytree(content / name, staging / name)
    staging.rename(folder)
    for name in [*(site.get("TALLY_CASE_PATHS") or ()), *(site.get("ARTICLE_PATHS") or ())]:
        shutil.rmtree(content / name, ignore_errors=True)


def _start(site: dict, year: int, count: int, event_text: str) -> None:
    """The new year's starting point: marked pages, an empty tally, event.toml."""
    from pelican.plugins.tally.api import csv_path

    content = Path(site["PATH"])
    cases = content / (list(site.get("TALLY_CASE_PATHS") or ["cases"])[0])
    cases.mkdir(parents=True, exist_ok=True)
    case = _template("case.md")
    width = max(2, len(str(count)))
    for number in range(1, count + 1):
        (cases / f"case-{number:0{width}d}.md").write_text(case.replace("{number}", str(number)), encoding="utf-8")
    pages = content / "pages"
    pages.mkdir(exist_ok=True)
    for name in ("invitation.md", "cases.md"):
        (pages / name).write_text(_template(name).replace("{year}", str(year)), encoding="utf-8")
    posts = content / (list(site.get("ARTICLE_PATHS") or ["posts"])[0])
    posts.mkdir(parents=True, exist_ok=True)
    end = _moved(site["EVENT"]["end"], year - site["EVENT"]["start"].year)
    results_date = (end + timedelta(days=2)).replace(hour=10, minute=0, second=0)
    (posts / "results.md").write_text(
        _template("results.md").replace("{date}", f"{results_date:%Y-%m-%d %H:%M}"), encoding="utf-8"
    )
    tally = Path(csv_path(site))
    tally.parent.mkdir(parents=True, exist_ok=True)
    tally.write_text(HEADER, encoding="utf-8")
    partial = EVENT_FILE.with_name(f".{EVENT_FILE.name}.new")
    partial.write_text(event_text, encoding="utf-8")
    os.replace(partial, EVENT_FILE)


def _template(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def _shown(path: Path) -> str:
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)
