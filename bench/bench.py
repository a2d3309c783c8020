"""Benchmarks for the event site: `invoke bench` runs this script.

Five figures, each the median of several runs, with A and B runs interleaved
in one process so that ratios hold on a noisy machine:

1. build:       our full build vs a bare Pelican build of the same Markdown,
                and the rebuild after changing only the tally CSV;
2. tally scale: tally.core.read_tally vs a bare csv.reader loop, 10^3..10^6 rows;
3. site scale:  builds with 12, 120 and 1,200 generated case pages;
4. weight:      bytes per page (HTML + CSS + images, raw and gzipped), scripts,
                third-party requests;
5. Lighthouse:  the four category scores for three pages.

It prints the report and writes it to BENCHMARKS.md (or --output). Only the
standard library, Pelican, the tally core and node_modules/.bin/lighthouse.

    python bench/bench.py               # the full run (a few minutes)
    python bench/bench.py --quick       # a tiny run: seconds, no Lighthouse
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import functools
import gc
import gzip
import html.parser
import json
import os
import platform
import pstats
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SETTINGS = ROOT / "pelicanconf.py"
PLUGINS = ROOT / "plugins"  # one folder per installable plugin: plugins/<name>/pelican/plugins/<name>/
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run")
# The home page at its real address: its canonical link is "/", not "/index.html".
LIGHTHOUSE_PAGES = {"/ (home page)": "/", "annie-alfred.html": "/annie-alfred.html", "results.html": "/results.html"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TEMPLATE_CASE = "annie-alfred.md"

# The budgets the figures are held against.
BUILD_RATIO_BUDGET = 1.10          # our build / bare Pelican build (stock "simple" theme)
TALLY_RATIO_BUDGET = 2.0           # read_tally / bare csv.reader loop, at 10^6 rows
TALLY_MEMORY_BUDGET_MB = 200       # peak resident memory of a child reading 10^6 rows
TALLY_BUDGET_ROWS = 1_000_000
PAGE_BUDGET_BYTES = 30_000         # gzipped HTML + CSS per page, images not counted
MB = 1_000_000                     # decimal units throughout: 1 KB = 1,000 bytes


@dataclass
class Plan:
    quick: bool
    build_rounds: int
    warmup: bool
    rows: list[int]
    tally_reps: dict[int, int]
    pages: list[int]
    site_rounds: int
    lighthouse_runs: int           # 0: skipped
    preset: str                    # "mobile" (Lighthouse's default) or "desktop"


def make_plan(args) -> Plan:
    if args.quick:
        plan = Plan(quick=True, build_rounds=1, warmup=False, rows=[100], tally_reps={100: 1},
                    pages=[12, 120], site_rounds=1, lighthouse_runs=0, preset=args.preset)
    else:
        rows = [1_000, 10_000, 100_000, 1_000_000]
        plan = Plan(quick=False, build_rounds=15, warmup=True, rows=rows,
                    tally_reps={1_000: 21, 10_000: 11, 100_000: 5, 1_000_000: 3},
                    pages=[12, 120, 1200], site_rounds=3, lighthouse_runs=3, preset=args.preset)
    if args.rows:
        plan.rows = [int(n) for n in args.rows.split(",")]
        plan.tally_reps = {n: plan.tally_reps.get(n, 3 if n >= 100_000 else 5) for n in plan.rows}
    if args.pages:
        plan.pages = [int(n) for n in args.pages.split(",")]
    if args.repeat:
        plan.build_rounds = plan.site_rounds = args.repeat
        plan.tally_reps = {n: args.repeat for n in plan.rows}
    if args.lighthouse_runs is not None:
        plan.lighthouse_runs = args.lighthouse_runs
    if args.no_lighthouse:
        plan.lighthouse_runs = 0
    return plan


def progress(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def median(values):
    return statistics.median(values) if values else float("nan")


def rotated(items: list, round_number: int) -> list:
    """A different order every round, so no variant always runs first."""
    shift = round_number % len(items)
    order = items[shift:] + items[:shift]
    return order if round_number % 2 == 0 else order[::-1]


# --------------------------------------------------------------------------- machine

def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    from importlib.metadata import version
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "pelican": version("pelican"),
        "markdown": version("markdown"),
        "typogrify": version("typogrify"),
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "load_before": _load(),
        "code": _code_version(),
    }


def _code_version() -> str:
    """The commit measured, and whether the work tree differed from it."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, check=True).stdout.strip()
        changes = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                                 capture_output=True, text=True, check=True).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    changes = [line for line in changes if not line.endswith("BENCHMARKS.md")]
    return commit + (f" with {len(changes)} changed files not committed" if changes else " (clean)")


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


# --------------------------------------------------------------------------- builds

DONE = re.compile(r"Processed.*?in\s+([\d.]+)\s+seconds", re.S)


@dataclass
class Variant:
    """One way of building: a settings file, and a content folder."""

    name: str
    settings: Path
    content: Path
    staged: bool = False            # build beside the output and swap it in, as `invoke build`
    before: object = None           # called (untimed) before each timed build


