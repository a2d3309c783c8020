"""The organizer's commands: `invoke --list` shows them all.

Every build goes into a fresh folder first and replaces output/ only when it
succeeded, so a mistake in a page or in the tally CSV never leaves a broken
or half-written site behind.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from csv import writer as csv_writer
from pathlib import Path

from invoke import Exit, task
from pelican.plugins.tally import api as tally_api
from pelican.plugins.tally.core import printable
from pelican.settings import read_settings

from site_output import real_output, replace_site, sigterm_as_interrupt

ROOT = Path(__file__).resolve().parent

CONTENT = ROOT / "content"
OUTPUT = ROOT / "output"
LOCAL_SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"

PREVIEW_OUTPUT = ROOT / "output-preview"  # the public build, apart from the site `make serve` shows
DEMO_OUTPUT = ROOT / "output-demo"  # the example numbers, never in the site `make serve` (or a projector) shows

HOST = os.environ.get("HOST", "127.0.0.1")
PORT = os.environ.get("PORT", "8000")


class _NotSwapped(Exception):
    """A finished build that `before_swap` turned down: not swapped in."""


def build_site(
    settings: Path = LOCAL_SETTINGS, output: Path = OUTPUT, remember=False, before_swap=None, **overrides
) -> bool:
    """Build into a temporary folder beside `output` and swap it in on success.

    Returns False (and leaves `output` exactly as it was) when the build fails.
    The build runs in this process (devserver.Builder): no second Python.
    With `remember`, pages that did not change since the last such build are
    not read again (cache/pages.pickle); builds for the public never do this.
    `before_swap(staging)` adds to the finished build before it is swapped in
    (the case-sheet pack); when it returns False, `output` stays as it was.
    """
    from devserver import Builder, init_logging, summary

    def swap(staging: Path, target: Path, keep_old=False):
        if before_swap and not before_swap(staging):
            raise _NotSwapped
        return replace_site(staging, target, keep_old=keep_old)

    init_logging()
    builder = Builder(settings, output, swap=swap, overrides=overrides, remember=remember)
    try:
        with sigterm_as_interrupt():  # SIGTERM cleans up as Ctrl-C does
            result = builder.build()
    except KeyboardInterrupt:
        if builder.swapped:  # stopped as the new site went in
            print(
                f"\nBuild stopped: it had just finished, and {Path(output).name}/ holds the new site.", file=sys.stderr
            )
        else:
            print(f"\nBuild stopped: {Path(output).name}/ was left exactly as it was.", file=sys.stderr)
        raise
    except _NotSwapped:
        result = None
    if not (result and result.ok):
        print(f"Build failed: {Path(output).name}/ was left exactly as it was.", file=sys.stderr)
        return False
    print(summary(Path(output), result.seconds))
    return True


def _build_or_exit(settings: Path, output: Path = OUTPUT, remember=False) -> None:
    if not build_site(settings, output, remember=remember):
        raise Exit(code=1)


@task
def clean(c):
    """Remove the built sites (output/, output-preview/, output-demo/) and the build caches."""
    for folder in (OUTPUT, PREVIEW_OUTPUT, DEMO_OUTPUT, ROOT / "cache"):
        shutil.rmtree(real_output(folder), ignore_errors=True)  # through a symlink: what it points to


@task
def build(c):
    """Build the site for viewing on this computer."""
    _build_or_exit(LOCAL_SETTINGS, remember=True)


@task
def rebuild(c):
    """Build the site from scratch: nothing kept in cache/ (compiled templates, remembered pages, the calendar)."""
    shutil.rmtree(ROOT / "cache", ignore_errors=True)
    _build_or_exit(LOCAL_SETTINGS)


def _refuse_example_values() -> None:
    """Before a public build: stop, listing every example value still in the
    site (plugins/event/examples.py), building and uploading nothing."""
    from pelican.plugins.event.examples import example_values, refusal

    if found := example_values(_settings(PUBLISH_SETTINGS)):
        raise Exit(refusal(found), code=1)


@task(
    help={
        "serve": "then serve it on this computer (at PORT + 1 by default) until Ctrl-C",
        "port": "the port for --serve",
    }
)
def preview(c, serve=False, port=None):
    """Build the site as it will be published into output-preview/ (real addresses, feed, case-sheet pack)."""
    from devserver import check_address, serve_static

    _refuse_example_values()
    port = _port(port, "--port", "invoke preview --serve --port 8001") if port else _port() + 1
    another_port = "invoke preview --serve --port {port}"
    overrides = {}
    if serve:
        _listen_or_exit(lambda: check_address(HOST, port), another_port)  # said now, not after the build
        # Its absolute addresses must point here to be looked at here (and only then may).
        overrides["SITEURL"] = overrides["EVENT_PREVIEW_SITEURL"] = f"http://{HOST}:{port}"
    _build_public(for_upload=False, **overrides)
    if serve:
        _listen_or_exit(lambda: serve_static(PREVIEW_OUTPUT, HOST, port), another_port)
    else:
        print(
            f"To look at it on this computer: invoke preview --serve "
            f"(it is built for {_settings(PUBLISH_SETTINGS)['SITEURL']}/)."
        )


@task
def serve(c):
    """Serve output/ at http://127.0.0.1:8000 as it is (Ctrl-C stops; PORT=8001 for another port)."""
    from devserver import serve_static

    _listen_or_exit(lambda: serve_static(OUTPUT, HOST, _port()), "PORT={port} invoke serve")


