"""Event plugin: the event (EVENT in the settings) as a calendar file
(EVENT_ICS_SAVE_AS, default event.ics) and as schema.org data for search
engines, and the site's example values, in a banner or (EVENT_EXAMPLE_VALUES =
"refuse") stopping the build; and every archived year's own site in
<output>/<year>/ with the page of earlier years (past_years_site.py); and
each other language of event.toml's `languages` as a translated site in
<output>/<code>/ (translated_sites.py). What the templates get, and its date filters,
are in README.md beside pyproject.toml (generator.py fills them in).
"""

import logging

from pelican import signals

from .generator import EventGenerator, add_date_filters, hide_traceback
from .past_years_site import PastYearsGenerator
from .translated_sites import TranslatedSitesGenerator, leave_translations_unwritten
from .translations import install_translations


def get_generators(pelican):
    # Signals are process-wide: add the generators only for a Pelican that lists this plugin.
    return (
        (EventGenerator, PastYearsGenerator, TranslatedSitesGenerator)
        if __name__ in (pelican.settings.get("PLUGINS") or ())
        else None
    )


def register():
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(add_date_filters)
    signals.generator_init.connect(install_translations)
    signals.page_generator_finalized.connect(leave_translations_unwritten)
    signals.article_generator_finalized.connect(leave_translations_unwritten)
    logging.getLogger("pelican").addFilter(hide_traceback)  # one object: added once
