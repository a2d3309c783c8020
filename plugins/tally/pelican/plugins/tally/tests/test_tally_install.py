"""`pip install` of this plugin into a fresh virtual environment, and a
foreign site built with it: what another Pelican user does."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import venv
from pathlib import Path

import pytest
from test_tally_foreign_site import PAGE_TEMPLATE, foreign_site

PROJECT = Path(__file__).resolve().parents[4]  # plugins/tally, with pyproject.toml
SETTINGS = """PLUGINS = ["tally"]  # the short name: found as an installed namespace plugin
TALLY_CASE_PATHS = ["pages/cases"]
TALLY_GOAL = 34
THEME_TEMPLATES_OVERRIDES = ["templates"]
FEED_ALL_ATOM = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
TIMEZONE = "UTC"
"""


@pytest.mark.slow
def test_pip_install_into_a_fresh_environment_and_build_a_site(tmp_path):
    if not (PROJECT / "pyproject.toml").exists():
        pytest.skip("runs from a source checkout of the plugin")
    # A copy, so pip's build folder never lands in the checkout.
    source = tmp_path / "pelican-tally"
    shutil.copytree(PROJECT, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True, system_site_packages=False)
    python = environment / "bin" / "python"
    run = {
        "capture_output": True,
        "text": True,
        "cwd": tmp_path,
        "timeout": 600,
        "env": {**os.environ, "COLUMNS": "400", "PYTHONPATH": ""},
    }
    installed = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "pelican[markdown]", str(source)],
        **run,
    )  # the site's pages are Markdown
    assert installed.returncode == 0, installed.stderr

    where = subprocess.run([python, "-c", "import pelican.plugins.tally as t; print(t.__file__)"], **run)
    assert Path(where.stdout.strip()).is_relative_to(environment), where.stdout + where.stderr

    content = foreign_site(tmp_path)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text(PAGE_TEMPLATE, encoding="utf-8")
    (tmp_path / "pelicanconf.py").write_text(SETTINGS, encoding="utf-8")
    built = subprocess.run(
        [python, "-m", "pelican", str(content), "-s", "pelicanconf.py", "-o", "output", "--fatal", "warnings"], **run
    )
    assert built.returncode == 0, built.stdout + built.stderr

    tally = json.loads((tmp_path / "output" / "tally.json").read_text(encoding="utf-8"))
    assert (tally["total"], tally["percent"], len(tally["cases"])) == (17, 50, 2)
    page = (tmp_path / "output" / "pages" / "about-us.html").read_text(encoding="utf-8")
    assert "17 actions — 50 % of our goal of 34" in page  # the macros shipped in the package
