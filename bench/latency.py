"""The organizer's live loop, measured (section 6 of BENCHMARKS.md).

- save to served: `invoke livereload` (what `make serve` runs) in a copy of the
  project; the tally CSV is saved and the served tally.json and a case page are
  polled until both show the new numbers. Against an uncached in-process full
  build of the same site (a new Pelican object, no template or content cache),
  timed in the same rounds, interleaved with the saves;
- cold builds: `invoke build` (and `invoke rebuild`, from an empty cache/) and
  `pelican` with our plugins against bare Pelican (stock theme, no plugins),
  each in a fresh process, interleaved;
- warm rebuilds at 12, 120 and 1,200 cases: the dev server's Builder in this
  process, after a CSV change, and the marginal cost of a case page.

A scenario of bench/bench.py: run(), budgets() and section() (see bench/__init__.py).
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from support.dev_server import DevServer
from support.project_files import PROJECT_FILES

ROOT = Path(__file__).resolve().parent.parent
CASE = ("annie-alfred", "Annie Alfred")

LATENCY_MEDIAN_BUDGET = 0.5  # median save-to-served / uncached in-process full build
LATENCY_P95_BUDGET = 1.0  # p95 save-to-served / the same build
COLD_BUDGET = 1.10  # cold build / bare Pelican build
COLD_BUDGETED = ("pelican", "invoke build")  # `invoke rebuild` (no cache/) is shown, not held to it
CASE_PAGE_BUDGET_MS = 1.0  # marginal cost of a case page, at 1,200 cases


def child_env() -> dict:
    """As on the organizer's machine: Python keeps compiled modules (.pyc).
    (This sandbox sets PYTHONDONTWRITEBYTECODE, which would recompile our
    modules on every start and no installed library's.)"""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "COLUMNS": "400"}


def copy_project(target: Path) -> Path:
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy(source, target / name)
    return target


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


# --------------------------------------------------------------------------- save to served


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def uncached_build(settings_file: Path, output: Path) -> float:
    """A full build in this process with nothing reused: a new Pelican object,
    templates compiled again, every page read and typogrified again."""
    from pelican import Pelican
    from pelican.log import console
    from pelican.settings import DEFAULT_CONFIG, read_settings

    settings = read_settings(
        str(settings_file), override={"OUTPUT_PATH": str(output), "CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False}
    )
    settings["JINJA_ENVIRONMENT"] = {
        k: v for k, v in settings["JINJA_ENVIRONMENT"].items() if k != "bytecode_cache"
    } or DEFAULT_CONFIG["JINJA_ENVIRONMENT"]
    shutil.rmtree(output, ignore_errors=True)
    console.quiet = True
    started = time.perf_counter()
    Pelican(settings).run()
    return time.perf_counter() - started


def save_to_served(work: Path, saves: int, progress: Callable[[str], None]) -> dict:
    project = copy_project(work / "live-project")
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = project / "serve.log"
    csv = project / "content" / "data" / "tally.csv"
    original = csv.read_text(encoding="utf-8").rstrip("\n") + "\n"
    header = original.splitlines()[0].split(",")
    server = DevServer(project, port, env=child_env())
    try:
        wait_for_the_server(server, base)
        start = json.loads(fetch(base + "tally.json"))
        case_start = next(c["total"] for c in start["cases"] if c["slug"] == CASE[0])
        progress(f"live loop: {saves} saves of the tally CSV, each beside an uncached in-process build")
        latencies, builds = [], []
        for number in range(1, saves + 1):
            builds.append(uncached_build(project / "pelicanconf.py", work / "uncached"))
            time.sleep(0.15)  # the server idle again, as between two saves of the organizer's
            row = [CASE[1], str(number)] + ["0"] * (len(header) - 2)
            total, case_total = start["total"] + number, case_start + number
            shown = f"{case_total} action{'' if case_total == 1 else 's'}:"  # the page says "1 action:"
            started = time.perf_counter()
            csv.write_text(original + ",".join(row) + "\n", encoding="utf-8")
            wait_until_shown(base, total, shown)
            latencies.append(time.perf_counter() - started)
            if time.perf_counter() - started > 10:
                raise RuntimeError(f"save {number} was not served:\n{log.read_text()}")
        builds_logged = log.read_text().count("Built ")
    finally:
        server.stop()
    build = statistics.median(builds)
    median, p95 = statistics.median(latencies), percentile(latencies, 0.95)
    return {
        "saves": saves,
        "latencies": latencies,
        "median": median,
        "p95": p95,
        "build": build,
        "median_ratio": median / build,
        "p95_ratio": p95 / build,
        "builds_logged": builds_logged,
        "pass": median / build <= LATENCY_MEDIAN_BUDGET and p95 / build <= LATENCY_P95_BUDGET,
    }


def wait_for_the_server(server: DevServer, base: str) -> None:
    deadline = time.monotonic() + 60
    while "Open http" not in server.text() or fetch(base + "tally.json") is None:
        if time.monotonic() > deadline or server.process.poll() is not None:
            raise RuntimeError(f"the dev server did not start:\n{server.text()}")
        time.sleep(0.05)


def wait_until_shown(base: str, total: int, shown: str, page: str = f"{CASE[0]}.html", limit: float = 30) -> None:
    """Poll until the served tally.json has the new total and `page` its new
    line; RuntimeError after `limit` seconds."""
    deadline = time.monotonic() + limit
    while True:
        report = fetch(base + "tally.json")
        if report and json.loads(report)["total"] == total:
            break
        if time.monotonic() > deadline:
            raise RuntimeError(f"the total {total} was not served within {limit} s")
        time.sleep(0.001)
    while shown not in " ".join((fetch(base + page) or "").split()):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{page} did not show {shown!r} within {limit} s")
        time.sleep(0.001)


# --------------------------------------------------------------------------- cold builds


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cold_builds(work: Path, bare_settings: Path, rounds: int, progress: Callable[[str], None]) -> dict:
    project = copy_project(work / "cold-project")
    commands = {
        "bare": (_pelican(project, bare_settings, work / "cold-bare"), ROOT),
        "pelican": (_pelican(project, project / "pelicanconf.py", work / "cold-pelican"), ROOT),
        "invoke build": ([sys.executable, "-m", "invoke", "build"], project),
        # The first build after a clone or `invoke clean`: cache/ emptied first
        # (in a copy of its own, or it would empty invoke build's cache/ too).
        "invoke rebuild": ([sys.executable, "-m", "invoke", "rebuild"], copy_project(work / "cold-project-rebuild")),
    }
    progress(f"cold builds: invoke build and rebuild, pelican with our plugins, bare Pelican; {rounds} rounds")
    names = list(commands)
    wall, cpu = _timed_rounds(commands, rounds)

    def ratio(values, name):
        return statistics.median(a / b for a, b in zip(values[name], values["bare"]))

    result = {
        "rounds": rounds,
        "wall": {n: statistics.median(v) for n, v in wall.items()},
        "cpu": {n: statistics.median(v) for n, v in cpu.items()},
        "ratio_wall": {n: ratio(wall, n) for n in names if n != "bare"},
        "ratio_cpu": {n: ratio(cpu, n) for n in names if n != "bare"},
    }
    result["pass"] = {n: result["ratio_wall"][n] <= COLD_BUDGET for n in COLD_BUDGETED}
    return result


def _pelican(project: Path, settings: Path, output: Path) -> list[str]:
    """A whole build as `pelican` runs it in a fresh process."""
    options = ["--settings", str(settings), "--output", str(output), "--fatal", "errors"]
    return [sys.executable, "-m", "pelican", str(project / "content"), *options]


def _timed_rounds(commands: dict[str, tuple[list[str], Path]], rounds: int) -> tuple[dict, dict]:
    """Wall and CPU seconds of each command over `rounds` interleaved rounds,
    in a rotating order, after one round that warms the disk cache."""
    names = list(commands)
    wall = {name: [] for name in names}
    cpu = {name: [] for name in names}
    for number in range(rounds + 1):  # round 0 warms the disk cache and writes .pyc files
        shift = number % len(names)
        order = names[shift:] + names[:shift]
        for name in order if number % 2 else order[::-1]:
            command, cwd = commands[name]
            before, started = _children_cpu(), time.perf_counter()
            done = subprocess.run(command, cwd=cwd, env=child_env(), capture_output=True, text=True)
            if done.returncode != 0:
                raise RuntimeError(f"{name} failed:\n{done.stdout}\n{done.stderr}")
            if number:
                wall[name].append(time.perf_counter() - started)
                cpu[name].append(_children_cpu() - before)
    return wall, cpu


# --------------------------------------------------------------------------- warm rebuilds


def warm_rebuilds(work: Path, contents: dict[int, Path], reps: int, progress: Callable[[str], None]) -> dict:
    """The dev server's Builder, in this process: one build to warm it, then
    `reps` rebuilds each after a new CSV row. Run last: it memoizes typogrify
    for the whole process."""
    sys.path.insert(0, str(ROOT))
    from pelican.log import console

    from organizer.devserver.builder import Builder
    from organizer.site_output import replace_site

    console.quiet = True
    progress(f"warm rebuilds after a CSV change: {', '.join(map(str, contents))} cases, {reps} each")
    rows = []
    for cases, content in contents.items():
        csv = content / "data" / "tally.csv"
        original = csv.read_text(encoding="utf-8").rstrip("\n") + "\n"
        first = re.search(
            r"(?m)^Title:\s*(.+)$", (sorted((content / "cases").glob("*.md"))[0]).read_text(encoding="utf-8")
        )
        builder = Builder(
            ROOT / "pelicanconf.py",
            work / f"warm-{cases}",
            swap=replace_site,
            overrides={"PATH": str(content)},
            warm=True,
        )
        if not builder.build().ok:
            raise RuntimeError(f"the warm build of {cases} cases failed")
        times = []
        for number in range(reps):
            csv.write_text(original + f"{first.group(1).strip()},{number + 1}\n", encoding="utf-8")
            result = builder.build()
            if not result.ok:
                raise RuntimeError(f"a warm rebuild of {cases} cases failed: {result.problems}")
            times.append(result.seconds)
        rows.append({"cases": cases, "rebuild": statistics.median(times)})
    smallest = rows[0]
    for row in rows:
        row["per_case_ms"] = row["rebuild"] / row["cases"] * 1000
        row["marginal_ms"] = (
            (row["rebuild"] - smallest["rebuild"]) / (row["cases"] - smallest["cases"]) * 1000
            if row["cases"] > smallest["cases"]
            else None
        )
    largest = rows[-1]
    passed = None
    if largest["cases"] >= 1200 and largest["marginal_ms"] is not None:
        passed = largest["marginal_ms"] <= CASE_PAGE_BUDGET_MS
    return {"rows": rows, "reps": reps, "pass": passed}


# --------------------------------------------------------------------------- the scenario


def run(bench) -> dict:
    from bench import harness, site_scale

    work, plan = bench.work, bench.plan
    cold = cold_builds(work, harness.bare_settings(work, "simple"), 1 if plan.quick else 9, harness.progress)
    live = save_to_served(work, 3 if plan.quick else 21, harness.progress)
    contents = {n: site_scale.scaled_content(work, n) for n in plan.pages}
    warm = warm_rebuilds(work, contents, 2 if plan.quick else 5, harness.progress)
    return {"cold": cold, "live": live, "warm": warm}


def budgets(figures: dict) -> list[list[str]]:
    from bench.harness import verdict

    cold, live, warm = figures["cold"], figures["live"], figures["warm"]
    rows = [
        [
            f"median save-to-served at most {LATENCY_MEDIAN_BUDGET:g}x an uncached in-process build",
            f"{live['median_ratio']:.2f}x ({live['median'] * 1000:.0f} ms vs {live['build'] * 1000:.0f} ms)",
            verdict(live["median_ratio"] <= LATENCY_MEDIAN_BUDGET),
        ],
        [
            f"p95 save-to-served at most {LATENCY_P95_BUDGET:g}x that build",
            f"{live['p95_ratio']:.2f}x ({live['p95'] * 1000:.0f} ms)",
            verdict(live["p95_ratio"] <= LATENCY_P95_BUDGET),
        ],
    ]
    for name in COLD_BUDGETED:
        rows.append(
            [
                f"`{name}` within {COLD_BUDGET:.2f}x of bare Pelican (cold)",
                f"{cold['ratio_wall'][name]:.2f}x wall, {cold['ratio_cpu'][name]:.2f}x CPU",
                verdict(cold["pass"][name]),
            ]
        )
    largest = warm["rows"][-1]
    marginal = "n/a" if largest["marginal_ms"] is None else f"{largest['marginal_ms']:.2f} ms"
    rows.append(
        [
            f"a case page at most {CASE_PAGE_BUDGET_MS:g} ms at 1,200 cases (warm rebuild, marginal)",
            f"{marginal} at {largest['cases']:,} cases",
            verdict(warm["pass"]),
        ]
    )
    return rows


def section(figures: dict) -> list[str]:
    cold, live, warm = figures["cold"], figures["live"], figures["warm"]
    out = ["## 6. The live loop (`make serve`)", ""]
    out.append(
        f"**Save to served**: `invoke livereload` in a copy of the project; {live['saves']} saves of the "
        "tally CSV (a new row each time), each timed from just before the write until the served "
        "tally.json has the new total and the served case page its new count (polled every ms). "
        "The uncached build is `Pelican(settings).run()` in the benchmark's own process (Pelican "
        "already imported; a new Pelican object; no template bytecode cache; no content cache), one "
        "before each save. The browser's reload after the server-sent event is not included."
    )
    out.append("")
    ms = sorted(x * 1000 for x in live["latencies"])
    out.append(
        f"Save to served: median {live['median'] * 1000:.0f} ms, p95 {live['p95'] * 1000:.0f} ms, "
        f"fastest {ms[0]:.0f} ms, slowest {ms[-1]:.0f} ms; uncached in-process build: median "
        f"{live['build'] * 1000:.0f} ms. The server logged {live['builds_logged']} builds for "
        f"{live['saves']} saves plus its first."
    )
    out.append("")
    out.append(
        f"**Cold builds**: each a fresh process, {cold['rounds']} interleaved rounds after one warm-up "
        "round; bare is section 1's bare (simple) settings; ratios are medians of the per-round ratios. "
        "Python may keep compiled modules (.pyc), as on the organizer's machine. `invoke build` "
        "finds cache/ as the previous build left it, as every build but the first does: compiled "
        "templates, the calendar, and each page's parsed Markdown and typogrified text "
        "(cache/pages.pickle, used only for pages whose md5 is unchanged, under the same settings "
        "and code). `invoke rebuild` empties cache/ first, as the first build after a clone or "
        "`invoke clean`: shown here, not held to the budget."
    )
    out.append("")
    out += ["| build | wall (median) | CPU (median) | / bare, wall | / bare, CPU |", "| --- | --- | --- | --- | --- |"]
    for name in cold["wall"]:
        ratio_w = "1.00x" if name == "bare" else f"{cold['ratio_wall'][name]:.2f}x"
        ratio_c = "1.00x" if name == "bare" else f"{cold['ratio_cpu'][name]:.2f}x"
        out.append(f"| {name} | {cold['wall'][name]:.3f} s | {cold['cpu'][name]:.3f} s | {ratio_w} | {ratio_c} |")
    out.append("")
    out.append(
        f"**Warm rebuilds**: the dev server's Builder in one process (Pelican loaded, templates compiled, "
        f"unchanged pages' Markdown and typogrified text reused), the shipped content with N generated "
        f"case pages (section 3), rebuilt after a new CSV row; median of {warm['reps']}. Marginal: the "
        "extra time per extra case page over the smallest site."
    )
    out.append("")
    out += ["| cases | rebuild (median) | ms per case page | marginal ms per case page |", "| --- | --- | --- | --- |"]
    for row in warm["rows"]:
        marginal = "" if row["marginal_ms"] is None else f"{row['marginal_ms']:.2f}"
        out.append(f"| {row['cases']:,} | {row['rebuild'] * 1000:.0f} ms | {row['per_case_ms']:.2f} | {marginal} |")
    out.append("")
    return out
