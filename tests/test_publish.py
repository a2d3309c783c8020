"""The public build and invoke publish under accidents: a case-sheet pack that
cannot be printed, Ctrl-C while it prints or uploads, a target that holds other
files or that rsync --delete would wreck, a results post dated after today."""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from command_tools import one_line, staging_left, tree_hash, without_case_sheets
from conftest import invoke, invoke_running, read, tally_csv, wait_for

# The public build and its case-sheet pack ------------------------------------


def fake_chromium(folder: Path, body: str) -> Path:
    """An executable where Chromium should be: `body` is its shell script
    (it touches chromium.started first, to say printing has begun)."""
    path = folder / "chromium"
    path.write_text(f'#!/bin/sh\ntouch "$0.started"\n{body}\n', encoding="utf-8")
    path.chmod(0o755)
    return path


def previous_preview(project: Path) -> str:
    """output-preview/ built once (without Chromium: no pack, no link to it); its hash."""
    result = invoke(project, "preview", CHROMIUM_PATH=str(project / "no-chromium"))
    assert result.returncode == 0, result.stderr
    assert "Print all case sheets" not in read(project / "output-preview", "cases.html")
    return tree_hash(project / "output-preview")


def test_a_case_sheet_pack_that_cannot_be_printed_leaves_output_preview_as_it_was(project, tmp_path):
    before = previous_preview(project)
    tally_csv(project).write_text("case,letters\nAnnie Alfred,7\n", encoding="utf-8")
    chromium = fake_chromium(tmp_path, "exit 1")  # starts, then fails: Playwright cannot launch it
    result = invoke(project, "preview", CHROMIUM_PATH=str(chromium))
    assert result.returncode != 0
    text = " ".join(result.stderr.split())
    assert "Could not print the case-sheet pack (output-preview/case-sheets.pdf)" in text
    assert "output-preview/ was left exactly as it was" in text and "CASE_SHEETS_PDF = None" in text
    assert "Traceback" not in text
    assert tree_hash(project / "output-preview") == before
    assert staging_left(project) == []


def test_ctrl_c_while_the_case_sheets_print_leaves_output_preview_as_it_was(project, tmp_path):
    before = previous_preview(project)
    tally_csv(project).write_text("case,letters\nAnnie Alfred,7\n", encoding="utf-8")
    chromium = fake_chromium(tmp_path, "exec sleep 60")  # printing never ends: Ctrl-C must
    preview = invoke_running(project, "preview", CHROMIUM_PATH=str(chromium))
    assert wait_for(lambda: Path(f"{chromium}.started").exists(), seconds=120)
    os.killpg(preview.pid, signal.SIGINT)
    _, errors = preview.communicate(timeout=60)
    assert preview.returncode != 0
    assert [line for line in errors.splitlines() if line.strip()] == [
        "Build stopped: output-preview/ was left exactly as it was."
    ]
    assert tree_hash(project / "output-preview") == before
    assert staging_left(project) == []


# Where invoke publish uploads (PUBLISH_TARGET) -------------------------------

needs_rsync = pytest.mark.skipif(not shutil.which("rsync"), reason="rsync is not installed")


def rsync_wrapper(folder: Path, upload: str) -> dict:
    """The environment for an invoke whose `rsync` is a script in `folder`:
    a dry run (-n) runs the real rsync, the upload runs `upload` after touching
    rsync.uploading. Returns the environment variables to add."""
    script = folder / "rsync"
    real = shutil.which("rsync") or "/usr/bin/rsync"
    script.write_text(
        f'#!/bin/sh\ncase " $* " in *" -n "*) exec {real} "$@";; esac\ntouch "$0.uploading"\n{upload}\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    return {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}


@needs_rsync
def test_publish_into_an_empty_folder_then_again_removes_what_the_site_no_longer_has(project, tmp_path):
    without_case_sheets(project)
    target = tmp_path / "www" / "letters"
    target.parent.mkdir()
    assert invoke(project, "publish", PUBLISH_TARGET=f"{target}/").returncode == 0
    assert json.loads(read(target, "tally.json"))["total"] == 42
    (target / "a-case-taken-off.html").write_text("stale", encoding="utf-8")  # published before, gone since
    tally_csv(project).write_text("case,letters\nAnnie Alfred,7\n", encoding="utf-8")
    result = invoke(project, "publish", PUBLISH_TARGET=f"{target}/")
    assert result.returncode == 0, result.stderr
    assert json.loads(read(target, "tally.json"))["total"] == 7
    assert not (target / "a-case-taken-off.html").exists()
    assert tree_hash(target) == tree_hash(project / "output-preview")


@needs_rsync
def test_publish_refuses_a_folder_of_other_files_and_touches_nothing(project, tmp_path):
    without_case_sheets(project)
    target = tmp_path / "sandbox"
    (target / "photos").mkdir(parents=True)
    for name in ("notes.txt", "photos/evening.jpg", "todo.md", "zines.pdf"):
        (target / name).write_text(name, encoding="utf-8")
    before = tree_hash(target)
    result = invoke(project, "publish", PUBLISH_TARGET=f"{target}/")
    assert result.returncode != 0
    assert one_line(result) == (
        f"PUBLISH_TARGET {target}/ holds 4 files this site does not have (notes.txt, photos/evening.jpg, todo.md, "
        "...) and no site published from here: publishing would delete them. Publish into an empty folder or one "
        "this site was published to before. Nothing was published."
    )
    assert tree_hash(target) == before  # nothing deleted, nothing uploaded


@pytest.mark.parametrize(
    "target, what",
    [
        (".", "this project's own folder"),
        ("{project}", "this project's own folder"),
        ("{project}/..", "a folder that holds this project"),
        ("output/", "a folder inside this project"),
        ("/", "the top folder of this computer"),
        ("~", "your home folder"),
        ("me@example.org:", "the home folder of me on example.org"),
        ("example.org:~/", "your home folder on example.org"),
        ("me@example.org:/", "the top folder of example.org"),
    ],
)
def test_publish_refuses_a_target_it_would_wreck_before_building_or_running_rsync(project, tmp_path, target, what):
    target = target.format(project=project)
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "rsync").write_text('#!/bin/sh\ntouch "$0.ran"\nexit 99\n', encoding="utf-8")  # were it run at all
    (tmp_path / "rsync").chmod(0o755)
    path = f"{tmp_path}{os.pathsep}{os.environ['PATH']}"
    before = project_files(project)
    result = invoke(project, "publish", PUBLISH_TARGET=target, HOME=str(home), PATH=path)
    assert result.returncode == 2
    assert one_line(result).startswith(f'PUBLISH_TARGET is "{target}", {what}: publishing there would delete')
    assert "Nothing was published." in result.stderr
    assert not (tmp_path / "rsync.ran").exists() and not (project / "output-preview").exists()
    assert project_files(project) == before


