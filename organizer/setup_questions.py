"""`invoke init`: the event's facts asked in the terminal one at a time, each
answer checked as it is given, and written into event.toml with its comments
kept; stopped (Ctrl-C, end of input), it leaves the file exactly as it was."""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import available_timezones

from invoke import Exit
from rich.console import Console
from rich.prompt import InvalidResponse, Prompt

from organizer.project import EVENT_FILE

LEFT_AS_IT_WAS = "event.toml was left exactly as it was."


class Question(Prompt):
    """A question whose answer `check` turns into the value to write, or
    refuses with InvalidResponse and one line: then it is asked again. An
    empty answer takes the default shown in brackets (checked too)."""

    def __init__(self, text: str, check, default: str = "", **options):
        super().__init__(text, **options)
        self.check, self.default = check, default

    def make_prompt(self, default):
        return super().make_prompt(self.default if self.default else ...)

    def process_response(self, value: str):
        return self.check(value.strip() or self.default)

    def on_validate_error(self, value: str, error: InvalidResponse) -> None:
        self.console.print(f"  {error.message} Try again.", markup=False, highlight=False, soft_wrap=True)


def ask(console: Console, text: str, check, default="") -> object:
    return Question(text, check, "" if default is None else str(default), console=console)()


def refuse(reason: str):
    raise InvalidResponse(reason)


# -- The checks, one per kind of answer --------------------------------------------


def text(answer: str) -> str:
    from pelican.plugins.event.example_text import is_placeholder

    if is_placeholder(answer):
        return refuse(f'"{answer}" is the example\'s (or a placeholder): type your own.')
    return answer or refuse("Type an answer (it cannot be empty).")


def email(answer: str) -> str:
    from pelican.plugins.event.event_file import EMAIL

    if not EMAIL.match(answer):
        return refuse(f'"{answer}" is not an e-mail address (like letters@group.org).')
    return text(answer)


def attendance(answer: str) -> str:
    from pelican.plugins.event.event_file import ATTENDANCE

    folded = answer.casefold().replace("-", " ")
    if folded in ATTENDANCE:
        return folded
    return refuse('Type "in person", "online" or "both".')


def yes_no(answer: str) -> bool:
    if answer.casefold() in ("y", "yes", "true"):
        return True
    if answer.casefold() in ("n", "no", "false"):
        return False
    return refuse('Type "yes" or "no".')


def web_address(answer: str) -> str:
    """An https:// address that passes the public-address rule (no example or local host)."""
    from pelican.plugins.event.event_file import link_problem

    problem = link_problem(answer)
    return answer.rstrip("/") if problem is None else refuse(f'"{answer}" is {problem}.')


def day(answer: str) -> date:
    try:
        return date.fromisoformat(answer)
    except ValueError:
        return refuse(f'"{answer}" is not a date written as year-month-day, like 2024-12-07.')


def clock(answer: str) -> time:
    """17:00, 5:00 PM, 5 pm."""
    found = re.fullmatch(r"(\d{1,2})(?:[:.h](\d\d))?\s*([ap]\.?m\.?)?", answer.casefold().replace(" ", ""))
    if found:
        hour, minute, half = int(found[1]), int(found[2] or 0), found[3]
        if half and 1 <= hour <= 12:
            hour = hour % 12 + (12 if half.startswith("p") else 0)
        if hour < 24 and minute < 60 and (found[2] or half):
            return time(hour, minute)
    return refuse(f'"{answer}" is not a time like 17:00 or 5:00 PM.')


def zone(answer: str) -> str:
    from pelican.plugins.event.event_file import is_zone

    if is_zone(answer):
        return answer
    return refuse(f'"{answer}" is not a time zone name: type one like America/Chicago or Europe/London.')


def goal(answer: str) -> int:
    if answer.replace(",", "").isdigit() and int(answer.replace(",", "")) > 0:
        return int(answer.replace(",", ""))
    return refuse(f'"{answer}" is not a whole number above 0, like 120.')


def language_codes(answer: str) -> list[str]:
    """The site's languages, e.g. "en" or "en fr": each a known code, once; each
    after the first with the theme's catalog (docs/languages.md)."""
    from babel import Locale, UnknownLocaleError
    from pelican.plugins.event.language_sites import catalog_path

    from organizer.project import ROOT

    codes = [code for code in re.split(r"[\s,]+", answer.strip()) if code]
    if not codes:
        refuse('Type a language code, such as "en", or two, the site\'s own first, such as "en fr".')
    for code in codes:
        try:
            Locale.parse(code)
        except (ValueError, UnknownLocaleError):
            refuse(f'"{code}" is no language code: type one such as "en", "fr", "de" or "es".')
    if len(set(codes)) != len(codes):
        refuse("Name each language once.")
    for code in codes[1:]:
        if not catalog_path(ROOT / "theme", code).is_file():
            refuse(f'The theme has no catalog for "{code}", so it cannot make a site in it (docs/languages.md).')
    return codes


