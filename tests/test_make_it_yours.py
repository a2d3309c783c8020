"""Make it yours (issue 12): one home for the event's facts, no example value
and no invented number on the public site, a results post that waits for
the results, and a home page that knows whether the evening has happened."""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import icalendar
import pytest
from pelican.plugins.event import dates
from pelican.plugins.event.examples import example_values
from pelican.plugins.tally.reading import read_tally
from pelican.plugins.tally.results_posts import has_counts
from pelican.settings import read_settings

from conftest import (
    CONTENT,
    FIXTURE_TALLY,
    LOCAL_SETTINGS,
    OUR_EXAMPLE_FACTS,
    PUBLISH_SETTINGS,
    ROOT,
    SHIPPED_EXAMPLE_FACTS,
    build,
    copy_content,
    copy_project,
    epoch,
    invoke,
    our_event,
    read,
    run_pelican,
)
from html_tools import visible_text

SHIPPED_EXAMPLES = [
    'EVENT["group"]',
    'EVENT["city"]',
    'EVENT["organizer"]',
    'EVENT["rsvp_email"]',
    'EVENT["venue"]',
    'EVENT["address"]',
    'EVENT["start"]',
    'EVENT["end"]',
    'EVENT["timezone"]',
    'EVENT["goal"]',
    "SITEURL",
]


def h1(html: str) -> str:
    return visible_text(re.search(r"<h1>(.*?)</h1>", html, re.S).group(1))


def title(html: str) -> str:
    return visible_text(re.search(r"<title>(.*?)</title>", html, re.S).group(1))


# -- 1. One home for the event's facts ------------------------------------------------


def test_a_new_date_brings_its_year_to_title_heading_and_calendar(tmp_path):
    project = copy_project(tmp_path / "project")
    conf = project / "pelicanconf.py"
    text = conf.read_text(encoding="utf-8")
    text = text.replace("datetime(2016, 12, 10, 17, 0)", "datetime(2017, 12, 9, 17, 0)")
    text = text.replace("datetime(2016, 12, 10, 20, 30)", "datetime(2017, 12, 9, 20, 30)")
    conf.write_text(text, encoding="utf-8")
    # Last year's results post would thank people before the new evening:
    # the build names it and builds nothing until it has a new date.
    refused = invoke(project, "build", SOURCE_DATE_EPOCH=epoch(date(2017, 12, 1)))
    assert refused.returncode == 1 and not (project / "output").exists()
    assert (
        'content/posts/results.md, line 2: shows the results (it has the line <!-- tally:results -->), but its "Date" '
        "2016-12-12 10:00 is before the evening ended (2017-12-09 20:30)." in refused.stderr
    )
    post = project / "content" / "posts" / "results.md"
    post.write_text(post.read_text(encoding="utf-8").replace("Date: 2016-12-12", "Date: 2017-12-11"), encoding="utf-8")
    result = invoke(project, "build", SOURCE_DATE_EPOCH=epoch(date(2017, 12, 1)))
    assert result.returncode == 0, result.stderr
    html = read(project / "output", "index.html")
    for place in (title(html), h1(html)):
        assert "2017" in place and "2016" not in place, place
    assert "Saturday 9 December 2017" in visible_text(html)
    [event] = icalendar.Calendar.from_ical((project / "output" / "event.ics").read_bytes()).walk("VEVENT")
    assert "2017" in event.to_ical().decode() and "2016" not in event.to_ical().decode()
    assert event.start.year == 2017
    # Every page's name follows, and the goal and author come from EVENT too.
    settings = read_settings(str(conf))
    assert settings["SITENAME"] == "Write for Rights 2017"
    assert settings["TALLY_GOAL"] == settings["EVENT"]["goal"] and settings["AUTHOR"] == settings["EVENT"]["group"]


def test_footer_of_every_page_names_group_city_organizer_and_contact(tmp_path):
    ours = our_event()
    output = build(copy_content(tmp_path), tmp_path / "out", **ours)
    event = ours["EVENT"]
    for page in output.glob("*.html"):
        footer = visible_text(page.read_text(encoding="utf-8").split('<footer class="site-footer">')[1])
        for fact in (event["group"], event["city"], event["organizer"], event["rsvp_email"]):
            assert fact in footer, (page.name, fact)


