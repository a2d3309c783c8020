"""The problems a tally file is refused with are safe to show in a terminal."""

import pytest
from tally_samples import problems


@pytest.mark.parametrize(
    "row",
    [
        "\x1b[2J\x1b[31mAnnie,1",
        "Annie Alfred,\x1b]0;pwned\x07",
        '"Annie\r\x1b[KAlfred",1',
        "Annie\u202eAlfrd,1",
    ],
)
def test_control_characters_are_never_echoed_raw(row):
    [message] = problems(f"case,letters\n{row}\n")
    assert message.isprintable() and "\\x1b" in message or "\\u202e" in message or "\\r" in message
    assert "\x1b" not in message and "\r" not in message and "\x07" not in message


def test_a_control_character_in_a_header_is_escaped_too():
    [message] = problems("case,letters,\x1b[31mcards\nAnnie Alfred,1,2\n")
    assert "\\x1b[31mcards" in message and "\x1b" not in message
