"""The theme's strings in the site's language: theme/translations/<lang>/
LC_MESSAGES/messages.mo (kept with Babel, docs/languages.md) installed into
every generator's Jinja environment for DEFAULT_LANG.

A language with no catalog (or English, the templates' own language) gets
the templates' English strings, silently."""

from __future__ import annotations

import gettext
from pathlib import Path


def translations_for(theme: str | Path, lang: str):
    """The catalog of this language in the theme, or null translations
    (the standard library's for English, so an English build needs no Babel)."""
    folder = Path(theme) / "translations"
    if not lang or lang == "en" or not folder.is_dir():
        return gettext.NullTranslations()
    from babel.support import Translations

    return Translations.load(str(folder), [lang])


def settings_translations(settings):
    """The translations of the settings' THEME and DEFAULT_LANG, for the
    words the plugins write in Python (the calendar file, the share picture)."""
    return translations_for(settings.get("THEME", ""), settings.get("DEFAULT_LANG", "en"))


def catalog_bytes(settings) -> tuple[bytes, ...]:
    """The compiled catalog the settings' texts come from, for a cache key:
    nothing in English (so an English file's key is what it always was),
    the language and the .mo's bytes otherwise."""
    lang = settings.get("DEFAULT_LANG", "en")
    if not lang or lang == "en":
        return ()
    mo = Path(settings.get("THEME", ""), "translations", lang, "LC_MESSAGES", "messages.mo")
    return (lang.encode(), mo.read_bytes() if mo.is_file() else b"")


def install_translations(generator):
    """Give the generator's templates `_`, `gettext` and `ngettext` (newstyle:
    escaped, with %(name)s formatting) in DEFAULT_LANG."""
    env = generator.env
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    translations = settings_translations(generator.settings)
    env.install_gettext_translations(translations, newstyle=True)
    quick = quick_gettext(translations)
    env.globals.update(gettext=quick, _=quick, ngettext=quick_ngettext(translations))


def quick_gettext(translations):
    """Newstyle gettext as jinja2.ext makes it (the string marked safe, the
    values escaped into it by %), but a string without values is translated
    and marked once, not on every page: a case page says some twenty."""
    from jinja2 import pass_context
    from markupsafe import Markup

    said = {}

    @pass_context
    def gettext(context, string, **values):
        if not context.eval_ctx.autoescape:
            return translations.gettext(string) % values
        if values:
            return Markup(translations.gettext(string)) % values
        if string not in said:
            said[string] = Markup(translations.gettext(string)) % {}
        return said[string]

    return gettext


def quick_ngettext(translations):
    """Newstyle ngettext as jinja2.ext makes it (`num` is the count unless
    given), called straight: a case page says its counts with it."""
    from jinja2 import pass_context
    from markupsafe import Markup

    @pass_context
    def ngettext(context, singular, plural, num, **values):
        values.setdefault("num", num)
        said = translations.ngettext(singular, plural, num)
        return (Markup(said) if context.eval_ctx.autoescape else said) % values

    return ngettext


def N_(text: str) -> str:
    """Marks a string for the catalogs (`invoke translations-extract`) that is
    translated later, where the language is known."""
    return text
