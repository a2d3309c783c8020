"""Tally plugin: letters per case from a CSV, shown on the site's pages.

Settings: TALLY_CSV (path of the CSV, relative to the content folder;
default data/tally.csv) and TALLY_GOAL (the event's goal in actions).
"""

import logging

from pelican import signals

from .generator import HideTallyTraceback, TallyGenerator

_hide_traceback = HideTallyTraceback()


def get_generators(pelican):
    return TallyGenerator


def register():
    signals.get_generators.connect(get_generators)
    logging.getLogger("pelican").addFilter(_hide_traceback)  # once: same object
