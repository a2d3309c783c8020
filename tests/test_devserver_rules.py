"""The dev server behind `make serve` answers only to its own address and serves
only its folder: a foreign Host header is refused, a symlink out of output/ is 404."""

from __future__ import annotations

import http.client
import os
import socket
from pathlib import Path

import pytest

from organizer.devserver.server import SiteServer
from organizer.hosts import host_allowed, split_host


@pytest.fixture
def served(tmp_path):
    """A built folder (itself a symlink, as output/ may be) served on 127.0.0.1 in a thread."""
    real = tmp_path / "real-output"
    real.mkdir()
    (real / "index.html").write_text("<!DOCTYPE html><title>Home</title><body><h1>Home</h1></body>")
    (real / "page.html").write_text("<!DOCTYPE html><title>Page</title><body>page</body>")
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the web")
    (real / "escape.txt").symlink_to(secret)
    (real / "inside.html").symlink_to(real / "page.html")
    (real / "up").symlink_to(tmp_path)  # a folder outside
    output = tmp_path / "output"
    output.symlink_to(real)
    server = SiteServer("127.0.0.1", 0, output)
    server.serve_in_thread()
    yield server
    server.stop()


def get(server, path: str, host: str | None = "own") -> tuple[int, bytes]:
    port = server.server_address[1]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.putrequest("GET", path, skip_host=True)
    if host is not None:
        connection.putheader("Host", f"127.0.0.1:{port}" if host == "own" else host.format(port=port))
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def test_its_own_pages_are_served_at_its_own_address_and_localhost(served):
    assert get(served, "/page.html")[0] == 200
    assert get(served, "/", "localhost:{port}")[0] == 200
    assert get(served, "/inside.html") == (200, get(served, "/page.html")[1])  # a symlink within is fine


def test_a_symlink_to_a_file_outside_the_folder_is_not_served(served):
    status, body = get(served, "/escape.txt")
    assert status == 404 and b"not for the web" not in body
    status, body = get(served, "/up/secret.txt")
    assert status == 404 and b"not for the web" not in body


@pytest.mark.parametrize("path", ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/%2e%2e%2fsecret.txt"])
def test_a_path_out_of_the_folder_is_not_served(served, path):
    status, body = get(served, path)
    assert status == 404 and b"not for the web" not in body


@pytest.mark.parametrize(
    "host",
    [
        "evil.example:{port}",  # a name a page elsewhere pointed at 127.0.0.1
        "127.0.0.1.nip.io:{port}",
        "127.0.0.1:1",  # another port
        "127.0.0.1",  # no port: port 80
        "",
        None,  # no Host header at all
    ],
)
def test_a_foreign_host_header_is_refused(served, host):
    status, body = get(served, "/page.html", host)
    assert status == 421 and b"page" not in body


def test_the_reload_stream_and_assets_need_the_own_host_too(served):
    assert get(served, "/__devserver/reload.js", "evil.example:{port}")[0] == 421
    assert get(served, "/__devserver/reload.js")[0] == 200


def test_a_raw_http_1_0_request_without_host_is_refused(served):
    with socket.create_connection(("127.0.0.1", served.server_address[1]), timeout=5) as raw:
        raw.sendall(b"GET /page.html HTTP/1.0\r\n\r\n")
        answer = raw.recv(200)
    assert answer.startswith(b"HTTP/1.1 421")


@pytest.mark.parametrize(
    "header, allowed",
    [
        ("127.0.0.1:8000", True),
        ("LOCALHOST:8000", True),
        ("[::1]:8000", True),
        ("localhost.:8000", True),
        ("192.168.1.20:8000", True),  # listening on every address: an IP typed as digits
        ("example.org:8000", False),
        ("192.168.1.20:8001", False),
        ("192.168.1.20", False),
        ("user@127.0.0.1:8000", False),
        ("127.0.0.1:80x", False),
    ],
)
def test_host_rules_for_a_server_on_every_address(header, allowed):
    assert host_allowed(header, 8000, {"0.0.0.0"}, any_ip=True) is allowed


def test_host_rules_for_a_server_on_one_address():
    assert host_allowed("192.168.1.20:8000", 8000, {"127.0.0.1"}) is False
    assert host_allowed("192.168.1.20:8000", 8000, {"192.168.1.20"}) is True
    assert split_host("[::1]") == ("::1", None)


def test_the_served_folder_may_be_reached_through_a_symlink(served):
    assert Path(served.root).is_symlink() and os.path.isdir(served.root)
    assert get(served, "/index.html")[0] == 200
