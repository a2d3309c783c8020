"""The organizer's commands under accidents: odd umasks, Ctrl-C, a symlinked
output/, odd tally paths, many adds at once, a report aimed at the wrong
file. Run in a private copy of the project, as the organizer runs them."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import invoke, invoke_running, read, tally_csv, wait_for


def tree_hash(folder: Path) -> str:
    """Every path, mode and byte of a tree."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(f"{path.relative_to(folder)} {stat.S_IMODE(path.lstat().st_mode):o}\n".encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def modes(folder: Path) -> set[tuple[str, str]]:
    """(kind, mode) of the folder and of everything in it."""
    return {
        ("folder" if p.is_dir() else "file", oct(stat.S_IMODE(p.stat().st_mode))) for p in [folder, *folder.rglob("*")]
    }


def staging_left(project: Path) -> list[str]:
    return sorted(p.name for p in project.rglob(".output*"))


def without_case_sheets(project: Path) -> None:
    with open(project / "publishconf.py", "a", encoding="utf-8") as settings:
        settings.write("\nCASE_SHEETS_PDF = None\n")


# 3. A published site the public can read ------------------------------------


def test_build_and_publish_give_readable_modes_whatever_the_umask(project, tmp_path):
    without_case_sheets(project)
    result = invoke(project, "build", umask=0o077)
    assert result.returncode == 0, result.stderr
    assert modes(project / "output") == {("folder", "0o755"), ("file", "0o644")}

    target = tmp_path / "www"
    result = invoke(project, "publish", umask=0o077, PUBLISH_TARGET=f"{target}/")
    assert result.returncode == 0, result.stderr
    assert (target / "index.html").exists() and (target / "feeds").is_dir()
    assert modes(target) == {("folder", "0o755"), ("file", "0o644")}
    assert modes(project / "output-preview") == {("folder", "0o755"), ("file", "0o644")}


# 7. Interruptions and odd files ---------------------------------------------


def test_output_as_a_symlink_keeps_the_link_and_replaces_its_target(project, tmp_path):
    web_root = tmp_path / "www" / "letters"
    web_root.mkdir(parents=True)
    (web_root / "old.html").write_text("old", encoding="utf-8")
    (project / "output").symlink_to(web_root)
    assert invoke(project, "build").returncode == 0
    tally_csv(project).write_text("case,letters\nAnnie Alfred,7\n", encoding="utf-8")
    result = invoke(project, "build")
    assert result.returncode == 0, result.stderr
    assert (project / "output").is_symlink() and os.readlink(project / "output") == str(web_root)
    assert json.loads(read(web_root, "tally.json"))["total"] == 7
    assert not (web_root / "old.html").exists()
    assert sorted(p.name for p in web_root.parent.iterdir()) == ["letters"]  # no staging left


@pytest.mark.parametrize("how", ["Ctrl-C", "SIGTERM"])
def test_an_interrupted_build_leaves_output_as_it_was(project, how):
    original = tally_csv(project).read_bytes()
    outcomes = set()
    for delay in (0.2, 0.5, 0.8, 1.2, 2.0, 3.0):
        tally_csv(project).write_bytes(original)
        assert invoke(project, "build").returncode == 0
        before = tree_hash(project / "output")
        tally_csv(project).write_text("case,letters\nAnnie Alfred,7\n", encoding="utf-8")
        build = invoke_running(project, "build")
        time.sleep(delay)
        if how == "Ctrl-C":
            os.killpg(build.pid, signal.SIGINT)  # the terminal signals the whole foreground group
        else:
            os.kill(build.pid, signal.SIGTERM)
        _, errors = build.communicate(timeout=120)
        assert staging_left(project) == [], errors
        if tree_hash(project / "output") == before:
            outcomes.add("old site")
        else:  # the signal came after the swap: the new site, whole
            assert json.loads(read(project / "output", "tally.json"))["total"] == 7
            assert (project / "output" / "index.html").exists()
            outcomes.add("new site")
    assert "old site" in outcomes


def make_fifo(path):
    path.unlink()
    os.mkfifo(path)


