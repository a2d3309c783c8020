"""The public API: the tally of a site and a new row, from its settings alone."""

from __future__ import annotations

import pytest
from pelican.plugins.tally import api
from pelican.settings import read_settings
from test_tally_foreign_site import foreign_site


def settings_for(tmp_path, **overrides):
    return read_settings(
        None, override={"PATH": str(foreign_site(tmp_path)), "TALLY_CASE_PATHS": ["pages/cases"], **overrides}
    )


def test_read_tally_without_building(tmp_path):
    result = api.read_tally(settings_for(tmp_path, TALLY_GOAL=34))
    assert (result.total, result.percent) == (17, 50)
    assert [case.as_dict()["title"] for case in result.cases] == ["Library Books", "River Clean-up"]


def test_add_row_writes_the_case_by_its_name_and_the_tally_reads_it(tmp_path):
    settings = settings_for(tmp_path)
    assert api.add_row(settings, "river clean up", {"letters": "3", "cards": "1"}) == "River Clean-up"
    assert api.read_tally(settings).case("river-clean-up").total == 17
    assert api.csv_path(settings).endswith("data/tally.csv")


def test_a_bad_row_or_setting_is_refused_with_its_message(tmp_path):
    settings = settings_for(tmp_path)
    before = (tmp_path / "content" / "data" / "tally.csv").read_bytes()
    with pytest.raises(api.TallyError, match='unknown case "Rivr Clean-up". Did you mean "River Clean-up"'):
        api.add_row(settings, "Rivr Clean-up", {"letters": "3"})
    with pytest.raises(api.SettingError, match="^TALLY_GOAL is 'lots'"):
        api.read_tally({**settings, "TALLY_GOAL": "lots"})
    assert (tmp_path / "content" / "data" / "tally.csv").read_bytes() == before
