"""An edited page in the dev server (organizer/devserver/rereading.py): when
only its text changed, it is read again and only what showed its text is
written again (itself, the lists and feeds that hold it), byte for byte what
a fresh full build writes; anything more gets a full build."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from test_recounting import fresh_build, snapshot, warm_builder

from conftest import build_date

DAY = date(2016, 12, 12)  # after the evening, with the results post on the site


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def body_line(path: Path) -> str:
    """A line of the page's text (after the metadata and the blank line)."""
    body = path.read_text(encoding="utf-8").split("\n\n", 1)[1]
    return next(line for line in body.splitlines() if len(line.split()) > 4)


@pytest.mark.parametrize("page", ["cases/annie-alfred.md", "pages/guide.md", "posts/results.md"])
def test_a_pages_new_text_is_written_where_it_shows_and_nowhere_else(project, monkeypatch, tmp_path, page):
    with build_date(DAY):
        builder = warm_builder(project, monkeypatch)
        assert builder.build().ok
        output = project / "output"
        before = {path.name: path.stat().st_mtime_ns for path in output.rglob("*") if path.is_file()}
        source = project / "content" / page
        line = body_line(source)
        edit(source, line, line + " Kindly written words.")
        result = builder.build({str(source)})
        assert result.ok and result.reread, result
        written = {
            path.name for path in output.rglob("*") if path.is_file() and path.stat().st_mtime_ns != before[path.name]
        }
        assert written and len(written) <= 4, written  # the page, and a list or a feed that holds it
        assert "guide.html" not in written or page == "pages/guide.md"
        assert snapshot(output) == fresh_build(project, tmp_path / "fresh")
        html = "".join((output / name).read_text(encoding="utf-8") for name in written if name.endswith(".html"))
        assert "Kindly" in html
        builder.discard_spare()


def test_edits_one_after_another_end_as_a_fresh_build(project, monkeypatch, tmp_path):
    with build_date(DAY):
        builder = warm_builder(project, monkeypatch)
        assert builder.build().ok
        sources = [
            project / "content" / name for name in ("posts/results.md", "pages/invitation.md", "cases/eren-keskin.md")
        ]
        for round_number in range(2):
            for source in sources:
                line = body_line(source)
                edit(source, line, f"{line} Round {round_number} of words.")
                result = builder.build({str(source)})
                assert result.ok and result.reread
        assert snapshot(project / "output") == fresh_build(project, tmp_path / "fresh")
        builder.discard_spare()


@pytest.mark.parametrize(
    "change",
    ["a new title", "a new summary", "an example mark", "a wrong number of cases", "a new page", "a deleted page"],
)
def test_more_than_new_text_gets_a_full_build(project, monkeypatch, tmp_path, change):
    with build_date(DAY):
        builder = warm_builder(project, monkeypatch)
        assert builder.build().ok
        source = project / "content" / "cases" / "annie-alfred.md"
        line = body_line(source)
        if change == "a new title":
            edit(source, "Title: Annie Alfred", "Title: Annie Alfred, Malawi")
        elif change == "a new summary":
            edit(source, "Summary: A 10-year-old girl", "Summary: A ten-year-old girl")
        elif change == "an example mark":
            edit(source, line, line + " TODO: the name of her school.")
        elif change == "a wrong number of cases":
            edit(source, line, line + " One of our 13 cases.")
        elif change == "a new page":
            source = project / "content" / "pages" / "thanks.md"
            source.write_text("Title: Thank you\n\nThank you all for coming.\n", encoding="utf-8")
        else:
            source = project / "content" / "pages" / "guide.md"
            source.unlink()
        result = builder.build({str(source)})
        assert not result.reread
        if result.ok:
            assert snapshot(project / "output") == fresh_build(project, tmp_path / "fresh")
        builder.discard_spare()


def test_a_case_without_a_summary_line_is_listed_with_its_new_text(project, monkeypatch, tmp_path):
    """Its summary is then the start of its text, which the list of cases
    shows: the list is written again with the page."""
    source = project / "content" / "cases" / "annie-alfred.md"
    text = source.read_text(encoding="utf-8")
    source.write_text("\n".join(line for line in text.splitlines() if not line.startswith("Summary:")) + "\n")
    with build_date(DAY):
        builder = warm_builder(project, monkeypatch)
        assert builder.build().ok
        first = body_line(source)
        edit(source, first, "Annie goes to school again. " + first)
        result = builder.build({str(source)})
        assert result.ok and result.reread
        assert "Annie goes to school again." in (project / "output" / "cases.html").read_text(encoding="utf-8")
        assert snapshot(project / "output") == fresh_build(project, tmp_path / "fresh")
        builder.discard_spare()
