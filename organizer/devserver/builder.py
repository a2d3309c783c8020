"""Builder: a site built in this process into a staging folder and swapped
in only when the build succeeded, with Pelican and the plugins kept loaded."""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from organizer.devserver.remembered import MEMORY_FILE, Memory, fingerprint
from organizer.devserver.speedups import (
    TYPOGRIFIED_THIS_BUILD,
    forget_pages_memoized,
    in_place_writer,
    memoize_typogrify,
)
from organizer.problems import log_build_error
from organizer.site_output import file_clock, new_staging, remove_stale, signals_deferred, staging_folder

if TYPE_CHECKING:  # the dev server's alone: `invoke build` does not import them
    from organizer.devserver.recounting import SiteInMemory


@dataclass
class BuildResult:
    ok: bool
    seconds: float
    problems: list[str] = field(default_factory=list)  # the lines the terminal showed
    recounted: bool = False  # only the numbers of a saved tally were written again
    reread: bool = False  # only the text of edited pages was written again


class _Collect(logging.Handler):
    """The warnings and errors logged during one build, as the terminal shows them."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines: list[str] = []
        self.records: list[tuple[str, list[str]]] = []  # (logger, lines)

    def emit(self, record):
        lines = record.getMessage().splitlines()
        self.lines.extend(lines)
        self.records.append((record.name, lines))


def init_logging() -> None:
    """Messages as `pelican --log-handler plain` prints them: the text alone."""
    from pelican.log import init

    init(level=logging.WARNING, handler=logging.StreamHandler())


class Builder:
    """Builds a site in this process: into a new folder beside `output`,
    swapped in by `swap(staging, output)` only when the build succeeded.

    Pelican and the plugins are loaded on the first build and kept; the
    settings file is read again after `reload_settings()`. With `warm=True`
    (the dev server) the parsed Markdown and the typogrified text of pages
    that did not change are reused from memory, checked by a hash of each
    file, and a saved tally re-renders only what shows its numbers (recounting.py).
    With `remember=True` (`invoke build`) they are also kept on disk, in
    CACHE_PATH, for the next run: see remembered.py.
    """

    def __init__(
        self,
        settings_file: Path,
        output: Path,
        swap: Callable[[Path, Path], None],
        overrides: dict | None = None,
        warm: bool = False,
        remember: bool = False,
    ):
        self.settings_file = Path(settings_file)
        self.output = Path(output)
        self.swap = swap
        self.overrides = dict(overrides or {})
        self.warm = warm
        self.remember = remember
        self.lock = threading.Lock()  # held while output/ is swapped: readers never see it half-done
        self._pelican = None
        self._readers_cache: dict[str, dict] = {}
        self.swapped = False  # whether the last build's site was swapped in
        self._memory: Memory | None = None  # remember: the file, and what it held
        self._spare: Path | None = None  # warm: the replaced site, the next build's folder
        self._site: SiteInMemory | None = None  # warm: the site in output/, as its build left it
        self._building: SiteInMemory | None = None  # warm: the build under way

    def settings_sources(self) -> set[str]:
        """The files the settings are read from: the settings file and the
        event.toml beside it (pelicanconf.py reads the event's facts there)."""
        return {str(self.settings_file.resolve()), str(self.settings_file.resolve().with_name("event.toml"))}

    def reload_settings(self) -> None:
        self._pelican = self._site = None
        self._readers_cache.clear()

    def _load(self):
        from pelican import Pelican
        from pelican.settings import read_settings

        overrides = dict(self.overrides)
        reuse = self.warm or self.remember
        if reuse:
            # The "reader" layer is safe for plugins; Pelican's own saving to
            # disk is not used (see _keep_readers_cache_in_memory, remembered.py).
            overrides.update(
                CACHE_CONTENT=True,
                LOAD_CONTENT_CACHE=False,
                CONTENT_CACHING_LAYER="reader",
                CHECK_MODIFIED_METHOD="md5",
            )  # mtimes can tie within a burst of saves
        settings = read_settings(str(self.settings_file), override=overrides)
        pelican = Pelican(settings)
        if reuse:
            from pelican import signals

            signals.generator_init.connect(self._keep_readers_cache_in_memory)
            if self.warm:
                signals.get_writer.connect(self._writer_in_place)
                from organizer.devserver.rereading import note_text_reads

                signals.all_generators_finalized.connect(self._generators_ready)
                note_text_reads()
            memoize_typogrify()
        fingerprinted = fingerprint(settings, pelican.plugins) if self.remember else None
        if fingerprinted:
            self._memory = Memory(Path(settings["CACHE_PATH"]) / MEMORY_FILE, fingerprinted)
            self._memory.recall(self._readers_cache)
        return pelican

    def _writer_in_place(self, pelican):
        """A warm build writes over the site the last swap replaced (see
        _staging): over each file's old bytes, not into it emptied first."""
        if pelican is not self._pelican or self._building is None:
            return None
        from organizer.devserver.recounting import recording_writer

        return recording_writer(in_place_writer(), self._building)

    def _generators_ready(self, generators):
        if self._building is not None and generators and generators[0].settings is self._pelican.settings:
            self._building.generators_ready(generators)

    def _keep_readers_cache_in_memory(self, generator):
        """Pelican loads its reader cache from disk for every generator of
        every build and saves it after: keep it in this process instead."""
        readers = generator.readers
        if self._pelican is None or readers.settings is not self._pelican.settings:
            return  # another site's build in this process
        if readers._cache_data_policy:
            readers._cache = self._readers_cache.setdefault(readers._cache_path, {})
            readers.save_cache = lambda: None

    def build(self, changed: set[str] = frozenset()) -> BuildResult:
        """Build the site; `changed`: the files changed since the last build
        (a saved tally alone is recounted, and pages whose text alone changed
        are read again, rather than the whole site built, when they can be)."""
        started = time.perf_counter()
        site = self._site
        if site is None:
            return self._build_all(started)
        from organizer.devserver.rereading import edited
        from organizer.devserver.rereading import reread as reread_pages

        if site.can_recount(changed):
            recounted = self._write_again(started, lambda lines: site.recount(self.output, self.lock, lines))
            if recounted is not None:
                return replace(recounted, recounted=True)
        pages = edited(site, changed)
        if pages is not None:
            reread = self._write_again(started, lambda lines: reread_pages(site, pages, self.output, self.lock, lines))
            if reread is not None:
                return replace(reread, reread=True)
        self._site = None
        return self._build_all(started)

    def _write_again(self, started: float, write_again) -> BuildResult | None:
        """A saved tally's numbers, or edited pages' text, written into the
        site in output/ by `write_again(lines logged)`, which returns the
        build's lines; None (nothing changed) where only a full build can say
        what is right."""
        from pelican.log import LimitFilter

        collect = _Collect()
        root = logging.getLogger()
        root.addHandler(collect)
        LimitFilter._raised_messages.clear()  # a warning is shown once per build, as in a full one
        # Python's collector would walk the whole site kept in memory, several
        # times in one recount at 1,200 cases: it runs once the numbers are served.
        gc.disable()
        try:
            lines = write_again(collect.lines)
        except Exception:  # a refused CSV, a page with more than new text: a full build says what
            self._site = None
            return None
        finally:
            gc.enable()
            root.removeHandler(collect)
            forget_pages_memoized()
        self.swapped = True
        return BuildResult(True, time.perf_counter() - started, lines)

    def _build_all(self, started: float) -> BuildResult:
        from pelican.log import FatalLogger, LimitFilter, console

        collect = _Collect()
        root = logging.getLogger()
        ok = self.swapped = False
        with self._staging() as staging:
            written_from = file_clock(staging)
            root.addHandler(collect)
            # As `pelican --fatal errors`: a logged error stops the build. Warnings
            # are shown once per build, not once per process.
            fatal_before, FatalLogger.fatal_lvl = FatalLogger.fatal_lvl, logging.ERROR
            LimitFilter._raised_messages.clear()
            LimitFilter._group_count.clear()
            quiet_before, console.quiet = console.quiet, True  # our own summary line instead
            try:
                if self._pelican is None:
                    self._pelican = self._load()
                refuse_a_vanished_tally(self._pelican.settings, self.output)
                self._pelican.output_path = self._pelican.settings["OUTPUT_PATH"] = str(staging)
                TYPOGRIFIED_THIS_BUILD.clear()
                self._building = None
                if self.warm:
                    from organizer.devserver.recounting import SiteInMemory

                    self._building = SiteInMemory(self._pelican)
                self._pelican.run()
                ok = True
            except Exception as error:  # reported to the organizer, not a crash
                log_build_error(error)
            finally:
                console.quiet = quiet_before
                FatalLogger.fatal_lvl = fatal_before
                root.removeHandler(collect)
                forget_pages_memoized()
            if ok and self._memory is not None:
                self._memory.keep(self._readers_cache)  # before the swap: a Ctrl-C now still leaves output/ as it was
            if ok:
                if self.warm:
                    remove_stale(staging, written_from)  # it may hold the site of two builds ago
                ok = self._swap_in(staging, collect)
        building, self._building = self._building, None
        if ok and building is not None:
            building.problems = collect.records
            self._site = building
        return BuildResult(ok, time.perf_counter() - started, collect.lines)

    def _swap_in(self, staging: Path, collect: _Collect) -> bool:
        """The finished build becomes the site; False, with one line saying
        why (in the terminal and the banner), if the old one cannot be replaced."""
        try:
            with self.lock:
                if self.warm:
                    self._spare = self.swap(staging, self.output, keep_old=True)
                else:
                    self.swap(staging, self.output)
            return True
        except OSError as error:
            line = (
                f"{self.output.name}/ could not be replaced ({error.strerror}): check that it is a folder you may change."
                if error.strerror
                else str(error)  # site_output's own words
            )
            logging.getLogger("pelican").error("%s", line)
            collect.lines.append(line)
            return False
        finally:
            # A Ctrl-C held back during the swap strikes as it ends: then the
            # new site is in place, and whoever stops must not say otherwise.
            self.swapped = not staging.exists()

    @contextlib.contextmanager
    def _staging(self):
        """Where the next build goes. Warm (the dev server): the site the last
        swap replaced, written over (a new file costs ten times an overwrite);
        otherwise a new empty folder. Neither is left behind by Ctrl-C."""
        if not self.warm:
            with staging_folder(self.output) as staging:
                yield staging
            return
        spare, self._spare = self._spare, None
        with signals_deferred():
            staging = new_staging(self.output)
            if spare is not None and spare.is_dir():
                # The spare under a staging name: the next swap retires the site under the spare's old name.
                os.rmdir(staging)
                spare.rename(staging)
        try:
            yield staging
        except BaseException:
            self.discard_spare(staging)
            raise
        if staging.is_dir():  # not swapped in: the build failed; write over it next time
            self._spare = staging

    def discard_spare(self, folder: Path | None = None) -> None:
        """Remove the folder kept for the next build (when the server stops)."""
        folder, self._spare = folder or self._spare, None
        if folder is not None:
            with signals_deferred():
                shutil.rmtree(folder, ignore_errors=True)


def refuse_a_vanished_tally(settings, output: Path) -> None:
    """A tally CSV deleted or renamed after counts were published would turn
    every number on the site back to zero without a word: refuse that build."""
    if "pelican.plugins.tally" not in (settings.get("PLUGINS") or ()):
        return
    from pelican.plugins.tally.api import Problem, TallyError, csv_path

    path = csv_path(settings)
    if os.path.lexists(path):
        return
    try:
        shown = json.loads((Path(output) / "tally.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # no site yet, or not one of ours
    if shown.get("rows"):
        raise TallyError(
            [
                Problem(
                    os.path.relpath(path),
                    None,
                    f"is gone, but the site in {Path(output).name}/ shows {shown.get('total', 0):,} actions "
                    "counted from it. Put the file back; to start again from nothing, save it with only "
                    "its header row: case,letters,cards,emails",
                )
            ]
        )