def make_folder(path):
    path.unlink()
    path.mkdir()


def make_dangling_link(path):
    path.unlink()
    path.symlink_to(path.with_name("moved-away.csv"))


@pytest.mark.parametrize(
    "make, message",
    [
        (make_fifo, "content/data/tally.csv: is a named pipe (FIFO), not a CSV file."),
        (make_folder, "a folder"),  # the settings check or the reader, whichever comes first
        (make_dangling_link, "content/data/tally.csv: is a link to"),
    ],
)
@pytest.mark.parametrize("task", ["build", "report"])
def test_an_odd_tally_path_is_a_clear_error_never_a_hang(project, make, message, task):
    make(tally_csv(project))
    result = invoke(project, task)  # a hang would time out
    text = " ".join(result.stderr.split())
    assert result.returncode != 0 and message in text and "Traceback" not in text
    assert "nothing has been counted" not in (result.stdout + result.stderr).lower()


# Each kind of failed build leaves output/ byte for byte -----------------------


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


FAILURES = {
    "unknown count column": lambda p: tally_csv(p).write_text("case,letters,Cards sent\nAnnie Alfred,1,2\n"),
    "count above the ceiling": lambda p: tally_csv(p).write_text("case,letters\nAnnie Alfred,100000\n"),
    "UTF-16 without a mark": lambda p: tally_csv(p).write_bytes("case,letters\nAnnie Alfred,1\n".encode("utf-16-le")),
    "tally is a FIFO": lambda p: make_fifo(tally_csv(p)),
    "tally is a dangling link": lambda p: make_dangling_link(tally_csv(p)),
    "case without an address": lambda p: _edit(p / "content/cases/annie-alfred.md", "Address:", "Adress:"),
    "unreadable date": lambda p: _edit(p / "content/posts/results.md", "Date: ", "Date: soon "),
    "two pages, one slug": lambda p: shutil.copy(p / "content/cases/annie-alfred.md", p / "content/pages"),
    "names that fold together": lambda p: _edit(
        p / "content/cases/eren-keskin.md", "Title: Eren Keskin", "Title: ANNIE ALFRED"
    ),
}


@pytest.mark.parametrize("kind", FAILURES)
def test_every_kind_of_failed_build_leaves_output_byte_identical(project, kind):
    assert invoke(project, "build").returncode == 0
    before = tree_hash(project / "output")
    FAILURES[kind](project)
    result = invoke(project, "build")
    assert result.returncode != 0
    text = " ".join(result.stderr.split())
    assert "Traceback" not in text and "output/ was left exactly as it was" in text
    assert tree_hash(project / "output") == before
    assert staging_left(project) == []


# 2. Adds from many terminals at once ------------------------------------------


def test_adds_from_several_terminals_at_once_all_land(project):
    tally_csv(project).write_text("case,letters,cards,emails\n", encoding="utf-8")
    adds = [invoke_running(project, "tally", "--case", "Annie Alfred", "--letters", str(n)) for n in range(1, 7)]
    results = [add.communicate(timeout=180) for add in adds]
    assert [add.returncode for add in adds] == [0] * 6, results
    assert all(out.startswith("Added to content/data/tally.csv: Annie Alfred") for out, _ in results)
    rows = list(csv.reader(tally_csv(project).open(encoding="utf-8")))[1:]
    assert sorted(int(row[1]) for row in rows) == [1, 2, 3, 4, 5, 6]


def test_tally_refuses_a_count_above_the_ceiling_and_escapes_what_it_echoes(project):
    before = tally_csv(project).read_bytes()
    result = invoke(project, "tally", "--case", "Annie\x1b[2JAlfred", "--letters", "20000")
    assert result.returncode != 0 and "\x1b" not in result.stderr and "\\x1b[2J" in result.stderr
    result = invoke(project, "tally", "--case", "Annie Alfred", "--letters", "20000")
    assert result.returncode != 0 and "more than 10,000" in result.stderr
    assert tally_csv(project).read_bytes() == before


# 4. The report never destroys data ---------------------------------------------


