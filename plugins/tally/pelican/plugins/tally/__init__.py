"""Tally plugin: counts per page from a CSV, shown on the site's pages.
See README.md beside pyproject.toml."""

# Settings: TALLY_CSV (path of the CSV, relative to the content folder;
# default data/tally.csv), TALLY_GOAL (the event's goal in actions) and
# TALLY_SHARE_IMAGE (where to draw the share picture once counts exist, e.g.
# "images/tally-{key}.png"; {key} changes with the numbers; needs Pillow,
# the "image" extra; default None: no picture).
# The templates get `tally` and the `number` filter; a theme imports the macros in
# templates/tally/macros.html. A post with the results marker line waits
# until the CSV has counts (results_posts.py).
#
# The rooms: the CSV core, plain Python with no Pelican import, so it can be
# tested (and reused) alone: reading.py (the file, its encoding and delimiter),
# columns.py, case_names.py, counts.py, totals_rows.py, adding.py (the sums),
# problems.py and appending.py (a row added under a lock). The Pelican side:
# generator.py (the glue), results.py (the `tally` the templates get),
# page_checks.py with markdown_pages.py (every page's metadata before Pelican
# reads it), case_counts.py ("12 cases" warnings), results_posts.py,
# share_image.py, settings.py and api.py (for commands beside a site).

# Pelican's modules are imported when Pelican registers the plugin, not
# here: the core modules stay cheap to import on their own.
from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"


def enabled(settings) -> bool:
    """Signals are process-wide: act only for a Pelican that lists this plugin."""
    return __name__ in (settings.get("PLUGINS") or ())


def get_generators(pelican):
    """Sent on every build before anything is read or the output cleaned:
    pages with missing or unreadable metadata stop the build here."""
    from .generator import TallyGenerator
    from .page_checks import check_content

    if not enabled(pelican.settings):
        return None
    check_content(pelican.settings)
    return TallyGenerator


def number(n: int, lang: str = "en") -> str:
    """A count as the pages show it, with thousands separated: 1,234 (in
    another DEFAULT_LANG, by Babel: 1 234, 1.234)."""
    if not lang or lang == "en":
        return f"{n:,}"
    from babel.core import UnknownLocaleError
    from babel.numbers import format_decimal

    try:
        return format_decimal(n, locale=lang)
    except (UnknownLocaleError, ValueError):
        return f"{n:,}"


def add_macros(generator):
    """Let every theme import "tally/macros.html" (its own copy wins) and
    write a count as `{{ n|number }}`."""
    from jinja2 import FileSystemLoader

    if enabled(generator.settings):
        generator.env.loader.loaders.append(FileSystemLoader(str(TEMPLATES)))
        lang = generator.settings.get("DEFAULT_LANG", "en")
        generator.env.filters["number"] = lambda n: number(n, lang)
        null_translations(generator.env)


def null_translations(env):
    """The macros say `_("...")`: a site with no translations of its own
    (another theme, no i18n extension) gets them in English."""
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    if "gettext" not in env.globals:
        env.install_null_translations(newstyle=True)


def register():
    import logging

    from pelican import signals

    from .generator import hide_traceback
    from .results_posts import hold_back_results_posts, results_in_feeds

    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(add_macros)
    signals.article_generator_pretaxonomy.connect(hold_back_results_posts)
    signals.feed_generated.connect(results_in_feeds)
    logging.getLogger("pelican").addFilter(hide_traceback)  # one object: added once
