"""An edited page without a whole build: when only the text of pages or posts
changed (not their metadata), each is read again and only the files that
showed its text are written again (itself, the lists and feeds that hold it),
from the site the dev server's last full build left in memory
(recounting.py notes which write read which page's text).

Anything more (a title, a date or any other metadata, a new or deleted
file, example values or a "12 cases" that come or go, a warning, a page
problem) is left to a full build."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from organizer.devserver.recounting import Reads, SiteInMemory

READERS = {"PagesGenerator": "page", "ArticlesGenerator": "article"}


@functools.cache
def note_text_reads() -> None:
    """Make `page.content` and `page.summary` say to the write being rendered
    that it showed this page's text (once per process; nothing else changes)."""
    from pelican.contents import Content

    def noted(shown: property) -> property:
        def read(self):
            if Reads.active is not None:  # set only while a write is rendered
                Reads.active.current.add(("text", self.source_path))
            return shown.fget(self)

        return property(read, shown.fset)

    Content.content = noted(Content.content)
    Content.summary = noted(Content.summary)


def edited(site: SiteInMemory, changed: set[str]) -> list[tuple[object, object]] | None:
    """(generator, page) for each changed file when every one is a published
    page or post of the last build; None otherwise."""
    if not changed or site.tally_generator is None or site.has_translated_sites():
        return None
    known = {}
    for generator in site.generators:
        kind = READERS.get(type(generator).__name__)
        if kind is None:
            continue
        if getattr(generator, "translations", None):
            return None  # a page's translations list each other: not worth the risk
        for content in getattr(generator, f"{kind}s"):
            known[os.path.realpath(content.source_path)] = (generator, content)
    found = [known.get(os.path.realpath(path)) for path in changed]
    return None if None in found else found


def reread(site: SiteInMemory, pages: list, output: Path, lock, logged: list[str]) -> list[str]:
    """Read each page again and write what showed its text; raises
    LookupError, having changed nothing, where a full build must decide
    (`logged`: the lines logged meanwhile). Returns the build's lines: the
    last full build's, since nothing it warned of has changed."""
    settings = site.tally_generator.settings
    _check_the_site_as_a_full_build_would(site, settings)
    texts = {}
    for generator, old in pages:
        new = _read_again(generator, old)
        if logged:
            raise LookupError("reading it logged a warning")
        _must_be_the_same_but_for_its_text(old, new, site, settings)
        texts[old] = new._content
    for old, text in texts.items():
        old._content = text
    keys = {("text", old.source_path) for old in texts}
    site.write_again([write for write in site.writes if write.keys & keys], output, lock)
    return [line for _, lines in site.problems for line in lines]


def _check_the_site_as_a_full_build_would(site: SiteInMemory, settings) -> None:
    """The checks a full build makes of every page, and its example values."""
    from pelican.plugins.tally.page_checks import check_content

    try:
        check_content(settings)
    except Exception as problem:
        raise LookupError("a page has a problem: a full build says which") from problem
    event = next((g for g in site.generators if hasattr(g, "examples")), None)
    if event is not None:
        from pelican.plugins.event.examples import example_values

        now = [str(e) for e in example_values(settings, event.readers.extensions)]
        if now != [str(e) for e in event.examples]:
            raise LookupError("example values came or went")


def _read_again(generator, old):
    from pelican import signals

    kind = READERS[type(generator).__name__]
    return generator.readers.read_file(
        base_path=generator.path,
        path=os.path.relpath(old.source_path, generator.path),
        content_class=type(old),
        context=generator.context,
        preread_signal=getattr(signals, f"{kind}_generator_preread"),
        preread_sender=generator,
        context_signal=getattr(signals, f"{kind}_generator_context"),
        context_sender=generator,
    )


def _must_be_the_same_but_for_its_text(old, new, site: SiteInMemory, settings) -> None:
    from pelican.plugins.tally.case_counts import wrong_case_counts
    from pelican.plugins.tally.results_posts import RESULTS_MARKER

    same = (
        new.metadata == old.metadata
        and (new.status, new.save_as, new.url, new.template) == (old.status, old.save_as, old.url, old.template)
        and new.get_static_links() == old.get_static_links()
        and (RESULTS_MARKER in new._content) == (RESULTS_MARKER in old._content)
    )
    if not same:
        raise LookupError("more than its text changed")
    text = Path(old.source_path).read_text(encoding="utf-8")
    if list(wrong_case_counts(text, len(site.tally_generator.tally.cases))):
        raise LookupError('it says "N cases": a full build warns of it')
    name = os.path.basename(old.source_path)
    if any(name in line for _, lines in site.problems for line in lines):
        raise LookupError("the last build had words about it")
