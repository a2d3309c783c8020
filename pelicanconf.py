"""Settings for working on the site locally (`make serve`).

The event's details live in event.toml and nowhere else: EVENT below is read
from it, and every template reads them from EVENT. publishconf.py adds what
the public site needs.
"""

import hashlib
import os

from jinja2 import FileSystemBytecodeCache
from pelican.plugins.event.event_file import read_event_file
from pelican.plugins.event.language_sites import default_names
from pelican.settings import DEFAULT_CONFIG

# The event: every fact about your evening is in event.toml, beside this
# file, and nowhere else (`invoke init` fills it in). Everything else (the
# site's name, page titles, the footer, the invitation's details, the
# calendar file, the data for search engines, the goal) is made from EVENT,
# read from it here. A mistake in event.toml is one line naming its line.
# Facts still the shipped example's (its example_facts, and values with
# "Example" or an example.org address in them) show on every page you build
# here, and `invoke publish` refuses them (see "Make it yours" in README.md).
# (Beside this file; in the current folder when it is run without a name.)
_HERE = os.path.dirname(os.path.abspath(globals().get("__file__", "pelicanconf.py")))
EVENT_FILE = os.path.join(_HERE, "event.toml")
EVENT, EVENT_EXAMPLE_FACTS = read_event_file(EVENT_FILE)

# The site's language: the first of event.toml's languages (docs/languages.md);
# each other one is a translated site of its own at /<code>/.
DEFAULT_LANG = EVENT["languages"][0]
# The site's name, for this year and for each past year's site, and its
# subtitle: the theme's, in the site's language ("Write for Rights {year}",
# "Écrire pour les droits {year}"). To name it yourself, write your own:
# EVENT_SITENAME = "Letters for Rights {year}" and SITESUBTITLE = "...".
EVENT_SITENAME, SITESUBTITLE = default_names(os.path.join(_HERE, "theme"), DEFAULT_LANG)
SITENAME = EVENT_SITENAME.format(year=EVENT["start"].year)
# Past years (`invoke new-year` moves a year's pages, cases, posts, tally CSV
# and event.toml into content/archive/<year>/): each is built as a site of
# its own at /<year>/, listed on years.html (docs/new-year.md).
EVENT_ARCHIVE_PATH = "archive"
AUTHOR = EVENT["group"]
SITEURL = ""
RELATIVE_URLS = True
# Example values show in a banner on every page of this (local) build;
# publishconf.py refuses them instead.
EVENT_EXAMPLE_VALUES = "banner"

# The tally plugin: where the counts are (relative to the content folder;
# `invoke demo` sets TALLY_CSV to the example numbers) and the goal.
TALLY_CSV = os.environ.get("TALLY_CSV") or "data/tally.csv"
TALLY_GOAL = EVENT["goal"]
# A post with the results dated before the evening ends stops the build.
TALLY_RESULTS_AFTER = EVENT.get("end")
# Which folders of the content folder hold the cases: every page in them is one.
TALLY_CASE_PATHS = ["cases"]
# What the case page and its printed sheet cannot do without: a page missing
# one stops the build. Address and salutation may be left out where none was
# published with the case, if the page says "Address_confirmed: no".
TALLY_CASE_REQUIRED = ["Address", "Salutation", "Ask", "Official_title", "Order"]
TALLY_CASE_REQUIRED_UNLESS = {"Address": "Address_confirmed: no", "Salutation": "Address_confirmed: no"}
# The templates show an address or a salutation as confirmed unless the page
# says no: these lines must say yes or no, so "maybe" stops the build.
TALLY_CASE_YES_NO = ["Address_confirmed", "Salutation_confirmed"]

PATH = "content"
THEME = "theme"
TIMEZONE = EVENT["timezone"]
# Pelican formats this itself ("%-d" works on every system there); templates
# use the event plugin's long_date and clock filters.
DEFAULT_DATE_FORMAT = "%-d %B %Y"

# Our plugins live in plugins/ as installable packages; `make setup` installs
# them (editable), so they are named by their full module names.
PLUGINS = ["pelican.plugins.tally", "pelican.plugins.safe_titles", "pelican.plugins.event"]

ARTICLE_PATHS = ["posts"]
PAGE_PATHS = ["pages", *TALLY_CASE_PATHS]
STATIC_PATHS = []
# Hidden files (macOS's ._ copies, an editor's .# lock) are no pages. Pelican
# matches these against file names alone, which its default "**/.*" never is.
IGNORE_FILES = [".*"]
# Every page in the case folders is a case: it gets the case template.
EXTRA_PATH_METADATA = {folder: {"template": "case"} for folder in TALLY_CASE_PATHS}
# Slugs come from file names, so content/cases/annie-alfred.md is annie-alfred.
SLUGIFY_SOURCE = "basename"

# The invitation is the home page; the list of posts moves aside.
INDEX_SAVE_AS = "news.html"
ARTICLE_URL = "{slug}.html"
PAGE_URL = "{slug}.html"
PAGE_SAVE_AS = "{slug}.html"
# A page in another language has the same address as one in this site's: a
# translation (Lang: fr, the Slug of its original) is written by the site in
# its language, at that address there (/fr/<slug>.html), never by this one.
ARTICLE_LANG_URL, PAGE_LANG_URL = ARTICLE_URL, PAGE_URL
ARTICLE_LANG_SAVE_AS, PAGE_LANG_SAVE_AS = "{slug}.html", PAGE_SAVE_AS
# Only what the site links to: no author, category, tag or archive pages.
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
CATEGORY_SAVE_AS = CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = TAGS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
# live.html: the tally on a projector during the evening.
DIRECT_TEMPLATES = ["index", "404", "live"]
# True: while `invoke desk` runs, the live page `make serve` shows carries the
# QR code of the count desk's address (never its PIN), for phones in the room.
LIVE_DESK_QR = False

TYPOGRIFY = True
# Escape whatever templates print, unless a template marks it as HTML. The
# i18n extension: the theme's strings in DEFAULT_LANG (docs/languages.md).
JINJA_ENVIRONMENT = {**DEFAULT_CONFIG["JINJA_ENVIRONMENT"], "autoescape": True}
JINJA_ENVIRONMENT["extensions"] = [*JINJA_ENVIRONMENT.get("extensions", []), "jinja2.ext.i18n"]
# Templates are compiled once and kept in cache/ (checked against their source
# on every build), in a folder named after the options above, which shape the
# compiled code. Beside this file (_HERE, above).
_OPTIONS = hashlib.sha256(repr(sorted(JINJA_ENVIRONMENT.items())).encode()).hexdigest()[:16]
# Pelican's own caches (the calendar file, remembered pages) there too, not
# in whatever folder a command is run from.
CACHE_PATH = os.path.join(_HERE, "cache")
_TEMPLATE_CACHE = os.path.join(CACHE_PATH, f"jinja-{_OPTIONS}")
try:
    os.makedirs(_TEMPLATE_CACHE, exist_ok=True)
    JINJA_ENVIRONMENT["bytecode_cache"] = FileSystemBytecodeCache(_TEMPLATE_CACHE)
except OSError:
    pass  # a folder we cannot write to: templates are compiled on every build instead

# Feeds are for the public site only (publishconf.py).
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

DEFAULT_PAGINATION = False
