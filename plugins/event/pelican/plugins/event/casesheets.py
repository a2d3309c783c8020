"""The case-sheet pack: every case page of a built site, printed by Chromium
as the browser prints it (A4, the site's print stylesheet), one after the
other in the site's case order, in one PDF to print for the evening.

Not part of the Pelican build: `invoke casesheets` (and `invoke preview`) run
`make_pack` on output/ after building, and the pages are served to Chromium
straight from the built folder, so nothing is fetched from the network, even
when the pages link to their public address.
"""

from __future__ import annotations

import asyncio
import importlib.util
import io
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .chromium import chromium_missing, find_chromium, launch
from .translations import N_, settings_translations

PAPER = "A4"
# Where pages built with relative links are served from: a name no DNS answers.
LOCAL_ORIGIN = "http://case-sheets.invalid/"


class PackError(Exception):
    """The pack cannot be made; the message says why and what to do."""


@dataclass
class Pack:
    path: Path
    cases: list[tuple[str, int]]  # (title, pages printed) in the pack's order

    @property
    def long_sheets(self) -> list[str]:
        """Cases that do not fit on one sheet of paper."""
        return [f"{title} ({pages} pages)" for title, pages in self.cases if pages != 1]


def missing_tool(chromium: Path | None = None) -> str | None:
    """What is missing to print, or None."""
    if reason := chromium_missing(chromium):
        return reason
    for module in ("playwright", "pypdf"):
        if importlib.util.find_spec(module) is None:
            return f"the Python package {module} is not installed (the plugin's print extras: playwright, pypdf; in this project `make publish` or `make preview` installs them)"
    return None


# The PDF's title, as a reader's PDF viewer shows it.
PACK_TITLE = N_("Case sheets")


def pack_title(settings) -> str:
    """The pack's title in the settings' DEFAULT_LANG."""
    return settings_translations(settings).gettext(PACK_TITLE)


def make_pack(site: Path, name: str = "case-sheets.pdf", chromium: Path | None = None, title: str = "") -> Pack:
    """Print the case pages of the built `site` into `site/name`, in the order
    of tally.json's "cases" (the site's own case order), titled `title` (the
    site's language: pack_title)."""
    site = Path(site).resolve()
    report = site / "tally.json"
    if not report.exists():
        raise PackError(f"there is no built site in {site.name}/: build it first (invoke build or invoke preview)")
    chromium = chromium or find_chromium()
    if reason := missing_tool(chromium):
        raise PackError(reason)
    from playwright.sync_api import Error as BrowserError
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader, PdfWriter

    cases = json.loads(report.read_text(encoding="utf-8"))["cases"]
    root = _site_root(site, cases[0]["url"]) if cases else LOCAL_ORIGIN
    writer, printed = PdfWriter(), []
    asyncio_log = logging.getLogger("asyncio")
    asyncio_log.addFilter(_not_a_cancellation)
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright, chromium)
            page = browser.new_page()
            page.route("**/*", lambda route: _serve(route, site, root))
            for case in cases:
                response = page.goto(case["url"] if "://" in case["url"] else root + case["url"])
                if not response.ok:
                    raise PackError(f"{case['url']} (from tally.json) is not a page of {site.name}/")
                sheet = PdfReader(io.BytesIO(page.pdf(format=PAPER)))  # print media, like Ctrl-P
                writer.add_outline_item(case["title"], len(writer.pages))
                writer.append(sheet)
                printed.append((case["title"], len(sheet.pages)))
            browser.close()
    except BrowserError as error:
        raise PackError(f"Chromium could not print the case pages ({error.message.splitlines()[0]})") from None
    finally:
        asyncio_log.removeFilter(_not_a_cancellation)
    writer.add_metadata({"/Title": title or PACK_TITLE})
    return Pack(write_pdf(writer, site / name), printed)


def _not_a_cancellation(record: logging.LogRecord) -> bool:
    """A Ctrl-C while printing cancels Playwright's pending requests, which
    asyncio would log as errors with a traceback each: they are not errors."""
    return not (record.exc_info and isinstance(record.exc_info[1], asyncio.CancelledError))


def write_pdf(writer, path: Path) -> Path:
    """Write a pypdf `writer` to `path` whole or not at all: never a half-written PDF."""
    partial = path.with_name(f".{path.name}.part")
    try:
        with open(partial, "wb") as out:
            writer.write(out)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def _site_root(site: Path, case_url: str) -> str:
    """The address the site's pages start with, e.g. https://example.org/w4r/,
    found as the part of a case's URL that is not a file in `site`."""
    if "://" not in case_url:
        return LOCAL_ORIGIN
    start = len(urlsplit(case_url)._replace(path="").geturl())
    for slash in [i for i, c in enumerate(case_url) if c == "/" and i >= start]:
        if (site / unquote(case_url[slash + 1 :])).is_file():
            return case_url[: slash + 1]
    raise PackError(f"{case_url} (from tally.json) is not a page of {site.name}/")


def _serve(route, site: Path, root: str) -> None:
    """Answer Chromium's requests under `root` from the files in `site`; refuse the rest."""
    url = route.request.url.split("#")[0].split("?")[0]
    if not url.startswith(root):
        route.abort()
        return
    file = (site / unquote(url[len(root) :])).resolve()
    if file.is_dir():
        file = file / "index.html"
    if file.is_relative_to(site) and file.is_file():
        route.fulfill(path=str(file))
    else:
        route.fulfill(status=404, body="not found")
