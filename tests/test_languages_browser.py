"""A French build (DEFAULT_LANG = "fr") is valid HTML, as the English one is
(tests/test_browser.py)."""

from __future__ import annotations

import pytest

from browser_tools import require_vnu, vnu_errors
from conftest import site_with

pytestmark = pytest.mark.browser


def test_every_page_of_a_french_build_is_valid_html(tmp_path):
    require_vnu()
    output = site_with(tmp_path, DEFAULT_LANG="fr")
    report = vnu_errors(sorted(output.rglob("*.html")))
    assert {str(path): found for path, found in report.items() if found} == {}
