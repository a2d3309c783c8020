"""Benchmarks for the event site: `invoke bench` runs this script.

Nine figures, each the median of several runs, with A and B runs interleaved
in one process so that ratios hold on a noisy machine:

1. build:       our full build vs a bare Pelican build of the same Markdown,
                and the rebuild after changing only the tally CSV;
2. tally scale: tally.reading.read_tally vs a bare csv.reader loop, 10^3..10^6 rows;
3. site scale:  builds with 12, 120 and 1,200 generated case pages;
4. weight:      bytes per page (HTML + CSS + images, raw and gzipped), scripts,
                third-party requests;
5. Lighthouse:  the four category scores for three pages;
6. live loop:   save-to-served latency of `make serve`, cold builds, warm rebuilds per case page;
7. count desk:  20 phones adding at once, each add's time to the live page of `make serve`.
8. section mode: a site of 10, 100 and 1,000 groups' files vs a bare build of as many pages.
9. a saved tally at scale: save-to-served at 12 and 1,200 case pages vs a full build of each.

It prints the report and writes it to BENCHMARKS.md (or --output). Each
scenario is a module of this package (see bench/__init__.py for how to add one).

    python bench/bench.py               # the full run (a few minutes)
    python bench/bench.py --quick       # a tiny run: seconds, no Lighthouse
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

# Run as a script, this folder is first on sys.path: put the project there instead,
# so that `bench` is this package and `organizer` imports, and the tests' folder
# for the helpers the benchmarks share with the tests (tests/support/).
_ROOT = Path(__file__).resolve().parent.parent
sys.path[:1] = [str(_ROOT), str(_ROOT / "tests")]

from bench import build, desk, latency, lighthouse, recount, section_mode, site_scale, tally_scale, weight  # noqa: E402
from bench.harness import ROOT, Run, load, machine, make_plan, progress  # noqa: E402
from bench.report import report  # noqa: E402

# The scenarios, in the order they run and are reported.
SCENARIOS = [build, tally_scale, site_scale, weight, lighthouse, latency, desk, section_mode, recount]


def arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmarks for the event site (see BENCHMARKS.md).")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny inputs and single runs (10^2 rows, 12 and 120 case pages, no Lighthouse)",
    )
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md", help="where to write the report")
    parser.add_argument("--rows", help="tally sizes, comma-separated (default 1000,10000,100000,1000000)")
    parser.add_argument("--pages", help="case-page counts for the site-scale builds (default 12,120,1200)")
    parser.add_argument("--repeat", type=int, help="runs per figure, for every figure")
    parser.add_argument("--lighthouse-runs", type=int, help="Lighthouse runs per page (default 3)")
    parser.add_argument("--no-lighthouse", action="store_true", help="skip Lighthouse")
    parser.add_argument(
        "--preset",
        choices=["mobile", "desktop"],
        default="mobile",
        help="Lighthouse settings: mobile (its default) or desktop",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = arguments(argv)
    plan = make_plan(args)
    started = time.perf_counter()
    info = machine()
    bench = Run(plan, Path(tempfile.mkdtemp(prefix="w4r-bench-")))
    try:
        for scenario in SCENARIOS:
            bench.results[scenario.__name__] = scenario.run(bench)
        info["load_after"] = load()
        text = report(info, plan, SCENARIOS, bench.results, time.perf_counter() - started)
    finally:
        bench.close()
        if args.keep:
            progress(f"kept {bench.work}")
        else:
            shutil.rmtree(bench.work, ignore_errors=True)
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    progress(f"wrote {args.output} in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
