"""An error in the organizer's files (the settings, a template, a plugin of
ours) as one line with its file and line, for the terminal and the dev
server's box: never a traceback."""

from __future__ import annotations

import logging
import os
import traceback
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent


def log_build_error(error: Exception) -> None:
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
    passed over: the organizer cannot change those. A mistake in event.toml
    is its own sentence, which names its line."""
    from pelican.plugins.event.event_file import EventFileError

    if isinstance(error, EventFileError):
        return str(error)
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
    """A file of this project (settings, theme, plugins), not of a library or of the commands themselves."""
    path = Path(filename).resolve()
    return (
        path.is_relative_to(ROOT)
        and not path.is_relative_to(ROOT / ".venv")
        and not path.is_relative_to(PACKAGE)
        and path != ROOT / "tasks.py"
    )


def _shown_path(filename: str) -> str:
    try:
        return os.path.relpath(filename)
    except ValueError:
        return filename
