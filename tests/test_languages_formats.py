"""Dates, times and numbers in the site's language (DEFAULT_LANG), by Babel;
English stays what it always was."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from pelican.plugins.event.local_dates import clock, day_and_month, long_date
from pelican.plugins.tally import number

from conftest import read, site_with

EVENING = date(2016, 12, 10)
FIVE, HALF_PAST = datetime(2016, 12, 10, 17, 0), datetime(2016, 12, 10, 17, 30)
NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize(
    "lang, day, day_month",
    [
        ("en", "Saturday 10 December 2016", "Saturday 10 December"),
        ("fr", "samedi 10 décembre 2016", "samedi 10 décembre"),
        ("de", "Samstag, 10. Dezember 2016", "Samstag, 10. Dezember"),
        ("es", "sábado, 10 de diciembre de 2016", "sábado, 10 de diciembre"),
        ("it", "Saturday 10 December 2016", "Saturday 10 December"),
    ],
)
def test_dates_in_each_language(lang, day, day_month):
    assert long_date(EVENING, lang) == day
    assert day_and_month(EVENING, lang) == day_month


@pytest.mark.parametrize(
    "lang, on_the_hour, half_past",
    [
        ("en", "5:00 PM", "5:30 PM"),
        ("fr", "17 h", "17 h 30"),
        ("de", "17:00 Uhr", "17:30 Uhr"),
        ("es", "17:00", "17:30"),
    ],
)
def test_times_in_each_language(lang, on_the_hour, half_past):
    assert clock(FIVE, lang) == on_the_hour
    assert clock(HALF_PAST, lang) == half_past


@pytest.mark.parametrize(
    "lang, shown", [("en", "1,234"), ("fr", f"1{NNBSP}234"), ("de", "1.234"), ("es", "1.234"), ("xx", "1,234")]
)
def test_numbers_in_each_language(lang, shown):
    assert number(1234, lang) == shown


def test_numbers_in_spanish_group_from_five_digits():
    assert number(12345, "es") == "12.345"


def test_a_french_build_writes_the_evenings_date_and_times_in_french(tmp_path):
    english = read(site_with(tmp_path / "en"), "index.html")
    french = read(site_with(tmp_path / "fr", DEFAULT_LANG="fr"), "index.html")
    assert '<time datetime="2016-12-10">Saturday 10 December 2016</time>' in english
    assert '<time datetime="2016-12-10">samedi 10 décembre 2016</time>' in french
    assert '<time datetime="17:00">5:00 PM</time>' in english
    assert '<time datetime="17:00">17 h</time>' in french
