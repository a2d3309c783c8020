"""The dev server behind `make serve`: one long-running process.

Pelican and our plugins are loaded once. The operating system tells us when a
file changes (inotify, through watchfiles); the site is rebuilt in this same
process into a new folder, swapped into output/ only when the build succeeded,
and every open tab reloads itself (server-sent events). While the last build
has failed, every page served carries a banner with its problems, and output/
keeps the last good site.

    Builder       builds a site in-process, staged and swapped in; keeps
                  Pelican, the parsed Markdown and the typogrified text warm
    watch_and_build   rebuilds on file events, a burst of saves coalesced
    SiteServer    serves output/ (stdlib http.server), injects the reload
                  script and the banner into the HTML it serves (never into
                  output/ itself)

tasks.py (`invoke livereload`, `invoke build`, ...) is the way in.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import html
import json
import logging
import os
import pickle
import re
import shutil
import socket
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

# An editor writes a file within a few ms: build once the events have been
# quiet this long (watchfiles' step)...
QUIET_MS = 5
# ...but a change that follows the last one within BURST_QUIET means a file
# is still being written (an editor saving in steps, a script): wait until
# there have been no changes for BURST_QUIET (at most BURST_MAX_WAIT) before
# building, so a burst of saves gives two builds, the last one of the
# finished file. A single save never waits for this.
BURST_QUIET = 0.1
BURST_MAX_WAIT = 1.0

# What the dev server adds to the HTML it serves; never written to output/.
ASSETS = "/__devserver/"
SCRIPT = """\
// The dev server's live reload: load this page again when the site was rebuilt.
(function () {
  var script = document.currentScript;
  var events = new EventSource(new URL("events?epoch=" + encodeURIComponent(script.dataset.epoch), script.src));
  events.addEventListener("message", function () {
    events.close();
    location.reload();
  });
})();
"""
BANNER_CSS = """\
.devserver-problems { position: sticky; top: 0; z-index: 1000; margin: 0; padding: 1rem;
  background: #fff3cd; color: #1a1a1a; border-bottom: 4px solid #b00020; font: 1rem/1.4 sans-serif; }
.devserver-problems h2 { margin: 0 0 .5rem; font-size: 1.2rem; }
.devserver-problems pre { margin: 0 0 .5rem; white-space: pre-wrap; font: .95rem/1.4 monospace; }
.devserver-problems p { margin: 0; }
"""

log = logging.getLogger("devserver")


# --------------------------------------------------------------------------- building


@dataclass
class BuildResult:
    ok: bool
    seconds: float
    problems: list[str] = field(default_factory=list)  # the lines the terminal showed


class _Collect(logging.Handler):
    """The warnings and errors logged during one build, as the terminal shows them."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.extend(record.getMessage().splitlines())


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
    that did not change are reused from memory, checked by a hash of each file.
    With `remember=True` (`invoke build`) they are also kept on disk, in
    CACHE_PATH, for the next run: see `_recall`.
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
        self._memory: _Memory | None = None  # remember: the file, and what it held
        self._spare: Path | None = None  # warm: the replaced site, the next build's folder

    def reload_settings(self) -> None:
        self._pelican = None
        self._readers_cache.clear()

    def _load(self):
        from pelican import Pelican
        from pelican.settings import read_settings

        overrides = dict(self.overrides)
        reuse = self.warm or self.remember
        if reuse:
            # The "reader" layer is safe for plugins; Pelican's own saving to
            # disk is not used (see _keep_readers_cache_in_memory, _recall).
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
            _memoize_typogrify()
        fingerprint = _fingerprint(settings, pelican.plugins) if self.remember else None
        if fingerprint:
            self._memory = _Memory(Path(settings["CACHE_PATH"]) / MEMORY_FILE, fingerprint)
            self._recall()
        return pelican

    def _writer_in_place(self, pelican):
        """A warm build writes over the site the last swap replaced (see
        _staging): over each file's old bytes, not into it emptied first."""
        return _in_place_writer() if pelican is self._pelican else None

    def _recall(self) -> None:
        """Take up what the last `remember` build of the same settings and
        code kept: the parsed Markdown of each page (Pelican's reader cache,
        used only while the page's md5 is unchanged) and the typogrified text.
        An unreadable, foreign or outdated file costs time, never a wrong page."""
        memory = self._memory
        try:
            memory.held = memory.path.read_bytes()
            kept = pickle.loads(memory.held)
            if kept["fingerprint"] != memory.fingerprint:
                return
            readers, typogrified = kept["readers"], kept["typogrify"]
        except FileNotFoundError:
            return
        except Exception as error:  # a cut-off or garbled pickle raises almost anything
            log.debug("Ignored %s: %s", memory.path, error)
            return
        self._readers_cache.update(readers)
        _TYPOGRIFIED.update(typogrified)

    def _keep(self) -> None:
        """After a good build: write what it used for the next run, if that
        differs from what the file holds (atomically: a build stopped or
        running beside this one reads the old file or the new, whole)."""
        memory = self._memory
        readers = {
            cache: {name: entry for name, entry in entries.items() if os.path.exists(name)}
            for cache, entries in self._readers_cache.items()
        }
        try:
            data = pickle.dumps(
                {"fingerprint": memory.fingerprint, "readers": readers, "typogrify": _TYPOGRIFIED_THIS_BUILD},
                protocol=pickle.HIGHEST_PROTOCOL,
            )
        except Exception as error:  # a plugin put something unpicklable in a page's metadata
            log.debug("Not kept for the next build: %s", error)
            return
        if data == memory.held:
            return
        memory.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = memory.path.with_name(f".{memory.path.name}.{os.getpid()}.tmp")
        try:
            temporary.write_bytes(data)
            os.replace(temporary, memory.path)
            memory.held = data
        except OSError as error:  # a full disk or a read-only cache/: the next build reads pages again
            log.debug("Not kept for the next build: %s", error)
        finally:
            temporary.unlink(missing_ok=True)

    def _keep_readers_cache_in_memory(self, generator):
        """Pelican loads its reader cache from disk for every generator of
        every build and saves it after: keep it in this process instead."""
        readers = generator.readers
        if self._pelican is None or readers.settings is not self._pelican.settings:
            return  # another site's build in this process
        if readers._cache_data_policy:
            readers._cache = self._readers_cache.setdefault(readers._cache_path, {})
            readers.save_cache = lambda: None

    def build(self) -> BuildResult:
        from pelican.log import FatalLogger, LimitFilter, console

        started = time.perf_counter()
        from site_output import file_clock, remove_stale

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
                _refuse_a_vanished_tally(self._pelican.settings, self.output)
                self._pelican.output_path = self._pelican.settings["OUTPUT_PATH"] = str(staging)
                _TYPOGRIFIED_THIS_BUILD.clear()
                self._pelican.run()
                ok = True
            except Exception as error:  # reported to the organizer, not a crash
                _log_build_error(error)
            finally:
                console.quiet = quiet_before
                FatalLogger.fatal_lvl = fatal_before
                root.removeHandler(collect)
                _forget_pages_memoized()
            if ok and self._memory is not None:
                self._keep()  # before the swap: a Ctrl-C now still leaves output/ as it was
            if ok:
                if self.warm:
                    remove_stale(staging, written_from)  # it may hold the site of two builds ago
                ok = self._swap_in(staging, collect)
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
        from site_output import new_staging, signals_deferred, staging_folder

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
        from site_output import signals_deferred

        folder, self._spare = folder or self._spare, None
        if folder is not None:
            with signals_deferred():
                shutil.rmtree(folder, ignore_errors=True)


def _refuse_a_vanished_tally(settings, output: Path) -> None:
    """A tally CSV deleted or renamed after counts were published would turn
    every number on the site back to zero without a word: refuse that build."""
    if "pelican.plugins.tally" not in (settings.get("PLUGINS") or ()):
        return
    from pelican.plugins.tally.api import TallyError, csv_path
    from pelican.plugins.tally.core import Problem

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


def _log_build_error(error: Exception) -> None:
    """One clear message for the terminal (and the banner), no traceback."""
    if isinstance(error, RuntimeError) and str(error) == "Warning or error encountered":
        return  # the error itself was logged just before
    logger = logging.getLogger("pelican")
    record = logger.makeRecord(
        logger.name, logging.CRITICAL, __file__, 0, "%s", (error,), (type(error), error, error.__traceback__)
    )
    logger.filter(record)  # the plugins' filters word their own errors ("The tally has 2 problems...")
    if record.exc_info:  # anything else: where it happened and what it is
        record.msg, record.args = "%s", (problem_line(error),)
        record.exc_info = record.exc_text = None
    logger.handle(record)


def problem_line(error: BaseException) -> str:
    """An error in the organizer's files as one line: the file and line it
    happened in (the settings, a template, a plugin of ours), what it is,
    and the line itself. Frames inside Pelican and other libraries are
    passed over: the organizer cannot change those."""
    filename, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    source = ""
    if not (isinstance(filename, str) and line):  # a SyntaxError names its own place
        ours = [frame for frame in traceback.extract_tb(error.__traceback__) if _is_ours(frame.filename)]
        filename, line = (ours[-1].filename, ours[-1].lineno) if ours else (None, None)
        source = f" (in: {ours[-1].line.strip()})" if ours and ours[-1].line else ""
    where = f"{_shown_path(filename)}{f', line {line}' if line else ''}: " if filename else ""
    message = error.msg if isinstance(error, SyntaxError) else error  # its str() repeats the place
    return f"{where}{type(error).__name__}: {message}{source}"


def _is_ours(filename: str) -> bool:
    """A file of this project (settings, theme, plugins), not of a library or this server."""
    path = Path(filename).resolve()
    root = Path(__file__).resolve().parent
    return (
        path.is_relative_to(root)
        and not path.is_relative_to(root / ".venv")
        and path not in (Path(__file__).resolve(), root / "tasks.py")
    )


def _shown_path(filename: str) -> str:
    try:
        return os.path.relpath(filename)
    except ValueError:
        return filename


def _forget_pages_memoized() -> None:
    """Pelican memoizes every page's content and summary in one dict per
    process, keyed by the page object. Each build makes new page objects:
    without this, every build's pages would stay in memory until the server
    stops (3 MB a build at 1,200 cases)."""
    from pelican.contents import Content

    for method in (Content.get_content, Content.get_summary):
        getattr(method, "cache", {}).clear()


@functools.cache
def _in_place_writer() -> type:
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
_TYPOGRIFIED: dict[tuple, str] = {}
_TYPOGRIFIED_THIS_BUILD: dict[tuple, str] = {}
TYPOGRIFIED_LIMIT = 65536


@functools.lru_cache(maxsize=1)
def _memoize_typogrify() -> None:
    """Typogrify the same text once per process: Pelican runs it on every
    page's content, title and summary on every build (40 % of a case page's
    cost), and it is a pure function of the text and its settings."""
    import smartypants
    import typogrify.filters

    original = typogrify.filters.typogrify

    def typogrify_once(text, ignore_tags=None, **options):
        tags = tuple(ignore_tags) if ignore_tags is not None else None
        key = (text, tags, tuple(sorted(options.items())), smartypants.Attr.default)
        result = _TYPOGRIFIED.get(key)
        if result is None:
            if len(_TYPOGRIFIED) >= TYPOGRIFIED_LIMIT:
                _TYPOGRIFIED.clear()
            result = _TYPOGRIFIED[key] = original(text, list(tags) if tags is not None else None, **options)
        _TYPOGRIFIED_THIS_BUILD[key] = result
        return result

    # Pelican imports it from the module on every call, so this is what it gets.
    typogrify.filters.typogrify = typogrify_once


MEMORY_FILE = "pages.pickle"  # in CACHE_PATH


@dataclass
class _Memory:
    path: Path
    fingerprint: str
    held: bytes | None = None  # what the file held when last read or written


def _fingerprint(settings: dict, plugins: Iterable) -> str | None:
    """What a page's parsed Markdown and typogrified text depend on besides the
    page's own bytes: every setting, and the code that reads pages (Pelican,
    Markdown, typogrify, the site's plugins). Any change gives a new
    fingerprint, so remembered pages are never used under other settings or
    other code. None when the settings cannot be written down (nothing is kept)."""
    import hashlib
    import sys

    import markdown
    import pelican
    import smartypants
    import typogrify

    def stable(value):  # functions and objects by name: their repr holds an address
        if isinstance(value, (set, frozenset)):
            return sorted(map(repr, value))
        if isinstance(value, (Path, bytes)):
            return repr(value)
        name = getattr(value, "__qualname__", None) or getattr(value, "__name__", None) or type(value).__qualname__
        return f"{getattr(value, '__module__', '') or type(value).__module__}.{name}"

    wanted = {k: v for k, v in settings.items() if k != "OUTPUT_PATH"}  # each build's staging folder
    code = [sys.version]
    for module in (pelican, markdown, typogrify, smartypants, *plugins):
        if not getattr(module, "__file__", None):
            return None  # code we cannot see: nothing is kept
        source = Path(module.__file__)
        # A package: each of its top-level files (an edit, an upgrade); a module: itself.
        files = sorted(source.parent.glob("*.py")) if source.name == "__init__.py" else [source]
        for file in files:
            with contextlib.suppress(OSError):
                found = file.stat()
                code.append(f"{file} {found.st_mtime_ns} {found.st_size}")
    try:
        text = json.dumps([wanted, code], sort_keys=True, default=stable)
    except (TypeError, ValueError):  # settings json cannot order (keys of mixed types): nothing is kept
        return None
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def summary(output: Path, seconds: float) -> str:
    """The one line of figures a build ends with."""
    pages = sum(1 for _ in output.rglob("*.html"))
    took = f"{seconds:.1f} s" if seconds >= 1 else f"{seconds * 1000:.0f} ms"
    line = f"Built {pages} pages into {output.name}/ in {took}"
    report = output / "tally.json"
    if report.exists():
        tally = json.loads(report.read_text(encoding="utf-8"))
        for row in tally.get("skipped_totals_rows", []):
            line += f"; skipped the totals row on line {row} of the tally"
        if not tally["rows"]:
            line += "; no letters counted yet"
        else:
            line += f"; {tally['total']:,} {'action' if tally['total'] == 1 else 'actions'} counted"
            if tally["goal"]:
                line += f", {tally['percent']} % of the goal of {tally['goal']:,}"
    return line + "."


# --------------------------------------------------------------------------- watching


class Changes:
    """File changes handed from the watcher thread to the build loop."""

    def __init__(self):
        self._condition = threading.Condition()
        self._paths: set[str] = set()
        self._first = 0.0  # when the first change not yet taken arrived (time.monotonic)
        self._last = 0.0  # when the latest change arrived
        self._last_taken = -1e9  # when the latest change already built arrived

    def put(self, paths: Iterable[str]) -> None:
        with self._condition:
            if not self._paths:
                self._first = time.monotonic()
            self._paths.update(paths)
            self._last = time.monotonic()
            self._condition.notify_all()

    def take(self, stop: threading.Event) -> set[str]:
        """Wait for changes and return them all; within a burst, first wait
        for the burst to end. Empty when stopped."""
        with self._condition:
            while not self._paths and not stop.is_set():
                self._condition.wait(0.2)
            if self._first - self._last_taken < BURST_QUIET:
                deadline = self._first + BURST_MAX_WAIT
                while not stop.is_set():
                    left = min(self._last + BURST_QUIET, deadline) - time.monotonic()
                    if left <= 0:
                        break
                    self._condition.wait(left)
            if stop.is_set():
                return set()
            paths, self._paths = self._paths, set()
            self._last_taken = self._last
            return paths


def watch_and_build(
    builder: Builder,
    paths: list[str],
    on_build: Callable[[BuildResult, set[str]], None],
    stop: threading.Event,
    ready: Callable[[], None] = lambda: None,
) -> None:
    """Build once, call `ready`, then rebuild with `builder` whenever something
    under `paths` changes, until `stop` is set; `on_build` hears of every
    build. A change to the settings file reads the settings again. Watching
    starts before the first build, so a save made during it is built too."""
    import watchfiles

    changes = Changes()
    failure: list[BaseException] = []

    def watcher(targets: list[str], **options):
        try:
            for batch in watchfiles.watch(
                *targets,
                step=QUIET_MS,
                debounce=int(BURST_MAX_WAIT * 1000),
                stop_event=stop,
                raise_interrupt=False,
                rust_timeout=200,
                **options,
            ):
                changes.put(path for _kind, path in batch)
        except Exception as error:  # a server that no longer sees changes must not go on as if it did
            failure.append(error)
            stop.set()

    folders = [p for p in paths if Path(p).is_dir()]
    # A single file is watched through its folder: an editor that saves by
    # replacing the file would leave a watch on the file itself watching nothing.
    files = {os.path.abspath(p) for p in paths if not Path(p).is_dir()}
    threads = []
    if folders:
        threads.append(threading.Thread(target=watcher, args=(folders,), name="watcher", daemon=True))
    if files:
        threads.append(
            threading.Thread(
                target=watcher,
                args=(sorted({os.path.dirname(f) for f in files}),),
                name="file-watcher",
                daemon=True,
                kwargs={"recursive": False, "watch_filter": lambda _change, path: os.path.abspath(path) in files},
            )
        )
    for thread in threads:
        thread.start()
    on_build(builder.build(), set())
    ready()
    settings_file = str(builder.settings_file.resolve())
    while not stop.is_set():
        changed = changes.take(stop)
        if not changed:
            break
        if settings_file in {str(Path(p).resolve()) for p in changed}:
            builder.reload_settings()
        on_build(builder.build(), changed)
    for thread in threads:
        thread.join(timeout=2)
    if failure:
        raise WatchError(f"Stopped watching for changes: {failure[0]}") from failure[0]


class WatchError(Exception):
    """The operating system stopped telling us of changes."""


# --------------------------------------------------------------------------- serving


class PortInUse(Exception):
    """The port is taken (another `make serve`?) or not ours to use."""

    def __init__(self, host: str, port: int, reason: str):
        self.host, self.port, self.reason = host, port, reason
        super().__init__(self.sentence())

    def sentence(self, how: str = "PORT={port} make serve") -> str:
        """One line for the organizer; `how` says how to choose another port."""
        return f"Port {self.port} on {self.host} {self.reason}. Choose another port: {how.format(port=self.port + 1)}"


class BadHost(Exception):
    """HOST is no address of this computer: nothing can listen there."""

    def __init__(self, host: str):
        super().__init__(
            f'HOST is "{host}", which is not an address of this computer: leave HOST unset (127.0.0.1, this '
            "computer only) or give one of its addresses (HOST=0.0.0.0 for all of them, to be seen from other devices)."
        )


class SiteState:
    """What the server shows: the epoch (one per build) and the last build's
    lines: its problems if it failed, else its warnings (things to check)."""

    def __init__(self):
        self._condition = threading.Condition()
        self._run = f"{time.time():.0f}"  # a new server means a new site: reload
        self._count = 0
        self.lines: list[str] = []
        self.failed = False
        self.stale_code: list[str] = []

    @property
    def epoch(self) -> str:
        return f"{self._run}-{self._count}"

    def built(self, lines: list[str], failed: bool) -> None:
        with self._condition:
            self.lines, self.failed = list(lines), failed
            self._count += 1
            self._condition.notify_all()

    def wait_for_change(self, seen: str, timeout: float) -> str:
        with self._condition:
            self._condition.wait_for(lambda: self.epoch != seen, timeout=timeout)
            return self.epoch

    def wake(self) -> None:
        with self._condition:
            self._condition.notify_all()


class SiteServer(ThreadingHTTPServer):
    """Serves the built site from `root`; with `live`, every HTML page gets the
    reload script and, after a failed build, the banner of problems."""

    daemon_threads = True  # an open tab's event stream never holds up Ctrl-C

    def __init__(self, host: str, port: int, root: Path, lock: threading.Lock | None = None, live: bool = True):
        self.root = Path(root)
        self.lock = lock or threading.Lock()
        self.live = live
        self.state = SiteState()
        self.stopping = threading.Event()
        try:
            super().__init__((host, port), SiteHandler)
        except PermissionError:
            raise PortInUse(host, port, "needs administrator rights") from None
        except socket.gaierror:  # not an address, nor a name that resolves to one
            raise BadHost(host) from None
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise PortInUse(host, port, "is already in use (is `make serve` running elsewhere?)") from None
            if error.errno == errno.EADDRNOTAVAIL:  # an address, but another computer's
                raise BadHost(host) from None
            raise

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"

    def serve_in_thread(self) -> None:
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.1}, name="server", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.state.wake()
        if getattr(self, "_thread", None):  # shutdown() waits for a serve_forever() that must have started
            self.shutdown()
        self.server_close()


