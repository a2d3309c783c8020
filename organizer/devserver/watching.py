"""Watching the project's files: rebuild whenever one changes, a burst of
saves coalesced into at most two builds, until told to stop."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from organizer.devserver.builder import Builder, BuildResult

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


class WatchError(Exception):
    """The operating system stopped telling us of changes."""


def watch_and_build(
    builder: Builder,
    paths: list[str],
    on_build: Callable[[BuildResult, set[str]], None],
    stop: threading.Event,
    ready: Callable[[], None] = lambda: None,
) -> None:
    """Build once, call `ready`, then rebuild with `builder` whenever something
    under `paths` changes, until `stop` is set; `on_build` hears of every
    build. A change to the settings (pelicanconf.py, or the event.toml it
    reads) reads the settings again. Watching
    starts before the first build, so a save made during it is built too."""
    changes = Changes()
    failure: list[BaseException] = []
    threads = _start_watching(paths, changes, stop, failure)
    on_build(builder.build(), set())
    ready()
    settings_files = builder.settings_sources()
    while not stop.is_set():
        changed = changes.take(stop)
        if not changed:
            break
        if settings_files & {str(Path(p).resolve()) for p in changed}:
            builder.reload_settings()
        on_build(builder.build(changed), changed)
    for thread in threads:
        thread.join(timeout=2)
    if failure:
        raise WatchError(f"Stopped watching for changes: {failure[0]}") from failure[0]


def _start_watching(
    paths: list[str], changes: Changes, stop: threading.Event, failure: list[BaseException]
) -> list[threading.Thread]:
    """Threads that put every change under `paths` into `changes`; one that
    fails says why in `failure` and sets `stop`."""
    import watchfiles

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
    return threads