def _listen_or_exit(listen, another_port: str) -> None:
    """Run `listen()`; a port in use or a HOST that is not this computer's ends
    the task with one line (`another_port` says how to choose another port)."""
    from devserver import BadHost, PortInUse

    try:
        listen()
    except PortInUse as error:
        raise Exit(error.sentence(another_port), code=1)
    except BadHost as error:
        raise Exit(str(error), code=2)


@task
def reserve(c):
    """Build, then serve."""
    build(c)
    serve(c)


def watched_paths() -> list[str]:
    """What should rebuild the site: content (the tally CSV with
    it), theme, plugins, settings, and the CSV wherever TALLY_CSV points."""
    paths = [CONTENT, ROOT / "theme", ROOT / "plugins", LOCAL_SETTINGS]
    try:
        tally_csv = Path(tally_api.csv_path(read_settings(str(LOCAL_SETTINGS)))).resolve()
    except Exception:  # the first build shows what is wrong with the settings; saving them rebuilds
        return [str(p) for p in paths if p.exists()]
    if not any(tally_csv.is_relative_to(p) for p in paths):
        # watched once (a doubled watch builds twice); its folder until it exists
        paths.append(tally_csv if tally_csv.exists() else tally_csv.parent)
    return [str(p) for p in paths if p.exists()]


def _port(value=None, given_as="PORT", example="PORT=8001 make serve") -> int:
    value = str(value or PORT).strip()
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise Exit(f'{given_as} is "{value}": the port must be a number from 1 to 65535, e.g. {example}.', code=2)
    return int(value)


def _dev_builder():
    from devserver import Builder, init_logging

    init_logging()
    return Builder(LOCAL_SETTINGS, OUTPUT, swap=replace_site, warm=True)


@task
def regenerate(c):
    """Rebuild whenever content, the tally, the theme or the settings change."""
    import threading

    from devserver import WatchError, summary, watch_and_build

    builder = _dev_builder()

    def report(result, changed=()):
        if result.ok:
            print(summary(OUTPUT, result.seconds), flush=True)
        else:
            print(f"Build failed: {OUTPUT.name}/ was left exactly as it was.", file=sys.stderr, flush=True)

    # One rebuild per batch of changes, and none while nothing changes: a
    # broken CSV is reported once and then waits for the next save.
    try:
        watch_and_build(
            builder,
            watched_paths(),
            report,
            threading.Event(),
            ready=lambda: print("Watching for changes. Ctrl-C stops.", flush=True),
        )
    except KeyboardInterrupt:
        pass
    except WatchError as error:
        raise Exit(str(error), code=1)


