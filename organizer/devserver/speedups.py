"""What keeps the dev server's rebuilds cheap: typogrify runs once per text,
files are written over their old bytes, and no build's pages stay in memory."""

from __future__ import annotations

import contextlib
import functools
import os


def forget_pages_memoized() -> None:
    """Pelican memoizes every page's content and summary in one dict per
    process, keyed by the page object. Each build makes new page objects:
    without this, every build's pages would stay in memory until the server
    stops (3 MB a build at 1,200 cases)."""
    from pelican.contents import Content

    for method in (Content.get_content, Content.get_summary):
        getattr(method, "cache", {}).clear()


@functools.cache
def in_place_writer() -> type:
    from pelican.writers import Writer

    class InPlaceWriter(Writer):
        """Pelican's Writer, writing each file over its old bytes and then
        cutting it to its new length: emptying a file first and filling it
        again costs about ten times as much (its blocks are freed and found
        again). Only a file's first write in a build; Pelican's own _open_w
        decides what a second one does."""

        def _open_w(self, filename, encoding, override=False):
            if filename in self._written_files or filename in self._overridden_files:
                return super()._open_w(filename, encoding, override)
            if override:
                self._overridden_files.add(filename)
            self._written_files.add(filename)
            return _open_in_place(filename, encoding)

    return InPlaceWriter


@contextlib.contextmanager
def _open_in_place(filename: str, encoding: str):
    """`filename` open to write text from its start, not emptied; what is
    left of its old text is cut off when the block ends."""
    with open(os.open(filename, os.O_WRONLY | os.O_CREAT, 0o666), "w", encoding=encoding) as file:
        yield file
        file.truncate()
        if not file.tell():
            os.utime(filename)  # nothing written: still this build's file for remove_stale


# Typogrify's results by (text, options): every one this process has computed
# or recalled (cleared when it grows past TYPOGRIFIED_LIMIT), and those the
# current build used (what a `remember` build keeps).
TYPOGRIFIED: dict[tuple, str] = {}
TYPOGRIFIED_THIS_BUILD: dict[tuple, str] = {}
TYPOGRIFIED_LIMIT = 65536


@functools.lru_cache(maxsize=1)
def memoize_typogrify() -> None:
    """Typogrify the same text once per process: Pelican runs it on every
    page's content, title and summary on every build (40 % of a case page's
    cost), and it is a pure function of the text and its settings."""
    import smartypants
    import typogrify.filters

    original = typogrify.filters.typogrify

    def typogrify_once(text, ignore_tags=None, **options):
        tags = tuple(ignore_tags) if ignore_tags is not None else None
        key = (text, tags, tuple(sorted(options.items())), smartypants.Attr.default)
        result = TYPOGRIFIED.get(key)
        if result is None:
            if len(TYPOGRIFIED) >= TYPOGRIFIED_LIMIT:
                TYPOGRIFIED.clear()
            result = TYPOGRIFIED[key] = original(text, list(tags) if tags is not None else None, **options)
        TYPOGRIFIED_THIS_BUILD[key] = result
        return result

    # Pelican imports it from the module on every call, so this is what it gets.
    typogrify.filters.typogrify = typogrify_once
