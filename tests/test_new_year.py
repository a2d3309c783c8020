"""`invoke new-year`: its refusals change nothing, its marked pages block
publishing, and past years stay built at /<year>/ with their own numbers."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURES, copy_project, invoke, read, snapshot, tally_csv
from html_tools import broken_links

NEW_YEAR = FIXTURES / "new_year"
WORDS = "one two three four five six seven eight nine ten eleven twelve".split()


def git(project: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@w4r-group42.org", *args],
        cwd=project,
        check=True,
        capture_output=True,
    )


def commit(project: Path) -> None:
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "the year's pages")


def make_repo(root: Path) -> Path:
    """The project made ours, with the fixture tally, committed in git."""
    project = copy_project(root)
    (project / ".gitignore").write_text("output/\noutput-preview/\ncache/\n", encoding="utf-8")
    git(project, "init", "-q")
    commit(project)
    return project


@pytest.fixture
def repo(tmp_path) -> Path:
    return make_repo(tmp_path / "project")


def ok(result) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def fill(project: Path, cases: int) -> None:
    """The new year's marked pages replaced with the fixture's, its facts made ours."""
    content = project / "content"
    for case in (content / "cases").glob("*.md"):
        case.unlink()
    for number in range(1, cases + 1):
        text = (NEW_YEAR / "case.md").read_text(encoding="utf-8")
        text = text.replace("{number}", str(number)).replace("{word}", WORDS[number - 1])
        (content / "cases" / f"case-{number:02d}.md").write_text(text, encoding="utf-8")
    for name in ("invitation.md", "cases.md"):
        (content / "pages" / name).write_text((NEW_YEAR / name).read_text(encoding="utf-8"), encoding="utf-8")
    marked = (content / "posts" / "results.md").read_text(encoding="utf-8")
    date = re.search(r"(?m)^Date: (.*)$", marked)[1]
    results = (NEW_YEAR / "results.md").read_text(encoding="utf-8").replace("{date}", date)
    (content / "posts" / "results.md").write_text(results, encoding="utf-8")
    facts = project / "event.toml"
    text = facts.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^description = ".*"$', 'description = "An evening of letters for human rights."', text)
    facts.write_text(re.sub(r"(?m)^example_facts = .*$", "example_facts = []", text), encoding="utf-8")


def numbers_of(output: Path) -> dict:
    """What a site shows of its counts: tally.json, the results table, a case page's counts."""
    tally = json.loads(read(output, "tally.json"))
    results = re.search(r'<table class="tally-table">.*?</table>', read(output, "results.html"), re.S)[0]
    case = re.findall(r'<p class="progress-figure">.*?</p>', read(output, "annie-alfred.html"), re.S)
    return {"tally": tally, "results": results, "case": case}


# --------------------------------------------------------------------------- refusals


REFUSALS = [
    (["2016"], "is not after the current campaign (2016"),
    (["2015"], "is not after the current campaign (2016"),
    (["twenty"], "is not a year"),
    (["2017", "--cases", "0"], "is not a number of cases"),
    (["2020"], "2020 is archived already"),
]


@pytest.mark.parametrize("args, words", REFUSALS)
def test_new_year_refuses_in_one_line_and_changes_nothing(repo, args, words):
    (repo / "content" / "archive" / "2020").mkdir(parents=True)
    (repo / "content" / "archive" / "2020" / "keep").write_text("", encoding="utf-8")
    commit(repo)
    before = snapshot(repo)
    result = invoke(repo, "new-year", *args)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and "Nothing was changed." in lines[0], result.stderr
    assert snapshot(repo) == before


def test_new_year_refuses_uncommitted_changes(repo):
    case = repo / "content" / "cases" / "annie-alfred.md"
    case.write_text(case.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    before = snapshot(repo)
    result = invoke(repo, "new-year", "2017")
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "uncommitted changes (content/cases/annie-alfred.md)" in line
    assert snapshot(repo) == before


def test_new_year_refuses_outside_git_unless_forced(tmp_path):
    project = copy_project(tmp_path / "project")
    before = snapshot(project)
    result = invoke(project, "new-year", "2017")
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "not a git repository" in line and "--force" in line
    assert snapshot(project) == before
    ok(invoke(project, "new-year", "2017", "--force", "--cases", "3"))
    assert (project / "content" / "archive" / "2016" / "event.toml").read_bytes() == before["event.toml"]


# --------------------------------------------------------------------------- the new year


def test_marked_pages_block_publishing_and_name_each_mark(repo):
    ok(invoke(repo, "new-year", "2026", "--cases", "10"))
    content = repo / "content"
    assert sorted(p.name for p in (content / "cases").glob("*.md")) == [f"case-{n:02d}.md" for n in range(1, 11)]
    assert tally_csv(repo).read_text(encoding="utf-8") == "case,letters,cards,emails\n"
    archive = content / "archive" / "2016"
    assert len(list((archive / "cases").glob("*.md"))) == 12
    assert (archive / "data" / "tally.csv").read_text(encoding="utf-8").count("\n") > 1
    for path in (content / "cases").glob("*.md"):
        assert "TODO" in path.read_text(encoding="utf-8")  # marks, no invented case
    result = invoke(repo, "preview")
    assert result.returncode == 1
    said = result.stdout + result.stderr
    assert 'content/cases/case-10.md, line 1 is "TODO: the name of case 10' in said
    assert "start in event.toml is the example's" in said
    assert not (repo / "output-preview").exists()
    ok(invoke(repo, "build"))  # this computer's build shows them instead
    assert "TODO: the name of case 10" in read(repo / "output", "index.html")


def test_a_mark_left_in_an_archived_year_blocks_publishing(repo):
    ok(invoke(repo, "new-year", "2026", "--cases", "2"))
    fill(repo, 2)
    page = repo / "content" / "archive" / "2016" / "cases" / "annie-alfred.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Country: Malawi", "Country: TBD"), encoding="utf-8")
    result = invoke(repo, "preview")
    assert result.returncode == 1
    assert 'content/archive/2016/cases/annie-alfred.md, line 2 is "TBD"' in result.stdout + result.stderr


