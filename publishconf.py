"""Settings for the public site (`invoke preview`, `publish`, `gh-pages`).

Where the site goes: SITEURL (its public address: EVENT["public_address"] in
pelicanconf.py), PUBLISH_TARGET (where `invoke publish` copies it with rsync
over ssh) and
GITHUB_PAGES_BRANCH (for `invoke gh-pages`). An environment variable of the
same name overrides each, so a deploy can change them without editing files.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: E402,F403

SITEURL = (os.environ.get("SITEURL") or EVENT["public_address"]).rstrip("/")  # noqa: F405
PUBLISH_TARGET = os.environ.get("PUBLISH_TARGET", "")  # e.g. me@example.org:/var/www/w4r/
GITHUB_PAGES_BRANCH = os.environ.get("GITHUB_PAGES_BRANCH", "gh-pages")
RELATIVE_URLS = False
LIVE_DESK_QR = False  # the count desk is on the room's network, not on the public site
# The public site never carries an example value: the build stops instead.
EVENT_EXAMPLE_VALUES = "refuse"

FEED_ALL_ATOM = "feeds/all.atom.xml"

# The public build lives apart from output/, the site `make serve` shows, so a
# direct `pelican content -s publishconf.py` never replaces that one. The invoke
# tasks build into a new folder beside it and swap it in only when it succeeded.
OUTPUT_PATH = "output-preview"
DELETE_OUTPUT_DIRECTORY = True

# sitemap.xml for search engines (the pelican-sitemap plugin). Its addresses
# must be absolute, so it is made for the public site only.
PLUGINS = [*PLUGINS, "pelican.plugins.sitemap"]  # noqa: F405
SITEMAP = {"format": "xml", "exclude": [r"^404\.html$", r"^live\.html$"]}  # live: for the room

# Once actions are counted, shared links show a picture of the total and the
# bar toward the goal (1200x630 PNG, drawn by the tally plugin with Pillow).
# {key} changes with the numbers, so social networks never show an old total.
# Only here: drawing it would slow every local rebuild for a picture nobody
# sees there. None: always the theme's picture.
TALLY_SHARE_IMAGE = "images/tally-{key}.png"

# One PDF of every case sheet, to print for the evening. `invoke preview`,
# `publish` and `gh-pages` make it with Chromium after the build (so does
# `invoke casesheets`), and the cases page links to it. None for neither.
CASE_SHEETS_PDF = "case-sheets.pdf"
