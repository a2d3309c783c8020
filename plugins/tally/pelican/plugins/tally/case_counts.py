"""Warn of a page or a setting that says "12 cases" when the site has another
number of case pages."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

from .problems import shown_path

logger = logging.getLogger(__name__)


NUMBER_WORDS = {
    word: number
    for number, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
}
_CASES_COUNTED = re.compile(rf"\b(\d{{1,4}}|{'|'.join(NUMBER_WORDS)})\s+cases\b", re.IGNORECASE)


def wrong_case_counts(text: str, count: int) -> Iterator[tuple[int, str]]:
    """(line, words) for each "12 cases" / "twelve cases" in `text` that is not `count`."""
    for number, line in enumerate(text.splitlines(), 1):
        for found in _CASES_COUNTED.finditer(line):
            said = found[1].lower()
            if (int(said) if said.isdigit() else NUMBER_WORDS[said]) != count:
                yield number, found[0]


def warn_of_wrong_case_counts(contents, settings, count: int) -> None:
    """A page (or a setting, such as an event's description) that says "12
    cases" when the site has 13 case pages tells readers something false:
    warn, with the file and line, whenever a case page is added or removed."""
    for content in contents:
        try:
            text = Path(content.source_path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for line, words in wrong_case_counts(text, count):
            logger.warning(
                '%s, line %d: says "%s", but the site has %d case pages. Change the number (or add or remove a case page).',
                shown_path(content.source_path),
                line,
                words,
                count,
            )
    for name, value in settings.items():
        texts = value.items() if isinstance(value, dict) else [(None, value)]
        for key, text in texts:
            if name.isupper() and isinstance(text, str):
                for _, words in wrong_case_counts(text, count):
                    where = f'{name}["{key}"]' if key is not None else name
                    logger.warning(
                        '%s in the settings says "%s", but the site has %d case pages. Change the number.',
                        where,
                        words,
                        count,
                    )
