"""Replace a built site safely: the one place that knows how.

A build writes into a staging folder beside the site (staging_folder);
only a build that succeeded is swapped in (replace_site), with every folder
0755 and every file 0644 so a web server can read it whatever the umask. The
swap's two renames cannot be split by Ctrl-C or SIGTERM, and with
sigterm_as_interrupt() a SIGTERM unwinds like Ctrl-C, so the builder's cleanup
removes the staging folder and the old site stays as it was. When the output
path is a symlink (to a web root, say), the link stays and what it points to
is replaced.
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
INTERRUPTIONS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def real_output(output: Path) -> Path:
    """Where the site's files really go: through a symlink, its target."""
    return Path(os.path.realpath(output))


def staging_parent(output: Path) -> Path:
    """Where to stage a build of ``output``: beside what it really is, so the
    swap is a rename on one file system."""
    parent = real_output(Path(output)).parent
    parent.mkdir(parents=True, exist_ok=True)
    return parent


def new_staging(output: Path) -> Path:
    """A new, empty folder beside ``output`` to build it in (.output-new-*)."""
    return Path(tempfile.mkdtemp(prefix=f".{Path(output).name}-new-", dir=staging_parent(output)))


@contextlib.contextmanager
def staging_folder(output: Path):
    """A new, empty folder to build ``output`` in, removed when the block ends
    (once swapped in, it is already gone). Made and removed with Ctrl-C and
    SIGTERM held back, so an interruption can never leave one behind."""
    staging = None
    try:
        with signals_deferred():
            staging = new_staging(output)
        yield staging
    finally:
        if staging is not None:
            with signals_deferred():
                shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def signals_deferred():
    """Ctrl-C, SIGTERM and SIGHUP wait until the block is done (then act as usual)."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, INTERRUPTIONS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def replace_site(staging: Path, output: Path, keep_old: bool = False) -> Path | None:
    """Make a finished build in ``staging`` the site at ``output``: readable
    modes, then the swap (through a symlink, into the folder it points to).
    With ``keep_old`` the site it replaced is kept and returned (None if there
    was none), for the next build to write over: see remove_stale()."""
    make_readable(staging)
    return swap_in(staging, real_output(Path(output)), keep_old)


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


def swap_in(staging: Path, target: Path, keep_old: bool = False) -> Path | None:
    """Put ``staging`` where ``target`` is, in two renames that no Ctrl-C or
    SIGTERM can come between (they wait until the swap is done). The old site
    is removed, or with ``keep_old`` kept and returned."""
    retired = target.with_name(f".{target.name}-old-{os.getpid()}")
    shutil.rmtree(retired, ignore_errors=True)
    with signals_deferred(), _one_swap_at_a_time(target):
        if target.exists() and not target.is_dir():  # looked at in turn: another swap may be moving it
            raise NotADirectoryError(f"{target} is not a folder: move it away and build again.")
        had_site = target.exists()
        if had_site:
            target.rename(retired)
        staging.rename(target)
        if keep_old:
            return retired if had_site else None
        shutil.rmtree(retired, ignore_errors=True)
    return None


@contextlib.contextmanager
def _one_swap_at_a_time(target: Path):
    """Two builds of one site at once (make serve and invoke build) must not
    interleave their renames: another's swap waits for this one."""
    import fcntl

    folder = os.open(target.parent, os.O_RDONLY)  # the folder both renames happen in: no lock file left
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)
        yield
    finally:
        os.close(folder)


def file_clock(folder: Path) -> int:
    """The time a file written in ``folder`` now gets, as st_ctime_ns. The
    file system's clock runs up to a tick behind time.time_ns(): compare
    file times only with file times."""
    marker = Path(folder) / ".build-started"
    marker.touch()
    try:
        return marker.stat().st_ctime_ns
    finally:
        marker.unlink()


def remove_stale(tree: Path, since_ns: int) -> None:
    """Remove what a build written over an older site did not write itself:
    every file whose inode last changed before ``since_ns`` (from file_clock();
    writing and copying a file both change it), then the folders left empty.

    Writing over an old site instead of into a new folder is what makes the
    dev server's rebuilds cheap: a new file costs ten times an overwrite."""
    for folder, folders, files in os.walk(tree, topdown=False):
        for name in files:
            path = os.path.join(folder, name)
            if os.lstat(path).st_ctime_ns < since_ns:
                os.unlink(path)
        if folder != str(tree) and not os.listdir(folder):
            os.rmdir(folder)


@contextlib.contextmanager
def sigterm_as_interrupt():
    """SIGTERM, and SIGHUP (the terminal window closed), end the process with
    cleanup, as Ctrl-C does (not at once, leaving a half-built folder)."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    try:
        previous = {number: signal.signal(number, interrupt) for number in (signal.SIGTERM, signal.SIGHUP)}
    except ValueError:  # not the main thread: the caller handles signals
        yield
        return
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
