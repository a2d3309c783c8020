"""Every case page says what the 2016 case cards say: the official, the
address, the salutation, the ask, where a card goes and the sources, as kept in
tests/reference/cases-2016.toml (a copy of the reference). A page that drifts
from it fails here, both in its metadata and on the built page."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pytest
import tomllib
from pelican.contents import Page
from pelican.readers import Readers
from pelican.settings import read_settings

from conftest import CONTENT, LOCAL_SETTINGS, copy_content, read
from html_tools import parse, visible_text

REFERENCE = tomllib.loads((Path(__file__).parent / "reference" / "cases-2016.toml").read_text("utf-8"))
UNCONFIRMED = sorted(slug for slug, case in REFERENCE.items() if not case["address_confirmed"])

# What a page must say where the reference marks the address or the salutation unconfirmed.
NOT_CONFIRMED = "We could not confirm the full postal address"
ASK_AMNESTY = "ask your national Amnesty office"
# What a card is for, and what a page says where no address for cards was confirmed.
CARD_PURPOSE = "a few warm words of solidarity"
CARD_COUNTED = "Our tally counts cards"
CARD_USUAL = "We could not confirm where cards for this case can be sent: ask your national Amnesty office"


def as_lines(value) -> list[str]:
    """A metadata value read by Pelican: one line is a string, several a list."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def case_metadata(content: Path, slug: str) -> dict:
    """The case page's metadata as Pelican reads it for the build."""
    settings = read_settings(str(LOCAL_SETTINGS), override={"PATH": str(content)})
    page = Readers(settings).read_file(base_path=str(content), path=f"cases/{slug}.md", content_class=Page)
    return page.metadata


def drift(meta: dict, ref: dict) -> list[str]:
    """How a case's metadata differs from the reference ([] when it agrees)."""
    confirmed = str(meta.get("address_confirmed", "yes")).lower() not in ("no", "false")
    # A salutation is confirmed unless there is none or the page says "Salutation_confirmed: no".
    said_no = str(meta.get("salutation_confirmed", "yes")).lower() in ("no", "false")
    salutation_confirmed = bool(meta.get("salutation")) and not said_no
    sources = [url for line in as_lines(meta.get("sources")) for url in re.findall(r"https://\S+", line)]
    found = {
        "official_title": meta.get("official_title", ""),
        "official_name": meta.get("official_name", ""),
        "address": as_lines(meta.get("address")),
        "address_confirmed": confirmed,
        "salutation": meta.get("salutation", ""),
        "salutation_confirmed": salutation_confirmed,
        "ask": meta.get("ask", ""),
        "card_address": as_lines(meta.get("card_address")),
        "card_note": meta.get("card_note", ""),
        "sources": sources,
    }
    return [
        f"{key}: the page has {found[key]!r}, the reference {ref[key]!r}" for key in found if found[key] != ref[key]
    ]


def part(html: str, opening: str) -> str:
    """The HTML of the element that starts with `opening`, up to its end tag."""
    tag = re.match(r"<(\w+)", opening).group(1)
    start = html.index(opening)
    return html[start : html.index(f"</{tag}>", start) + len(tag) + 3]


def address_lines(html: str) -> list[str]:
    """The lines of the first <address> in `html`, as a reader sees them."""
    inner = re.search(r"<address[^>]*>(.*?)</address>", html, re.S).group(1)
    return [" ".join(html_lib.unescape(line).split()) for line in inner.split("<br>") if line.strip()]


def test_the_reference_covers_every_case_and_only_them(case_slugs):
    assert sorted(REFERENCE) == case_slugs
    assert UNCONFIRMED == sorted(
        [
            "johan-teterissa",
            "zeynab-jalalian",
            "fomusoh-ivo-feh",
            "treaty-8-site-c",
            "nauru-and-manus-refugees",
            "mahmoud-abu-zeid",
        ]
    )


@pytest.mark.parametrize("slug", sorted(REFERENCE))
def test_case_metadata_agrees_with_the_reference(slug):
    assert drift(case_metadata(CONTENT, slug), REFERENCE[slug]) == []


def test_a_page_that_drifts_from_the_reference_fails(tmp_path):
    content = copy_content(tmp_path)
    tohti = content / "cases" / "ilham-tohti.md"
    tohti.write_text(tohti.read_text("utf-8").replace("Postal code 830002", "Postal code 830001"), "utf-8")
    teterissa = content / "cases" / "johan-teterissa.md"
    source = teterissa.read_text("utf-8").replace("Address_confirmed: no\n", "Salutation: Dear President\n")
    teterissa.write_text(source, "utf-8")
    problems = drift(case_metadata(content, "ilham-tohti"), REFERENCE["ilham-tohti"])
    assert len(problems) == 1 and "830001" in problems[0]
    problems = drift(case_metadata(content, "johan-teterissa"), REFERENCE["johan-teterissa"])
    assert {p.split(":")[0] for p in problems} == {"address_confirmed", "salutation", "salutation_confirmed"}


@pytest.mark.parametrize("slug", sorted(REFERENCE))
def test_the_page_shows_the_official_address_salutation_and_ask(site, slug):
    ref = REFERENCE[slug]
    html = read(site, f"{slug}.html")
    write_to = part(html, '<section class="write-to"')
    envelope = " ".join(filter(None, [ref["official_title"], ref["official_name"]]))
    assert address_lines(write_to) == [envelope, *ref["address"]]
    text = visible_text(write_to)
    assert f"Ask for: {ref['ask']}" in text
    if ref["salutation"]:
        assert f"Start with: {ref['salutation']}," in text
    else:
        assert "Start with:" not in text
    said = NOT_CONFIRMED in text and "from the 2016 case materials" in text and ASK_AMNESTY in text
    assert said == (not ref["address_confirmed"]), "the note on an unconfirmed address"
    # In 2016 every missing or unconfirmed salutation goes with an unconfirmed address.
    assert ("or the salutation" in text) == (not ref["salutation_confirmed"]), "the note on the salutation"


