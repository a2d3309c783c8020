"""The dev server's in-process builds (organizer/devserver/builder.py): warm
rebuilds written over the old site that end as a fresh build would, nothing
kept from builds before, pages checked again when they change, an output/ that
cannot be replaced, and a tally CSV that vanishes after counting."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from conftest import (
    snapshot,
    tally_csv,
)
from html_tools import visible_text


def test_rebuilds_write_over_the_old_site_and_leave_nothing_stale(project, monkeypatch):
    """The dev server builds over the site it last replaced (cheaper than new
    files): a case page deleted since, or since two builds ago, is gone."""
    from organizer.devserver.builder import Builder
    from organizer.site_output import replace_site

    monkeypatch.chdir(project)
    builder = Builder(project / "pelicanconf.py", project / "output", swap=replace_site, warm=True)
    assert builder.build().ok and builder.build().ok  # the second writes over a spare copy of the first
    assert (project / "output" / "johan-teterissa.html").exists()

    (project / "content" / "cases" / "johan-teterissa.md").unlink()
    for _ in range(3):  # the page must be gone from the served site and from both folders it alternates with
        assert builder.build().ok
        assert not (project / "output" / "johan-teterissa.html").exists()
        tally = json.loads((project / "output" / "tally.json").read_text(encoding="utf-8"))
        assert "johan-teterissa" not in {case["slug"] for case in tally["cases"]}

    builder.discard_spare()
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".output")) == []


def test_warm_rebuilds_write_the_site_a_fresh_build_writes(project, monkeypatch, tmp_path):
    """A warm build writes over the files of the site two builds old, in
    place: a page that became shorter keeps nothing of its old end."""
    from organizer.devserver.builder import Builder
    from organizer.site_output import replace_site

    builder = warm_builder(project, monkeypatch)
    csv, guide = tally_csv(project), project / "content" / "pages" / "guide.md"
    counted, text = csv.read_text(encoding="utf-8"), guide.read_text(encoding="utf-8")
    csv.write_text(counted + "Annie Alfred,9999,9999,9999\n", encoding="utf-8")
    assert builder.build().ok and builder.build().ok  # both folders it alternates with hold the longer pages
    csv.write_text(counted, encoding="utf-8")
    guide.write_text(text.split("\n\n", 1)[0] + "\n\nWrite kindly.\n", encoding="utf-8")
    assert builder.build().ok and builder.build().ok

    fresh = Builder(project / "pelicanconf.py", tmp_path / "fresh", swap=replace_site)
    assert fresh.build().ok
    assert "<p>Write&nbsp;kindly.</p>" in (tmp_path / "fresh" / "guide.html").read_text(encoding="utf-8")
    assert snapshot(project / "output") == snapshot(tmp_path / "fresh")
    builder.discard_spare()


def test_warm_builds_do_not_keep_the_pages_of_builds_before(project, monkeypatch):
    """The dev server runs all evening: a build's pages are not held in
    memory once the next build has made its own."""
    import gc
    import weakref

    from pelican import signals

    builder = warm_builder(project, monkeypatch)
    pages = []

    def keep_a_weak_reference(generator):
        pages.extend(weakref.ref(page) for page in getattr(generator, "pages", []))

    signals.page_generator_finalized.connect(keep_a_weak_reference)
    try:
        assert builder.build().ok
        first_build = list(pages)
        assert first_build
        for _ in range(2):
            assert builder.build().ok
    finally:
        signals.page_generator_finalized.disconnect(keep_a_weak_reference)
    gc.collect()
    assert [ref for ref in first_build if ref() is not None] == []
    builder.discard_spare()


def warm_builder(project: Path, monkeypatch):
    from organizer.devserver.builder import Builder
    from organizer.site_output import replace_site

    monkeypatch.chdir(project)
    return Builder(project / "pelicanconf.py", project / "output", swap=replace_site, warm=True)


def save_in_the_same_tick(path: Path, text: str) -> None:
    """Write `text` over `path` and give the file back its time, as two saves
    within one clock tick leave it: only its bytes tell them apart."""
    before = path.stat()
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_a_page_edited_between_warm_builds_is_checked_again(project, monkeypatch):
    """The pages' checks are remembered from one build to the next: never a
    problem that is gone, nor a page's old problem instead of its new one."""
    builder = warm_builder(project, monkeypatch)
    page = project / "content" / "cases" / "eren-keskin.md"
    good = page.read_text(encoding="utf-8")
    assert builder.build().ok

    problems = {}
    for order in ("x", "y"):
        save_in_the_same_tick(page, good.replace("Order: 6\n", f"Order: {order}\n", 1))
        result = builder.build()
        assert not result.ok
        problems[order] = [line for line in result.problems if "eren-keskin.md" in line]
    assert problems == {
        order: [f'content/cases/eren-keskin.md, line 3: the "Order" is "{order}": write a whole number such as 5.']
        for order in ("x", "y")
    }

    save_in_the_same_tick(page, good)
    result = builder.build()
    assert result.ok and result.problems == []


