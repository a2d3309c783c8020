"""No invented counts (issue 12): the shipped tally is empty, example numbers say
so and are refused under any name, and the results post waits for real counts."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from pelican.plugins.event.examples import example_values
from pelican.plugins.tally.reading import read_tally
from pelican.plugins.tally.results_posts import has_counts

from conftest import (
    CONTENT,
    FIXTURE_TALLY,
    PUBLISH_SETTINGS,
    build,
    copy_content,
    copy_project,
    invoke,
    our_event,
    read,
)
from html_tools import visible_text


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


# -- The results post never contradicts the numbers ---------------------------------------


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
