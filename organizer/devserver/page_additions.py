"""What the dev server adds to every HTML page it serves, and never writes to
output/: the live-reload script, and the box of problems after a build that
failed or warned."""

from __future__ import annotations

import base64
import html
import re

# Where the dev server's own files are served; no page of a site lives there.
ASSETS = "/__devserver/"
SCRIPT = """\
// The dev server's live reload: load this page again when the site was rebuilt.
(function () {
  var script = document.currentScript;
  var events = new EventSource(new URL("events?epoch=" + encodeURIComponent(script.dataset.epoch), script.src));
  events.addEventListener("message", function () {
    events.close();
    location.reload();
  });
})();
"""
BANNER_CSS = """\
.devserver-problems { position: sticky; top: 0; z-index: 1000; margin: 0; padding: 1rem;
  background: #fff3cd; color: #1a1a1a; border-bottom: 4px solid #b00020; font: 1rem/1.4 sans-serif; }
.devserver-problems h2 { margin: 0 0 .5rem; font-size: 1.2rem; }
.devserver-problems pre { margin: 0 0 .5rem; white-space: pre-wrap; font: .95rem/1.4 monospace; }
.devserver-problems p { margin: 0; }
"""


DESK_MARKER = "<!-- count-desk-qr -->"  # live.html with LIVE_DESK_QR


def desk_code(svg_file) -> str:
    """The count desk's QR code (written by `invoke desk` while it runs; no PIN
    in it) as an image: an SVG in an <img> runs nothing. '' without the desk."""
    try:
        svg = svg_file.read_bytes()
    except OSError:
        return ""
    if not svg.lstrip().startswith(b"<svg"):
        return ""
    source = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
    return (
        f'<figure class="live-desk"><img src="{source}" alt="QR code of the count desk">'
        "<figcaption>Count from your phone</figcaption></figure>"
    )


def decorate(page: bytes, state, desk_qr=None) -> bytes:
    """The reload script, and the banner while the last build failed (or
    warned): `state` is the server's SiteState. With `desk_qr` (a path), the
    live page's marker becomes the count desk's QR code if the desk runs."""
    text = page.decode("utf-8", errors="replace")
    if desk_qr is not None and DESK_MARKER in text:
        text = text.replace(DESK_MARKER, desk_code(desk_qr), 1)
    script = f'<script src="{ASSETS}reload.js" data-epoch="{html.escape(state.epoch)}"></script>'
    text = _insert_before(text, "</body>", script)
    lines = state.lines + state.stale_code
    if lines:
        heading = (
            "The last build failed: this is the last good site. Fix the problems below and save."
            if state.failed
            else "The site was built; check the lines below."
            if state.lines
            else "The site below may be out of date."
        )
        going = (
            "with the next good build"
            if not state.stale_code
            else "with the next good build; the plugin line, when make serve starts again"
        )
        banner = (
            f'<link rel="stylesheet" href="{ASSETS}devserver.css">'
            f'<section class="devserver-problems" role="alert"><h2>{html.escape(heading)}</h2>'
            f"<pre>{html.escape(chr(10).join(lines))}</pre>"
            f"<p>(Shown by <code>make serve</code> only; it goes away {going}.)</p></section>"
        )
        match = re.search(r"<body[^>]*>", text, flags=re.I) or re.search(r"<!doctype[^>]*>", text, flags=re.I)
        at = match.end() if match else 0  # never before <!DOCTYPE>: that puts the page in quirks mode
        text = text[:at] + banner + text[at:]
    return text.encode("utf-8")


def _insert_before(text: str, tag: str, insert: str) -> str:
    at = text.lower().rfind(tag)
    return text + insert if at < 0 else text[:at] + insert + text[at:]


def asset(name: str) -> tuple[bytes, str] | None:
    """The bytes and content type of one of the files under ASSETS, None for any other name."""
    if name == "reload.js":
        return SCRIPT.encode(), "text/javascript; charset=utf-8"
    if name == "devserver.css":
        return BANNER_CSS.encode(), "text/css; charset=utf-8"
    return None
