"""Section mode's core alone, without Pelican: a folder of group files read into
one result per group, the broken and the empty ones left out of the sums."""

from __future__ import annotations

import json

import pytest
from pelican.plugins.tally.counts import Counts
from pelican.plugins.tally.group_files import parse_group_json
from pelican.plugins.tally.problems import TallyError
from pelican.plugins.tally.reading import read_tally
from pelican.plugins.tally.section import group_name, group_slug, read_section

CASES = {"river": ["River Clean-up"], "books": ["Library Books"]}


def folder_of(tmp_path, files: dict[str, str]):
    folder = tmp_path / "groups"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def by_name(section):
    return {group.name: group for group in section.groups}


def test_the_sums_are_those_of_the_good_groups_only(tmp_path):
    folder = folder_of(
        tmp_path,
        {
            "brooklyn-heights.csv": "case,letters,cards,emails\nRiver Clean-up,3,2,1\nlibrary-books,4,,\n",
            "park_slope.csv": "case,letters\nriver,10\n",
            "broken-bay.csv": "case,letters\nRiver Clean-up,500\nLibrary Books,x\n",
            "quiet-town.csv": "case,letters,cards\n",
        },
    )
    section = read_section(folder, CASES)
    groups = by_name(section)
    assert list(groups) == ["Broken Bay", "Brooklyn Heights", "Park Slope", "Quiet Town"]
    assert section.tally.counts == {"river": Counts(13, 2, 1), "books": Counts(4, 0, 0)}
    assert (section.tally.totals.total, section.tally.rows) == (20, 3)
    assert [name for name, group in groups.items() if group.counted] == ["Brooklyn Heights", "Park Slope"]
    assert groups["Broken Bay"].tally is None  # never the 500 of its good row
    assert groups["Quiet Town"].tally.rows == 0 and not groups["Quiet Town"].problems
    [warning] = section.warnings
    assert str(warning).startswith(f"{folder / 'broken-bay.csv'}, line 3: ")
    assert "Broken Bay is shown as not counted yet" in str(warning)


def test_a_group_file_without_a_case_it_names_is_broken_with_its_line(tmp_path):
    folder = folder_of(tmp_path, {"a.csv": "case,letters\nriver,1\nRivr Clean-up,2\n"})
    [warning] = read_section(folder, CASES).warnings
    assert "a.csv, line 3: unknown case" in str(warning) and 'Did you mean "River Clean-up"' in str(warning)


def tally_json(counts: dict[str, tuple[int, int, int]], rows: int, goal=None) -> str:
    """A group's tally.json as its site writes it (TallyResult.as_dict)."""
    cases = [
        {"slug": slug, "title": CASES[slug][0], "letters": letters, "cards": cards, "emails": emails}
        | {"total": letters + cards + emails, "goal": None, "percent": None}
        for slug, (letters, cards, emails) in counts.items()
    ]
    return json.dumps({"goal": goal, "total": 0, "rows": rows, "participants": None, "cases": cases}, indent=2)


def test_a_json_group_file_is_read_as_its_csv_would_be(tmp_path):
    csv_file = tmp_path / "town.csv"
    csv_file.write_text("case,letters,cards,emails\nRiver Clean-up,3,2,1\nriver,1,,\nLibrary Books,0,0,7\n")
    from_csv = read_tally(csv_file, CASES)
    from_json, goal = parse_group_json(
        tally_json({"river": (4, 2, 1), "books": (0, 0, 7)}, rows=3, goal=50).encode(), "town.json", CASES
    )
    assert (from_json.counts, from_json.totals, from_json.rows) == (from_csv.counts, from_csv.totals, from_csv.rows)
    assert goal == 50


def test_a_folder_of_json_and_csv_files_gives_the_same_sums(tmp_path):
    folder = folder_of(
        tmp_path,
        {"one.csv": "case,letters\nriver,2\n", "two.json": tally_json({"river": (5, 0, 0), "books": (0, 1, 0)}, 2, 9)},
    )
    section = read_section(folder, CASES)
    assert section.tally.counts == {"river": Counts(7, 0, 0), "books": Counts(0, 1, 0)}
    assert by_name(section)["Two"].goal == 9 and by_name(section)["Two"].counted


@pytest.mark.parametrize(
    "text, line, words",
    [
        ('{"cases": [\n  {"slug": "river", "letters": 1},\n  oops\n]}', 3, "is not readable JSON"),
        (
            '{"rows": 1, "cases": [\n  {"slug": "river", "letters": 1},\n  {"slug": "nowhere", "letters": 2}\n]}',
            3,
            "unknown case",
        ),
        ('{"rows": 1, "cases": [\n  {"slug": "river", "letters": -1}\n]}', 2, '"letters" is -1'),
        ('{"rows": 1, "cases": [\n  {"slug": "river", "letters": 1, "total": 5}\n]}', 2, '"total"'),
        ('{"rows": 1}', 1, 'no "cases" list'),
    ],
)
def test_a_broken_json_group_file_names_its_line(text, line, words):
    with pytest.raises(TallyError) as error:
        parse_group_json(text.encode(), "town.json", CASES)
    [problem] = error.value.problems
    assert (problem.line, words in problem.message) == (line, True), problem


def test_names_and_slugs_come_from_the_file_name_and_are_safe():
    assert group_name("brooklyn-heights") == "Brooklyn Heights"
    assert group_name("st_johns  wood") == "St Johns Wood"
    taken: set[str] = set()
    assert group_slug("<script>alert(1)<script>", taken) == "script-alert-1-script"
    assert group_slug("Zürich Nord", taken) == "zurich-nord"
    assert group_slug("zurich-nord", taken) == "zurich-nord-2"
    assert group_slug("<>", taken) == "group"


def test_goals_come_from_groups_csv_and_a_bad_row_is_named(tmp_path):
    folder = folder_of(
        tmp_path,
        {
            "brooklyn-heights.csv": "case,letters\nriver,3\n",
            "park-slope.csv": "case,letters\nriver,4\n",
            "groups.csv": "group,goal\nBrooklyn Heights,40\npark-slope,many\nNowhere,10\n",
        },
    )
    section = read_section(folder, CASES)
    groups = by_name(section)
    assert list(groups) == ["Brooklyn Heights", "Park Slope"]  # groups.csv is no group
    assert (groups["Brooklyn Heights"].goal, groups["Park Slope"].goal) == (40, None)
    lines = [str(warning) for warning in section.warnings]
    assert lines[0].startswith(f'{folder / "groups.csv"}, line 3: the goal of Park Slope is "many"')
    assert lines[1].startswith(f'{folder / "groups.csv"}, line 4: "Nowhere" is none of the group files')
    assert section.tally.counts["river"] == Counts(7, 0, 0)  # a goal's problem leaves the counts alone
