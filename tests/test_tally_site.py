"""The tally plugin end to end: a CSV in, numbers on the pages out."""

import json
import re

import pytest

from conftest import (
    FIXTURE_TALLY,
    OUR_SITEURL,
    PUBLISH_SETTINGS,
    build,
    copy_content,
    our_event,
    read,
    run_pelican,
    site_with,
)
from html_tools import visible_text

FIXTURE = """case,letters,cards,emails,writer
Annie Alfred,30,5,2,Private Person
Máxima Acuña,1000,200,34,
annie-alfred,10,,,
"""  # Annie: 40 + 5 + 2 = 47; Máxima: 1,234; all: 1,281


def test_the_csv_is_counted_into_tally_json_and_the_case_pages(tmp_path):
    output = site_with(tmp_path, FIXTURE)
    report = json.loads(read(output, "tally.json"))
    assert (report["total"], report["rows"]) == (1281, 3)
    counts = {c["slug"]: (c["letters"], c["cards"], c["emails"], c["total"]) for c in report["cases"]}
    assert counts["annie-alfred"] == (40, 5, 2, 47) and counts["maxima-acuna"] == (1000, 200, 34, 1234)
    assert "1,234 actions: 1,000 letters, 200 cards, 34 e-mails." in visible_text(read(output, "maxima-acuna.html"))


def test_results_post_shows_a_table_per_case_with_totals(tmp_path):
    output = site_with(tmp_path, FIXTURE, TALLY_GOAL=2000)
    html = read(output, "results.html")
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    table = [visible_text(row) for row in rows]
    assert "Annie Alfred Malawi 40 5 2 47" in table
    assert "Máxima Acuña Peru 1,000 200 34 1,234" in table
    assert "Edward Snowden USA 0 0 0 0" in table
    assert "All cases 1,040 205 36 1,281" in table
    assert len(table) == 1 + 12 + 1  # header, every case, totals
    text = visible_text(html)
    assert "1,281 actions — 64 % of our goal of 2,000" in text
    # The organizer's text stays around the results, in order.
    assert text.index("Here is what we wrote") < text.index("Our results") < text.index("Thank you again")
    assert "tally:results" not in text


def test_progress_bar_is_labelled_and_capped_over_the_goal(tmp_path):
    output = site_with(tmp_path, "case,letters\nAnnie Alfred,128\n", TALLY_GOAL=120)
    html = read(output, "index.html")
    [bar] = re.findall(r"<progress[^>]*>", html)
    assert 'max="120"' in bar and 'value="120"' in bar
    assert 'aria-valuetext="107 %"' in bar  # a screen reader hears the share shown, not the full bar's 100 %
    bar_id = re.search(r'id="([^"]+)"', bar).group(1)
    assert re.search(rf'<label for="{bar_id}">[^<]+</label>', html)
    assert "128 actions — 107 % of our goal of 120" in visible_text(html)


def test_case_page_shows_its_count_and_its_own_goal(tmp_path):
    content = copy_content(tmp_path)
    (content / "data" / "tally.csv").write_text(FIXTURE, encoding="utf-8")
    annie = content / "cases" / "annie-alfred.md"
    annie.write_text(annie.read_text().replace("Order: 4", "Order: 4\nGoal: 50"))
    output = build(content, tmp_path / "output")
    annie_text = visible_text(read(output, "annie-alfred.html"))
    assert "47 actions — 94 % of our goal of 50" in annie_text
    maxima = visible_text(read(output, "maxima-acuna.html"))
    assert "1,234 actions: 1,000 letters, 200 cards, 34 e-mails." in maxima
    assert len(re.findall("<progress", read(output, "maxima-acuna.html"))) == 0
    report = json.loads(read(output, "tally.json"))
    assert [c["goal"] for c in report["cases"] if c["slug"] == "annie-alfred"] == [50]


def test_home_page_shows_overall_progress(tmp_path):
    output = site_with(tmp_path, FIXTURE, TALLY_GOAL=1500)
    assert "1,281 actions — 85 % of our goal of 1,500" in visible_text(read(output, "index.html"))


def test_home_page_links_to_the_results_once_counted(tmp_path):
    html = read(site_with(tmp_path, FIXTURE), "index.html")
    assert 'href="./results.html"' in html


def test_without_a_csv_pages_say_nothing_is_counted_yet(tmp_path):
    output = site_with(tmp_path, None)
    assert "results.html" not in read(output, "index.html").split("<main")[1]
    assert not (output / "results.html").exists()  # the post waits for counts
    assert "actions" not in visible_text(read(output, "cases.html").split("<main")[1])  # the example box aside
    assert "Nothing posted yet" in visible_text(read(output, "news.html"))
    for name in ("index.html", "annie-alfred.html"):
        html = read(output, name)
        assert "No letters have been counted yet" in visible_text(html), name
        assert "<progress" not in html and "0 actions" not in visible_text(html), name
    report = json.loads(read(output, "tally.json"))
    assert report["rows"] == 0 and report["total"] == 0 and len(report["cases"]) == 12


