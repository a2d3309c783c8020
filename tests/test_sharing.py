"""Sharing and event extras: the calendar file, the schema.org data, social
cards, the feed and sitemap, and the printable pack of case sheets."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from datetime import date, datetime, timezone
from html import unescape
from html.parser import HTMLParser
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import icalendar
import pytest
from pelican.plugins.event import casesheets

from conftest import (
    BEFORE_THE_EVENING,
    FIXTURE_TALLY,
    LOCAL_SETTINGS,
    OUR_SITEURL,
    PUBLISH_SETTINGS,
    build,
    copy_content,
    epoch,
    invoke,
    our_event,
    read,
)
from html_tools import visible_text

SITEURL = OUR_SITEURL
EVENT_SETTINGS = {"__file__": str(LOCAL_SETTINGS)}  # event.toml is read beside it
exec(LOCAL_SETTINGS.read_text(), EVENT_SETTINGS)  # the one place event details live
OURS = our_event(PUBLISH_SETTINGS)  # the public build refuses the shipped example values
EVENT = OURS["EVENT"]
ZONE = ZoneInfo(EVENT["timezone"])


@pytest.fixture(scope="module")
def public_site(tmp_path_factory):
    """The shipped pages made ours, with the fixture tally, as `invoke preview` builds them."""
    root = tmp_path_factory.mktemp("public")
    return build(copy_content(root, FIXTURE_TALLY), root / "output", PUBLISH_SETTINGS, **OURS)


def calendar_of(output) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical((output / "event.ics").read_bytes())


def the_event(calendar) -> icalendar.Event:
    [event] = calendar.walk("VEVENT")
    return event


def json_ld(html: str) -> dict:
    [data] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(data)


# -- The calendar file --------------------------------------------------------------


def test_calendar_file_has_the_event_from_the_settings(public_site):
    calendar = calendar_of(public_site)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    event = the_event(calendar)
    assert event["SUMMARY"] == EVENT["name"]
    assert event["DESCRIPTION"].startswith(EVENT["description"])
    assert EVENT["rsvp_email"] in event["DESCRIPTION"]
    assert event["LOCATION"] == f"{EVENT['venue']}, {EVENT['address']}"
    assert event["URL"] == f"{SITEURL}/"
    assert event["ORGANIZER"] == f"mailto:{EVENT['rsvp_email']}"
    assert event["ORGANIZER"].params["CN"] == EVENT["organizer"]
    # Local times in the event's time zone, named by TZID, and its rules beside them.
    assert event.start == EVENT["start"].replace(tzinfo=ZONE)
    assert event.end == EVENT["end"].replace(tzinfo=ZONE)
    assert event["DTSTART"].params["TZID"] == event["DTEND"].params["TZID"] == EVENT["timezone"]
    assert event.start.utcoffset() == ZONE.utcoffset(EVENT["start"])
    assert [tz.tz_name for tz in calendar.timezones] == [EVENT["timezone"]]
    assert calendar.get_missing_tzids() == set()
    # A stamp in UTC, and a UID that is not random.
    stamp = event["DTSTAMP"].dt
    assert stamp.tzinfo is not None and stamp.utcoffset().total_seconds() == 0
    assert int(stamp.timestamp()) == int(epoch(BEFORE_THE_EVENING))  # SOURCE_DATE_EPOCH: reproducible
    assert event["UID"].endswith("@" + EVENT["rsvp_email"].rpartition("@")[2])


def test_calendar_file_is_linked_from_the_home_page(public_site):
    html = read(public_site, "index.html")
    assert re.search(rf'<a href="{SITEURL}/event.ics"[^>]*>Add to calendar</a>', html)


def test_calendar_file_is_made_once_per_version_of_the_event(tmp_path):
    cache = tmp_path / "cache"
    content = copy_content(tmp_path)
    ours = {**OURS, "SITEURL": "", "CACHE_PATH": str(cache)}
    first = build(content, tmp_path / "one", **ours)
    again = build(content, tmp_path / "two", **ours)
    assert (again / "event.ics").read_bytes() == (first / "event.ics").read_bytes()
    assert len(list((cache / "event").glob("*.ics"))) == 1  # made once, then reused

    moved = build(content, tmp_path / "three", **{**ours, "EVENT": {**EVENT, "venue": "Room 2"}})
    assert the_event(calendar_of(moved))["LOCATION"] == f"Room 2, {EVENT['address']}"
    later = build(content, tmp_path / "four", today=date(2016, 12, 2), **ours)
    assert int(the_event(calendar_of(later))["DTSTAMP"].dt.timestamp()) == int(epoch(date(2016, 12, 2)))
    assert len(list((cache / "event").glob("*.ics"))) == 3

    (cache / "event").rename(tmp_path / "lost")  # without its cache, the same file is made again
    remade = build(content, tmp_path / "five", **ours)
    assert (remade / "event.ics").read_bytes() == (first / "event.ics").read_bytes()


def test_local_build_links_the_calendar_too_but_gives_no_url(site):
    assert re.search(r'<a href="\./event.ics"[^>]*>Add to calendar</a>', read(site, "index.html"))
    event = the_event(calendar_of(site))
    assert "URL" not in event
    assert "http" not in event["DESCRIPTION"]
    assert event["SUMMARY"] == EVENT["name"]


def test_calendar_uid_is_the_same_in_every_build(tmp_path, public_site):
    local = build(copy_content(tmp_path), tmp_path / "out", **{**OURS, "SITEURL": ""})
    assert the_event(calendar_of(local))["UID"] == the_event(calendar_of(public_site))["UID"]


def test_a_summer_event_elsewhere_gets_that_zone_and_its_offset(tmp_path):
    moved = {
        **EVENT,
        "timezone": "Europe/Berlin",
        "start": datetime(2017, 7, 1, 18, 0),
        "end": datetime(2017, 7, 1, 21, 15),
        "venue": "Kiezladen",
        "address": "Beispielstr. 1, Berlin",
    }
    output = build(copy_content(tmp_path), tmp_path / "out", PUBLISH_SETTINGS, **{**OURS, "EVENT": moved})
    calendar = calendar_of(output)
    event = the_event(calendar)
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.start == datetime(2017, 7, 1, 18, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert event.start.astimezone(timezone.utc).hour == 16  # summer time: UTC+2
    assert event["LOCATION"] == "Kiezladen, Beispielstr. 1, Berlin"
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Berlin"]
    data = json_ld(read(output, "index.html"))
    assert data["startDate"] == "2017-07-01T18:00:00+02:00"
    assert data["endDate"] == "2017-07-01T21:15:00+02:00"


# -- Structured data (schema.org Event) -----------------------------------------------


def test_home_page_has_the_event_as_schema_org_json_ld(public_site):
    data = json_ld(read(public_site, "index.html"))
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["name"] == EVENT["name"]
    assert data["description"] == EVENT["description"]
    assert data["startDate"] == EVENT["start"].replace(tzinfo=ZONE).isoformat() == "2016-12-10T17:00:00-05:00"
    assert data["endDate"] == "2016-12-10T20:30:00-05:00"
    assert data["location"] == {"@type": "Place", "name": EVENT["venue"], "address": EVENT["address"]}
    assert data["organizer"]["@type"] == "Organization"
    assert data["organizer"]["name"] == EVENT["group"]
    assert data["url"] == f"{SITEURL}/"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"


def test_json_ld_is_only_on_the_home_page(public_site):
    assert "application/ld+json" not in read(public_site, "annie-alfred.html")


def test_json_ld_cannot_close_its_script_element(tmp_path):
    nasty = '</script><script>alert("x")</script> <!-- Q&A -->'
    output = build(copy_content(tmp_path), tmp_path / "out", EVENT={**EVENT, "name": nasty})
    html = read(output, "index.html")
    [script] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert "<" not in script and ">" not in script and "&" not in script
    assert json.loads(script)["name"] == nasty
    assert "<script>alert" not in html


# -- Social cards and canonical addresses ---------------------------------------------

SHARE_TAGS = (
    "og:title",
    "og:description",
    "og:url",
    "og:type",
    "og:image",
    "og:site_name",
    "twitter:card",
    "twitter:title",
    "twitter:description",
    "twitter:image",
)


class _Head(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        key = attrs.get("property") or attrs.get("name") or attrs.get("rel")
        if tag in ("meta", "link") and key:
            self.tags.setdefault(key, attrs.get("content") or attrs.get("href"))


def head_tags(html: str) -> dict[str, str]:
    """A page's <meta property/name> values, its canonical link and its <title>."""
    head = _Head()
    head.feed(html)
    tags = head.tags
    tags["title"] = unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))
    # Whitespace folded (typogrify puts a no-break space before a title's last word).
    return {key: " ".join(value.split()) for key, value in tags.items()}


