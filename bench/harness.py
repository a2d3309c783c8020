"""What every scenario shares: the plan (how much to run), timing A and B
interleaved, one build in a fresh `python -m pelican`, the machine's
description, and the published site served for the browser scenarios.

Standard library only, so the tally scenario's memory child stays small.
"""

from __future__ import annotations

import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SETTINGS = ROOT / "pelicanconf.py"
PLUGINS = ROOT / "plugins"  # one folder per installable plugin: plugins/<name>/pelican/plugins/<name>/
MB = 1_000_000  # decimal units throughout: 1 KB = 1,000 bytes
DONE = re.compile(r"Processed.*?in\s+([\d.]+)\s+seconds", re.S)


@dataclass
class Plan:
    quick: bool
    build_rounds: int
    warmup: bool
    rows: list[int]
    tally_reps: dict[int, int]
    pages: list[int]
    site_rounds: int
    lighthouse_runs: int  # 0: skipped
    preset: str  # "mobile" (Lighthouse's default) or "desktop"


def make_plan(args) -> Plan:
    if args.quick:
        plan = Plan(
            quick=True,
            build_rounds=1,
            warmup=False,
            rows=[100],
            tally_reps={100: 1},
            pages=[12, 120],
            site_rounds=1,
            lighthouse_runs=0,
            preset=args.preset,
        )
    else:
        rows = [1_000, 10_000, 100_000, 1_000_000]
        plan = Plan(
            quick=False,
            build_rounds=15,
            warmup=True,
            rows=rows,
            tally_reps={1_000: 21, 10_000: 11, 100_000: 5, 1_000_000: 3},
            pages=[12, 120, 1200],
            site_rounds=3,
            lighthouse_runs=3,
            preset=args.preset,
        )
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


@dataclass
class Run:
    """One benchmark run: its plan, its scratch folder, and what scenarios share."""

    plan: Plan
    work: Path
    results: dict = field(default_factory=dict)  # scenario name -> its result, for the ones after it
    origin: str = ""  # where the published site is served, once a scenario asked for it
    _server: object = None

    def published_site(self) -> str:
        """The site as `invoke preview` builds it, served on 127.0.0.1; its origin."""
        if not self._server:
            from support.static_server import StaticServer

            published = self.work / "published"
            self._server = StaticServer(published)
            self.origin = self._server.origin
            progress(f"the published site (publishconf.py, SITEURL={self.origin})")
            publish_site(published, self.origin)
        return self.origin

    def close(self) -> None:
        if self._server:
            self._server.close()


# Stand-ins for the shipped example values, which a public build refuses: the
# benchmark weighs the site as an organizer publishes it, with counts. (The
# shipped date, city and goal stay, marked as no longer examples.)
BENCH_EVENT = {
    "group": "Amnesty International Group 42",
    "organizer": "Robin Writer",
    "rsvp_email": "letters@w4r-group42.org",
    "venue": "Library hall, Jefferson Market Library",
    "address": "425 Avenue of the Americas, New York, NY 10011, USA",
}


def publish_site(output: Path, origin: str) -> Path:
    """The site as `invoke preview` / `publish` build it (publishconf.py),
    with SITEURL set to where the benchmark serves it, so that its absolute
    addresses (stylesheets, canonical links) point at the server; its own
    event facts (BENCH_EVENT) and the example counts, so the results page is there."""
    content = output.parent / "published-content"
    shutil.copytree(CONTENT, content)
    # The example counts as the site's own: moved, since a copy beside the
    # example file is refused as example numbers.
    shutil.move(content / "data" / "tally.example.csv", content / "data" / "tally.csv")
    settings = output.parent / "benchconf.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom publishconf import *  # noqa\n"
        f"EVENT = {{**EVENT, **{BENCH_EVENT!r}}}  # noqa\nAUTHOR = EVENT['group']\nEVENT_EXAMPLE_FACTS = []\n"
        # Served on this computer: its address may be one of this computer's.
        "EVENT_PREVIEW_SITEURL = SITEURL  # noqa\n",
        encoding="utf-8",
    )
    arguments = [str(content), "--settings", str(settings), "--output", str(output), "--fatal", "errors"]
    env = {**os.environ, "SITEURL": origin, "COLUMNS": "400"}
    done = subprocess.run(
        [sys.executable, "-m", "pelican", *arguments], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"the published build failed:\n{done.stdout}\n{done.stderr}")
    return output


