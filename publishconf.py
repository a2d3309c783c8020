"""Settings for the public site (`invoke publish`, `invoke gh-pages`).

SITEURL is the address the site is published at; the environment variable
SITEURL overrides it, so a deploy can change it without editing this file.
"""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "https://w4r-nyc.example.org")
RELATIVE_URLS = False

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"

DELETE_OUTPUT_DIRECTORY = True
