"""Example values: what a fresh copy of the site ships with and nobody may
publish (an address on example.org, "Example Street", a placeholder public
address, the example's date and goal as EVENT_EXAMPLE_FACTS names them,
invented counts).

Plain Python with no Pelican import: `invoke publish`, `gh-pages` and
`preview` list these before building, and the event plugin shows them in a
banner on every page of a local build (or refuses a public build); the
patterns are in example_text.py, the public address rule in public_address.py.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .event_file import EXAMPLE_FACTS
from .example_text import content_scan, is_example, is_placeholder
from .public_address import public_address_problem
from .words import Words

# The keys of EVENT written as prose: checked by is_example, not is_placeholder.
PROSE_KEYS = {"description"}
# A public build looked at on this computer (`invoke preview --serve`, the
# benchmarks) has this setting, equal to its SITEURL: an address of this
# computer or its network is then allowed as SITEURL, and only then.
PREVIEW_SITEURL = "EVENT_PREVIEW_SITEURL"

# What goes in each field of EVENT, for the message that asks for it.
WHAT_TO_PUT = {
    "group": Words("put your group's name"),
    "city": Words("put your city"),
    "organizer": Words("put the name guests can ask for (yours)"),
    "rsvp_email": Words("put the e-mail address guests write to"),
    "venue": Words("put the name of the place and room where you meet"),
    "address": Words("put the street address of that place"),
    "public_address": Words(
        "put the address the site will have (https://..., e.g. https://<account>.github.io/<repository> "
        "on GitHub Pages)"
    ),
    "name": Words("put the event's name"),
    "description": Words("put one or two sentences about the evening"),
    "start": Words("put your evening's date and time"),
    "end": Words("put the date and time your evening ends"),
    "timezone": Words('put your time zone (a name such as "America/Chicago" or "Europe/London")'),
    "goal": Words("put the number of actions (letters + cards + e-mails) your group aims for"),
}
PUT_YOUR_OWN = Words("put your own value")


def what_to_put(key: str) -> Words:
    return WHAT_TO_PUT.get(key, PUT_YOUR_OWN)


# The setting that names the facts of EVENT still the shipped example's:
# nobody can tell a real date, city or goal from an example one by looking at
# it, so the site says which are examples, until the organizer takes them out.
FACTS_SETTING = "EVENT_EXAMPLE_FACTS"
# The suffixes of the pages Pelican reads (its Markdown, HTML and
# reStructuredText readers; the test suite checks this against Pelican's
# own list), and .txt. The build adds those of any other reader it has.
CONTENT_SUFFIXES = {".md", ".markdown", ".mkd", ".mdown", ".rst", ".html", ".htm", ".txt"}


@dataclass(frozen=True)
class ExampleValue:
    setting: str  # where to change it, e.g. EVENT["venue"] in pelicanconf.py
    value: str  # what it is now
    what: Words | str  # what to put there instead
    shown: Words | str | None = None  # how to say what it is, if not the value in quotes
    numbers: bool = False  # the tally's counts are example numbers

    def words(self) -> Words:
        """The whole line: in English in the terminal (str), in the site's
        language in the banner of a local build (say)."""
        shown = self.shown or (f'"{self.value}"' if self.value else Words("empty"))
        return Words("{setting} is {shown}: {what}.", setting=self.setting, shown=shown, what=self.what)

    def __str__(self) -> str:
        return str(self.words())


def example_values(settings: Mapping, suffixes: Iterable[str] = (), scan_content: bool = True) -> list[ExampleValue]:
    """Every example value the site would publish with these settings: the
    event's facts, the public address, the tally file, example text in
    the content's pages (also in files with these `suffixes`: a build gives
    those its readers read; not with `scan_content` False), and the same of
    every archived year (past_years.py)."""
    found = []
    event = settings.get("EVENT") or {}
    facts, found_in_facts = _example_facts(settings, event)
    for key, value in event.items():
        if key in facts:
            found.append(_example_fact(settings, key, value))
            continue
        if key == "public_address" or not isinstance(value, str):
            continue
        if is_example(value) if key in PROSE_KEYS else is_placeholder(value):
            found.append(ExampleValue(where(settings, key), value, what_to_put(key)))
    found += found_in_facts
    found += _public_address(settings)
    found += example_numbers(settings)
    for key in ("SITENAME", "AUTHOR", "SITESUBTITLE"):
        value = settings.get(key)
        # Not again when it is made from EVENT (AUTHOR is the group's name).
        if isinstance(value, str) and is_example(value) and value not in event.values():
            found.append(ExampleValue(f"{key} in pelicanconf.py", value, Words("put your own")))
    if settings.get("PATH") and scan_content:
        found += examples_in_content(Path(settings["PATH"]), suffixes)
    from .past_years import archived_example_values

    found += archived_example_values(settings)
    return list({str(item): item for item in found}.values())  # a past year's public address is this year's


def example_numbers(settings: Mapping) -> list[ExampleValue]:
    """The tally CSV (TALLY_CSV, in the content folder unless absolute) if its
    counts are example numbers: a file named *.example.*, a link to one, or a
    copy of a *.example.csv beside it, byte for byte."""
    name = str(settings.get("TALLY_CSV") or "")
    if not name:
        return []
    if ".example." in Path(name).name:
        what = Words("these are example numbers: use data/tally.csv, with your real counts")
        return [ExampleValue("TALLY_CSV", name, what, numbers=True)]
    path = Path(settings.get("PATH") or ".", name)
    real = Path(os.path.realpath(path))
    if ".example." in real.name:
        what = Words(
            "it leads to {file}, the example numbers: make it a file of its own (only the header row until you count)",
            file=_shown_path(real, settings),
        )
        return [ExampleValue("TALLY_CSV", name, what, numbers=True)]
    try:
        size = real.stat().st_size if real.is_file() else None
    except OSError:
        size = None
    if not size:
        return []  # no file, or an empty one: the tally plugin says so
    folders = dict.fromkeys([Path(os.path.realpath(path.parent)), real.parent])
    for example in sorted(e for folder in folders for e in folder.glob("*.example.csv")):
        try:
            same = example.is_file() and example.stat().st_size == size and example.read_bytes() == real.read_bytes()
        except OSError:
            continue
        if same:
            what = Words(
                "it is a copy of {file}, the example numbers: put your counts there (only the header row until you count)",
                file=_shown_path(example, settings),
            )
            return [ExampleValue("TALLY_CSV", name, what, numbers=True)]
    return []


def _shown_path(path: Path, settings: Mapping) -> str:
    """`path` as the organizer knows it: content/data/tally.example.csv."""
    content = Path(os.path.realpath(settings.get("PATH") or "."))
    return f"{content.name}/{path.relative_to(content).as_posix()}" if path.is_relative_to(content) else str(path)


def _example_facts(settings: Mapping, event: Mapping) -> tuple[list[str], list[ExampleValue]]:
    """The keys of EVENT that EVENT_EXAMPLE_FACTS names (the shipped example's
    date, city, goal...), and what is wrong with that setting itself."""
    setting = (
        f"{EXAMPLE_FACTS} in {event_file(settings)}" if event_file(settings) else f"{FACTS_SETTING} in pelicanconf.py"
    )
    facts = settings.get(FACTS_SETTING) or []
    if isinstance(facts, str):
        facts = [facts]
    if not isinstance(facts, (list, tuple, set, frozenset)):
        what = Words("write a list of the keys of EVENT that are still the example's, or [] once none is")
        return [], [ExampleValue(setting, repr(facts), what, shown=repr(facts))]
    names = [str(name) for name in facts]
    keys = ", ".join(f'"{key}"' for key in event)
    unknown = [
        ExampleValue(
            f'"{name}" in {setting}',
            name,
            Words("take it out, or write one of EVENT's keys: {keys}", keys=keys),
            shown=Words("no key of EVENT"),
        )
        for name in names
        if name not in event
    ]
    return names, unknown


def _example_fact(settings: Mapping, key: str, value) -> ExampleValue:
    """EVENT[key], named in EVENT_EXAMPLE_FACTS: still the shipped example's."""
    if isinstance(value, datetime):
        shown = value  # a date and time, in the language it is said in
    elif isinstance(value, str):
        shown = f'"{value}"'
    else:
        shown = str(value)
    if event_file(settings):
        what = Words(
            '{put} (invoke init asks for it, or take "{key}" out of {facts} once it is yours)',
            put=what_to_put(key),
            key=key,
            facts=EXAMPLE_FACTS,
        )
    else:
        what = Words('{put}, then take "{key}" out of {facts}', put=what_to_put(key), key=key, facts=FACTS_SETTING)
    return ExampleValue(where(settings, key), str(value), what, shown=Words("the example's {shown}", shown=shown))


