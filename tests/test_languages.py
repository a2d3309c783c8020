"""The site's language (DEFAULT_LANG): the theme's strings go through
gettext (the i18n extension, translations installed on every generator);
a language with no catalog builds in English, silently."""

from __future__ import annotations

from jinja2 import Environment
from pelican.plugins.event.translations import translations_for
from pelican.plugins.tally import null_translations

from conftest import read, site_with
from pelicanconf import JINJA_ENVIRONMENT


def test_the_settings_load_the_i18n_extension():
    assert "jinja2.ext.i18n" in JINJA_ENVIRONMENT["extensions"]
    assert JINJA_ENVIRONMENT["autoescape"] is True


def test_a_language_with_no_catalog_gets_the_english_strings(tmp_path):
    assert translations_for(tmp_path, "it").gettext("Write for Rights") == "Write for Rights"
    output = site_with(tmp_path, DEFAULT_LANG="it")
    assert '<html lang="it">' in read(output, "index.html")


def test_the_tally_macros_work_without_any_translations_installed():
    environment = Environment(autoescape=True)
    null_translations(environment)
    template = environment.from_string('{{ _("%(n)s letters", n="<b>") }}')
    assert template.render() == "&lt;b&gt; letters"
