"""The public address rule: why an address cannot be the site's public one
(not a web address, an example or placeholder host, one only this computer or
a local network knows).
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from .example_text import EXAMPLE_DOMAIN
from .words import Words

# Public addresses: the README's own "https://yourgroup.github.io/..." and its like.
PLACEHOLDER_HOST = re.compile(
    r"(?:^|[.-])(?:your[-_]?(?:group|name|site|account|org|user(?:name)?)|user-?name)(?:[.-]|$)", re.IGNORECASE
)
# Host names known only to this computer or to a local network.
THIS_COMPUTER = ("localhost", ".localhost")
LOCAL_NETWORK = (".local", ".lan", ".internal", ".home.arpa", ".localdomain")


THIS_COMPUTER_WORDS, LOCAL_NETWORK_WORDS = Words("this computer"), Words("a local network")


def public_address_problem(url: str, here: bool = False) -> Words | None:
    """Why `url` cannot be the site's public address (its canonical links, the
    calendar file, the flyer's QR code), or None: it must be http(s):// with
    a real host name, not an example or placeholder one, nor one only this
    computer or a local network knows. With `here`, an address of this
    computer or its network is allowed (a public build looked at here)."""
    if not url.strip():
        return Words("it is empty")
    parts = urlsplit(url.strip())
    try:
        host, _ = parts.hostname, parts.port  # a port that is no number: ValueError
    except ValueError:
        host = None
    if parts.scheme not in ("http", "https") or not host:
        return Words("it is not a web address (https://...)")
    if EXAMPLE_DOMAIN.search(host):
        return Words("it is an example address")
    if PLACEHOLDER_HOST.search(host):
        return Words("it is a placeholder address")
    where = _local(host)
    if where and here:
        return None
    if where:
        return Words("it is an address of {where}, not a public one", where=where)
    if "." not in host:
        return Words("it has no full host name (a name with dots, as your web host gives it)")
    return None


def _local(host: str) -> Words | None:
    """ "this computer" or "a local network" if only they know `host`."""
    if host == "localhost" or host.endswith(THIS_COMPUTER):
        return THIS_COMPUTER_WORDS
    if host.endswith(LOCAL_NETWORK):
        return LOCAL_NETWORK_WORDS
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if address.is_loopback or address.is_unspecified:
        return THIS_COMPUTER_WORDS
    if address.is_private or address.is_link_local:
        return LOCAL_NETWORK_WORDS
    return None
