"""The organizer's loop through the invoke tasks, run in a private copy of the
project the way the organizer runs them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from command_tools import BROKEN_CSV
from conftest import free_port, invoke, read, snapshot, tally_csv, wait_for
from support.dev_server import DevServer


def test_every_task_users_know_is_there_with_help(project):
    listing = invoke(project, "--list").stdout
    for name in (
        "clean",
        "build",
        "rebuild",
        "regenerate",
        "serve",
        "reserve",
        "preview",
        "livereload",
        "publish",
        "gh-pages",
        "test",
        "tally",
        "report",
        "demo",
    ):
        line = next((row for row in listing.splitlines() if row.strip().startswith(name + " ")), "")
        assert len(line.split(maxsplit=1)) == 2, f"{name} has no one-line help"


def test_build_ends_with_one_line_of_figures(project):
    result = invoke(project, "build")
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("Built 19 pages into output/ in ")
    assert last.endswith("; 42 actions counted, 35 % of the goal of 120.")


@pytest.mark.parametrize("task, folder", [("build", "output"), ("rebuild", "output"), ("preview", "output-preview")])
def test_a_failed_build_leaves_the_previous_site_byte_for_byte(project, task, folder):
    assert invoke(project, task).returncode == 0
    before = snapshot(project / folder)
    assert "index.html" in before

    tally_csv(project).write_text(BROKEN_CSV, encoding="utf-8")
    result = invoke(project, task)
    assert result.returncode != 0
    message = " ".join(result.stderr.split())
    assert "Traceback" not in message
    assert 'content/data/tally.csv, line 2: "lots" in the "letters" column is not a whole number' in message
    assert f"{folder}/ was left exactly as it was" in message
    assert snapshot(project / folder) == before
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".output")) == []


def test_a_good_build_replaces_the_site(project):
    assert invoke(project, "build").returncode == 0
    tally_csv(project).write_text("case,letters\nAnnie Alfred,7\n", encoding="utf-8")
    assert invoke(project, "build").returncode == 0
    assert json.loads(read(project / "output", "tally.json"))["total"] == 7


def test_a_direct_public_build_goes_to_output_preview_and_never_touches_output(project):
    assert invoke(project, "build").returncode == 0
    before = snapshot(project / "output")

    def pelican():
        command = [sys.executable, "-m", "pelican", "content", "-s", "publishconf.py"]
        return subprocess.run(
            command, cwd=project, capture_output=True, text=True, env={**os.environ, "COLUMNS": "400"}
        )

    result = pelican()
    assert result.returncode == 0, result.stderr
    assert 'href="https://w4r-group42.org/annie-alfred.html"' in read(project / "output-preview", "index.html")
    assert snapshot(project / "output") == before
    # A failing one too (Pelican empties its output folder first: output-preview/, no longer output/).
    tally_csv(project).write_text(BROKEN_CSV, encoding="utf-8")
    failed = pelican()
    assert "not a whole number" in " ".join((failed.stdout + failed.stderr).split())
    assert snapshot(project / "output") == before


def test_publish_uploads_nothing_after_a_failed_build(project, tmp_path):
    target = tmp_path / "server"
    target.mkdir()
    tally_csv(project).write_text(BROKEN_CSV, encoding="utf-8")
    result = invoke(project, "publish", PUBLISH_TARGET=f"{target}/")
    assert result.returncode != 0 and "not a whole number" in result.stderr
    assert list(target.iterdir()) == []


@pytest.mark.skipif(not shutil.which("rsync"), reason="rsync is not installed")
def test_publish_uploads_the_public_site(project, tmp_path):
    target = tmp_path / "server"
    target.mkdir()
    result = invoke(project, "publish", PUBLISH_TARGET=f"{target}/", SITEURL="https://letters.w4r-group42.org")
    assert result.returncode == 0, result.stderr
    assert 'href="https://letters.w4r-group42.org/annie-alfred.html"' in read(target, "index.html")


def test_publish_uploads_nothing_when_the_case_sheet_pack_cannot_be_made(project, tmp_path):
    target = tmp_path / "server"
    target.mkdir()
    result = invoke(project, "publish", PUBLISH_TARGET=f"{target}/", CHROMIUM_PATH=str(tmp_path / "none"))
    assert result.returncode != 0
    assert "Nothing was published" in result.stderr and "CASE_SHEETS_PDF = None" in result.stderr
    assert list(target.iterdir()) == []


def test_publish_without_a_target_says_where_to_set_it(project):
    result = invoke(project, "publish", PUBLISH_TARGET="")
    assert result.returncode != 0 and "PUBLISH_TARGET" in result.stderr and "publishconf.py" in result.stderr


def test_preview_serve_builds_the_public_site_for_this_computer(project, tmp_path):
    """Its addresses point at this computer, which a public build refuses
    anywhere else: here it is built and served."""
    port = free_port()
    env = {**os.environ, "CHROMIUM_PATH": str(tmp_path / "none")}  # no case-sheet pack: quicker
    running = DevServer(project, port, "preview", env=env, args=("--serve", "--port", str(port)))
    try:
        assert wait_for(lambda: "Open http" in running.text(), seconds=120), running.text()
        assert f'href="http://127.0.0.1:{port}/annie-alfred.html"' in running.get("index.html")
    finally:
        running.stop()


# invoke demo -------------------------------------------------------------

EXAMPLE_TOTAL = 106  # content/data/tally.example.csv


def test_demo_builds_apart_and_leaves_the_served_site_alone(project):
    """output/ is what make serve and the projector's live page show: the
    example numbers never land there."""
    assert invoke(project, "build").returncode == 0
    before = snapshot(project / "output")
    result = invoke(project, "demo", "--no-serve")
    assert result.returncode == 0, result.stderr
    assert "Built 19 pages into output-demo/" in result.stdout
    assert json.loads(read(project / "output-demo", "tally.json"))["total"] == EXAMPLE_TOTAL
    assert snapshot(project / "output") == before
    assert json.loads(read(project / "output", "tally.json"))["total"] == 42


def test_demo_serves_the_example_numbers_from_its_own_folder(project):
    port = free_port()
    running = DevServer(project, port, "demo", args=("--port", str(port)))
    try:
        assert wait_for(lambda: running.total() == EXAMPLE_TOTAL, seconds=120), running.text()
        assert "example numbers" in running.get("live.html")
        assert (project / "output-demo" / "live.html").exists() and not (project / "output").exists()
    finally:
        running.stop()


def test_clean_removes_the_demo_too(project):
    assert invoke(project, "demo", "--no-serve").returncode == 0
    assert invoke(project, "clean").returncode == 0
    assert not (project / "output-demo").exists()


# Where the servers listen --------------------------------------------------------


@pytest.mark.parametrize("host", ["999.1.1.1", "no-such-host.invalid"])
@pytest.mark.parametrize("command", [["livereload"], ["serve"], ["preview", "--serve"]])
def test_a_host_that_is_not_this_computers_is_one_line(project, command, host):
    result = invoke(project, *command, timeout=120, HOST=host, PORT=str(free_port()))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().startswith(f'HOST is "{host}", which is not an address of this computer: ')
    assert not (project / "output-preview").exists()  # preview --serve says so before building


@pytest.mark.parametrize(
    "args, env, said",
    [
        (["preview", "--serve", "--port", "abc"], {}, '--port is "abc": the port must be a number'),
        (["serve"], {"PORT": "80a"}, 'PORT is "80a": the port must be a number'),
    ],
)
def test_a_port_that_is_not_a_number_says_so(project, args, env, said):
    result = invoke(project, *args, timeout=120, **env)
    assert result.returncode == 2 and result.stderr.strip().startswith(said)
    assert ("--port 8001" if "--port" in args else "PORT=8001 make serve") in result.stderr


# A mistake in the settings or a template -------------------------------------


@pytest.mark.parametrize(
    "mistake, said",
    [
        (
            ('"autoescape": True}', '"autoescape": True "trim_blocks": True}'),
            "pelicanconf.py, line {line}: SyntaxError: invalid syntax. Perhaps you forgot a comma?",
        ),
        (
            ("TALLY_GOAL = EVENT", "TALLY_GOAL = GOAL or EVENT"),
            "pelicanconf.py, line {line}: NameError: name 'GOAL' is not defined (in: TALLY_GOAL = GOAL or EVENT[\"goal\"])",
        ),
    ],
)
def test_a_mistake_in_the_settings_is_one_line_naming_it_in_every_command(project, mistake, said):
    settings = project / "pelicanconf.py"
    text = settings.read_text(encoding="utf-8")
    assert mistake[0] in text
    text = text.replace(mistake[0], mistake[1], 1)
    settings.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if mistake[1] in row)
    for command in (["build"], ["report"], ["tally", "--case", "Annie Alfred", "--letters", "1"], ["preview"]):
        result = invoke(project, *command)
        assert result.returncode == 1, command
        assert "Traceback" not in result.stderr, (command, result.stderr)
        assert said.format(line=line) in result.stderr.splitlines(), (command, result.stderr)


def test_a_template_error_names_the_template_and_its_line(project):
    template = project / "theme" / "templates" / "case.html"
    text = template.read_text(encoding="utf-8").replace(
        '<article class="page case">', '<article class="page case">{{ nothing.at_all }}', 1
    )
    template.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "nothing.at_all" in row)
    result = invoke(project, "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"theme/templates/case.html, line {line}: UndefinedError: 'nothing' is undefined" in result.stderr


def test_a_build_run_from_a_subfolder_keeps_its_caches_in_the_project(project):
    done = subprocess.run(
        [sys.executable, "-m", "invoke", "build"], cwd=project / "content" / "pages", capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (project / "content" / "pages").iterdir()) == [
        "cases.md",
        "guide.md",
        "invitation.md",
    ]
    assert (project / "cache" / "pages.pickle").exists()
