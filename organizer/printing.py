"""Printing for the evening: the case-sheet pack (one PDF of every case page
of a built site) and the flyer with a QR code of the public address."""

from __future__ import annotations

import sys
from pathlib import Path

from invoke import Exit

from organizer.project import OUTPUT, PREVIEW_OUTPUT, PUBLISH_SETTINGS, settings


def print_pack(name: str, site: Path, shown_as: Path):
    """Print every case page of the built `site` into site/<name>
    (plugins/event/casesheets.py); None, saying why, if it cannot be.
    Messages name the folder as `shown_as` (a build is printed before its swap)."""
    from pelican.plugins.event.casesheets import PackError, make_pack, pack_title

    try:
        return make_pack(site, name, title=pack_title(settings(PUBLISH_SETTINGS)))
    except PackError as error:
        print(f"Could not print the case-sheet pack ({shown_as.name}/{name}): {error}.", file=sys.stderr)
        return None


def say_printed(pack, name: str, folder: Path) -> None:
    from pelican.plugins.event.casesheets import PAPER

    print(f"Printed {len(pack.cases)} case sheets into {folder.name}/{name}.")
    for sheet in pack.long_sheets:
        print(f"  {sheet} does not fit on one {PAPER} sheet: shorten that case page.", file=sys.stderr)


def casesheets() -> None:
    """Print every case sheet of the public build (output-preview/) into one PDF."""
    name = settings(PUBLISH_SETTINGS).get("CASE_SHEETS_PDF") or "case-sheets.pdf"
    if not (pack := print_pack(name, PREVIEW_OUTPUT, PREVIEW_OUTPUT)):
        raise Exit(code=1)
    say_printed(pack, name, PREVIEW_OUTPUT)


def flyer() -> None:
    """Print the flyer of the site in output/ into output/flyer.pdf; refused
    while the public address or any other value is still the example's."""
    from pelican.plugins.event.flyer import FlyerError, make_flyer, render, what_to_bring
    from pelican.plugins.event.translations import translations_for

    public = settings(PUBLISH_SETTINGS)
    url = public["SITEURL"]
    _refuse_an_example_flyer(public, url)
    home = OUTPUT / "index.html"
    if not home.exists():
        raise Exit(f"No flyer: there is no built site in {OUTPUT.name}/. Build it first (invoke build).", code=1)
    lang = public.get("DEFAULT_LANG", "en")
    bring = what_to_bring(home.read_text(encoding="utf-8"), translations_for(public["THEME"], lang))
    if bring is None:
        raise Exit(
            'No flyer: the invitation (content/pages/invitation.md) has no "What to bring" list, '
            'which the flyer prints. Add the heading "## What to bring" and a list under it.',
            code=1,
        )
    try:
        html = render(
            public["EVENT"],
            public["SITENAME"],
            url,
            bring,
            template_dirs=[Path(public["THEME"]) / "templates"],
            lang=lang,
            theme=public["THEME"],
        )
        make_flyer(html, OUTPUT / "flyer.pdf")
    except FlyerError as error:
        raise Exit(f"No flyer: {error}.", code=1)
    print(f"Printed the flyer into {OUTPUT.name}/flyer.pdf (page 1 A4, page 2 US Letter); its QR code leads to {url}")


def _refuse_an_example_flyer(public: dict, url: str) -> None:
    from pelican.plugins.event.examples import example_values
    from pelican.plugins.event.flyer import address_problem

    if problem := address_problem(url):
        raise Exit(
            f"No flyer: its QR code would lead to SITEURL {url!r} from publishconf.py, and {problem}. "
            "Set your site's public address there (or SITEURL=https://... in the environment).",
            code=1,
        )
    if found := example_values(public):
        raise Exit(
            f"No flyer: the site still has {len(found)} example value{'s' if len(found) > 1 else ''} "
            f'(first: {str(found[0]).rstrip(".")}). Make the site yours first (see "Make it yours" in README.md).',
            code=1,
        )
