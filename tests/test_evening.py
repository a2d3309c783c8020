"""The evening itself (issue 16): the results chart, the share image, the
flyer, the live page for a projector and who came, each on a site built
from its own counts."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from pelican.plugins.event import flyer
from pelican.settings import read_settings

from browser_tools import require_browser, squeeze
from conftest import (
    FIXTURE_TALLY,
    OUR_SITEURL,
    PUBLISH_SETTINGS,
    build,
    copy_content,
    copy_project,
    invoke,
    our_event,
    read,
    run_pelican,
    site_with,
    snapshot,
)
from html_tools import visible_text

FIXTURE = """case,letters,cards,emails
Annie Alfred,30,5,2
Máxima Acuña,1000,200,34
Edward Snowden,600,17,0
"""  # Annie 37, Máxima 1,234, Edward 617: half of Máxima's


# -- The results chart ---------------------------------------------------------------


def chart(html: str) -> str:
    [svg] = re.findall(r'<svg class="tally-chart[ "].*?</svg>', html, re.S)
    return svg


def bars(svg: str) -> dict[str, float]:
    """Each case's label -> its bar's width in percent (0 without a bar)."""
    widths = {}
    for row in re.findall(r'<g class="chart-row"[^>]*>(.*?)</g>', svg, re.S):
        label = re.search(r'class="chart-label"[^>]*>([^<]*)<', row).group(1)
        bar = re.search(r'<rect class="chart-bar"[^>]*width="([\d.]+)%"', row)
        widths[label] = float(bar.group(1)) if bar else 0.0
    return widths


def test_results_chart_bars_follow_the_counts(tmp_path):
    svg = chart(read(site_with(tmp_path, FIXTURE), "results.html"))
    widths = bars(svg)
    assert len(widths) == 12  # every case, in the site's order
    assert list(widths)[:2] == ["Edward Snowden", "Mahmoud Abu Zeid (“Shawkan”)"]
    assert widths["Máxima Acuña"] == max(widths.values())
    assert widths["Edward Snowden"] == pytest.approx(widths["Máxima Acuña"] * 617 / 1234, abs=0.01)
    assert widths["Annie Alfred"] == pytest.approx(widths["Máxima Acuña"] * 37 / 1234, abs=0.01)
    assert widths["Ilham Tohti"] == 0
    counts = re.findall(r'class="chart-count"[^>]*>([^<]*)<', svg)
    assert counts[:5] == ["617", "0", "0", "37", "1,234"]


def test_results_chart_changes_with_new_counts(tmp_path):
    before = bars(chart(read(site_with(tmp_path / "a", FIXTURE), "results.html")))
    after = bars(chart(read(site_with(tmp_path / "b", FIXTURE + "Ilham Tohti,5000,,\n"), "results.html")))
    assert after["Ilham Tohti"] == max(after.values()) > before["Ilham Tohti"] == 0
    assert after["Máxima Acuña"] < before["Máxima Acuña"]


def test_results_chart_is_one_image_for_screen_readers_and_the_table_stays(tmp_path):
    html = read(site_with(tmp_path, FIXTURE), "results.html")
    svg = chart(html)
    opening = svg.split(">", 1)[0]
    assert 'role="img"' in opening
    title_id = re.search(r'aria-labelledby="([^"]+)"', opening).group(1)
    desc_id = re.search(r'aria-describedby="([^"]+)"', opening).group(1)
    assert re.search(rf'<title id="{title_id}">Bar chart: our actions per case</title>', svg)
    desc = re.search(rf'<desc id="{desc_id}">([^<]*)</desc>', svg).group(1)
    assert "Máxima Acuña: 1,234" in desc and "Edward Snowden: 617" in desc and "Ilham Tohti: 0" in desc
    assert html.count('class="tally-table"') == 1
    assert "<script" not in html.split("<main", 1)[1]


def test_results_chart_escapes_case_names(tmp_path):
    content = copy_content(tmp_path)
    (content / "data" / "tally.csv").write_text(FIXTURE, encoding="utf-8")
    annie = content / "cases" / "annie-alfred.md"
    annie.write_text(re.sub(r"^Title: .*$", 'Title: Annie <b>&</b> "Alfred"', annie.read_text(), flags=re.M))
    svg = chart(read(build(content, tmp_path / "output"), "results.html"))
    assert "<b>" not in svg and "Annie &lt;b&gt;&amp;&lt;/b&gt;" in svg


def test_no_chart_before_anything_is_counted(tmp_path):
    output = site_with(tmp_path, None)
    assert not (output / "results.html").exists()  # the results post waits for counts
    for page in output.rglob("*.html"):
        assert "tally-chart" not in page.read_text(encoding="utf-8"), page.name


# -- The share picture -----------------------------------------------------------------

SITEURL = OUR_SITEURL


def public_with(tmp_path, csv_text=None, **overrides):
    """A public build (publishconf.py draws the share picture) of a site made
    ours (the public build refuses example values), with these counts."""
    return site_with(tmp_path, csv_text, settings_file=PUBLISH_SETTINGS, **{**our_event(PUBLISH_SETTINGS), **overrides})


def share_tags(html: str) -> dict[str, str]:
    tags = dict(re.findall(r'<meta (?:property|name)="((?:og|twitter):image[^"]*)" content="([^"]*)"', html))
    return {key: unescape(value) for key, value in tags.items()}


def share_picture(output: Path, page: str = "results.html") -> tuple[Path, dict[str, str]]:
    tags = share_tags(read(output, page))
    assert tags["og:image"] == tags["twitter:image"], page
    assert tags["og:image"].startswith(f"{SITEURL}/")
    return output / tags["og:image"][len(SITEURL) + 1 :], tags


def test_share_picture_shows_the_counts_at_its_declared_size(tmp_path):
    from PIL import Image

    output = public_with(tmp_path, FIXTURE, TALLY_GOAL=2000)
    picture, tags = share_picture(output)
    assert re.fullmatch(r"tally-[0-9a-f]{12}\.png", picture.name) and picture.parent.name == "images"
    with Image.open(picture) as image:
        assert image.format == "PNG"
        assert image.size == (int(tags["og:image:width"]), int(tags["og:image:height"])) == (1200, 630)
    assert (
        tags["og:image:alt"]
        == tags["twitter:image:alt"]
        == "Write for Rights 2016: 1,888 actions, 94 % of our goal of 2,000"
    )
    assert picture.stat().st_size < 100_000
    # Every page shares the same up-to-date picture once actions are counted.
    for page in ("index.html", "cases.html", "annie-alfred.html"):
        assert share_picture(output, page)[0] == picture


def test_new_counts_give_a_new_picture_under_a_new_name(tmp_path):
    from PIL import Image, ImageChops

    before, _ = share_picture(public_with(tmp_path / "a", FIXTURE))
    after, _ = share_picture(public_with(tmp_path / "b", FIXTURE + "Ilham Tohti,1,,\n"))
    again, _ = share_picture(public_with(tmp_path / "c", FIXTURE))
    assert before.name != after.name
    assert again.name == before.name  # the same numbers: the same name, so caches stay valid
    with Image.open(before) as old, Image.open(after) as new:
        assert ImageChops.difference(old.convert("RGB"), new.convert("RGB")).getbbox() is not None


def test_before_anything_is_counted_the_theme_picture_is_shared(tmp_path):
    output = public_with(tmp_path, None)
    picture, tags = share_picture(output, "index.html")
    assert picture == output / "theme" / "images" / "share.png" and picture.is_file()
    assert tags["og:image:alt"] == "Write for Rights: an evening of letters for human rights"
    assert not (output / "images").exists()


def test_share_picture_can_be_turned_off(tmp_path):
    output = public_with(tmp_path, FIXTURE, TALLY_SHARE_IMAGE=None)
    assert share_picture(output)[0] == output / "theme" / "images" / "share.png"


def test_without_pillow_the_build_says_how_to_install_it(tmp_path):
    project = copy_project(tmp_path / "project", tally=None)
    (project / "content" / "data" / "tally.csv").write_text(FIXTURE, encoding="utf-8")
    no_pillow = tmp_path / "no-pillow"
    no_pillow.mkdir()
    (no_pillow / "sitecustomize.py").write_text("import sys\nsys.modules['PIL'] = None  # as if not installed\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            "content",
            "-s",
            "publishconf.py",
            "-o",
            str(tmp_path / "out"),
            "--fatal",
            "errors",
            "--log-handler",
            "plain",
        ],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(no_pillow), "COLUMNS": "400"},
        capture_output=True,
        text=True,
    )
    message = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0 and "Traceback" not in message
    assert (
        'TALLY_SHARE_IMAGE needs Pillow to draw the picture: pip install "pelican-tally[image]" '
        "(or set TALLY_SHARE_IMAGE = None to keep the theme's picture)."
    ) in message


@pytest.mark.parametrize("pattern", ["images/tally.png", "images/tally-{key}.jpg", 42])
def test_a_share_picture_name_that_would_not_change_is_refused(tmp_path, pattern):
    content = copy_content(tmp_path)
    (content / "data" / "tally.csv").write_text(FIXTURE, encoding="utf-8")
    # Pelican's command line, as the organizer builds: a failed build in this
    # process would leave the sitemap plugin waiting for it for good.
    result = run_pelican(
        content, tmp_path / "out", "--log-handler", "plain", "-e", f"TALLY_SHARE_IMAGE={json.dumps(pattern)}"
    )
    message = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0 and "Traceback" not in message
    assert re.search(r"TALLY_SHARE_IMAGE is .*: give a \.png path with \{key\} in it", message), message


def test_the_plugin_works_without_pillow_until_a_picture_is_drawn():
    """Pillow is optional (the "image" extra): the plugin imports and names the
    picture without it. (Pelican's reST reader imports Pillow itself when it
    is there, so whether it is loaded says nothing about the plugin.)"""
    code = (
        "import sys; sys.modules['PIL'] = None  # as if not installed\n"
        "import pelican.plugins.tally.generator\n"
        "from pelican.plugins.tally import share_image as s\n"
        "facts = s.ShareFacts('W4R', 3, 10, 30)\n"
        "print(s.file_name('images/tally-{key}.png', facts))\n"
        "try:\n    s.draw(facts, 'never.png')\nexcept s.MissingPillow as e:\n    print(e)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    name, message = result.stdout.splitlines()
    assert re.fullmatch(r"images/tally-[0-9a-f]{12}\.png", name)
    assert message.startswith('the share picture needs Pillow: pip install "pelican-tally[image]"')


# -- The flyer ---------------------------------------------------------------------------


PUBLIC_ADDRESS = "https://letters.w4r-nyc.org/evening"
A4, LETTER = (595.3, 841.9), (612.0, 792.0)  # in points


@pytest.mark.parametrize(
    "url, problem",
    [
        ("https://w4r-nyc.example.org", "it is an example address"),  # the shipped placeholder
        ("https://example.com/w4r", "it is an example address"),
        ("http://letters.example.net", "it is an example address"),
        ("https://w4r.example", "it is an example address"),
        ("http://localhost:8000", "it is an address of this computer, not a public one"),
        ("http://127.0.0.1:8000", "it is an address of this computer, not a public one"),
        ("http://192.168.1.20/w4r", "it is an address of a local network, not a public one"),
        ("https://yourgroup.github.io/write-for-rights", "it is a placeholder address"),  # the README's
        ("", "it is empty"),
        ("letters.w4r-nyc.org", "it is not a web address (https://...)"),
        ("aibrooklyn42.github.io/write-for-rights", "it is not a web address (https://...)"),
        ("https://w4r/", "it has no full host name (a name with dots, as your web host gives it)"),
        (PUBLIC_ADDRESS, None),
        ("https://examples.org.uk/", None),
    ],
)
def test_which_public_addresses_a_flyer_may_print(url, problem):
    assert flyer.address_problem(url) == problem


@pytest.mark.parametrize("address", ["https://w4r.example.com", "http://localhost:8000", "w4r-group42.org"])
def test_flyer_refuses_an_example_address_and_writes_nothing(project, address):
    assert invoke(project, "build").returncode == 0
    before = snapshot(project / "output")
    result = invoke(project, "flyer", SITEURL=address)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = [text for text in result.stderr.splitlines() if "flyer" in text.casefold()]  # one line, saying all
    assert line.startswith(f"No flyer: its QR code would lead to SITEURL {address!r}"), result.stderr
    assert "publishconf.py" in line and "Set your site's public address" in line
    assert snapshot(project / "output") == before


def test_flyer_refuses_while_the_event_has_example_details(tmp_path):
    """The shipped example venue, address or e-mail would be printed: refused too."""
    project = copy_project(tmp_path / "project", ours=False)
    assert invoke(project, "build").returncode == 0
    before = snapshot(project / "output")
    result = invoke(project, "flyer", SITEURL=PUBLIC_ADDRESS)
    assert result.returncode == 1
    [line] = [text for text in result.stderr.splitlines() if "flyer" in text.casefold()]
    assert line.startswith('No flyer: the site still has 10 example values (first: EVENT["group"] in pelicanconf.py')
    assert line.endswith('Make the site yours first (see "Make it yours" in README.md).')
    assert snapshot(project / "output") == before


def test_flyer_needs_a_built_site(project):
    result = invoke(project, "flyer", SITEURL=PUBLIC_ADDRESS)
    assert result.returncode == 1 and "Build it first (invoke build)" in result.stderr
    assert not (project / "output").exists()


def qr_codes(pdf_path: Path) -> list[tuple[tuple[float, float], list[str]]]:
    """Each page's size in points and the QR codes read from it, rendered as a
    phone's camera would see it printed."""
    import pypdfium2
    import zxingcpp

    pages = []
    document = pypdfium2.PdfDocument(str(pdf_path))
    for page in document:
        image = page.render(scale=2).to_pil()
        pages.append(
            (
                page.get_size(),
                [code.text for code in zxingcpp.read_barcodes(image) if code.format == zxingcpp.BarcodeFormat.QRCode],
            )
        )
    document.close()
    return pages


