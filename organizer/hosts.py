"""Which Host headers a server of ours answers: only its own address and port,
so a web page elsewhere cannot reach it through a name of its own (DNS rebinding)."""

from __future__ import annotations

import ipaddress

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
ANY_ADDRESS = frozenset({"0.0.0.0", "::", ""})


def split_host(header: str | None) -> tuple[str, int | None] | None:
    """('name', port) from a Host header (port None when it has none); None
    if it cannot be one (empty, spaces, a port that is no number)."""
    header = (header or "").strip()
    if not header or any(c.isspace() or c in "/\\@?#" for c in header):
        return None
    if header.startswith("["):  # [::1]:8000
        name, _, rest = header[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else None if not rest else "x"
    else:
        name, colon, port = header.rpartition(":") if header.count(":") == 1 else (header, "", None)
        if not colon:
            name, port = header, None
    if port is not None and not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        return None
    return name.lower().rstrip("."), None if port is None else int(port)


def is_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def host_allowed(header: str | None, port: int, own: set[str] | frozenset[str], any_ip: bool = False) -> bool:
    """True when `header` names one of the addresses in `own` (or localhost)
    at `port`; with `any_ip` (a server listening on all addresses), any IP
    address typed as digits is one of its own too, but never another name."""
    parts = split_host(header)
    if parts is None:
        return False
    name, given = parts
    if (80 if given is None else given) != port:
        return False
    own = {n.lower() for n in own} | LOOPBACK_NAMES
    return name in own or (any_ip and is_ip_literal(name))
