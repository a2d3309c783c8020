"""A sentence kept in English until the language is known: Words("put
{thing}", thing=Words("your city")) says itself in English for the
terminal (str) and in the site's language for a page (say(gettext)).
`invoke translations-extract` collects each Words(...) first argument."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from .dates import long_date


def english_moment(moment: datetime) -> str:
    return f"{long_date(moment)}, {moment:%H:%M}"


class Words:
    """An English msgid with {name} placeholders, filled with text, Words or datetimes."""

    __slots__ = ("msgid", "args")

    def __init__(self, msgid: str, **args):
        self.msgid = msgid
        self.args = args

    def say(self, gettext: Callable[[str], str] = str, moment: Callable[[datetime], str] = english_moment) -> str:
        """The sentence in gettext's language, with its dates by `moment`."""

        def filled(value):
            if isinstance(value, Words):
                return value.say(gettext, moment)
            return moment(value) if isinstance(value, datetime) else value

        return gettext(self.msgid).format(**{name: filled(value) for name, value in self.args.items()})

    def __str__(self) -> str:
        return self.say()

    def __eq__(self, other) -> bool:
        return isinstance(other, Words) and (self.msgid, self.args) == (other.msgid, other.args)

    def __hash__(self) -> int:
        return hash(self.msgid)

    def __repr__(self) -> str:
        return f"Words({self.msgid!r}, **{self.args!r})"
