"""The desk's pages, rendered on the server: the PIN, the device's name, the
form with what was just added, the undo and the last adds. Everything that
comes from data or from a phone is escaped; no script, no inline style."""

from __future__ import annotations

from html import escape

from organizer.desk.audit import Entry
from organizer.desk.recording import in_words

FIELDS = (("letters", "Letters"), ("cards", "Cards"), ("emails", "E-mails"), ("participants", "Participants"))


def page(title: str, body: str, status: str = "") -> bytes:
    said = f'<p class="status" role="status">{escape(status)}</p>' if status else ""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title if title == 'Count desk' else title + ' · Count desk')}</title>"
        '<link rel="stylesheet" href="/desk.css"></head>'
        f"<body><main><h1>{escape(title)}</h1>{said}{body}</main></body></html>"
    ).encode()


def _form(action: str, token: str, inner: str, button: str, css: str = "") -> str:
    klass = f' class="{css}"' if css else ""
    return (
        f'<form method="post" action="{action}"{klass}>'
        f'<input type="hidden" name="csrf" value="{escape(token)}">{inner}'
        f'<button type="submit">{escape(button)}</button></form>'
    )


def pin_page(token: str, status: str = "") -> bytes:
    field = (
        '<label for="pin">The PIN (six digits, on the organizer\'s screen)</label>'
        '<input id="pin" name="pin" type="password" inputmode="numeric" autocomplete="off" '
        'pattern="[0-9]{6}" maxlength="6" required>'
    )
    return page("Count desk", _form("/pin", token, field, "Open the desk"), status)


def device_page(token: str, status: str = "") -> bytes:
    field = (
        '<label for="device">Your name or your table (shown beside each add)</label>'
        '<input id="device" name="device" maxlength="40" autocomplete="off" required>'
    )
    return page("Who is counting?", _form("/device", token, field, "Start counting"), status)


def desk_page(
    cases: list[tuple[str, str]],
    ceiling: int | None,
    tokens: tuple[str, str],
    device: str,
    own_last: Entry | None,
    recent: list[Entry],
    status: str = "",
) -> bytes:
    """The form; below it the undo of this phone's last add, and the last adds of every phone."""
    options = '<option value="">Participants only (no case)</option>' + "".join(
        f'<option value="{escape(slug)}">{escape(title)}</option>' for slug, title in cases
    )
    top = f' max="{ceiling}"' if ceiling else ""
    inputs = "".join(
        f'<label for="{name}">{label}</label>'
        f'<input id="{name}" name="{name}" type="number" inputmode="numeric" min="0"{top} step="1">'
        for name, label in FIELDS
    )
    inner = f'<label for="case">Case</label><select id="case" name="case">{options}</select>{inputs}'
    body = f'<p class="who">Counting as {escape(device)}</p>' + _form("/add", tokens[0], inner, "Add")
    if own_last is not None:
        body += _form("/undo", tokens[1], f"<p>Your last add: {escape(in_words(own_last))}</p>", "Undo it", "undo")
    body += "<h2>Last adds</h2>" + (
        '<ol class="recent">' + "".join(f"<li>{escape(recent_line(e))}</li>" for e in recent) + "</ol>"
        if recent
        else "<p>Nothing added from the desk yet.</p>"
    )
    return page("Count desk", body, status)


def recent_line(entry: Entry) -> str:
    """'19:32 Table 3 added Annie Alfred: 3 letters, ...' or '... took back add 7 (...)'."""
    clock = entry.time[11:16]
    if entry.action == "undo":
        return f"{clock} {entry.device} took back add {entry.undoes} ({in_words(entry)})"
    return f"{clock} {entry.device} added {in_words(entry)} (add {entry.number})"
