"""The event site as a guest or a volunteer meets it."""

import json
import re

import pytest

from conftest import LOCAL_SETTINGS, build, copy_content, read, run_pelican
from html_tools import broken_links, parse, visible_text

EVENT_SETTINGS = {"__file__": str(LOCAL_SETTINGS)}  # event.toml is read beside it
exec(LOCAL_SETTINGS.read_text(), EVENT_SETTINGS)  # the one place event details live
EVENT = EVENT_SETTINGS["EVENT"]


def test_home_page_is_the_invitation_with_the_event_details(site):
    text = visible_text(read(site, "index.html"))
    assert "Saturday 10 December 2016" in text
    assert "5:00 PM to 8:30 PM" in text
    assert EVENT["venue"] in text and EVENT["address"] in text
    assert EVENT["rsvp_email"] in text
    assert "Albert Woodfox" in text
    assert "favourite pen" in text


def test_invitation_keeps_the_organizers_promises(site):
    html = read(site, "index.html")
    text = visible_text(html).replace("\xa0", " ")
    quote = re.search(r"<figure[^>]*>\s*<blockquote>(.*?)</blockquote>\s*<figcaption>(.*?)</figcaption>", html, re.S)
    assert quote, "Albert Woodfox's words as a quotation"
    assert "like to thank our friends at Amnesty International" in visible_text(quote.group(1))
    assert visible_text(quote.group(2)) == "Albert Woodfox, 2015 Write for Rights case"
    assert "write on behalf of people they have never met" in text
    assert "55 years on they still get results" in text and "anniversary" not in text
    # No 2016 target was confirmed: the campaign's actions are "millions", never "4 million".
    assert "adds to the millions of actions" in text and "4 million" not in text
    assert "12 cases: people and communities" in text
    for provided in ("Envelopes", "writing paper", "Pens", "one-page case sheet", "sample letter"):
        assert provided in text, provided
    for bring in (
        "Just yourself, and your favourite pen",
        "Stamps are welcome",
        "vegan snack",
        "no meat, dairy or eggs",
    ):
        assert bring in text, bring
    assert "Early next week the organizer reports all our letters to Amnesty International and posts them" in text


def test_invitation_text_leaves_the_event_date_and_place_to_the_settings():
    from conftest import CONTENT

    source = (CONTENT / "pages" / "invitation.md").read_text(encoding="utf-8")
    header, prose = source.split("\n\n", 1)
    assert "Save_as: index.html" in header and "Template: home" in header
    # Only Albert Woodfox's story names a year after 1961: his case, and the day he walked free.
    story = prose.replace("2015 Write for Rights case", "").replace("19 February 2016", "")
    assert re.findall(r"\b(?:19[7-9]\d|20\d\d)\b", story) == []
    for detail in (EVENT["venue"], EVENT["address"], "Saturday", EVENT["start"].strftime("%-d %B %Y")):
        assert detail not in source, detail


def test_cases_overview_says_which_cases_are_global(site):
    text = visible_text(read(site, "cases.html")).replace("\xa0", " ")
    assert "12 cases we are writing for: people and communities" in text
    assert "Eleven are the global cases" in text
    assert "Site C dam, is the first global case ever to come from Canada" in text
    assert "Nauru and Manus Island: not one of the global cases" in text
    assert "national case" not in text


def test_event_details_come_from_the_settings_alone(tmp_path):
    from datetime import datetime

    moved = {
        **EVENT,
        "venue": "Town Hall, Room 2",
        "start": datetime(2017, 12, 9, 18, 30),
        "end": datetime(2017, 12, 9, 21, 0),
        "rsvp_email": "letters@example.net",
    }
    output = build(copy_content(tmp_path), tmp_path / "out", EVENT=moved)
    text = visible_text(read(output, "index.html"))
    assert "Saturday 9 December 2017" in text and "6:30 PM to 9:00 PM" in text
    assert "Town Hall, Room 2" in text and "letters@example.net" in text
    assert EVENT["venue"] not in text


def test_home_page_links_to_all_twelve_cases(site, case_slugs):
    assert len(case_slugs) == 12
    links = parse(read(site, "index.html")).links
    for slug in case_slugs:
        assert f"./{slug}.html" in links or f"{slug}.html" in links, slug