@pytest.mark.parametrize("slug", UNCONFIRMED)
def test_an_unconfirmed_address_invents_no_street_postcode_or_salutation(site, slug):
    ref = REFERENCE[slug]
    write_to = part(read(site, f"{slug}.html"), '<section class="write-to"')
    lines = address_lines(write_to)[1:]
    assert lines == ref["address"]
    for line in lines:
        assert not re.search(r"\d", line), f"a number in {line!r}"
        assert not re.search(r"\b(street|st\.|avenue|ave|road|rd\.|box|bag|postal|plaza)\b", line, re.I), line
    text = visible_text(write_to)
    if not ref["salutation"]:
        assert not re.search(r"\bDear\b", text)
    if not ref["salutation_confirmed"]:
        assert f"{NOT_CONFIRMED} or the salutation from the 2016 case materials: {ASK_AMNESTY} for them." in text


def test_a_salutation_from_later_appeals_is_shown_as_unconfirmed(site):
    text = visible_text(part(read(site, "mahmoud-abu-zeid.html"), '<section class="write-to"'))
    assert f"{NOT_CONFIRMED} or the salutation from the 2016 case materials: {ASK_AMNESTY} for them." in text
    assert "them. These come from Amnesty's later appeals to this office." in text
    assert "Start with: Dear Counsellor," in text


@pytest.mark.parametrize("slug", sorted(REFERENCE))
def test_the_page_says_what_a_card_is_for_and_where_it_goes(site, slug):
    ref = REFERENCE[slug]
    card = part(read(site, f"{slug}.html"), '<section class="send-card"')
    text = visible_text(card)
    assert text.startswith("Send a card")
    assert CARD_PURPOSE in text and CARD_COUNTED in text
    if ref["card_address"]:
        assert address_lines(card) == ref["card_address"]
    else:
        assert "<address" not in card
    if ref["card_note"]:
        assert ref["card_note"] in text
    assert (CARD_USUAL in text) == (not ref["card_address"] and not ref["card_note"])


@pytest.mark.parametrize(
    ("slug", "note"),
    [
        ("edward-snowden", "the address the human rights groups used when they delivered their petition"),
        (
            "annie-alfred",
            "a copy can go to the High Commissioner for Malawi, 2408 Massachusetts Ave NW, Washington, DC 20008",
        ),
    ],
)
def test_a_confirmed_address_can_carry_a_note(site, slug, note):
    write_to = part(read(site, f"{slug}.html"), '<section class="write-to"')
    text = visible_text(write_to)
    assert note in text and NOT_CONFIRMED not in text
    assert '<p class="address-note">' in write_to


def test_nauru_names_no_official_and_no_place_for_cards(site):
    html = read(site, "nauru-and-manus-refugees.html")
    write_to = visible_text(part(html, '<section class="write-to"'))
    assert "Nor could we confirm which official the letter should name" in write_to
    card = part(html, '<section class="send-card"')
    assert "We found no address for cards for this case" in visible_text(card)
    assert "<address" not in card and "Send it to" not in card and "welcome" not in card


def test_site_c_cards_go_online_with_the_peace_river_hashtag(site):
    assert "#WithThePeaceRiver" in visible_text(part(read(site, "treaty-8-site-c.html"), '<section class="send-card"'))


@pytest.mark.parametrize(
    ("slug", "said", "not_said"),
    [
        # Sentenced for "non-denunciation", not for forwarding the message.
        (
            "fomusoh-ivo-feh",
            '10 years for "non-denunciation" of terrorism-related information, after he',
            "for forwarding",
        ),
        # The letter goes to President Widodo; the reference names no president for 2007.
        ("johan-teterissa", "before the then president", "before the president"),
        ("johan-teterissa", "in front of the then president", "in front of the president"),
        ("maxima-acuna", "Ms Acuña", "Mrs"),
    ],
)
def test_the_page_words_a_fact_as_the_reference_does(site, slug, said, not_said):
    text = visible_text(read(site, f"{slug}.html")).replace("\u201c", '"').replace("\u201d", '"')
    assert said in text and not_said not in text


@pytest.mark.parametrize("slug", sorted(REFERENCE))
def test_the_page_ends_with_its_sources_as_named_links(site, slug):
    html = read(site, f"{slug}.html")
    sources = part(html, '<p class="sources"')
    links = parse(sources).links
    assert links == REFERENCE[slug]["sources"]
    assert all(link.startswith("https://") for link in links)
    names = re.findall(r"<a [^>]*>([^<]+)</a>", sources)
    assert len(names) == len(links) and not any(name.startswith("http") for name in names)
    # After the case and the card, before nothing but the (screen-only) count.
    assert html.index('<section class="send-card"') < html.index('<p class="sources"')


def test_a_source_that_is_not_https_is_not_a_link(tmp_path):
    from conftest import build

    content = copy_content(tmp_path)
    case = content / "cases" / "annie-alfred.md"
    source = case.read_text("utf-8").replace(
        "Sources: Amnesty International Ireland | https://amnesty.ie/annie-alfred/",
        'Sources: A "plain" site | javascript:alert(1)\n    <b>Old</b> | http://example.org/',
    )
    case.write_text(source, "utf-8")
    sources = part(read(build(content, tmp_path / "out"), "annie-alfred.html"), '<p class="sources"')
    assert parse(sources).links == ["https://infohere.org/amnesty/index.php?11"]
    assert "<b>" not in sources and "&lt;b&gt;Old&lt;/b&gt;" in sources
