"""invoke gh-pages: the public build pushed to a branch of origin with
ghp-import, refused before anything is built when that branch is checked out
(it would be pushed over the site's own source) or there is no origin."""

from __future__ import annotations

import subprocess

from invoke import Exit

from organizer.project import NOTHING_PUBLISHED, PREVIEW_OUTPUT, PUBLISH_SETTINGS, settings
from organizer.publishing import build_public, refuse_example_values
from organizer.site_output import sigterm_as_interrupt


def gh_pages() -> None:
    """Build the public site and push it to the GITHUB_PAGES_BRANCH of origin."""
    from ghp_import import GhpError, ghp_import

    refuse_example_values()
    branch = settings(PUBLISH_SETTINGS)["GITHUB_PAGES_BRANCH"]
    _check_pages_branch(branch)
    build_public(for_upload=True)
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