def event_file(settings: Mapping) -> str:
    """The name of the file the event's facts are read from (EVENT_FILE: event.toml), or ""."""
    if settings.get("EVENT_FILE_NAME"):  # a past year's: content/archive/2016/event.toml
        return str(settings["EVENT_FILE_NAME"])
    return Path(settings["EVENT_FILE"]).name if settings.get("EVENT_FILE") else ""


def where(settings: Mapping, key: str) -> str:
    """Where the organizer changes EVENT[key]: the event file, or pelicanconf.py."""
    return f"{key} in {event_file(settings)}" if event_file(settings) else f'EVENT["{key}"] in pelicanconf.py'


def _public_address(settings: Mapping) -> list[ExampleValue]:
    event = settings.get("EVENT") or {}
    site_url = settings.get("SITEURL") or ""
    if site_url:
        setting, value = f"SITEURL ({where(settings, 'public_address')}, or SITEURL in the environment)", site_url
    elif "public_address" in event:
        setting, value = where(settings, "public_address"), event["public_address"] or ""
    else:
        return []
    if not isinstance(value, str):
        return [ExampleValue(setting, repr(value), WHAT_TO_PUT["public_address"])]
    problem = public_address_problem(value, here=bool(value) and value == settings.get(PREVIEW_SITEURL))
    if problem is None:
        return []
    if not value:
        return [ExampleValue(setting, value, WHAT_TO_PUT["public_address"])]
    # Why it cannot be (public_address.py) is said in English, as in the terminal.
    return [ExampleValue(setting, value, Words("{why}; {put}", why=problem, put=WHAT_TO_PUT["public_address"]))]


