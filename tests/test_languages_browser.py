"""A French build (DEFAULT_LANG = "fr") passes the gates the English one does
(tests/test_browser.py): valid HTML, no axe violation, each case sheet on one
A4 page."""

from __future__ import annotations

import pytest

from browser_tools import Server, axe_violations, case_sheet_problems, html_pages, require_vnu, vnu_errors
from conftest import site_with

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def french(tmp_path_factory):
    return site_with(tmp_path_factory.mktemp("french"), DEFAULT_LANG="fr")


@pytest.fixture(scope="module")
def french_url(french):
    server = Server(french)
    yield server.url
    server.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_every_page_of_a_french_build_is_valid_html(french):
    require_vnu()
    report = vnu_errors(sorted(french.rglob("*.html")))
    assert {str(path): found for path, found in report.items() if found} == {}


def test_no_page_of_a_french_build_has_an_axe_violation(page, french, french_url):
    problems = [f"{path}: {v}" for path in html_pages(french) for v in axe_violations(page, french_url + path)]
    assert problems == []


def test_every_case_of_a_french_build_prints_on_one_a4_sheet(page, french_url, case_slugs):
    problems = [
        f"{slug}: {p}" for slug in case_slugs for p in case_sheet_problems(page, f"{french_url}{slug}.html", "A4")
    ]
    assert problems == []
