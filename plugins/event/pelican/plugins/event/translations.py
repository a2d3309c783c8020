"""The theme's strings in the site's language: theme/translations/<lang>/
LC_MESSAGES/messages.mo (kept with Babel, docs/languages.md) installed into
every generator's Jinja environment for DEFAULT_LANG.

A language with no catalog (or English, the templates' own language) gets
the templates' English strings, silently."""

from __future__ import annotations

from pathlib import Path


def translations_for(theme: str | Path, lang: str):
    """The catalog of this language in the theme, or null translations."""
    from babel.support import NullTranslations, Translations

    folder = Path(theme) / "translations"
    if not lang or lang == "en" or not folder.is_dir():
        return NullTranslations()
    return Translations.load(str(folder), [lang])


def install_translations(generator):
    """Give the generator's templates `_`, `gettext` and `ngettext` (newstyle:
    escaped, with %(name)s formatting) in DEFAULT_LANG."""
    env = generator.env
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    settings = generator.settings
    env.install_gettext_translations(
        translations_for(settings["THEME"], settings.get("DEFAULT_LANG", "en")), newstyle=True
    )