def test_report_refuses_to_write_over_a_file_unless_forced(project, tmp_path):
    out = tmp_path / "report.csv"
    out.write_text("my notes\n", encoding="utf-8")
    result = invoke(project, "report", "--csv", str(out))
    assert result.returncode != 0 and "already exists" in result.stderr and "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "my notes\n"
    assert invoke(project, "report", "--csv", str(out), "--force").returncode == 0
    assert out.read_text(encoding="utf-8").startswith("Case,Country,Letters")


@pytest.mark.parametrize("spelling", ["content/data/tally.csv", "./content/data/../data/tally.csv", "link.csv"])
def test_report_never_writes_over_the_tally(project, spelling):
    (project / "link.csv").symlink_to(tally_csv(project))
    before = tally_csv(project).read_bytes()
    result = invoke(project, "report", "--csv", spelling, "--force")
    assert result.returncode != 0 and "is the tally CSV itself" in result.stderr
    assert tally_csv(project).read_bytes() == before


def test_report_csv_cannot_run_as_a_formula_and_reads_back_as_the_same_tally(project, tmp_path):
    _edit(project / "content/cases/annie-alfred.md", "Title: Annie Alfred", "Title: =HYPERLINK(1+1)")
    _edit(project / "content/cases/annie-alfred.md", "Country: Malawi", "Country: @Malawi")
    _edit(project / "content/cases/eren-keskin.md", "Country: Turkey", "Country: -Turkey")
    tally_csv(project).write_text(
        "case,letters,cards,emails,participants\nannie-alfred,3,2,1,10\nEren Keskin,4,,,\n,,,,5\n", encoding="utf-8"
    )
    out = tmp_path / "report.csv"
    assert invoke(project, "report", "--csv", str(out)).returncode == 0
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert ["'=HYPERLINK(1+1)", "'@Malawi", "3", "2", "1", "6", ""] in rows
    assert ["Eren Keskin", "'-Turkey", "4", "0", "0", "4", ""] in rows
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)

    # The round trip: the report, used as the tally, gives every case the same numbers.
    assert rows[-1] == ["All cases", "", "7", "2", "1", "10", "15"]
    first = invoke(project, "report").stdout
    assert "Participants 15" in " ".join(first.split())
    shutil.copy(out, tally_csv(project))
    result = invoke(project, "report")
    assert result.returncode == 0, result.stderr
    assert result.stdout == first
    result = invoke(project, "build")
    assert result.returncode == 0, result.stderr
    assert "skipped the totals row on line 14 of the tally" in result.stdout


# 1. A totals row is skipped, said so, and checked ---------------------------------


def test_a_totals_row_is_skipped_in_the_build_summary_and_warned_about_when_wrong(project):
    tally_csv(project).write_text(
        "case,letters,e-mails\nAnnie Alfred,3,1\nEren Keskin,4,\nTotal,8,1\n", encoding="utf-8"
    )
    result = invoke(project, "build")
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert "skipped the totals row on line 4 of the tally; 8 actions counted" in last
    warning = " ".join((result.stdout + result.stderr).split())
    assert (
        'content/data/tally.csv, line 4: the totals row "Total" says 8 letters where the rows above add up to 7.'
    ) in warning
    assert json.loads(read(project / "output", "tally.json"))["letters"] == 7


# The public build and its case-sheet pack ------------------------------------


def fake_chromium(folder: Path, body: str) -> Path:
    """An executable where Chromium should be: `body` is its shell script
    (it touches chromium.started first, to say printing has begun)."""
    path = folder / "chromium"
    path.write_text(f'#!/bin/sh\ntouch "$0.started"\n{body}\n', encoding="utf-8")
    path.chmod(0o755)
    return path


def previous_preview(project: Path) -> str:
    """output-preview/ built once (without Chromium: no pack, no link to it); its hash."""
    result = invoke(project, "preview", CHROMIUM_PATH=str(project / "no-chromium"))
    assert result.returncode == 0, result.stderr
    assert "Print all case sheets" not in read(project / "output-preview", "cases.html")
    return tree_hash(project / "output-preview")


