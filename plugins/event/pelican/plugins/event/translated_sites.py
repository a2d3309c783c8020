"""The Pelican side of a site in several languages (language_sites.py):
the main build checks the languages' catalogs, gives every template the
language switch's sites, and builds each other language as a site of its
own in <output>/<code>/ (a problem in it stops the whole build)."""

from __future__ import annotations

from contextlib import contextmanager

from pelican.generators import Generator

from .language_sites import check_catalogs, is_translated_site, language_links, language_settings, site_languages


class TranslatedSitesGenerator(Generator):
    def generate_context(self):
        languages = site_languages(self.settings)
        self.others = [] if is_translated_site(self.settings) else languages[1:]
        if len(languages) < 2:
            return
        if self.others:
            check_catalogs(self.settings)
        else:
            # The main site's page of earlier years (a translated site has no archive of its own).
            self.context["EVENT_YEARS_PAGE"] = self.settings.get("LANGUAGE_YEARS_PAGE") or ""
        self.context["LANGUAGE_SITES"] = language_links(self.settings)
        index = self.settings.get("INDEX_SAVE_AS") or "index.html"
        self.context["LANGUAGE_SHARED"] = [
            index,
            *(["live.html"] if "live" in self.settings["DIRECT_TEMPLATES"] else []),
        ]

    def generate_output(self, writer):
        from pelican import Pelican

        for lang in self.others:
            with main_sitemap_only():
                Pelican(language_settings({**self.settings, "OUTPUT_PATH": self.output_path}, lang)).run()


@contextmanager
def main_sitemap_only():
    """The sitemap plugin (public builds) hears every site built in the process
    and would list a translated site's pages at the main site's addresses:
    sitemap.xml lists the main site's pages alone."""
    try:
        from pelican.plugins.sitemap.sitemap import generator
    except ImportError:  # no sitemap plugin installed
        generator = None
    queued = list(getattr(generator, "page_queue", None) or [])
    try:
        yield
    finally:
        if generator is not None and isinstance(getattr(generator, "page_queue", None), list):
            generator.page_queue[:] = queued


TRANSLATION_LISTS = ("translations", "hidden_translations", "draft_translations", "drafts_translations")


def leave_translations_unwritten(generator):
    """A translation is written by the site in its language, at the same
    address there: never by this one (not even where it names its Save_as)."""
    if "pelican.plugins.event" not in (generator.settings.get("PLUGINS") or ()):
        return
    for name in TRANSLATION_LISTS:
        for translation in getattr(generator, name, None) or ():
            translation.override_save_as = ""
