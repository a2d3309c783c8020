"""The plugins' words in the site's language (issue 24): the tally macros,
the calendar file, the share picture and the flyer, in French and German."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from pelican.plugins.event import core, flyer
from pelican.plugins.event.translations import translations_for
from pelican.plugins.tally.share_image import ShareFacts, draw
from pelican.settings import read_settings

from conftest import FIXTURE, ROOT, build_date, read, site_with
from html_tools import visible_text

THEME = ROOT / "theme"
NNBSP = "\u202f"
EVENT = {
    "name": "Write for Rights",
    "description": "An evening of letters.",
    "start": datetime(2016, 12, 10, 17, 0),
    "end": datetime(2016, 12, 10, 20, 30),
    "timezone": "Europe/Paris",
    "venue": "Salle des fêtes",
    "address": "1 rue de la Paix, Paris",
    "rsvp_email": "lettres@groupe.fr",
    "organizer": "Robin",
    "attendance": "both",
    "meeting_link": "",
}


def test_a_french_build_shows_the_results_table_and_progress_in_french(tmp_path):
    output = site_with(tmp_path, FIXTURE, DEFAULT_LANG="fr", TALLY_GOAL=2000)
    html = read(output, "results.html")
    table = [visible_text(row) for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)]
    assert "Cas Pays Lettres Cartes E-mails Total" in table
    # (visible_text writes the narrow no-break space between thousands as a space)
    assert "Tous les cas 1 630 222 36 1 888" in table
    assert "Lettres, cartes et e-mails par cas" in visible_text(html)
    text = visible_text(html)
    assert "1 888 actions — 94 % de notre objectif de 2 000" in text
    assert f"1{NNBSP}888 actions" in html


def test_french_plurals_take_0_and_1_as_singular():
    from jinja2 import Environment, FileSystemLoader
    from pelican.plugins.tally import TEMPLATES

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(translations_for(THEME, "fr"), newstyle=True)
    env.filters["number"] = str
    macros = env.get_template("tally/macros.html").module

    def figure(total):
        result = type("R", (), {"total": total, "goal": 10, "percent": total * 10})
        return visible_text(str(macros.progress_bar(result, "x", "p")))

    assert "0 action — 0 % de notre objectif de 10" in figure(0)
    assert "1 action — 10 % de notre objectif de 10" in figure(1)
    assert "2 actions — 20 % de notre objectif de 10" in figure(2)


def test_a_german_build_separates_thousands_with_a_point(tmp_path):
    output = site_with(tmp_path, FIXTURE, DEFAULT_LANG="de")
    table = [visible_text(row) for row in re.findall(r"<tr>(.*?)</tr>", read(output, "results.html"), re.S)]
    assert "Fall Land Briefe Karten E-Mails Gesamt" in table
    assert "Alle Fälle 1.630 222 36 1.888" in table


def test_the_calendar_file_in_french_and_german():
    french = core.event_calendar(EVENT, translations=translations_for(THEME, "fr")).to_ical().decode()
    unfolded = french.replace("\r\n ", "")
    assert "Vous venez ? Dites-le-nous par e-mail : lettres@groupe.fr" in unfolded
    assert "ou en ligne : écrivez à lettres@groupe.fr pour recevoir le lien" in unfolded
    assert "DTSTART;TZID=Europe/Paris:20161210T170000" in unfolded
    german = core.event_calendar(EVENT, translations=translations_for(THEME, "de")).to_ical().decode()
    assert "Sie kommen? Sagen Sie es uns per E-Mail: lettres@groupe.fr" in german.replace("\r\n ", "")


def test_a_french_build_writes_the_calendar_file_in_french(tmp_path):
    output = site_with(tmp_path, FIXTURE, DEFAULT_LANG="fr")
    ics = (output / "event.ics").read_bytes().decode().replace("\r\n ", "")
    assert "Vous venez ? Dites-le-nous par e-mail" in ics


def test_the_share_picture_in_french_and_it_still_draws(tmp_path):
    facts = ShareFacts("Écrire pour les droits 2016", 1234, 2000, 61, "fr", translations_for(THEME, "fr"))
    assert facts.number(1234) == f"1{NNBSP}234"
    assert facts.actions() == "actions"
    assert facts.goal_line() == f"61 % de notre objectif de 2{NNBSP}000"
    assert (
        facts.alt_text() == f"Écrire pour les droits 2016 : 1{NNBSP}234 actions, 61 % de notre objectif de 2{NNBSP}000"
    )
    one = ShareFacts("x", 1, None, None, "fr", translations_for(THEME, "fr"))
    assert (one.actions(), one.goal_line()) == ("action", "lettres, cartes et e-mails")
    english = ShareFacts("Write for Rights 2016", 1234, 2000, 61)
    assert english.alt_text() == "Write for Rights 2016: 1,234 actions, 61 % of our goal of 2,000"
    assert facts.key() != english.key()
    assert draw(facts, tmp_path / "share.png").stat().st_size > 1000


def test_the_flyer_in_french():
    html = flyer.render(
        EVENT, "Écrire pour les droits 2016", "https://groupe.fr", "<ul><li>Un stylo</li></ul>", lang="fr", theme=THEME
    )
    text = visible_text(html)
    assert '<html lang="fr">' in html
    for words in (
        "Date samedi 10 décembre 2016",
        "Horaires de 17 h à 20 h 30",
        "Lieu Salle des fêtes",
        "En ligne écrivez à lettres@groupe.fr pour recevoir le lien",
        "À apporter",
        "Les cas, le guide pour écrire et les résultats :",
        "Vous venez ? Dites-le-nous à lettres@groupe.fr",
    ):
        assert words in text
    assert "<title>Code QR de https://groupe.fr</title>" in html


def test_the_flyer_finds_a_french_what_to_bring_list():
    home = "<h2>À apporter</h2>\n<ul><li>Un stylo</li></ul>"
    assert flyer.what_to_bring(home) is None
    assert flyer.what_to_bring(home, translations_for(THEME, "fr")) == "<ul><li>Un stylo</li></ul>"


def test_a_theme_without_catalogs_keeps_the_plugins_in_english():
    facts = ShareFacts("x", 2, None, None, "fr", translations_for(ROOT / "no-such-theme", "fr"))
    assert facts.goal_line() == "letters, cards and e-mails"
    assert "Coming? Tell us by e-mail" in core.event_calendar(EVENT).to_ical().decode().replace("\r\n ", "")


def set_languages(project: Path, line: str) -> None:
    facts = project / "event.toml"
    text = facts.read_text(encoding="utf-8")
    assert 'languages = ["en"]\n' in text
    facts.write_text(text.replace('languages = ["en"]\n', line + "\n"), encoding="utf-8")


def test_a_french_site_has_its_default_name_and_subtitle_in_french(project, monkeypatch):
    """event.toml's languages = ["fr"]: pelicanconf.py's default name and
    subtitle are the theme's French ones, on the page and in the settings
    every command reads."""
    from organizer.building import build_site

    set_languages(project, 'languages = ["fr"]')
    monkeypatch.chdir(project)
    settings = read_settings(str(project / "pelicanconf.py"))
    assert settings["SITENAME"] == "Écrire pour les droits 2016"
    assert settings["EVENT_SITENAME"] == "Écrire pour les droits {year}"
    with build_date(date(2016, 12, 1)):
        assert build_site(project / "pelicanconf.py", project / "output")
    home = read(project / "output", "index.html")
    assert "Écrire pour les droits 2016</a></p>" in home
    assert "Write for Rights 2016" not in visible_text(home)
    assert settings["SITESUBTITLE"] != "An evening of letters for human rights"


def test_a_site_in_french_then_english_names_each_site_in_its_language(project, monkeypatch):
    from organizer.building import build_site

    set_languages(project, 'languages = ["fr", "en"]')
    monkeypatch.chdir(project)
    with build_date(date(2016, 12, 1)):
        assert build_site(project / "pelicanconf.py", project / "output")
    assert "Écrire pour les droits 2016" in visible_text(read(project / "output", "index.html"))
    english = visible_text(read(project / "output", "en/index.html"))
    assert "Write for Rights 2016" in english and "Écrire pour les droits" not in english


def test_the_example_notice_lists_what_to_change_in_french_and_the_terminal_keeps_english(tmp_path):
    from pelican.plugins.event.examples import example_values

    output = site_with(tmp_path, DEFAULT_LANG="fr")
    home = read(output, "index.html")
    banner = visible_text(home[home.index('<aside class="example-banner"') : home.index("</aside>")])
    for words in (
        "mettez votre ville",
        "encore la valeur d’exemple samedi 10 décembre 2016, 17 h",
        "c’est une adresse d’exemple ; mettez l’adresse qu’aura le site",
        "invoke init vous le demande",
    ):
        assert words in banner
    assert "put your" not in banner and "example address" not in banner
    english = [str(item) for item in example_values(read_settings(str(ROOT / "pelicanconf.py")))]
    assert 'city in event.toml is the example\'s "New York City": put your city' in " ".join(english)


def test_the_case_sheet_pack_is_titled_in_the_site_language():
    from pelican.plugins.event.casesheets import pack_title

    assert pack_title({"THEME": str(THEME), "DEFAULT_LANG": "fr"}) == "Fiches des cas"
    assert pack_title({"THEME": str(THEME), "DEFAULT_LANG": "de"}) == "Fallblätter"
    assert pack_title({"THEME": str(THEME), "DEFAULT_LANG": "en"}) == "Case sheets"
