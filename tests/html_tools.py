"""Small readers of built HTML, on the standard library's parser."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []  # href and src values
        self.ids: set[str] = set()
        self.text: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []  # (tag, name, value)
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            self.attributes.append((tag, name, value))
            if name in ("href", "src"):
                self.links.append(value)
            if name == "id":
                self.ids.add(value)
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def visible_text(html: str) -> str:
    """The page's text as a reader sees it, whitespace folded."""
    return " ".join(" ".join(parse(html).text).split())


def broken_links(output: Path) -> list[str]:
    """Every internal link, anchor or asset in `output` that leads nowhere."""
    pages = {p: parse(p.read_text(encoding="utf-8")) for p in output.rglob("*.html")}
    problems = []
    for path, page in pages.items():
        base = path.relative_to(output).as_posix()
        for link in page.links:
            url = urlparse(urljoin(f"http://site/{base}", link))
            if url.scheme not in ("http", "https") or url.netloc != "site":
                continue  # mailto:, other sites
            target = output / unquote(url.path).lstrip("/")
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                problems.append(f"{base}: {link} (no file)")
            elif url.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target.read_text("utf-8")).ids
                if url.fragment not in ids:
                    problems.append(f"{base}: {link} (no #{url.fragment})")
    return problems
