"""Pages remembered between runs of `invoke build` (cache/pages.pickle): the
parsed Markdown and typogrified text of every page, trusted only under the
same settings and code (the fingerprint) and while the page's md5 holds."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import pickle
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from organizer.devserver.speedups import TYPOGRIFIED, TYPOGRIFIED_THIS_BUILD

log = logging.getLogger("devserver")

MEMORY_FILE = "pages.pickle"  # in CACHE_PATH


@dataclass
class Memory:
    """The file, and what it held when last read or written."""

    path: Path
    fingerprint: str
    held: bytes | None = None

    def recall(self, readers_cache: dict) -> None:
        """Take up what the last `remember` build of the same settings and
        code kept: the parsed Markdown of each page (Pelican's reader cache,
        used only while the page's md5 is unchanged) and the typogrified text.
        An unreadable, foreign or outdated file costs time, never a wrong page."""
        try:
            self.held = self.path.read_bytes()
            kept = pickle.loads(self.held)
            if kept["fingerprint"] != self.fingerprint:
                return
            readers, typogrified = kept["readers"], kept["typogrify"]
        except FileNotFoundError:
            return
        except Exception as error:  # a cut-off or garbled pickle raises almost anything
            log.debug("Ignored %s: %s", self.path, error)
            return
        readers_cache.update(readers)
        TYPOGRIFIED.update(typogrified)

    def keep(self, readers_cache: dict) -> None:
        """After a good build: write what it used for the next run, if that
        differs from what the file holds (atomically: a build stopped or
        running beside this one reads the old file or the new, whole)."""
        readers = {
            cache: {name: entry for name, entry in entries.items() if os.path.exists(name)}
            for cache, entries in readers_cache.items()
        }
        try:
            data = pickle.dumps(
                {"fingerprint": self.fingerprint, "readers": readers, "typogrify": TYPOGRIFIED_THIS_BUILD},
                protocol=pickle.HIGHEST_PROTOCOL,
            )
        except Exception as error:  # a plugin put something unpicklable in a page's metadata
            log.debug("Not kept for the next build: %s", error)
            return
        if data != self.held:
            self._write(data)

    def _write(self, data: bytes) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            temporary.write_bytes(data)
            os.replace(temporary, self.path)
            self.held = data
        except OSError as error:  # a full disk or a read-only cache/: the next build reads pages again
            log.debug("Not kept for the next build: %s", error)
        finally:
            temporary.unlink(missing_ok=True)


def fingerprint(settings: dict, plugins: Iterable) -> str | None:
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
