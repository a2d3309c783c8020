"""A saved tally without a whole build: each file the dev server's last full
build wrote remembers which of the tally's numbers it showed, and a save
re-renders only the files whose numbers changed, from the site kept in memory.

Anything this cannot vouch for (another file changed, the settings, a new
day, results posts that appear or go, example numbers, section mode, a CSV
the tally refuses) is left to a full build: what is served is always what a
full build of the same files writes (tests/test_recounting.py)."""

from __future__ import annotations

import contextlib
import functools
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

# The tally's warnings are logged here; a recount replaces only these lines.
TALLY_LOGGER = "pelican.plugins.tally.results"


class Reads:
    """Which parts of the tally (and which pages' text) were read, and by which write."""

    active: Reads | None = None  # the Reads of the write being rendered, if any (rereading.py)

    def __init__(self):
        self.current: set | None = None  # the keys of the write being rendered
        self.outside: set = set()  # read by a generator itself, outside any write

    def read(self, key: tuple) -> None:
        (self.outside if self.current is None else self.current).add(key)

    @contextlib.contextmanager
    def writing(self, keys: set):
        self.current, Reads.active = keys, self
        try:
            yield
        finally:
            self.current = Reads.active = None


class TrackedTally:
    """The `tally` of the templates, noting each part read: ("attr", name)
    for a number or list, ("case", slug) for tally.case(slug), ("all",) for
    any other method (the whole tally then counts as read)."""

    __slots__ = ("_tally", "_reads")

    def __init__(self, tally, reads: Reads):
        self._tally = tally
        self._reads = reads

    def __getattr__(self, name):
        value = getattr(self._tally, name)
        if name == "case":

            def case(slug):
                self._reads.read(("case", slug))
                return value(slug)

            return case
        self._reads.read(("all",) if callable(value) else ("attr", name))
        return value


def differs(key: tuple, old, new) -> bool:
    """Whether the part of the tally named by `key` is not the same in both."""
    if key[0] == "case":
        return old.case(key[1]) != new.case(key[1])
    if key[0] == "attr":
        return getattr(old, key[1]) != getattr(new, key[1])
    if key[0] == "text":
        return False  # a page's text, not the tally's
    return old != new


@dataclass
class Write:
    """One call of the writer, to make again: write_file or write_feed."""

    method: str
    args: tuple
    kwargs: dict
    keys: set = field(default_factory=set)  # the parts of the tally it read


def recording_writer(base: type, site: SiteInMemory) -> type:
    """`base` (a Pelican Writer) noting every write and what of the tally it read."""

    class RecordingWriter(base):
        def write_file(self, *args, **kwargs):
            return site.record("write_file", args, kwargs, lambda: super(RecordingWriter, self).write_file)

        def write_feed(self, *args, **kwargs):
            return site.record("write_feed", args, kwargs, lambda: super(RecordingWriter, self).write_feed)

    return RecordingWriter


@functools.cache
def collecting_writer() -> type:
    """A Pelican Writer that keeps each file's text instead of writing it:
    the files are written together afterwards, while the server waits."""
    from pelican.writers import Writer

    class CollectingWriter(Writer):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.texts: dict[str, str] = {}

        @contextlib.contextmanager
        def _open_w(self, filename, encoding, override=False):
            buffer = io.StringIO()
            yield buffer
            self.texts[filename] = buffer.getvalue()

    return CollectingWriter


