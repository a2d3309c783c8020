"""`invoke build` remembers each page's parsed Markdown and typogrified text in
cache/pages.pickle, so the next build reads only the pages that changed.
What it remembers must never show instead of what a page says now."""

from __future__ import annotations

import pickle
import types

import pytest

from conftest import invoke, snapshot

CASE = "content/cases/annie-alfred.md"


def memory_of(project):
    return project / "cache" / "pages.pickle"


def built_page(project, name="annie-alfred.html") -> str:
    return (project / "output" / name).read_text(encoding="utf-8")


def without_calendar(files: dict[str, bytes]) -> dict[str, bytes]:
    return {name: data for name, data in files.items() if name != "event.ics"}  # its DTSTAMP lives in cache/


def test_an_edited_page_is_read_again_and_the_site_is_the_one_a_fresh_build_gives(project):
    assert invoke(project, "build").returncode == 0
    assert memory_of(project).exists()

    case = project / CASE
    case.write_text(case.read_text(encoding="utf-8").replace("Title:", "Title: Edited", 1), encoding="utf-8")
    done = invoke(project, "build")
    assert done.returncode == 0, done.stderr
    assert "Edited" in built_page(project)
    remembered = without_calendar(snapshot(project / "output"))

    assert invoke(project, "rebuild").returncode == 0  # from scratch: cache/ removed first
    assert without_calendar(snapshot(project / "output")) == remembered


@pytest.mark.parametrize("damage", ["cut off", "empty", "garbage"])
def test_a_damaged_memory_costs_time_never_a_build(project, damage):
    assert invoke(project, "build").returncode == 0
    good = snapshot(project / "output")
    whole = memory_of(project).read_bytes()
    memory_of(project).write_bytes(
        {"cut off": whole[: len(whole) // 2], "empty": b"", "garbage": b"\x80\x05junk"}[damage]
    )

    done = invoke(project, "build")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and done.stdout.startswith("Built ")
    assert snapshot(project / "output") == good
    assert pickle.loads(memory_of(project).read_bytes())["fingerprint"]  # written whole again


def builder(project, **overrides):
    from organizer.devserver.builder import Builder
    from organizer.site_output import replace_site

    return Builder(
        project / "pelicanconf.py", project / "output", swap=replace_site, overrides=overrides, remember=True
    )


def forge(project, text: str) -> None:
    """Make the memory say `text` for the case page, with the page's own stamp,
    as if it had been remembered under other settings or other code."""
    kept = pickle.loads(memory_of(project).read_bytes())
    for entries in kept["readers"].values():
        for name, (stamp, (_, metadata)) in list(entries.items()):
            if name.endswith(CASE.rsplit("/", 1)[1]):
                entries[name] = (stamp, (f"<p>{text}</p>", metadata))
    memory_of(project).write_bytes(pickle.dumps(kept))


def test_pages_remembered_under_other_settings_are_never_used(in_project):
    project = in_project
    assert builder(project).build().ok
    forge(project, "FORGED")
    assert builder(project).build().ok
    # The same settings and code trust the memory while the page's md5 holds:
    assert "FORGED" in built_page(project)

    forge(project, "FORGED")
    assert builder(project, SUMMARY_MAX_LENGTH=51).build().ok  # any other setting
    assert "FORGED" not in built_page(project)
    assert "Annie Alfred" in built_page(project)


def test_the_fingerprint_changes_with_settings_and_code_and_only_then(tmp_path):
    from organizer.devserver.remembered import fingerprint

    def plugin(name: str, source_text: str) -> types.ModuleType:
        source = tmp_path / name / "__init__.py"
        source.parent.mkdir()
        source.write_text(source_text, encoding="utf-8")
        module = types.ModuleType(name)
        module.__file__ = str(source)
        return module

    settings = {"TYPOGRIFY": True, "JINJA_FILTERS": {"upper": str.upper, "mine": lambda text: text}, "OUTPUT_PATH": "a"}
    plugins = [plugin("one", "x = 1\n")]
    first = fingerprint(settings, plugins)
    assert first and first == fingerprint(dict(settings, OUTPUT_PATH="b"), plugins)  # each build's own folder
    assert fingerprint(dict(settings, TYPOGRIFY=False), plugins) != first
    assert fingerprint(settings, [plugin("two", "x = 1\n")]) != first  # other code
    (tmp_path / "one" / "helper.py").write_text("y = 2\n", encoding="utf-8")
    assert fingerprint(settings, plugins) != first  # the plugin's code changed
