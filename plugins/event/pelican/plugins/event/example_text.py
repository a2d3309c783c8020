"""Example text: the patterns that find an example domain, a made-up name
or place, a fictional phone number or a placeholder (TODO, TBD, FIXME: a mark of something to fill in), and the scan of a content
folder's files for them (remembered with each file's bytes).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

# Domains kept for examples (RFC 2606): example.org/.com/.net and anything
# under the .example, .test and .invalid top-level domains.
EXAMPLE_DOMAIN = re.compile(
    r"(?<![\w.-])(?:[\w-]+\.)*(?:example\.(?:org|com|net)|[\w-]+\.(?:example|test|invalid))(?![\w-])", re.IGNORECASE
)
# "120 Example Street", "Alex Example": the shipped facts carry the word.
EXAMPLE_WORD = re.compile(r"\bExample\b")
# In the pages, "Example" as a made-up name or place: next to another word
# with a capital ("Alex Example", "Example Street", "Example Neighborhood
# Center", "Amnesty International Example Group"). Prose is left alone: "for
# example", "Example:" opening a sentence, "For Example" in a title (but
# "An Example Letter" is flagged: write "an example letter").
EXAMPLE_NAME = re.compile(
    r"(?:\b(?P<before>[^\W\d_][\w'’-]*)[ \t]+)?\b(?P<word>Example)\b(?:[ \t]+(?P<after>[^\W\d_][\w'’-]*))?"
)
NEXT_WORD = re.compile(r"[ \t]+([^\W\d_][\w'’-]*)")
PROSE_BEFORE = {
    *"a an the this that another one any each every some such see for in on at of to by as our your my its their".split()
}
# 555-0100 to 555-0199 are kept for fiction in North America: "(212) 555-0100",
# "212-555-0142", "+1 212 555 0199", "555.0123".
FICTIONAL_PHONE = re.compile(r"(?<![\w+])(?:\+?1[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ .-]?)?555[ .-]?01\d\d(?!\d)")
# Words typed while the real value is not known yet, in any capitals.
TODO_WORD = re.compile(r"\b(?:TODO|TBD|TBA|FIXME|XXX+|lorem ipsum)\b", re.IGNORECASE)
# In EVENT's short facts (not its description, which is prose), also "Your
# Name", "your group", and "example" in any capitals ("example street").
PLACEHOLDER = re.compile(
    r"\bexample\b"
    r"|\byour[ _-]?(?:own[ _-]?)?(?:name|group|city|town|venue|place|room|address|e-?mail|organi[sz]ation|event)\b",
    re.IGNORECASE,
)


def is_example(text: str) -> bool:
    """Example text in a setting written as prose: an example domain, the word
    "Example", a phone number kept for fiction, a word such as TODO or TBD."""
    return bool(
        EXAMPLE_DOMAIN.search(text)
        or EXAMPLE_WORD.search(text)
        or FICTIONAL_PHONE.search(text)
        or TODO_WORD.search(text)
    )


def is_placeholder(text: str) -> bool:
    """Example text in a short fact (a venue, a name): also "example" and
    "Your Name", "your group" and the like, in any capitals."""
    return is_example(text) or bool(PLACEHOLDER.search(text))


class _ContentScan:
    """The example text of each file of a content folder, remembered with
    the file's bytes. The dev server scans the content on every build: a
    file whose bytes did not change then costs a read and a comparison, not
    a search (its time is no proof: saves within one clock tick share one).
    Only the files of the folder scanned last are kept, so this never
    outgrows the site."""

    def __init__(self) -> None:
        self.folder: tuple[Path, frozenset[str]] | None = None
        self.files: dict[Path, tuple[bytes, list[tuple[int, str, str]]]] = {}

    def scan(self, folder: Path, suffixes: frozenset[str]) -> Iterator[tuple[Path, list[tuple[int, str, str]]]]:
        """Each content file of `folder` (with one of `suffixes`), in order, with its example text."""
        before = self.files if (folder, suffixes) == self.folder else {}
        self.folder, self.files = (folder, suffixes), {}
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() not in suffixes or not path.is_file():
                continue
            data = path.read_bytes()
            last = before.get(path)
            hits = last[1] if last is not None and last[0] == data else _example_text(data)
            self.files[path] = (data, hits)
            yield path, hits


content_scan = _ContentScan()


def _example_text(data: bytes) -> list[tuple[int, str, str]]:
    """The example text in a file, as (line number, text, kind): example
    addresses, made-up names and places, fictional phone numbers."""
    text = data.decode("utf-8", errors="replace")
    if not (EXAMPLE_DOMAIN.search(text) or "Example" in text or FICTIONAL_PHONE.search(text) or TODO_WORD.search(text)):
        return []  # most pages: three searches, not three per line
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        hits = [(m.start(), m.group(0), "address") for m in EXAMPLE_DOMAIN.finditer(line)]
        hits += [(start, name, "name") for start, name in example_names(line)]
        hits += [(m.start(), m.group(0), "phone") for m in FICTIONAL_PHONE.finditer(line)]
        hits += [(m.start(), _marked(line, m), "mark") for m in TODO_WORD.finditer(line)]
        found += [(number, hit, kind) for _, hit, kind in sorted(hits)]
    return found


def _marked(line: str, mark: re.Match) -> str:
    """A mark with what it asks for: "TODO: the case's name" (to the line's end, at most 80 characters)."""
    return line[mark.start() :].strip()[:80]


def example_names(line: str) -> list[tuple[int, str]]:
    """Each made-up name or place in `line` with "Example" in it, as (where, text):
    "Example" next to another word with a capital, but for words of prose
    such as "For Example" or "An Example"."""
    found = []
    for match in EXAMPLE_NAME.finditer(line):
        before, after = match["before"], match["after"]
        if before and (not before[0].isupper() or before.casefold() in PROSE_BEFORE):
            before = None
        if after and not after[0].isupper():
            after = None
        if after:  # the whole name: "Example Neighborhood Center"
            rest = line[match.end() :]
            while (more := NEXT_WORD.match(rest)) and more[1][0].isupper():
                after, rest = f"{after} {more[1]}", rest[more.end() :]
        if before or after:
            start = match.start("before") if before else match.start("word")
            found.append((start, " ".join(word for word in (before, "Example", after) if word)))
    return found
