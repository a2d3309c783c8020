"""3. Site scale: builds with 12, 120 and 1,200 generated case pages, ours
against the bare (simple) build."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

from bench import harness
from bench.harness import Run, Variant

TITLE = "## 3. Site scale"
TEMPLATE_CASE = "annie-alfred.md"


def scaled_content(work: Path, count: int) -> Path:
    """The shipped content with its 12 cases replaced by `count` generated ones."""
    content = work / f"content-{count}"
    shutil.rmtree(content, ignore_errors=True)
    shutil.copytree(harness.CONTENT, content, ignore=shutil.ignore_patterns("cases"))
    (content / "cases").mkdir()
    template = (harness.CONTENT / "cases" / TEMPLATE_CASE).read_text(encoding="utf-8")
    slug = TEMPLATE_CASE[:-3]
    title = dict(harness.site_cases())[slug]
    rnd = random.Random(count)
    rows = ["case,letters,cards,emails"]
    for i in range(1, count + 1):
        new_title = f"{title} {i:04d}"
        text = re.sub(r"(?m)^Title:.*$", f"Title: {new_title}", template, count=1)
        text = re.sub(r"(?m)^Order:.*$", f"Order: {i}", text, count=1)
        (content / "cases" / f"{slug}-{i:04d}.md").write_text(text, encoding="utf-8")
        rows.append(f"{new_title},{rnd.randint(0, 20)},{rnd.randint(0, 9)},")
    (content / "data").mkdir(exist_ok=True)
    (content / "data" / "tally.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return content


def run(bench: Run) -> dict:
    plan, work = bench.plan, bench.work
    harness.progress(
        f"site scale: {', '.join(map(str, plan.pages))} case pages, ours and bare, {plan.site_rounds} rounds"
    )
    bare = harness.bare_settings(work, "simple")
    variants = []
    for count in plan.pages:
        content = scaled_content(work, count)
        variants += [Variant(f"ours-{count}", harness.SETTINGS, content), Variant(f"bare-{count}", bare, content)]
    times = harness.time_builds(variants, plan.site_rounds, work, warmup=False)
    rows = [_row(count, times, work) for count in plan.pages]
    for count in plan.pages:
        shutil.rmtree(work / f"out-ours-{count}", ignore_errors=True)
        shutil.rmtree(work / f"out-bare-{count}", ignore_errors=True)
    return {"rows": rows, "rounds": plan.site_rounds}


def _row(count: int, times: dict, work: Path) -> dict:
    ours, bare = f"ours-{count}", f"bare-{count}"
    wall, cpu, processing = times["wall"], times["cpu"], times["processing"]
    return {
        "cases": count,
        "pages": sum(1 for _ in (work / f"out-{ours}").rglob("*.html")),
        "ours": harness.median(wall[ours]),
        "bare": harness.median(wall[bare]),
        "ours_cpu": harness.median(cpu[ours]),
        "bare_cpu": harness.median(cpu[bare]),
        "ratio_cpu": harness.paired_ratio(cpu[ours], cpu[bare]),
        "ours_processing": harness.median(processing[ours]),
        "bare_processing": harness.median(processing[bare]),
        "ratio": harness.paired_ratio(wall[ours], wall[bare]),
    }


def budgets(site: dict) -> list[list[str]]:
    return []  # figures to read, no budget


def section(site: dict) -> list[str]:
    lines = [
        TITLE,
        "",
        f"The shipped content copied to a temporary folder with its 12 cases replaced by N generated case pages "
        f"(from content/cases/{TEMPLATE_CASE}, unique titles and slugs, and a CSV row per case), "
        f"built whole in fresh subprocesses, {site['rounds']} interleaved rounds; bare is the bare (simple) build above.",
        "",
        *harness.table(
            [
                "cases",
                "pages written",
                "ours wall",
                "ours CPU",
                "ours processing",
                "ms per case page (processing)",
                "bare wall",
                "bare CPU",
                "ours / bare (wall)",
                "ours / bare (CPU)",
            ],
            [
                [
                    f"{r['cases']:,}",
                    f"{r['pages']:,}",
                    f"{r['ours']:.2f} s",
                    f"{r['ours_cpu']:.2f} s",
                    f"{r['ours_processing']:.2f} s",
                    f"{r['ours_processing'] / r['cases'] * 1000:.1f}",
                    f"{r['bare']:.2f} s",
                    f"{r['bare_cpu']:.2f} s",
                    f"{r['ratio']:.2f}x",
                    f"{r['ratio_cpu']:.2f}x",
                ]
                for r in site["rows"]
            ],
        ),
    ]
    if len(site["rows"]) > 1:
        first, last = site["rows"][0], site["rows"][-1]
        growth = (last["ours_cpu"] / last["cases"]) / (first["ours_cpu"] / first["cases"])
        lines += [
            "",
            f"From {first['cases']:,} to {last['cases']:,} cases our build's CPU time grows "
            f"{last['ours_cpu'] / first['ours_cpu']:.1f}x for {last['cases'] / first['cases']:.0f}x the cases; "
            f"per case it is {growth:.2f}x what it was (below 1: the fixed start-up is shared; well above 1: "
            "something grows faster than the number of pages).",
        ]
    return lines + [""]
