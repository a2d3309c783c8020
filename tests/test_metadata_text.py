"""Metadata is text, never markup: a Title, Summary or any other field with
tags or quotes in it is shown as typed on every page, feed and data file."""

import json
import re
import xml.etree.ElementTree as ElementTree

from conftest import PUBLISH_SETTINGS, build, copy_content, our_event, read
from html_tools import parse, visible_text

PAYLOAD = '<script>alert(1)</script> <b>bold</b> & it\'s "quoted"'
RAW_TAGS = re.compile(r"<script>alert|<b>bold")


def plain_quotes(text: str) -> str:
    """Typogrify curls quotes and ties the last words; compare the text, not the typography."""
    return text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\xa0": " "}))


def hostile_site(tmp_path):
    content = copy_content(tmp_path)
    case = content / "cases" / "annie-alfred.md"
    text = case.read_text(encoding="utf-8")
    for field in ("Summary", "Country", "Ask", "Salutation", "Official_name", "Official_title"):
        text = re.sub(rf"^{field}: .*$", f"{field}: {field} {PAYLOAD}", text, count=1, flags=re.M)
    text = text.replace("Title: Annie Alfred", f"Title: Annie {PAYLOAD}")
    text = text.replace("    Malawi\n", f"    Malawi {PAYLOAD}\n")
    case.write_text(text, encoding="utf-8")
    post = content / "posts" / "results.md"
    text = post.read_text(encoding="utf-8")
    text = re.sub(r"^Summary: .*$", f"Summary: News {PAYLOAD}", text, count=1, flags=re.M)
    text = re.sub(r"^Title: .*$", f"Title: Results {PAYLOAD}", text, count=1, flags=re.M)
    post.write_text(text, encoding="utf-8")
    (content / "data" / "tally.csv").write_text(
        f'case,letters\n"Annie {PAYLOAD.replace(chr(34), 2 * chr(34))}",3\n', encoding="utf-8"
    )
    return build(content, tmp_path / "output", PUBLISH_SETTINGS, **our_event(PUBLISH_SETTINGS))


def test_no_metadata_reaches_any_published_file_as_markup(tmp_path):
    output = hostile_site(tmp_path)
    published = [p for p in output.rglob("*") if p.suffix in (".html", ".xml", ".json", ".ics")]
    assert len(published) > 10
    for path in published:
        assert not RAW_TAGS.search(path.read_text(encoding="utf-8")), path.name


def test_metadata_is_shown_as_typed_on_the_pages(tmp_path):
    output = hostile_site(tmp_path)
    case = plain_quotes(visible_text(read(output, "annie-alfred.html")))
    for field in ("Summary", "Country", "Ask", "Salutation", "Official_name", "Official_title"):
        assert f"{field} {PAYLOAD}" in case, field
    assert f"Annie {PAYLOAD}" in case and f"Malawi {PAYLOAD}" in case
    for page in ("index.html", "cases.html"):  # the case lists
        assert f"Summary {PAYLOAD}" in plain_quotes(visible_text(read(output, page)))
    assert f"News {PAYLOAD}" in plain_quotes(visible_text(read(output, "news.html")))


def test_share_cards_and_descriptions_hold_the_text(tmp_path):
    output = hostile_site(tmp_path)
    metas = {}
    for tag, name, value in parse(read(output, "annie-alfred.html")).attributes:
        if tag == "meta" and name in ("name", "property"):
            key = value
        elif tag == "meta" and name == "content":
            metas[key] = plain_quotes(value)
    assert metas["description"] == metas["og:description"] == metas["twitter:description"] == f"Summary {PAYLOAD}"
    assert metas["og:title"].startswith(f"Annie {PAYLOAD}")


def test_feed_and_tally_json_hold_the_text(tmp_path):
    output = hostile_site(tmp_path)
    feed = ElementTree.parse(output / "feeds" / "all.atom.xml").getroot()
    namespace = {"atom": "http://www.w3.org/2005/Atom"}
    [title] = [plain_quotes(t.text) for t in feed.findall("atom:entry/atom:title", namespace)]
    assert title == f"Results {PAYLOAD}"
    summary = feed.find("atom:entry/atom:summary", namespace)
    if summary is not None:  # HTML inside the feed: the payload is escaped text in it
        assert not RAW_TAGS.search(summary.text)
    report = json.loads(read(output, "tally.json"))
    [annie] = [case for case in report["cases"] if case["slug"] == "annie-alfred"]
    assert plain_quotes(annie["title"]) == f"Annie {PAYLOAD}"
    assert annie["country"] == f"Country {PAYLOAD}" and annie["letters"] == 3
