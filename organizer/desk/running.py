"""`invoke desk`: serve the count desk on the local network until Ctrl-C, after
printing its address, a QR code of it and the PIN (which no page, log or URL
ever shows again)."""

from __future__ import annotations

import io
import os
import socket
from collections.abc import Callable
from pathlib import Path

from invoke import Exit

from organizer.hosts import ANY_ADDRESS
from organizer.project import DESK_QR, port, settings
from organizer.site_output import sigterm_as_interrupt


def lan_address() -> str | None:
    """This computer's address on the local network, or None. A UDP socket is
    only pointed at an address (no packet is sent) to learn which of ours the
    system would use."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


def desk_address(host: str, find_lan: Callable[[], str | None] = lan_address) -> tuple[str, set[str]]:
    """The address phones open, and every address the desk answers to."""
    if host in ANY_ADDRESS:
        lan = find_lan()
        shown = lan or "127.0.0.1"
        return shown, {shown, "127.0.0.1", "localhost"}
    return host, {host}


def banner(url: str, pin: str, lan_found: bool) -> list[str]:
    """What the terminal says at the start (the one place the PIN is shown)."""
    import segno

    drawn = io.StringIO()
    segno.make(url, error="m").terminal(out=drawn, compact=True, border=2)
    lines = [f"The count desk is open at {url}", "", *drawn.getvalue().splitlines()]
    lines += ["", f"PIN: {pin}   (tell it to the volunteers; a new one each time the desk starts)", ""]
    if not lan_found:
        lines.append("No local network was found: only this computer can open the desk.")
    lines += [
        "Phones on this Wi-Fi scan the code, type the PIN and count. Every add goes into the tally CSV,",
        "and a running `make serve` shows it on the live page within a second. Ctrl-C stops the desk.",
    ]
    return lines


def serve_desk(host: str | None, at_port, say: Callable[[str], None] = print) -> None:
    """Run the desk until Ctrl-C; its sessions end with it."""
    from pelican.plugins.tally import api as tally_api

    from organizer.desk.access import Access, new_pin
    from organizer.desk.handler import Desk, DeskServer
    from organizer.desk.recording import Counter

    local = settings()
    try:
        pages = tally_api.read_case_pages(local)
        ceiling = tally_api.max_per_row(local)
    except (tally_api.TallyError, tally_api.SettingError, tally_api.ContentError) as error:
        raise Exit(f"{error}\nFix it and start the desk again.", code=1)
    host = host or os.environ.get("HOST") or "0.0.0.0"
    shown, own = desk_address(host)
    pin = new_pin()
    desk = Desk(Access(pin), Counter(local), [(p.slug, p.title) for p in pages], ceiling, own, say=_flush(say))
    try:
        server = DeskServer(host, port(at_port) if at_port else port() + 3, desk)
    except OSError as error:
        raise Exit(f"The desk cannot listen at {host}: {error.strerror or error}. Try --port 8013.", code=1)
    url = f"http://{shown}:{server.server_address[1]}/"
    for line in banner(url, pin, shown != "127.0.0.1" or host not in ANY_ADDRESS):
        say(line)
    _show_on_live_page(local, url)
    try:
        with sigterm_as_interrupt():  # its terminal closed: the QR code goes too
            server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        DESK_QR.unlink(missing_ok=True)
        say("The desk is closed: every phone must type the next PIN.")


def _show_on_live_page(local: dict, url: str) -> None:
    """With LIVE_DESK_QR, the QR code of the desk's address (never the PIN) for
    the live page `make serve` shows; gone when the desk stops."""
    import segno

    DESK_QR.unlink(missing_ok=True)
    if local.get("LIVE_DESK_QR"):
        Path(DESK_QR).parent.mkdir(parents=True, exist_ok=True)
        segno.make(url, error="m").save(str(DESK_QR), kind="svg", scale=8, border=2, xmldecl=False)


def _flush(say: Callable[[str], None]) -> Callable[[str], None]:
    if say is print:
        return lambda text: print(text, flush=True)
    return say
