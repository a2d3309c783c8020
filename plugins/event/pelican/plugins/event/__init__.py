"""Event plugin: the event (EVENT in the settings) as a calendar file and as
schema.org data for search engines, and the site's example values.

Writes EVENT_ICS_SAVE_AS (default event.ics) on every build. Templates get
EVENT_ICS (that file's name, for an "Add to calendar" link), event_json_ld
(the schema.org Event as a dict: `{{ event_json_ld|tojson }}` inside a
<script type="application/ld+json">), event_phase ("before", "on the day" or
"after" the evening, as of the build date: SOURCE_DATE_EPOCH when set),
event_results_week (the Monday after), example_values (what still has to be
changed) and example_numbers (the tally is a demonstration file), and the
filters long_date, day_and_month and clock. EVENT_EXAMPLE_VALUES = "refuse"
stops a build that has example values. See README.md beside pyproject.toml.
"""

import logging

from pelican import signals

from .generator import EventGenerator, add_date_filters, hide_traceback


def get_generators(pelican):
    # Signals are process-wide: add the generator only for a Pelican that lists this plugin.
    return EventGenerator if __name__ in (pelican.settings.get("PLUGINS") or ()) else None


def register():
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(add_date_filters)
    logging.getLogger("pelican").addFilter(hide_traceback)  # one object: added once