def test_cases_overview_lists_every_case_with_country_and_summary(counted_site, case_slugs):
    html = read(counted_site, "cases.html")
    for slug in case_slugs:
        assert f"{slug}.html" in html
    text = visible_text(html)
    for country in (
        "USA",
        "Egypt",
        "China",
        "Malawi",
        "Peru",
        "Turkey",
        "Azerbaijan",
        "Indonesia",
        "Iran",
        "Cameroon",
        "Australia",
        "Canada",
    ):
        assert country in text
    # Every card shows its own case's count, the one the tally wrote.
    totals = {case["slug"]: case["total"] for case in json.loads(read(counted_site, "tally.json"))["cases"]}
    cards = {
        re.search(r'href="\./([\w-]+)\.html"', card).group(1): visible_text(card)
        for card in re.findall(r"<li[^>]*>(.*?)</li>", html, re.S)
        if "tally-count" in card
    }
    assert set(cards) == set(case_slugs)
    for slug, card in cards.items():
        assert card.endswith(f"{totals[slug]:,} actions"), (slug, card)


@pytest.mark.parametrize("slug", ["annie-alfred", "maxima-acuna", "ilham-tohti", "treaty-8-site-c"])
def test_case_page_is_a_case_sheet(site, slug):
    html = read(site, f"{slug}.html")
    text = visible_text(html)
    for heading in (
        "Write to",
        "The case",
        "Key points for your letter",
        "Sample letter",
        "Send a card",
        "Ask for:",
        "Sources:",
    ):
        assert heading in text, heading
    assert "Yours sincerely" in text
    assert "<address>" in html
    # Site C's card gave no salutation: the page says so instead of making one up.
    assert ("Start with:" in text) == (slug != "treaty-8-site-c")


def test_every_case_names_its_official_and_address(site, case_slugs):
    from conftest import CONTENT

    for slug in case_slugs:
        header = (CONTENT / "cases" / f"{slug}.md").read_text().split("\n\n", 1)[0]
        # A key's value, with its indented continuation lines joined by spaces.
        meta = {k: " ".join(v.split()) for k, v in re.findall(r"^(\w+): (.*(?:\n    .*)*)", header, re.M)}
        address = parse(read(site, f"{slug}.html"))
        text = visible_text(read(site, f"{slug}.html"))
        assert visible_text(meta["Official_title"]) in text, slug
        if "Official_name" in meta:
            assert meta["Official_name"] in text, slug
        if "Address" in meta:
            assert visible_text(meta["Address"]) in text, slug
        if "Salutation" in meta:
            assert meta["Salutation"] in text, slug
        assert address.ids >= {"write-to-title", "send-card-title"}
        # The address stands in the "Write to" section, inside its <address>.
        write_to = re.search(
            r'<section class="write-to" aria-labelledby="write-to-title">.*?</section>',
            read(site, f"{slug}.html"),
            re.S,
        ).group(0)
        [postal] = re.findall(r"<address>(.*?)</address>", write_to, re.S)
        assert visible_text(meta["Official_title"]) in visible_text(postal), slug
        if "Address" in meta:
            assert visible_text(meta["Address"]) in visible_text(postal), slug


def test_no_markdown_or_template_syntax_leaks(site):
    for page in site.rglob("*.html"):
        text = visible_text(page.read_text(encoding="utf-8"))
        for leak in ("{{", "}}", "{%", "%}", "](", "## ", "**", "Title:", "Summary:"):
            assert leak not in text, f"{page.name}: {leak!r}"


def test_every_internal_link_and_asset_resolves(site):
    assert broken_links(site) == []


def test_broken_link_check_finds_a_broken_link(tmp_path):
    (tmp_path / "index.html").write_text('<a href="missing.html">x</a><a href="#nowhere">y</a>')
    assert len(broken_links(tmp_path)) == 2


def test_results_post_and_news_exist(counted_site):
    assert "Thank you" in visible_text(read(counted_site, "results.html"))
    assert "results.html" in read(counted_site, "news.html")


def test_results_post_gives_each_total_with_its_own_source(counted_site):
    html = read(counted_site, "results.html")
    update = html[html.index("Update:") :].split("</p>")[0]
    text = visible_text(update)
    assert (
        "Amnesty International Canada has since reported the worldwide result of Write for Rights 2016: 4,660,774"
        in text
    )
    assert "For 2015, Amnesty International USA had reported 3,714,141" in text
    assert parse(update).links == [
        "https://amnesty.ca/blog/blog-46-million-actions-write-rights/",
        "https://amnestyusa.org/blog/3714141-thank-yous/",
    ]
    woodfox = visible_text(html)
    assert "walked free in February, 44 years after he was first placed in solitary confinement" in woodfox


