"""The Pelican side of the event: write event.ics and give the templates
what they need (the calendar file's name, the schema.org data, where the
evening stands today, and any example values still in the site)."""

from __future__ import annotations

import hashlib
import logging
import os
from datetime import timedelta
from importlib.metadata import version
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.generators import Generator

from . import core, dates
from .core import event_calendar, event_json_ld
from .event_file import EventFileError
from .examples import ExampleValuesError, example_values
from .past_years import ArchiveError
from .settings import EventSettingError, check_event
from .translations import catalog_bytes, settings_translations

DEFAULT_ICS = "event.ics"
# EVENT_EXAMPLE_VALUES: "banner" shows example values on every page (local
# builds); "refuse" stops the build while there are any (the public site).
BANNER, REFUSE = "banner", "refuse"


class EventGenerator(Generator):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Checked here, before Pelican empties the output folder, so a refused
        # build leaves the site that was there.
        check_event(self.settings)
        # Every page Pelican reads is scanned, whatever reader reads it.
        self.examples = example_values(self.settings, self.readers.extensions)
        if self.examples and self.settings.get("EVENT_EXAMPLE_VALUES", BANNER) == REFUSE:
            raise ExampleValuesError(self.examples)
        self.built_at = dates.build_time()

    def generate_context(self):
        event = self.settings["EVENT"]
        self.ics_name = self.settings.get("EVENT_ICS_SAVE_AS", DEFAULT_ICS)
        self.site_url = self.settings.get("SITEURL", "")  # "" in a local build: no URLs
        today = self.built_at.astimezone(ZoneInfo(event["timezone"])).date()
        # For the templates: the calendar file (a link: "Add to calendar") and
        # the event as schema.org data, printed with Jinja's `tojson` filter.
        self.context["EVENT_ICS"] = self.ics_name
        self.translations = settings_translations(self.settings)
        self.context["event_json_ld"] = event_json_ld(event, self.site_url, self.translations)
        self.context["event_phase"] = dates.phase(event, today)  # "before", "on the day", "after"
        week = dates.results_week(event)
        # Once that week is over, a promise of it would be stale: no date then.
        self.context["event_results_week"] = week if today < week + timedelta(days=7) else None
        self.context["example_values"] = banner_lines(self.examples, self.settings, self.translations)
        self.context["example_numbers"] = any(e.numbers for e in self.examples)

    def generate_output(self, writer):
        if not self.ics_name:
            return  # EVENT_ICS_SAVE_AS = "": no calendar file (a past year's site)
        os.makedirs(self.output_path, exist_ok=True)
        with open(os.path.join(self.output_path, self.ics_name), "wb") as out:
            out.write(self.calendar_file())

    def calendar_file(self) -> bytes:
        """The calendar file, made once per version of the event and kept in
        CACHE_PATH: the same details give the same file (its DTSTAMP says when
        it was first made, or SOURCE_DATE_EPOCH), and a build that changes
        nothing about the event does not load the calendar library, a third
        of a build's start-up."""
        event = self.settings["EVENT"]
        made_from = repr(
            (
                sorted(event.items()),
                self.site_url,
                os.environ.get("SOURCE_DATE_EPOCH"),
                version("icalendar"),
                Path(core.__file__).read_bytes(),
                *catalog_bytes(self.settings),
            )
        )
        cached = Path(self.settings["CACHE_PATH"], "event", hashlib.sha256(made_from.encode()).hexdigest() + ".ics")
        try:
            return cached.read_bytes()
        except OSError:
            pass
        data = event_calendar(event, self.site_url, stamp=self.built_at, translations=self.translations).to_ical()
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_name(f".{cached.name}.{os.getpid()}")
            partial.write_bytes(data)
            os.replace(partial, cached)  # never half a file, even with two builds at once
        except OSError:
            pass  # no cache: slower builds, the same file
        return data


def banner_lines(examples, settings, translations) -> list[str]:
    """The example values as the local build's banner lists them: in the
    site's language, from its `translations` (the terminal says them in English)."""
    lang = settings.get("DEFAULT_LANG", "en")
    if not lang or lang == "en":
        return [str(example) for example in examples]
    from .local_dates import clock, long_date

    def moment(when):
        return f"{long_date(when, lang)}, {clock(when, lang)}"

    return [example.words().say(translations.gettext, moment) for example in examples]


def add_date_filters(generator):
    """Portable date filters for every template, in DEFAULT_LANG: long_date, day_and_month, clock."""
    from .local_dates import filters

    generator.env.filters.update(filters(generator.settings.get("DEFAULT_LANG", "en")))


class HideExampleTraceback(logging.Filter):
    """A refused public build or a wrong EVENT is the organizer's to fix, not a
    crash: show the problems without a traceback."""

    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(
            error, (ExampleValuesError, EventSettingError, dates.BuildDateError, ArchiveError, EventFileError)
        ):
            record.msg, record.args = "%s", (str(error),)
            record.exc_info = record.exc_text = None
        return True


hide_traceback = HideExampleTraceback()