def test_a_case_sheet_pack_that_cannot_be_printed_leaves_output_preview_as_it_was(project, tmp_path):
    before = previous_preview(project)
    tally_csv(project).write_text("case,letters\nAnnie Alfred,7\n", encoding="utf-8")
    chromium = fake_chromium(tmp_path, "exit 1")  # starts, then fails: Playwright cannot launch it
    result = invoke(project, "preview", CHROMIUM_PATH=str(chromium))
    assert result.returncode != 0
    text = " ".join(result.stderr.split())
    assert "Could not print the case-sheet pack (output-preview/case-sheets.pdf)" in text
    assert "output-preview/ was left exactly as it was" in text and "CASE_SHEETS_PDF = None" in text
    assert "Traceback" not in text
    assert tree_hash(project / "output-preview") == before
    assert staging_left(project) == []


def test_ctrl_c_while_the_case_sheets_print_leaves_output_preview_as_it_was(project, tmp_path):
    before = previous_preview(project)
    tally_csv(project).write_text("case,letters\nAnnie Alfred,7\n", encoding="utf-8")
    chromium = fake_chromium(tmp_path, "exec sleep 60")  # printing never ends: Ctrl-C must
    preview = invoke_running(project, "preview", CHROMIUM_PATH=str(chromium))
    assert wait_for(lambda: Path(f"{chromium}.started").exists(), seconds=120)
    os.killpg(preview.pid, signal.SIGINT)
    _, errors = preview.communicate(timeout=60)
    assert preview.returncode != 0
    assert [line for line in errors.splitlines() if line.strip()] == [
        "Build stopped: output-preview/ was left exactly as it was."
    ]
    assert tree_hash(project / "output-preview") == before
    assert staging_left(project) == []


# Where invoke publish uploads (PUBLISH_TARGET) -------------------------------

needs_rsync = pytest.mark.skipif(not shutil.which("rsync"), reason="rsync is not installed")