class SiteInMemory:
    """What the last full build left: its generators, their shared context,
    every write with the parts of the tally it read, and what else a recount
    must find unchanged before it may stand in for a full build."""

    def __init__(self, pelican):
        self.pelican = pelican
        self.reads = Reads()
        self.writes: list[Write] = []
        self.generators: list = []
        self.tally_generator = None
        self.problems: list[tuple[str, list[str]]] = []  # (logger, lines) as the build logged them
        self.unchanged: tuple = ()

    # During the full build.

    def generators_ready(self, generators) -> None:
        """all_generators_finalized: the numbers are read; from now on every
        read of `tally` is noted."""
        self.generators = list(generators)
        self.tally_generator = next((g for g in generators if hasattr(g, "count") and hasattr(g, "tally")), None)
        if self.tally_generator is not None and self.tally_generator.section is None:
            context = self.tally_generator.context
            context["tally"] = TrackedTally(context["tally"], self.reads)
            self.unchanged = self.what_must_not_change()

    def record(self, method: str, args: tuple, kwargs: dict, call):
        write = Write(method, args, kwargs)
        self.writes.append(write)
        write.keys.update(("text", page.source_path) for page in pages_given(args, kwargs))
        with self.reads.writing(write.keys):
            return call()(*args, **kwargs)

    def record_again(self, write: Write, writer) -> None:
        """Make `write` again with `writer`, noting afresh what it reads."""
        write.keys.update(("text", page.source_path) for page in pages_given(write.args, write.kwargs))
        with self.reads.writing(write.keys):
            getattr(writer, write.method)(*write.args, **write.kwargs)

    # After it.

    def can_recount(self, changed: set[str]) -> bool:
        """Whether every changed file is a tally file (the CSV, or a file
        beside it that no reader reads) and nothing else a build depends on moved."""
        generator = self.tally_generator
        if generator is None or generator.section is not None or not changed or self.has_translated_sites():
            return False
        from pelican.plugins.tally.api import csv_path

        settings = generator.settings
        csv = os.path.realpath(csv_path(settings))
        if not os.path.isfile(csv):
            return False  # gone: the full build says what that means
        readable = tuple(f".{extension}" for extension in generator.readers.extensions)
        folder = os.path.dirname(csv)
        for path in map(os.path.realpath, changed):
            if path != csv and (os.path.dirname(path) != folder or path.endswith(readable)):
                return False
        return self.what_must_not_change() == self.unchanged

    def has_translated_sites(self) -> bool:
        """A site in several languages: each other one is a build of its own,
        which only a full build writes again."""
        from pelican.plugins.event.language_sites import site_languages

        return len(site_languages(self.tally_generator.settings)) > 1

    def what_must_not_change(self) -> tuple:
        """What shows on pages without being the tally: the day (the
        evening's phase), whether results posts are shown, example numbers."""
        from pelican.plugins.tally.api import csv_path
        from pelican.plugins.tally.results_posts import has_counts

        settings = self.tally_generator.settings
        facts: list = [has_counts(csv_path(settings))]
        event = next((g for g in self.generators if hasattr(g, "built_at")), None)
        if event is not None:
            from zoneinfo import ZoneInfo

            from pelican.plugins.event import dates, examples

            today = dates.build_date(ZoneInfo(settings["EVENT"]["timezone"]))
            facts += [today, [str(e) for e in examples.example_numbers(settings)]]
        return tuple(facts)

    def recount(self, output: Path, lock, logged: list[str]) -> list[str]:
        """Read the CSV again and write the files whose numbers changed into
        `output`, all at once under `lock`. Raises what the tally raises
        (TallyError), or LookupError, having changed nothing. Returns the
        build's lines, with `logged` (the tally's) for the last full build's."""
        generator = self.tally_generator
        context = generator.context
        old = context["tally"]._tally
        new = generator.count()  # may raise: then nothing is written
        _carry_over_addresses(old, new)
        context["tally"] = TrackedTally(new, self.reads)
        moved: dict[tuple, bool] = {}  # each part compared once, not once per page

        def changed(key):
            if key not in moved:
                moved[key] = differs(key, old, new)
            return moved[key]

        if any(map(changed, self.reads.outside)):
            raise LookupError("a generator read numbers that changed")

        def and_the_numbers():
            generator.write_numbers(str(output))
            if old.share_image and old.share_image != new.share_image:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(output / old.share_image)

        self.write_again([w for w in self.writes if any(map(changed, w.keys))], output, lock, and_the_numbers)
        return self.lines_with(logged)

    def write_again(self, writes: list[Write], output: Path, lock, and_then=lambda: None) -> None:
        """Render `writes` again, then write their files into `output` all at
        once under `lock` (and call `and_then` there), not stopped half-way by Ctrl-C."""
        from organizer.site_output import signals_deferred

        writer = collecting_writer()(str(output), settings=self.pelican.settings)
        for write in writes:
            write.keys.clear()
            self.record_again(write, writer)
        with signals_deferred(), lock:
            for path, text in writer.texts.items():
                write_over(path, text)
            and_then()

    def lines_with(self, tally_lines: list[str]) -> list[str]:
        """The last full build's lines, the tally's replaced by `tally_lines`."""
        names = [name for name, _ in self.problems]
        at = names.index(TALLY_LOGGER) if TALLY_LOGGER in names else len(names)
        lines = [line for name, entry in self.problems[:at] if name != TALLY_LOGGER for line in entry]
        lines += tally_lines
        lines += [line for name, entry in self.problems[at:] if name != TALLY_LOGGER for line in entry]
        return lines


def _carry_over_addresses(old, new) -> None:
    """The case pages are those of the last build: their titles and addresses
    too, worked out then (asking Pelican for 1,200 addresses again costs more
    than writing a page)."""
    for before, after in zip(old.cases, new.cases):
        if before.page is after.page:
            for name in ("title", "url"):
                if name in vars(before):
                    vars(after)[name] = vars(before)[name]


def pages_given(args: tuple, kwargs: dict):
    """The pages and posts handed to a write (page=, article=, a list of
    posts, a feed's entries): it shows their text, or lists them. Not those
    of the site's context, which every write is given."""
    from pelican.contents import Content

    for value in [*args, *kwargs.values()]:
        if isinstance(value, dict) and "SITEURL" in value:
            continue  # the context
        values = value.values() if isinstance(value, dict) else [value]
        for one in values:
            if isinstance(one, Content):
                yield one
            elif isinstance(one, (list, tuple)):
                yield from (item for item in one if isinstance(item, Content))


def write_over(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)
