"""The public build (invoke preview, and before every upload): refused while
an example value is left, printed with its case-sheet pack, and put into
output-preview/ only when the build and the pack both succeeded."""

from __future__ import annotations

import sys
from pathlib import Path

from invoke import Exit

from organizer.building import build_site
from organizer.printing import print_pack, say_printed
from organizer.project import HOST, NOTHING_PUBLISHED, PREVIEW_OUTPUT, PUBLISH_SETTINGS, port, settings
from organizer.serving import listen_or_exit


def refuse_example_values() -> None:
    """Before a public build: stop, listing every example value still in the
    site (plugins/event/examples.py), building and uploading nothing."""
    from pelican.plugins.event.examples import example_values, refusal

    if found := example_values(settings(PUBLISH_SETTINGS)):
        raise Exit(refusal(found), code=1)


def preview(serve=False, at_port=None) -> None:
    """Build the public site into output-preview/; with `serve`, serve it here."""
    from organizer.devserver.server import check_address, serve_static

    refuse_example_values()
    at_port = port(at_port, "--port", "invoke preview --serve --port 8001") if at_port else port() + 1
    another_port = "invoke preview --serve --port {port}"
    overrides = {}
    if serve:
        listen_or_exit(lambda: check_address(HOST, at_port), another_port)  # said now, not after the build
        # Its absolute addresses must point here to be looked at here (and only then may).
        overrides["SITEURL"] = overrides["EVENT_PREVIEW_SITEURL"] = f"http://{HOST}:{at_port}"
    build_public(for_upload=False, **overrides)
    if serve:
        listen_or_exit(lambda: serve_static(PREVIEW_OUTPUT, HOST, at_port), another_port)
    else:
        print(
            f"To look at it on this computer: invoke preview --serve "
            f"(it is built for {settings(PUBLISH_SETTINGS)['SITEURL']}/)."
        )


def build_for_upload() -> None:
    """The public build as an upload needs it, for a CI that uploads it itself
    (the GitHub Pages workflow): refused like `invoke publish`, pack and all."""
    refuse_example_values()
    build_public(for_upload=True)


def _now_where_the_event_is(public: dict):
    """The build's time (SOURCE_DATE_EPOCH if set) as a clock at the event shows it."""
    from zoneinfo import ZoneInfo

    from pelican.plugins.event.dates import BuildDateError, build_clock

    try:
        return build_clock(ZoneInfo((public.get("EVENT") or {}).get("timezone") or "UTC"))
    except (BuildDateError, KeyError, TypeError, ValueError):  # a bad SOURCE_DATE_EPOCH or zone: the build says so
        return None


def build_public(for_upload: bool, **overrides) -> None:
    """Build the public site into output-preview/ with its case-sheet pack
    (CASE_SHEETS_PDF), printed into the new build before it replaces the old
    one: output-preview/ is the old build or the whole new one, even after a
    Ctrl-C. Exits if either cannot be made; for an upload, also without Chromium."""
    public = settings(PUBLISH_SETTINGS)
    name = _pack_name(public, for_upload, overrides)
    without_pack = _without_pack(for_upload)
    printed = []  # what print_pack made of the build: a Pack, or None if it could not print one

    def print_into(staging: Path) -> bool:
        printed.append(print_pack(name, staging, PREVIEW_OUTPUT))
        return printed[-1] is not None

    # A results post dated after today would be published showing a day that has not come.
    overrides.setdefault("TALLY_RESULTS_NOT_AFTER", _now_where_the_event_is(public))
    if not build_site(PUBLISH_SETTINGS, PREVIEW_OUTPUT, before_swap=print_into if name else None, **overrides):
        if None in printed:
            raise Exit(f"{NOTHING_PUBLISHED} {without_pack}" if for_upload else without_pack, code=1)
        raise Exit(code=1)
    if printed:
        say_printed(printed[0], name, PREVIEW_OUTPUT)


def _pack_name(public: dict, for_upload: bool, overrides: dict) -> str | None:
    """The case-sheet pack's file name, or None for a build without it. Without
    Chromium an upload exits; a preview goes on without the pack and without
    the link to it (overrides gets CASE_SHEETS_PDF = None): nothing points nowhere."""
    from pelican.plugins.event.casesheets import missing_tool

    name = public.get("CASE_SHEETS_PDF")
    if not name or not (missing := missing_tool()):
        return name
    if for_upload:
        raise Exit(
            f"The case-sheet pack ({name}) cannot be printed: {missing}. {NOTHING_PUBLISHED} {_without_pack(True)}", 1
        )
    print(
        f"Skipped the case-sheet pack ({PREVIEW_OUTPUT.name}/{name}): {missing}. This build's cases page "
        "does not link to it: run `invoke preview` again once Chromium can print it.",
        file=sys.stderr,
    )
    overrides["CASE_SHEETS_PDF"] = None
    return None


def _without_pack(for_upload: bool) -> str:
    return f"To {'publish' if for_upload else 'build'} without the pack, set CASE_SHEETS_PDF = None in publishconf.py."
