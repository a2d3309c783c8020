"""Counting: `invoke tally` adds one checked row to the tally CSV, and
`invoke report` gives the numbers for Amnesty's reporting form, on the screen
or as a CSV file a spreadsheet opens safely."""

from __future__ import annotations

import os
import sys
from csv import writer as csv_writer
from pathlib import Path

from invoke import Exit

from organizer.project import settings


def some(number: int, plural: str) -> str:
    """'1 letter', '3 letters', '1 e-mail': for the organizer's terminal."""
    word = {"emails": "e-mails"}.get(plural, plural)
    return f"{number:,} {word[:-1] if number == 1 else word}"


def year_or_current(year="") -> dict:
    """The settings of this year's site, or of an archived year (--year 2016):
    its own CSV, case pages and goal. An unknown year exits with one line."""
    local = settings()
    if not str(year or "").strip():
        return local
    from pelican.plugins.event.event_file import EventFileError
    from pelican.plugins.event.past_years import ArchiveError, year_settings

    text = str(year).strip()
    if text.isdigit() and int(text) == local["EVENT"]["start"].year:
        return local
    try:
        if not text.isdigit():
            raise ArchiveError(f'--year "{year}" is not a year, e.g. --year 2016.')
        return year_settings(local, int(text))
    except (ArchiveError, EventFileError) as error:
        raise Exit(f"{error} Nothing was written.", code=1)


def add_counts(case: str, letters="0", cards="0", emails="0", participants="", year="") -> None:
    """Add one row of counts (or of participants) to the tally CSV (a past
    year's with `year`), checked before it is written; says what was added
    once it is on disk."""
    from pelican.plugins.tally import api as tally_api
    from pelican.plugins.tally.api import printable

    if not case.strip() and not participants.strip():
        raise Exit(
            'Say what to add: --case "Annie Alfred" --letters 3, or --participants 12. Nothing was written.', code=1
        )
    local = year_or_current(year)
    path = tally_api.csv_path(local)
    counts = {"letters": letters, "cards": cards, "emails": emails, "participants": participants}
    try:
        name = tally_api.add_row(local, case, counts)
    except (tally_api.TallyError, tally_api.SettingError) as error:
        raise Exit(f"{error}\nNothing was written.", code=1)
    # What was written: the checks above accepted each as a whole number ("+3", " 3 " and "" too).
    written = {column: int(str(value).strip() or 0) for column, value in counts.items()}
    added = [", ".join([name, *(some(written[c], c) for c in ("letters", "cards", "emails"))])] if name else []
    if participants.strip():
        added.append(some(written["participants"], "participants"))
    # add_row returns once the row is on disk: only then is it "Added".
    print(printable(f"Added to {os.path.relpath(path)}: {'; '.join(added)}."))


HEADER = ["Case", "Country", "Letters", "Cards", "E-mails", "Total"]


def report(csv=None, force=False, year="") -> None:
    """Actions per case and in total, letters, cards and e-mails apart, and
    participants (of a past year with `year`): as a table on the screen, or
    as CSV (to a file, or - for the screen)."""
    from pelican.plugins.tally import api as tally_api

    local = year_or_current(year)
    if csv and csv != "-":
        _check_report_path(Path(csv), Path(tally_api.csv_path(local)), force)
    try:
        result = tally_api.read_tally(local)
    except (tally_api.TallyError, tally_api.SettingError) as error:
        raise Exit(str(error), code=1)
    rows = [
        [case[key] for key in ("title", "country", "letters", "cards", "emails", "total")]
        for case in (r.as_dict() for r in result.cases)
    ]
    rows.append(["All cases", "", result.letters, result.cards, result.emails, result.total])
    if csv:
        _write_report_csv(csv, force, rows, result.participants)
    else:
        _print_report(rows, result)
        deadline = report_deadline(local.get("EVENT") or {})
        if deadline:
            print(f"\n{deadline}")