def test_past_years_keep_their_own_numbers(repo):
    ok(invoke(repo, "build"))
    before = numbers_of(repo / "output")
    ok(invoke(repo, "new-year", "2026", "--cases", "10"))
    fill(repo, 10)
    ok(invoke(repo, "tally", "--case", "Case ten", "--letters", "5"))
    ok(invoke(repo, "build"))
    output = repo / "output"
    assert numbers_of(output / "2016") == before
    assert len(json.loads(read(output, "tally.json"))["cases"]) == 10
    assert json.loads(read(output, "tally.json"))["total"] == 5
    assert "Write for Rights 2016 campaign" in read(output / "2016", "annie-alfred.html")
    for current_only in ("event.ics", "live.html"):
        assert (output / current_only).exists() and not (output / "2016" / current_only).exists()
    # A late batch for 2016 changes 2016 alone.
    ok(invoke(repo, "tally", "--year", "2016", "--case", "Annie Alfred", "--letters", "3"))
    assert "Case ten,5" in tally_csv(repo).read_text(encoding="utf-8")
    ok(invoke(repo, "build"))
    assert json.loads(read(output / "2016", "tally.json"))["total"] == before["tally"]["total"] + 3
    assert json.loads(read(output, "tally.json"))["total"] == 5
    assert "Annie Alfred" in ok(invoke(repo, "report", "--year", "2016"))
    # Another year archives 2026 as well: both on the page of earlier years.
    commit(repo)
    ok(invoke(repo, "new-year", "2027", "--cases", "3"))
    fill(repo, 3)
    ok(invoke(repo, "build"))
    years = read(output, "years.html")
    assert all(f'href="./{year}/"' in years or f">{year}<" in years for year in ("2016", "2026", "2027"))
    assert numbers_of(output / "2016")["tally"]["total"] == before["tally"]["total"] + 3
    assert json.loads(read(output / "2026", "tally.json"))["total"] == 5
    assert broken_links(output) == []


def test_a_filled_new_year_is_published_with_its_past_years(repo):
    ok(invoke(repo, "new-year", "2026", "--cases", "3"))
    fill(repo, 3)
    ok(invoke(repo, "preview", SOURCE_DATE_EPOCH="1796000000"))  # 30 November 2026: before the evening, nothing counted
    public = repo / "output-preview"
    assert not (public / "results.html").exists()  # it waits for counts
    assert (public / "2016" / "results.html").exists() and (public / "years.html").exists()
    assert not any((public / "2016" / name).exists() for name in ("event.ics", "live.html", "feeds"))
    assert 'href="https://w4r-group42.org/2016/annie-alfred.html"' in read(public / "2016", "cases.html")
    assert 'href="https://w4r-group42.org/">This year' in read(public / "2016", "results.html")


def test_an_unknown_year_is_one_line(repo):
    for task in (["tally", "--case", "Annie Alfred", "--letters", "1"], ["report"]):
        result = invoke(repo, *task, "--year", "2012")
        assert result.returncode == 1
        [line] = result.stderr.strip().splitlines()
        assert "There is no archived year 2012" in line


@pytest.mark.parametrize(
    "broken, named",
    [
        ("data/tally.csv", "content/archive/2016/data/tally.csv"),
        ("event.toml", "content/archive/2016/event.toml"),
        ("cases/annie-alfred.md", "content/archive/2016/cases/annie-alfred.md"),
    ],
)
def test_a_broken_archive_stops_the_build_naming_the_file(repo, broken, named):
    ok(invoke(repo, "new-year", "2026", "--cases", "2"))
    fill(repo, 2)
    path = repo / "content" / "archive" / "2016" / broken
    text = path.read_text(encoding="utf-8")
    if broken.endswith(".csv"):
        text += "Nobody Known,3\n"
    elif broken.endswith(".toml"):
        text = text.replace("goal = 120", 'goal = "many"')
    else:
        text = text.replace("Order: 4\n", "")
    path.write_text(text, encoding="utf-8")
    result = invoke(repo, "build")
    assert result.returncode == 1
    assert named in result.stdout + result.stderr
