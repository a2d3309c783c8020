"""Section mode built for real: a folder of generated group files, one of them
broken and one without counts, into the shipped site's pages, as make serve builds it."""

from __future__ import annotations

import json
import random
import re
from datetime import date
from pathlib import Path

import pytest

from conftest import LOCAL_SETTINGS, build_date, copy_content, read, site_with
from html_tools import visible_text
from organizer.devserver.builder import Builder
from organizer.site_output import replace_site

GOOD = ["brooklyn-heights", "park_slope", "astoria", "red-hook", "flushing"]
BROKEN = "broken-bay.csv"  # line 4 holds a count that is not a number
EMPTY = "quiet-town.csv"  # the header row alone
ODD = '<script>alert(1)<script> & "Zürich"'  # a file name that is markup
GOALS = {"brooklyn-heights": 400, "astoria": 50}


def generated_groups(folder: Path, cases: list[str]) -> dict[str, dict[str, tuple[int, int, int]]]:
    """Write the group files; each good group's counts per case slug."""
    folder.mkdir()
    rnd = random.Random(26)
    expected = {}
    for stem in [*GOOD, ODD]:
        counts = {slug: (rnd.randint(0, 30), rnd.randint(0, 9), rnd.randint(0, 5)) for slug in cases}
        rows = [f"{slug},{letters},{cards},{emails}" for slug, (letters, cards, emails) in counts.items()]
        (folder / f"{stem}.csv").write_text("case,letters,cards,emails\n" + "\n".join(rows) + "\n", encoding="utf-8")
        expected[stem] = counts
    (folder / BROKEN).write_text(
        f"case,letters\n{cases[0]},9871\n{cases[1]},9872\n{cases[2]},many\n{cases[3]},9873\n", encoding="utf-8"
    )
    (folder / EMPTY).write_text("case,letters,cards,emails\n", encoding="utf-8")
    (folder / "groups.csv").write_text(
        "group,goal\n" + "".join(f"{stem},{goal}\n" for stem, goal in GOALS.items()), encoding="utf-8"
    )
    return expected


def build_section(content: Path, output: Path):
    """Build as make serve does (the dev server's Builder): the lines its box shows."""
    overrides = {"PATH": str(content), "TALLY_SECTION_GROUPS": "groups", "CACHE_CONTENT": False}
    with build_date(date(2016, 12, 11)):
        result = Builder(LOCAL_SETTINGS, output, swap=replace_site, overrides=overrides).build()
    assert result.ok, result.problems
    return result.problems


@pytest.fixture(scope="module")
def section(tmp_path_factory, case_slugs):
    root = tmp_path_factory.mktemp("section")
    content = copy_content(root)
    expected = generated_groups(content / "groups", case_slugs)
    output = root / "output"
    problems = build_section(content, output)
    return {"content": content, "output": output, "expected": expected, "problems": problems}


def totals(counts: dict[str, tuple[int, int, int]]) -> int:
    return sum(sum(each) for each in counts.values())


def main_text(html: str) -> str:
    return visible_text(html.split("<main", 1)[1].split(">", 1)[1].split("</main>")[0])


def table_rows(html: str, table_class: str) -> list[str]:
    table = re.search(rf'<table class="[^"]*{table_class}.*?</table>', html, re.S).group(0)
    return [visible_text(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)]


def test_the_section_totals_are_the_sums_of_the_good_groups(section, case_slugs):
    expected, output = section["expected"], section["output"]
    report = json.loads(read(output, "tally.json"))
    assert report["total"] == sum(totals(counts) for counts in expected.values())
    for case in report["cases"]:
        sums = [sum(group[case["slug"]][i] for group in expected.values()) for i in range(3)]
        assert [case["letters"], case["cards"], case["emails"]] == sums, case["slug"]
    first = case_slugs[0]
    letters = sum(group[first][0] for group in expected.values())
    assert f"{letters:,} letters" in visible_text(read(output, f"{first}.html"))
    results = table_rows(read(output, "results.html"), "tally-table")
    assert (
        results[-1] == f"All cases {report['letters']:,} {report['cards']:,} {report['emails']:,} {report['total']:,}"
    )


def test_the_broken_file_is_named_with_its_line_in_the_build_warnings(section):
    broken = section["content"] / "groups" / BROKEN
    [line] = [line for line in section["problems"] if BROKEN in line]
    assert line.startswith(f"{broken}, line 4: ") and '"many"' in line
    assert "Broken Bay is shown as not counted yet" in line
    assert len(section["problems"]) == 1  # the group without counts is no problem