def test_columns_other_than_the_counts_are_never_published(tmp_path):
    output = site_with(tmp_path, FIXTURE)
    for path in output.rglob("*"):
        if path.is_file():
            assert b"Private Person" not in path.read_bytes(), path.name


def test_tally_json_for_the_report(tmp_path):
    output = site_with(tmp_path, FIXTURE, settings_file=PUBLISH_SETTINGS, **our_event(PUBLISH_SETTINGS))
    report = json.loads(read(output, "tally.json"))
    assert {k: report[k] for k in ("goal", "total", "letters", "cards", "emails", "rows")} == {
        "goal": 120,
        "total": 1281,
        "letters": 1040,
        "cards": 205,
        "emails": 36,
        "rows": 3,
    }
    assert [c["slug"] for c in report["cases"]][:5] == [
        "edward-snowden",
        "mahmoud-abu-zeid",
        "ilham-tohti",
        "annie-alfred",
        "maxima-acuna",
    ]
    maxima = report["cases"][4]
    assert maxima == {
        "slug": "maxima-acuna",
        "title": "Máxima Acuña",
        "country": "Peru",
        "url": f"{OUR_SITEURL}/maxima-acuna.html",
        "letters": 1000,
        "cards": 200,
        "emails": 34,
        "total": 1234,
        "goal": None,
        "percent": None,
    }
    assert report["percent"] == 1068  # 1,281 of 120, rounded: the same figure as on the pages


def test_tally_csv_setting_relative_to_content_or_absolute(tmp_path):
    elsewhere = tmp_path / "counts.csv"
    elsewhere.write_text("case,letters\nEdward Snowden,9\n", encoding="utf-8")
    output = site_with(tmp_path, FIXTURE, TALLY_CSV=str(elsewhere))
    assert json.loads(read(output, "tally.json"))["total"] == 9


@pytest.mark.parametrize("typogrify", [True, False])
def test_results_marker_survives_markdown_and_typogrify(tmp_path, typogrify):
    content = copy_content(tmp_path, FIXTURE_TALLY)
    post = content / "posts" / "results.md"
    post.write_text(
        post.read_text().replace("Here is what we wrote, case by case:", 'Here is what WE wrote -- "case by case"...')
    )
    output = build(content, tmp_path / "output", TYPOGRIFY=typogrify)
    html = read(output, "results.html")
    assert html.count('class="tally-table"') == 1
    assert "tally:results" not in visible_text(html)


# Bad input fails the build with a message, through Pelican's own command line.

BAD = {
    "unknown case": (
        "case,letters\nAnnie Alfred,1\nAnie Alfred,2\n",
        ['line 3: unknown case "Anie Alfred". Did you mean "Annie Alfred"?'],
    ),
    "not a number": (
        "case,letters\nAnnie Alfred,2.5\n",
        ['line 2: "2.5" in the "letters" column is not a whole number'],
    ),
    "negative": ("case,letters,emails\nAnnie Alfred,1,-4\n", ['line 2: "-4" in the "emails" column is negative']),
    "missing column": ("case,cards\nAnnie Alfred,1\n", ['line 1: the header row has no "letters" column']),
    "duplicated column": ("case,letters,letters\nAnnie Alfred,1,1\n", ['line 1: the column "letters" appears twice']),
    "several at once": (
        "case;letters;cards\nNobody;x;1\nAnnie Alfred;1;-1\n",
        ['line 2: unknown case "Nobody"', 'line 2: "x" in the "letters"', 'line 3: "-1" in the "cards" column'],
    ),
}


@pytest.mark.parametrize("kind", BAD)
def test_bad_csv_fails_the_build_with_a_clear_message(tmp_path, kind):
    csv_text, expected = BAD[kind]
    content = copy_content(tmp_path)
    (content / "data" / "tally.csv").write_text(csv_text, encoding="utf-8")
    result = run_pelican(content, tmp_path / "output", "--log-handler", "plain")
    assert result.returncode != 0
    message = " ".join((result.stdout + result.stderr).split())
    assert "Traceback" not in message
    assert "The tally has" in message
    for part in expected:
        assert f"tally.csv, {part}" in message


def test_csv_in_another_encoding_says_to_save_as_utf8(tmp_path):
    content = copy_content(tmp_path)
    (content / "data" / "tally.csv").write_bytes("case,letters\nMáxima Acuña,1\n".encode("cp1252"))
    result = run_pelican(content, tmp_path / "output")
    message = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0 and "Traceback" not in message
    assert "tally.csv, line 2: is not UTF-8 text" in message and "UTF-8" in message


def test_bad_goal_metadata_names_the_page(tmp_path):
    content = copy_content(tmp_path)
    annie = content / "cases" / "annie-alfred.md"
    annie.write_text(annie.read_text().replace("Order: 4", "Order: 4\nGoal: fifty"))
    result = run_pelican(content, tmp_path / "output")
    message = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0 and "annie-alfred.md" in message and '"fifty"' in message
