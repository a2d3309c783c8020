"""The set-up: `make serve` installs what the site needs and nothing for
browsers or tests; `make test` adds those; both from locks that pin every
package; `make clean` works before any set-up."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from conftest import ROOT

TEST_ONLY = ("pytest", "hypothesis", "playwright", "axe-playwright-python", "pypdf", "ruff")


def pins(name: str) -> dict[str, str]:
    """Package -> version of every requirement line in a lock or .in file."""
    found = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            match = re.fullmatch(r"([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;]+)", line)
            assert match, f"{name}: {line!r} is not pinned with =="
            found[match.group(1).lower().replace("_", "-")] = match.group(2)
    return found


def test_the_site_lock_has_nothing_for_browsers_or_tests():
    site = pins("requirements.txt")
    assert {"pelican", "markdown", "typogrify", "invoke", "icalendar", "pelican-sitemap", "jinja2"} <= set(site)
    assert not set(TEST_ONLY) & set(site)


def test_the_test_lock_adds_the_test_tools_and_agrees_on_what_both_have():
    site, test = pins("requirements.txt"), pins("requirements-test.txt")
    assert set(TEST_ONLY) <= set(test)
    assert {name: test[name] for name in set(site) & set(test)} == {name: site[name] for name in set(site) & set(test)}


@pytest.mark.parametrize(
    "source, lock", [("requirements.in", "requirements.txt"), ("requirements-test.in", "requirements-test.txt")]
)
def test_each_lock_holds_what_its_source_asks_for(source, lock):
    wanted, locked = pins(source), pins(lock)
    assert {name: locked.get(name) for name in wanted} == wanted


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_make_clean_works_on_a_fresh_checkout(tmp_path):
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")  # no .venv here
    for site in ("output", "output-preview", ".output-old-123", ".output-new-x1", ".output-preview-new-y2"):
        (tmp_path / site).mkdir()  # the sites, and what a killed build left behind
        (tmp_path / site / "index.html").write_text("old site")
    (tmp_path / "content").mkdir()
    done = subprocess.run(["make", "clean"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Makefile", "content"]


def test_readme_gives_publishconfs_defaults(monkeypatch):
    from pelican.settings import read_settings

    for name in ("SITEURL", "PUBLISH_TARGET", "GITHUB_PAGES_BRANCH"):
        monkeypatch.delenv(name, raising=False)
    settings = read_settings(str(ROOT / "publishconf.py"))
    readme = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| `([A-Z_]+)` \| ([^|]+) \|", readme, re.M))
    assert set(table) == {"SITEURL", "PUBLISH_TARGET", "GITHUB_PAGES_BRANCH", "CASE_SHEETS_PDF", "TALLY_SHARE_IMAGE"}
    for name, default in table.items():
        written = re.match(r"`([^`]*)`", default.strip())
        assert (written.group(1) if written else "") == settings[name], name
