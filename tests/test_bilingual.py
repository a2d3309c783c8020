"""A site in English and French (event.toml's languages = ["en", "fr"];
docs/languages.md, "A site in two languages"): the English site at the root,
the French one in fr/, every translated page linking its translation both
ways, one tally feeding both, and a one-language site as it always was."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from pelican.settings import read_settings

from conftest import (
    FIXTURE_TALLY,
    FIXTURES,
    LOCAL_SETTINGS,
    PUBLISH_SETTINGS,
    build,
    build_date,
    copy_content,
    our_event,
    read,
    tally_csv,
)
from html_tools import broken_links, visible_text

TRANSLATIONS = FIXTURES / "bilingual"  # the French invitation and the French Annie Alfred
DAY = date(2016, 12, 1)  # before the evening


def bilingual_content(tmp_path: Path) -> Path:
    """The shipped content, counted, with the fixture's French translations."""
    content = copy_content(tmp_path, FIXTURE_TALLY)
    shutil.copy(TRANSLATIONS / "invitation.fr.md", content / "pages")
    shutil.copy(TRANSLATIONS / "annie-alfred.fr.md", content / "cases")
    return content


def languages(event: dict, *codes: str) -> dict:
    return {**event, "languages": list(codes)}


def bilingual_build(tmp_path: Path, settings_file: Path = LOCAL_SETTINGS, **overrides) -> Path:
    if settings_file == PUBLISH_SETTINGS:
        ours = our_event(PUBLISH_SETTINGS)
        overrides = {**ours, "EVENT": languages(ours["EVENT"], "en", "fr"), **overrides}
    else:
        event = read_settings(str(LOCAL_SETTINGS))["EVENT"]
        overrides = {"EVENT": languages(event, "en", "fr"), **overrides}
    return build(bilingual_content(tmp_path), tmp_path / "output", settings_file=settings_file, **overrides)


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory) -> Path:
    return bilingual_build(tmp_path_factory.mktemp("bilingual"))


def alternates(html: str) -> dict[str, str]:
    """hreflang -> href of the page's <link rel="alternate" hreflang>."""
    links = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]*)">', html)
    return dict(links)


def target(output: Path, page: str, href: str) -> str:
    """The file (relative to `output`) a link on `page` leads to."""
    path = urlparse(urljoin(f"http://site/{page}", href)).path.lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


def html_lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)">', html).group(1)


def pages(output: Path) -> list[str]:
    return sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html"))


def test_each_language_has_its_site_with_its_lang(bilingual):
    english = [p for p in pages(bilingual) if not p.startswith("fr/")]
    french = [p for p in pages(bilingual) if p.startswith("fr/")]
    assert set(english) == {p.removeprefix("fr/") for p in french}
    assert {html_lang(read(bilingual, p)) for p in english} == {"en"}
    assert {html_lang(read(bilingual, p)) for p in french} == {"fr"}
    assert "Une soirée de lettres" in visible_text(read(bilingual, "fr/index.html"))
    assert "An evening of letters" in visible_text(read(bilingual, "index.html"))


def test_hreflang_pairs_match_both_ways(bilingual):
    paired = set()
    for page in pages(bilingual):
        found = alternates(read(bilingual, page))
        if not found:
            continue
        own = "fr" if page.startswith("fr/") else "en"
        assert set(found) == {"en", "fr"}, page
        assert target(bilingual, page, found[own]) == page, page  # itself, in its own language
        other = target(bilingual, page, found["en" if own == "fr" else "fr"])
        back = alternates(read(bilingual, other))
        assert target(bilingual, other, back.get(own, "")) == page, (page, other)
        paired.add((page, other))
    # The translated pages, the news and the live page, and nothing else.
    pairs = [("index.html", "fr/index.html"), ("annie-alfred.html", "fr/annie-alfred.html")]
    pairs += [("news.html", "fr/news.html"), ("live.html", "fr/live.html")]
    assert paired == {*pairs, *((b, a) for a, b in pairs)}


