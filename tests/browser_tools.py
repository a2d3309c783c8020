"""Quality gates for built pages, in a real browser and the Nu HTML Checker.

Every gate is a plain function that returns a list of problems (empty when the
page passes), so the same function checks the real site and the pages made to
break it. Nothing here imports Playwright or pypdf at import time: a machine
without them still collects the tests, and `unavailable` says what is missing.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from pelican.plugins.event.chromium import CHROMIUM_ARGS, chromium_missing, find_chromium

from support.static_server import StaticServer

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (320, 375, 1280)


# -- What the machine has ---------------------------------------------------------


def unavailable(reason: str):
    """The one place a missing tool is handled: a skip on a developer's machine,
    a failure in CI (CI=true), where every gate must really run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the quality gates may not be skipped; .ci/run installs it)", pytrace=False)
    pytest.skip(reason)


def _module_missing(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is None


def require_browser() -> None:
    """Chromium, Playwright to drive it, axe-core and pypdf, or skip/fail."""
    if reason := chromium_missing():
        unavailable(reason)
    for module, package in (
        ("playwright", "playwright"),
        ("axe_playwright_python", "axe-playwright-python"),
        ("pypdf", "pypdf"),
    ):
        if _module_missing(module):
            unavailable(f"the Python package {package} is not installed (make test installs it)")


def require_vnu() -> None:
    """Java and the Nu HTML Checker from node_modules, or skip/fail."""
    if shutil.which("java") is None:
        unavailable("no java on PATH: the Nu HTML Checker needs Java (apt-get install default-jre-headless)")
    if not VNU_JAR.exists():
        unavailable(f"no {VNU_JAR.relative_to(ROOT)} (run npm ci)")


# -- Pages and a server for them --------------------------------------------------


def html_pages(folder: Path) -> list[str]:
    """Every HTML page in a built site, as paths relative to it."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))


Server = StaticServer  # a folder served on 127.0.0.1 from a thread (support/static_server.py)


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=str(find_chromium()), headless=True, args=CHROMIUM_ARGS)


# -- Gate: valid HTML (Nu HTML Checker) -------------------------------------------


def vnu_errors(files: list[Path]) -> dict[Path, list[str]]:
    """Run the Nu HTML Checker once over all `files` (the JVM starts slowly) and
    return each file's errors as 'line N: message'; a valid file maps to []."""
    files = [Path(f).resolve() for f in files]
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        messages = json.loads(result.stderr or result.stdout)["messages"]
    except (ValueError, KeyError):
        raise AssertionError(
            f"the Nu HTML Checker did not report (exit {result.returncode}): {result.stderr[-2000:]}"
        ) from None
    errors: dict[Path, list[str]] = {f: [] for f in files}
    for m in messages:
        if m.get("type") not in ("error", "non-document-error") and m.get("subType") != "fatal":
            continue
        path = Path(unquote(urlparse(m.get("url", "")).path)).resolve()
        errors.setdefault(path, []).append(f"line {m.get('lastLine', '?')}: {m.get('message')}")
    return errors


# -- Gate: accessibility (axe-core) -----------------------------------------------


def axe_violations(page, url: str) -> list[str]:
    """axe-core's WCAG 2.1 A and AA violations on the page at `url`."""
    from axe_playwright_python.sync_playwright import Axe

    page.goto(url)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    problems = []
    for v in results.response["violations"]:
        targets = ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        problems.append(f"{v['id']} ({v['impact']}): {v['help']} at {targets}")
    return problems


def progress_bar_problems(page, url: str, cdp) -> list[str]:
    """Every <progress> must reach the accessibility tree as a progressbar whose
    name is its <label>'s text and whose value and maximum are its own."""
    page.goto(url)
    bars = page.eval_on_selector_all(
        "progress",
        """bars => bars.map(b => ({
        id: b.id, value: b.value, max: b.max,
        label: b.labels.length ? b.labels[0].textContent.trim().replace(/\\s+/g, ' ') : null}))""",
    )
    if not bars and not page.locator("[role=progressbar]").count():
        return []
    nodes = [
        n
        for n in cdp.send("Accessibility.getFullAXTree")["nodes"]
        if not n.get("ignored") and n.get("role", {}).get("value") == "progressbar"
    ]
    problems = []
    if len(nodes) != len(bars):
        problems.append(f"{len(bars)} <progress> but {len(nodes)} progressbars in the accessibility tree")
    for bar, node in zip(bars, nodes):
        name = node.get("name", {}).get("value", "")
        props = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
        value = node.get("value", {}).get("value")
        if not bar["label"]:
            problems.append(f"progress#{bar['id']} has no <label>")
        elif name != bar["label"]:
            problems.append(f"progress#{bar['id']} is announced as {name!r}, not its label {bar['label']!r}")
        if value != bar["value"] or props.get("valuemax") != bar["max"]:
            problems.append(
                f"progress#{bar['id']} is announced with value {value} of {props.get('valuemax')}, "
                f"not {bar['value']} of {bar['max']}"
            )
    return problems


def skip_link_problems(page, url: str) -> list[str]:
    """The first Tab focuses a visible 'Skip to content' link; Enter moves focus to <main>."""
    page.goto(url)
    page.keyboard.press("Tab")
    first = page.evaluate("""() => {
        const e = document.activeElement, r = e.getBoundingClientRect();
        return {tag: e.tagName, text: e.textContent.trim(), top: r.top, bottom: r.bottom,
                left: r.left, right: r.right, width: r.width, height: r.height,
                innerWidth: innerWidth, innerHeight: innerHeight};
    }""")
    if first["tag"] != "A" or first["text"] != "Skip to content":
        return [f"the first Tab focuses <{first['tag'].lower()}> {first['text'][:40]!r}, not the skip link"]
    problems = []
    if not (
        first["width"] > 0
        and first["height"] > 0
        and first["top"] >= 0
        and first["left"] >= 0
        and first["bottom"] <= first["innerHeight"]
        and first["right"] <= first["innerWidth"]
    ):
        problems.append(f"the focused skip link is not on screen: {first}")
    page.keyboard.press("Enter")
    focused = page.evaluate("() => document.activeElement.tagName + '#' + document.activeElement.id")
    if focused != "MAIN#main":
        problems.append(f"Enter on the skip link leaves focus on {focused}, not main#main")
    return problems


_FOCUS_STYLE = """e => { const s = getComputedStyle(e);
    return [s.outlineStyle === 'none' ? 'none' : s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor,
            s.boxShadow].join(' | '); }"""


def focus_problems(page, url: str) -> list[str]:
    """Tab through the page: every link (and anything else focusable) must look
    different focused than unfocused, by a visible outline or box-shadow."""
    page.goto(url)
    count = page.evaluate(f"""() => {{
        const all = document.querySelectorAll('a[href], [tabindex="0"], button, input, select, textarea');
        all.forEach((e, i) => {{ e.dataset.gateIndex = i; e.dataset.gateStyle = ({_FOCUS_STYLE})(e); }});
        return all.length; }}""")
    problems, seen = [], set()
    for _ in range(count + 1):
        page.keyboard.press("Tab")
        state = page.evaluate(f"""() => {{ const e = document.activeElement;
            if (!e || e === document.body || !e.dataset.gateIndex) return null;
            return {{index: e.dataset.gateIndex, before: e.dataset.gateStyle, after: ({_FOCUS_STYLE})(e),
                     what: e.tagName.toLowerCase() + ' ' + (e.textContent.trim() || e.outerHTML).slice(0, 40)}}; }}""")
        if state is None or state["index"] in seen:
            break  # focus has left the page or come round again
        seen.add(state["index"])
        outline, shadow = state["after"].split(" | ")
        visible = (outline != "none" and not outline.split()[1].startswith("0")) or shadow != "none"
        if state["after"] == state["before"] or not visible:
            problems.append(f"no visible focus on {state['what']!r} ({state['after']})")
    if not seen:
        problems.append("Tab focuses nothing")
    return problems


# -- Gate: layout -------------------------------------------------------------------


def horizontal_overflow(page, url: str) -> list[str]:
    """The page at `url`, in the page's current viewport, must not scroll sideways."""
    page.goto(url)
    widths = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    if widths[0] > widths[1]:
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
            .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))""")
        return [f"scrolls sideways at {widths[1]} px: {widths[0]} px wide ({', '.join(wide)})"]
    return []


# -- Gate: print --------------------------------------------------------------------


def print_pdf(page, url: str | None, paper: str) -> tuple[int, str]:
    """Print the page at `url` (None: the page already open) to PDF as Chromium
    does, with print styles: (number of pages, text)."""
    from pypdf import PdfReader

    if url is not None:
        page.goto(url)
    page.emulate_media(media="print")
    try:
        reader = PdfReader(io.BytesIO(page.pdf(format=paper)))
    finally:
        page.emulate_media(media="screen")
    return len(reader.pages), "\n".join(p.extract_text() for p in reader.pages)


def squeeze(text: str) -> str:
    """Text without any whitespace and with ligatures undone (a PDF's "ﬃ" is
    "ffi"), for comparing across line breaks."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def case_sheet_problems(page, url: str, paper: str) -> list[str]:
    """A case page prints on exactly one sheet of `paper`, with the official,
    the address and the whole sample letter, and without the site's navigation."""
    page.goto(url)
    want = page.evaluate("""() => {
        const parts = {address: document.querySelector('.write-to address').innerText, letter: ''};
        const h = [...document.querySelectorAll('h2')].find(h => h.textContent.replace(/\\s+/g, ' ').trim() === 'Sample letter');
        for (let e = h && h.nextElementSibling; e && e.tagName !== 'H2' && !e.querySelector('h2'); e = e.nextElementSibling)
            parts.letter += e.innerText + '\\n';
        return parts;
    }""")
    pages, text = print_pdf(page, None, paper)
    problems = []
    if pages != 1:
        problems.append(f"prints on {pages} {paper} pages, not one")
    if not want["letter"].strip():
        problems.append("has no sample letter")
    flat = squeeze(text)
    for what in ("address", "letter"):
        for line in want[what].splitlines():
            if squeeze(line) and squeeze(line) not in flat:
                problems.append(f"the printed {what} lacks {line.strip()[:60]!r}")
    if "Letter guide" in text:
        problems.append("the site's navigation is printed")
    return problems
