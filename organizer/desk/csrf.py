"""The token every form carries: random, kept in the session, and single-use,
so a form sent twice (a reload, a double tap) adds nothing twice."""

from __future__ import annotations

import hmac
import secrets

from organizer.desk.access import Access, Session


def issue(access: Access, session: Session) -> str:
    """A new token for one form of `session`."""
    token = secrets.token_urlsafe(32)
    with access.lock:
        session.tokens.append(token)
    return token


def spend(access: Access, session: Session, given: str | None) -> bool:
    """True once for a token `session` was given and has not spent; a
    missing, foreign, spent or forged one is False."""
    if not given:
        return False
    given_bytes = given.encode("utf-8", "replace")
    with access.lock:
        for token in list(session.tokens):
            if hmac.compare_digest(token.encode(), given_bytes):
                session.tokens.remove(token)
                return True
    return False
