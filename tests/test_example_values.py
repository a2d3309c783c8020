"""Example values found (issue 12): each kind in the settings, with what to put
instead, and example addresses, names and phone numbers in the pages, with their lines."""

from __future__ import annotations

import pytest
from pelican.plugins.event.examples import example_values
from pelican.settings import read_settings

from conftest import (
    OUR_EXAMPLE_FACTS,
    PUBLISH_SETTINGS,
    SHIPPED_EXAMPLE_FACTS,
    SHIPPED_EXAMPLES,
    copy_content,
    copy_project,
    invoke,
    our_event,
)


def test_the_shipped_settings_list_every_example_value_with_what_to_put():
    found = example_values(read_settings(str(PUBLISH_SETTINGS)))
    assert [item.setting.split(" ")[0] for item in found] == SHIPPED_EXAMPLES
    venue = next(item for item in found if item.setting.startswith("venue "))
    assert str(venue) == (
        'venue in event.toml is "Community room, Example Neighborhood Center": '
        "put the name of the place and room where you meet."
    )


def test_the_example_date_times_city_time_zone_and_goal_are_named_in_the_settings():
    found = {item.setting.split(" ")[0]: str(item) for item in example_values(read_settings(str(PUBLISH_SETTINGS)))}
    assert found["start"] == (
        "start in event.toml is the example's Saturday 10 December 2016, 17:00: put your evening's "
        'date and time (invoke init asks for it, or take "start" out of example_facts once it is yours).'
    )
    assert found["end"].startswith("end in event.toml is the example's Saturday 10 December 2016, 20:30:")
    assert found["city"].startswith('city in event.toml is the example\'s "New York City": put your city')
    assert found["goal"].startswith("goal in event.toml is the example's 120: put the number")
    assert all("\n" not in line for line in found.values())


def test_a_newcomer_who_changes_only_the_words_is_still_refused_the_example_date(tmp_path):
    """Venue, address, e-mail and public address made ours, the date, times, city,
    time zone and goal left as shipped: nothing is published until they are
    taken out of example_facts in event.toml."""
    project = copy_project(tmp_path / "project")
    conf = project / "event.toml"
    text = conf.read_text(encoding="utf-8")
    conf.write_text(text.replace(OUR_EXAMPLE_FACTS, SHIPPED_EXAMPLE_FACTS), encoding="utf-8")
    result = invoke(project, "preview")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "The site still has 5 example values, so nothing was built or published" in result.stderr
    assert "start in event.toml is the example's Saturday 10 December 2016, 17:00" in result.stderr
    assert not (project / "output-preview").exists()
    # Taken out one by one, as each becomes the organizer's own.
    conf.write_text(text.replace(OUR_EXAMPLE_FACTS, 'example_facts = ["goal"]\n'), encoding="utf-8")
    result = invoke(project, "preview")
    assert result.returncode == 1 and "The site still has an example value" in result.stderr
    assert "goal in event.toml" in result.stderr and "start in event.toml" not in result.stderr


@pytest.mark.parametrize(
    "facts, found",
    [
        ([], []),
        (["start"], ["start"]),
        ("goal", ["goal"]),  # a name alone, not in a list
        (["date"], ['"date"']),  # no key of EVENT: a typo must not hide the date
        (None, []),
        (3, ["example_facts"]),
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
        ({"SITEURL": "", "EVENT": {"public_address": ""}}, "public_address"),
        # Placeholder public addresses, this computer's, and one without https://
        ({"SITEURL": "https://yourgroup.github.io/write-for-rights"}, "SITEURL"),
        ({"SITEURL": "http://localhost:8000"}, "SITEURL"),
        ({"SITEURL": "http://127.0.0.1:8000"}, "SITEURL"),
        ({"SITEURL": "aibrooklyn42.github.io/write-for-rights"}, "SITEURL"),
        ({"SITEURL": "", "EVENT": {"public_address": "http://localhost:8000"}}, "public_address"),
        # ... allowed only in a public build looked at here, at that very address
        ({"SITEURL": "http://127.0.0.1:8001", "EVENT_PREVIEW_SITEURL": "http://127.0.0.1:8001"}, None),
        ({"SITEURL": "http://127.0.0.1:8001", "EVENT_PREVIEW_SITEURL": "http://127.0.0.1:8002"}, "SITEURL"),
        ({"SITEURL": "https://w4r.example.org", "EVENT_PREVIEW_SITEURL": "https://w4r.example.org"}, "SITEURL"),
        ({"EVENT": {"rsvp_email": "me@mail.example.net"}}, "rsvp_email"),
        ({"EVENT": {"address": "1 Example Street, Springfield"}}, "address"),
        # Placeholders in the facts, in any capitals
        ({"EVENT": {"address": "120 example street, New York"}}, "address"),
        ({"EVENT": {"organizer": "Your Name"}}, "organizer"),
        ({"EVENT": {"group": "Amnesty International your group"}}, "group"),
        ({"EVENT": {"venue": "TBD"}}, "venue"),
        ({"EVENT": {"venue": "todo: ask the library"}}, "venue"),
        ({"EVENT": {"rsvp_email": "youremail@gmail.com"}}, "rsvp_email"),
        ({"EVENT": {"description": "Call (212) 555-0142 to come."}}, "description"),
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
