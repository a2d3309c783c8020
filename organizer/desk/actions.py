"""What each of the desk's forms does once its token was checked: the PIN, the
device's name, an add and an undo; each answers with a page saying, in words,
what happened, and tells the organizer's terminal (never the PIN)."""

from __future__ import annotations

from pelican.plugins.tally import api as tally_api

from organizer.desk.access import LOCKOUT_SECONDS, MAX_TRIES
from organizer.desk.pages import recent_line
from organizer.desk.recording import AuditError, in_words

MAX_DEVICE = 40
MAX_CELL = 20  # characters of a count as typed: add_row checks the number itself


def pin(handler, session, form) -> None:
    desk = handler.server.desk
    if (wait := desk.access.locked_for(handler.client)) > 0:
        return handler._show(session, 429, f"Too many wrong PINs from this phone: wait {wait:.0f} s, then try again.")
    signed_in = desk.access.sign_in(session, handler.client, form.get("pin", ""))
    if signed_in is None:
        if desk.access.locked_for(handler.client) > 0:
            desk.say(f"{MAX_TRIES} wrong PINs from {handler.client}: it is locked out for {LOCKOUT_SECONDS} s.")
            return handler._show(session, 429, f"{MAX_TRIES} wrong PINs: this phone must wait a minute.")
        desk.say(f"A wrong PIN from {handler.client}.")
        left = desk.access.tries_left(handler.client)
        return handler._show(session, 403, f"That is not the PIN. {left} more tries, then a minute's wait.")
    desk.say(f"A phone ({handler.client}) opened the desk.")
    handler._show(signed_in, 200, "The desk is open.", new_cookie=True)


def device(handler, session, form) -> None:
    name = " ".join(form.get("device", "").split())
    if not name or len(name) > MAX_DEVICE or not name.isprintable():
        return handler._show(session, 400, f"Give a name or a table of 1 to {MAX_DEVICE} letters or digits.")
    session.device = name
    handler._show(session, 200, f"Hello, {name}. Each add you make is shown with this name.")


def add(handler, session, form) -> None:
    if not session.device:
        return device(handler, session, form)
    desk = handler.server.desk
    typed = {name: form.get(name, "") for name in ("letters", "cards", "emails", "participants")}
    case = form.get("case", "")
    if any(len(value) > MAX_CELL for value in typed.values()) or len(case) > 200:
        return handler._show(session, 400, "Not added: a field is far too long to be a count or a case.")
    if not case.strip() and not typed["participants"].strip():
        return handler._show(session, 400, "Not added: choose a case, or give the participants.")
    try:
        entry = desk.counter.add(session.device, case, typed)
    except (tally_api.TallyError, tally_api.SettingError) as error:
        return handler._show(session, 400, f"Not added: {error}")
    except AuditError as error:
        desk.say(f"The row was added to the tally, but the audit log could not be written ({error}).")
        return handler._show(session, 500, "Added to the tally, but its log could not be written: tell the organizer.")
    session.last_add = entry
    desk.say(_for_terminal(entry))
    handler._show(session, 200, f"Added: {in_words(entry)}.")


def undo(handler, session, form) -> None:
    desk = handler.server.desk
    with desk.access.lock:
        entry, session.last_add = session.last_add, None
    if entry is None:
        return handler._show(session, 409, "Nothing of yours to undo: your last add was taken back already.")
    try:
        taken_back = desk.counter.undo(session.device, entry)
    except (tally_api.TallyError, tally_api.SettingError) as error:
        session.last_add = entry
        return handler._show(session, 409, f"Not undone: {error}")
    except AuditError as error:
        desk.say(f"The undo was added to the tally, but the audit log could not be written ({error}).")
        return handler._show(session, 500, "Undone in the tally, but its log could not be written: tell the organizer.")
    desk.say(_for_terminal(taken_back))
    handler._show(session, 200, f"Taken back: {in_words(entry)}. The tally shows a correcting row.")


ROUTES = {"/pin": pin, "/device": device, "/add": add, "/undo": undo}


def _for_terminal(entry) -> str:
    return tally_api.printable(recent_line(entry))
