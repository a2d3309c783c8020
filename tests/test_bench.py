"""The benchmark script runs (on tiny inputs) and writes every section.

The benchmarks themselves are not tests: `invoke bench` runs them and
writes BENCHMARKS.md. This only proves the script works, in a few seconds.
"""

import subprocess
import sys

from conftest import ROOT

SECTIONS = (
    "# Benchmarks",
    "## Machine",
    "## Budgets",
    "## 1. Build",
    "## 2. Tally scale",
    "## 3. Site scale",
    "## 4. Weight",
    "## 5. Lighthouse",
    "## 6. The live loop",
    "## 7. The count desk",
    "## 8. Section mode",
    "## 9. A saved tally at scale",
)


def test_bench_quick_run_writes_every_section(tmp_path):
    benchmarks = ROOT / "BENCHMARKS.md"
    before = benchmarks.read_bytes() if benchmarks.exists() else None
    report = tmp_path / "report.md"

    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench.py"), "--quick", "--pages", "12", "--output", str(report)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    text = report.read_text(encoding="utf-8")
    for section in SECTIONS:
        assert section in done.stdout, section
        assert section in text, section
    assert "| 100 |" in text  # the 10^2-row tally
    assert "| annie-alfred.html |" in text  # a page weighed
    assert "Not measured: skipped" in text  # no Lighthouse in --quick
    budgets = text.split("## Budgets", 1)[1].split("## 1.", 1)[0]
    assert (
        budgets.count("| PASS |") + budgets.count("| MISS |") + budgets.count("| not measured |") == 7 + 5 + 1
    )  # five from the live loop, one from a saved tally at 12 cases (--pages 12: none at 1,200)
    # The shipped figures are never overwritten by a test.
    assert (benchmarks.read_bytes() if benchmarks.exists() else None) == before
