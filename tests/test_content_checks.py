"""Case pages are checked as carefully as the tally CSV: every problem of a
build is listed at once, one line each naming the file and the field, and
nothing is built."""

import re

import pytest

from conftest import copy_content, run_pelican


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def failed_build(tmp_path, content):
    output = tmp_path / "output"
    result = run_pelican(content, output, "--log-handler", "plain")
    assert result.returncode != 0
    message = result.stdout + result.stderr
    assert "Traceback" not in message and "RuntimeError" not in message
    assert not output.exists() or not any(output.iterdir()), "nothing is built"
    return [" ".join(line.split()) for line in message.splitlines() if line.strip()]


@pytest.mark.parametrize("field", ["Address", "Salutation", "Ask", "Official_title", "Order"])
def test_a_case_page_without_a_required_field(tmp_path, field):
    content = copy_content(tmp_path)
    page = content / "cases" / "annie-alfred.md"
    lines = page.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{field}:"))
    end = start + 1
    while lines[end].startswith("    "):
        end += 1
    page.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    lines = failed_build(tmp_path, content)
    assert "The pages have a problem. Fix it and build again:" in lines
    [problem] = [line for line in lines if "annie-alfred.md" in line]
    hint = ' (or, if it may be left out, "Address_confirmed: no")' if field in ("Address", "Salutation") else ""
    assert problem.endswith(
        f'content/cases/annie-alfred.md: the case page has no "{field}". '
        f'Add a line "{field}: ..."{hint} to the lines at its top (see the other case pages).'
    )


@pytest.mark.parametrize("field", ["Address", "Salutation"])
def test_an_address_or_salutation_may_be_left_out_only_when_it_was_not_published(tmp_path, field):
    content = copy_content(tmp_path)
    page = content / "cases" / "annie-alfred.md"
    text = page.read_text(encoding="utf-8")
    text = re.sub(rf"^{field}:.*\n(    .*\n)*", "", text, flags=re.M)
    page.write_text(text.replace("Order: ", "Address_confirmed: no\nOrder: ", 1), encoding="utf-8")
    assert run_pelican(content, tmp_path / "output").returncode == 0


def test_every_problem_of_a_build_is_listed_together(tmp_path):
    content = copy_content(tmp_path)
    edit(content / "cases" / "annie-alfred.md", "Title: Annie Alfred\n", "")
    edit(content / "cases" / "edward-snowden.md", "Order:", "Date: the tenth of Smarch\nOrder:")
    edit(content / "cases" / "eren-keskin.md", "Order: 6", "Order: first")
    (content / "pages" / "maxima-acuna.md").write_text("Title: About Máxima\n\nText.\n", encoding="utf-8")
    twin = (content / "cases" / "maxima-acuna.md").read_text(encoding="utf-8")
    (content / "cases" / "maxima-acuna-2.md").write_text(
        twin.replace("Title: Máxima Acuña", "Title: MAXIMA ACUNA"), encoding="utf-8"
    )
    lines = failed_build(tmp_path, content)
    assert "The pages have 5 problems. Fix them and build again:" in lines
    problems = [line for line in lines if "content/" in line]
    expected = [
        'content/cases/annie-alfred.md: has no "Title". Add a first line such as "Title: Annie Alfred".',
        'content/cases/edward-snowden.md, line 3: the "Date" "the tenth of Smarch" is not a date.',
        'content/cases/eren-keskin.md, line 3: the "Order" is "first": write a whole number such as 5.',
        'content/cases/maxima-acuna.md: has the address "maxima-acuna" that',  # ... pages/maxima-acuna.md
        'content/cases/maxima-acuna.md, line 1: the case "Máxima Acuña" has a name that reads the same as a '
        "case in",  # ... content/cases/maxima-acuna-2.md
    ]
    assert len(problems) == len(expected), problems
    for line, start in zip(problems, expected):
        assert start in line, line


def test_a_page_without_a_title_anywhere_is_named(tmp_path):
    content = copy_content(tmp_path)
    edit(
        content / "pages" / "guide.md",
        re.search(r"Title: [^\n]*\n", (content / "pages" / "guide.md").read_text(encoding="utf-8")).group(0),
        "",
    )
    lines = failed_build(tmp_path, content)
    assert any(
        line.endswith('content/pages/guide.md: has no "Title". Add a first line such as "Title: Annie Alfred".')
        for line in lines
    ), lines


def test_a_line_without_its_colon_is_named_instead_of_the_fields_after_it(tmp_path):
    content = copy_content(tmp_path)
    page = content / "cases" / "eren-keskin.md"
    text = page.read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("Official_title:"))
    page.write_text(text.replace("Official_title: ", "Official_title ", 1), encoding="utf-8")
    lines = failed_build(tmp_path, content)
    assert [line.replace(f"{tmp_path}/", "") for line in lines if "eren-keskin.md" in line] == [
        f'content/cases/eren-keskin.md, line {line}: "Official_title Minister of Justice" has no "Name:" at its '
        "start, so the lines at the top end here and the ones below it are read as the page's text. Add the "
        "name and a colon (or a blank line after the lines at the top)."
    ]