@pytest.mark.browser
def test_flyer_is_one_a4_and_one_letter_page_whose_qr_code_leads_to_siteurl(project):
    require_browser()
    from pypdf import PdfReader

    assert invoke(project, "build").returncode == 0
    result = invoke(project, "flyer", SITEURL=PUBLIC_ADDRESS)
    assert result.returncode == 0, result.stderr
    assert "Printed the flyer into output/flyer.pdf" in result.stdout
    pdf = project / "output" / "flyer.pdf"
    pages = qr_codes(pdf)
    assert len(pages) == 2
    (a4_size, a4_codes), (letter_size, letter_codes) = pages
    assert a4_size == pytest.approx(A4, abs=1.5) and letter_size == pytest.approx(LETTER, abs=1.5)
    assert a4_codes == letter_codes == [PUBLIC_ADDRESS]
    event = read_settings(str(project / "pelicanconf.py"))["EVENT"]
    for page in PdfReader(pdf).pages:
        text = squeeze(page.extract_text())  # lines break anywhere, even after a hyphen
        for fact in (
            event["name"],
            "Saturday 10 December 2016",
            "5:00 PM to 8:30 PM",
            event["venue"],
            event["address"],
            "What to bring",
            "Just yourself, and your favourite pen",
            f"Coming? Tell us at {event['rsvp_email']}",
            PUBLIC_ADDRESS,
        ):
            assert squeeze(fact) in text, fact


