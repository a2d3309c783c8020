"""The organizer's loop through the invoke tasks, run in a private copy of the
project the way the organizer runs them."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from pelican.plugins.tally.api import TallyError
from pelican.plugins.tally.appending import append_row

from conftest import free_port, invoke, read, snapshot, stop, tally_csv, wait_for
from tools.dev_server import DevServer

BROKEN_CSV = "case,letters\nAnnie Alfred,lots\n"


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


# invoke tally ------------------------------------------------------------


def test_tally_command_appends_one_checked_row(project):
    result = invoke(project, "tally", "--case", "maxima acuna", "--letters", " +3 ", "--cards", "1", "--emails", "")
    assert result.returncode == 0, result.stderr
    # What it says is what it wrote.
    assert result.stdout == "Added to content/data/tally.csv: Máxima Acuña, 3 letters, 1 card, 0 e-mails.\n"
    assert tally_csv(project).read_text(encoding="utf-8").endswith("\nMáxima Acuña,3,1,0,\n")
    assert invoke(project, "build").returncode == 0
    report = json.loads(read(project / "output", "tally.json"))
    assert report["total"] == 42 + 4


@pytest.mark.parametrize(
    "args, message",
    [
        (["--case", "Annie Alfrid", "--letters", "2"], 'unknown case "Annie Alfrid". Did you mean "Annie Alfred"?'),
        (["--case", "Annie Alfred", "--letters", "two"], '"two" in the "letters" column is not a whole number'),
        (["--case", "Annie Alfred", "--cards", "-1"], '"-1" in the "cards" column is negative'),
    ],
)
def test_tally_command_refuses_bad_input_before_writing(project, args, message):
    before = tally_csv(project).read_bytes()
    result = invoke(project, "tally", *args)
    assert result.returncode != 0
    assert message in result.stderr and "Nothing was written." in result.stderr
    assert tally_csv(project).read_bytes() == before


CASES = {"annie-alfred": ["Annie Alfred"], "maxima-acuna": ["Máxima Acuña"]}


@pytest.mark.parametrize(
    "original, added",
    [
        (b"case,letters,cards,emails\nAnnie Alfred,1,,\n", b"Annie Alfred,2,0,5\n"),
        (b"\xef\xbb\xbfcase;letters;writer;cards;emails\r\nAnnie Alfred;1;Jo;;\r\n", b"Annie Alfred;2;;0;5\r\n"),
        (b"case\tletters\temails\tcards\nAnnie Alfred\t1\t\t", b"\nAnnie Alfred\t2\t5\t0\n"),
    ],
)
def test_append_keeps_the_file_format(tmp_path, original, added):
    path = tmp_path / "tally.csv"
    path.write_bytes(original)
    assert append_row(path, "annie-alfred", {"letters": "2", "emails": "5"}, CASES) == "Annie Alfred"
    assert path.read_bytes() == original + added


def test_append_creates_a_missing_file(tmp_path):
    path = tmp_path / "data" / "tally.csv"
    append_row(path, "Máxima Acuña", {"letters": "4"}, CASES)
    assert path.read_text(encoding="utf-8") == "case,letters,cards,emails\nMáxima Acuña,4,0,0\n"


def test_append_refuses_a_count_the_file_has_no_column_for(tmp_path):
    path = tmp_path / "tally.csv"
    path.write_text("case,letters\nAnnie Alfred,1\n", encoding="utf-8")
    with pytest.raises(TallyError, match='has no "cards" column'):
        append_row(path, "Annie Alfred", {"letters": "1", "cards": "2"}, CASES)
    assert path.read_text(encoding="utf-8") == "case,letters\nAnnie Alfred,1\n"


def test_append_refuses_to_add_to_a_broken_file(tmp_path):
    path = tmp_path / "tally.csv"
    path.write_text(BROKEN_CSV, encoding="utf-8")
    with pytest.raises(TallyError, match="not a whole number"):
        append_row(path, "Annie Alfred", {"letters": "1"}, CASES)
    assert path.read_text(encoding="utf-8") == BROKEN_CSV


def test_an_interrupted_append_leaves_the_old_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "tally.csv"
    path.write_text("case,letters\nAnnie Alfred,1\n", encoding="utf-8")

    def crash(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        append_row(path, "Annie Alfred", {"letters": "9"}, CASES)
    assert path.read_text(encoding="utf-8") == "case,letters\nAnnie Alfred,1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".tally.csv.lock", "tally.csv"]  # no temporary file


# invoke report -----------------------------------------------------------


def test_report_prints_the_table_total_and_progress(project):
    result = invoke(project, "report")
    assert result.returncode == 0, result.stderr
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert "Case Country Letters Cards E-mails Total" in lines
    assert "Annie Alfred Malawi 11 6 2 19" in lines
    assert "All cases 24 12 6 42" in lines
    assert "42 actions: 35 % of our goal of 120." in lines


def test_report_as_csv(project, tmp_path):
    out = tmp_path / "report.csv"
    assert invoke(project, "report", "--csv", str(out)).returncode == 0
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["Case", "Country", "Letters", "Cards", "E-mails", "Total", "Participants"]
    assert ["Máxima Acuña", "Peru", "5", "3", "0", "8", ""] in rows
    assert rows[-1] == ["All cases", "", "24", "12", "6", "42", ""]  # participants not recorded in the fixture
    assert len(rows) == 14


def test_report_on_a_broken_csv_says_what_is_wrong(project):
    tally_csv(project).write_text(BROKEN_CSV, encoding="utf-8")
    result = invoke(project, "report")
    assert result.returncode != 0 and "not a whole number" in result.stderr and "Traceback" not in result.stderr


def test_report_into_a_folder_that_does_not_exist_is_one_line(project, tmp_path):
    out = tmp_path / "no-such-folder" / "report.csv"
    result = invoke(project, "report", "--csv", str(out))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"{out}: there is no folder {out.parent}. Create it or write the report elsewhere, e.g. --csv report.csv. "
        "Nothing was written."
    )
    assert not out.parent.exists()


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


# The watcher -------------------------------------------------------------


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _try(read):
    try:
        return read()
    except OSError:
        return None


def _served(port: int, name: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/{name}", timeout=5) as response:
        return response.read().decode("utf-8")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to measure CPU use")
@pytest.mark.parametrize("task, ready", [("regenerate", "Watching"), ("livereload", "Open http")])
def test_watcher_rebuilds_on_a_csv_change_and_waits_out_an_error(project, task, ready):
    log = project / "watch.log"
    port = free_port()
    with open(log, "w") as out:
        watcher = subprocess.Popen(
            [sys.executable, "-m", "invoke", task],
            cwd=project,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "PORT": str(port)},
        )
    report = project / "output" / "tally.json"

    def total():
        try:
            return json.loads(report.read_text(encoding="utf-8"))["total"]
        except (OSError, ValueError):
            return None

    try:
        assert wait_for(lambda: total() == 42 and ready in log.read_text()), log.read_text()
        if task == "livereload":
            assert wait_for(lambda: _try(lambda: json.loads(_served(port, "tally.json"))["total"]) == 42)
            assert "/__devserver/reload.js" in _served(port, "index.html")  # the browser reloads itself
        tally_csv(project).write_text("case,letters\nAnnie Alfred,5\n", encoding="utf-8")
        assert wait_for(lambda: total() == 5), log.read_text()

        tally_csv(project).write_text(BROKEN_CSV, encoding="utf-8")
        assert wait_for(lambda: "Build failed" in log.read_text()), log.read_text()
        cpu_before = _cpu_seconds(watcher.pid)
        time.sleep(3)  # the error stands: the watcher must sit still
        assert _cpu_seconds(watcher.pid) - cpu_before < 0.5
        text = log.read_text()
        assert text.count("Build failed") == 1 and text.count('"lots"') == 1
        assert total() == 5  # the last good site is still there

        tally_csv(project).write_text("case,letters\nAnnie Alfred,8\n", encoding="utf-8")
        assert wait_for(lambda: total() == 8), log.read_text()
        if task == "livereload":
            assert json.loads(_served(port, "tally.json"))["total"] == 8
    finally:
        stop(watcher)


@pytest.mark.parametrize("status", ["draft", "hidden"])
def test_a_case_that_is_not_published_is_named_as_such_by_tally_build_and_report(project, status):
    page = project / "content" / "cases" / "eren-keskin.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Order:", f"Status: {status}\nOrder:", 1), "utf-8")
    said = (
        f'"Eren Keskin" is the case of content/cases/eren-keskin.md, which is not published (its "Status" is '
        f"{status}). Publish the page, or take its rows out of the tally."
    )
    before = tally_csv(project).read_bytes()
    added = invoke(project, "tally", "--case", "Eren Keskin", "--letters", "5")
    assert added.returncode == 1 and said in added.stderr and "Nothing was written." in added.stderr
    assert tally_csv(project).read_bytes() == before
    # Typed into the spreadsheet instead: the site and the report refuse it alike (none counts it unseen).
    tally_csv(project).write_bytes(before + b"Eren Keskin,5,,\n")
    for command in ("build", "report"):
        result = invoke(project, command)
        assert result.returncode == 1 and said in result.stderr, (command, result.stderr)


# A mistake in the settings or a template -------------------------------------


@pytest.mark.parametrize(
    "mistake, said",
    [
        (
            ('"goal": 120,', '"goal": 120'),
            "pelicanconf.py, line {line}: SyntaxError: invalid syntax. Perhaps you forgot a comma?",
        ),
        (
            ("TALLY_GOAL = EVENT", "TALLY_GOAL = GOAL or EVENT"),
            "pelicanconf.py, line {line}: NameError: name 'GOAL' is not defined (in: TALLY_GOAL = GOAL or EVENT[\"goal\"])",
        ),
        (
            ("datetime(2016, 12, 10, 17, 0)", "datetime(2016, 13, 10, 17, 0)"),
            'pelicanconf.py, line {line}: ValueError: month must be in 1..12 (in: "start": datetime(2016, 13, 10, 17, 0),)',
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
