"""The flyer: one page to pin up or hand out before the evening, with the
event's name, date, time, place, what to bring, and a QR code of the site's
public address (drawn with segno as inline SVG, so it stays sharp at any size),
printed by Debian's Chromium, the way the case-sheet pack is, into one PDF:
page 1 on A4, page 2 on US Letter, so it prints well on either side of the
Atlantic.

Not part of the Pelican build: `invoke flyer` calls `make_flyer` on the built
site, and the page needs nothing from the network.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from .casesheets import PackError, missing_tool, write_pdf
from .chromium import find_chromium, launch
from .public_address import public_address_problem
from .translations import N_

TEMPLATES = Path(__file__).parent / "templates"
PAPERS = ("A4", "Letter")


class FlyerError(PackError):
    """The flyer cannot be made; the message says why and what to do."""


@dataclass
class Flyer:
    path: Path
    pages: dict[str, int]  # paper -> pages it took: 1 each, or make_flyer refuses


def address_problem(url: str) -> str | None:
    """Why `url` cannot be printed as the site's public address, or None: the
    rule every public build follows (public_address.public_address_problem)."""
    problem = public_address_problem(url)
    return str(problem) if problem else None


# The invitation's list under its "What to bring" heading (typogrify may
# have joined the words with a no-break space; after the evening the home
# page keeps the invitation a level down, under h3s). The heading is the
# English one or, on a site in another language, the catalog's (the
# organizer writes the invitation in the site's language).
SPACE = r"(?:\s|&nbsp;|&#160;|\xa0)+"


def bring_pattern(heading: str) -> re.Pattern:
    """The heading (any spaces between its words) and the list under it."""
    words = SPACE.join(re.escape(word) for word in heading.split())
    return re.compile(rf"<h([23])[^>]*>\s*{words}\s*</h\1>\s*(<ul>.*?</ul>)", re.IGNORECASE | re.DOTALL)


BRING = bring_pattern("What to bring")


def what_to_bring(home_html: str, translations=None) -> Markup | None:
    """The "What to bring" list of the built home page (the invitation), as
    the site shows it: the flyer says what the invitation says. With the
    site's `translations`, its heading in the site's language is found too."""
    found = BRING.search(home_html)
    if found is None and translations is not None:
        found = bring_pattern(translations.gettext("What to bring")).search(home_html)
    return Markup(found.group(2)) if found else None  # the site's own HTML, escaped when it was built


# What a screen reader says of the flyer's QR code ({url}: the site's address).
QR_TITLE = N_("QR code of {url}")


def qr_svg(url: str, title: str = QR_TITLE) -> Markup:
    """`url` as a QR code in inline SVG (dark modules on white, the quiet zone
    included), named by `title` (in the flyer's language)."""
    try:
        import segno
    except ImportError:
        raise FlyerError(
            "the Python package segno is not installed (the plugin's print extras: playwright, pypdf, segno)"
        ) from None

    code = segno.make(url, error="m", micro=False)
    return Markup(
        code.svg_inline(scale=1, omitsize=True, border=4, dark="#000", light="#fff", title=title.format(url=url))
    )


def render(
    event: dict, sitename: str, url: str, bring: Markup, template_dirs=(), lang: str = "en", theme: str | Path = ""
) -> str:
    """The flyer as one self-contained HTML page, in `lang` (DEFAULT_LANG:
    the words from `theme`'s catalog, the dates by Babel). A theme may
    replace it with its own templates/event/flyer.html (give its folder in
    `template_dirs`)."""
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

    from .local_dates import filters
    from .translations import translations_for

    env = Environment(
        loader=ChoiceLoader([FileSystemLoader([str(d) for d in template_dirs]), FileSystemLoader(str(TEMPLATES))]),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    translations = translations_for(theme, lang)
    env.install_gettext_translations(translations, newstyle=True)
    env.filters.update(filters(lang))
    return env.get_template("event/flyer.html").render(
        EVENT=event,
        SITENAME=sitename,
        url=url,
        qr=qr_svg(url, translations.gettext(QR_TITLE)),
        bring=bring,
        lang=lang or "en",
    )


def make_flyer(html: str, path: Path, chromium: Path | None = None) -> Flyer:
    """Print `html` once on each paper into `path`; refuse (FlyerError, nothing
    written) if it does not fit one sheet of every paper."""
    chromium = chromium or find_chromium()
    if reason := missing_tool(chromium):
        raise FlyerError(reason)
    from playwright.sync_api import Error as BrowserError
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader, PdfWriter

    writer, pages = PdfWriter(), {}
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright, chromium)
            page = browser.new_page()
            page.route("**/*", lambda route: route.abort())  # everything is inline: fetch nothing
            page.set_content(html)
            for paper in PAPERS:
                printed = PdfReader(io.BytesIO(page.pdf(format=paper, print_background=True)))
                pages[paper] = len(printed.pages)
                writer.append(printed)
            browser.close()
    except BrowserError as error:
        raise FlyerError(f"Chromium could not print the flyer ({error.message.splitlines()[0]})") from None
    too_long = [f"{n} {paper} pages" for paper, n in pages.items() if n != 1]
    if too_long:
        raise FlyerError(
            f"the flyer does not fit on one sheet ({', '.join(too_long)}): "
            "shorten the event's details or the invitation's 'What to bring' list"
        )
    writer.add_metadata({"/Title": "Flyer"})
    return Flyer(write_pdf(writer, Path(path)), pages)