def test_flyer_takes_what_to_bring_from_the_invitation(site):
    bring = flyer.what_to_bring((site / "index.html").read_text(encoding="utf-8"))
    assert bring.startswith("<ul>") and "favourite&nbsp;pen" in bring
    assert flyer.what_to_bring("<h2>Where</h2><ul><li>no</li></ul>") is None


@pytest.mark.browser
def test_a_flyer_longer_than_one_sheet_is_refused_and_not_written(project):
    require_browser()
    invitation = project / "content" / "pages" / "invitation.md"
    items = "".join(f"- Item {n} to bring, written out at some length so that it takes a line\n" for n in range(60))
    invitation.write_text(invitation.read_text().replace("## What to bring\n\n", "## What to bring\n\n" + items))
    assert invoke(project, "build").returncode == 0
    result = invoke(project, "flyer", SITEURL=PUBLIC_ADDRESS)
    assert result.returncode == 1
    assert re.search(r"No flyer: the flyer does not fit on one sheet \(\d+ A4 pages, \d+ Letter pages\)", result.stderr)
    assert not (project / "output" / "flyer.pdf").exists()
    assert not list((project / "output").glob(".flyer*"))


# -- The live page ---------------------------------------------------------------------

LIVE_FIXTURE = (
    FIXTURE
    + """Ilham Tohti,1,1,1
Annie Alfred,,4,
Eren Keskin,2,,
Johan Teterissa,5,,1
Edward Snowden,0,0,9
"""
)  # the last five rows, newest first: Snowden +9, Teterissa +6, Keskin +2, Annie +4, Ilham +3