def output_file_for(output, url: str):
    """The file an absolute URL of the site is served from."""
    assert url.startswith(f"{SITEURL}/"), url
    path = url[len(SITEURL) + 1 :]
    return output / (path or "index.html")


def test_every_page_has_social_cards_with_absolute_urls_that_resolve(public_site):
    pages = sorted(public_site.rglob("*.html"))
    assert len(pages) >= 16
    for page in pages:
        name = page.relative_to(public_site).as_posix()
        tags = head_tags(page.read_text(encoding="utf-8"))
        missing = [t for t in SHARE_TAGS + ("canonical", "description") if not tags.get(t)]
        assert not missing, f"{name} lacks {missing}"
        assert tags["og:url"] == tags["canonical"], name
        assert output_file_for(public_site, tags["og:url"]).is_file(), name
        assert output_file_for(public_site, tags["og:url"]) == public_site / name, name
        for image in ("og:image", "twitter:image"):
            assert output_file_for(public_site, tags[image]).is_file(), name
        assert tags["og:title"] == tags["twitter:title"] == tags["title"], name
        assert tags["og:description"] == tags["twitter:description"] == tags["description"], name
        assert tags["og:site_name"] == EVENT_SETTINGS["SITENAME"], name
        assert tags["twitter:card"] == "summary_large_image", name
        assert tags["og:type"] == ("article" if name == "results.html" else "website"), name


