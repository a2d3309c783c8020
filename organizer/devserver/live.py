"""The whole loop of `make serve`: build, serve, rebuild on every change and
tell the terminal and the open pages."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from organizer.building import summary
from organizer.devserver.builder import Builder, BuildResult
from organizer.devserver.server import SiteServer
from organizer.devserver.watching import watch_and_build


def serve(
    builder: Builder,
    watch: list[str],
    host: str,
    port: int,
    stop: threading.Event | None = None,
    say: Callable[[str], None] = print,
    complain: Callable[[str], None] | None = None,
) -> None:
    """Build, serve and rebuild on change until Ctrl-C (or `stop` is set).

    Raises PortInUse (or BadHost) before building anything if the port is taken (or HOST is wrong)."""
    complain = complain or (lambda text: print(text, file=sys.stderr, flush=True))
    stop = stop or threading.Event()
    server = SiteServer(host, port, builder.output, lock=builder.lock)
    plugins = [str(Path(p).resolve()) for p in watch if Path(p).name == "plugins"]

    def report(result: BuildResult, changed: set[str] = frozenset()):
        _say_stale_plugin_code(server, plugins, changed, complain)
        if result.ok:
            say(summary(builder.output, result.seconds))
        else:
            kept = (
                f"{builder.output.name}/ still holds the last good site"
                if (builder.output / "index.html").exists()
                else "there is no good build to show yet"
            )
            complain(f"Build failed: {kept}; the open page shows the problems.")
        # A good build's lines are warnings (a totals row that disagrees): shown too, to check.
        server.state.built(result.problems, failed=not result.ok)

    def listen():
        server.serve_in_thread()
        say(f"Open {server.url} in your browser. Ctrl-C stops the server.")

    try:
        watch_and_build(builder, watch, report, stop, ready=listen)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.stop()
        builder.discard_spare()


def _say_stale_plugin_code(server: SiteServer, plugins: list[str], changed: set[str], complain) -> None:
    """Plugin code is loaded once: a changed .py file under plugins/ is named
    once, in the terminal and in the box, until make serve starts again."""
    code = sorted(
        os.path.relpath(p) for p in changed if p.endswith(".py") and any(p.startswith(folder) for folder in plugins)
    )
    for name in code:
        line = f"{name} changed: plugin code is loaded once. Stop (Ctrl-C) and run make serve again to use it."
        if line not in server.state.stale_code:
            server.state.stale_code.append(line)
            complain(line)
