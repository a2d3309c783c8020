"""The organizer's builds under accidents: odd umasks, Ctrl-C, a symlinked
output/, odd tally paths, every kind of failed build, two swaps at once. Run
in a private copy of the project, as the organizer runs them."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from command_tools import edit_once, staging_left, tree_hash, without_case_sheets
from conftest import invoke, invoke_running, read, tally_csv


def modes(folder: Path) -> set[tuple[str, str]]:
    """(kind, mode) of the folder and of everything in it."""
    return {
        ("folder" if p.is_dir() else "file", oct(stat.S_IMODE(p.stat().st_mode))) for p in [folder, *folder.rglob("*")]
    }


# 3. A published site the public can read ------------------------------------


def test_build_and_publish_give_readable_modes_whatever_the_umask(project, tmp_path):
    without_case_sheets(project)
    result = invoke(project, "build", umask=0o077)
    assert result.returncode == 0, result.stderr
    assert modes(project / "output") == {("folder", "0o755"), ("file", "0o644")}

    target = tmp_path / "www"
    result = invoke(project, "publish", umask=0o077, PUBLISH_TARGET=f"{target}/")
    assert result.returncode == 0, result.stderr
    assert (target / "index.html").exists() and (target / "feeds").is_dir()
    assert modes(target) == {("folder", "0o755"), ("file", "0o644")}
    assert modes(project / "output-preview") == {("folder", "0o755"), ("file", "0o644")}


# 7. Interruptions and odd files ---------------------------------------------


def test_output_as_a_symlink_keeps_the_link_and_replaces_its_target(project, tmp_path):
    web_root = tmp_path / "www" / "letters"
    web_root.mkdir(parents=True)
    (web_root / "old.html").write_text("old", encoding="utf-8")
    (project / "output").symlink_to(web_root)
    assert invoke(project, "build").returncode == 0
    tally_csv(project).write_text("case,letters\nAnnie Alfred,7\n", encoding="utf-8")
    result = invoke(project, "build")
    assert result.returncode == 0, result.stderr
    assert (project / "output").is_symlink() and os.readlink(project / "output") == str(web_root)
    assert json.loads(read(web_root, "tally.json"))["total"] == 7
    assert not (web_root / "old.html").exists()
    assert sorted(p.name for p in web_root.parent.iterdir()) == ["letters"]  # no staging left


@pytest.mark.parametrize("how", ["Ctrl-C", "SIGTERM"])
def test_an_interrupted_build_leaves_output_as_it_was(project, how):
    original = tally_csv(project).read_bytes()
    outcomes = set()
    for delay in (0.2, 0.5, 0.8, 1.2, 2.0, 3.0):
        tally_csv(project).write_bytes(original)
        assert invoke(project, "build").returncode == 0
        before = tree_hash(project / "output")
        tally_csv(project).write_text("case,letters\nAnnie Alfred,7\n", encoding="utf-8")
        build = invoke_running(project, "build")
        time.sleep(delay)
        if how == "Ctrl-C":
            os.killpg(build.pid, signal.SIGINT)  # the terminal signals the whole foreground group
        else:
            os.kill(build.pid, signal.SIGTERM)
        _, errors = build.communicate(timeout=120)
        assert staging_left(project) == [], errors
        if tree_hash(project / "output") == before:
            outcomes.add("old site")
        else:  # the signal came after the swap: the new site, whole
            assert json.loads(read(project / "output", "tally.json"))["total"] == 7
            assert (project / "output" / "index.html").exists()
            outcomes.add("new site")
    assert "old site" in outcomes


def make_fifo(path):
    path.unlink()
    os.mkfifo(path)


def make_folder(path):
    path.unlink()
    path.mkdir()


def make_dangling_link(path):
    path.unlink()
    path.symlink_to(path.with_name("moved-away.csv"))


@pytest.mark.parametrize(
    "make, message",
    [
        (make_fifo, "content/data/tally.csv: is a named pipe (FIFO), not a CSV file."),
        (make_folder, "a folder"),  # the settings check or the reader, whichever comes first
        (make_dangling_link, "content/data/tally.csv: is a link to"),
    ],
)
@pytest.mark.parametrize("task", ["build", "report"])
def test_an_odd_tally_path_is_a_clear_error_never_a_hang(project, make, message, task):
    make(tally_csv(project))
    result = invoke(project, task)  # a hang would time out
    text = " ".join(result.stderr.split())
    assert result.returncode != 0 and message in text and "Traceback" not in text
    assert "nothing has been counted" not in (result.stdout + result.stderr).lower()


FAILURES = {
    "unknown count column": lambda p: tally_csv(p).write_text("case,letters,Cards sent\nAnnie Alfred,1,2\n"),
    "count above the ceiling": lambda p: tally_csv(p).write_text("case,letters\nAnnie Alfred,100000\n"),
    "UTF-16 without a mark": lambda p: tally_csv(p).write_bytes("case,letters\nAnnie Alfred,1\n".encode("utf-16-le")),
    "tally is a FIFO": lambda p: make_fifo(tally_csv(p)),
    "tally is a dangling link": lambda p: make_dangling_link(tally_csv(p)),
    "case without an address": lambda p: edit_once(p / "content/cases/annie-alfred.md", "Address:", "Adress:"),
    "unreadable date": lambda p: edit_once(p / "content/posts/results.md", "Date: ", "Date: soon "),
    "two pages, one slug": lambda p: shutil.copy(p / "content/cases/annie-alfred.md", p / "content/pages"),
    "names that fold together": lambda p: edit_once(
        p / "content/cases/eren-keskin.md", "Title: Eren Keskin", "Title: ANNIE ALFRED"
    ),
}


@pytest.mark.parametrize("kind", FAILURES)
def test_every_kind_of_failed_build_leaves_output_byte_identical(project, kind):
    assert invoke(project, "build").returncode == 0
    before = tree_hash(project / "output")
    FAILURES[kind](project)
    result = invoke(project, "build")
    assert result.returncode != 0
    text = " ".join(result.stderr.split())
    assert "Traceback" not in text and "output/ was left exactly as it was" in text
    assert tree_hash(project / "output") == before
    assert staging_left(project) == []


# 2. Adds from many terminals at once ------------------------------------------


@pytest.mark.parametrize("when", ["before the swap", "as the swap ends"])
def test_a_ctrl_c_says_which_site_output_holds(in_project, monkeypatch, capsys, when):
    """Ctrl-C is held back while the new site is swapped in and strikes as
    the swap ends: the message must then say the new site is there."""
    from organizer import building

    project = in_project
    assert building.build_site(project / "pelicanconf.py", project / "output")
    tally_csv(project).write_text("case,letters\nAnnie Alfred,7\n", encoding="utf-8")
    real_swap = building.replace_site

    def interrupted(staging, output, **kwargs):
        if when == "as the swap ends":
            real_swap(staging, output, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(building, "replace_site", interrupted)
    with pytest.raises(KeyboardInterrupt):
        building.build_site(project / "pelicanconf.py", project / "output")
    said = capsys.readouterr().err.strip()
    total = json.loads(read(project / "output", "tally.json"))["total"]
    if when == "as the swap ends":
        assert said == "Build stopped: it had just finished, and output/ holds the new site." and total == 7
    else:
        assert said == "Build stopped: output/ was left exactly as it was." and total == 42
    assert staging_left(project) == []


SWAPPER = """
import sys
from pathlib import Path
from organizer.site_output import new_staging, swap_in

output, failed = Path(sys.argv[1]), 0
for number in range(400):
    staging = new_staging(output)
    (staging / "index.html").write_text(str(number))
    try:
        swap_in(staging, output)
    except OSError:
        failed += 1
print(failed)
"""


def test_two_builds_swapping_one_site_at_once_never_collide(tmp_path):
    """make serve and invoke build may finish at the same moment: their
    renames must not interleave (one failed with 'Directory not empty')."""
    root = Path(__file__).resolve().parent.parent
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", SWAPPER, str(tmp_path / "output")], cwd=root, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    assert [run.communicate(timeout=120)[0].strip() for run in runs] == ["0", "0"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]
