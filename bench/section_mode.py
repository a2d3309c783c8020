"""8. Section mode: the site built from 10, 100 and 1,000 generated group files
(12 cases each) against a bare Pelican build of the same number of pages."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from bench import harness
from bench.harness import Run, Variant

TITLE = "## 8. Section mode"
RATIO_BUDGET = 2.0  # the section build / a bare build of as many pages, at the most groups
FULL, QUICK = [10, 100, 1000], [10, 100]


def section_content(work: Path, count: int, cases: list[str]) -> Path:
    """The shipped content with `count` group CSVs in content/groups/, a row per case each."""
    content = work / f"section-{count}"
    shutil.rmtree(content, ignore_errors=True)
    shutil.copytree(harness.CONTENT, content)
    groups = content / "groups"
    groups.mkdir()
    rnd = random.Random(count)
    for i in range(1, count + 1):
        rows = [f"{title},{rnd.randint(0, 30)},{rnd.randint(0, 9)},{rnd.randint(0, 5)}" for title in cases]
        (groups / f"group-{i:04d}.csv").write_text("case,letters,cards,emails\n" + "\n".join(rows) + "\n")
    (groups / "groups.csv").write_text("group,goal\n" + "".join(f"group-{i:04d},300\n" for i in range(1, count, 2)))
    return content


def bare_content(work: Path, count: int, cases: list[str]) -> Path:
    """The shipped content with as many more Markdown pages as section mode
    writes (a page per group and the table of groups), each listing 12 cases."""
    content = work / f"section-bare-{count}"
    shutil.rmtree(content, ignore_errors=True)
    shutil.copytree(harness.CONTENT, content)
    pages = content / "pages" / "groups"
    pages.mkdir()
    for i in range(count + 1):
        lines = "\n".join(f"- {title}: {i % 30} letters, {i % 9} cards, {i % 5} e-mails" for title in cases)
        (pages / f"group-{i:04d}.md").write_text(f"Title: Group {i:04d}\n\n{lines}\n")
    return content


def section_settings(work: Path) -> Path:
    """pelicanconf.py with section mode on, nothing else changed."""
    settings = work / "sectionconf.py"
    shutil.copy(harness.SETTINGS.with_name("event.toml"), work / "event.toml")  # read beside the settings
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(harness.ROOT)!r})\n"
        f"exec(compile(open({str(harness.SETTINGS)!r}, encoding='utf-8').read(), {str(harness.SETTINGS)!r}, 'exec'))\n"
        'TALLY_SECTION_GROUPS = "groups"\n',
        encoding="utf-8",
    )
    return settings


def run(bench: Run) -> dict:
    plan, work = bench.plan, bench.work
    counts = QUICK if plan.quick else FULL
    harness.progress(f"section mode: {', '.join(map(str, counts))} groups, ours and bare, {plan.site_rounds} rounds")
    cases = [title for _, title in harness.site_cases()]
    ours, bare = section_settings(work), harness.bare_settings(work, "simple")
    variants = []
    for count in counts:
        variants += [
            Variant(f"section-{count}", ours, section_content(work, count, cases)),
            Variant(f"section-bare-{count}", bare, bare_content(work, count, cases)),
        ]
    times = harness.time_builds(variants, plan.site_rounds, work, warmup=False)
    rows = [_row(count, times, work) for count in counts]
    for variant in variants:
        shutil.rmtree(work / f"out-{variant.name}", ignore_errors=True)
        shutil.rmtree(variant.content, ignore_errors=True)
    last = rows[-1]
    return {"rows": rows, "rounds": plan.site_rounds, "pass": last["ratio"] <= RATIO_BUDGET, "cases": len(cases)}


def _row(count: int, times: dict, work: Path) -> dict:
    ours, bare = f"section-{count}", f"section-bare-{count}"
    wall, cpu = times["wall"], times["cpu"]
    return {
        "groups": count,
        "pages": sum(1 for _ in (work / f"out-{ours}").rglob("*.html")),
        "bare_pages": sum(1 for _ in (work / f"out-{bare}").rglob("*.html")),
        "ours": harness.median(wall[ours]),
        "bare": harness.median(wall[bare]),
        "ours_cpu": harness.median(cpu[ours]),
        "ratio": harness.paired_ratio(wall[ours], wall[bare]),
        "ratio_cpu": harness.paired_ratio(cpu[ours], cpu[bare]),
    }


def budgets(result: dict) -> list[list[str]]:
    return []  # its PASS or MISS line is in its section


def section(result: dict) -> list[str]:
    last = result["rows"][-1]
    return [
        TITLE,
        "",
        f"The shipped content with N generated group files in content/groups/ (a tally CSV of {result['cases']} "
        "cases each, and a groups.csv of goals for half of them), built with pelicanconf.py and "
        '`TALLY_SECTION_GROUPS = "groups"`: the section\'s sums on the case pages and the results, a page per '
        "group and the table of groups. Bare: the bare (simple) build above of the shipped content with N + 1 "
        f"more Markdown pages of {result['cases']} lines each, so that both write about as many pages. "
        f"Fresh subprocesses, {result['rounds']} interleaved rounds.",
        "",
        *harness.table(
            [
                "groups",
                "pages (section)",
                "pages (bare)",
                "section wall",
                "section CPU",
                "bare wall",
                "section / bare (wall)",
                "section / bare (CPU)",
            ],
            [
                [
                    f"{r['groups']:,}",
                    f"{r['pages']:,}",
                    f"{r['bare_pages']:,}",
                    f"{r['ours']:.2f} s",
                    f"{r['ours_cpu']:.2f} s",
                    f"{r['bare']:.2f} s",
                    f"{r['ratio']:.2f}x",
                    f"{r['ratio_cpu']:.2f}x",
                ]
                for r in result["rows"]
            ],
        ),
        "",
        f"Budget: {last['groups']:,} groups within {RATIO_BUDGET:.1f}x of the bare build (wall): "
        f"{last['ratio']:.2f}x, **{harness.verdict(result['pass'])}**.",
        "",
    ]