def folded(name: str) -> str:
    """'Montréal' -> 'montreal', 'New_York' -> 'new york'."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.casefold()).split())


def suggested_zone(city: str) -> str | None:
    """The time zone named after the city, if there is one: "New York City"
    -> America/New_York, "Montréal" -> America/Montreal."""
    wanted = folded(city)
    tries = [wanted, re.sub(r" city$", "", wanted), wanted.split(" ")[0]]
    zones: dict[str, str] = {}
    for name in sorted(available_timezones()):
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/")):
            zones.setdefault(folded(name.rsplit("/", 1)[1]), name)
    return next((zones[t] for t in tries if t in zones), None)


# -- The whole conversation --------------------------------------------------------


def ask_all(console: Console, now: dict) -> dict:
    """Every fact, asked in turn with the file's value as the default."""
    answers = {
        "group": ask(console, "Your group's name", text, now.get("group")),
        "city": ask(console, "Your city", text, now.get("city")),
        "organizer": ask(console, "Your name (guests can ask for you)", text, now.get("organizer")),
        "rsvp_email": ask(
            console, "The contact e-mail, where guests say they are coming", email, now.get("rsvp_email")
        ),
        "attendance": ask(console, "Do guests come in person, online or both?", attendance, now.get("attendance")),
    }
    answers |= ask_where(console, answers["attendance"], now)
    answers |= ask_when(console, answers["city"], now)
    answers["goal"] = ask(console, "Your goal: how many letters, cards and e-mails", goal, now.get("goal"))
    answers["public_address"] = ask(
        console, "The site's public address (https://...)", web_address, now.get("public_address")
    )
    answers["report_by"] = ask_report_by(console, answers["end"], now.get("report_by"))
    languages = " ".join(now.get("languages") or ["en"])
    answers["languages"] = ask(
        console,
        "The site's languages, its own first (e.g. en, or en fr for a second site in French)",
        language_codes,
        languages,
    )
    return answers


def ask_where(console: Console, how: str, now: dict) -> dict:
    """The venue and its address, and/or the meeting link and whether it is private."""
    where = {"venue": "", "address": "", "meeting_link": "", "meeting_link_private": False}
    if how in ("in person", "both"):
        where["venue"] = ask(console, "The place and room where you meet", text, now.get("venue"))
        where["address"] = ask(console, "Its street address", text, now.get("address"))
    if how in ("online", "both"):
        where["meeting_link"] = ask(console, "The meeting link (https://...)", web_address, now.get("meeting_link"))
        private = "yes" if now.get("meeting_link_private") else "no"
        where["meeting_link_private"] = ask(
            console, "Keep the link private (guests write to you for it)? yes or no", yes_no, private
        )
    return where


def ask_when(console: Console, city: str, now: dict) -> dict:
    """The date, start and end (the end after the start) and the time zone."""
    start, end = now.get("start"), now.get("end")
    on = ask(console, "The date (year-month-day)", day, start.date() if isinstance(start, datetime) else "")
    starts = ask(console, "It starts at (e.g. 17:00)", clock, f"{start:%H:%M}" if isinstance(start, datetime) else "")

    def after_start(answer: str) -> time:
        ends = clock(answer)
        return ends if ends > starts else refuse(f"The end ({ends:%H:%M}) must be after the start ({starts:%H:%M}).")

    ends = ask(console, "It ends at (e.g. 20:30)", after_start, f"{end:%H:%M}" if isinstance(end, datetime) else "")
    zone_name = ask(console, "Your time zone", zone, suggested_zone(city) or now.get("timezone"))
    return {"start": datetime.combine(on, starts), "end": datetime.combine(on, ends), "timezone": zone_name}


def ask_report_by(console: Console, end: datetime, now) -> date | str:
    def optional_day(answer: str):
        if answer.casefold() in ("", "none", "no", "-"):
            return ""
        due = day(answer)
        return due if due >= end.date() else refuse(f"{due} is before the evening ({end.date()}).")

    default = now if isinstance(now, date) else "none"
    return ask(console, "The day Amnesty wants the counts by (year-month-day, or none)", optional_day, default)


def written(text_before: str, answers: dict) -> str:
    """event.toml with the answers in it, every comment kept; each answered
    fact taken out of example_facts (it is the organizer's now)."""
    import tomlkit
    from pelican.plugins.event.event_file import EXAMPLE_FACTS, normalized

    document = tomlkit.parse(normalized(text_before))
    for key, value in answers.items():
        document[key] = value
    if EXAMPLE_FACTS in document:
        document[EXAMPLE_FACTS] = [fact for fact in document[EXAMPLE_FACTS] if fact not in answers]
    return tomlkit.dumps(document)


def init(path: Path = EVENT_FILE) -> None:
    """Ask, check, and write event.toml (all at once, at the end)."""
    from pelican.plugins.event.event_file import EventFileError, parse_event

    console = Console(highlight=False)
    before = path.read_text(encoding="utf-8")
    now = current_values(before, path.name)
    try:
        parse_event(before, path.name)
    except EventFileError as error:  # a wrong value: the questions put it right
        print(f"{error} The questions below put it right.", file=sys.stderr)
    console.print(
        f"Your evening's facts, for {path.name}. Press Enter to keep the value shown in (brackets).", markup=False
    )
    try:
        after = written(before, ask_all(console, now))
        parse_event(after, path.name)  # never a file the build would refuse
    except (KeyboardInterrupt, EOFError):
        print(f"\nStopped: {LEFT_AS_IT_WAS}", file=sys.stderr)
        raise Exit(code=1) from None
    except EventFileError as error:
        raise Exit(f"{error} {LEFT_AS_IT_WAS}", code=1) from None
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(after, encoding="utf-8")
    os.replace(partial, path)
    console.print(
        f'Wrote {path.name}. Next: edit the pages in content/ (see "Make it yours" in README.md), '
        "then make serve to see the site.",
        markup=False,
    )


def current_values(text_before: str, name: str) -> dict:
    """The file's values, for the defaults; a file TOML cannot read stops here."""
    import tomllib
    from pelican.plugins.event.event_file import EventFileError, normalized, parse_event

    try:
        return tomllib.loads(normalized(text_before))
    except tomllib.TOMLDecodeError:
        try:
            parse_event(text_before, name)
        except EventFileError as error:
            raise Exit(f"{error} Then run invoke init again. {LEFT_AS_IT_WAS}", code=1) from None
        raise
