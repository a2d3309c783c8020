"""A saved tally at 12 and 1,200 case pages, measured (section 9 of BENCHMARKS.md).

`invoke livereload` (what `make serve` runs) in a copy of the project whose
content has N generated case pages (section 3's); each save adds a row for
the first case, timed until the served tally.json has the new total and the
served case page its new count. Against an uncached in-process full build of
the same site, timed in the same rounds, interleaved with the saves. The dev
server writes again only the pages whose numbers changed
(organizer/devserver/recounting.py).

A scenario of bench/bench.py: run(), budgets() and section() (see bench/__init__.py).
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import time
from pathlib import Path

from bench.latency import (
    child_env,
    copy_project,
    fetch,
    free_port,
    percentile,
    uncached_build,
    wait_for_the_server,
    wait_until_shown,
)
from support.dev_server import DevServer

SMALL_MEDIAN_BUDGET = 0.6  # median save-to-served / full build, with 12 cases
SMALL_P95_BUDGET = 1.0  # p95 / full build, with 12 cases
LARGE_SECONDS_BUDGET = 0.3  # median save-to-served in seconds, with 1,200 cases
LARGE_RATIO_BUDGET = 0.1  # median save-to-served / full build, with 1,200 cases
LARGE = 1200


def saves_at(work: Path, cases: int, saves: int, builds: int, progress) -> dict:
    """`saves` saves of the tally of a site of `cases` case pages, served by
    `make serve`, and `builds` uncached full builds between them."""
    from bench import site_scale

    project = copy_project(work / f"recount-{cases}")
    shutil.rmtree(project / "content")
    shutil.copytree(site_scale.scaled_content(work, cases), project / "content")
    csv = project / "content" / "data" / "tally.csv"
    original = csv.read_text(encoding="utf-8").rstrip("\n") + "\n"
    first = sorted((project / "content" / "cases").glob("*.md"))[0]
    title = re.search(r"(?m)^Title:\s*(.+)$", first.read_text(encoding="utf-8"))[1].strip()
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    server = DevServer(project, port, env=child_env())
    progress(f"a saved tally at {cases:,} cases: {saves} saves, {builds} uncached builds between them")
    try:
        wait_for_the_server(server, base)
        start = json.loads(fetch(base + "tally.json"))
        case = start["cases"][0]
        latencies, full = [], []
        build_before = {i * saves // builds + 1 for i in range(builds)}  # spread over the saves
        for number in range(1, saves + 1):
            if number in build_before:
                full.append(uncached_build(project / "pelicanconf.py", work / f"uncached-{cases}"))
            time.sleep(0.15)  # the server idle again, as between two saves of the organizer's
            started = time.perf_counter()
            csv.write_text(original + f"{title},{number}\n", encoding="utf-8")
            now = case["total"] + number
            wait_until_shown(base, start["total"] + number, f"{now} action{'' if now == 1 else 's'}:", case["url"])
            latencies.append(time.perf_counter() - started)
    finally:
        server.stop()
    median = statistics.median(latencies)
    build = statistics.median(full)
    return {
        "cases": cases,
        "saves": saves,
        "latencies": latencies,
        "median": median,
        "p95": percentile(latencies, 0.95),
        "build": build,
        "builds": len(full),
    }


def run(bench) -> dict:
    from bench import harness

    quick = bench.plan.quick
    sizes = sorted({12, max(bench.plan.pages)})
    rows = [
        saves_at(bench.work, cases, 3 if quick else (21 if cases < LARGE else 11), 1 if quick else 3, harness.progress)
        for cases in sizes
    ]
    return {"rows": rows}


def budgets(figures: dict) -> list[list[str]]:
    from bench.harness import verdict

    small, large = figures["rows"][0], figures["rows"][-1]
    rows = [
        [
            f"a saved tally, 12 cases: median at most {SMALL_MEDIAN_BUDGET:g}x a full build, p95 at most "
            f"{SMALL_P95_BUDGET:g}x",
            f"{small['median'] / small['build']:.2f}x, p95 {small['p95'] / small['build']:.2f}x "
            f"({small['median'] * 1000:.0f} ms, {small['p95'] * 1000:.0f} ms vs {small['build'] * 1000:.0f} ms)",
            verdict(
                small["median"] <= SMALL_MEDIAN_BUDGET * small["build"]
                and small["p95"] <= SMALL_P95_BUDGET * small["build"]
            ),
        ]
    ]
    if large["cases"] >= LARGE:
        rows.append(
            [
                f"a saved tally, {LARGE:,} cases: median at most {LARGE_SECONDS_BUDGET:g} s and "
                f"{LARGE_RATIO_BUDGET:g}x a full build",
                f"{large['median'] * 1000:.0f} ms, {large['median'] / large['build']:.3f}x "
                f"(full build {large['build']:.2f} s)",
                verdict(
                    large["median"] <= LARGE_SECONDS_BUDGET and large["median"] <= LARGE_RATIO_BUDGET * large["build"]
                ),
            ]
        )
    return rows


def section(figures: dict) -> list[str]:
    out = ["## 9. A saved tally at scale (`make serve`)", ""]
    out.append(
        "`invoke livereload` in a copy of the project with N generated case pages (section 3's content); "
        "each save adds a row for the first case and is timed from just before the write until the served "
        "tally.json has the new total and the served case page its new count (polled every ms). The dev "
        "server writes again only the files whose numbers changed (the case page, the pages that list every "
        "case or show the totals, tally.json), from the site its last full build left in memory. The full "
        "build is an uncached in-process build of the same site (as in section 6), timed between the saves. "
        "That what is served is byte for byte a fresh full build's is a test (tests/test_recounting.py), "
        "not a figure."
    )
    out.append("")
    out += [
        "| cases | saves | median | p95 | slowest | full build (median) | median / full build | p95 / full build |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in figures["rows"]:
        out.append(
            f"| {row['cases']:,} | {row['saves']} | {row['median'] * 1000:.0f} ms | {row['p95'] * 1000:.0f} ms | "
            f"{max(row['latencies']) * 1000:.0f} ms | {row['build'] * 1000:.0f} ms ({row['builds']}) | "
            f"{row['median'] / row['build']:.3f}x | {row['p95'] / row['build']:.3f}x |"
        )
    out.append("")
    return out