def test_live_page_shows_total_goal_cases_and_latest_additions(tmp_path):
    output = site_with(tmp_path, LIVE_FIXTURE, TALLY_GOAL=2500)
    html = read(output, "live.html")
    text = visible_text(html)
    # 37 + 1,234 + 617 + 3 + 4 + 2 + 6 + 9 = 1,912
    assert re.search(r'<span class="live-figure"[^>]*>1,912</span> letters, cards and e-mails', html)
    assert "1,912 actions — 76 % of our goal of 2,500" in text
    assert re.search(r'<progress id="live-progress" max="2500" value="1912">', html)
    latest = re.findall(r'<li><span class="added">\+([\d,]+)</span> ([^<]+)</li>', html)
    assert latest == [
        ("9", "Edward Snowden"),
        ("6", "Johan Teterissa"),
        ("2", "Eren Keskin"),
        ("4", "Annie Alfred"),
        ("3", "Ilham Tohti"),
    ]
    widths = bars(chart(html))  # the results' own chart macro: one source of truth
    assert len(widths) == 12 and widths["Máxima Acuña"] == max(widths.values())
    assert widths["Edward Snowden"] == pytest.approx(widths["Máxima Acuña"] * 626 / 1234, abs=0.01)


def test_live_page_reloads_itself_without_scripts_and_runs_none(tmp_path):
    html = read(site_with(tmp_path, FIXTURE), "live.html")
    head = html.split("</head>", 1)[0]
    assert re.search(r'<noscript><meta http-equiv="refresh" content="30"></noscript>', head)
    assert "<script" not in html  # in the published site, a snapshot


