"""The live page for a projector (issue 16): the total, the goal and the latest
rows, reloading itself, and in Chromium fitting the screen in large type."""

from __future__ import annotations

import re
from datetime import date

import pytest

from conftest import (
    FIXTURE,
    FIXTURE_TALLY,
    bars,
    build,
    chart,
    copy_content,
    invoke,
    our_event,
    public_with,
    read,
    site_with,
)
from html_tools import visible_text

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


def test_the_published_live_page_says_which_evening_once_it_is_over(tmp_path):
    content = copy_content(tmp_path, FIXTURE_TALLY)
    during = build(content, tmp_path / "during", today=date(2016, 12, 10))
    after = build(content, tmp_path / "after", today=date(2016, 12, 11))
    assert "Our letters tonight" in visible_text(read(during, "live.html"))
    text = visible_text(read(after, "live.html"))
    assert "Our letters on Saturday 10 December 2016" in text and "tonight" not in text
