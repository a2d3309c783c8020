"""The HTTP server of `make serve` (and of `invoke serve` and `preview --serve`):
serves a built site from its folder, and for the dev server adds the reload
script and the problems box to every HTML page (page_additions.py)."""

from __future__ import annotations

import errno
import os
import socket
import threading
import time
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from organizer.devserver.page_additions import ASSETS, asset, decorate
from organizer.hosts import ANY_ADDRESS, host_allowed
from organizer.project import DESK_QR


class PortInUse(Exception):
    """The port is taken (another `make serve`?) or not ours to use."""

    def __init__(self, host: str, port: int, reason: str):
        self.host, self.port, self.reason = host, port, reason
        super().__init__(self.sentence())

    def sentence(self, how: str = "PORT={port} make serve") -> str:
        """One line for the organizer; `how` says how to choose another port."""
        return f"Port {self.port} on {self.host} {self.reason}. Choose another port: {how.format(port=self.port + 1)}"


class BadHost(Exception):
    """HOST is no address of this computer: nothing can listen there."""

    def __init__(self, host: str):
        super().__init__(
            f'HOST is "{host}", which is not an address of this computer: leave HOST unset (127.0.0.1, this '
            "computer only) or give one of its addresses (HOST=0.0.0.0 for all of them, to be seen from other devices)."
        )


class SiteState:
    """What the server shows: the epoch (one per build) and the last build's
    lines: its problems if it failed, else its warnings (things to check)."""

    def __init__(self):
        self._condition = threading.Condition()
        self._run = f"{time.time():.0f}"  # a new server means a new site: reload
        self._count = 0
        self.lines: list[str] = []
        self.failed = False
        self.stale_code: list[str] = []

    @property
    def epoch(self) -> str:
        return f"{self._run}-{self._count}"

    def built(self, lines: list[str], failed: bool) -> None:
        with self._condition:
            self.lines, self.failed = list(lines), failed
            self._count += 1
            self._condition.notify_all()

    def wait_for_change(self, seen: str, timeout: float) -> str:
        with self._condition:
            self._condition.wait_for(lambda: self.epoch != seen, timeout=timeout)
            return self.epoch

    def wake(self) -> None:
        with self._condition:
            self._condition.notify_all()


class SiteServer(ThreadingHTTPServer):
    """Serves the built site from `root`; with `live`, every HTML page gets the
    reload script and, after a failed build, the banner of problems."""

    daemon_threads = True  # an open tab's event stream never holds up Ctrl-C

    def __init__(self, host: str, port: int, root: Path, lock: threading.Lock | None = None, live: bool = True):
        self.root = Path(root)
        self.host = host
        self.lock = lock or threading.Lock()
        self.live = live
        self.state = SiteState()
        self.stopping = threading.Event()
        try:
            super().__init__((host, port), SiteHandler)
        except PermissionError:
            raise PortInUse(host, port, "needs administrator rights") from None
        except socket.gaierror:  # not an address, nor a name that resolves to one
            raise BadHost(host) from None
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise PortInUse(host, port, "is already in use (is `make serve` running elsewhere?)") from None
            if error.errno == errno.EADDRNOTAVAIL:  # an address, but another computer's
                raise BadHost(host) from None
            raise

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"

    def serve_in_thread(self) -> None:
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.1}, name="server", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.state.wake()
        if getattr(self, "_thread", None):  # shutdown() waits for a serve_forever() that must have started
            self.shutdown()
        self.server_close()


class SiteHandler(SimpleHTTPRequestHandler):
    server: SiteServer
    protocol_version = "HTTP/1.1"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(args[2].root), **kwargs)

    def log_message(self, format, *args):
        pass  # the terminal is for the organizer's messages

    def do_GET(self):
        self._respond(with_body=True)

    def do_HEAD(self):
        self._respond(with_body=False)

    def _respond(self, with_body: bool) -> None:
        if not self._own_host():
            return self._send(421, b"This server answers only to its own address.\n", "text/plain", with_body)
        url = urlsplit(self.path)
        path = unquote(url.path)
        if self.server.live and path.startswith(ASSETS):
            return self._devserver(path[len(ASSETS) :], url.query, with_body)
        with self.server.lock:  # output/ is not being swapped while we read it
            status, target = self._find(path)
            if status == 301:
                return self._send(301, b"", "text/plain", with_body, location=url.path + "/")
            data = target.read_bytes() if target else None
        if data is None:
            status, data, ctype = 404, b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>", "text/html"
            if not self.server.root.is_dir():
                data = b"<!DOCTYPE html><title>No site yet</title><h1>No site has been built yet</h1>"
        else:
            ctype = self.guess_type(str(target))
        if self.server.live and ctype.startswith("text/html"):
            data = decorate(data, self.server.state, DESK_QR)
            ctype = "text/html; charset=utf-8"
        self._send(status, data, ctype, with_body)

    def _own_host(self) -> bool:
        """Only this server's own address (or localhost) and port: not a name
        a web page elsewhere pointed here (DNS rebinding)."""
        bound, port = self.server.server_address[:2]
        return host_allowed(
            self.headers.get("Host"), port, {bound, self.server.host}, any_ip=self.server.host in ANY_ADDRESS
        )

    def _find(self, path: str) -> tuple[int, Path | None]:
        local = Path(self.translate_path(path))  # stays inside the site's folder
        if local.is_dir():
            if not path.endswith("/"):
                return 301, None
            local = local / "index.html"
        if local.is_file() and self._inside(local):
            return 200, local
        missing = self.server.root / "404.html"
        return 404, (missing if missing.is_file() and self._inside(missing) else None)

    def _inside(self, local: Path) -> bool:
        """A symlink is followed only to a file inside the served folder (itself maybe a symlink)."""
        root = os.path.realpath(self.server.root)
        return os.path.commonpath([root, os.path.realpath(local)]) == root

    def _send(self, status: int, data: bytes, ctype: str, with_body: bool, location: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")  # a reload always shows the new build
        if location:
            self.send_header("Location", location)
        self.end_headers()
        if with_body:
            self.wfile.write(data)

    def _devserver(self, name: str, query: str, with_body: bool) -> None:
        if name == "events":
            return self._events(parse_qs(query).get("epoch", [""])[0])
        found = asset(name)
        if found is None:
            return self._send(404, b"", "text/plain", with_body)
        self._send(200, *found, with_body)

    def _events(self, seen: str) -> None:
        """A server-sent event once the site was rebuilt after the page's own build."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        state = self.server.state
        try:
            self.wfile.write(b"retry: 500\n\n")
            self.wfile.flush()
            while not self.server.stopping.is_set():
                epoch = state.wait_for_change(seen, timeout=15)
                if epoch != seen:
                    self.wfile.write(f"data: {epoch}\n\n".encode())
                    self.wfile.flush()
                    return
                self.wfile.write(b": still here\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the tab was closed or reloaded


def check_address(host: str, port: int) -> None:
    """Raise PortInUse or BadHost now if nothing could listen at host:port (before a long build)."""
    SiteServer(host, port, Path.cwd(), live=False).server_close()


def serve_static(root: Path, host: str, port: int, say: Callable[[str], None] = print) -> None:
    """Serve a built folder as it is (no reload, no banner) until Ctrl-C."""
    server = SiteServer(host, port, root, live=False)
    say(f"Open {server.url} in your browser. Ctrl-C stops the server.")
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