def test_live_page_before_anything_is_counted(tmp_path):
    html = read(site_with(tmp_path, None), "live.html")
    assert "No letters have been counted yet" in visible_text(html)
    assert "<svg" not in html and "<progress" not in html


def test_live_page_is_for_the_room_not_for_search_engines(tmp_path):
    output = public_with(tmp_path, FIXTURE)
    assert (output / "live.html").exists()
    assert "live.html" not in read(output, "sitemap.xml")


# In Chromium: the live page on a projector's screen.

SCREENS = [(1280, 720), (1920, 1080)]

CUT_OFF = """() => {
    const inside = r => r.top >= -0.5 && r.left >= -0.5 && r.bottom <= innerHeight + 0.5 && r.right <= innerWidth + 0.5;
    return [...document.querySelectorAll('main *')]
        .filter(e => e.getClientRects().length && !e.closest('svg title, svg desc'))
        .filter(e => !inside(e.getBoundingClientRect()))
        .map(e => e.tagName.toLowerCase() + (e.className && e.className.baseVal === undefined ? '.' + e.className : '')
                  + ' ' + (e.textContent || '').trim().slice(0, 30));
}"""

SMALL_TEXT = """least => [...document.querySelectorAll('main *')]
    .filter(e => e.getClientRects().length && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
    .filter(e => !e.closest('title, desc, progress'))  // a progress bar's text is its fallback
    .map(e => [e.textContent.trim().slice(0, 30), e instanceof SVGElement ? e.getBoundingClientRect().height / 1.15
                                                                      : parseFloat(getComputedStyle(e).fontSize)])
    .filter(([text, size]) => size < least)"""