def test_home_page_is_canonical_at_the_site_root(public_site):
    tags = head_tags(read(public_site, "index.html"))
    assert tags["canonical"] == tags["og:url"] == f"{SITEURL}/"
    assert tags["og:description"] == (
        "Join us for an evening of writing letters and cards for 12 cases: people and communities "
        "whose rights are under threat."
    )


def test_share_image_is_our_own_1200_by_630_png(public_site):
    image = output_file_for(public_site, head_tags(read(public_site, "cases.html"))["og:image"])
    data = image.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) == (1200, 630)
    assert len(data) < 100_000


def test_social_cards_of_a_title_with_quotes_and_tags_stay_plain_text(tmp_path):
    content = copy_content(tmp_path)
    case = content / "cases" / "annie-alfred.md"
    case.write_text(case.read_text().replace("Title: Annie Alfred", 'Title: Annie "Q&A" <b>Alfred</b>'))
    output = build(content, tmp_path / "out", PUBLISH_SETTINGS, **OURS)
    html = read(output, "annie-alfred.html")
    tags = head_tags(html)
    # As text, with typogrify's curly quotes and no-break space; not as markup.
    assert tags["og:title"] == "Annie \u201cQ&A\u201d <b>Alfred</b> · Write for Rights 2016"
    assert not re.search(r'="[^"]*<', html)


def test_local_build_has_social_cards_too(site):
    tags = head_tags(read(site, "annie-alfred.html"))
    assert tags["og:url"] == tags["canonical"] == "./annie-alfred.html"
    assert tags["og:image"] == "./theme/images/share.png"
    assert (site / "theme" / "images" / "share.png").is_file()


# -- Feed and sitemap -------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_public_site_has_an_atom_feed_with_the_results_post(public_site):
    feed = ElementTree.parse(public_site / "feeds" / "all.atom.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert [" ".join(e.findtext(f"{ATOM}title").split()) for e in entries] == [
        "Thank you: our letters for Write for Rights"
    ]
    assert entries[0].find(f"{ATOM}link").get("href") == f"{SITEURL}/results.html"
    assert "Thank you" in entries[0].findtext(f"{ATOM}summary")
    assert 'type="application/atom+xml"' in read(public_site, "news.html")
    # A feed reader gets the numbers the page shows, not an empty spot where they go.
    content = entries[0].findtext(f"{ATOM}content")
    assert "tally:results" not in content
    text = visible_text(content)
    assert "42 actions — 35 % of our goal of 120" in text and "All cases 24 12 6 42" in text
    assert f'<a href="{SITEURL}/annie-alfred.html">Annie Alfred</a>' in content