@task
def livereload(c):
    """Build, serve and rebuild on every change, reloading the browser (what make serve runs; Ctrl-C stops)."""
    from devserver import BadHost, PortInUse, WatchError
    from devserver import serve as serve_live

    try:
        with sigterm_as_interrupt():  # stopped or its terminal closed: no half-built folder left
            serve_live(_dev_builder(), watched_paths(), HOST, _port())
    except (PortInUse, WatchError) as error:
        raise Exit(str(error), code=1)
    except BadHost as error:
        raise Exit(str(error), code=2)


EXAMPLE_TALLY = "data/tally.example.csv"


@task(
    help={
        "serve": "serve and rebuild on every change (default); --no-serve only builds",
        "port": "the port to serve at (default PORT + 2: make serve and preview --serve can run meanwhile)",
    }
)
def demo(c, serve=True, port=None):
    """Show the site with the example numbers (content/data/tally.example.csv), built into output-demo/."""
    # Through the environment, so every rebuild of the watcher uses them too;
    # every page then says "example numbers", and publish refuses them. Into
    # a folder of its own: output/ is what make serve (and a projector) shows.
    os.environ["TALLY_CSV"] = EXAMPLE_TALLY
    print(f"Using the example numbers in {CONTENT.name}/{EXAMPLE_TALLY}: every page says so.")
    if not serve:
        _build_or_exit(LOCAL_SETTINGS, DEMO_OUTPUT)
        return
    from devserver import Builder, PortInUse, WatchError, init_logging
    from devserver import serve as serve_live

    init_logging()
    builder = Builder(LOCAL_SETTINGS, DEMO_OUTPUT, swap=replace_site, warm=True)
    try:
        serve_live(builder, watched_paths(), HOST, _port(port) if port else _port() + 2)
    except PortInUse as error:
        raise Exit(error.sentence("invoke demo --port {port}"), code=1)
    except WatchError as error:
        raise Exit(str(error), code=1)


@task
def test(c):
    """Run all the tests."""
    c.run(f"{shlex.quote(sys.executable)} -m pytest", pty=False)


def _settings(path: Path = LOCAL_SETTINGS) -> dict:
    """Pelican's settings from `path`; a mistake in the file (or in
    pelicanconf.py, which publishconf.py reads) exits with one line naming it."""
    try:
        return read_settings(str(path))
    except Exception as error:
        from devserver import problem_line

        raise Exit(f"{problem_line(error)}\nFix it and run the command again. Nothing was changed.", code=1)


NOTHING_PUBLISHED = "Nothing was published."


def _now_where_the_event_is(settings: dict):
    """The build's time (SOURCE_DATE_EPOCH if set) as a clock at the event shows it."""
    from zoneinfo import ZoneInfo

    from pelican.plugins.event.dates import BuildDateError, build_clock

    try:
        return build_clock(ZoneInfo((settings.get("EVENT") or {}).get("timezone") or "UTC"))
    except (BuildDateError, KeyError, TypeError, ValueError):  # a bad SOURCE_DATE_EPOCH or zone: the build says so
        return None


