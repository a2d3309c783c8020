"""The results chart (issue 16): its bars follow the counts, it is one image for
screen readers, and there is none before anything is counted."""

from __future__ import annotations

import re

import pytest

from conftest import FIXTURE, bars, build, chart, copy_content, read, site_with


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