def test_an_example_address_written_between_warm_builds_is_shown_then_gone(project, monkeypatch):
    """Example addresses in the content are remembered per file from one
    build to the next: the banner always names the address the page has now."""
    builder = warm_builder(project, monkeypatch)
    guide = project / "content" / "pages" / "guide.md"
    good = guide.read_text(encoding="utf-8")
    line = good.count("\n") + 2

    def banner_text() -> str:
        page = (project / "output" / "index.html").read_text(encoding="utf-8")
        found = re.search(r'<aside class="example-banner".*?</aside>', page, flags=re.S)
        return visible_text(found.group(0)) if found else ""

    assert builder.build().ok and banner_text() == ""
    guide.write_text(good + "\nQuestions: <mailto:help@example.com>\n", encoding="utf-8")
    assert builder.build().ok
    assert f'content/pages/guide.md, line {line} is "example.com"' in banner_text()

    save_in_the_same_tick(guide, good + "\nQuestions: <mailto:help@example.net>\n")
    assert builder.build().ok
    assert f'content/pages/guide.md, line {line} is "example.net"' in banner_text()
    assert "example.com" not in banner_text()

    save_in_the_same_tick(guide, good + "\nQuestions: <mailto:help@amnesty.org>\n")
    assert builder.build().ok and banner_text() == ""


def test_a_field_no_longer_required_by_the_settings_is_not_asked_for(project, monkeypatch):
    """The pages' remembered checks hold only under the settings they were
    made with: a changed TALLY_CASE_REQUIRED applies at the next build."""
    builder = warm_builder(project, monkeypatch)
    page = project / "content" / "cases" / "eren-keskin.md"
    page.write_text(re.sub(r"(?m)^Official_title:.*\n", "", page.read_text(encoding="utf-8")), encoding="utf-8")
    conf = project / "pelicanconf.py"
    required = 'TALLY_CASE_REQUIRED = ["Address", "Salutation", "Ask", "Official_title", "Order"]\n'
    shipped = conf.read_text(encoding="utf-8")
    assert required in shipped
    missing = 'content/cases/eren-keskin.md: the case page has no "Official_title".'

    result = builder.build()
    assert not result.ok and any(missing in line for line in result.problems), result.problems
    for settings, ok in (
        (shipped.replace(required, required.replace(', "Official_title"', "")), True),
        (shipped, False),
    ):
        conf.write_text(settings, encoding="utf-8")
        builder.reload_settings()
        result = builder.build()
        assert result.ok is ok and any(missing in line for line in result.problems) is not ok, result.problems


def test_an_output_that_cannot_be_replaced_is_a_problem_shown_not_a_crash(project, monkeypatch):
    import errno

    builder = warm_builder(project, monkeypatch)
    assert builder.build().ok
    before = snapshot(project / "output")
    real_swap = builder.swap

    def refused(*args, **kwargs):
        raise PermissionError(errno.EPERM, "Operation not permitted", str(project / "output"))

    builder.swap = refused
    result = builder.build()
    assert not result.ok
    assert result.problems == [
        "output/ could not be replaced (Operation not permitted): check that it is a folder you may change."
    ]
    assert snapshot(project / "output") == before
    builder.swap = real_swap  # the next good build goes on as usual
    assert builder.build().ok


def test_a_tally_that_vanishes_after_counting_keeps_the_counted_site(project, monkeypatch):
    builder = warm_builder(project, monkeypatch)
    assert builder.build().ok  # the fixture's 42 actions
    before = snapshot(project / "output")
    tally_csv(project).rename(project / "content" / "data" / "tally.csv.bak")  # renamed, deleted, moved away
    result = builder.build()
    assert not result.ok and snapshot(project / "output") == before
    assert result.problems == [
        "The tally has a problem. Fix it and build again:",
        "content/data/tally.csv: is gone, but the site in output/ shows 42 actions counted from it. Put the "
        "file back; to start again from nothing, save it with only its header row: case,letters,cards,emails",
    ]
    tally_csv(project).write_text("case,letters,cards,emails\n", encoding="utf-8")  # starting again, on purpose
    assert builder.build().ok
    assert json.loads((project / "output" / "tally.json").read_text(encoding="utf-8"))["rows"] == 0
