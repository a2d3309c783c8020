"""invoke gh-pages: the site pushed to its own branch of origin, and refused
in one line for the branch the project is on, a branch checked out elsewhere,
no origin, and a Ctrl-C during the push."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from command_tools import one_line, without_case_sheets
from conftest import invoke, invoke_running, wait_for

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
