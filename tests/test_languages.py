"""The site's language (DEFAULT_LANG): the theme's strings go through
gettext (the i18n extension, translations installed on every generator);
a language with no catalog builds in English, silently."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from jinja2 import Environment
from pelican.plugins.event.translations import translations_for
from pelican.plugins.tally import null_translations

from conftest import ROOT, read, site_with
from html_tools import visible_text
from organizer.translations import FOLDER, catalog_files, compile_catalog
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


def catalog(path: Path):
    with open(path, "rb") as source:
        return read_po(source)


@pytest.mark.parametrize("po", catalog_files(), ids=lambda path: path.parent.parent.name)
def test_every_committed_mo_is_its_po_compiled(po):
    committed = read_mo(BytesIO(po.with_suffix(".mo").read_bytes()))
    fresh = read_mo(BytesIO(compile_catalog(po)))
    assert entries(committed) == entries(fresh)


def entries(catalog) -> dict:
    """Each message and its translation (a plural one's forms as tuples: read_mo gives lists)."""
    return {tuple(m.id) if isinstance(m.id, list) else m.id: m.string for m in catalog if m.id}


@pytest.mark.parametrize("po", catalog_files(), ids=lambda path: path.parent.parent.name)
def test_every_shipped_catalog_is_complete(po):
    with open(po.parent.parent.parent / "messages.pot", "rb") as source:
        wanted = {m.id for m in read_po(source) if m.id}
    assert wanted - {m.id for m in catalog(po) if m.id and m.string} == set()


def english_left(output: Path, po: Path) -> dict[str, list[str]]:
    """The catalog's English strings (of two words or more, translated
    differently) still in the visible text of a built page; but for those
    the shipped content (the organizer's own English words, never
    translated) writes itself, such as the invitation's "What to bring"."""
    content = " ".join(path.read_text(encoding="utf-8") for path in (ROOT / "content").rglob("*.md"))
    msgids = [m.id for m in catalog(po) if m.id and m.string and m.string != m.id and " " in m.id]
    msgids = [msgid for msgid in msgids if isinstance(msgid, str) and msgid not in content]
    left = {}
    for page in sorted(output.rglob("*.html")):
        text = visible_text(page.read_text(encoding="utf-8"))
        found = [msgid for msgid in msgids if "%(" not in msgid and msgid in text]
        if found:
            left[str(page.relative_to(output))] = found
    return left


@pytest.mark.parametrize(
    "lang, not_found", [("fr", "Page introuvable"), ("de", "Seite nicht gefunden"), ("es", "Página no encontrada")]
)
def test_a_build_in_a_shipped_language_leaves_no_catalog_string_in_english(tmp_path, lang, not_found):
    output = site_with(tmp_path, DEFAULT_LANG=lang)
    assert english_left(output, FOLDER / lang / "LC_MESSAGES" / "messages.po") == {}
    page = read(output, "404.html")
    assert f'<html lang="{lang}">' in page
    assert f"<h1>{not_found}</h1>" in page


def test_the_french_footer_keeps_the_address_a_link_and_escapes_the_facts(tmp_path):
    output = site_with(tmp_path, DEFAULT_LANG="fr")
    footer = visible_text(read(output, "index.html"))
    assert "Organisé par" in footer and "Des questions" in footer
    assert re.search(r'Écrivez à <a href="mailto:[^"]+">', read(output, "index.html"))
