"""Replace a built site safely: the one place that knows how.

A build writes into a staging folder beside the site; only a build that
succeeded is swapped in, with every folder 0755 and every file 0644 so a web
server can read it whatever the umask. Ctrl-C or SIGTERM at any moment leaves
the old site as it was and removes the staging folder. When the output path is
a symlink (to a web root, say), the link stays and what it points to is replaced.

    with staged(output) as staging:
        build_into(staging)          # raise (or be interrupted) to keep the old site
    # here the new site is in place
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
from pathlib import Path

FOLDER_MODE = 0o755
FILE_MODE = 0o644
INTERRUPTIONS = (signal.SIGINT, signal.SIGTERM)


def real_output(output: Path) -> Path:
    """Where the site's files really go: through a symlink, its target."""
    return Path(os.path.realpath(output))


@contextlib.contextmanager
def staged(output: Path):
    """A fresh staging folder beside ``output``; swapped in when the block
    ends without an error, removed whatever happens."""
    target = real_output(Path(output))
    target.parent.mkdir(parents=True, exist_ok=True)
    with _sigterm_as_interrupt():
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
        try:
            yield staging
            make_readable(staging)
            swap_in(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def make_readable(tree: Path) -> None:
    """Folders 0755, files 0644: what a web server needs, whatever the umask."""
    os.chmod(tree, FOLDER_MODE)
    for folder, folders, files in os.walk(tree):
        for name in folders:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                os.chmod(path, FOLDER_MODE)
        for name in files:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                os.chmod(path, FILE_MODE)


def swap_in(staging: Path, target: Path) -> None:
    """Put ``staging`` where ``target`` is, in two renames that no Ctrl-C or
    SIGTERM can come between (they wait until the swap is done)."""
    retired = target.with_name(f".{target.name}-old-{os.getpid()}")
    shutil.rmtree(retired, ignore_errors=True)
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(f"{target} is not a folder: move it away and build again.")
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, INTERRUPTIONS)
    try:
        if target.exists():
            target.rename(retired)
        staging.rename(target)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    shutil.rmtree(retired, ignore_errors=True)


@contextlib.contextmanager
def _sigterm_as_interrupt():
    """SIGTERM ends the process with cleanup, as Ctrl-C does (not at once)."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: the caller handles signals
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)

