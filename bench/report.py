"""BENCHMARKS.md: a header, the machine, one Budgets table gathered from every
scenario's `budgets(result)`, then each scenario's `section(result)`."""

from __future__ import annotations

from bench.harness import Plan, table


def header(plan: Plan) -> list[str]:
    return [
        "# Benchmarks",
        "",
        f"Written by `invoke bench` (bench/bench.py){' in --quick mode: tiny inputs, single runs' if plan.quick else ''}. "
        "Every time is the median of several runs; A and B runs were interleaved in one run "
        "(in a rotating order) and each ratio is the median of the per-round ratios, so ratios "
        "hold on a busy machine. Sizes are decimal: 1 KB = 1,000 bytes, 1 MB = 1,000,000 bytes.",
        "",
    ]


def machine_section(info: dict, seconds: float) -> list[str]:
    return [
        "## Machine",
        "",
        *table(
            ["", ""],
            [
                ["date", info["date"]],
                ["code measured", f"commit {info['code']}"],
                ["CPU", info["cpu"]],
                ["cores", info["cores"]],
                ["memory", info["memory"]],
                ["OS", info["os"]],
                ["Python", info["python"]],
                ["Pelican", info["pelican"]],
                ["Markdown / typogrify", f"{info['markdown']} / {info['typogrify']}"],
                ["load average before / after", f"{info['load_before']} / {info['load_after']}"],
                ["this run took", f"{seconds:.0f} s"],
            ],
        ),
        "",
    ]


def report(info: dict, plan: Plan, scenarios: list, results: dict, seconds: float) -> str:
    """The whole report; `scenarios` are the scenario modules in report order,
    `results` their results by module name."""
    budget_rows = [row for s in scenarios for row in s.budgets(results[s.__name__])]
    lines = header(plan) + machine_section(info, seconds)
    lines += ["## Budgets", "", *table(["budget", "figure", "verdict"], budget_rows), ""]
    for scenario in scenarios:
        lines += scenario.section(results[scenario.__name__])
    return "\n".join(lines).rstrip() + "\n"