def project_files(project: Path) -> dict[str, bytes]:
    """Every file of the project but Python's own caches."""
    return {str(p): p.read_bytes() for p in project.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


@needs_rsync
def test_ctrl_c_during_the_upload_leaves_the_published_site_as_it_was_and_says_so(project, tmp_path):
    without_case_sheets(project)
    target = tmp_path / "www"
    assert invoke(project, "publish", PUBLISH_TARGET=f"{target}/").returncode == 0
    before = tree_hash(target)
    tally_csv(project).write_text("case,letters\nAnnie Alfred,7\n", encoding="utf-8")
    (project / "theme" / "static" / "big.bin").write_bytes(os.urandom(600_000))  # new, slow to upload
    real = shutil.which("rsync")
    env = rsync_wrapper(tmp_path, f'exec {real} --bwlimit=50 "$@"')  # 50 kB/s: 12 s for big.bin
    publish = invoke_running(project, "publish", **env, PUBLISH_TARGET=f"{target}/")
    assert wait_for(lambda: (tmp_path / "rsync.uploading").exists(), seconds=120)
    time.sleep(1.5)
    os.killpg(publish.pid, signal.SIGINT)
    _, errors = publish.communicate(timeout=60)
    assert publish.returncode != 0
    assert [line for line in errors.splitlines() if line.strip()] == [
        f"Publishing was stopped: the site at {target}/ may be partly updated; run `invoke publish` again."
    ]
    # Changed files wait in rsync's .~tmp~ folders until all are there: none was put in place yet.
    for partial in target.rglob(".~tmp~"):
        shutil.rmtree(partial)
    assert tree_hash(target) == before
    # Publishing again finishes the job, rsync's folders included.
    assert invoke(project, "publish", PUBLISH_TARGET=f"{target}/").returncode == 0
    assert tree_hash(target) == tree_hash(project / "output-preview")
    assert json.loads(read(target, "tally.json"))["total"] == 7 and (target / "theme" / "big.bin").exists()


# invoke gh-pages ---------------------------------------------------------------


@needs_rsync
def test_results_counted_on_the_night_are_not_published_under_a_later_date(project, tmp_path):
    """The evening is on Saturday; the shipped results post is dated Monday. Put
    up on Sunday, it would show readers a day that has not come."""
    without_case_sheets(project)
    target = tmp_path / "www"
    target.mkdir()
    sunday, tuesday = (str(int(datetime(2016, 12, day, 12, tzinfo=timezone.utc).timestamp())) for day in (11, 13))
    refused = invoke(project, "publish", PUBLISH_TARGET=f"{target}/", SOURCE_DATE_EPOCH=sunday)
    assert refused.returncode == 1 and list(target.iterdir()) == []
    assert (
        'content/posts/results.md, line 2: shows the results, but its "Date" 2016-12-12 10:00 has not come yet '
        "(now: 2016-12-11 07:00). Give it today's date, or publish on that day."
    ) in refused.stderr
    assert invoke(project, "preview", SOURCE_DATE_EPOCH=sunday).returncode == 1  # preview shows what publish would do
    published = invoke(project, "publish", PUBLISH_TARGET=f"{target}/", SOURCE_DATE_EPOCH=tuesday)
    assert published.returncode == 0, published.stderr
    assert (target / "results.html").exists()
