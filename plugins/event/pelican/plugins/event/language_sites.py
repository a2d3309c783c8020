"""A site in several languages: event.toml's `languages` (the first one is
DEFAULT_LANG, built at the root; each other one is a translated site of its
own in <output>/<code>/, built from the same content folder, the same tally
CSV and the same event, with that language's catalog).

Pelican's own translations do the pairing: a page with `Lang: fr` and the
slug of an English page is its translation. On the main site it is not
written (PAGE_LANG_SAVE_AS is empty); on the French site it takes the
English page's place, and an English page with no French translation stays,
in English. So every site has every case, and the tally finds the same
cases (by their slugs) on each.

What the templates get (languages.html): LANGUAGE_SITES, each language's
code, name (in that language) and address, and LANGUAGE_SHARED, the files
every site writes (the news, the live page), which are one another's
translations. One language (the default) changes nothing: no switch, no
link, no second build.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from .event_file import EventFileError, line_of
from .translations import N_

# Set in a translated site's settings: the main site's language and address.
MAIN_LANG = "LANGUAGE_MAIN"
MAIN_SITEURL = "LANGUAGE_MAIN_SITEURL"


# The English defaults of pelicanconf.py: a translated site shows them in its language.
DEFAULT_NAMES = (N_("Write for Rights {year}"), N_("An evening of letters for human rights"))
# The language switch on a page with no translation: it goes to that language's
# home page, and says so in that language ("Français (page d'accueil)").
HOME_NAME = N_("{language} (home page)")


class LanguageError(EventFileError):
    """A language the site cannot be built in: one sentence naming event.toml's
    line (shown without a traceback, as every mistake in event.toml)."""


def site_languages(settings: Mapping) -> list[str]:
    """The site's languages, its main one (DEFAULT_LANG) first."""
    event = settings.get("EVENT") or {}
    return list(event.get("languages") or [settings.get("DEFAULT_LANG") or "en"])


def is_translated_site(settings: Mapping) -> bool:
    return bool(settings.get(MAIN_LANG))


def catalog_path(theme, lang: str) -> Path:
    return Path(theme, "translations", lang, "LC_MESSAGES", "messages.mo")


def check_catalogs(settings: Mapping) -> None:
    """Every translated site's language needs the theme's catalog (the main one
    may do without; English is the templates' own)."""
    theme = settings.get("THEME") or "theme"
    for lang in site_languages(settings)[1:]:
        if lang != "en" and not catalog_path(theme, lang).is_file():
            have = [Path(p).parent.parent.name for p in Path(theme, "translations").glob("*/LC_MESSAGES/messages.mo")]
            raise LanguageError(
                f'{_where(settings)}: languages has "{lang}", but the theme has no catalog for it '
                f"(theme/translations/{lang}/, see docs/languages.md); the languages it has: "
                f"{', '.join(sorted(have)) or 'none'}."
            )


def _where(settings: Mapping) -> str:
    """event.toml, line N (of `languages`)."""
    path = settings.get("EVENT_FILE")
    name = settings.get("EVENT_FILE_NAME") or (Path(path).name if path else "event.toml")
    try:
        line = line_of(Path(path).read_text(encoding="utf-8"), "languages") if path else None
    except OSError:
        line = None
    return f"{name}, line {line}" if line else name


def language_settings(settings: Mapping, lang: str) -> dict:
    """The settings that build the site in `lang` into <output>/<lang>/, at SITEURL/<lang>."""
    from .past_years import archived_years

    main_url = str(settings.get("SITEURL") or "").rstrip("/")
    site_url = f"{main_url}/{lang}" if main_url else ""
    plugins = [p for p in settings.get("PLUGINS") or () if not str(p).endswith("sitemap")]
    return {
        **settings,
        **translated_names(settings, lang),
        MAIN_LANG: settings.get("DEFAULT_LANG") or "en",
        MAIN_SITEURL: main_url,
        "DEFAULT_LANG": lang,
        # A page without Lang is in the main language: the original its translations pair with.
        "DEFAULT_METADATA": {**(settings.get("DEFAULT_METADATA") or {}), "lang": settings.get("DEFAULT_LANG") or "en"},
        "OUTPUT_PATH": os.path.join(settings.get("OUTPUT_PATH") or "output", lang),
        "SITEURL": site_url,
        "FEED_DOMAIN": site_url if settings.get("FEED_DOMAIN") == main_url else settings.get("FEED_DOMAIN"),
        # The archive of past years: built once, by the main site, and linked from here.
        "EVENT_ARCHIVE_PATH": None,
        "LANGUAGE_YEARS_PAGE": "../years.html" if archived_years(settings) else "",
        "PLUGINS": plugins,
        "DELETE_OUTPUT_DIRECTORY": False,
        "CACHE_PATH": os.path.join(settings.get("CACHE_PATH") or "cache", lang),
        "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False,
    }


def default_names(theme, lang: str) -> tuple[str, str]:
    """The site's default name (with {year}) and subtitle in `lang`: what
    pelicanconf.py sets unless the organizer writes their own."""
    from .translations import translations_for

    translate = translations_for(theme, lang).gettext
    return translate(DEFAULT_NAMES[0]), translate(DEFAULT_NAMES[1])


def translated_names(settings: Mapping, lang: str) -> dict:
    """SITENAME and SITESUBTITLE in `lang`, where they are the defaults (in
    the main site's language); names the organizer wrote stay as written."""
    theme = settings.get("THEME") or "theme"
    main_name, main_subtitle = default_names(theme, settings.get(MAIN_LANG) or settings.get("DEFAULT_LANG") or "en")
    name, subtitle = default_names(theme, lang)
    names = {}
    year = (settings.get("EVENT") or {}).get("start")
    if (
        settings.get("EVENT_SITENAME") == main_name
        and year
        and settings.get("SITENAME") == main_name.format(year=year.year)
    ):
        names["SITENAME"] = name.format(year=year.year)
    if settings.get("SITESUBTITLE") == main_subtitle:
        names["SITESUBTITLE"] = subtitle
    return names


def language_name(code: str) -> str:
    """The language's name in itself, as a switch shows it: Français, English, Deutsch."""
    from babel import Locale

    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def language_links(settings: Mapping) -> list[dict]:
    """Each language's site as seen from this one: code, name, `offset` (its
    root from this site's root, for relative addresses) and `url` (absolute,
    or "" when the site has no address yet), and whether it is this one."""
    current = settings.get("DEFAULT_LANG") or "en"
    main = settings.get(MAIN_LANG) or current
    main_url = settings.get(MAIN_SITEURL, str(settings.get("SITEURL") or "").rstrip("/"))
    here = "" if current == main else f"/{current}"
    from .translations import translations_for

    theme = settings.get("THEME") or "theme"
    languages = site_languages(settings)
    links = []
    for code in languages:
        path = "" if code == main else f"/{code}"
        offset = path if not here else ("/.." + path if path != here else "")
        links.append(
            {
                "code": code,
                "name": language_name(code),
                "offset": offset,
                "url": f"{main_url}{path}" if main_url and not settings.get("RELATIVE_URLS") else "",
                "current": code == current,
                "home_name": translations_for(theme, code).gettext(HOME_NAME).format(language=language_name(code)),
            }
        )
    return links
