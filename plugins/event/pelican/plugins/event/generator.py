"""The Pelican side of the event: write event.ics and give the templates
what they need (the calendar file's name and the schema.org data)."""

from __future__ import annotations

import hashlib
import os
from importlib.metadata import version
from pathlib import Path

from markupsafe import Markup
from pelican.generators import Generator

from . import core
from .core import event_calendar, event_json_ld, script_json

DEFAULT_ICS = "event.ics"


class EventGenerator(Generator):
    def generate_context(self):
        event = self.settings["EVENT"]
        self.ics_name = self.settings.get("EVENT_ICS_SAVE_AS", DEFAULT_ICS)
        self.site_url = self.settings.get("SITEURL", "")  # "" in a local build: no URLs
        # For the templates: the calendar file (a link: "Add to calendar") and
        # the event as JSON-LD, already safe to put inside a <script> element.
        self.context["EVENT_ICS"] = self.ics_name
        self.context["event_json_ld"] = Markup(script_json(event_json_ld(event, self.site_url)))

    def generate_output(self, writer):
        os.makedirs(self.output_path, exist_ok=True)
        with open(os.path.join(self.output_path, self.ics_name), "wb") as out:
            out.write(self.calendar_file())

    def calendar_file(self) -> bytes:
        """The calendar file, made once per version of the event and kept in
        CACHE_PATH: the same details give the same file (its DTSTAMP says when
        it was first made), and a build that changes nothing about the event
        does not load the calendar library, a third of a build's start-up."""
        event = self.settings["EVENT"]
        made_from = repr((sorted(event.items()), self.site_url, version("icalendar"),
                          Path(core.__file__).read_bytes()))
        cached = Path(self.settings["CACHE_PATH"], "event", hashlib.sha256(made_from.encode()).hexdigest() + ".ics")
        try:
            return cached.read_bytes()
        except OSError:
            pass
        data = event_calendar(event, self.site_url).to_ical()
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_name(f".{cached.name}.{os.getpid()}")
            partial.write_bytes(data)
            os.replace(partial, cached)  # never half a file, even with two builds at once
        except OSError:
            pass  # no cache: slower builds, the same file
        return data
