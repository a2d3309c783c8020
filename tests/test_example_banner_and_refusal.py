"""Example values shown and refused (issue 12): the public commands and the public
build stop before building, even from a fresh clone, and every local page shows the banner."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import (
    PUBLISH_SETTINGS,
    ROOT,
    SHIPPED_EXAMPLES,
    build,
    copy_content,
    copy_project,
    invoke,
    our_event,
    run_pelican,
)
from html_tools import visible_text


@pytest.mark.parametrize("task", ["preview", "publish", "gh-pages"])
def test_public_commands_refuse_example_values_before_building(tmp_path, task):
    project = copy_project(tmp_path / "project", ours=False)
    target = tmp_path / "server"
    target.mkdir()
    result = invoke(project, task, PUBLISH_TARGET=f"{target}/")
    assert result.returncode != 0
    message = result.stderr
    assert "The site still has 11 example values, so nothing was built or published" in message
    for setting in SHIPPED_EXAMPLES:
        assert setting in message
    assert "Traceback" not in message
    assert not (project / "output").exists() and list(target.iterdir()) == []


def test_a_fresh_clone_refuses_to_publish_and_leaves_the_target_empty(tmp_path):
    if (
        not shutil.which("git")
        or subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True).returncode != 0
    ):
        pytest.skip("the project is not a git repository here")
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "checkout", "--quiet", head], check=True)
    target = tmp_path / "server"
    target.mkdir()
    result = invoke(clone, "publish", PUBLISH_TARGET=f"{target}/")
    assert result.returncode != 0
    for setting in SHIPPED_EXAMPLES:
        assert setting in result.stderr
    assert list(target.iterdir()) == [] and not (clone / "output").exists()


def test_every_local_page_shows_the_example_banner(site):
    pages = list(site.rglob("*.html"))
    assert len(pages) >= 16
    for page in pages:
        text = visible_text(page.read_text(encoding="utf-8"))
        assert "This site still has example details" in text, page.name
        assert "120 Example Street" in text.split("Skip to content")[1][:2000], page.name


def test_a_site_made_ours_shows_no_banner_locally_or_in_public(tmp_path):
    local = build(copy_content(tmp_path / "a"), tmp_path / "local", **our_event())
    public = build(copy_content(tmp_path / "b"), tmp_path / "public", PUBLISH_SETTINGS, **our_event(PUBLISH_SETTINGS))
    for output in (local, public):
        for page in output.rglob("*.html"):
            assert "example-banner" not in page.read_text(encoding="utf-8"), page


def test_a_public_build_with_example_values_stops_and_keeps_the_output(tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("the site that was there")
    result = run_pelican(copy_content(tmp_path), output, "--delete-output-directory", settings_file=PUBLISH_SETTINGS)
    message = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0 and "Traceback" not in message
    assert "The site still has 11 example values" in message and "venue in event.toml" in message
    assert (output / "index.html").read_text() == "the site that was there"
