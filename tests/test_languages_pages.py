"""Builds in French, German and Spanish, page by page: no string of the
theme's catalog is left in English on any page, before or after the evening
(english_left, tests/test_languages.py); counts name their nouns in each
language's plural forms; the sentences the templates choose between (the
address note, online or at a venue, the past year's banner) and the posts'
dates are in the site's language."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from test_languages import english_left

from conftest import FIXTURE_TALLY, build, copy_content, our_event, read
from html_tools import visible_text
from organizer.translations import FOLDER

AFTER = date(2016, 12, 11)
NBSP = "\u00a0"


def without_the_organizers_words(content: Path) -> Path:
    """The shipped pages with their Markdown bodies cut, metadata kept: the
    bodies are the organizer's own English, shown as written in every
    language (a post keeps its results marker). The guide's title is the
    organizer's too, and also the words of the theme's link to the guide,
    so it is replaced."""
    for page in content.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        metadata, _, body = text.partition("\n\n")
        marker = "\n\n<!-- tally:results -->\n" if "<!-- tally:results -->" in body else "\n"
        page.write_text(metadata + marker, encoding="utf-8")
    guide = content / "pages" / "guide.md"
    guide.write_text(guide.read_text(encoding="utf-8").replace("How to write a letter that helps", "Guide"))
    return content


@pytest.mark.parametrize("today", [date(2016, 12, 1), AFTER], ids=["before the evening", "after"])
@pytest.mark.parametrize("lang", ["fr", "de", "es"])
def test_no_page_keeps_a_catalog_string_in_english(tmp_path, lang, today):
    content = without_the_organizers_words(copy_content(tmp_path, FIXTURE_TALLY if today == AFTER else None))
    output = build(content, tmp_path / "output", today=today, DEFAULT_LANG=lang, **our_event())
    assert len(list(output.rglob("*.html"))) > 15
    assert english_left(output, FOLDER / lang / "LC_MESSAGES" / "messages.po") == {}


def counted(tmp_path: Path, csv_text: str, lang: str, **overrides) -> Path:
    content = copy_content(tmp_path)
    (content / "data" / "tally.csv").write_text(csv_text, encoding="utf-8")
    return build(content, tmp_path / "output", today=AFTER, DEFAULT_LANG=lang, **{**our_event(), **overrides})


def tally_count(output: Path, page: str) -> str:
    """The page's count as written (visible_text would fold its no-break spaces)."""
    return re.search(r'<p class="tally-count">(.*?)</p>', read(output, page), re.S).group(1)


def test_french_plurals_take_the_singular_for_0_and_1(tmp_path):
    csv_text = "case,letters,cards,emails,participants\nAnnie Alfred,1,0,2,1\n"
    output = counted(tmp_path, csv_text, "fr", TALLY_GOAL=None)
    assert tally_count(output, "annie-alfred.html") == f"3 actions{NBSP}: 1 lettre, 0 carte et 2 courriels."
    assert tally_count(output, "edward-snowden.html") == f"0 action{NBSP}: 0 lettre, 0 carte et 0 courriel."
    results = read(output, "results.html")
    assert "1 personne a participé." in results and "3 actions jusqu’ici." in results
    home = read(output, "index.html")
    assert "Ensemble, nous avons écrit 3 lettres, cartes et courriels." in home
    assert f"Les 12 cas pour lesquels nous avons écrit{NBSP}: des personnes et des communautés" in home


def test_german_plurals_and_numbers(tmp_path):
    csv_text = "case,letters,cards,emails\nMáxima Acuña,1000,200,34\nEdward Snowden,1,0,0\n"
    output = counted(tmp_path, csv_text, "de", TALLY_GOAL=None)
    assert tally_count(output, "maxima-acuna.html") == "1.234 Aktionen: 1.000 Briefe, 200 Karten und 34 E-Mails."
    assert tally_count(output, "edward-snowden.html") == "1 Aktion: 1 Brief, 0 Karten und 0 E-Mails."
    assert "1.235 Aktionen bisher." in read(output, "results.html")
    assert "1.235 Briefe, Karten und E-Mails" in visible_text(read(output, "live.html"))
    assert "Die 12 Fälle, für die wir geschrieben haben" in read(output, "index.html")


def test_the_address_note_is_one_sentence_for_what_could_not_be_confirmed(tmp_path):
    content = copy_content(tmp_path)
    for name, line in [("annie-alfred", "Address_confirmed: no"), ("edward-snowden", "Salutation_confirmed: no")]:
        page = content / "cases" / f"{name}.md"
        page.write_text(line + "\n" + page.read_text(encoding="utf-8"), encoding="utf-8")
    output = build(content, tmp_path / "output", DEFAULT_LANG="es", **our_event())
    assert "No pudimos confirmar la dirección postal completa en los materiales del caso de 2016: pídela" in read(
        output, "annie-alfred.html"
    )
    assert "No pudimos confirmar el saludo en los materiales del caso de 2016: pídelo" in read(
        output, "edward-snowden.html"
    )
    assert "la dirección postal completa ni el saludo" in read(output, "mahmoud-abu-zeid.html")


def test_posts_are_dated_in_the_sites_language_and_english_keeps_its_date(tmp_path):
    french = counted(tmp_path / "fr", FIXTURE_TALLY.read_text(encoding="utf-8"), "fr")
    english = counted(tmp_path / "en", FIXTURE_TALLY.read_text(encoding="utf-8"), "en")
    for page in ("results.html", "news.html"):
        assert re.search(r'<time datetime="2016-12-12[^"]*">lundi 12 décembre 2016</time>', read(french, page))
        assert re.search(r'<time datetime="2016-12-12[^"]*">12 December 2016</time>', read(english, page))


def test_a_past_years_banner_and_an_evening_online_in_french(tmp_path):
    event = {**our_event()["EVENT"], "attendance": "online", "meeting_link": "https://meet.jit.si/w4r"}
    output = build(
        copy_content(tmp_path, FIXTURE_TALLY),
        tmp_path / "output",
        today=AFTER,
        DEFAULT_LANG="fr",
        **{**our_event(), "EVENT": event, "PAST_YEAR": 2016, "CURRENT_SITENAME": "Write for Rights 2017"},
    )
    home = read(output, "index.html")
    assert "Voici notre campagne Écrire pour les droits 2016, conservée telle quelle" in home
    assert f"La campagne de cette année{NBSP}: Write for Rights 2017" in home
    assert "Notre soirée d’écriture de lettres a eu lieu en ligne le samedi 10 décembre 2016" in visible_text(home)
