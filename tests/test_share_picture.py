"""The share picture (issue 16): a public build draws the counts into a PNG whose
name changes with them, and says how to install Pillow when it is missing."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from conftest import FIXTURE, OUR_SITEURL, copy_content, copy_project, public_with, read, run_pelican

SITEURL = OUR_SITEURL


def share_tags(html: str) -> dict[str, str]:
    tags = dict(re.findall(r'<meta (?:property|name)="((?:og|twitter):image[^"]*)" content="([^"]*)"', html))
    return {key: unescape(value) for key, value in tags.items()}


def share_picture(output: Path, page: str = "results.html") -> tuple[Path, dict[str, str]]:
    tags = share_tags(read(output, page))
    assert tags["og:image"] == tags["twitter:image"], page
    assert tags["og:image"].startswith(f"{SITEURL}/")
    return output / tags["og:image"][len(SITEURL) + 1 :], tags


def test_share_picture_shows_the_counts_at_its_declared_size(tmp_path):
    from PIL import Image

    output = public_with(tmp_path, FIXTURE, TALLY_GOAL=2000)
    picture, tags = share_picture(output)
    assert re.fullmatch(r"tally-[0-9a-f]{12}\.png", picture.name) and picture.parent.name == "images"
    with Image.open(picture) as image:
        assert image.format == "PNG"
        assert image.size == (int(tags["og:image:width"]), int(tags["og:image:height"])) == (1200, 630)
    assert (
        tags["og:image:alt"]
        == tags["twitter:image:alt"]
        == "Write for Rights 2016: 1,888 actions, 94 % of our goal of 2,000"
    )
    assert picture.stat().st_size < 100_000
    # Every page shares the same up-to-date picture once actions are counted.
    for page in ("index.html", "cases.html", "annie-alfred.html"):
        assert share_picture(output, page)[0] == picture


def test_new_counts_give_a_new_picture_under_a_new_name(tmp_path):
    from PIL import Image, ImageChops

    before, _ = share_picture(public_with(tmp_path / "a", FIXTURE))
    after, _ = share_picture(public_with(tmp_path / "b", FIXTURE + "Ilham Tohti,1,,\n"))
    again, _ = share_picture(public_with(tmp_path / "c", FIXTURE))
    assert before.name != after.name
    assert again.name == before.name  # the same numbers: the same name, so caches stay valid
    with Image.open(before) as old, Image.open(after) as new:
        assert ImageChops.difference(old.convert("RGB"), new.convert("RGB")).getbbox() is not None


def test_before_anything_is_counted_the_theme_picture_is_shared(tmp_path):
    output = public_with(tmp_path, None)
    picture, tags = share_picture(output, "index.html")
    assert picture == output / "theme" / "images" / "share.png" and picture.is_file()
    assert tags["og:image:alt"] == "Write for Rights: an evening of letters for human rights"
    assert not (output / "images").exists()


def test_share_picture_can_be_turned_off(tmp_path):
    output = public_with(tmp_path, FIXTURE, TALLY_SHARE_IMAGE=None)
    assert share_picture(output)[0] == output / "theme" / "images" / "share.png"


def test_without_pillow_the_build_says_how_to_install_it(tmp_path):
    project = copy_project(tmp_path / "project", tally=None)
    (project / "content" / "data" / "tally.csv").write_text(FIXTURE, encoding="utf-8")
    no_pillow = tmp_path / "no-pillow"
    no_pillow.mkdir()
    (no_pillow / "sitecustomize.py").write_text("import sys\nsys.modules['PIL'] = None  # as if not installed\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            "content",
            "-s",
            "publishconf.py",
            "-o",
            str(tmp_path / "out"),
            "--fatal",
            "errors",
            "--log-handler",
            "plain",
        ],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(no_pillow), "COLUMNS": "400"},
        capture_output=True,
        text=True,
    )
    message = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0 and "Traceback" not in message
    assert (
        'TALLY_SHARE_IMAGE needs Pillow to draw the picture: pip install "pelican-tally[image]" '
        "(or set TALLY_SHARE_IMAGE = None to keep the theme's picture)."
    ) in message


@pytest.mark.parametrize("pattern", ["images/tally.png", "images/tally-{key}.jpg", 42])
def test_a_share_picture_name_that_would_not_change_is_refused(tmp_path, pattern):
    content = copy_content(tmp_path)
    (content / "data" / "tally.csv").write_text(FIXTURE, encoding="utf-8")
    # Pelican's command line, as the organizer builds: a failed build in this
    # process would leave the sitemap plugin waiting for it for good.
    result = run_pelican(
        content, tmp_path / "out", "--log-handler", "plain", "-e", f"TALLY_SHARE_IMAGE={json.dumps(pattern)}"
    )
    message = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0 and "Traceback" not in message
    assert re.search(r"TALLY_SHARE_IMAGE is .*: give a \.png path with \{key\} in it", message), message


def test_the_plugin_works_without_pillow_until_a_picture_is_drawn():
    """Pillow is optional (the "image" extra): the plugin imports and names the
    picture without it. (Pelican's reST reader imports Pillow itself when it
    is there, so whether it is loaded says nothing about the plugin.)"""
    code = (
        "import sys; sys.modules['PIL'] = None  # as if not installed\n"
        "import pelican.plugins.tally.generator\n"
        "from pelican.plugins.tally import share_image as s\n"
        "facts = s.ShareFacts('W4R', 3, 10, 30)\n"
        "print(s.file_name('images/tally-{key}.png', facts))\n"
        "try:\n    s.draw(facts, 'never.png')\nexcept s.MissingPillow as e:\n    print(e)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    name, message = result.stdout.splitlines()
    assert re.fullmatch(r"images/tally-[0-9a-f]{12}\.png", name)
    assert message.startswith('the share picture needs Pillow: pip install "pelican-tally[image]"')