@pytest.fixture(scope="module")
def live_site(tmp_path_factory):
    """Two sites with the live fixture's counts: "ours" (made ours, as on the
    evening) and "examples" (still with the example-details box)."""
    from browser_tools import Server

    sites = {
        "ours": site_with(tmp_path_factory.mktemp("live-ours"), LIVE_FIXTURE, TALLY_GOAL=2500, **our_event()),
        "examples": site_with(tmp_path_factory.mktemp("live-examples"), LIVE_FIXTURE, TALLY_GOAL=2500),
    }
    servers = {name: Server(output) for name, output in sites.items()}
    yield {name: server.url for name, server in servers.items()}
    for server in servers.values():
        server.close()


def open_fitting_live_page(chromium, site_url: str, width: int, height: int):
    """live.html on a screen of this size, checked to fit it: no scrolling, nothing cut off."""
    page = chromium.new_page(viewport={"width": width, "height": height})
    page.goto(site_url + "live.html")
    sizes = page.evaluate("() => [document.scrollingElement.scrollWidth, document.scrollingElement.scrollHeight]")
    assert sizes == [width, height], "the live page scrolls"
    assert page.evaluate(CUT_OFF) == []
    return page


@pytest.mark.browser
@pytest.mark.parametrize("width, height", SCREENS)
def test_live_page_fits_a_projector_screen_in_large_type(chromium, live_site, width, height):
    from browser_tools import SCREENSHOTS

    page = open_fitting_live_page(chromium, live_site["ours"], width, height)
    # From the back of a room: the total a fifth of the screen high, nothing under 2.5 % of it.
    assert page.locator(".live-figure").evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 0.2 * height
    assert page.evaluate(SMALL_TEXT, 0.025 * height) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"live-{width}x{height}.png")
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("width, height", SCREENS)
def test_live_page_keeps_the_example_details_box_and_still_fits(chromium, live_site, width, height):
    """Example numbers on a projector must say so: the box stays, the rest shrinks to fit."""
    page = open_fitting_live_page(chromium, live_site["examples"], width, height)
    banner = page.locator(".example-banner p").first
    assert banner.is_visible() and banner.text_content().startswith("This site still has example details")
    box = banner.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= height
    page.close()


@pytest.mark.browser
def test_live_page_has_no_accessibility_violations(chromium, live_site):
    from browser_tools import axe_violations

    page = chromium.new_page(viewport={"width": 1280, "height": 720})
    assert axe_violations(page, live_site["ours"] + "live.html") == []
    page.close()


@pytest.mark.browser
def test_fit_check_reports_a_page_that_does_not_fit(chromium, live_site):
    page = chromium.new_page(viewport={"width": 1280, "height": 720})
    page.goto(live_site["ours"] + "live.html")
    page.add_style_tag(content=".live-latest { font-size: 12vh; } .live-total { font-size: 1vh; }")
    assert page.evaluate(CUT_OFF) != []
    assert page.evaluate(SMALL_TEXT, 18) != []
    page.close()