def test_public_site_has_a_sitemap_of_every_page_with_absolute_urls(public_site, case_slugs):
    urlset = ElementTree.parse(public_site / "sitemap.xml").getroot()
    assert urlset.tag == f"{SITEMAP}urlset"
    urls = [u.findtext(f"{SITEMAP}loc") for u in urlset.findall(f"{SITEMAP}url")]
    assert len(urls) == len(set(urls))
    assert f"{SITEURL}/" in urls
    for page in ["cases.html", "guide.html", "news.html", "results.html"] + [f"{s}.html" for s in case_slugs]:
        assert f"{SITEURL}/{page}" in urls, page
    for url in urls:
        assert output_file_for(public_site, url).is_file(), url
    assert f"{SITEURL}/404.html" not in urls and f"{SITEURL}/index.html" not in urls


def test_local_build_has_no_feed_and_no_sitemap_settings():
    from pelican.settings import read_settings

    local = read_settings(str(LOCAL_SETTINGS))
    assert not local["FEED_ALL_ATOM"] and "pelican.plugins.sitemap" not in local["PLUGINS"]
    public = read_settings(str(PUBLISH_SETTINGS))
    assert "pelican.plugins.sitemap" in public["PLUGINS"] and "pelican.plugins.event" in public["PLUGINS"]


# -- The case-sheet pack ----------------------------------------------------------------


def unavailable(reason: str):
    """A skip on a developer's machine; in CI (CI=true) the pack must really be tested."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the case-sheet pack may not be skipped)", pytrace=False)
    pytest.skip(reason)


def flat(text: str) -> str:
    """Text without whitespace or ligatures (a PDF's "ﬃ"), to compare across line breaks."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.browser
def test_preview_prints_every_case_sheet_into_one_pdf_in_case_order(project):
    if reason := casesheets.missing_tool():
        unavailable(reason)
    from pypdf import PdfReader

    result = invoke(project, "preview", SITEURL=SITEURL)
    assert result.returncode == 0, result.stderr
    assert "Printed 12 case sheets into output-preview/case-sheets.pdf." in result.stdout
    output = project / "output-preview"
    cases = json.loads(read(output, "tally.json"))["cases"]
    assert [c["slug"] for c in cases][:3] == ["edward-snowden", "mahmoud-abu-zeid", "ilham-tohti"]
    pdf = PdfReader(output / "case-sheets.pdf")
    assert len(pdf.pages) == len(cases) == 12  # one sheet per case
    for page, case in zip(pdf.pages, cases):
        text = flat(page.extract_text())
        assert flat(case["title"]) in text, case["slug"]
        assert "Writeto" in text and "Letterguide" not in text  # printed with the print styles
    assert [item.title for item in pdf.outline] == [c["title"] for c in cases]
    # The cases page links to it, at its public address.
    assert f'<a href="{SITEURL}/case-sheets.pdf" type="application/pdf">Print all case sheets (PDF)</a>' in read(
        output, "cases.html"
    )


def test_without_chromium_preview_says_the_pack_was_skipped(project):
    result = invoke(project, "casesheets")
    assert result.returncode != 0 and "there is no built site in output-preview/" in result.stderr

    no_chromium = {"CHROMIUM_PATH": str(project / "no-chromium")}
    result = invoke(project, "preview", **no_chromium)
    assert result.returncode == 0, result.stderr
    message = " ".join(result.stderr.split())
    assert "Skipped the case-sheet pack (output-preview/case-sheets.pdf): no Chromium at" in message
    assert "apt-get install chromium" in message and "run `invoke preview` again" in message
    assert (project / "output-preview" / "index.html").exists()
    # Nothing on the preview points to a pack that is not there.
    assert "Print all case sheets" not in read(project / "output-preview", "cases.html")

    result = invoke(project, "casesheets", **no_chromium)
    assert result.returncode != 0 and "no Chromium at" in result.stderr
    assert not (project / "output-preview" / "case-sheets.pdf").exists()


def test_only_the_public_site_links_to_the_pack(site, public_site):
    assert "Print all case sheets" not in read(site, "cases.html")
    assert f'href="{SITEURL}/case-sheets.pdf"' in read(public_site, "cases.html")
