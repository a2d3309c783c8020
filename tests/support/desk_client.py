"""`invoke desk` in a project copy, and a phone that talks to it with raw HTTP
(http.client: cookies and form tokens by hand), for the tests and the benchmark."""

from __future__ import annotations

import html
import http.client
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from support.dev_server import stop


class DeskProcess:
    """`invoke desk` on 127.0.0.1:`port` in `project`; its terminal in `project/desk.log`."""

    def __init__(self, project: Path, port: int, env: dict | None = None):
        self.project, self.port = project, port
        self.log = project / "desk.log"
        with open(self.log, "w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "invoke", "desk", "--port", str(port)],
                cwd=project,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env={**(os.environ if env is None else env), "HOST": "127.0.0.1", "COLUMNS": "400"},
            )
        self.pin = self._wait_for_pin()

    def _wait_for_pin(self, seconds: float = 60) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = re.search(r"^PIN: (\d{6}) ", self.text(), re.M)
            if found:
                return found.group(1)
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"the desk did not start:\n{self.text()}")

    def text(self) -> str:
        return self.log.read_text()

    def stop(self) -> None:
        stop(self.process)


class Phone:
    """One phone: its own cookie and the forms of the last page it was shown."""

    def __init__(self, port: int, host: str | None = None, client_ip: str = "127.0.0.1"):
        self.port = port
        self.host = f"127.0.0.1:{port}" if host is None else host
        self.client_ip = client_ip
        self.cookie: str | None = None
        self.page = ""
        self.status = 0
        self.headers: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30, source_address=(self.client_ip, 0))
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        sent = {"Host": self.host, **({"Cookie": f"desk_session={self.cookie}"} if self.cookie else {})}
        if method == "POST":
            sent |= {"Content-Type": "application/x-www-form-urlencoded", "Content-Length": str(len(body))}
        for name, value in {**sent, **(headers or {})}.items():
            if value is not None:
                connection.putheader(name, value)
        connection.endheaders(body or None)
        response = connection.getresponse()
        self.status, self.page = response.status, response.read().decode("utf-8", "replace")
        self.headers = {name.lower(): value for name, value in response.getheaders()}
        connection.close()
        if found := re.match(r"desk_session=([^;]+)", self.headers.get("set-cookie", "")):
            self.cookie = found.group(1)
        return self.status

    def get(self, path: str = "/", **headers) -> int:
        return self.request("GET", path, headers=headers)

    def token(self, action: str) -> str:
        found = re.search(
            rf'<form method="post" action="{action}"[^>]*><input type="hidden" name="csrf" value="([^"]+)"', self.page
        )
        assert found, f"no {action} form on the page:\n{self.page}"
        return found.group(1)

    def post(self, action: str, fields: dict, token: str | None = "form", **headers) -> int:
        if token == "form":
            token = self.token(action)
        body = urlencode({**({"csrf": token} if token is not None else {}), **fields}).encode()
        return self.request("POST", action, body, headers)

    def sign_in(self, pin: str, device: str = "Table 1") -> None:
        self.get()
        assert self.post("/pin", {"pin": pin}) == 200, self.page
        assert self.post("/device", {"device": device}) == 200, self.page

    def add(self, case: str, **counts) -> int:
        return self.post("/add", {"case": case, **{k: str(v) for k, v in counts.items()}})

    def status_line(self) -> str:
        """What the page says happened, as the phone shows it (unescaped)."""
        found = re.search(r'<p class="status" role="status">(.*?)</p>', self.page, re.S)
        return html.unescape(found.group(1)) if found else ""