def test_no_year_is_written_outside_the_event_settings():
    templates = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "theme").rglob("*.html"))
    assert not re.search(r"\b20\d\d\b", templates)
    settings = LOCAL_SETTINGS.read_text(encoding="utf-8")
    assert [line.strip() for line in settings.splitlines() if "2016" in line] == [
        '"start": datetime(2016, 12, 10, 17, 0),',
        '"end": datetime(2016, 12, 10, 20, 30),',
    ]
    for page in ("pages/invitation.md", "pages/cases.md", "pages/guide.md"):
        header = (CONTENT / page).read_text(encoding="utf-8").split("\n\n")[0]
        assert "2016" not in header, page


def test_dates_are_written_without_strftime_flags():
    assert dates.long_date(date(2016, 12, 10)) == "Saturday 10 December 2016"
    assert dates.day_and_month(date(2016, 12, 12)) == "Monday 12 December"
    assert [dates.clock(datetime(2016, 1, 1, h, m)) for h, m in ((0, 30), (9, 5), (12, 0), (17, 0))] == [
        "12:30 AM",
        "9:05 AM",
        "12:00 PM",
        "5:00 PM",
    ]
    templates = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "theme").rglob("*.html"))
    assert not re.search(r"\.strftime\(|%-[a-zA-Z]", templates)


# -- 2. Example values cannot be published ----------------------------------------------


def test_the_shipped_settings_list_every_example_value_with_what_to_put():
    found = example_values(read_settings(str(PUBLISH_SETTINGS)))
    assert [item.setting.split(" ")[0] for item in found] == SHIPPED_EXAMPLES
    venue = next(item for item in found if item.setting.startswith('EVENT["venue"]'))
    assert str(venue) == (
        'EVENT["venue"] in pelicanconf.py is "Community room, Example Neighborhood Center": '
        "put the name of the place and room where you meet."
    )


def test_the_example_date_times_city_time_zone_and_goal_are_named_in_the_settings():
    found = {item.setting.split(" ")[0]: str(item) for item in example_values(read_settings(str(PUBLISH_SETTINGS)))}
    assert found['EVENT["start"]'] == (
        "EVENT[\"start\"] in pelicanconf.py is the example's Saturday 10 December 2016, 17:00: put your evening's "
        'date and time, then take "start" out of EVENT_EXAMPLE_FACTS.'
    )
    assert found['EVENT["end"]'].startswith(
        'EVENT["end"] in pelicanconf.py is the example\'s Saturday 10 December 2016, 20:30:'
    )
    assert found['EVENT["city"]'].startswith(
        'EVENT["city"] in pelicanconf.py is the example\'s "New York City": put your city'
    )
    assert found['EVENT["goal"]'].startswith('EVENT["goal"] in pelicanconf.py is the example\'s 120: put the number')
    assert all("\n" not in line for line in found.values())


def test_a_newcomer_who_changes_only_the_words_is_still_refused_the_example_date(tmp_path):
    """Venue, address, e-mail and public address made ours, the date, times, city,
    time zone and goal left as shipped: nothing is published until they are
    taken out of EVENT_EXAMPLE_FACTS."""
    project = copy_project(tmp_path / "project")
    conf = project / "pelicanconf.py"
    text = conf.read_text(encoding="utf-8")
    conf.write_text(text.replace(OUR_EXAMPLE_FACTS, SHIPPED_EXAMPLE_FACTS), encoding="utf-8")
    result = invoke(project, "preview")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "The site still has 5 example values, so nothing was built or published" in result.stderr
    assert 'EVENT["start"] in pelicanconf.py is the example\'s Saturday 10 December 2016, 17:00' in result.stderr
    assert not (project / "output-preview").exists()
    # Taken out one by one, as each becomes the organizer's own.
    conf.write_text(text.replace(OUR_EXAMPLE_FACTS, 'EVENT_EXAMPLE_FACTS = ["goal"]\n'), encoding="utf-8")
    result = invoke(project, "preview")
    assert result.returncode == 1 and "The site still has an example value" in result.stderr
    assert 'EVENT["goal"]' in result.stderr and 'EVENT["start"]' not in result.stderr


