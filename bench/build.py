"""1. Build: our full build against a bare Pelican build of the same
Markdown, and the rebuild after changing only the tally CSV."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from bench.harness import (
    CONTENT,
    PLUGINS,
    ROOT,
    SETTINGS,
    Run,
    Variant,
    bare_settings,
    median,
    paired_ratio,
    progress,
    site_cases,
    table,
    time_builds,
    verdict,
)

TITLE = "## 1. Build"
BUILD_RATIO_BUDGET = 1.10  # our build / bare Pelican build (stock "simple" theme)
LABELS = {"ours": "ours", "bare-simple": "bare (simple)", "rebuild-after-csv-change": "rebuild after a CSV change"}


def csv_change(content: Path):
    """A function that gives content's tally.csv one more real row each call,
    as the organizer typing in a new row."""
    tally_csv = content / "data" / "tally.csv"
    original = tally_csv.read_text(encoding="utf-8") if tally_csv.exists() else "case,letters\n"
    first_case = site_cases(CONTENT)[0][1]
    edits = iter(range(1, 10_000))

    def change_csv():
        tally_csv.write_text(original.rstrip("\n") + "\n" + f"{first_case},{next(edits)}\n", encoding="utf-8")

    return change_csv


def run(bench: Run) -> dict:
    plan, work = bench.plan, bench.work
    progress(f"builds: ours, bare (simple), rebuild after a CSV change; {plan.build_rounds} rounds")
    rebuild_content = work / "content-rebuild"
    shutil.copytree(CONTENT, rebuild_content)
    variants = [
        Variant("ours", SETTINGS, CONTENT),
        Variant("bare-simple", bare_settings(work, "simple"), CONTENT),
        Variant("rebuild-after-csv-change", SETTINGS, rebuild_content, staged=True, before=csv_change(rebuild_content)),
    ]
    times = time_builds(variants, plan.build_rounds, work, plan.warmup)
    wall, proc, cpu = times["wall"], times["processing"], times["cpu"]
    result = {
        "rounds": plan.build_rounds,
        "warmup": plan.warmup,
        "median_wall": {k: median(v) for k, v in wall.items()},
        "median_processing": {k: median(v) for k, v in proc.items()},
        "median_cpu": {k: median(v) for k, v in cpu.items()},
        "ratio_wall": paired_ratio(wall["ours"], wall["bare-simple"]),
        "ratio_processing": paired_ratio(proc["ours"], proc["bare-simple"]),
        "ratio_cpu": paired_ratio(cpu["ours"], cpu["bare-simple"]),
        "output": work / "out-ours",
    }
    result["pass"] = result["ratio_wall"] <= BUILD_RATIO_BUDGET
    result["startup"] = startup_profile(work)
    return result


def _our_plugins() -> list[str]:
    return sorted(p.name for p in PLUGINS.iterdir() if (p / "pyproject.toml").exists())


def startup_profile(work: Path, runs: int = 3) -> dict:
    """What our builds import: `python -X importtime` over a few builds, the
    median cumulative time of each top-level import and of our plugins'."""
    env = {**os.environ, "COLUMNS": "400"}
    command = [
        sys.executable,
        "-X",
        "importtime",
        "-m",
        "pelican",
        str(CONTENT),
        "--settings",
        str(SETTINGS),
        "--fatal",
        "errors",
        "--output",
        str(work / "out-importtime"),
    ]
    ours = {f"pelican.plugins.{name}" for name in _our_plugins()}
    per_module: dict[str, list[int]] = {}
    plugin_us = []
    for _ in range(runs):
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        imports = []
        for line in done.stderr.splitlines():
            match = re.match(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)", line)
            if match:
                imports.append((int(match.group(2)), len(match.group(3)), match.group(4)))
        for us, depth, name in imports:
            if depth <= 1:
                per_module.setdefault(name, []).append(us)
        plugin_us.append(sum(us for us, depth, name in imports if depth <= 2 and ".".join(name.split(".")[:3]) in ours))
    top = sorted(((median(v), name) for name, v in per_module.items()), reverse=True)
    return {"imports": top[:6], "plugins_ms": median(plugin_us) / 1000, "runs": runs}


