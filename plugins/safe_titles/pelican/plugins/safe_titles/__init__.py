"""Treat Markdown titles as plain text.

Pelican keeps a Markdown title as written and typogrify then treats it as
HTML, so a title such as `Q&A <draft>` would reach the page as a raw tag.
Escaping the title as it is read makes it safe HTML for every template
(and typogrify still curls its quotes).
"""

import html

from pelican import signals
from pelican.readers import MarkdownReader


class PlainTitleMarkdownReader(MarkdownReader):
    def process_metadata(self, name, value):
        value = super().process_metadata(name, value)
        if name == "title" and isinstance(value, str):
            value = html.escape(value, quote=False)
        return value


def use_plain_titles(readers):
    if __name__ not in (readers.settings.get("PLUGINS") or ()):
        return  # signals are process-wide: only for a Pelican that lists this plugin
    for extension, reader_class in readers.reader_classes.items():
        if reader_class is MarkdownReader:
            readers.reader_classes[extension] = PlainTitleMarkdownReader


def register():
    signals.readers_init.connect(use_plain_titles)