def rsync_wrapper(folder: Path, upload: str) -> dict:
    """The environment for an invoke whose `rsync` is a script in `folder`:
    a dry run (-n) runs the real rsync, the upload runs `upload` after touching
    rsync.uploading. Returns the environment variables to add."""
    script = folder / "rsync"
    real = shutil.which("rsync") or "/usr/bin/rsync"
    script.write_text(
        f'#!/bin/sh\ncase " $* " in *" -n "*) exec {real} "$@";; esac\ntouch "$0.uploading"\n{upload}\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    return {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}


def one_line(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


@needs_rsync
def test_publish_into_an_empty_folder_then_again_removes_what_the_site_no_longer_has(project, tmp_path):
    without_case_sheets(project)
    target = tmp_path / "www" / "letters"
    target.parent.mkdir()
    assert invoke(project, "publish", PUBLISH_TARGET=f"{target}/").returncode == 0
    assert json.loads(read(target, "tally.json"))["total"] == 42
    (target / "a-case-taken-off.html").write_text("stale", encoding="utf-8")  # published before, gone since
    tally_csv(project).write_text("case,letters\nAnnie Alfred,7\n", encoding="utf-8")
    result = invoke(project, "publish", PUBLISH_TARGET=f"{target}/")
    assert result.returncode == 0, result.stderr
    assert json.loads(read(target, "tally.json"))["total"] == 7
    assert not (target / "a-case-taken-off.html").exists()
    assert tree_hash(target) == tree_hash(project / "output-preview")


@needs_rsync
def test_publish_refuses_a_folder_of_other_files_and_touches_nothing(project, tmp_path):
    without_case_sheets(project)
    target = tmp_path / "sandbox"
    (target / "photos").mkdir(parents=True)
    for name in ("notes.txt", "photos/evening.jpg", "todo.md", "zines.pdf"):
        (target / name).write_text(name, encoding="utf-8")
    before = tree_hash(target)
    result = invoke(project, "publish", PUBLISH_TARGET=f"{target}/")
    assert result.returncode != 0
    assert one_line(result) == (
        f"PUBLISH_TARGET {target}/ holds 4 files this site does not have (notes.txt, photos/evening.jpg, todo.md, "
        "...) and no site published from here: publishing would delete them. Publish into an empty folder or one "
        "this site was published to before. Nothing was published."
    )
    assert tree_hash(target) == before  # nothing deleted, nothing uploaded


@pytest.mark.parametrize(
    "target, what",
    [
        (".", "this project's own folder"),
        ("{project}", "this project's own folder"),
        ("{project}/..", "a folder that holds this project"),
        ("output/", "a folder inside this project"),
        ("/", "the top folder of this computer"),
        ("~", "your home folder"),
        ("me@example.org:", "the home folder of me on example.org"),
        ("example.org:~/", "your home folder on example.org"),
        ("me@example.org:/", "the top folder of example.org"),
    ],
)
def test_publish_refuses_a_target_it_would_wreck_before_building_or_running_rsync(project, tmp_path, target, what):
    target = target.format(project=project)
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "rsync").write_text('#!/bin/sh\ntouch "$0.ran"\nexit 99\n', encoding="utf-8")  # were it run at all
    (tmp_path / "rsync").chmod(0o755)
    path = f"{tmp_path}{os.pathsep}{os.environ['PATH']}"
    before = project_files(project)
    result = invoke(project, "publish", PUBLISH_TARGET=target, HOME=str(home), PATH=path)
    assert result.returncode == 2
    assert one_line(result).startswith(f'PUBLISH_TARGET is "{target}", {what}: publishing there would delete')
    assert "Nothing was published." in result.stderr
    assert not (tmp_path / "rsync.ran").exists() and not (project / "output-preview").exists()
    assert project_files(project) == before


def project_files(project: Path) -> dict[str, bytes]:
    """Every file of the project but Python's own caches."""
    return {str(p): p.read_bytes() for p in project.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


@needs_rsync
def test_ctrl_c_during_the_upload_leaves_the_published_site_as_it_was_and_says_so(project, tmp_path):
    without_case_sheets(project)
    target = tmp_path / "www"
    assert invoke(project, "publish", PUBLISH_TARGET=f"{target}/").returncode == 0
    before = tree_hash(target)
    tally_csv(project).write_text("case,letters\nAnnie Alfred,7\n", encoding="utf-8")
    (project / "theme" / "static" / "big.bin").write_bytes(os.urandom(600_000))  # new, slow to upload
    real = shutil.which("rsync")
    env = rsync_wrapper(tmp_path, f'exec {real} --bwlimit=50 "$@"')  # 50 kB/s: 12 s for big.bin
    publish = invoke_running(project, "publish", **env, PUBLISH_TARGET=f"{target}/")
    assert wait_for(lambda: (tmp_path / "rsync.uploading").exists(), seconds=120)
    time.sleep(1.5)
    os.killpg(publish.pid, signal.SIGINT)
    _, errors = publish.communicate(timeout=60)
    assert publish.returncode != 0
    assert [line for line in errors.splitlines() if line.strip()] == [
        f"Publishing was stopped: the site at {target}/ may be partly updated; run `invoke publish` again."
    ]
    # Changed files wait in rsync's .~tmp~ folders until all are there: none was put in place yet.
    for partial in target.rglob(".~tmp~"):
        shutil.rmtree(partial)
    assert tree_hash(target) == before
    # Publishing again finishes the job, rsync's folders included.
    assert invoke(project, "publish", PUBLISH_TARGET=f"{target}/").returncode == 0
    assert tree_hash(target) == tree_hash(project / "output-preview")
    assert json.loads(read(target, "tally.json"))["total"] == 7 and (target / "theme" / "big.bin").exists()


# invoke gh-pages ---------------------------------------------------------------

needs_git = pytest.mark.skipif(not shutil.which("git"), reason="git is not installed")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Robin Writer",
    "GIT_AUTHOR_EMAIL": "letters@w4r-group42.org",
    "GIT_COMMITTER_NAME": "Robin Writer",
    "GIT_COMMITTER_EMAIL": "letters@w4r-group42.org",
    "GIT_CONFIG_GLOBAL": os.devnull,  # none of this machine's settings
}


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=folder, capture_output=True, text=True, env={**os.environ, **GIT_ENV}, check=True
    )
    return done.stdout.strip()