def test_the_switch_goes_to_the_translation_or_says_it_goes_home(bilingual):
    def switch(page):
        return re.findall(
            r'<li><a href="([^"]*)" hreflang="(\w+)" lang="(\w+)">([^<]*)</a></li>', read(bilingual, page)
        )

    assert switch("annie-alfred.html") == [("./fr/annie-alfred.html", "fr", "fr", "Français")]
    assert switch("fr/annie-alfred.html") == [("./../annie-alfred.html", "en", "en", "English")]
    assert switch("guide.html") == [("./fr/", "fr", "fr", "Français (page d’accueil)")]
    # The French site's copy of an untranslated page: in English, said so, and no false alternate.
    guide = read(bilingual, "fr/guide.html")
    assert alternates(guide) == {} and '<main id="main" class="wrap" tabindex="-1" lang="en">' in guide
    assert switch("fr/guide.html") == [("./../guide.html", "en", "en", "English")]
    assert "<script" not in guide


def test_no_link_of_either_site_leads_nowhere(bilingual):
    assert broken_links(bilingual) == []


def test_one_tally_feeds_both_sites(bilingual):
    english, french = (json.loads(read(bilingual, name)) for name in ("tally.json", "fr/tally.json"))
    assert english == french
    assert len(english["cases"]) == 12  # the French Annie Alfred is hers, not a 13th case
    annie = next(case for case in english["cases"] if case["slug"] == "annie-alfred")
    for page in ("annie-alfred.html", "fr/annie-alfred.html"):
        assert str(annie["total"]) in visible_text(read(bilingual, page))
    assert read(bilingual, "cases.html").count('href="./annie-alfred.html"') >= 1
    assert read(bilingual, "fr/cases.html").count('href="./annie-alfred.html"') >= 1


def test_each_site_has_its_calendar_and_the_archive_is_the_main_sites(bilingual):
    for ics in ("event.ics", "fr/event.ics"):
        assert "BEGIN:VEVENT" in read(bilingual, ics)
    assert not (bilingual / "fr" / "2016").exists()


def test_the_public_build_gives_each_language_its_feed_and_absolute_pairs(tmp_path):
    output = bilingual_build(tmp_path, PUBLISH_SETTINGS)
    site = our_event(PUBLISH_SETTINGS)["SITEURL"]
    assert f'href="{site}/fr/feeds/all.atom.xml"' in read(output, "fr/index.html")
    assert f"<id>{site}/fr/" in read(output, "fr/feeds/all.atom.xml")
    assert f"<id>{site}/" in read(output, "feeds/all.atom.xml")
    sitemap = re.findall(r"<loc>([^<]*)</loc>", read(output, "sitemap.xml"))  # the main site's pages, once each
    assert f"{site}/annie-alfred.html" in sitemap and len(sitemap) == len(set(sitemap))
    assert not any("/fr/" in url for url in sitemap)
    assert alternates(read(output, "annie-alfred.html")) == {
        "en": f"{site}/annie-alfred.html",
        "fr": f"{site}/fr/annie-alfred.html",
    }
    assert alternates(read(output, "fr/annie-alfred.html")) == {
        "fr": f"{site}/fr/annie-alfred.html",
        "en": f"{site}/annie-alfred.html",
    }


def test_a_language_without_a_catalog_is_refused_in_one_sentence(tmp_path):
    event = read_settings(str(LOCAL_SETTINGS))["EVENT"]
    with pytest.raises(Exception, match=r'languages has "it", but the theme has no catalog for it'):
        build(bilingual_content(tmp_path), tmp_path / "output", EVENT=languages(event, "en", "it"))


def test_one_language_builds_no_second_site_and_no_switch(tmp_path):
    output = build(copy_content(tmp_path, FIXTURE_TALLY), tmp_path / "output")
    assert not (output / "fr").exists()
    assert all(not alternates(read(output, p)) and "hreflang" not in read(output, p) for p in pages(output))


def write_languages(project: Path) -> None:
    facts = project / "event.toml"
    text = facts.read_text(encoding="utf-8")
    assert 'languages = ["en"]\n' in text
    facts.write_text(text.replace('languages = ["en"]\n', 'languages = ["en", "fr"]\n'), encoding="utf-8")
    shutil.copy(TRANSLATIONS / "invitation.fr.md", project / "content" / "pages")
    shutil.copy(TRANSLATIONS / "annie-alfred.fr.md", project / "content" / "cases")