def examples_in_content(folder: Path, suffixes: Iterable[str] = ()) -> list[ExampleValue]:
    """Example addresses, names and places, and made-up phone numbers written
    into the pages themselves: every file of `folder` with a suffix of
    CONTENT_SUFFIXES or `suffixes` (those of the build's readers: "md" or ".md")."""
    wanted = frozenset(CONTENT_SUFFIXES | {f".{s.lstrip('.')}".lower() for s in suffixes})
    return [
        ExampleValue(f"{folder.name}/{path.relative_to(folder).as_posix()}, line {number}", text, WHAT_IN_PAGES[kind])
        for path, hits in content_scan.scan(folder, wanted)
        for number, text, kind in hits
    ]


# What to do about each kind of example text in a page.
WHAT_IN_PAGES = {
    "address": Words("put your own address there, or remove it"),
    "name": Words(
        'put the real name or place there, or remove it (if it is no made-up name, write "example" in lower case)'
    ),
    "phone": Words("555-0100 to 555-0199 are made-up numbers kept for fiction: put a real number there, or remove it"),
    "mark": Words("a mark of something still to fill in: write what it asks for there (and take the mark out)"),
}


class ExampleValuesError(Exception):
    """A public build with example values; the message lists them all."""

    def __init__(self, found: list[ExampleValue]):
        self.found = found
        super().__init__(refusal(found))


def refusal(found: list[ExampleValue]) -> str:
    """The message publish and preview stop with."""
    count = "an example value" if len(found) == 1 else f"{len(found)} example values"
    lines = [
        f"The site still has {count}, so nothing was built or published. Change "
        f'{"it" if len(found) == 1 else "them"} (see "Make it yours" in README.md):'
    ]
    return "\n".join(lines + [f"  {item}" for item in found])
