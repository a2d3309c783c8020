"""invoke publish: the public build uploaded with rsync over ssh, refused
before anything is built when the target is a folder that holds more than a
site (rsync --delete would empty it), and stopped safely by Ctrl-C."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from invoke import Exit

from organizer.counting import some
from organizer.project import NOTHING_PUBLISHED, PREVIEW_OUTPUT, PUBLISH_SETTINGS, ROOT, settings
from organizer.publishing import build_public, refuse_example_values
from organizer.site_output import sigterm_as_interrupt


def publish() -> None:
    """Build the public site and upload it with rsync to PUBLISH_TARGET."""
    refuse_example_values()
    target = settings(PUBLISH_SETTINGS)["PUBLISH_TARGET"]
    if not target:
        raise Exit("Set PUBLISH_TARGET (user@host:/path/) in publishconf.py or the environment.", code=2)
    target = _checked_target(target)
    build_public(for_upload=True)
    # Changed files wait beside their folder and are all put in place at the end, then the
    # deletions: the public never sees new pages that link to files not uploaded yet.
    rsync = ["rsync", "--delay-updates", "--delete-after", "--exclude", ".DS_Store", "-pthrvz", "-c", "-e", "ssh"]
    rsync += [f"{PREVIEW_OUTPUT}/", target]
    uploading = False
    try:
        with sigterm_as_interrupt():
            _refuse_deleting_others(rsync, target)
            uploading = True
            uploaded = _run_and_let_it_clean_up(rsync)
    except KeyboardInterrupt:
        raise Exit(
            f"\nPublishing was stopped: the site at {target} may be partly updated; run `invoke publish` again."
            if uploading
            else f"\nPublishing was stopped before anything was uploaded to {target}.",
            code=1,
        )
    if uploaded.returncode:
        raise Exit(
            f"rsync could not finish the upload to {target}: {_first_line(uploaded.stderr, uploaded.returncode)}. "
            "The site there may be partly updated; run `invoke publish` again once that is fixed.",
            code=1,
        )


def _run_and_let_it_clean_up(command: list[str]) -> subprocess.CompletedProcess:
    """Run `command`, its stderr kept for the message. On Ctrl-C or SIGTERM it
    is asked to stop and waited for, never killed: rsync then removes the
    file it was writing instead of leaving it half-written at the target."""
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        errors = process.communicate()[1]
    except KeyboardInterrupt:
        process.terminate()  # a SIGTERM reached only us; a Ctrl-C reached it already
        process.communicate()
        raise
    return subprocess.CompletedProcess(command, process.returncode, stderr=errors)


def _first_line(errors: str, status: int) -> str:
    """What a command said went wrong: the first line it wrote to stderr."""
    return (errors.strip().splitlines() or [f"exit status {status}"])[0]


def _remote_host(target: str) -> str | None:
    """The computer of an rsync target, None for a local folder (rsync's
    rule: host:path, with no / before the colon, is on another computer)."""
    host, colon, _ = target.partition(":")
    return host if colon and "/" not in host else None


def _checked_target(target: str) -> str:
    """PUBLISH_TARGET as rsync gets it (a local ~ expanded). Before anything
    is built, refuses a target rsync --delete would empty of more than a site."""
    if wrecked := _what_publishing_would_wreck(target):
        raise Exit(
            f'PUBLISH_TARGET is "{target}", {wrecked}: publishing there would delete everything in it that is not '
            "the site. Set it to a folder of its own for the site (e.g. me@example.org:/var/www/letters/) in "
            f"publishconf.py or the environment. {NOTHING_PUBLISHED}",
            code=2,
        )
    return target if _remote_host(target) else os.path.expanduser(target)


def _what_publishing_would_wreck(target: str) -> str | None:
    """What `target` is, if it is a folder that holds more than a site ever
    should: this project (or a folder holding it, or one inside it), the top
    folder, a home folder (on a server, host: with an empty path)."""
    if host := _remote_host(target):
        path = target.partition(":")[2].strip()
        user, _, computer = host.rpartition("@")
        if path in ("", ".", "~", "~/"):
            return f"the home folder of {user} on {computer}" if user else f"your home folder on {computer}"
        return None if path.strip("/") else f"the top folder of {computer}"
    local = Path(target).expanduser().resolve()
    if local == Path("/"):
        return "the top folder of this computer"
    if local == Path.home():
        return "your home folder"
    if local == ROOT:
        return "this project's own folder"
    if ROOT.is_relative_to(local):
        return "a folder that holds this project"
    if local.is_relative_to(ROOT):
        return "a folder inside this project"
    return None


# A line of rsync --itemize-changes: what it does (11 characters), then the path.
_ITEMIZED = re.compile(r"^(\*deleting|[<>ch.][fdLDS]\S{9}) +(.*)$")


def _refuse_deleting_others(rsync: list[str], target: str) -> None:
    """A dry run of the upload (-n -i) first: if it would delete files from a
    target that holds no site published from here (its tally.json would be
    new there), stop before anything is touched."""
    dry_run = subprocess.run([rsync[0], "-n", "-i", *rsync[1:]], capture_output=True, text=True)
    if dry_run.returncode:
        reason = _first_line(dry_run.stderr, dry_run.returncode)
        raise Exit(f"rsync cannot publish to PUBLISH_TARGET {target}: {reason}. {NOTHING_PUBLISHED}", code=1)
    changes = [m.groups() for m in map(_ITEMIZED.match, dry_run.stdout.splitlines()) if m]
    doomed = [path for change, path in changes if change == "*deleting"]
    published_here_before = not any(path == "tally.json" and change.endswith("+++++++++") for change, path in changes)
    if doomed and not published_here_before:
        files = [path for path in doomed if not path.endswith("/")]
        listed = sorted(files or doomed)
        count = some(len(files), "files") if files else some(len(doomed), "folders")
        names = ", ".join(listed[:3]) + (", ..." if len(listed) > 3 else "")
        raise Exit(
            f"PUBLISH_TARGET {target} holds {count} this site does not have ({names}) and no site published from "
            f"here: publishing would delete them. Publish into an empty folder or one this site was published to "
            f"before. {NOTHING_PUBLISHED}",
            code=1,
        )