def test_guide_gets_postage_and_cards_right(site):
    text = visible_text(read(site, "guide.html"))
    # A New York group: the letter to the White House needs no international stamp.
    assert "Most of the letters go abroad and need international postage" in text
    assert "the one to the White House, for Edward Snowden, needs only a US stamp" in text
    # No source sends cards to families: each case page says what is known.
    assert "family" not in text and "each case page says what we know about where cards can go" in text


def test_404_page_says_so_and_leads_home_and_to_the_cases(site):
    html = read(site, "404.html")
    assert "<h1>Page not found</h1>" in html
    main = parse(html.split("<main", 1)[1])
    assert {"./", "./cases.html"} <= set(main.links)
    assert (site / "index.html").is_file() and (site / "cases.html").is_file()


def test_titles_and_summaries_from_data_are_escaped(tmp_path):
    content = copy_content(tmp_path)
    case = content / "cases" / "annie-alfred.md"
    source = case.read_text()
    source = source.replace("Title: Annie Alfred", 'Title: Annie "Q&A" <b>Alfred</b> & <script>x</script>')
    source = re.sub(r"^Summary: .*$", 'Summary: She said "stop" & <i>wait</i> < 3', source, flags=re.M)
    source = source.replace("Country: Malawi", 'Country: Malawi "&" <Zomba>')
    case.write_text(source)
    output = build(content, tmp_path / "out")
    for name in ("annie-alfred.html", "cases.html", "index.html"):
        html = read(output, name)
        assert "<script>x" not in html and "<b>Alfred" not in html and "<Zomba>" not in html, name
        # Inside a quoted attribute a raw < or an unescaped quote would end it early.
        assert not re.search(r'="[^"]*<', html), name
    text = visible_text(read(output, "annie-alfred.html"))
    assert "<script>x</script>" in text  # shown as text, not run
    assert 'Malawi "&" <Zomba>' in text
    description = [
        v for t, a, v in parse(read(output, "annie-alfred.html")).attributes if t == "meta" and a == "content"
    ]
    # The summary is text too: its <i> is shown, not run (and not dropped).
    assert any("stop" in v and "& <i>wait</i> <" in v for v in description)


def test_hidden_files_beside_the_pages_are_not_pages(tmp_path):
    content = copy_content(tmp_path)
    (content / "cases" / "._annie-alfred.md").write_bytes(b"\x00\x05\x16\x07\x00\x02")  # macOS AppleDouble
    (content / "pages" / ".#guide.md").write_text("an editor's lock, not a page", encoding="utf-8")
    output = build(content, tmp_path / "out")
    assert sorted(p.name for p in output.glob("*annie*")) == ["annie-alfred.html"]
    assert not list(output.rglob(".*"))


def test_a_thirteenth_case_page_is_warned_about_where_the_pages_say_12_cases(tmp_path):
    content = copy_content(tmp_path)
    extra = content / "cases" / "annie-alfred-2.md"
    extra.write_text(
        (content / "cases" / "annie-alfred.md")
        .read_text(encoding="utf-8")
        .replace("Title: Annie Alfred", "Title: A Thirteenth Case", 1),
        encoding="utf-8",
    )
    result = run_pelican(content, tmp_path / "output", "--log-handler", "plain", "--fatal", "errors")
    assert result.returncode == 0, result.stderr
    said = [" ".join(line.split()) for line in (result.stdout + result.stderr).splitlines() if "says" in line]
    assert (
        f'{content}/pages/cases.md, line 1: says "12 cases", but the site has 13 case pages. Change the number (or add or remove a case page).'
        in said
    )
    assert any("invitation.md, line 5:" in line for line in said)
    assert (
        'EVENT["description"] in the settings says "12 cases", but the site has 13 case pages. Change the number.'
        in said
    )
    extra.unlink()
    quiet = run_pelican(content, tmp_path / "again", "--log-handler", "plain", "--fatal", "errors")
    assert "says" not in quiet.stdout + quiet.stderr
