"""5. Lighthouse: the four category scores of three pages of the published
site, with npm's lighthouse and Debian's Chromium."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from bench.harness import ROOT, Run, median, progress, rotated, table, verdict

TITLE = "## 5. Lighthouse"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
# The home page at its real address: its canonical link is "/", not "/index.html".
PAGES = {"/ (home page)": "/", "annie-alfred.html": "/annie-alfred.html", "results.html": "/results.html"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def missing() -> str | None:
    from pelican.plugins.event.chromium import chromium_missing

    if not LIGHTHOUSE.exists():
        return f"{LIGHTHOUSE.relative_to(ROOT)} is not installed (run `npm ci`)"
    if not shutil.which("node"):
        return "node is not installed"
    return chromium_missing()


def lighthouse_once(url: str, preset: str, report_path: Path) -> tuple[dict | None, str]:
    """One Lighthouse run: its JSON report, or None and why it failed."""
    from pelican.plugins.event.chromium import CHROMIUM_ARGS, find_chromium

    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report_path}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    try:  # Lighthouse's launcher reads CHROME_PATH
        done = subprocess.run(
            command,
            env={**os.environ, "CHROME_PATH": str(find_chromium())},
            capture_output=True,
            text=True,
            timeout=240,
        )
    except subprocess.TimeoutExpired:
        return None, "timed out after 240 s"
    if done.returncode != 0 or not report_path.exists():
        return None, f"exit {done.returncode}: {(done.stderr or done.stdout).strip()[-300:]}"
    report = json.loads(report_path.read_text(encoding="utf-8"))
    report_path.unlink()
    return report, ""


def run(bench: Run) -> dict:
    plan = bench.plan
    if plan.lighthouse_runs <= 0:
        return {"measured": False, "reason": "skipped (--quick or --no-lighthouse)"}
    if reason := missing():
        return {"measured": False, "reason": reason}
    origin = bench.published_site()
    version = json.loads((ROOT / "node_modules" / "lighthouse" / "package.json").read_text())["version"]
    progress(f"Lighthouse {version} ({plan.preset}): {', '.join(PAGES)}, {plan.lighthouse_runs} runs each")
    scores = {page: {c: [] for c in CATEGORIES} for page in PAGES}
    findings: dict[str, dict[str, list[str]]] = {page: {} for page in PAGES}
    errors: list[str] = []
    for run_number in range(plan.lighthouse_runs):
        for page in rotated(list(PAGES), run_number):
            report, error = lighthouse_once(origin + PAGES[page], plan.preset, bench.work / "lighthouse.json")
            if report is None:
                errors.append(f"{page}: {error}")
                continue
            for category in CATEGORIES:
                score = report["categories"].get(category, {}).get("score")
                if score is not None:
                    scores[page][category].append(round(score * 100))
            findings[page] = lighthouse_findings(report)
    medians = {page: {c: (median(v) if v else None) for c, v in cats.items()} for page, cats in scores.items()}
    if all(v is None for cats in medians.values() for v in cats.values()):
        return {"measured": False, "reason": "every Lighthouse run failed: " + "; ".join(errors[:3])}
    return {
        "measured": True,
        "version": version,
        "preset": plan.preset,
        "runs": plan.lighthouse_runs,
        "scores": medians,
        "findings": findings,
        "errors": errors,
        "pass": all(v == 100 for cats in medians.values() for v in cats.values()),
    }


def _lost_points(report: dict, ref: dict) -> str | None:
    """An audit that cost its category points, in words, or None."""
    audit = report["audits"].get(ref["id"], {})
    if not (ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1):
        return None
    items = (audit.get("details") or {}).get("items") or []
    urls = sorted(
        {str(i.get("url") or (i.get("sourceLocation") or {}).get("url") or "") for i in items if isinstance(i, dict)}
        - {""}
    )
    detail = f" ({', '.join(urls[:3])})" if urls else ""
    return f"{audit.get('title', ref['id'])} [{ref['id']}, score {audit['score']}]{detail}"


def lighthouse_findings(report: dict) -> dict[str, list[str]]:
    """For each category under 100: the weighted audits that lost it points."""
    findings = {}
    for category in CATEGORIES:
        data = report["categories"].get(category)
        if data and data.get("score") != 1:
            findings[category] = [lost for ref in data.get("auditRefs", []) if (lost := _lost_points(report, ref))]
    return findings


def budgets(lighthouse: dict) -> list[list[str]]:
    if lighthouse["measured"]:
        lows = [f"{page} {c} {v}" for page, cats in lighthouse["scores"].items() for c, v in cats.items() if v != 100]
        figure, passed = ("all 100" if not lows else "; ".join(lows)), lighthouse["pass"]
    else:
        figure, passed = f"not measured: {lighthouse['reason']}", None
    return [["Lighthouse 100 in all four categories", figure, verdict(passed)]]


def section(lighthouse: dict) -> list[str]:
    if not lighthouse["measured"]:
        return [TITLE, "", f"Not measured: {lighthouse['reason']}.", ""]
    preset = (
        "the desktop preset"
        if lighthouse["preset"] == "desktop"
        else "the default mobile settings (simulated slow 4G and CPU throttling; stricter than --preset=desktop)"
    )
    lines = [
        TITLE,
        "",
        f"Lighthouse {lighthouse['version']} from node_modules with Debian Chromium, {preset}, "
        f"headless, against the site as published (publishconf.py, SITEURL set to the server's address, so "
        f"its absolute links and canonical addresses point at it) served by Python's http.server on "
        f"127.0.0.1 from a thread (no compression, no cache headers); median of {lighthouse['runs']} runs per page.",
        "",
        *table(
            ["page", *CATEGORIES],
            [
                [page, *[("n/a" if v is None else f"{v:.0f}") for v in cats.values()]]
                for page, cats in lighthouse["scores"].items()
            ],
        ),
        "",
    ]
    lost = [(page, cat, items) for page, f in lighthouse["findings"].items() for cat, items in f.items() if items]
    if lost:
        lines += ["What cost points (the last run of each page):", ""]
        lines += [f"- {page}, {cat}: " + "; ".join(items) for page, cat, items in lost] + [""]
    if lighthouse["errors"]:
        lines += ["Runs that failed: " + "; ".join(lighthouse["errors"]), ""]
    return lines