def _build_public(for_upload: bool, **overrides) -> None:
    """Build the public site into output-preview/ with its case-sheet pack
    (CASE_SHEETS_PDF), printed into the new build before it replaces the old
    one: output-preview/ is the old build or the whole new one, even after a
    Ctrl-C. Exits if either cannot be made; for an upload, also without Chromium."""
    from pelican.plugins.event.casesheets import missing_tool

    settings = _settings(PUBLISH_SETTINGS)
    name = settings.get("CASE_SHEETS_PDF")
    without_pack = (
        f"To {'publish' if for_upload else 'build'} without the pack, set CASE_SHEETS_PDF = None in publishconf.py."
    )
    if name and (missing := missing_tool()):
        if for_upload:
            raise Exit(
                f"The case-sheet pack ({name}) cannot be printed: {missing}. {NOTHING_PUBLISHED} {without_pack}", 1
            )
        # A preview without the pack then has no link to it either: nothing on it points nowhere.
        print(
            f"Skipped the case-sheet pack ({PREVIEW_OUTPUT.name}/{name}): {missing}. This build's cases page "
            "does not link to it: run `invoke preview` again once Chromium can print it.",
            file=sys.stderr,
        )
        name = overrides["CASE_SHEETS_PDF"] = None
    printed = []  # what print_pack made of the build: a Pack, or None if it could not print one

    def print_pack(staging: Path) -> bool:
        printed.append(_print_pack(name, staging, PREVIEW_OUTPUT))
        return printed[-1] is not None

    # A results post dated after today would be published showing a day that has not come.
    overrides.setdefault("TALLY_RESULTS_NOT_AFTER", _now_where_the_event_is(settings))
    if not build_site(PUBLISH_SETTINGS, PREVIEW_OUTPUT, before_swap=print_pack if name else None, **overrides):
        if None in printed:
            raise Exit(f"{NOTHING_PUBLISHED} {without_pack}" if for_upload else without_pack, code=1)
        raise Exit(code=1)
    if printed:
        _say_printed(printed[0], name, PREVIEW_OUTPUT)


@task
def publish(c):
    """Build the public site and upload it with rsync (PUBLISH_TARGET)."""
    _refuse_example_values()
    target = _settings(PUBLISH_SETTINGS)["PUBLISH_TARGET"]
    if not target:
        raise Exit("Set PUBLISH_TARGET (user@host:/path/) in publishconf.py or the environment.", code=2)
    target = _checked_target(target)
    _build_public(for_upload=True)
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
        count = _some(len(files), "files") if files else _some(len(doomed), "folders")
        names = ", ".join(listed[:3]) + (", ..." if len(listed) > 3 else "")
        raise Exit(
            f"PUBLISH_TARGET {target} holds {count} this site does not have ({names}) and no site published from "
            f"here: publishing would delete them. Publish into an empty folder or one this site was published to "
            f"before. {NOTHING_PUBLISHED}",
            code=1,
        )


@task
def gh_pages(c):
    """Build the public site and push it to GitHub Pages (ghp-import)."""
    from ghp_import import GhpError, ghp_import

    _refuse_example_values()
    branch = _settings(PUBLISH_SETTINGS)["GITHUB_PAGES_BRANCH"]
    _check_pages_branch(branch)
    _build_public(for_upload=True)
    try:
        with sigterm_as_interrupt():
            ghp_import(str(PREVIEW_OUTPUT), branch=branch, nojekyll=True, push=True, mesg="Publish the site")
    except KeyboardInterrupt:
        raise Exit(
            f"\nPublishing was stopped: the {branch} branch on origin holds the old site or the new one "
            "(a push is whole or nothing); run `invoke gh-pages` again.",
            code=1,
        )
    except GhpError as error:
        raise Exit(f"ghp-import could not publish: {error.message}. {NOTHING_PUBLISHED}", code=1)
    except subprocess.CalledProcessError:
        raise Exit(
            f"git could not push the {branch} branch to origin (git said why above): "
            "run `invoke gh-pages` again once that is fixed.",
            code=1,
        )


