"""Who may use the desk: a six-digit PIN, server-side sessions held in memory
(they end when the desk stops), and a minute's lockout after five wrong PINs."""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

PIN_DIGITS = 6
MAX_TRIES = 5  # wrong PINs from one device (client IP) before it is locked out
LOCKOUT_SECONDS = 60
MAX_SESSIONS = 500  # the oldest are forgotten beyond this: a flood cannot fill the memory
TOKENS_PER_SESSION = 20  # forms open at once (tabs); the oldest token goes first


def new_pin() -> str:
    return f"{secrets.randbelow(10**PIN_DIGITS):0{PIN_DIGITS}d}"


@dataclass
class Session:
    """One phone's visit: its cookie's value, whether it gave the PIN, its
    device name, its forms' unspent tokens and the add it may undo."""

    id: str
    signed_in: bool = False
    device: str = ""
    tokens: deque = field(default_factory=lambda: deque(maxlen=TOKENS_PER_SESSION))
    last_add: object | None = None  # a recording.Entry


class Access:
    """The PIN and every session; thread-safe (one lock, held briefly)."""

    def __init__(self, pin: str, clock: Callable[[], float] = time.monotonic):
        self._pin = pin
        self._clock = clock
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._failures: dict[str, int] = {}
        self._locked_until: dict[str, float] = {}
        self.lock = threading.Lock()

    def session(self, session_id: str | None) -> Session | None:
        with self.lock:
            return self._sessions.get(session_id or "")

    def new_session(self) -> Session:
        """A session that has not given the PIN yet (for the PIN form's token)."""
        with self.lock:
            return self._add(Session(secrets.token_urlsafe(32)))

    def _add(self, session: Session) -> Session:
        """Keep `session`; beyond MAX_SESSIONS the oldest that never gave the PIN
        goes first, so a flood of visits cannot sign the volunteers out."""
        self._sessions[session.id] = session
        while len(self._sessions) > MAX_SESSIONS:
            stranger = next((key for key, s in self._sessions.items() if not s.signed_in), None)
            if stranger is None:
                self._sessions.popitem(last=False)
            else:
                del self._sessions[stranger]
        return session

    def locked_for(self, client: str) -> float:
        """Seconds `client` must still wait before trying a PIN again (0: none)."""
        with self.lock:
            return max(0.0, self._locked_until.get(client, 0.0) - self._clock())

    def sign_in(self, session: Session, client: str, pin: str) -> Session | None:
        """A new signed-in session in place of `session` (a new id: no one can
        fix it in advance) if `pin` is right and `client` is not locked out;
        else None, counting the wrong PIN."""
        with self.lock:
            if self._locked_until.get(client, 0.0) > self._clock():
                return None
            if hmac.compare_digest(pin.encode(), self._pin.encode()):
                self._failures.pop(client, None)
                self._sessions.pop(session.id, None)
                return self._add(Session(secrets.token_urlsafe(32), signed_in=True))
            self._failures[client] = self._failures.get(client, 0) + 1
            if self._failures[client] >= MAX_TRIES:
                self._failures.pop(client)
                self._locked_until[client] = self._clock() + LOCKOUT_SECONDS
            return None

    def tries_left(self, client: str) -> int:
        with self.lock:
            return MAX_TRIES - self._failures.get(client, 0)