@pytest.mark.parametrize(
    "facts, found",
    [
        ([], []),
        (["start"], ['EVENT["start"]']),
        ("goal", ['EVENT["goal"]']),  # a name alone, not in a list
        (["date"], ['"date"']),  # no key of EVENT: a typo must not hide the date
        (None, []),
        (3, ["EVENT_EXAMPLE_FACTS"]),
    ],
)
def test_event_example_facts_names_facts_of_event(facts, found):
    settings = read_settings(
        str(PUBLISH_SETTINGS), override={**our_event(PUBLISH_SETTINGS), "EVENT_EXAMPLE_FACTS": facts}
    )
    assert [item.setting.split(" ")[0] for item in example_values(settings)] == found


def test_a_site_without_event_example_facts_has_none():
    settings = read_settings(str(PUBLISH_SETTINGS), override=our_event(PUBLISH_SETTINGS))
    del settings["EVENT_EXAMPLE_FACTS"]
    assert example_values(settings) == []


def test_settings_made_ours_have_no_example_value():
    assert example_values(read_settings(str(PUBLISH_SETTINGS), override=our_event(PUBLISH_SETTINGS))) == []


@pytest.mark.parametrize(
    "change, setting",
    [
        ({"SITEURL": "https://letters.example"}, "SITEURL"),
        ({"SITEURL": "http://w4r.example.com/"}, "SITEURL"),
        ({"SITEURL": "", "EVENT": {"public_address": ""}}, 'EVENT["public_address"]'),
        # Placeholder public addresses, this computer's, and one without https://
        ({"SITEURL": "https://yourgroup.github.io/write-for-rights"}, "SITEURL"),
        ({"SITEURL": "http://localhost:8000"}, "SITEURL"),
        ({"SITEURL": "http://127.0.0.1:8000"}, "SITEURL"),
        ({"SITEURL": "aibrooklyn42.github.io/write-for-rights"}, "SITEURL"),
        ({"SITEURL": "", "EVENT": {"public_address": "http://localhost:8000"}}, 'EVENT["public_address"]'),
        # ... allowed only in a public build looked at here, at that very address
        ({"SITEURL": "http://127.0.0.1:8001", "EVENT_PREVIEW_SITEURL": "http://127.0.0.1:8001"}, None),
        ({"SITEURL": "http://127.0.0.1:8001", "EVENT_PREVIEW_SITEURL": "http://127.0.0.1:8002"}, "SITEURL"),
        ({"SITEURL": "https://w4r.example.org", "EVENT_PREVIEW_SITEURL": "https://w4r.example.org"}, "SITEURL"),
        ({"EVENT": {"rsvp_email": "me@mail.example.net"}}, 'EVENT["rsvp_email"]'),
        ({"EVENT": {"address": "1 Example Street, Springfield"}}, 'EVENT["address"]'),
        # Placeholders in the facts, in any capitals
        ({"EVENT": {"address": "120 example street, New York"}}, 'EVENT["address"]'),
        ({"EVENT": {"organizer": "Your Name"}}, 'EVENT["organizer"]'),
        ({"EVENT": {"group": "Amnesty International your group"}}, 'EVENT["group"]'),
        ({"EVENT": {"venue": "TBD"}}, 'EVENT["venue"]'),
        ({"EVENT": {"venue": "todo: ask the library"}}, 'EVENT["venue"]'),
        ({"EVENT": {"rsvp_email": "youremail@gmail.com"}}, 'EVENT["rsvp_email"]'),
        ({"EVENT": {"description": "Call (212) 555-0142 to come."}}, 'EVENT["description"]'),
        # The description is prose: "for example" and "your city" are words there
        ({"EVENT": {"description": "Bring, for example, a pen: we write for people in your city too."}}, None),
        ({"TALLY_CSV": "data/tally.example.csv"}, "TALLY_CSV"),
    ],
)
def test_each_kind_of_example_value_is_found(change, setting):
    settings = read_settings(str(PUBLISH_SETTINGS), override=our_event(PUBLISH_SETTINGS))
    settings.update({k: v for k, v in change.items() if k != "EVENT"})
    settings["EVENT"] = {**settings["EVENT"], **change.get("EVENT", {})}
    assert [item.setting.split(" ")[0] for item in example_values(settings)] == ([setting] if setting else [])


def test_an_example_address_in_a_page_is_found_with_its_line(tmp_path):
    content = copy_content(tmp_path)
    guide = content / "pages" / "guide.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\nQuestions: <mailto:help@example.com>\n", encoding="utf-8")
    lines = guide.read_text(encoding="utf-8").count("\n")
    found = example_values({**our_event(), "PATH": str(content)})
    assert [str(item) for item in found] == [
        f'content/pages/guide.md, line {lines} is "example.com": put your own address there, or remove it.'
    ]