@pytest.mark.parametrize("name, slug", [("Broken Bay", "broken-bay"), ("Quiet Town", "quiet-town")])
def test_a_group_not_counted_says_so_with_no_number(section, name, slug):
    output = section["output"]
    text = main_text(read(output, f"groups/{slug}.html"))
    assert "Not counted yet" in text and name in text
    assert not re.search(r"\d", text), text  # no partial, no guessed, no 0
    assert f"{name} not counted yet" in table_rows(read(output, "groups.html"), "groups-table")
    for path in output.rglob("*.html"):
        assert "9871" not in path.read_text(encoding="utf-8") and "9,871" not in path.read_text(encoding="utf-8")
    [group] = [g for g in json.loads(read(output, "tally.json"))["groups"] if g["slug"] == slug]
    assert (group["counted"], group["total"]) == (False, None)


def test_the_group_pages_and_the_groups_table_show_each_groups_numbers(section):
    output, expected = section["output"], section["expected"]
    rows = table_rows(read(output, "groups.html"), "groups-table")
    assert rows[0] == "Group Actions Goal Share of goal"
    total = totals(expected["brooklyn-heights"])
    assert f"Brooklyn Heights {total:,} 400 {round(total * 100 / 400)} %" in rows
    assert f"Park Slope {totals(expected['park_slope']):,}" in rows  # no goal: no share
    assert len(rows) == 1 + len(GOOD) + 3  # header, the good groups, the odd name, broken, empty
    page = read(output, "groups/brooklyn-heights.html")
    assert f"{total:,} actions — {round(total * 100 / 400)} % of our goal of 400" in main_text(page)
    case_rows = table_rows(page, "tally-table")[1:-1]
    letters = [int(row.split()[-4].replace(",", "")) for row in case_rows]
    report = json.loads(read(output, "tally.json"))
    assert letters == [expected["brooklyn-heights"][case["slug"]][0] for case in report["cases"]]
    assert "Every group" in main_text(read(output, "groups/park-slope.html"))
    assert 'href="./groups.html"' in read(output, "index.html")  # the menu links to the groups


def test_a_name_from_a_file_gets_a_safe_slug_and_an_escaped_title(section):
    output = section["output"]
    page = read(output, "groups/script-alert-1-script-zurich.html")
    assert "<h1>&lt;script&gt;alert(1)&lt;script&gt; &amp; &#34;Zürich&#34;</h1>" in page
    assert "<title>&lt;script&gt;alert(1)" in page
    for path in output.rglob("*.html"):
        assert "<script>alert" not in path.read_text(encoding="utf-8"), path.name
    assert ODD in main_text(read(output, "groups.html"))


def test_a_saved_tally_json_counts_as_its_csv_does(tmp_path):
    csv_text = "case,letters,cards,emails\nAnnie Alfred,30,5,2\nMáxima Acuña,1000,200,34\nannie-alfred,10,,\n"
    local = json.loads(read(site_with(tmp_path / "local", csv_text), "tally.json"))  # a group's own site
    content = copy_content(tmp_path)
    (content / "groups").mkdir()
    (content / "groups" / "from-csv.csv").write_text(csv_text, encoding="utf-8")
    (content / "groups" / "from-json.json").write_text(json.dumps(local), encoding="utf-8")
    assert local["goal"] == 120  # the JSON's goal is the group's; the CSV's comes from groups.csv
    (content / "groups" / "groups.csv").write_text("group,goal\nfrom-csv,120\n", encoding="utf-8")
    assert build_section(content, tmp_path / "output") == []
    report = json.loads(read(tmp_path / "output", "tally.json"))
    groups = [(g["name"], g["total"], g["goal"]) for g in report["groups"]]
    assert groups == [("From Csv", 1281, 120), ("From Json", 1281, 120)]
    assert report["total"] == 2 * 1281
    pages = [main_text(read(tmp_path / "output", f"groups/{slug}.html")) for slug in ("from-csv", "from-json")]
    assert pages[0].replace("From Csv", "") == pages[1].replace("From Json", "")


def test_section_mode_is_off_by_default(site):
    assert not (site / "groups.html").exists() and not (site / "groups").exists()
    assert "groups" not in json.loads(read(site, "tally.json"))
    assert "Groups" not in read(site, "index.html")