class SiteHandler(SimpleHTTPRequestHandler):
    server: SiteServer
    protocol_version = "HTTP/1.1"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(args[2].root), **kwargs)

    def log_message(self, format, *args):
        pass  # the terminal is for the organizer's messages

    def do_GET(self):
        self._respond(with_body=True)

    def do_HEAD(self):
        self._respond(with_body=False)

    def _respond(self, with_body: bool) -> None:
        url = urlsplit(self.path)
        path = unquote(url.path)
        if self.server.live and path.startswith(ASSETS):
            return self._devserver(path[len(ASSETS) :], url.query, with_body)
        with self.server.lock:  # output/ is not being swapped while we read it
            status, target = self._find(path)
            if status == 301:
                return self._send(301, b"", "text/plain", with_body, location=url.path + "/")
            data = target.read_bytes() if target else None
        if data is None:
            status, data, ctype = 404, b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>", "text/html"
            if not self.server.root.is_dir():
                data = b"<!DOCTYPE html><title>No site yet</title><h1>No site has been built yet</h1>"
        else:
            ctype = self.guess_type(str(target))
        if self.server.live and ctype.startswith("text/html"):
            data = self._decorate(data)
            ctype = "text/html; charset=utf-8"
        self._send(status, data, ctype, with_body)

    def _find(self, path: str) -> tuple[int, Path | None]:
        local = Path(self.translate_path(path))  # stays inside the site's folder
        if local.is_dir():
            if not path.endswith("/"):
                return 301, None
            local = local / "index.html"
        if local.is_file():
            return 200, local
        missing = self.server.root / "404.html"
        return 404, (missing if missing.is_file() else None)

    def _send(self, status: int, data: bytes, ctype: str, with_body: bool, location: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")  # a reload always shows the new build
        if location:
            self.send_header("Location", location)
        self.end_headers()
        if with_body:
            self.wfile.write(data)

    def _decorate(self, page: bytes) -> bytes:
        """The reload script, and the banner while the last build failed."""
        state = self.server.state
        text = page.decode("utf-8", errors="replace")
        script = f'<script src="{ASSETS}reload.js" data-epoch="{html.escape(state.epoch)}"></script>'
        text = _insert_before(text, "</body>", script)
        lines = state.lines + state.stale_code
        if lines:
            heading = (
                "The last build failed: this is the last good site. Fix the problems below and save."
                if state.failed
                else "The site was built; check the lines below."
                if state.lines
                else "The site below may be out of date."
            )
            going = (
                "with the next good build"
                if not state.stale_code
                else "with the next good build; the plugin line, when make serve starts again"
            )
            banner = (
                f'<link rel="stylesheet" href="{ASSETS}devserver.css">'
                f'<section class="devserver-problems" role="alert"><h2>{html.escape(heading)}</h2>'
                f"<pre>{html.escape(chr(10).join(lines))}</pre>"
                f"<p>(Shown by <code>make serve</code> only; it goes away {going}.)</p></section>"
            )
            match = re.search(r"<body[^>]*>", text, flags=re.I) or re.search(r"<!doctype[^>]*>", text, flags=re.I)
            at = match.end() if match else 0  # never before <!DOCTYPE>: that puts the page in quirks mode
            text = text[:at] + banner + text[at:]
        return text.encode("utf-8")

    def _devserver(self, name: str, query: str, with_body: bool) -> None:
        if name == "reload.js":
            return self._send(200, SCRIPT.encode(), "text/javascript; charset=utf-8", with_body)
        if name == "devserver.css":
            return self._send(200, BANNER_CSS.encode(), "text/css; charset=utf-8", with_body)
        if name == "events":
            return self._events(parse_qs(query).get("epoch", [""])[0])
        self._send(404, b"", "text/plain", with_body)

    def _events(self, seen: str) -> None:
        """A server-sent event once the site was rebuilt after the page's own build."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        state = self.server.state
        try:
            self.wfile.write(b"retry: 500\n\n")
            self.wfile.flush()
            while not self.server.stopping.is_set():
                epoch = state.wait_for_change(seen, timeout=15)
                if epoch != seen:
                    self.wfile.write(f"data: {epoch}\n\n".encode())
                    self.wfile.flush()
                    return
                self.wfile.write(b": still here\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the tab was closed or reloaded


def _insert_before(text: str, tag: str, insert: str) -> str:
    at = text.lower().rfind(tag)
    return text + insert if at < 0 else text[:at] + insert + text[at:]


# --------------------------------------------------------------------------- the whole loop


def serve(
    builder: Builder,
    watch: list[str],
    host: str,
    port: int,
    stop: threading.Event | None = None,
    say: Callable[[str], None] = print,
    complain: Callable[[str], None] | None = None,
) -> None:
    """Build, serve and rebuild on change until Ctrl-C (or `stop` is set).

    Raises PortInUse (or BadHost) before building anything if the port is taken (or HOST is wrong)."""
    import sys

    complain = complain or (lambda text: print(text, file=sys.stderr, flush=True))
    stop = stop or threading.Event()
    server = SiteServer(host, port, builder.output, lock=builder.lock)
    plugins = [str(Path(p).resolve()) for p in watch if Path(p).name == "plugins"]

    def report(result: BuildResult, changed: set[str] = frozenset()):
        code = sorted(
            os.path.relpath(p) for p in changed if p.endswith(".py") and any(p.startswith(folder) for folder in plugins)
        )
        for name in code:
            line = f"{name} changed: plugin code is loaded once. Stop (Ctrl-C) and run make serve again to use it."
            if line not in server.state.stale_code:
                server.state.stale_code.append(line)
                complain(line)
        if result.ok:
            say(summary(builder.output, result.seconds))
        else:
            kept = (
                f"{builder.output.name}/ still holds the last good site"
                if (builder.output / "index.html").exists()
                else "there is no good build to show yet"
            )
            complain(f"Build failed: {kept}; the open page shows the problems.")
        # A good build's lines are warnings (a totals row that disagrees): shown too, to check.
        server.state.built(result.problems, failed=not result.ok)

    def listen():
        server.serve_in_thread()
        say(f"Open {server.url} in your browser. Ctrl-C stops the server.")

    try:
        watch_and_build(builder, watch, report, stop, ready=listen)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.stop()
        builder.discard_spare()


def check_address(host: str, port: int) -> None:
    """Raise PortInUse or BadHost now if nothing could listen at host:port (before a long build)."""
    SiteServer(host, port, Path.cwd(), live=False).server_close()


def serve_static(root: Path, host: str, port: int, say: Callable[[str], None] = print) -> None:
    """Serve a built folder as it is (no reload, no banner) until Ctrl-C."""
    server = SiteServer(host, port, root, live=False)
    say(f"Open {server.url} in your browser. Ctrl-C stops the server.")
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
