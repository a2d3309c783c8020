"""The cases and the small helpers the tally core's tests share."""

import pytest
from pelican.plugins.tally.problems import TallyError
from pelican.plugins.tally.reading import parse_tally

CASES = {
    "annie-alfred": ["Annie Alfred"],
    "maxima-acuna": ["Máxima Acuña"],
    "edward-snowden": ["Edward Snowden"],
}


def parse(text, encoding="utf-8", max_per_row=None):
    return parse_tally(text.encode(encoding), "tally.csv", CASES, max_per_row=max_per_row)


def problems(text, **kwargs):
    with pytest.raises(TallyError) as caught:
        parse(text, **kwargs)
    return [str(p) for p in caught.value.problems]


def per_case(tally):
    return {key: (c.letters, c.cards, c.emails) for key, c in tally.counts.items()}