def bare_settings(work: Path, theme: str) -> Path:
    """pelicanconf.py with a stock theme and no plugins, nothing else changed.

    Our content asks for the templates "home", "cases" and "case" and our
    DIRECT_TEMPLATES include "404" and "live", which stock themes lack: they are given
    as one-line aliases of the stock page.html (THEME_TEMPLATES_OVERRIDES), so
    the same Markdown builds unchanged. JINJA_ENVIRONMENT goes back to
    Pelican's default: stock themes print page bodies unescaped and our
    autoescape setting is written for our theme. The stock page menu
    (DISPLAY_PAGES_ON_MENU) is off: it lists every page on every page, which
    our theme does not, and makes the stock build quadratic in pages.
    """
    folder = work / f"bare-{theme}"
    templates = folder / "templates"
    templates.mkdir(parents=True, exist_ok=True)
    for name in ("home", "cases", "case"):
        (templates / f"{name}.html").write_text('{% extends "page.html" %}\n', encoding="utf-8")
    (templates / "404.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>Page not found</h1>{% endblock %}\n',
        encoding="utf-8")
    (templates / "live.html").write_text('{% extends "404.html" %}\n', encoding="utf-8")
    settings = folder / "bareconf.py"
    settings.write_text(
        f"# Generated by bench/bench.py: {SETTINGS.name} with a stock theme and no plugins.\n"
        f"import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        f"exec(compile(open({str(SETTINGS)!r}, encoding='utf-8').read(), {str(SETTINGS)!r}, 'exec'))\n"
        f"THEME = {theme!r}\n"
        f"THEME_TEMPLATES_OVERRIDES = [{str(templates)!r}]\n"
        f"PLUGINS = []\n"
        f"PLUGIN_PATHS = []\n"
        f"JINJA_ENVIRONMENT = DEFAULT_CONFIG['JINJA_ENVIRONMENT']\n"
        f"DISPLAY_PAGES_ON_MENU = False\n",
        encoding="utf-8")
    return settings


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_build(variant: Variant, work: Path) -> tuple[float, float, float]:
    """One build in a fresh `python -m pelican`: (wall seconds, Pelican's own
    processing seconds from its "Done: Processed ... in N seconds" line, CPU
    seconds of the subprocess: user + system, which other processes on the
    machine disturb far less than the wall time)."""
    if variant.before:
        variant.before()
    output = work / f"out-{variant.name}"
    if variant.staged:
        output.mkdir(exist_ok=True)  # the site being replaced, as output/ is
    else:
        shutil.rmtree(output, ignore_errors=True)
    command = [sys.executable, "-m", "pelican", str(variant.content), "--settings", str(variant.settings),
               "--fatal", "errors", "--log-handler", "plain", "--output"]
    env = {**os.environ, "COLUMNS": "400"}
    cpu_before = children_cpu()
    started = time.perf_counter()
    if variant.staged:  # what `invoke build` (and so every live reload) does
        staging = Path(tempfile.mkdtemp(prefix=".output-new-", dir=work))
        done = subprocess.run(command + [str(staging)], cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode == 0:
            retired = work / ".output-old"
            output.rename(retired)
            staging.rename(output)
            shutil.rmtree(retired)
    else:
        done = subprocess.run(command + [str(output)], cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    cpu = children_cpu() - cpu_before
    if done.returncode != 0:
        raise RuntimeError(f"the {variant.name} build failed:\n{done.stdout}\n{done.stderr}")
    match = DONE.search(done.stdout + done.stderr)
    return wall, float(match.group(1)) if match else float("nan"), cpu


def time_builds(variants: list[Variant], rounds: int, work: Path, warmup: bool) -> dict:
    """Interleaved: every round builds every variant once, in a rotating order."""
    if warmup:
        for variant in variants:
            run_build(variant, work)
    walls = {v.name: [] for v in variants}
    processing = {v.name: [] for v in variants}
    cpu = {v.name: [] for v in variants}
    for round_number in range(rounds):
        for variant in rotated(variants, round_number):
            wall, proc, used = run_build(variant, work)
            walls[variant.name].append(wall)
            processing[variant.name].append(proc)
            cpu[variant.name].append(used)
    return {"wall": walls, "processing": processing, "cpu": cpu}


def paired_ratio(a: list[float], b: list[float]) -> float:
    """Median of the per-round ratios a/b: each pair ran side by side."""
    return median([x / y for x, y in zip(a, b)])


def bench_build(plan: Plan, work: Path) -> dict:
    progress(f"builds: ours, bare (simple), rebuild after a CSV change; "
             f"{plan.build_rounds} rounds")
    rebuild_content = work / "content-rebuild"
    shutil.copytree(CONTENT, rebuild_content)
    tally_csv = rebuild_content / "data" / "tally.csv"
    original = tally_csv.read_text(encoding="utf-8") if tally_csv.exists() else "case,letters\n"
    first_case = case_list(CONTENT)[0][1]
    edits = iter(range(1, 10_000))

    def change_csv():
        # A real change every time, as the organizer typing in a new row.
        extra = f"{first_case},{next(edits)},1,,9\n"
        tally_csv.write_text(original.rstrip("\n") + "\n" + extra, encoding="utf-8")

    variants = [
        Variant("ours", SETTINGS, CONTENT),
        Variant("bare-simple", bare_settings(work, "simple"), CONTENT),
        Variant("rebuild-after-csv-change", SETTINGS, rebuild_content, staged=True, before=change_csv),
    ]
    times = time_builds(variants, plan.build_rounds, work, plan.warmup)
    wall, proc, cpu = times["wall"], times["processing"], times["cpu"]
    result = {
        "rounds": plan.build_rounds,
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


def startup_profile(work: Path, runs: int = 3) -> dict:
    """What our builds import: `python -X importtime` over a few builds, the
    median cumulative time of each top-level import and of our plugins'."""
    env = {**os.environ, "COLUMNS": "400"}
    command = [sys.executable, "-X", "importtime", "-m", "pelican", str(CONTENT), "--settings",
               str(SETTINGS), "--fatal", "errors", "--output", str(work / "out-importtime")]
    ours = {f"pelican.plugins.{p.name}" for p in PLUGINS.iterdir() if (p / "pyproject.toml").exists()}
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


# --------------------------------------------------------------------------- content

def case_list(content: Path) -> list[tuple[str, str]]:
    """(slug, title) of every case page, as the tally plugin names them."""
    cases = []
    for path in sorted((content / "cases").glob("*.md")):
        title = path.stem
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.lower().startswith("title:"):
                title = line.split(":", 1)[1].strip()
                break
        cases.append((path.stem, title))
    return cases


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def spellings(slug: str, title: str) -> list[str]:
    """How volunteers write a case: its name, its file name, in capitals, without accents."""
    return [title, title, slug, title.upper(), strip_accents(title).lower(),
            slug.replace("-", " ").title()]


def write_tally_csv(path: Path, rows: int, cases: list[tuple[str, str]], seed: int = 7) -> tuple[int, int, int]:
    """A CSV like the organizer's, `rows` rows long; returns its three column sums."""
    rnd = random.Random(seed)
    names = [spellings(slug, title) for slug, title in cases]
    sums = [0, 0, 0]
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["case", "letters", "cards", "emails", "table", "writer"])
        for i in range(rows):
            counts = [rnd.randint(0, 20), rnd.randint(0, 12), rnd.randint(0, 6)]
            cells = [str(n) for n in counts]
            for column in (1, 2):               # cards and e-mails are often left empty
                if counts[column] == 0 or rnd.random() < 0.15:
                    counts[column], cells[column] = 0, ""
            for column in range(3):
                sums[column] += counts[column]
            writer.writerow([rnd.choice(rnd.choice(names)), *cells, i % 12 + 1,
                             rnd.choice(["", "Sam", "A. Writer", "Nur"])])
    return tuple(sums)


def tally_names(cases: list[tuple[str, str]]) -> dict[str, list[str]]:
    return {slug: [title] for slug, title in cases}


# --------------------------------------------------------------------------- tally scale

def import_core():
    from pelican.plugins.tally import core
    return core


def read_with_core(path: Path, names) -> tuple[int, int, int]:
    tally = import_core().read_tally(path, names)
    return tally.totals.letters, tally.totals.cards, tally.totals.emails


def read_with_csv(path: Path, names=None) -> tuple[int, int, int]:
    """The least a reader can do: csv.reader and three int() per row."""
    letters = cards = emails = 0
    with open(path, encoding="utf-8", newline="") as data:
        rows = csv.reader(data)
        next(rows)
        for row in rows:
            letters += int(row[1] or 0)
            cards += int(row[2] or 0)
            emails += int(row[3] or 0)
    return letters, cards, emails


READERS = {"core": read_with_core, "csv": read_with_csv}


def peak_resident_kib() -> int:
    """This process's peak resident set in KiB: VmHWM from /proc/self/status.

    Not ru_maxrss: on Linux that also counts the parent's memory at the fork
    that started us, so a child of a big parent would seem big.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child_memory(reader: str, path: str) -> None:
    """Run in a fresh interpreter: one read, then report the peak resident set."""
    names = tally_names(case_list(CONTENT))
    import_core()
    before = peak_resident_kib()
    READERS[reader](Path(path), names)
    after = peak_resident_kib()
    print(json.dumps({"before_kib": before, "peak_kib": after}))


def peak_rss(reader: str, path: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child-memory", reader, str(path)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def bench_tally(plan: Plan, work: Path) -> dict:
    cases = case_list(CONTENT)
    names = tally_names(cases)
    import_core()
    sizes = []
    for rows in plan.rows:
        path = work / f"tally-{rows}.csv"
        expected = write_tally_csv(path, rows, cases)
        reps = plan.tally_reps[rows]
        progress(f"tally: {rows:,} rows ({path.stat().st_size / MB:.1f} MB), {reps} interleaved runs each")
        times = {"core": [], "csv": []}
        for rep in range(reps):
            for reader in rotated(["core", "csv"], rep):
                gc.collect()
                started = time.perf_counter()
                totals = READERS[reader](path, names)
                times[reader].append(time.perf_counter() - started)
                if totals != expected:
                    raise RuntimeError(f"{reader} added up {totals}, the file holds {expected}")
        memory = {reader: {"rss": peak_rss(reader, path)} for reader in ("core", "csv")}
        sizes.append({
            "rows": rows, "bytes": path.stat().st_size, "reps": reps,
            "core": median(times["core"]), "csv": median(times["csv"]),
            "ratio": paired_ratio(times["core"], times["csv"]),
            "memory": memory,
        })
    largest = sizes[-1]
    result = {"sizes": sizes}
    # Linear if the time per row stays within 1.5x from 10^4 rows up (10^3 is start-up bound).
    growth = [s for s in sizes if s["rows"] >= 10_000] or sizes
    result["growth_from"] = growth[0]["rows"]
    per_row = [s["core"] / s["rows"] for s in growth]
    result["linear"] = max(per_row) / min(per_row) <= 1.5
    result["per_row_spread"] = max(per_row) / min(per_row)
    if largest["rows"] >= TALLY_BUDGET_ROWS:
        rss_mb = largest["memory"]["core"]["rss"]["peak_kib"] * 1024 / MB
        result["ratio_pass"] = largest["ratio"] < TALLY_RATIO_BUDGET
        result["memory_pass"] = rss_mb < TALLY_MEMORY_BUDGET_MB
    else:
        result["ratio_pass"] = result["memory_pass"] = None
    result["anatomy"] = memory_anatomy(work / f"tally-{largest['rows']}.csv")
    # The time per row is flat (see growth), so 10^5 rows profile like 10^6 in a tenth of the time.
    profiled = max([s["rows"] for s in sizes if s["rows"] <= 100_000] or [sizes[0]["rows"]])
    progress(f"tally: profiling read_tally at {profiled:,} rows with cProfile")
    result["profile"] = profile_core(work / f"tally-{profiled}.csv", names)
    result["profile_rows"] = profiled
    return result


def memory_anatomy(path: Path) -> list[tuple[str, int, bool]]:
    """What holding a CSV in memory costs, step by step, measured with
    tracemalloc, each with whether core.py's source does that step."""
    import inspect
    import io
    source = inspect.getsource(import_core())
    steps = []
    gc.collect()
    tracemalloc.start()
    try:
        data = path.read_bytes()
        steps.append(("the file's bytes (`read_bytes()`)", tracemalloc.get_traced_memory()[0], "read_bytes(" in source))
        before = tracemalloc.get_traced_memory()[0]
        text = data.decode("utf-8-sig")
        steps.append(("the decoded text (`bytes.decode`)", tracemalloc.get_traced_memory()[0] - before,
                      ".decode(" in source))
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        lines = text.splitlines()
        steps.append(("a list of every line (`text.splitlines()`)", tracemalloc.get_traced_memory()[1] - before,
                      ".splitlines()" in source))
        del lines
        before = tracemalloc.get_traced_memory()[0]
        buffer = io.StringIO(text, newline="")
        buffer.readline()
        steps.append(("a copy in `io.StringIO(text)` (4 bytes per character)",
                      tracemalloc.get_traced_memory()[0] - before, "StringIO(" in source))
        del buffer, text, data
    finally:
        tracemalloc.stop()
    return steps


def profile_core(path: Path, names) -> list[dict]:
    core = import_core()
    profiler = cProfile.Profile()
    profiler.runcall(core.read_tally, path, names)
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    rows = []
    for (filename, line, function), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():
        where = f"{'/'.join(Path(filename).parts[-2:])}:{line}({function})" if line else function
        rows.append({"function": where, "calls": calls, "tottime": tottime, "cumtime": cumtime,
                     "share": tottime / total if total else 0})
    rows.sort(key=lambda r: r["tottime"], reverse=True)
    return rows[:10]


# --------------------------------------------------------------------------- site scale

def scaled_content(work: Path, count: int) -> Path:
    """The shipped content with its 12 cases replaced by `count` generated ones."""
    content = work / f"content-{count}"
    shutil.rmtree(content, ignore_errors=True)
    shutil.copytree(CONTENT, content, ignore=shutil.ignore_patterns("cases"))
    (content / "cases").mkdir()
    template = (CONTENT / "cases" / TEMPLATE_CASE).read_text(encoding="utf-8")
    slug, title = TEMPLATE_CASE[:-3], next(t for s, t in case_list(CONTENT) if s == TEMPLATE_CASE[:-3])
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


def bench_site(plan: Plan, work: Path) -> dict:
    progress(f"site scale: {', '.join(map(str, plan.pages))} case pages, ours and bare, "
             f"{plan.site_rounds} rounds")
    bare = bare_settings(work, "simple")
    variants = []
    for count in plan.pages:
        content = scaled_content(work, count)
        variants += [Variant(f"ours-{count}", SETTINGS, content), Variant(f"bare-{count}", bare, content)]
    times = time_builds(variants, plan.site_rounds, work, warmup=False)
    rows = []
    for count in plan.pages:
        ours, bare_walls = times["wall"][f"ours-{count}"], times["wall"][f"bare-{count}"]
        pages = sum(1 for _ in (work / f"out-ours-{count}").rglob("*.html"))
        rows.append({"cases": count, "pages": pages, "ours": median(ours), "bare": median(bare_walls),
                     "ours_cpu": median(times["cpu"][f"ours-{count}"]), "bare_cpu": median(times["cpu"][f"bare-{count}"]),
                     "ratio_cpu": paired_ratio(times["cpu"][f"ours-{count}"], times["cpu"][f"bare-{count}"]),
                     "ours_processing": median(times["processing"][f"ours-{count}"]),
                     "bare_processing": median(times["processing"][f"bare-{count}"]),
                     "ratio": paired_ratio(ours, bare_walls)})
    for count in plan.pages:
        shutil.rmtree(work / f"out-ours-{count}", ignore_errors=True)
        shutil.rmtree(work / f"out-bare-{count}", ignore_errors=True)
    return {"rows": rows, "rounds": plan.site_rounds}


# --------------------------------------------------------------------------- weight

EXECUTABLE_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module",
                           "text/ecmascript", "application/ecmascript"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


class Resources(html.parser.HTMLParser):
    """What a browser fetches for a page (not what it merely links to)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stylesheets: list[str] = []
        self.images: list[str] = []
        self.scripts: list[str] = []        # executable: src or inline
        self.data_blocks: list[str] = []    # <script type="application/ld+json"> and the like
        self.other: list[str] = []          # iframes, fonts, icons, preloads, media
        self.inline_css: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        rel = a.get("rel", "").lower().split()
        if tag == "link" and "stylesheet" in rel and a.get("href"):
            self.stylesheets.append(a["href"])
        elif tag == "link" and set(rel) & {"icon", "preload", "prefetch", "manifest", "modulepreload",
                                            "apple-touch-icon", "preconnect", "dns-prefetch"} and a.get("href"):
            self.other.append(a["href"])
        elif tag == "script":
            kind = a.get("type", "").strip().lower()
            target = self.scripts if kind in EXECUTABLE_SCRIPT_TYPES else self.data_blocks
            target.append(a.get("src") or f"inline {kind or 'script'}")
        elif tag in ("img", "source", "input") and (a.get("src") or a.get("srcset")):
            if tag == "input" and a.get("type") != "image":
                return
            for candidate in filter(None, [a.get("src")] + [c.split()[0] for c in a.get("srcset", "").split(",") if c.strip()]):
                self.images.append(candidate)
        elif tag in ("iframe", "embed", "object", "video", "audio", "track"):
            for key in ("src", "data", "poster"):
                if a.get(key):
                    self.other.append(a[key])
        elif tag == "style":
            self._in_style = True
        if a.get("style"):
            self.inline_css.append(a["style"])

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.inline_css.append(data)


def is_third_party(url: str, origin: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.netloc) and parts.netloc != urlsplit(origin).netloc


def local_file(output: Path, page: Path, url: str, origin: str) -> Path | None:
    parts = urlsplit(url)
    if (parts.scheme or parts.netloc) and parts.netloc != urlsplit(origin).netloc:
        return None
    base = "/" + page.relative_to(output).as_posix()
    path = urlsplit(urljoin(base, parts.path)).path.lstrip("/")
    target = output / path
    return target if target.is_file() else None


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


# Stand-ins for the shipped example values, which a public build refuses: the
# benchmark weighs the site as an organizer publishes it, with counts.
BENCH_EVENT = {"group": "Amnesty International Group 42", "organizer": "Robin Writer",
               "rsvp_email": "letters@w4r-group42.org", "venue": "Library hall, Jefferson Market Library",
               "address": "425 Avenue of the Americas, New York, NY 10011, USA"}


def publish_site(output: Path, origin: str) -> Path:
    """The site as `invoke preview` / `publish` build it (publishconf.py),
    with SITEURL set to where the benchmark serves it, so that its absolute
    addresses (stylesheets, canonical links) point at the server; its own
    event facts (BENCH_EVENT) and the example counts, so the results page is there."""
    content = output.parent / "published-content"
    shutil.copytree(CONTENT, content)
    shutil.copy(CONTENT / "data" / "tally.example.csv", content / "data" / "tally.csv")
    settings = output.parent / "benchconf.py"
    settings.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom publishconf import *  # noqa\n"
                        f"EVENT = {{**EVENT, **{BENCH_EVENT!r}}}  # noqa\nAUTHOR = EVENT['group']\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pelican", str(content), "--settings", str(settings),
         "--output", str(output), "--fatal", "errors"],
        cwd=ROOT, env={**os.environ, "SITEURL": origin, "COLUMNS": "400"}, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"the published build failed:\n{done.stdout}\n{done.stderr}")
    return output


def bench_weight(output: Path, origin: str) -> dict:
    progress("weight: every page of the published site")
    pages = []
    for page in sorted(output.rglob("*.html")):
        data = page.read_bytes()
        found = Resources()
        found.feed(data.decode("utf-8", errors="replace"))
        css_files, image_urls, requests = [], list(found.images), []
        for url in found.stylesheets:
            requests.append(url)
            target = local_file(output, page, url, origin)
            if target:
                css_files.append(target)
        css_text = "".join(f.read_text(encoding="utf-8", errors="replace") for f in css_files)
        css_text += "".join(found.inline_css)
        for match in CSS_URL.finditer(css_text):
            url = match.group(1) or match.group(2)
            if not url.startswith("data:"):
                (image_urls if re.search(r"\.(png|jpe?g|gif|svg|webp|avif|ico)$", url, re.I) else requests).append(url)
        image_files = [t for t in (local_file(output, page, u, origin) for u in image_urls) if t]
        requests += image_urls + [s for s in found.scripts if not s.startswith("inline")] + found.other
        css_bytes = [f.read_bytes() for f in css_files]
        image_bytes = [f.read_bytes() for f in image_files]
        html_gz, css_gz = gzipped(data), sum(gzipped(b) for b in css_bytes)
        images_raw = sum(len(b) for b in image_bytes)
        images_gz = sum(gzipped(b) for b in image_bytes)
        pages.append({
            "page": page.relative_to(output).as_posix(),
            "html": len(data), "css": sum(len(b) for b in css_bytes), "images": images_raw,
            "html_gz": html_gz, "css_gz": css_gz, "images_gz": images_gz,
            "gz_without_images": html_gz + css_gz,
            "scripts": len(found.scripts), "data_blocks": len(found.data_blocks),
            "requests": 1 + len(requests),
            "third_party": sorted({u for u in requests if is_third_party(u, origin)}),
        })
    return {
        "pages": pages,
        "size_pass": bool(pages) and all(p["gz_without_images"] < PAGE_BUDGET_BYTES for p in pages),
        "scripts_pass": bool(pages) and all(p["scripts"] == 0 for p in pages),
        "third_party_pass": bool(pages) and all(not p["third_party"] for p in pages),
    }


# --------------------------------------------------------------------------- Lighthouse

class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def lighthouse_missing() -> str | None:
    if not LIGHTHOUSE.exists():
        return f"{LIGHTHOUSE.relative_to(ROOT)} is not installed (run `npm ci`)"
    if not shutil.which("node"):
        return "node is not installed"
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chrome).exists():
        return "Chromium is not installed (apt-get install chromium, or set CHROME_PATH)"
    return None


def start_server(folder: Path) -> ThreadingHTTPServer:
    """Serve `folder` over http on 127.0.0.1 from a thread (the folder may be filled later)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def bench_lighthouse(plan: Plan, origin: str, work: Path) -> dict:
    if plan.lighthouse_runs <= 0:
        return {"measured": False, "reason": "skipped (--quick or --no-lighthouse)"}
    missing = lighthouse_missing()
    if missing:
        return {"measured": False, "reason": missing}
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    version = json.loads((ROOT / "node_modules" / "lighthouse" / "package.json").read_text())["version"]
    progress(f"Lighthouse {version} ({plan.preset}): {', '.join(LIGHTHOUSE_PAGES)}, {plan.lighthouse_runs} runs each")
    scores = {page: {c: [] for c in CATEGORIES} for page in LIGHTHOUSE_PAGES}
    findings: dict[str, dict[str, list[str]]] = {page: {} for page in LIGHTHOUSE_PAGES}
    errors: list[str] = []
    for run in range(plan.lighthouse_runs):
        for page in rotated(list(LIGHTHOUSE_PAGES), run):
            url = origin + LIGHTHOUSE_PAGES[page]
            report_path = work / "lighthouse.json"
            command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report_path}",
                       f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"]
            if plan.preset == "desktop":
                command.append("--preset=desktop")
            try:
                done = subprocess.run(command, env={**os.environ, "CHROME_PATH": chrome},
                                      capture_output=True, text=True, timeout=240)
            except subprocess.TimeoutExpired:
                errors.append(f"{page}: timed out after 240 s")
                continue
            if done.returncode != 0 or not report_path.exists():
                errors.append(f"{page}: exit {done.returncode}: {(done.stderr or done.stdout).strip()[-300:]}")
                continue
            report = json.loads(report_path.read_text(encoding="utf-8"))
            report_path.unlink()
            for category in CATEGORIES:
                score = report["categories"].get(category, {}).get("score")
                if score is not None:
                    scores[page][category].append(round(score * 100))
            findings[page] = lighthouse_findings(report)
    medians = {page: {c: (median(v) if v else None) for c, v in cats.items()} for page, cats in scores.items()}
    if all(v is None for cats in medians.values() for v in cats.values()):
        return {"measured": False, "reason": "every Lighthouse run failed: " + "; ".join(errors[:3])}
    return {
        "measured": True, "version": version, "preset": plan.preset, "runs": plan.lighthouse_runs,
        "scores": medians, "findings": findings, "errors": errors,
        "pass": all(v == 100 for cats in medians.values() for v in cats.values()),
    }


def lighthouse_findings(report: dict) -> dict[str, list[str]]:
    """For each category under 100: the weighted audits that lost it points."""
    findings = {}
    for category in CATEGORIES:
        data = report["categories"].get(category)
        if not data or data.get("score") == 1:
            continue
        lost = []
        for ref in data.get("auditRefs", []):
            audit = report["audits"].get(ref["id"], {})
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                detail = ""
                items = (audit.get("details") or {}).get("items") or []
                urls = sorted({str(i.get("url") or (i.get("sourceLocation") or {}).get("url") or "")
                               for i in items if isinstance(i, dict)} - {""})
                if urls:
                    detail = f" ({', '.join(urls[:3])})"
                lost.append(f"{audit.get('title', ref['id'])} [{ref['id']}, score {audit['score']}]{detail}")
        findings[category] = lost
    return findings


# --------------------------------------------------------------------------- report

def verdict(passed: bool | None) -> str:
    return "not measured" if passed is None else ("PASS" if passed else "MISS")


def kb(n: float) -> str:
    return f"{n / 1000:.1f}"


def table(headers: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines


def report(info: dict, plan: Plan, build: dict, tally: dict, site: dict, weight: dict,
           lighthouse: dict, seconds: float) -> str:
    out: list[str] = []
    add = out.append
    add("# Benchmarks")
    add("")
    add(f"Written by `invoke bench` (bench/bench.py){' in --quick mode: tiny inputs, single runs' if plan.quick else ''}. "
        "Every time is the median of several runs; A and B runs were interleaved in one run "
        "(in a rotating order) and each ratio is the median of the per-round ratios, so ratios "
        "hold on a busy machine. Sizes are decimal: 1 KB = 1,000 bytes, 1 MB = 1,000,000 bytes.")
    add("")
    add("## Machine")
    add("")
    out += table(["", ""], [
        ["date", info["date"]], ["code measured", f"commit {info['code']}"], ["CPU", info["cpu"]], ["cores", info["cores"]], ["memory", info["memory"]],
        ["OS", info["os"]], ["Python", info["python"]], ["Pelican", info["pelican"]],
        ["Markdown / typogrify", f"{info['markdown']} / {info['typogrify']}"],
        ["load average before / after", f"{info['load_before']} / {info['load_after']}"],
        ["this run took", f"{seconds:.0f} s"],
    ])
    add("")

    # budgets
    largest = tally["sizes"][-1]
    core_rss = largest["memory"]["core"]["rss"]["peak_kib"] * 1024 / MB
    worst_page = max(weight["pages"], key=lambda p: p["gz_without_images"])
    scripts = sum(p["scripts"] for p in weight["pages"])
    third = sorted({u for p in weight["pages"] for u in p["third_party"]})
    if lighthouse["measured"]:
        lows = [f"{page} {c} {v}" for page, cats in lighthouse["scores"].items()
                for c, v in cats.items() if v != 100]
        lh_figure = "all 100" if not lows else "; ".join(lows)
        lh_pass = lighthouse["pass"]
    else:
        lh_figure, lh_pass = f"not measured: {lighthouse['reason']}", None
    tally_note = "" if tally["ratio_pass"] is not None else f" (this run stopped at {largest['rows']:,} rows)"
    add("## Budgets")
    add("")
    out += table(["budget", "figure", "verdict"], [
        [f"our build within {BUILD_RATIO_BUDGET:.2f}x of a bare Pelican build",
         f"{build['ratio_wall']:.2f}x ({build['median_wall']['ours']:.2f} s vs {build['median_wall']['bare-simple']:.2f} s)",
         verdict(build["pass"])],
        [f"10^6 rows read in under {TALLY_RATIO_BUDGET:.0f}x the bare csv.reader loop",
         f"{largest['ratio']:.2f}x at {largest['rows']:,} rows ({largest['core']:.2f} s vs {largest['csv']:.2f} s){tally_note}",
         verdict(tally["ratio_pass"])],
        [f"10^6 rows read in under {TALLY_MEMORY_BUDGET_MB} MB",
         f"{core_rss:.0f} MB peak resident at {largest['rows']:,} rows{tally_note}",
         verdict(tally["memory_pass"])],
        [f"every page under {PAGE_BUDGET_BYTES // 1000} KB gzipped without images",
         f"largest {worst_page['page']}: {kb(worst_page['gz_without_images'])} KB",
         verdict(weight["size_pass"])],
        ["zero scripts", f"{scripts} executable scripts on {len(weight['pages'])} pages", verdict(weight["scripts_pass"])],
        ["zero third-party requests", f"{len(third)}" + (f": {', '.join(third[:5])}" if third else ""),
         verdict(weight["third_party_pass"])],
        ["Lighthouse 100 in all four categories", lh_figure, verdict(lh_pass)],
    ])
    add("")

    # 1. build
    add("## 1. Build")
    add("")
    add(f"Whole builds, each in a fresh `python -m pelican ... --fatal errors` subprocess (what the organizer "
        f"waits for), {build['rounds']} interleaved rounds{' after one warm-up round' if plan.warmup else ''}. "
        "\"processing\" is Pelican's own figure from its \"Done: Processed ... in N seconds\" line: the build "
        "without interpreter start-up, imports, settings and plugin loading.")
    add("")
    add("- **ours**: the shipped content with pelicanconf.py (our theme, our plugins).")
    add("- **bare (simple)**: the same content and pelicanconf.py (same Markdown, typogrify, URL and "
        "template settings) with Pelican's stock `simple` theme and `PLUGINS = []`; our templates "
        "`home`, `cases`, `case` and `404` are one-line aliases of the stock `page.html`, and "
        "JINJA_ENVIRONMENT is Pelican's default (the stock themes are not written for autoescape); "
        "the stock menu of all pages (DISPLAY_PAGES_ON_MENU) is off, as our theme has no such menu "
        "and with it on the stock build grows with the square of the pages (it took 40 s at 1,200 cases). "
        "The budget is held against this one.")
    add("- Pelican's default theme, notmyidea, cannot build this content as it is: it prints "
        "`article.category`, and our settings give the results post none. `simple` is also the "
        "cheapest stock theme (no static files to copy), so it is the stricter baseline.")
    add("- **rebuild after a CSV change**: a copy of the content whose tally.csv gets a new row before each "
        "build, built as `invoke build` does (into a new folder, then swapped in). Every build starts from "
        "scratch (no content cache), so a CSV change costs a whole build.")
    add("")
    labels = {"ours": "ours", "bare-simple": "bare (simple)", "rebuild-after-csv-change": "rebuild after a CSV change"}
    out += table(["build", "wall (median)", "processing (median)", "start-up and the rest (wall - processing)",
                  "CPU, user + system (median)"],
                 [[labels[k], f"{build['median_wall'][k]:.3f} s", f"{build['median_processing'][k]:.3f} s",
                   f"{build['median_wall'][k] - build['median_processing'][k]:.3f} s",
                   f"{build['median_cpu'][k]:.3f} s"] for k in labels])
    add("")
    add(f"Ratio ours / bare (simple): **{build['ratio_wall']:.2f}x** wall (the budget's figure), "
        f"{build['ratio_cpu']:.2f}x CPU, {build['ratio_processing']:.2f}x processing. "
        f"Budget {BUILD_RATIO_BUDGET:.2f}x: "
        f"**{verdict(build['pass'])}**.")
    extra_wall = build["median_wall"]["ours"] - build["median_wall"]["bare-simple"]
    extra_proc = build["median_processing"]["ours"] - build["median_processing"]["bare-simple"]
    add("")
    add(f"{'Why it misses' if not build['pass'] else 'Where the difference is'}: ours takes "
        f"{extra_wall * 1000:.0f} ms more per build (medians), {extra_proc * 1000:.0f} ms of it in Pelican's "
        f"processing (our templates, the tally, the plugins' generators) and {(extra_wall - extra_proc) * 1000:.0f} ms "
        f"before it (start-up: importing and registering our plugins). Under `python -X importtime` "
        f"(median of {build['startup']['runs']} builds) our builds spent {build['startup']['plugins_ms']:.0f} ms "
        f"importing our plugins ({', '.join(sorted(p.name for p in PLUGINS.iterdir() if (p / 'pyproject.toml').exists()))}) "
        "and what they import first; the slowest top-level imports (cumulative):")
    add("")
    out += table(["module", "cumulative import"],
                 [[f"`{name}`", f"{us / 1000:.0f} ms"] for us, name in build["startup"]["imports"]])
    add("")

    # 2. tally
    add("## 2. Tally scale")
    add("")
    add("Generated CSVs (seeded) with the 12 shipped cases, random counts, empty cells, two note columns "
        "and mixed spellings (name, file name, capitals, without accents). "
        "**core** is `tally.core.read_tally` (in this process, timed with perf_counter); **csv** is a bare "
        "`csv.reader` loop summing the same three columns of the same file; both must reach the same sums. "
        "Memory: **peak RSS** is the peak resident set (VmHWM in /proc/self/status; not ru_maxrss, which on "
        "Linux also counts the parent's size at the fork) of a fresh child process that does one read (the whole "
        "process: interpreter, imports and the read; the budget is held against this).")
    add("")
    rows = []
    for s in tally["sizes"]:
        m = s["memory"]
        rows.append([f"{s['rows']:,}", f"{s['bytes'] / MB:.2f}", s["reps"], f"{s['core']:.4f}", f"{s['csv']:.4f}",
                     f"{s['ratio']:.2f}x", f"{s['core'] / s['rows'] * 1e6:.2f}", f"{s['csv'] / s['rows'] * 1e6:.2f}",
                     f"{m['core']['rss']['peak_kib'] * 1024 / MB:.0f}", f"{m['csv']['rss']['peak_kib'] * 1024 / MB:.0f}"])
    out += table(["rows", "file MB", "runs", "core s", "csv s", "core/csv", "core µs/row", "csv µs/row",
                  "core peak RSS MB", "csv peak RSS MB"], rows)
    add("")
    baseline = tally["sizes"][-1]["memory"]["core"]["rss"]["before_kib"] * 1024 / MB
    add(f"A child process holds {baseline:.0f} MB before it reads anything (interpreter and imports). "
        f"Growth: the core's time per row varies by {tally['per_row_spread']:.2f}x across the sizes from "
        f"{tally['growth_from']:,} rows up (smaller files are dominated by fixed costs): "
        f"**{'linear' if tally['linear'] else 'not linear'}** (linear: within 1.5x).")
    add("")
    add(f"Where the core's time goes (cProfile of one read_tally of {tally['profile_rows']:,} rows, "
        "a size whose time per row matches the largest one's; cProfile slows the run, so the shares matter, "
        "not the seconds):")
    add("")
    out += table(["function", "calls", "own time s", "share", "cumulative s"],
                 [[f"`{r['function']}`", f"{r['calls']:,}", f"{r['tottime']:.2f}", f"{r['share'] * 100:.0f} %",
                   f"{r['cumtime']:.2f}"] for r in tally["profile"]])
    add("")
    if tally["ratio_pass"] is False:
        top = ", ".join(f"`{r['function']}` {r['share'] * 100:.0f} %" for r in tally["profile"][:5])
        add(f"**MISS (time)**: at {largest['rows']:,} rows the core takes {largest['ratio']:.1f}x the bare loop, "
            f"{(largest['core'] - largest['csv']) / largest['rows'] * 1e6:.1f} µs more per row. The bare loop's "
            "work (csv parsing, three int()) is a small part of it: the time goes to Python work done again "
            f"on every row. Own time, largest first: {top}.")
        add("")
    if tally["memory_pass"] is False:
        anatomy = tally["anatomy"]
        done = [f"{what}: {size / MB:.0f} MB" for what, size, in_core in anatomy if in_core]
        add(f"**MISS (memory)**: at {largest['rows']:,} rows the core peaks at {core_rss:.0f} MB resident "
            f"for a {largest['bytes'] / MB:.0f} MB file, "
            f"{(core_rss - baseline) * MB / largest['bytes']:.1f}x its size above the start-up's {baseline:.0f} MB, against "
            f"{largest['memory']['csv']['rss']['peak_kib'] * 1024 / MB:.0f} MB resident for the bare loop, which "
            "streams the file. The core holds the whole file in memory several times over; measured with "
            "tracemalloc on this file, the steps core.py's source takes cost: " + "; ".join(done) + ".")
        add("")

    # 3. site
    add("## 3. Site scale")
    add("")
    add(f"The shipped content copied to a temporary folder with its 12 cases replaced by N generated case pages "
        f"(from content/cases/{TEMPLATE_CASE}, unique titles and slugs, and a CSV row per case), "
        f"built whole in fresh subprocesses, {site['rounds']} interleaved rounds; bare is the bare (simple) build above.")
    add("")
    out += table(["cases", "pages written", "ours wall", "ours CPU", "ours processing",
                  "ms per case page (processing)", "bare wall", "bare CPU", "ours / bare (wall)", "ours / bare (CPU)"],
                 [[f"{r['cases']:,}", f"{r['pages']:,}", f"{r['ours']:.2f} s", f"{r['ours_cpu']:.2f} s",
                   f"{r['ours_processing']:.2f} s", f"{r['ours_processing'] / r['cases'] * 1000:.1f}",
                   f"{r['bare']:.2f} s", f"{r['bare_cpu']:.2f} s", f"{r['ratio']:.2f}x", f"{r['ratio_cpu']:.2f}x"]
                  for r in site["rows"]])
    if len(site["rows"]) > 1:
        first, last = site["rows"][0], site["rows"][-1]
        growth = (last["ours_cpu"] / last["cases"]) / (first["ours_cpu"] / first["cases"])
        add("")
        add(f"From {first['cases']:,} to {last['cases']:,} cases our build's CPU time grows "
            f"{last['ours_cpu'] / first['ours_cpu']:.1f}x for {last['cases'] / first['cases']:.0f}x the cases; "
            f"per case it is {growth:.2f}x what it was (below 1: the fixed start-up is shared; well above 1: "
            "something grows faster than the number of pages).")
    add("")

    # 4. weight
    add("## 4. Weight")
    add("")
    add("Every HTML page of the site as published (publishconf.py, with SITEURL set to the local server "
        "used for Lighthouse). CSS is every stylesheet the page "
        "links (print.css too: browsers fetch it), images are the images it or its CSS load; each file "
        "gzipped on its own at level 6, as a server would send it. Scripts counts executable `<script>` "
        "elements; a data block such as JSON-LD (`application/ld+json`) runs nothing and is counted "
        "apart. Requests are the page plus everything it makes the browser fetch; third-party ones "
        "go to another host.")
    add("")
    out += table(["page", "HTML", "CSS", "images", "HTML gz", "CSS gz", "images gz", "gz without images",
                  "scripts", "data blocks", "requests", "third-party"],
                 [[p["page"], kb(p["html"]), kb(p["css"]), kb(p["images"]), kb(p["html_gz"]), kb(p["css_gz"]),
                   kb(p["images_gz"]), f"**{kb(p['gz_without_images'])}**", p["scripts"], p["data_blocks"],
                   p["requests"], len(p["third_party"])] for p in weight["pages"]])
    add("")
    add("(KB; budget: under 30 KB gzipped without images, zero scripts, zero third-party requests.)")
    add("")

    # 5. Lighthouse
    add("## 5. Lighthouse")
    add("")
    if lighthouse["measured"]:
        add(f"Lighthouse {lighthouse['version']} from node_modules with Debian Chromium, "
            f"{'the desktop preset' if lighthouse['preset'] == 'desktop' else 'the default mobile settings (simulated slow 4G and CPU throttling; stricter than --preset=desktop)'}, "
            f"headless, against the site as published (publishconf.py, SITEURL set to the server's address, so "
            f"its absolute links and canonical addresses point at it) served by Python's http.server on "
            f"127.0.0.1 from a thread (no compression, no cache headers); median of {lighthouse['runs']} runs per page.")
        add("")
        out += table(["page", *CATEGORIES],
                     [[page, *[("n/a" if v is None else f"{v:.0f}") for v in cats.values()]]
                      for page, cats in lighthouse["scores"].items()])
        add("")
        lost = [(page, cat, items) for page, f in lighthouse["findings"].items() for cat, items in f.items() if items]
        if lost:
            add("What cost points (the last run of each page):")
            add("")
            for page, cat, items in lost:
                add(f"- {page}, {cat}: " + "; ".join(items))
            add("")
        if lighthouse["errors"]:
            add("Runs that failed: " + "; ".join(lighthouse["errors"]))
            add("")
    else:
        add(f"Not measured: {lighthouse['reason']}.")
        add("")
    return "\n".join(out).rstrip() + "\n"


# --------------------------------------------------------------------------- main

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Benchmarks for the event site (see BENCHMARKS.md).")
    parser.add_argument("--quick", action="store_true",
                        help="tiny inputs and single runs (10^2 rows, 12 and 120 case pages, no Lighthouse)")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md", help="where to write the report")
    parser.add_argument("--rows", help="tally sizes, comma-separated (default 1000,10000,100000,1000000)")
    parser.add_argument("--pages", help="case-page counts for the site-scale builds (default 12,120,1200)")
    parser.add_argument("--repeat", type=int, help="runs per figure, for every figure")
    parser.add_argument("--lighthouse-runs", type=int, help="Lighthouse runs per page (default 3)")
    parser.add_argument("--no-lighthouse", action="store_true", help="skip Lighthouse")
    parser.add_argument("--preset", choices=["mobile", "desktop"], default="mobile",
                        help="Lighthouse settings: mobile (its default) or desktop")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--child-memory", nargs=2, metavar=("READER", "CSV"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_memory:
        child_memory(*args.child_memory)
        return 0

    plan = make_plan(args)
    started = time.perf_counter()
    info = machine()
    work = Path(tempfile.mkdtemp(prefix="w4r-bench-"))
    try:
        build = bench_build(plan, work)
        tally = bench_tally(plan, work)
        site = bench_site(plan, work)
        published = work / "published"
        server = start_server(published)
        try:
            origin = f"http://127.0.0.1:{server.server_address[1]}"
            progress(f"the published site (publishconf.py, SITEURL={origin})")
            publish_site(published, origin)
            weight = bench_weight(published, origin)
            lighthouse = bench_lighthouse(plan, origin, work)
        finally:
            server.shutdown()
            server.server_close()
        info["load_after"] = _load()
        text = report(info, plan, build, tally, site, weight, lighthouse, time.perf_counter() - started)
    finally:
        if args.keep:
            progress(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    progress(f"wrote {args.output} in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