def test_a_bad_csv_refuses_the_bilingual_build_and_keeps_the_old_site(project, monkeypatch):
    from conftest import snapshot
    from organizer.building import build_site

    write_languages(project)
    monkeypatch.chdir(project)
    with build_date(DAY):
        assert build_site(project / "pelicanconf.py", project / "output")
        assert (project / "output" / "fr" / "annie-alfred.html").is_file()
        kept = snapshot(project / "output")
        csv = tally_csv(project)
        csv.write_text(csv.read_text(encoding="utf-8") + "Nobody We Know,3,0,0\n", encoding="utf-8")
        assert not build_site(project / "pelicanconf.py", project / "output")
    assert snapshot(project / "output") == kept


def test_the_dev_server_builds_both_sites_again_after_a_saved_tally(project, monkeypatch):
    from organizer.devserver.builder import Builder
    from organizer.site_output import replace_site

    write_languages(project)
    monkeypatch.chdir(project)
    with build_date(DAY):
        builder = Builder(project / "pelicanconf.py", project / "output", swap=replace_site, warm=True)
        assert builder.build().ok
        csv = tally_csv(project)
        csv.write_text(csv.read_text(encoding="utf-8").rstrip("\n") + "\nAnnie Alfred,3,0,0\n", encoding="utf-8")
        result = builder.build({str(csv)})
        assert result.ok and not result.recounted
        guide = project / "content" / "pages" / "guide.md"
        guide.write_text(guide.read_text(encoding="utf-8") + "\nBring a pen.\n", encoding="utf-8")
        result = builder.build({str(guide)})
        assert result.ok and not result.reread
        builder.discard_spare()
    output = project / "output"
    assert json.loads(read(output, "tally.json")) == json.loads(read(output, "fr/tally.json"))
    assert json.loads(read(output, "fr/tally.json"))["total"] == 45
    for guide in ("guide.html", "fr/guide.html"):
        assert "Bring a pen." in visible_text(read(output, guide))


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ('languages = "fr"', 'languages is "fr", not a list of language codes in double quotes'),
        ("languages = []", "languages is [], not a list of language codes in double quotes"),
        ('languages = ["en", "en"]', 'languages is ["en", "en"], a list naming a language twice'),
        ('languages = ["en", "klingon"]', 'languages is ["en", "klingon"], a list with "klingon" in it, which is no'),
    ],
)
def test_a_wrong_languages_line_is_one_sentence_naming_its_line(line, says):
    from pelican.plugins.event.event_file import EventFileError, parse_event

    text = (LOCAL_SETTINGS.parent / "event.toml").read_text(encoding="utf-8").replace('languages = ["en"]', line)
    number = text.splitlines().index(line) + 1
    with pytest.raises(EventFileError) as error:
        parse_event(text)
    assert str(error.value).startswith(f"event.toml, line {number}: {says}")
    assert str(error.value).endswith('write it as languages = ["en", "fr"].')


def test_languages_default_to_english_alone():
    from pelican.plugins.event.event_file import parse_event

    text = (LOCAL_SETTINGS.parent / "event.toml").read_text(encoding="utf-8").replace('languages = ["en"]\n', "")
    assert parse_event(text)[0]["languages"] == ["en"]


def test_the_public_build_refuses_an_example_value_in_a_translation(tmp_path):
    from pelican.plugins.event.examples import ExampleValuesError

    content = bilingual_content(tmp_path)
    french = content / "cases" / "annie-alfred.fr.md"
    french.write_text(french.read_text(encoding="utf-8") + "\nÉcrivez-nous : lettres@example.org\n", encoding="utf-8")
    ours = our_event(PUBLISH_SETTINGS)
    overrides = {**ours, "EVENT": languages(ours["EVENT"], "en", "fr")}
    try:
        with pytest.raises(ExampleValuesError, match=r"annie-alfred\.fr\.md, line \d+"):
            build(content, tmp_path / "output", settings_file=PUBLISH_SETTINGS, **overrides)
    finally:
        forget_the_stopped_sitemap()


def forget_the_stopped_sitemap():
    """The sitemap plugin's one generator for the process waits for the
    stopped build to finish (it never will), so no later build in this test
    process would write sitemap.xml: as a new process, it starts afresh."""
    from pelican.plugins.sitemap.sitemap import generator

    generator._main_pelican, generator.page_queue = None, []