def _check_pages_branch(branch: str) -> None:
    """Before building: ghp-import makes `branch` hold the built site and
    nothing else, and pushes it to origin. Refuse a branch that is checked out
    (its files would be swapped for the site, and pushed over the source),
    and a repository with no origin to push to."""
    if not branch.strip():
        raise Exit(
            f"Set GITHUB_PAGES_BRANCH (e.g. gh-pages) in publishconf.py or the environment. {NOTHING_PUBLISHED}", 2
        )
    if _git("rev-parse", "--git-dir").returncode:
        raise Exit(
            "invoke gh-pages pushes with git, and this folder is not in a git repository: make it one with "
            "a GitHub remote (git init, then git remote add origin https://github.com/you/your-site.git), "
            f"or publish with invoke publish. {NOTHING_PUBLISHED}",
            code=2,
        )
    current = _git("symbolic-ref", "--quiet", "--short", "HEAD").stdout.strip()
    elsewhere = _checked_out_branches().get(branch)
    if branch == current or elsewhere:
        where = "the branch this project is on" if branch == current else f"the branch checked out in {elsewhere}"
        raise Exit(
            f'GITHUB_PAGES_BRANCH is "{branch}", {where}: publishing would put the built site in place of its files '
            f"and push it over them. Set GITHUB_PAGES_BRANCH to another branch (gh-pages) in publishconf.py or the "
            f"environment. {NOTHING_PUBLISHED}",
            code=2,
        )
    if _git("remote", "get-url", "origin").returncode:
        raise Exit(
            'invoke gh-pages pushes to the git remote "origin", and this repository has none: add it '
            f"(git remote add origin https://github.com/you/your-site.git) and run it again. {NOTHING_PUBLISHED}",
            code=2,
        )


def _checked_out_branches() -> dict[str, str]:
    """{branch: the folder it is checked out in} over every worktree of the repository."""
    branches = {}
    for worktree in _git("worktree", "list", "--porcelain").stdout.split("\n\n"):
        fields = dict(line.split(" ", 1) for line in worktree.splitlines() if " " in line)
        if "branch" in fields:
            branches[fields["branch"].removeprefix("refs/heads/")] = fields["worktree"]
    return branches


def _git(*args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], capture_output=True, text=True)
    except FileNotFoundError:
        raise Exit(f"invoke gh-pages needs git, which is not installed (apt-get install git). {NOTHING_PUBLISHED}", 1)


def _some(number: int, plural: str) -> str:
    """'1 letter', '3 letters', '1 e-mail': for the organizer's terminal."""
    word = {"emails": "e-mails"}.get(plural, plural)
    return f"{number:,} {word[:-1] if number == 1 else word}"


@task(
    help={
        "case": 'the case\'s name or page file name, e.g. "Annie Alfred"',
        "letters": "appeal letters written",
        "cards": "solidarity cards",
        "emails": "e-mails sent",
        "participants": "people who took part (added up over the rows, like the counts)",
    }
)
def tally(c, case="", letters="0", cards="0", emails="0", participants=""):
    """Add one row of counts (or of participants) to the tally CSV, checked before it is written."""
    if not case.strip() and not participants.strip():
        raise Exit(
            'Say what to add: --case "Annie Alfred" --letters 3, or --participants 12. Nothing was written.', code=1
        )
    settings = _settings()
    path = tally_api.csv_path(settings)
    counts = {"letters": letters, "cards": cards, "emails": emails, "participants": participants}
    try:
        name = tally_api.add_row(settings, case, counts)
    except (tally_api.TallyError, tally_api.SettingError) as error:
        raise Exit(f"{error}\nNothing was written.", code=1)
    # What was written: the checks above accepted each as a whole number ("+3", " 3 " and "" too).
    written = {column: int(str(value).strip() or 0) for column, value in counts.items()}
    added = [", ".join([name, *(_some(written[c], c) for c in ("letters", "cards", "emails"))])] if name else []
    if participants.strip():
        added.append(_some(written["participants"], "participants"))
    # add_row returns once the row is on disk: only then is it "Added".
    print(printable(f"Added to {os.path.relpath(path)}: {'; '.join(added)}."))


