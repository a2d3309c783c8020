"""A site in English and French (tests/test_bilingual.py's build) passes the
gates a one-language site does (tests/test_browser.py): every page of both
languages is valid HTML with no axe violation."""

from __future__ import annotations

import pytest
from test_bilingual import bilingual_build

from browser_tools import Server, axe_violations, html_pages, require_vnu, vnu_errors

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory):
    return bilingual_build(tmp_path_factory.mktemp("bilingual-browser"))


@pytest.fixture(scope="module")
def bilingual_url(bilingual):
    server = Server(bilingual)
    yield server.url
    server.close()


def test_every_page_of_both_languages_is_valid_html(bilingual):
    require_vnu()
    report = vnu_errors(sorted(bilingual.rglob("*.html")))
    assert {str(path): found for path, found in report.items() if found} == {}


def test_no_page_of_either_language_has_an_axe_violation(page, bilingual, bilingual_url):
    assert any(path.startswith("fr/") for path in html_pages(bilingual))
    problems = [f"{path}: {v}" for path in html_pages(bilingual) for v in axe_violations(page, bilingual_url + path)]
    assert problems == []
