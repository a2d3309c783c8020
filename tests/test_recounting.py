"""A saved tally in the dev server (organizer/devserver/recounting.py): only
the files whose numbers changed are written again, and what is in output/
after any sequence of saves is, byte for byte, what a fresh full build of the
same files writes. Whatever a recount cannot vouch for gets a full build."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest

from conftest import build_date, tally_csv
from conftest import snapshot as whole_snapshot
from html_tools import visible_text

DAY = date(2016, 12, 1)  # before the evening: every build of a test believes the same day


def snapshot(folder: Path) -> dict[str, bytes]:
    """The site's files, but sitemap.xml: the dev server's settings make none,
    but once a public build in the same test process has loaded the sitemap
    plugin, its signals make one in every build after, dated to the second of
    the build; two builds a second apart differ there whatever they show."""
    return {name: data for name, data in whole_snapshot(folder).items() if name != "sitemap.xml"}


def warm_builder(project: Path, monkeypatch):
    from organizer.devserver.builder import Builder
    from organizer.site_output import replace_site

    monkeypatch.chdir(project)
    return Builder(project / "pelicanconf.py", project / "output", swap=replace_site, warm=True)


def built(project: Path, monkeypatch):
    """The dev server's Builder after its first build, the tally CSV and its
    text (ending in a new line, for rows to be added)."""
    builder = warm_builder(project, monkeypatch)
    csv = tally_csv(project)
    text = csv.read_text(encoding="utf-8").rstrip("\n") + "\n"
    assert builder.build().ok
    return builder, csv, text


def fresh_build(project: Path, folder: Path) -> dict[str, bytes]:
    """The site a full build of the project's files writes now, from nothing."""
    from organizer.devserver.builder import Builder
    from organizer.site_output import replace_site

    assert Builder(project / "pelicanconf.py", folder, swap=replace_site).build().ok
    return snapshot(folder)


def save(csv: Path, text: str, builder):
    csv.write_text(text, encoding="utf-8")
    return builder.build({str(csv)})


def total_served(project: Path) -> int:
    return json.loads((project / "output" / "tally.json").read_text(encoding="utf-8"))["total"]


# Rows an organizer (or the count desk) saves during an evening, one save each.
ROWS = [
    "Annie Alfred,3,1,0",
    "Edward Snowden,0,0,12",
    "ilham tohti,2,,",
    "Máxima Acuña,1,1,1",
    "annie-alfred,-1,0,0",  # a typo taken back, in a correction column added for it
    "Zeynab Jalalian,40,2,5",
]


def test_a_sequence_of_saves_ends_byte_for_byte_as_a_fresh_build(project, monkeypatch, tmp_path):
    with build_date(DAY):
        builder, csv, text = built(project, monkeypatch)
        for number, row in enumerate(ROWS, 1):
            if row.startswith("annie-alfred,-1"):
                header, body = text.split("\n", 1)
                text = header + ",correction\n" + body + row + ",,typo\n"  # after the fixture's "table" column
            else:
                text += row + "\n"
            result = save(csv, text, builder)
            assert result.ok and result.recounted, (number, result)
            assert snapshot(project / "output") == fresh_build(project, tmp_path / f"fresh-{number}"), row
        builder.discard_spare()


def test_random_saves_in_any_order_end_as_a_fresh_build(project, monkeypatch, tmp_path):
    """Rows added, taken out, changed and reordered, as people edit a sheet."""
    rng = random.Random(2016)
    cases = ["Annie Alfred", "Edward Snowden", "Ilham Tohti", "Eren Keskin", "Johan Teterissa", "Maxima Acuna"]
    with build_date(DAY):
        builder = warm_builder(project, monkeypatch)
        csv = tally_csv(project)
        header, *rows = csv.read_text(encoding="utf-8").splitlines()
        assert builder.build().ok
        recounts = 0
        for step in range(12):
            kind = rng.choice(["add", "add", "drop", "change", "shuffle"])
            if kind == "add" or len(rows) < 2:
                rows.append(f"{rng.choice(cases)},{rng.randint(0, 30)},{rng.randint(0, 5)},{rng.randint(0, 5)}")
            elif kind == "drop":
                rows.pop(rng.randrange(len(rows)))
            elif kind == "change":
                at = rng.randrange(len(rows))
                rows[at] = f"{rows[at].split(',')[0]},{rng.randint(0, 30)},0,0"
            else:
                rng.shuffle(rows)
            result = save(csv, "\n".join([header, *rows]) + "\n", builder)
            assert result.ok, result.problems
            recounts += result.recounted
        assert recounts >= 10  # all but a save that took the last count away or brought the first
        assert snapshot(project / "output") == fresh_build(project, tmp_path / "fresh")
        builder.discard_spare()


