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

from conftest import read, site_with
from html_tools import parse, visible_text
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


def _forms(value) -> tuple[str, ...]:
    """A message's id or string as a tuple: one form, or a plural's forms."""
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def catalog(path: Path):
    with open(path, "rb") as source:
        return read_po(source)


@pytest.mark.parametrize("po", catalog_files(), ids=lambda path: path.parent.parent.name)
def test_every_committed_mo_is_its_po_compiled(po):
    committed = read_mo(BytesIO(po.with_suffix(".mo").read_bytes()))
    fresh = read_mo(BytesIO(compile_catalog(po)))
    assert {_forms(m.id): _forms(m.string) for m in committed if m.id} == {
        _forms(m.id): _forms(m.string) for m in fresh if m.id
    }


@pytest.mark.parametrize("po", catalog_files(), ids=lambda path: path.parent.parent.name)
def test_every_shipped_catalog_is_complete(po):
    with open(po.parent.parent.parent / "messages.pot", "rb") as source:
        wanted = {m.id for m in read_po(source) if m.id}
    translated = {m.id for m in catalog(po) if m.id and all(_forms(m.string)) and not m.fuzzy}
    assert wanted - translated == set()


PLACEHOLDER = re.compile(r"%\(\w+\)s|%%")
WORD = re.compile(r"[A-Za-z]+(?:[-'’][A-Za-z]+)*")
# Where a short string stands alone, so it can be checked as the whole
# text: headings, terms, table cells, captions, labels, links.
LABELS = re.compile(r"<(h[1-6]|dt|th|td|caption|summary|label|title|strong|a)\b[^>]*>(.*?)</\1>", re.S)
ATTRIBUTES = ("alt", "aria-label", "title")


def _bare(text: str) -> str:
    return text.strip().rstrip(":?").strip()


def english_pieces(po: Path) -> tuple[set[str], set[str]]:
    """What of the catalog's English may not be left on a page in its
    language: each literal piece of two words or more between a msgid's
    placeholders (the whole msgid when it has none), found anywhere; and
    the msgids of one or two words with no placeholder ("News", "Write
    to"), bare of a closing colon or question mark, found as the whole
    text of a label (organizers' own words say "write to" too). Only
    strings translated differently, and pieces the translation keeps are not
    looked for."""
    pieces, words = set(), set()
    for message in catalog(po):
        ids, strings = _forms(message.id), _forms(message.string)
        if not message.id or not all(strings) or strings == ids:
            continue
        for msgid in ids:
            if "%" not in msgid and len(WORD.findall(msgid)) <= 2:
                if not any(_bare(msgid) in s for s in strings):
                    words.add(_bare(msgid))
                continue
            parts = [part.strip() for part in PLACEHOLDER.split(msgid)]
            pieces.update(p for p in parts if len(WORD.findall(p)) >= 2 and not any(p in s for s in strings))
    return pieces, words


def english_left_on(html: str, pieces: set[str], words: set[str]) -> list[str]:
    """The pieces in the page's visible text or its alt, aria-label and
    title attributes; the words as the whole text of a heading, label,
    link or such attribute."""
    attributes = [value for _, name, value in parse(html).attributes if name in ATTRIBUTES]
    text = " ".join([visible_text(html), *attributes])
    labels = {_bare(visible_text(inner)) for _, inner in LABELS.findall(html)} | {_bare(a) for a in attributes}
    return sorted([piece for piece in pieces if piece in text] + sorted(words & labels))


def english_left(output: Path, po: Path) -> dict[str, list[str]]:
    """The catalog's English (english_pieces) still on a built page."""
    pieces, words = english_pieces(po)
    left = {}
    for page in sorted(output.rglob("*.html")):
        found = english_left_on(page.read_text(encoding="utf-8"), pieces, words)
        if found:
            left[str(page.relative_to(output))] = found
    return left


@pytest.mark.parametrize(
    "lang, not_found", [("fr", "Page introuvable"), ("de", "Seite nicht gefunden"), ("es", "Página no encontrada")]
)
def test_a_build_in_a_shipped_language_says_so_and_translates_the_404(tmp_path, lang, not_found):
    """The shipped site as it is (example banner, the organizer's English
    pages); tests/test_languages_pages.py runs english_left on every page."""
    output = site_with(tmp_path, DEFAULT_LANG=lang)
    page = read(output, "404.html")
    assert f'<html lang="{lang}">' in page
    assert f"<h1>{not_found}</h1>" in page


def test_the_french_footer_keeps_the_address_a_link_and_escapes_the_facts(tmp_path):
    output = site_with(tmp_path, DEFAULT_LANG="fr")
    footer = visible_text(read(output, "index.html"))
    assert "Organisé par" in footer and "Des questions" in footer
    assert re.search(r'Écrivez à <a href="mailto:[^"]+">', read(output, "index.html"))


def test_the_quick_gettext_says_what_jinjas_newstyle_gettext_says():
    """The theme's `_` and `ngettext` (translations.quick_gettext, which marks
    a string without values once, and quick_ngettext): values escaped, %% a
    percent sign, plural forms by the count, each language its own."""
    from pelican.plugins.event.translations import quick_gettext, quick_ngettext

    source = (
        '{{ _("%(x)s is 50 %% done", x="<b>") }}|{{ _("Skip to content") }}|'
        '{{ ngettext("%(count)s letter", "%(count)s letters", n, count="<1>") }}|'
        '{{ ngettext("%(num)s case", "%(num)s cases", n) }}'
    )
    for lang, skip in (("en", "Skip to content"), ("fr", "Aller au contenu")):
        for n in (0, 1, 2):
            environment = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
            translations = translations_for(FOLDER.parent, lang)
            environment.install_gettext_translations(translations, newstyle=True)
            reference = environment.from_string(source).render(n=n)
            quick = quick_gettext(translations)
            environment.globals.update(_=quick, gettext=quick, ngettext=quick_ngettext(translations))
            template = environment.from_string(source)
            assert template.render(n=n) == template.render(n=n) == reference
            assert reference.startswith(f"&lt;b&gt; is 50 % done|{skip}|&lt;1&gt; lett")