def test_example_names_places_and_phone_numbers_in_pages_are_found_with_their_lines(tmp_path):
    content = copy_content(tmp_path)
    invitation = content / "pages" / "invitation.md"
    text = invitation.read_text(encoding="utf-8") + "\nAsk Alex Example at the door, or call (212) 555-0100.\n"
    invitation.write_text(text, encoding="utf-8")
    case = content / "cases" / "annie-alfred.md"
    case.write_text(
        case.read_text(encoding="utf-8").replace("    Private Bag 301\n", "    120 Example Street\n"), encoding="utf-8"
    )
    line = text.count("\n")
    found = [str(item) for item in example_values({**our_event(), "PATH": str(content)})]
    assert found == [
        'content/cases/annie-alfred.md, line 9 is "Example Street": put the real name or place there, or remove '
        'it (if it is no made-up name, write "example" in lower case).',
        f'content/pages/invitation.md, line {line} is "Alex Example": put the real name or place there, or remove '
        'it (if it is no made-up name, write "example" in lower case).',
        f'content/pages/invitation.md, line {line} is "(212) 555-0100": 555-0100 to 555-0199 are made-up numbers '
        "kept for fiction: put a real number there, or remove it.",
    ]


@pytest.mark.parametrize(
    "line, found",
    [
        ("Venue: Community room, Example Neighborhood Center.", "Example Neighborhood Center"),
        ("Organized by Amnesty International Example Group", "International Example Group"),
        ("Meet us at Example Hall", "Example Hall"),
        ("Call 212-555-0142 after 5.", "212-555-0142"),
        ("Call +1 212 555 0199.", "+1 212 555 0199"),
        ("Call 555.0123.", "555.0123"),
        # Prose, and numbers that are not kept for fiction: nothing.
        ("Write for example to the president.", None),
        ("Example: keep it short and polite.", None),
        ("For Example, a card with a drawing.", None),
        ("An example letter is on the guide page.", None),
        ("EXAMPLE LETTERS", None),
        ("Call 212-555-0200 or 212-555-1234.", None),
        ("Order number 15550100123.", None),
    ],
)
def test_which_words_in_a_page_are_example_names_or_numbers(tmp_path, line, found):
    content = copy_content(tmp_path)
    guide = content / "pages" / "guide.md"
    guide.write_text(guide.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    assert [item.value for item in example_values({**our_event(), "PATH": str(content)})] == ([found] if found else [])


@pytest.mark.parametrize("name", ["contact.mkd", "contact.mdown", "contact.markdown", "contact.htm", "contact.rst"])
def test_example_text_in_every_kind_of_page_pelican_reads_is_refused(tmp_path, name):
    project = copy_project(tmp_path / "project")
    page = project / "content" / "pages" / name
    page.write_text("Title: Contact\n\nWrite to <mailto:w4r@example.org>.\n", encoding="utf-8")
    result = invoke(project, "preview")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f'content/pages/{name}, line 3 is "example.org"' in result.stderr
    assert not (project / "output-preview").exists()


def test_the_scan_reads_every_suffix_of_pelicans_readers_and_of_the_build(tmp_path):
    from pelican.plugins.event.examples import CONTENT_SUFFIXES
    from pelican.readers import Readers
    from pelican.settings import DEFAULT_CONFIG

    assert {f".{suffix}" for suffix in Readers(dict(DEFAULT_CONFIG)).extensions} - {".static"} <= CONTENT_SUFFIXES
    # A reader a plugin adds: the build passes its suffixes (the generator's readers).
    content = tmp_path / "content"
    content.mkdir()
    (content / "contact.adoc").write_text("= Contact\n\nCall (212) 555-0100.\n", encoding="utf-8")
    assert example_values({"PATH": str(content)}) == []
    [found] = example_values({"PATH": str(content)}, ["adoc"])
    assert found.setting == "content/contact.adoc, line 3" and found.value == "(212) 555-0100"


@pytest.mark.parametrize("task", ["preview", "publish", "gh-pages"])
def test_public_commands_refuse_example_values_before_building(tmp_path, task):
    project = copy_project(tmp_path / "project", ours=False)
    target = tmp_path / "server"
    target.mkdir()
    result = invoke(project, task, PUBLISH_TARGET=f"{target}/")
    assert result.returncode != 0
    message = result.stderr
    assert "The site still has 11 example values, so nothing was built or published" in message
    for setting in SHIPPED_EXAMPLES:
        assert setting in message
    assert "Traceback" not in message
    assert not (project / "output").exists() and list(target.iterdir()) == []


def test_a_fresh_clone_refuses_to_publish_and_leaves_the_target_empty(tmp_path):
    if (
        not shutil.which("git")
        or subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True).returncode != 0
    ):
        pytest.skip("the project is not a git repository here")
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "checkout", "--quiet", head], check=True)
    target = tmp_path / "server"
    target.mkdir()
    result = invoke(clone, "publish", PUBLISH_TARGET=f"{target}/")
    assert result.returncode != 0
    for setting in SHIPPED_EXAMPLES:
        assert setting in result.stderr
    assert list(target.iterdir()) == [] and not (clone / "output").exists()


