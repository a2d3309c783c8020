"""A Markdown title is text: with the plugin, Pelican's stock theme shows
`Q&A <draft>` as written instead of opening a <draft> element."""

from __future__ import annotations

from pelican import Pelican
from pelican.settings import read_settings

PAGE = 'Title: Q&A <draft> "quoted"\n\nBody with <em>real</em> markup.\n'


def built_page(tmp_path, plugins: list[str]) -> str:
    content = tmp_path / "content" / "pages"
    content.mkdir(parents=True)
    (content / "qa.md").write_text(PAGE, encoding="utf-8")
    settings = read_settings(
        None,
        override={
            "PATH": str(tmp_path / "content"),
            "OUTPUT_PATH": str(tmp_path / "output"),
            "PLUGINS": plugins,
            "TIMEZONE": "UTC",
            "SITEURL": "https://example.org",
            "SLUGIFY_SOURCE": "basename",
        },
    )
    Pelican(settings).run()
    return (tmp_path / "output" / "pages" / "qa.html").read_text(encoding="utf-8")


def test_title_is_escaped_and_the_body_keeps_its_markup(tmp_path):
    html = built_page(tmp_path, ["pelican.plugins.safe_titles"])
    assert '<h1 class="entry-title">Q&amp;A &lt;draft&gt; "quoted"</h1>' in html
    assert "<em>real</em>" in html


def test_a_site_without_the_plugin_in_the_same_process_is_left_alone(tmp_path):
    built_page(tmp_path / "with", ["pelican.plugins.safe_titles"])  # registers its signal for good
    assert '<h1 class="entry-title">Q&A <draft> "quoted"</h1>' in built_page(tmp_path / "without", [])