def _write_report_csv(csv: str, force: bool, rows: list[list], people: int | None) -> None:
    # Participants on the totals row: the file reads back as a tally with the same numbers.
    table = spreadsheet_safe(
        [
            [*HEADER, "Participants"],
            *[[*row, ""] for row in rows[:-1]],
            [*rows[-1], "" if people is None else people],
        ]
    )
    if csv == "-":
        csv_writer(sys.stdout).writerows(table)
        return
    try:
        with open(csv, "w" if force else "x", encoding="utf-8", newline="") as out:
            csv_writer(out).writerows(table)
    except OSError as error:  # no permission, a full disk: one line, not a traceback
        raise Exit(f"{csv}: {error.strerror or error}. Write the report elsewhere, e.g. --csv report.csv.", code=1)
    print(f"Wrote the report to {csv}.")


def _print_report(rows: list[list], result) -> None:
    from pelican.plugins.tally.api import printable

    print(_text_table(HEADER, [[printable(str(r[0])), printable(str(r[1])), *r[2:]] for r in rows]))
    if not result.reported:
        print("\nNo letters have been counted yet.")
    elif result.goal:
        print(f"\n{result.total:,} actions: {result.percent} % of our goal of {result.goal:,}.")
    numbers = {
        "Letters": result.letters,
        "Cards": result.cards,
        "E-mails": result.emails,
        "Actions in total": result.total,
        "Participants": result.participants,
    }
    label_width = max(map(len, numbers))
    number_width = max(len(f"{n:,}") for n in numbers.values() if n is not None)
    print("\nFor Amnesty's reporting form (actions per case: the Total column above):")
    for label, n in numbers.items():
        value = "not recorded (add them: invoke tally --participants N)" if n is None else f"{n:,}".rjust(number_width)
        print(f"  {label.ljust(label_width)}  {value}")


def report_deadline(event: dict) -> str | None:
    """The reporting deadline (report_by in event.toml), as of today where the
    evening happens (SOURCE_DATE_EPOCH when set): due, due today, or passed."""
    from zoneinfo import ZoneInfo

    from pelican.plugins.event import dates

    due = event.get("report_by")
    if not due:
        return None
    today = dates.build_date(ZoneInfo(event["timezone"]))
    when = dates.long_date(due)
    if today > due:
        return f"The reporting deadline, {when}, has passed: send these numbers to Amnesty as soon as you can."
    if today == due:
        return f"Amnesty wants these numbers today, {when}."
    days = (due - today).days
    return f"Amnesty wants these numbers by {when} (in {days} {'day' if days == 1 else 'days'})."


def _check_report_path(path: Path, tally: Path, force: bool) -> None:
    """The report never writes over the tally, nor over any file without --force."""
    if path.resolve() == tally.resolve():
        raise Exit(
            f"{path} is the tally CSV itself: write the report to another file, "
            "e.g. --csv report.csv. Nothing was written.",
            code=1,
        )
    if path.is_dir():
        raise Exit(f"{path} is a folder: give a file name, e.g. --csv report.csv.", code=1)
    if not path.parent.is_dir():
        raise Exit(
            f"{path}: there is no folder {path.parent}. Create it or write the report elsewhere, "
            "e.g. --csv report.csv. Nothing was written.",
            code=1,
        )
    if path.exists() and not force:
        raise Exit(
            f"{path} already exists. Add --force to write over it, or choose another name. Nothing was written.", code=1
        )


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(rows: list[list]) -> list[list]:
    """Cells a spreadsheet would run as a formula start with a ' instead
    (OWASP's advice against CSV injection); numbers stay numbers."""
    return [
        [f"'{cell}" if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell for cell in row]
        for row in rows
    ]


def _text_table(header: list[str], rows: list[list]) -> str:
    """Columns lined up, numbers with thousands separators, totals ruled off."""
    table = [header] + [[*row[:2], *(f"{n:,}" for n in row[2:])] for row in rows]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))).rstrip()
        for row in table
    ]
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([lines[0], rule, *lines[1:-1], rule, lines[-1]])
