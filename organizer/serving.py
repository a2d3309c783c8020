"""The commands that serve a site on this computer (make serve, invoke serve,
regenerate, demo): a busy port, a wrong HOST or a watcher that stops is one
line and a non-zero exit, never a traceback."""

from __future__ import annotations

import os
import sys
import threading

from invoke import Exit

from organizer.building import build_or_exit, dev_builder, summary
from organizer.project import CONTENT, DEMO_OUTPUT, HOST, LOCAL_SETTINGS, OUTPUT, port, watched_paths
from organizer.site_output import sigterm_as_interrupt

EXAMPLE_TALLY = "data/tally.example.csv"


def listen_or_exit(listen, another_port: str) -> None:
    """Run `listen()`; a port in use or a HOST that is not this computer's ends
    the task with one line (`another_port` says how to choose another port)."""
    from organizer.devserver.server import BadHost, PortInUse

    try:
        listen()
    except PortInUse as error:
        raise Exit(error.sentence(another_port), code=1)
    except BadHost as error:
        raise Exit(str(error), code=2)


def serve_output() -> None:
    """Serve output/ as it is until Ctrl-C."""
    from organizer.devserver.server import serve_static

    listen_or_exit(lambda: serve_static(OUTPUT, HOST, port()), "PORT={port} invoke serve")


def regenerate() -> None:
    """Rebuild on every change, without serving."""
    from organizer.devserver.watching import WatchError, watch_and_build

    builder = dev_builder()

    def report(result, changed=()):
        if result.ok:
            print(summary(OUTPUT, result.seconds), flush=True)
        else:
            print(f"Build failed: {OUTPUT.name}/ was left exactly as it was.", file=sys.stderr, flush=True)

    # One rebuild per batch of changes, and none while nothing changes: a
    # broken CSV is reported once and then waits for the next save.
    try:
        watch_and_build(
            builder,
            watched_paths(),
            report,
            threading.Event(),
            ready=lambda: print("Watching for changes. Ctrl-C stops.", flush=True),
        )
    except KeyboardInterrupt:
        pass
    except WatchError as error:
        raise Exit(str(error), code=1)


def livereload() -> None:
    """Build, serve and rebuild on every change, reloading the browser."""
    from organizer.devserver.live import serve
    from organizer.devserver.server import BadHost, PortInUse
    from organizer.devserver.watching import WatchError

    try:
        with sigterm_as_interrupt():  # stopped or its terminal closed: no half-built folder left
            serve(dev_builder(), watched_paths(), HOST, port())
    except (PortInUse, WatchError) as error:
        raise Exit(str(error), code=1)
    except BadHost as error:
        raise Exit(str(error), code=2)


def demo(serve=True, at_port=None) -> None:
    """The site with the example numbers, built into output-demo/ (and served)."""
    # Through the environment, so every rebuild of the watcher uses them too;
    # every page then says "example numbers", and publish refuses them. Into
    # a folder of its own: output/ is what make serve (and a projector) shows.
    os.environ["TALLY_CSV"] = EXAMPLE_TALLY
    print(f"Using the example numbers in {CONTENT.name}/{EXAMPLE_TALLY}: every page says so.")
    if not serve:
        build_or_exit(LOCAL_SETTINGS, DEMO_OUTPUT)
        return
    from organizer.devserver.live import serve as serve_live
    from organizer.devserver.server import PortInUse
    from organizer.devserver.watching import WatchError

    builder = dev_builder(DEMO_OUTPUT)
    try:
        serve_live(builder, watched_paths(), HOST, port(at_port) if at_port else port() + 2)
    except PortInUse as error:
        raise Exit(error.sentence("invoke demo --port {port}"), code=1)
    except WatchError as error:
        raise Exit(str(error), code=1)