@task(
    help={
        "csv": "write the report as CSV to this file instead (- for the screen)",
        "force": "write over the CSV file if it exists",
    }
)
def report(c, csv=None, force=False):
    """The numbers for Amnesty's reporting form: actions per case and in total, letters, cards
    and e-mails apart, participants."""
    settings = _settings()
    if csv and csv != "-":
        _check_report_path(Path(csv), Path(tally_api.csv_path(settings)), force)
    try:
        result = tally_api.read_tally(settings)
    except (tally_api.TallyError, tally_api.SettingError) as error:
        raise Exit(str(error), code=1)
    header = ["Case", "Country", "Letters", "Cards", "E-mails", "Total"]
    rows = [
        [case[key] for key in ("title", "country", "letters", "cards", "emails", "total")]
        for case in (r.as_dict() for r in result.cases)
    ]
    rows.append(["All cases", "", result.letters, result.cards, result.emails, result.total])
    people = result.participants
    if csv:
        # Participants on the totals row: the file reads back as a tally with the same numbers.
        table = spreadsheet_safe(
            [
                [*header, "Participants"],
                *[[*row, ""] for row in rows[:-1]],
                [*rows[-1], "" if people is None else people],
            ]
        )
        if csv == "-":
            csv_writer(sys.stdout).writerows(table)
        else:
            try:
                with open(csv, "w" if force else "x", encoding="utf-8", newline="") as out:
                    csv_writer(out).writerows(table)
            except OSError as error:  # no permission, a full disk: one line, not a traceback
                raise Exit(
                    f"{csv}: {error.strerror or error}. Write the report elsewhere, e.g. --csv report.csv.", code=1
                )
            print(f"Wrote the report to {csv}.")
        return
    print(_text_table(header, [[printable(str(r[0])), printable(str(r[1])), *r[2:]] for r in rows]))
    if not result.reported:
        print("\nNo letters have been counted yet.")
    elif result.goal:
        print(f"\n{result.total:,} actions: {result.percent} % of our goal of {result.goal:,}.")
    numbers = {
        "Letters": result.letters,
        "Cards": result.cards,
        "E-mails": result.emails,
        "Actions in total": result.total,
        "Participants": people,
    }
    label_width = max(map(len, numbers))
    number_width = max(len(f"{n:,}") for n in numbers.values() if n is not None)
    print("\nFor Amnesty's reporting form (actions per case: the Total column above):")
    for label, n in numbers.items():
        value = "not recorded (add them: invoke tally --participants N)" if n is None else f"{n:,}".rjust(number_width)
        print(f"  {label.ljust(label_width)}  {value}")


def _check_report_path(path: Path, tally: Path, force: bool) -> None:
    """The report never writes over the tally, nor over any file without --force."""
    if path.resolve() == tally.resolve():
        raise Exit(
            f"{path} is the tally CSV itself: write the report to another file, "
            "e.g. --csv report.csv. Nothing was written.",
            code=1,
        )
    if path.is_dir():
        raise Exit(f"{path} is a folder: give a file name, e.g. --csv report.csv.", code=1)
    if not path.parent.is_dir():
        raise Exit(
            f"{path}: there is no folder {path.parent}. Create it or write the report elsewhere, "
            "e.g. --csv report.csv. Nothing was written.",
            code=1,
        )
    if path.exists() and not force:
        raise Exit(
            f"{path} already exists. Add --force to write over it, or choose another name. Nothing was written.", code=1
        )


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(rows: list[list]) -> list[list]:
    """Cells a spreadsheet would run as a formula start with a ' instead
    (OWASP's advice against CSV injection); numbers stay numbers."""
    return [
        [f"'{cell}" if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell for cell in row]
        for row in rows
    ]


def _text_table(header: list[str], rows: list[list]) -> str:
    """Columns lined up, numbers with thousands separators, totals ruled off."""
    table = [header] + [[*row[:2], *(f"{n:,}" for n in row[2:])] for row in rows]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))).rstrip()
        for row in table
    ]
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([lines[0], rule, *lines[1:-1], rule, lines[-1]])


