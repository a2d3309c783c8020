"""Example values: what a fresh copy of the site ships with and nobody may
publish (an address on example.org, "Example Street", a placeholder public
address, invented counts).

Plain Python with no Pelican import: `invoke publish`, `gh-pages` and
`preview` list these before building, and the event plugin shows them in a
banner on every page of a local build (or refuses a public build).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

# Domains kept for examples (RFC 2606): example.org/.com/.net and anything
# under the .example, .test and .invalid top-level domains.
EXAMPLE_DOMAIN = re.compile(
    r"(?<![\w.-])(?:[\w-]+\.)*(?:example\.(?:org|com|net)|[\w-]+\.(?:example|test|invalid))(?![\w-])", re.IGNORECASE
)
# "120 Example Street", "Alex Example": the shipped facts carry the word.
EXAMPLE_WORD = re.compile(r"\bExample\b")

# What goes in each field of EVENT, for the message that asks for it.
WHAT_TO_PUT = {
    "group": "your group's name",
    "city": "your city",
    "organizer": "the name guests can ask for (yours)",
    "rsvp_email": "the e-mail address guests write to",
    "venue": "the name of the place and room where you meet",
    "address": "the street address of that place",
    "public_address": "the address the site will have, e.g. https://yourgroup.github.io/write-for-rights",
    "name": "the event's name",
    "description": "one or two sentences about the evening",
}
CONTENT_SUFFIXES = {".md", ".markdown", ".rst", ".html", ".txt"}


@dataclass(frozen=True)
class ExampleValue:
    setting: str  # where to change it, e.g. EVENT["venue"] in pelicanconf.py
    value: str  # what it is now
    what: str  # what to put there instead

    def __str__(self) -> str:
        shown = f'"{self.value}"' if self.value else "empty"
        return f"{self.setting} is {shown}: {self.what}."


def is_example(text: str) -> bool:
    return bool(EXAMPLE_DOMAIN.search(text) or EXAMPLE_WORD.search(text))


def example_values(settings: Mapping) -> list[ExampleValue]:
    """Every example value the site would publish with these settings: the
    event's facts, the public address, the tally file, and example addresses
    in the content's pages."""
    found = []
    event = settings.get("EVENT") or {}
    for key, value in event.items():
        if isinstance(value, str) and key != "public_address" and is_example(value):
            found.append(
                ExampleValue(
                    f'EVENT["{key}"] in pelicanconf.py', value, f"put {WHAT_TO_PUT.get(key, 'your own value')}"
                )
            )
    found += _public_address(settings)
    tally_csv = str(settings.get("TALLY_CSV") or "")
    if ".example." in Path(tally_csv).name:
        found.append(
            ExampleValue("TALLY_CSV", tally_csv, "these are example numbers: use data/tally.csv, with your real counts")
        )
    for key in ("SITENAME", "AUTHOR", "SITESUBTITLE"):
        value = settings.get(key)
        # Not again when it is made from EVENT (AUTHOR is the group's name).
        if isinstance(value, str) and is_example(value) and value not in event.values():
            found.append(ExampleValue(f"{key} in pelicanconf.py", value, "put your own"))
    if settings.get("PATH"):
        found += examples_in_content(Path(settings["PATH"]))
    return found


def _public_address(settings: Mapping) -> list[ExampleValue]:
    event = settings.get("EVENT") or {}
    site_url = settings.get("SITEURL") or ""
    if site_url:
        setting, value = 'SITEURL (EVENT["public_address"] in pelicanconf.py, or SITEURL in the environment)', site_url
    elif "public_address" in event:
        setting, value = 'EVENT["public_address"] in pelicanconf.py', event["public_address"] or ""
    else:
        return []
    if value and not EXAMPLE_DOMAIN.search(value):
        return []
    return [ExampleValue(setting, value, f"put {WHAT_TO_PUT['public_address']}")]


def examples_in_content(folder: Path) -> list[ExampleValue]:
    """Addresses on example domains written into the pages themselves."""
    return [
        ExampleValue(
            f"{folder.name}/{path.relative_to(folder).as_posix()}, line {number}",
            address,
            "put your own address there, or remove it",
        )
        for path, addresses in _content_scan.scan(folder)
        for number, address in addresses
    ]


class _ContentScan:
    """The example addresses of each file of a content folder, remembered
    with the file's bytes. The dev server scans the content on every build:
    a file whose bytes did not change then costs a read and a comparison, not
    a search (its time is no proof: saves within one clock tick share one).
    Only the files of the folder scanned last are kept, so this never
    outgrows the site."""

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.files: dict[Path, tuple[bytes, list[tuple[int, str]]]] = {}

    def scan(self, folder: Path) -> Iterator[tuple[Path, list[tuple[int, str]]]]:
        """Each content file of `folder`, in order, with its example addresses."""
        before = self.files if folder == self.folder else {}
        self.folder, self.files = folder, {}
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() not in CONTENT_SUFFIXES or not path.is_file():
                continue
            data = path.read_bytes()
            last = before.get(path)
            addresses = last[1] if last is not None and last[0] == data else _example_addresses(data)
            self.files[path] = (data, addresses)
            yield path, addresses


_content_scan = _ContentScan()


def _example_addresses(data: bytes) -> list[tuple[int, str]]:
    """The example addresses in a file's text, as (line number, address)."""
    text = data.decode("utf-8", errors="replace")
    if not EXAMPLE_DOMAIN.search(text):
        return []  # most pages: one search, not one per line
    return [
        (number, match.group(0))
        for number, line in enumerate(text.splitlines(), 1)
        for match in EXAMPLE_DOMAIN.finditer(line)
    ]


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
