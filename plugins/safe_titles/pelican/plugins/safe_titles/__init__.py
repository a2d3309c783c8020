"""Treat Markdown titles and summaries as plain text, never as markup.

Escaping them as they are read makes them safe HTML for every template (print
them with `|safe` in text and `|striptags` in attributes), typogrify still
curls their quotes, other metadata stay plain strings (Jinja's autoescape
escapes those), and the Markdown bodies of pages stay trusted, as Pelican users
expect.
"""

import html

from pelican import signals
from pelican.readers import MarkdownReader

# Why: Pelican keeps a Markdown title as written and renders the `Summary` as
# Markdown (FORMATTED_FIELDS), and typogrify then treats both as HTML, so a
# title such as `Q&A <draft>` or a summary with `<script>` would reach every
# page, feed and share card as raw tags.
PLAIN_FIELDS = ("title", "summary")


class PlainTitleMarkdownReader(MarkdownReader):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # This reader's own copy: the summary is no longer rendered as Markdown.
        self.settings = {
            **self.settings,
            "FORMATTED_FIELDS": [name for name in self.settings["FORMATTED_FIELDS"] if name not in PLAIN_FIELDS],
        }

    def process_metadata(self, name, value):
        if name in PLAIN_FIELDS and isinstance(value, list):
            value = " ".join(value)  # a summary over several lines is one text
        value = super().process_metadata(name, value)
        if name in PLAIN_FIELDS and isinstance(value, str):
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
