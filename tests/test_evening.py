"""The evening itself (issue 16): the results chart, the share image, the
flyer, the live page for a projector and who came, each on a site built
from its own counts."""

from __future__ import annotations

import re

import pytest
from html_tools import visible_text

from conftest import build, copy_content, read


def site_with(tmp_path, csv_text=None, **overrides):
    content = copy_content(tmp_path)
    csv_path = content / "data" / "tally.csv"
    if csv_text is None:
        csv_path.unlink()
    else:
        csv_path.write_text(csv_text, encoding="utf-8")
    return build(content, tmp_path / "output", **overrides)


FIXTURE = """case,letters,cards,emails
Annie Alfred,30,5,2
Máxima Acuña,1000,200,34
Edward Snowden,600,17,0
"""  # Annie 37, Máxima 1,234, Edward 617: half of Máxima's


# -- The results chart ---------------------------------------------------------------

def chart(html: str) -> str:
    [svg] = re.findall(r'<svg class="tally-chart".*?</svg>', html, re.S)
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
    annie.write_text(re.sub(r"^Title: .*$", "Title: Annie <b>&</b> \"Alfred\"", annie.read_text(), flags=re.M))
    svg = chart(read(build(content, tmp_path / "output"), "results.html"))
    assert "<b>" not in svg and "Annie &lt;b&gt;&amp;&lt;/b&gt;" in svg


def test_no_chart_before_anything_is_counted(tmp_path):
    html = read(site_with(tmp_path, None), "results.html")
    assert "<svg" not in html and "No letters have been counted yet" in visible_text(html)