def on_github(project: Path, tmp_path: Path) -> Path:
    """The project as a git repository on branch main, pushed to a bare
    repository standing in for GitHub as its origin; returns the origin."""
    shutil.copy(Path(__file__).resolve().parent.parent / ".gitignore", project)
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(origin))
    git(project, "init", "--quiet", "--initial-branch=main")
    git(project, "config", "user.name", GIT_ENV["GIT_AUTHOR_NAME"])
    git(project, "config", "user.email", GIT_ENV["GIT_AUTHOR_EMAIL"])
    git(project, "add", "-A")
    git(project, "commit", "--quiet", "-m", "Our site")
    git(project, "remote", "add", "origin", str(origin))
    git(project, "push", "--quiet", "origin", "main")
    return origin


def repository_state(project: Path, origin: Path) -> tuple[str, str, str, str]:
    """The branch checked out, its commit here and on origin, what git status says."""
    return (
        git(project, "symbolic-ref", "--short", "HEAD"),
        git(project, "rev-parse", "main"),
        git(origin, "rev-parse", "main"),
        git(project, "status", "--porcelain"),
    )


@needs_git
def test_gh_pages_pushes_the_site_to_its_own_branch_and_leaves_the_source_alone(project, tmp_path):
    without_case_sheets(project)
    origin = on_github(project, tmp_path)
    before = repository_state(project, origin)
    result = invoke(project, "gh-pages", **GIT_ENV)
    assert result.returncode == 0, result.stderr
    assert repository_state(project, origin) == before
    published = git(origin, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    assert "index.html" in published and ".nojekyll" in published and "pelicanconf.py" not in published


@needs_git
def test_gh_pages_refuses_the_branch_the_project_is_on(project, tmp_path):
    origin = on_github(project, tmp_path)
    before = repository_state(project, origin)
    result = invoke(project, "gh-pages", GITHUB_PAGES_BRANCH="main", **GIT_ENV)
    assert result.returncode == 2
    assert one_line(result).startswith(
        'GITHUB_PAGES_BRANCH is "main", the branch this project is on: publishing would put the built site in place '
        "of its files and push it over them. Set GITHUB_PAGES_BRANCH to another branch (gh-pages)"
    )
    assert repository_state(project, origin) == before  # origin's main still holds the source
    assert not (project / "output-preview").exists()  # refused before building


@needs_git
def test_gh_pages_refuses_a_branch_checked_out_in_another_worktree(project, tmp_path):
    on_github(project, tmp_path)
    pages = tmp_path / "pages"
    git(project, "worktree", "add", "--quiet", "-b", "gh-pages", str(pages))
    result = invoke(project, "gh-pages", **GIT_ENV)
    assert result.returncode == 2
    assert one_line(result).startswith(
        f'GITHUB_PAGES_BRANCH is "gh-pages", the branch checked out in {pages.resolve()}:'
    )
    assert git(pages, "status", "--porcelain") == ""


@needs_git
def test_gh_pages_without_an_origin_says_so_in_one_line(project, tmp_path):
    on_github(project, tmp_path)
    git(project, "remote", "remove", "origin")
    result = invoke(project, "gh-pages", **GIT_ENV)
    assert result.returncode == 2
    assert one_line(result).startswith(
        'invoke gh-pages pushes to the git remote "origin", and this repository has none'
    )


@needs_git
def test_ctrl_c_during_the_push_to_github_is_one_line(project, tmp_path):
    without_case_sheets(project)
    origin = on_github(project, tmp_path)
    bin = tmp_path / "bin"
    bin.mkdir()
    (bin / "git").write_text(  # a push that hangs until Ctrl-C; every other git command as usual
        f'#!/bin/sh\nif [ "$1" = push ]; then touch "$0.pushing"; exec sleep 60; fi\nexec {shutil.which("git")} "$@"\n',
        encoding="utf-8",
    )
    (bin / "git").chmod(0o755)
    gh_pages = invoke_running(project, "gh-pages", **GIT_ENV, PATH=f"{bin}{os.pathsep}{os.environ['PATH']}")
    assert wait_for(lambda: (bin / "git.pushing").exists(), seconds=120)
    os.killpg(gh_pages.pid, signal.SIGINT)
    _, errors = gh_pages.communicate(timeout=60)
    assert gh_pages.returncode != 0
    assert [line for line in errors.splitlines() if line.strip()] == [
        "Publishing was stopped: the gh-pages branch on origin holds the old site or the new one "
        "(a push is whole or nothing); run `invoke gh-pages` again."
    ]
    assert git(origin, "branch", "--list", "gh-pages") == ""  # nothing reached origin


@pytest.mark.parametrize("when", ["before the swap", "as the swap ends"])
def test_a_ctrl_c_says_which_site_output_holds(in_project, monkeypatch, capsys, when):
    """Ctrl-C is held back while the new site is swapped in and strikes as
    the swap ends: the message must then say the new site is there."""
    from organizer import building

    project = in_project
    assert building.build_site(project / "pelicanconf.py", project / "output")
    tally_csv(project).write_text("case,letters\nAnnie Alfred,7\n", encoding="utf-8")
    real_swap = building.replace_site

    def interrupted(staging, output, **kwargs):
        if when == "as the swap ends":
            real_swap(staging, output, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(building, "replace_site", interrupted)
    with pytest.raises(KeyboardInterrupt):
        building.build_site(project / "pelicanconf.py", project / "output")
    said = capsys.readouterr().err.strip()
    total = json.loads(read(project / "output", "tally.json"))["total"]
    if when == "as the swap ends":
        assert said == "Build stopped: it had just finished, and output/ holds the new site." and total == 7
    else:
        assert said == "Build stopped: output/ was left exactly as it was." and total == 42
    assert staging_left(project) == []


SWAPPER = """
import sys
from pathlib import Path
from organizer.site_output import new_staging, swap_in

output, failed = Path(sys.argv[1]), 0
for number in range(400):
    staging = new_staging(output)
    (staging / "index.html").write_text(str(number))
    try:
        swap_in(staging, output)
    except OSError:
        failed += 1
print(failed)
"""


def test_two_builds_swapping_one_site_at_once_never_collide(tmp_path):
    """make serve and invoke build may finish at the same moment: their
    renames must not interleave (one failed with 'Directory not empty')."""
    root = Path(__file__).resolve().parent.parent
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", SWAPPER, str(tmp_path / "output")], cwd=root, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    assert [run.communicate(timeout=120)[0].strip() for run in runs] == ["0", "0"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


@needs_rsync
def test_results_counted_on_the_night_are_not_published_under_a_later_date(project, tmp_path):
    """The evening is on Saturday; the shipped results post is dated Monday. Put
    up on Sunday, it would show readers a day that has not come."""
    without_case_sheets(project)
    target = tmp_path / "www"
    target.mkdir()
    sunday, tuesday = (str(int(datetime(2016, 12, day, 12, tzinfo=timezone.utc).timestamp())) for day in (11, 13))
    refused = invoke(project, "publish", PUBLISH_TARGET=f"{target}/", SOURCE_DATE_EPOCH=sunday)
    assert refused.returncode == 1 and list(target.iterdir()) == []
    assert (
        'content/posts/results.md, line 2: shows the results, but its "Date" 2016-12-12 10:00 has not come yet '
        "(now: 2016-12-11 07:00). Give it today's date, or publish on that day."
    ) in refused.stderr
    assert invoke(project, "preview", SOURCE_DATE_EPOCH=sunday).returncode == 1  # preview shows what publish would do
    published = invoke(project, "publish", PUBLISH_TARGET=f"{target}/", SOURCE_DATE_EPOCH=tuesday)
    assert published.returncode == 0, published.stderr
    assert (target / "results.html").exists()
