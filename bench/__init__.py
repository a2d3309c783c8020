"""Benchmarks for the event site: `invoke bench` runs bench/bench.py, which
prints the report and writes it to BENCHMARKS.md.

- harness.py: the plan, interleaved timing, one build in a fresh Pelican
  process, the machine, the published site served for browser scenarios;
- one module per scenario: build.py, tally_scale.py, site_scale.py,
  weight.py, lighthouse.py, latency.py, desk.py, section_mode.py,
  recount.py;
- report.py: puts the report together.

A scenario is a module with three functions, registered by adding it to
SCENARIOS in bench/bench.py (the report keeps that order):

    run(bench: harness.Run) -> dict     measure; bench.plan says how much,
                                        bench.work is a scratch folder,
                                        bench.published_site() serves the public site
    budgets(result) -> list[list[str]]  rows [budget, figure, verdict] for the Budgets table
    section(result) -> list[str]        its part of the report, starting "## N. Title"
"""
