"""Builds in French (and the case sheets in German and Spanish too) pass the
gates the English one does (tests/test_browser.py): valid HTML, no axe
violation, each case sheet on one A4 page; before the evening and after it,
with counts (the results, the live page, the counts on the case pages)."""

from __future__ import annotations

from datetime import date

import pytest

from browser_tools import Server, axe_violations, case_sheet_problems, html_pages, require_vnu, vnu_errors
from conftest import FIXTURE, site_with

pytestmark = pytest.mark.browser

BUILDS = {
    "fr": {"DEFAULT_LANG": "fr"},
    "fr after the evening": {"DEFAULT_LANG": "fr", "today": date(2016, 12, 11)},
    "de": {"DEFAULT_LANG": "de"},
    "es": {"DEFAULT_LANG": "es"},
}
FRENCH = ["fr", "fr after the evening"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Each build of BUILDS, made the first time a test asks for it."""
    sites = {}

    def site(name):
        if name not in sites:
            counts = FIXTURE if "after" in name else None
            sites[name] = site_with(tmp_path_factory.mktemp(name.replace(" ", "-")), counts, **BUILDS[name])
        return sites[name]

    return site


@pytest.mark.parametrize("name", FRENCH)
def test_every_page_of_a_french_build_is_valid_html(built, name):
    require_vnu()
    report = vnu_errors(sorted(built(name).rglob("*.html")))
    assert {str(path): found for path, found in report.items() if found} == {}


@pytest.mark.parametrize("name", FRENCH)
def test_no_page_of_a_french_build_has_an_axe_violation(page, built, name):
    output = built(name)
    server = Server(output)
    try:
        problems = [f"{path}: {v}" for path in html_pages(output) for v in axe_violations(page, server.url + path)]
    finally:
        server.close()
    assert problems == []


@pytest.mark.parametrize("name", ["fr", "de", "es"])
def test_every_case_sheet_prints_on_one_a4_page(page, built, name, case_slugs):
    server = Server(built(name))
    try:
        problems = [
            f"{slug}: {p}" for slug in case_slugs for p in case_sheet_problems(page, f"{server.url}{slug}.html", "A4")
        ]
    finally:
        server.close()
    assert problems == []