def budgets(build: dict) -> list[list[str]]:
    return [
        [
            f"our build within {BUILD_RATIO_BUDGET:.2f}x of a bare Pelican build",
            f"{build['ratio_wall']:.2f}x ({build['median_wall']['ours']:.2f} s vs "
            f"{build['median_wall']['bare-simple']:.2f} s)",
            verdict(build["pass"]),
        ]
    ]


def section(build: dict) -> list[str]:
    return [
        TITLE,
        "",
        f"Whole builds, each in a fresh `python -m pelican ... --fatal errors` subprocess (what the organizer "
        f"waits for), {build['rounds']} interleaved rounds{' after one warm-up round' if build['warmup'] else ''}. "
        '"processing" is Pelican\'s own figure from its "Done: Processed ... in N seconds" line: the build '
        "without interpreter start-up, imports, settings and plugin loading.",
        "",
        "- **ours**: the shipped content with pelicanconf.py (our theme, our plugins).",
        "- **bare (simple)**: the same content and pelicanconf.py (same Markdown, typogrify, URL and "
        "template settings) with Pelican's stock `simple` theme and `PLUGINS = []`; our templates "
        "`home`, `cases`, `case` and `404` are one-line aliases of the stock `page.html`, and "
        "JINJA_ENVIRONMENT is Pelican's default (the stock themes are not written for autoescape); "
        "the stock menu of all pages (DISPLAY_PAGES_ON_MENU) is off, as our theme has no such menu "
        "and with it on the stock build grows with the square of the pages (it took 40 s at 1,200 cases). "
        "The budget is held against this one.",
        "- Pelican's default theme, notmyidea, cannot build this content as it is: it prints "
        "`article.category`, and our settings give the results post none. `simple` is also the "
        "cheapest stock theme (no static files to copy), so it is the stricter baseline.",
        "- **rebuild after a CSV change**: a copy of the content whose tally.csv gets a new row before each "
        "build, built as `invoke build` does (into a new folder, then swapped in). Every build starts from "
        "scratch (no content cache), so a CSV change costs a whole build.",
        "",
        *table(
            [
                "build",
                "wall (median)",
                "processing (median)",
                "start-up and the rest (wall - processing)",
                "CPU, user + system (median)",
            ],
            [
                [
                    LABELS[k],
                    f"{build['median_wall'][k]:.3f} s",
                    f"{build['median_processing'][k]:.3f} s",
                    f"{build['median_wall'][k] - build['median_processing'][k]:.3f} s",
                    f"{build['median_cpu'][k]:.3f} s",
                ]
                for k in LABELS
            ],
        ),
        "",
        *_difference(build),
    ]


def _more_or_less(seconds: float) -> str:
    return f"{abs(seconds) * 1000:.0f} ms {'less' if seconds < 0 else 'more'}"


def _difference(build: dict) -> list[str]:
    extra_wall = build["median_wall"]["ours"] - build["median_wall"]["bare-simple"]
    extra_proc = build["median_processing"]["ours"] - build["median_processing"]["bare-simple"]
    return [
        f"Ratio ours / bare (simple): **{build['ratio_wall']:.2f}x** wall (the budget's figure), "
        f"{build['ratio_cpu']:.2f}x CPU, {build['ratio_processing']:.2f}x processing. "
        f"Budget {BUILD_RATIO_BUDGET:.2f}x: **{verdict(build['pass'])}**.",
        "",
        f"{'Why it misses' if not build['pass'] else 'Where the difference is'}: ours takes "
        f"{_more_or_less(extra_wall)} per build (medians): {_more_or_less(extra_proc)} in Pelican's "
        f"processing (our templates, the tally, the plugins' generators) and "
        f"{_more_or_less(extra_wall - extra_proc)} before it (start-up: importing and registering our plugins). "
        f"Under `python -X importtime` (median of {build['startup']['runs']} builds) our builds spent "
        f"{build['startup']['plugins_ms']:.0f} ms importing our plugins ({', '.join(_our_plugins())}) "
        "and what they import first; the slowest top-level imports (cumulative):",
        "",
        *table(
            ["module", "cumulative import"],
            [[f"`{name}`", f"{us / 1000:.0f} ms"] for us, name in build["startup"]["imports"]],
        ),
        "",
    ]
