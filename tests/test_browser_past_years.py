"""The quality gates (valid HTML, axe, links) on a site with past years:
this year's pages and an archived year's at /2016/, built in this process
as the tests build every site."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from test_new_year import fill, make_repo, ok

from browser_tools import Server, axe_violations, html_pages, require_vnu, vnu_errors
from conftest import build, invoke
from html_tools import broken_links

# This year's and 2016's pages of each kind: home, case, cases, results, news, years.
PAGES = [
    "index.html",
    "case-01.html",
    "cases.html",
    "years.html",
    "2016/index.html",
    "2016/annie-alfred.html",
    "2016/cases.html",
    "2016/results.html",
    "2016/news.html",
]


@pytest.fixture(scope="module")
def two_years(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("two-years")
    project = make_repo(root / "project")
    ok(invoke(project, "new-year", "2026", "--cases", "10"))
    fill(project, 10)
    ok(invoke(project, "tally", "--case", "Case one", "--letters", "4"))
    output = build(project / "content", root / "output", project / "pelicanconf.py", today=date(2026, 12, 11))
    assert (output / "2016" / "results.html").exists() and (output / "years.html").exists()
    return output


def test_past_and_current_pages_are_valid_html(two_years):
    require_vnu()
    pages = [two_years / p for p in html_pages(two_years)]
    assert any("/2016/" in str(p) for p in pages)
    errors = [f"{path}: {e}" for path, found in vnu_errors(pages).items() for e in found]
    assert errors == []


def test_no_broken_link_on_past_or_current_pages(two_years):
    assert broken_links(two_years) == []


@pytest.mark.browser
def test_no_axe_violations_on_past_or_current_pages(page, two_years):
    server = Server(two_years)
    try:
        problems = [f"{path}: {p}" for path in PAGES for p in axe_violations(page, server.url + path)]
    finally:
        server.close()
    assert problems == []