def test_a_recount_writes_only_the_pages_whose_numbers_changed(project, monkeypatch):
    with build_date(DAY):
        builder, csv, text = built(project, monkeypatch)
        output = project / "output"
        before = {path.name: path.stat().st_mtime_ns for path in output.glob("*.html")}
        page_before = (output / "annie-alfred.html").read_text(encoding="utf-8")
        result = save(csv, text + "Annie Alfred,5,0,0\n", builder)
        assert result.recounted and total_served(project) == 47
        written = {path.name for path in output.glob("*.html") if path.stat().st_mtime_ns != before[path.name]}
        assert {"annie-alfred.html", "index.html", "cases.html", "live.html"} <= written
        assert "edward-snowden.html" not in written and "guide.html" not in written
        served = json.loads((output / "tally.json").read_text(encoding="utf-8"))
        annie = next(case for case in served["cases"] if case["slug"] == "annie-alfred")
        page = visible_text((output / "annie-alfred.html").read_text(encoding="utf-8"))
        assert page != visible_text(page_before) and f"{annie['total']} actions" in page
        builder.discard_spare()


def test_a_refused_csv_keeps_the_site_and_the_next_good_save_is_right(project, monkeypatch, tmp_path):
    with build_date(DAY):
        builder, csv, text = built(project, monkeypatch)
        kept = snapshot(project / "output")
        refused = save(csv, text + "Nobody We Know,3,0,0\n", builder)
        assert not refused.ok and any("Nobody We Know" in line for line in refused.problems)
        assert snapshot(project / "output") == kept  # nothing written by half
        assert save(csv, text + "Annie Alfred,3,0,0\n", builder).ok
        assert total_served(project) == 45
        assert snapshot(project / "output") == fresh_build(project, tmp_path / "fresh")
        builder.discard_spare()


@pytest.mark.parametrize("what", ["a page changed too", "the first count", "a new day", "the settings"])
def test_what_a_recount_cannot_vouch_for_gets_a_full_build(project, monkeypatch, tmp_path, what):
    with build_date(DAY):
        builder = warm_builder(project, monkeypatch)
        csv = tally_csv(project)
        text = csv.read_text(encoding="utf-8").rstrip("\n") + "\n"
        changed = {str(csv)}
        if what == "the first count":
            text = text.splitlines()[0] + "\n"
            csv.write_text(text, encoding="utf-8")
        assert builder.build().ok
        guide = project / "content" / "pages" / "guide.md"
        if what == "a page changed too":
            guide.write_text(guide.read_text(encoding="utf-8") + "\nBring a pen.\n", encoding="utf-8")
            changed.add(str(guide))
        if what == "the settings":
            builder.reload_settings()
        csv.write_text(text + "Annie Alfred,3,0,0\n", encoding="utf-8")
        with build_date(date(2016, 12, 2) if what == "a new day" else DAY):
            result = builder.build(changed)
            assert result.ok and not result.recounted
            assert snapshot(project / "output") == fresh_build(project, tmp_path / "fresh")
        if what == "a page changed too":
            assert "Bring" in (project / "output" / "guide.html").read_text(encoding="utf-8")
        builder.discard_spare()


def test_the_tallys_warnings_follow_each_recount(project, monkeypatch):
    """A totals row that disagrees is shown in the terminal and the page's
    box after a recount, and goes once it is right."""
    with build_date(DAY):
        builder, csv, text = built(project, monkeypatch)
        warned = save(csv, text + "Total,1,0,0\n", builder)
        assert warned.recounted and any("totals row" in line for line in warned.problems), warned.problems
        quiet = save(csv, text + "Annie Alfred,1,0,0\n", builder)
        assert quiet.recounted and not any("totals row" in line for line in quiet.problems)
        builder.discard_spare()


def test_make_serve_serves_after_saves_and_an_edit_what_a_fresh_build_writes(project, tmp_path):
    """The real loop: `invoke livereload`, saves of the tally and an edited
    page, as the organizer makes them; then output/, which it serves, is a
    fresh build's, and the served tally.json is the fresh one byte for byte."""
    import os
    import time
    import urllib.request

    from conftest import epoch, free_port, wait_for
    from support.dev_server import DevServer

    os.environ["SOURCE_DATE_EPOCH"] = epoch(DAY)  # the server's builds and the fresh one see one day
    try:
        server = DevServer(project, free_port())
        try:
            assert wait_for(lambda: "Open http" in server.text()), server.text()
            csv = tally_csv(project)
            text = csv.read_text(encoding="utf-8").rstrip("\n") + "\n"
            for number, row in enumerate(ROWS[:4], 1):
                text += row + "\n"
                csv.write_text(text, encoding="utf-8")
                assert wait_for(lambda: server.text().count("Built ") > number, seconds=20), server.text()
                time.sleep(0.2)
            guide = project / "content" / "pages" / "guide.md"
            guide.write_text(guide.read_text(encoding="utf-8") + "\nBring a pen you like.\n", encoding="utf-8")
            assert wait_for(lambda: "Bring a pen" in server.get("guide.html"), seconds=20), server.text()
            time.sleep(0.5)
            with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/tally.json", timeout=5) as response:
                served = response.read()
        finally:
            server.stop()
        fresh = fresh_build(project, tmp_path / "fresh")
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    assert served == fresh["tally.json"]
    assert snapshot(project / "output") == fresh