@pytest.mark.browser
def test_live_page_follows_a_new_tally_row_while_the_dev_server_runs(chromium, project):
    """`make serve` (invoke livereload): the page open on the projector shows
    the row `invoke tally` adds, without anyone touching the browser."""
    from conftest import free_port, wait_for
    from support.dev_server import DevServer

    (project / "content" / "data" / "tally.csv").write_text(LIVE_FIXTURE, encoding="utf-8")
    server = DevServer(project, free_port())
    try:
        assert wait_for(lambda: "Open http" in server.text()), server.text()
        page = chromium.new_page(viewport={"width": 1280, "height": 720})
        page.goto(f"http://127.0.0.1:{server.port}/live.html")
        assert page.locator(".live-figure").text_content() == "1,912"
        page.evaluate("() => { window.openedBefore = true; }")  # gone once the page reloads

        added = invoke(project, "tally", "--case", "Annie Alfred", "--letters", "7")
        assert added.returncode == 0, added.stderr
        page.wait_for_function("() => document.querySelector('.live-figure').textContent === '1,919'", timeout=30_000)
        assert page.locator(".live-latest li").first.text_content() == "+7 Annie Alfred"
        assert page.evaluate("() => window.openedBefore") is None  # it reloaded itself
        page.close()
    finally:
        server.stop()


# -- Who came ------------------------------------------------------------------------------


def test_results_post_says_how_many_people_took_part(tmp_path):
    output = site_with(tmp_path, "case,letters,participants\nAnnie Alfred,3,7\n,,12\nMáxima Acuña,2,\n")
    text = visible_text(read(output, "results.html"))
    assert "19 people took part." in text
    assert text.index("5 actions") < text.index("19 people took part.")
    assert json.loads(read(output, "tally.json"))["participants"] == 19


def test_one_person_and_not_recorded(tmp_path):
    one = visible_text(read(site_with(tmp_path / "a", "case,letters,participants\nAnnie Alfred,3,1\n"), "results.html"))
    assert "1 person took part." in one
    output = site_with(tmp_path / "b", FIXTURE)
    assert "took part" not in visible_text(read(output, "results.html"))  # never a made-up 0
    assert json.loads(read(output, "tally.json"))["participants"] is None


def test_tally_participants_then_report_gives_the_reporting_form(project):
    added = invoke(project, "tally", "--participants", "14")
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "Added to content/data/tally.csv: 14 participants."
    added = invoke(project, "tally", "--case", "Annie Alfred", "--letters", "2", "--participants", "1")
    assert added.stdout.strip() == (
        "Added to content/data/tally.csv: Annie Alfred, 2 letters, 0 cards, 0 e-mails; 1 participant."
    )
    report = invoke(project, "report")
    assert report.returncode == 0, report.stderr
    form = report.stdout.split("For Amnesty's reporting form")[1]
    lines = [" ".join(line.split()) for line in form.splitlines()[1:]]
    # The fixture: 24 letters, 12 cards, 6 e-mails; now 2 letters more and 15 people.
    assert lines == ["Letters 26", "Cards 12", "E-mails 6", "Actions in total 44", "Participants 15"]
    assert "Annie Alfred Malawi 13 6 2 21" in [" ".join(line.split()) for line in report.stdout.splitlines()]
    rows = list(csv.reader(io.StringIO(invoke(project, "report", "--csv", "-").stdout)))
    # The participants go on the totals row, so the file reads back as the same tally.
    assert rows[-1] == ["All cases", "", "26", "12", "6", "44", "15"]


def test_report_says_when_participants_are_not_recorded(project):
    form = invoke(project, "report").stdout.split("For Amnesty's reporting form")[1]
    assert "Participants not recorded (add them: invoke tally --participants N)" in " ".join(form.split())


def test_tally_with_nothing_to_add_says_what_to_give(project):
    before = (project / "content" / "data" / "tally.csv").read_bytes()
    result = invoke(project, "tally")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        'Say what to add: --case "Annie Alfred" --letters 3, or --participants 12. Nothing was written.'
    )
    assert (project / "content" / "data" / "tally.csv").read_bytes() == before


def test_the_published_live_page_says_which_evening_once_it_is_over(tmp_path):
    content = copy_content(tmp_path, FIXTURE_TALLY)
    during = build(content, tmp_path / "during", today=date(2016, 12, 10))
    after = build(content, tmp_path / "after", today=date(2016, 12, 11))
    assert "Our letters tonight" in visible_text(read(during, "live.html"))
    text = visible_text(read(after, "live.html"))
    assert "Our letters on Saturday 10 December 2016" in text and "tonight" not in text