def test_every_local_page_shows_the_example_banner(site):
    pages = list(site.rglob("*.html"))
    assert len(pages) >= 16
    for page in pages:
        text = visible_text(page.read_text(encoding="utf-8"))
        assert "This site still has example details" in text, page.name
        assert "120 Example Street" in text.split("Skip to content")[1][:2000], page.name


def test_a_site_made_ours_shows_no_banner_locally_or_in_public(tmp_path):
    local = build(copy_content(tmp_path / "a"), tmp_path / "local", **our_event())
    public = build(copy_content(tmp_path / "b"), tmp_path / "public", PUBLISH_SETTINGS, **our_event(PUBLISH_SETTINGS))
    for output in (local, public):
        for page in output.rglob("*.html"):
            assert "example-banner" not in page.read_text(encoding="utf-8"), page


def test_a_public_build_with_example_values_stops_and_keeps_the_output(tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("the site that was there")
    result = run_pelican(copy_content(tmp_path), output, "--delete-output-directory", settings_file=PUBLISH_SETTINGS)
    message = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0 and "Traceback" not in message
    assert "The site still has 11 example values" in message and 'EVENT["venue"]' in message
    assert (output / "index.html").read_text() == "the site that was there"


# -- 3. No invented counts ---------------------------------------------------------------


def test_the_shipped_tally_has_a_header_and_no_counts(site):
    assert (CONTENT / "data" / "tally.csv").read_text(encoding="utf-8").strip() == "case,letters,cards,emails"
    report = json.loads(read(site, "tally.json"))
    assert report["rows"] == 0 and report["total"] == 0
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<progress" not in html and "tally-table" not in html, page.name
        assert not re.search(r"\d actions", visible_text(html)), page.name


def test_demo_shows_the_example_numbers_and_says_so_on_every_page(tmp_path):
    project = copy_project(tmp_path / "project", ours=False, tally=None)
    result = invoke(project, "demo", "--no-serve")
    assert result.returncode == 0, result.stderr
    output = project / "output-demo"
    example = read_tally(
        project / "content" / "data" / "tally.example.csv",
        {c["slug"]: [c["title"]] for c in json.loads(read(output, "tally.json"))["cases"]},
    )
    assert json.loads(read(output, "tally.json"))["total"] == example.totals.total > 0
    for page in output.rglob("*.html"):
        assert "example numbers" in visible_text(page.read_text(encoding="utf-8")), page.name


@pytest.mark.parametrize("how", ["copy", "symlink", "symlink to a copy elsewhere"])
def test_the_example_numbers_under_another_name_are_refused(tmp_path, how):
    project = copy_project(tmp_path / "project", tally=None)  # everything else made ours
    data = project / "content" / "data"
    (data / "tally.csv").unlink()
    if how == "copy":  # cp content/data/tally.example.csv content/data/tally.csv
        shutil.copy(data / "tally.example.csv", data / "tally.csv")
        reason = "it is a copy of content/data/tally.example.csv, the example numbers"
    elif how == "symlink":
        (data / "tally.csv").symlink_to("tally.example.csv")
        reason = "it leads to content/data/tally.example.csv, the example numbers"
    else:
        elsewhere = tmp_path / "counts" / "final.csv"
        elsewhere.parent.mkdir()
        shutil.copy(data / "tally.example.csv", elsewhere)
        (data / "tally.csv").symlink_to(elsewhere)
        reason = "it is a copy of content/data/tally.example.csv, the example numbers"
    result = invoke(project, "preview")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f'TALLY_CSV is "data/tally.csv": {reason}' in result.stderr
    assert not (project / "output-preview").exists()
    # The local build says so on every page, as for invoke demo.
    assert invoke(project, "build").returncode == 0
    for page in (project / "output").rglob("*.html"):
        assert "The counts on these pages are example numbers" in visible_text(page.read_text(encoding="utf-8"))


def test_counts_of_ones_own_that_differ_from_the_example_by_a_byte_are_ours(tmp_path):
    content = copy_content(tmp_path)
    data = content / "data"
    example = (data / "tally.example.csv").read_bytes()
    (data / "tally.csv").write_bytes(example + b"Annie Alfred,1,,,2\n")  # one row of the evening added
    assert example_values({**our_event(), "PATH": str(content), "TALLY_CSV": "data/tally.csv"}) == []


def test_publish_refuses_the_example_numbers(tmp_path):
    project = copy_project(tmp_path / "project")  # everything else made ours
    result = invoke(project, "preview", TALLY_CSV="data/tally.example.csv")
    assert result.returncode != 0
    assert 'TALLY_CSV is "data/tally.example.csv": these are example numbers' in result.stderr


# -- 4. The results post never contradicts the numbers ------------------------------------


@pytest.mark.parametrize("tally", [None, "case,letters,cards,emails\n", "case,letters\n\n,,\n"])
def test_before_anything_is_counted_no_page_claims_results(tmp_path, tally):
    content = copy_content(tmp_path)
    csv = content / "data" / "tally.csv"
    csv.unlink() if tally is None else csv.write_text(tally, encoding="utf-8")
    output = build(content, tmp_path / "out", PUBLISH_SETTINGS, **our_event(PUBLISH_SETTINGS))
    assert not (output / "results.html").exists()
    assert "results.html" not in read(output, "news.html") + read(output, "feeds/all.atom.xml")
    assert "Nothing posted yet" in visible_text(read(output, "news.html"))
    home = visible_text(read(output, "index.html"))
    assert (
        "No letters have been counted yet. We count them at the end of the evening and report them to "
        "Amnesty International early the week after: the numbers appear here in the week of "
        "Monday 12 December"
    ) in home


def test_once_counted_the_results_post_shows_the_numbers(tmp_path):
    output = build(copy_content(tmp_path, FIXTURE_TALLY), tmp_path / "out")
    text = visible_text(read(output, "results.html"))
    assert "All cases 24 12 6 42" in text and "42 actions — 35 % of our goal of 120" in text
    assert "results.html" in read(output, "news.html")


@pytest.mark.parametrize(
    "csv_text",
    [
        "case,letters\n",
        "case,letters\n\n \n",
        "case,letters,notes\n,,a note only\n",
        "case,letters\nAnnie Alfred,\n",
        "case;letters\nAnnie Alfred;2\n",
        "\ufeffCase,Letters\nannie-alfred,1\n",
        "notes,case,letters\nx,,\n",
    ],
)
def test_the_results_post_waits_exactly_as_long_as_the_tally_says_nothing_is_counted(tmp_path, csv_text):
    path = tmp_path / "tally.csv"
    path.write_text(csv_text, encoding="utf-8")
    tally = read_tally(path, {"annie-alfred": ["Annie Alfred"]})
    assert has_counts(path) == (tally.rows > 0)


# -- 5. Before and after the evening ----------------------------------------------------


@pytest.fixture(scope="module")
def phases(tmp_path_factory):
    """The site made ours, with and without counts, on four days around Saturday 10 December 2016."""
    days = {
        "before": date(2016, 12, 9),
        "on the day": date(2016, 12, 10),
        "after": date(2016, 12, 11),
        "long after": date(2017, 3, 1),
    }
    built = {}
    for counted in (False, True):
        root = tmp_path_factory.mktemp("phases")
        content = copy_content(root, FIXTURE_TALLY if counted else None)
        for name, day in days.items():
            built[name, counted] = build(
                content, root / name.replace(" ", "-"), PUBLISH_SETTINGS, today=day, **our_event(PUBLISH_SETTINGS)
            )
    return built


@pytest.mark.parametrize("day", ["before", "on the day"])
@pytest.mark.parametrize("counted", [False, True])
def test_until_the_evening_the_home_page_is_the_invitation(phases, day, counted):
    html = read(phases[day, counted], "index.html")
    assert h1(html) == "Write for Rights 2016: An evening of letters in New York City"
    text = visible_text(html)
    assert text.index("When and where") < text.index("What to bring")
    assert "Coming? Tell us by e-mail" in text and "took place" not in text


@pytest.mark.parametrize("day", ["after", "long after"])
def test_after_the_evening_the_home_page_leads_with_the_results(phases, day):
    text = visible_text(read(phases[day, True], "index.html"))
    assert "Write for Rights 2016 in New York City: thank you" in text
    assert "took place on Saturday 10 December 2016" in text
    assert text.index("42 actions — 35 % of our goal") < text.index("The invitation, as it was")
    assert text.index("Thank you: our letters") < text.index("The invitation, as it was")
    # The invitation stays below, as a record.
    assert (
        text.index("The invitation, as it was")
        < text.index("What to bring")
        < text.index("cases we wrote for: people and communities")
    )


def test_after_the_evening_without_counts_the_home_page_says_when_they_come(phases):
    text = visible_text(read(phases["after", False], "index.html"))
    assert text.index("took place") < text.index("the numbers appear here in the week of Monday 12 December")
    assert text.index("in the week of Monday 12 December") < text.index("The invitation, as it was")


def test_long_after_the_evening_without_counts_no_past_week_is_promised(phases):
    text = visible_text(read(phases["long after", False], "index.html"))
    assert "No letters have been counted yet" in text and "the numbers appear here once they are counted" in text
    assert "12 December" not in text


def test_calendar_and_structured_data_stay_valid_on_every_day(phases):
    uids = set()
    for (day, counted), output in phases.items():
        data = json.loads(
            re.search(r'<script type="application/ld\+json">(.*?)</script>', read(output, "index.html"), re.S).group(1)
        )
        assert data["@type"] == "Event" and data["eventStatus"] == "https://schema.org/EventScheduled"
        assert data["startDate"] == "2016-12-10T17:00:00-05:00"
        [event] = icalendar.Calendar.from_ical((output / "event.ics").read_bytes()).walk("VEVENT")
        uids.add(str(event["UID"]))
    assert len(uids) == 1  # the same event, whatever the day of the build


def test_the_day_is_the_day_where_the_event_happens():
    event = our_event()["EVENT"]
    late_saturday = str(int(datetime(2016, 12, 11, 3, 0, tzinfo=timezone.utc).timestamp()))  # 22:00 in New York
    today = dates.build_date(ZoneInfo(event["timezone"]), {"SOURCE_DATE_EPOCH": late_saturday})
    assert today == date(2016, 12, 10) and dates.phase(event, today) == "on the day"


def test_a_bad_source_date_epoch_is_refused_clearly(tmp_path):
    env = {**os.environ, "COLUMNS": "400", "SOURCE_DATE_EPOCH": "yesterday"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            str(copy_content(tmp_path)),
            "-s",
            str(LOCAL_SETTINGS),
            "-o",
            str(tmp_path / "out"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    message = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0 and "Traceback" not in message
    assert 'SOURCE_DATE_EPOCH is "yesterday": set it to a number of seconds' in message


def test_after_the_evening_the_invitation_is_a_section_with_its_own_headings_below(phases):
    html = read(phases["after", True], "index.html")
    outline = [
        (int(level), visible_text(text)) for level, text in re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", html, re.S)
    ]
    at = outline.index((2, "The invitation, as it was"))
    inside = list(itertools.takewhile(lambda heading: heading[0] > 2, outline[at + 1 :]))
    assert (3, "When and where") in inside and (3, "What to bring") in inside
    assert {level for level, _ in inside} == {3}


@pytest.mark.parametrize("counted", [False, True])
def test_after_the_evening_shares_and_search_results_no_longer_invite(phases, counted):
    html = read(phases["after", counted], "index.html")
    [description] = re.findall(r'<meta name="description" content="([^"]*)"', html)
    [shared] = re.findall(r'<meta property="og:description" content="([^"]*)"', html)
    expected = "Our Write for Rights letter-writing evening in New York City took place on Saturday 10 December 2016."
    if counted:
        expected += " Together we wrote 42 letters, cards and e-mails."
    assert description == shared == expected
    before = read(phases["before", counted], "index.html")
    assert re.findall(r'<meta name="description" content="([^"]*)"', before)[0].startswith("Join us")