@task(
    help={
        "quick": "tiny inputs and single runs, no Lighthouse: seconds, not minutes",
        "output": "write the report here instead of BENCHMARKS.md",
    }
)
def bench(c, quick=False, output=None):
    """Run the benchmarks (bench/bench.py): print them and write BENCHMARKS.md."""
    venv_python = ROOT / ".venv" / "bin" / "python"
    command = [str(venv_python if venv_python.exists() else sys.executable), str(ROOT / "bench" / "bench.py")]
    if quick:
        command.append("--quick")
    if output:
        command += ["--output", str(output)]
    c.run(shlex.join(command), pty=False)


def _print_pack(name: str, site: Path, shown_as: Path):
    """Print every case page of the built `site` into site/<name>
    (plugins/event/casesheets.py); None, saying why, if it cannot be.
    Messages name the folder as `shown_as` (a build is printed before its swap)."""
    from pelican.plugins.event.casesheets import PackError, make_pack

    try:
        return make_pack(site, name)
    except PackError as error:
        print(f"Could not print the case-sheet pack ({shown_as.name}/{name}): {error}.", file=sys.stderr)
        return None


def _say_printed(pack, name: str, folder: Path) -> None:
    from pelican.plugins.event.casesheets import PAPER

    print(f"Printed {len(pack.cases)} case sheets into {folder.name}/{name}.")
    for sheet in pack.long_sheets:
        print(f"  {sheet} does not fit on one {PAPER} sheet: shorten that case page.", file=sys.stderr)


@task
def flyer(c):
    """Print the flyer (A4 and Letter, with a QR code of the public address) into output/flyer.pdf."""
    from pelican.plugins.event.examples import example_values
    from pelican.plugins.event.flyer import FlyerError, address_problem, make_flyer, render, what_to_bring

    settings = _settings(PUBLISH_SETTINGS)
    url = settings["SITEURL"]
    if problem := address_problem(url):
        raise Exit(
            f"No flyer: its QR code would lead to SITEURL {url!r} from publishconf.py, and {problem}. "
            "Set your site's public address there (or SITEURL=https://... in the environment).",
            code=1,
        )
    if found := example_values(settings):
        raise Exit(
            f"No flyer: the site still has {len(found)} example value{'s' if len(found) > 1 else ''} "
            f'(first: {str(found[0]).rstrip(".")}). Make the site yours first (see "Make it yours" in README.md).',
            code=1,
        )
    home = OUTPUT / "index.html"
    if not home.exists():
        raise Exit(f"No flyer: there is no built site in {OUTPUT.name}/. Build it first (invoke build).", code=1)
    bring = what_to_bring(home.read_text(encoding="utf-8"))
    if bring is None:
        raise Exit(
            'No flyer: the invitation (content/pages/invitation.md) has no "What to bring" list, '
            'which the flyer prints. Add the heading "## What to bring" and a list under it.',
            code=1,
        )
    try:
        html = render(
            settings["EVENT"], settings["SITENAME"], url, bring, template_dirs=[Path(settings["THEME"]) / "templates"]
        )
        make_flyer(html, OUTPUT / "flyer.pdf")
    except FlyerError as error:
        raise Exit(f"No flyer: {error}.", code=1)
    print(f"Printed the flyer into {OUTPUT.name}/flyer.pdf (page 1 A4, page 2 US Letter); its QR code leads to {url}")


@task
def casesheets(c):
    """Print every case sheet of the public build (output-preview/) into one PDF (needs Chromium)."""
    name = _settings(PUBLISH_SETTINGS).get("CASE_SHEETS_PDF") or "case-sheets.pdf"
    if not (pack := _print_pack(name, PREVIEW_OUTPUT, PREVIEW_OUTPUT)):
        raise Exit(code=1)
    _say_printed(pack, name, PREVIEW_OUTPUT)
