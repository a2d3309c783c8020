"""The documentation as a reader meets it on GitHub: a README short enough to
read in five minutes that leads to every page in docs/, every page leading back
to it, and no link or picture that leads nowhere (files, and #anchors as
GitHub makes them from headings)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT

README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [README, *DOCS]
README_MOST_BYTES = 10_000

FENCE = re.compile(r"^ {0,3}(```|~~~)")
CODE_SPAN = re.compile(r"`[^`]*`")
# [text](target) and ![alt](target), with an optional "title".
LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)  # https:, mailto:


def prose_lines(text: str) -> list[str]:
    """The lines of a Markdown file outside fenced code blocks."""
    lines, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            lines.append(line)
    return lines


def links(page: Path) -> list[str]:
    """Every link and picture target written in `page`, outside code."""
    prose = CODE_SPAN.sub("", "\n".join(prose_lines(page.read_text(encoding="utf-8"))))
    return LINK.findall(prose)


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: its text in lower case, punctuation
    left out (letters, digits, _ and - stay), each space a hyphen."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link: its text
    text = re.sub(r"[`*]", "", text).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """The #anchors of a Markdown file's headings; a repeated one gets -1, -2, ..."""
    found: set[str] = set()
    for line in prose_lines(page.read_text(encoding="utf-8")):
        if match := HEADING.match(line):
            name = base = slug(match.group(1))
            count = 0
            while name in found:
                count += 1
                name = f"{base}-{count}"
            found.add(name)
    return found


def local_links(page: Path) -> list[tuple[str, Path, str]]:
    """(as written, the file it leads to, its #anchor or "") for each link of
    `page` to a file of this repository."""
    found = []
    for target in links(page):
        if EXTERNAL.match(target):
            continue
        path, _, anchor = target.partition("#")
        found.append((target, (page.parent / path).resolve() if path else page, anchor))
    return found


def name(page: Path) -> str:
    return str(page.relative_to(ROOT))


def test_there_are_docs_pages():
    assert DOCS, "no Markdown pages in docs/"


def test_the_readme_is_a_five_minute_read():
    size = len(README.read_bytes())
    assert size <= README_MOST_BYTES, f"README.md is {size:,} bytes; at most {README_MOST_BYTES:,}"


def test_the_readme_keeps_the_section_error_messages_point_to():
    """Messages of the build and the flyer say: see "Make it yours" in README.md."""
    assert "make-it-yours" in anchors(README)


def test_the_readme_links_every_docs_page():
    linked = {path for _, path, _ in local_links(README)}
    assert [name(page) for page in DOCS if page.resolve() not in linked] == []


@pytest.mark.parametrize("page", DOCS, ids=name)
def test_each_docs_page_links_back_to_the_readme(page):
    assert README.resolve() in {path for _, path, _ in local_links(page)}


@pytest.mark.parametrize("page", PAGES, ids=name)
def test_every_link_and_picture_leads_to_a_file_and_heading_that_exist(page):
    broken = []
    for target, path, anchor in local_links(page):
        if not path.exists():
            broken.append(f"{target}: no such file")
        elif anchor and (path.suffix != ".md" or anchor not in anchors(path)):
            broken.append(f"{target}: no heading #{anchor} in {path.name}")
    assert broken == []


def test_every_picture_in_docs_is_shown_on_a_page():
    shown = {path for page in PAGES for _, path, _ in local_links(page)}
    pictures = sorted((ROOT / "docs").glob("*.png"))
    assert pictures
    assert [name(p) for p in pictures if p.resolve() not in shown] == []


@pytest.mark.parametrize(
    "heading, anchor",
    [
        ("Make it yours", "make-it-yours"),
        ("Where the site goes: publishconf.py", "where-the-site-goes-publishconfpy"),
        ("The case-sheet pack", "the-case-sheet-pack"),
        ("Adding a row: `invoke tally`", "adding-a-row-invoke-tally"),
        ("Every field of `Official_title`", "every-field-of-official_title"),
        ("Máxima Acuña's [case](x.md)", "máxima-acuñas-case"),
    ],
)
def test_anchors_are_made_as_github_makes_them(heading, anchor):
    assert slug(heading) == anchor


def test_the_tally_page_lists_the_column_and_totals_names_the_tally_accepts():
    from pelican.plugins.tally.columns import COLUMN_NAMES
    from pelican.plugins.tally.totals_rows import TOTALS_NAMES

    text = (ROOT / "docs" / "tally.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| (\w+)(?: \(optional\))? \| (`.*`) \|$", text, re.M))
    assert {column: tuple(re.findall(r"`([^`]+)`", names)) for column, names in table.items()} == COLUMN_NAMES
    [totals] = re.findall(r"^A row whose case is (.*?) is\s+skipped", text, re.M | re.S)
    assert tuple(name.casefold() for name in re.findall(r"`([^`]+)`", totals)) == TOTALS_NAMES
