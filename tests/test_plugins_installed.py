"""Our plugins as this site uses them: installed by `make setup` in
setuptools' default editable mode, and named in PLUGINS by their full module
names. That mode puts an import hook, not a folder, on `pelican.plugins`'
path, so Pelican's search by short name (pkgutil.iter_modules) cannot see
them; full names are imported directly and work in every install mode."""

import json
from importlib.metadata import distribution
from pathlib import Path

import pytest
from pelican.plugins._utils import load_plugins
from pelican.settings import read_settings

from conftest import LOCAL_SETTINGS, PUBLISH_SETTINGS, ROOT

OURS = {"pelican-tally": "tally", "pelican-event": "event", "pelican-safe-titles": "safe_titles"}


@pytest.mark.parametrize("name", OURS)
def test_each_plugin_is_installed_editable_from_this_checkout(name):
    installed = json.loads(distribution(name).read_text("direct_url.json"))
    assert installed["dir_info"] == {"editable": True}
    assert Path(installed["url"].removeprefix("file://")) == ROOT / "plugins" / OURS[name]


@pytest.mark.parametrize("settings_file", [LOCAL_SETTINGS, PUBLISH_SETTINGS])
def test_pelican_loads_every_plugin_in_plugins_from_this_checkout(settings_file):
    settings = read_settings(str(settings_file))
    loaded = load_plugins(settings)  # what Pelican does; a plugin it cannot find is left out
    assert [plugin.__name__ for plugin in loaded] == settings["PLUGINS"]
    for plugin in loaded:
        if plugin.__name__.removeprefix("pelican.plugins.") in OURS.values():
            assert Path(plugin.__file__).is_relative_to(ROOT / "plugins"), plugin.__file__


def test_a_build_runs_each_plugin(site):
    assert json.loads((site / "tally.json").read_text(encoding="utf-8"))["cases"]  # tally
    assert (site / "event.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")  # event