def progress(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def median(values):
    return statistics.median(values) if values else float("nan")


def rotated(items: list, round_number: int) -> list:
    """A different order every round, so no variant always runs first."""
    shift = round_number % len(items)
    order = items[shift:] + items[:shift]
    return order if round_number % 2 == 0 else order[::-1]


def paired_ratio(a: list[float], b: list[float]) -> float:
    """Median of the per-round ratios a/b: each pair ran side by side."""
    return median([x / y for x, y in zip(a, b)])


# --------------------------------------------------------------------------- builds


@dataclass
class Variant:
    """One way of building: a settings file, and a content folder."""

    name: str
    settings: Path
    content: Path
    staged: bool = False  # build beside the output and swap it in, as `invoke build`
    before: object = None  # called (untimed) before each timed build


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
        '{% extends "base.html" %}{% block content %}<h1>Page not found</h1>{% endblock %}\n', encoding="utf-8"
    )
    (templates / "live.html").write_text('{% extends "404.html" %}\n', encoding="utf-8")
    settings = folder / "bareconf.py"
    shutil.copy(SETTINGS.with_name("event.toml"), folder / "event.toml")  # read beside the settings
    settings.write_text(
        f"# Generated by the benchmarks: {SETTINGS.name} with a stock theme and no plugins.\n"
        f"import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        f"exec(compile(open({str(SETTINGS)!r}, encoding='utf-8').read(), {str(SETTINGS)!r}, 'exec'))\n"
        f"THEME = {theme!r}\n"
        f"THEME_TEMPLATES_OVERRIDES = [{str(templates)!r}]\n"
        f"PLUGINS = []\n"
        f"PLUGIN_PATHS = []\n"
        f"JINJA_ENVIRONMENT = DEFAULT_CONFIG['JINJA_ENVIRONMENT']\n"
        f"DISPLAY_PAGES_ON_MENU = False\n",
        encoding="utf-8",
    )
    return settings


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _swap_build(command: list[str], output: Path, work: Path, env: dict) -> subprocess.CompletedProcess:
    """What `invoke build` (and so every live reload) does: build beside, then swap in."""
    staging = Path(tempfile.mkdtemp(prefix=".output-new-", dir=work))
    done = subprocess.run(command + [str(staging)], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode == 0:
        retired = work / ".output-old"
        output.rename(retired)
        staging.rename(output)
        shutil.rmtree(retired)
    return done


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
    command = [
        sys.executable,
        "-m",
        "pelican",
        str(variant.content),
        "--settings",
        str(variant.settings),
        "--fatal",
        "errors",
        "--log-handler",
        "plain",
        "--output",
    ]
    env = {**os.environ, "COLUMNS": "400"}
    cpu_before = children_cpu()
    started = time.perf_counter()
    if variant.staged:
        done = _swap_build(command, output, work, env)
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
    times = {kind: {v.name: [] for v in variants} for kind in ("wall", "processing", "cpu")}
    for round_number in range(rounds):
        for variant in rotated(variants, round_number):
            for kind, value in zip(("wall", "processing", "cpu"), run_build(variant, work)):
                times[kind][variant.name].append(value)
    return times


# --------------------------------------------------------------------------- the machine


def machine() -> dict:
    from importlib.metadata import version

    return {
        "cpu": _cpu(),
        "cores": os.cpu_count(),
        "memory": _memory(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "pelican": version("pelican"),
        "markdown": version("markdown"),
        "typogrify": version("typogrify"),
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "load_before": load(),
        "code": _code_version(),
    }


def _proc_field(file: str, name: str) -> str | None:
    """The value after `name` in /proc/<file>, or None off Linux."""
    try:
        for line in Path("/proc", file).read_text().splitlines():
            if line.startswith(name):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def _cpu() -> str:
    return _proc_field("cpuinfo", "model name") or platform.processor() or platform.machine()


def _memory() -> str:
    total = _proc_field("meminfo", "MemTotal:")
    return f"{int(total.split()[0]) / 1024 / 1024:.1f} GiB" if total else "unknown"


def _code_version() -> str:
    """The commit measured, and whether the work tree differed from it."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        changes = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    changes = [line for line in changes if not line.endswith("BENCHMARKS.md")]
    return commit + (f" with {len(changes)} changed files not committed" if changes else " (clean)")


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


# --------------------------------------------------------------------------- report pieces


def verdict(passed: bool | None) -> str:
    return "not measured" if passed is None else ("PASS" if passed else "MISS")


def kb(n: float) -> str:
    return f"{n / 1000:.1f}"


def table(headers: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines


def site_cases(content: Path = CONTENT) -> list[tuple[str, str]]:
    """(slug, title) of every case of `content`, in the site's order, as the
    tally plugin reads them (its public API; imported here, not at the top,
    to keep Pelican out of the tally scenario's memory child)."""
    from pelican.plugins.tally import api
    from pelican.settings import read_settings

    settings = read_settings(str(SETTINGS), override={"PATH": str(content)})
    return [(case["slug"], case["title"]) for case in (c.as_dict() for c in api.read_tally(settings).cases)]
