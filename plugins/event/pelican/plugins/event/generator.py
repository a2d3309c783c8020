"""The Pelican side of the event: write event.ics and give the templates
what they need (the calendar file's name and the schema.org data)."""

from __future__ import annotations

import os

from pelican.generators import Generator

from .core import event_calendar, event_json_ld
from .settings import check_event

DEFAULT_ICS = "event.ics"


class EventGenerator(Generator):
    def generate_context(self):
        check_event(self.settings)
        event = self.settings["EVENT"]
        self.ics_name = self.settings.get("EVENT_ICS_SAVE_AS", DEFAULT_ICS)
        self.site_url = self.settings.get("SITEURL", "")  # "" in a local build: no URLs
        # For the templates: the calendar file (a link: "Add to calendar") and
        # the event as schema.org data, printed with Jinja's `tojson` filter.
        self.context["EVENT_ICS"] = self.ics_name
        self.context["event_json_ld"] = event_json_ld(event, self.site_url)

    def generate_output(self, writer):
        calendar = event_calendar(self.settings["EVENT"], self.site_url)
        os.makedirs(self.output_path, exist_ok=True)
        with open(os.path.join(self.output_path, self.ics_name), "wb") as out:
            out.write(calendar.to_ical())
