"""Event plugin: the event (EVENT in pelicanconf.py) as a calendar file and as
schema.org data for search engines.

Writes EVENT_ICS_SAVE_AS (default event.ics) on every build. Templates get
EVENT_ICS (that file's name, for an "Add to calendar" link) and
event_json_ld (the schema.org Event, for a <script type="application/ld+json">).
"""

from pelican import signals

from .generator import EventGenerator


def get_generators(pelican):
    return EventGenerator


def register():
    signals.get_generators.connect(get_generators)
