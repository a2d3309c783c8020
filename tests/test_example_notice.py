"""The example-details notice is quiet (issue 23): on a 390 px phone it takes
at most two lines, a sentence and the closed list of what to change, which
opens without a script; the public build still refuses them all."""

from __future__ import annotations

import re

import pytest

from browser_tools import Server
from conftest import SHIPPED_EXAMPLES, read
from html_tools import visible_text

PHONE = {"width": 390, "height": 844}
# The notice's height in lines of its own text, and whether its list is hidden.
LINES = """e => {
  const box = e.getBoundingClientRect();
  const style = getComputedStyle(e.querySelector("p"));
  const padding = parseFloat(getComputedStyle(e).paddingTop) + parseFloat(getComputedStyle(e).paddingBottom)
    + parseFloat(getComputedStyle(e).borderBottomWidth);
  return (box.height - padding) / parseFloat(style.lineHeight);
}"""


def notice(html: str) -> str:
    return re.search(r'<aside class="example-banner".*?</aside>', html, re.S).group(0)


def test_the_notice_is_a_sentence_and_a_closed_list_of_every_example_value(site):
    box = notice(read(site, "index.html"))
    assert "<script" not in box and not re.search(r"<[^>]+\son\w+=", box)  # no script, no inline handler
    assert re.search(r"<details>\s*<summary>The 11 to change before you publish</summary>", box)
    assert "<details open" not in box
    listed = re.findall(r"<li>(.*?)</li>", box, re.S)
    assert len(listed) == 11
    # Locally the public address is named by its field, not as SITEURL.
    for setting, item in zip([*SHIPPED_EXAMPLES[:-1], "public_address"], listed):
        assert item.startswith(f"{setting} in event.toml"), (setting, item)
    assert box.count("This site still has example details") == 1  # the list is in one place
    assert "Make it yours" in visible_text(box)


def measure(chromium, url: str) -> tuple[float, float]:
    page = chromium.new_page(viewport=PHONE)
    try:
        page.goto(url)
        banner = page.locator(".example-banner")
        closed = banner.evaluate(LINES)
        page.locator(".example-banner summary").click()  # opens it: no script needed
        assert page.locator(".example-banner li").first.is_visible()
        return closed, banner.evaluate(LINES)
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize("name", ["index.html", "annie-alfred.html", "guide.html"])
def test_the_notice_takes_at_most_two_lines_on_a_phone(chromium, site, name):
    with Server(site) as server:
        closed, opened = measure(chromium, server.url + name)
    assert closed <= 2.2, f"the notice takes {closed:.1f} lines at 390 px"
    assert opened > 11, "the list opens below it"


@pytest.mark.browser
def test_the_line_count_sees_a_notice_that_is_too_tall(chromium, site, tmp_path):
    """The measure fails a notice that would take three lines: the old box's sentence."""
    page = (site / "index.html").read_text(encoding="utf-8")
    long = page.replace(
        "<strong>This site still has example details.</strong>",
        "<strong>This site still has example details:</strong> change them before you publish (see “Make it "
        "yours” in README.md). Only this copy on your computer shows this box.",
    )
    assert long != page
    (tmp_path / "index.html").write_text(long, encoding="utf-8")
    (tmp_path / "theme").symlink_to(site / "theme")
    with Server(tmp_path) as server:
        closed, _ = measure(chromium, server.url + "index.html")
    assert closed > 2.2
