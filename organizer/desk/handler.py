"""The desk's HTTP side: only its own pages at its own address, nothing without
the PIN, cookies that scripts cannot read, a single-use token on every form,
and headers that keep other sites and the cache out. No file is ever served."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

from organizer.desk import actions, csrf, pages
from organizer.desk.access import Access, Session
from organizer.desk.recording import Counter
from organizer.hosts import host_allowed

COOKIE = "desk_session"
MAX_BODY = 4096  # bytes of a form: a few short fields
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",  # no-referrer would make the browser send "Origin: null"
    "Cross-Origin-Resource-Policy": "same-origin",
}
STATIC = Path(__file__).resolve().parent / "static"


def load_css() -> bytes:
    """The desk's one stylesheet, read once; never through a link out of its folder."""
    path = STATIC / "desk.css"
    if os.path.commonpath([str(STATIC), os.path.realpath(path)]) != str(STATIC):
        raise RuntimeError(f"{path} points outside {STATIC}")
    return path.read_bytes()


@dataclass
class Desk:
    """What the pages need: who may come in, where counts go, the cases, the ceiling."""

    access: Access
    counter: Counter
    cases: list[tuple[str, str]]  # (slug, title)
    ceiling: int | None
    own_hosts: set[str]
    say: Callable[[str], None] = print
    css: bytes = field(default_factory=load_css)


class DeskServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64  # a room of phones pressing "Add" at once are all let in
    desk: Desk

    def __init__(self, host: str, port: int, desk: Desk):
        self.desk = desk
        super().__init__((host, port), DeskHandler)


class DeskHandler(BaseHTTPRequestHandler):
    server: DeskServer
    server_version = "CountDesk"
    sys_version = ""
    timeout = 15  # a phone that opens a connection and sends nothing is let go

    def version_string(self) -> str:
        return self.server_version  # no Python version for whoever probes it

    def log_message(self, format, *args):
        pass  # the terminal hears of adds and PINs in words, never of requests

    def end_headers(self):
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

    # -- requests ---------------------------------------------------------------------

    def do_GET(self):
        if not self._from_here():
            return
        path = self.path.split("?", 1)[0]
        if path == "/desk.css":
            return self._send(200, self.server.desk.css, "text/css; charset=utf-8")
        if path != "/":
            return self._send(404, b"Not found.\n", "text/plain; charset=utf-8")
        self._show(self._session(), 200)

    def do_POST(self):
        if not self._from_here():
            return
        act = actions.ROUTES.get(self.path)
        if act is None:
            return self._send(404, b"Not found.\n", "text/plain; charset=utf-8")
        form = self._form()
        if form is None:
            return
        session = self._session()
        if session is None or not csrf.spend(self.server.desk.access, session, form.get("csrf")):
            return self._show(session, 403, "This form had expired or was sent already: nothing was added. Try again.")
        if act is not actions.pin and not session.signed_in:
            return self._show(session, 403, "Type the PIN first.")
        act(self, session, form)

    # -- checks -----------------------------------------------------------------------

    def _from_here(self) -> bool:
        """The desk's own address and port only, and no page of another site."""
        port = self.server.server_address[1]
        if not host_allowed(self.headers.get("Host"), port, self.server.desk.own_hosts):
            self._send(421, b"This desk answers only to its own address.\n", "text/plain; charset=utf-8")
            return False
        origin = self.headers.get("Origin")
        if origin is not None and not host_allowed(origin.removeprefix("http://"), port, self.server.desk.own_hosts):
            self._send(403, b"Forms from other sites are refused.\n", "text/plain; charset=utf-8")
            return False
        return True

    def _form(self) -> dict[str, str] | None:
        """The posted fields (the first of each name), or None once refused."""
        length = self.headers.get("Content-Length", "")
        if not length.isdigit():
            self._send(411, b"A form needs its length.\n", "text/plain; charset=utf-8")
            return None
        if int(length) > MAX_BODY:
            self._send(413, b"That is far more than a form of counts.\n", "text/plain; charset=utf-8")
            return None
        if not self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
            self._send(415, b"Send the desk's own form.\n", "text/plain; charset=utf-8")
            return None
        try:
            fields = parse_qs(self.rfile.read(int(length)).decode("utf-8"), keep_blank_values=True, max_num_fields=20)
        except (UnicodeDecodeError, ValueError):
            self._send(400, b"That form cannot be read.\n", "text/plain; charset=utf-8")
            return None
        return {name: values[0] for name, values in fields.items()}

    def _session(self) -> Session | None:
        try:
            cookie = SimpleCookie(self.headers.get("Cookie", ""))
        except CookieError:
            return None
        morsel = cookie.get(COOKIE)
        return self.server.desk.access.session(morsel.value if morsel else None)

    @property
    def client(self) -> str:
        return self.client_address[0]

    # -- answers ----------------------------------------------------------------------

    def _show(self, session: Session | None, status: int, said: str = "", new_cookie: bool = False) -> None:
        """The page this session is at: the PIN, the device's name, or the desk."""
        desk = self.server.desk
        if session is None:
            session, new_cookie = desk.access.new_session(), True
        if not session.signed_in:
            body = pages.pin_page(csrf.issue(desk.access, session), said)
        elif not session.device:
            body = pages.device_page(csrf.issue(desk.access, session), said)
        else:
            tokens = (csrf.issue(desk.access, session), csrf.issue(desk.access, session))
            body = pages.desk_page(
                desk.cases, desk.ceiling, tokens, session.device, session.last_add, desk.counter.recent(), said
            )
        self._send(status, body, "text/html; charset=utf-8", session.id if new_cookie else None)

    def _send(self, status: int, body: bytes, ctype: str, cookie: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if cookie:
            self.send_header("Set-Cookie", f"{COOKIE}={cookie}; HttpOnly; SameSite=Strict; Path=/")
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.close_connection = True
