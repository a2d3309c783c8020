"""Event plugin: the event (EVENT in the settings) as a calendar file and as
schema.org data for search engines.

Writes EVENT_ICS_SAVE_AS (default event.ics) on every build. Templates get
EVENT_ICS (that file's name, for an "Add to calendar" link) and
event_json_ld (the schema.org Event as a dict: `{{ event_json_ld|tojson }}` inside
a <script type="application/ld+json">).
See README.md beside pyproject.toml.
"""

import logging

from pelican import signals

from .generator import EventGenerator
from .settings import hide_traceback


def get_generators(pelican):
    # Signals are process-wide: add the generator only for a Pelican that lists this plugin.
    return EventGenerator if __name__ in (pelican.settings.get("PLUGINS") or ()) else None


def register():
    signals.get_generators.connect(get_generators)
    logging.getLogger("pelican").addFilter(hide_traceback)  # one object: added once
