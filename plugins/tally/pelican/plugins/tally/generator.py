"""The Pelican side of the tally: find the case pages, read the CSV on every
build, hand the numbers to the templates and write tally.json."""

from __future__ import annotations

import logging
import os

from jinja2.utils import htmlsafe_json_dumps
from pelican.generators import Generator

from . import share_image
from .case_counts import warn_of_wrong_case_counts
from .page_checks import ContentError
from .problems import TallyError
from .results import TallyResult, case_pages, plain, tally_for
from .section_pages import section_tally, write_section
from .settings import SettingError, check_settings, is_case, section_folder


class TallyGenerator(Generator):
    def generate_context(self):
        check_settings(self.settings)
        unpublished = [*self.context.get("hidden_pages", []), *self.context.get("draft_pages", [])]
        self.cases = case_pages(self.context.get("pages", []), self.settings)
        self.unpublished_cases = case_pages(unpublished, self.settings)
        self.section = None
        if section_folder(self.settings):  # section mode: the sums of the groups' files
            self.tally, self.section = section_tally(self.cases, self.settings)
            self._share_the_numbers()
        else:
            self.count()
        others = [p for p in self.context.get("pages", []) if not is_case(p.source_path, self.settings)]
        warn_of_wrong_case_counts([*others, *self.context.get("articles", [])], self.settings, len(self.tally.cases))
        self.context["section"] = self.section

    def count(self) -> TallyResult:
        """Read the CSV for the case pages this build found; the dev server
        calls it again after a saved tally (organizer/devserver/recounting.py)."""
        self.tally = tally_for(self.cases, self.settings, self.unpublished_cases)
        self._share_the_numbers()
        return self.tally

    def _share_the_numbers(self) -> None:
        self.share_facts = share_facts(self.tally, self.settings)
        if self.share_facts:
            self.tally.share_image = share_image.file_name(self.settings["TALLY_SHARE_IMAGE"], self.share_facts)
            self.tally.share_image_alt = self.share_facts.alt_text()
        self.context["tally"] = self.tally

    def generate_output(self, writer):
        if self.section:
            write_section(self, writer, self.section)
        self.write_numbers(self.output_path)

    def write_numbers(self, output_path: str) -> None:
        """tally.json, and the share picture of public builds."""
        siteurl = self.settings.get("SITEURL", "")
        report = self.tally.as_dict(siteurl)
        if self.section:
            report["groups"] = [group.as_dict(siteurl) for group in self.section.groups]
        os.makedirs(output_path, exist_ok=True)
        # The JSON Jinja's `tojson` writes (<, >, & and ' as \u escapes): names
        # are text, and a page that puts this file inside its HTML cannot be
        # made to run a tag.
        text = htmlsafe_json_dumps(report, ensure_ascii=False, indent=2)
        with open(os.path.join(output_path, "tally.json"), "w", encoding="utf-8") as out:
            out.write(text + "\n")
        if self.share_facts:
            share_image.draw(self.share_facts, os.path.join(output_path, self.tally.share_image))


def share_facts(tally: TallyResult, settings) -> share_image.ShareFacts | None:
    """What the share picture shows, or None: none is drawn before anything is
    counted (the theme's picture stays) or without TALLY_SHARE_IMAGE."""
    if not (settings.get("TALLY_SHARE_IMAGE") and tally.reported):
        return None  # (check_settings has made sure Pillow is there when it is on)
    return share_image.ShareFacts(
        title=plain(settings.get("SITENAME", "")),
        total=tally.total,
        goal=tally.goal,
        percent=tally.percent,
        lang=settings.get("DEFAULT_LANG", "en") or "en",
        translations=translations(settings),
    )


def translations(settings):
    """The site's words in DEFAULT_LANG: the event plugin's catalogs of the
    theme when it is installed, English otherwise (or with a theme without any)."""
    try:
        from pelican.plugins.event.translations import settings_translations
    except ImportError:
        from gettext import NullTranslations

        return NullTranslations()
    return settings_translations(settings)


class HideTallyTraceback(logging.Filter):
    """Pelican logs a fatal error with its traceback; a bad CSV or setting is
    the organizer's to fix, not a crash, so show just the problems."""

    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, SettingError):
            record.msg, record.args = "%s", (error,)
            record.exc_info = record.exc_text = None
        elif isinstance(error, TallyError):
            count = len(error.problems)
            record.msg = "%s %s. Fix %s and build again:\n%s"
            record.args = (
                "The pages have" if isinstance(error, ContentError) else "The tally has",
                "a problem" if count == 1 else f"{count} problems",
                "it" if count == 1 else "them",
                error,
            )
            record.exc_info = None
            record.exc_text = None
        return True


hide_traceback = HideTallyTraceback()
