"""Posts that show the results wait for the results: such a post is left out
of the build (no page, no news entry, no feed entry) until the tally CSV has a count."""

# A post whose Markdown has the results marker line (<!-- tally:results -->)
# thanks people for letters and shows the count: before anything is counted it
# would claim results that do not exist.

from __future__ import annotations

import csv
import functools
import io
from pathlib import Path

from .columns import COUNT_COLUMNS, column_of
from .problems import TallyError
from .reading import decode, guess_delimiter, header_row, read_file
from .totals_rows import is_totals_row

RESULTS_MARKER = "<!-- tally:results -->"


def has_counts(path: str | Path) -> bool:
    """True when the CSV at ``path`` has a row the tally counts: one with a
    letters, cards or e-mails cell filled in (the rule the tally reader uses;
    0 is a count). A missing file, a header alone, a totals row, rows of
    notes or participants only, or case names with empty count cells (a sheet
    made ready for the evening): False. A file the reader would refuse counts
    as True here, so the build goes on and the reader says what is wrong (a
    FIFO or a folder is refused, never waited on)."""
    try:
        data = read_file(path, str(path))
        if data is None:
            return False
        text = decode(data, str(path))[0]
    except TallyError:
        return True
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=guess_delimiter(text))
    try:
        header, _ = header_row(rows)
        if header is None:
            return False
        columns = [column_of(cell) for cell in header]
        if "case" not in columns:
            return True
        case_at = columns.index("case")
        wanted = [i for i, column in enumerate(columns) if column in COUNT_COLUMNS]
        return any(
            any(row[i].strip() for i in wanted if i < len(row))
            and not (case_at < len(row) and is_totals_row(row[case_at]))
            for row in rows
        )
    except csv.Error:
        return True


def hold_back_results_posts(generator) -> None:
    """article_generator_pretaxonomy: drop results posts while nothing is counted."""
    from . import enabled
    from .section import section_has_counts
    from .settings import csv_path, section_folder

    folder = section_folder(generator.settings)
    counted = section_has_counts(folder, has_counts) if folder else has_counts(csv_path(generator.settings))
    if not enabled(generator.settings) or counted:
        return  # another site in this process, or there are counts
    waiting = [a for a in generator.articles if RESULTS_MARKER in a._content]
    for article in waiting:
        generator.articles.remove(article)
    for translation in [t for t in generator.translations if RESULTS_MARKER in t._content]:
        generator.translations.remove(translation)


def results_in_feeds(context, feed) -> None:
    """feed_generated: a feed entry of a results post gets the results where
    its page has them (the feed holds the post's Markdown output, in which
    the marker line is an empty HTML comment), drawn by the same macros."""
    from . import enabled

    tally = context.get("tally")
    if tally is None or not enabled(context):
        return  # another site in this process, or no tally in this build
    for item in feed.items:
        for key in ("content", "description"):
            if RESULTS_MARKER in (item.get(key) or ""):
                html = results_html(tally, context.get("SITEURL", ""), context.get("DEFAULT_LANG", "en"), context)
                item[key] = item[key].replace(RESULTS_MARKER, html)


def results_html(tally, siteurl: str = "", lang: str = "en", settings=None) -> str:
    """The progress toward the goal and the table of every case, as HTML, in
    `lang` (the settings' DEFAULT_LANG, with their THEME's catalog)."""
    macros, catalog = _macros(lang or "en", str((settings or {}).get("THEME", "")))
    label = catalog.gettext("Our letters, cards and e-mails")
    parts = [macros.progress_bar(tally, label, "feed-progress")] if tally.goal else []
    return "".join([*parts, macros.results_table(tally, siteurl)])


@functools.cache
def _macros(lang: str = "en", theme: str = ""):
    from jinja2 import Environment, FileSystemLoader

    from . import TEMPLATES, number
    from .generator import translations

    # The macros escape what they print themselves, for themes without autoescape.
    environment = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=False, extensions=["jinja2.ext.i18n"])
    environment.filters["number"] = lambda n: number(n, lang)
    catalog = translations({"THEME": theme, "DEFAULT_LANG": lang})
    environment.install_gettext_translations(catalog, newstyle=True)
    return environment.get_template("tally/macros.html").module, catalog
