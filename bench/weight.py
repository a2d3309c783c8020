"""4. Weight: bytes per page of the published site (HTML, CSS, images, raw and
gzipped), its scripts, and requests to other hosts."""

from __future__ import annotations

import gzip
import html.parser
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bench.harness import Run, kb, progress, table, verdict

TITLE = "## 4. Weight"
PAGE_BUDGET_BYTES = 30_000  # gzipped HTML + CSS per page, images not counted
IMAGE = re.compile(r"\.(png|jpe?g|gif|svg|webp|avif|ico)$", re.I)

EXECUTABLE_SCRIPT_TYPES = {
    "",
    "text/javascript",
    "application/javascript",
    "module",
    "text/ecmascript",
    "application/ecmascript",
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


class Resources(html.parser.HTMLParser):
    """What a browser fetches for a page (not what it merely links to)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stylesheets: list[str] = []
        self.images: list[str] = []
        self.scripts: list[str] = []  # executable: src or inline
        self.data_blocks: list[str] = []  # <script type="application/ld+json"> and the like
        self.other: list[str] = []  # iframes, fonts, icons, preloads, media
        self.inline_css: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        rel = a.get("rel", "").lower().split()
        if tag == "link" and "stylesheet" in rel and a.get("href"):
            self.stylesheets.append(a["href"])
        elif (
            tag == "link"
            and set(rel)
            & {
                "icon",
                "preload",
                "prefetch",
                "manifest",
                "modulepreload",
                "apple-touch-icon",
                "preconnect",
                "dns-prefetch",
            }
            and a.get("href")
        ):
            self.other.append(a["href"])
        elif tag == "script":
            kind = a.get("type", "").strip().lower()
            target = self.scripts if kind in EXECUTABLE_SCRIPT_TYPES else self.data_blocks
            target.append(a.get("src") or f"inline {kind or 'script'}")
        elif tag in ("img", "source", "input") and (a.get("src") or a.get("srcset")):
            if tag == "input" and a.get("type") != "image":
                return
            for candidate in filter(
                None, [a.get("src")] + [c.split()[0] for c in a.get("srcset", "").split(",") if c.strip()]
            ):
                self.images.append(candidate)
        elif tag in ("iframe", "embed", "object", "video", "audio", "track"):
            for key in ("src", "data", "poster"):
                if a.get(key):
                    self.other.append(a[key])
        elif tag == "style":
            self._in_style = True
        if a.get("style"):
            self.inline_css.append(a["style"])

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.inline_css.append(data)


def is_third_party(url: str, origin: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.netloc) and parts.netloc != urlsplit(origin).netloc


def local_file(output: Path, page: Path, url: str, origin: str) -> Path | None:
    parts = urlsplit(url)
    if (parts.scheme or parts.netloc) and parts.netloc != urlsplit(origin).netloc:
        return None
    base = "/" + page.relative_to(output).as_posix()
    path = urlsplit(urljoin(base, parts.path)).path.lstrip("/")
    target = output / path
    return target if target.is_file() else None


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def page_weight(output: Path, page: Path, origin: str) -> dict:
    """What one page weighs and what it makes the browser fetch."""
    data = page.read_bytes()
    found = Resources()
    found.feed(data.decode("utf-8", errors="replace"))
    css_files, image_urls, requests = [], list(found.images), []
    for url in found.stylesheets:
        requests.append(url)
        target = local_file(output, page, url, origin)
        if target:
            css_files.append(target)
    css_text = "".join(f.read_text(encoding="utf-8", errors="replace") for f in css_files)
    css_text += "".join(found.inline_css)
    for match in CSS_URL.finditer(css_text):
        url = match.group(1) or match.group(2)
        if not url.startswith("data:"):
            (image_urls if IMAGE.search(url) else requests).append(url)
    image_files = [t for t in (local_file(output, page, u, origin) for u in image_urls) if t]
    requests += image_urls + [s for s in found.scripts if not s.startswith("inline")] + found.other
    css_bytes = [f.read_bytes() for f in css_files]
    image_bytes = [f.read_bytes() for f in image_files]
    html_gz, css_gz = gzipped(data), sum(gzipped(b) for b in css_bytes)
    return {
        "page": page.relative_to(output).as_posix(),
        "html": len(data),
        "css": sum(len(b) for b in css_bytes),
        "images": sum(len(b) for b in image_bytes),
        "html_gz": html_gz,
        "css_gz": css_gz,
        "images_gz": sum(gzipped(b) for b in image_bytes),
        "gz_without_images": html_gz + css_gz,
        "scripts": len(found.scripts),
        "data_blocks": len(found.data_blocks),
        "requests": 1 + len(requests),
        "third_party": sorted({u for u in requests if is_third_party(u, origin)}),
    }


def run(bench: Run) -> dict:
    origin = bench.published_site()
    output = bench.work / "published"
    progress("weight: every page of the published site")
    pages = [page_weight(output, page, origin) for page in sorted(output.rglob("*.html"))]
    return {
        "pages": pages,
        "size_pass": bool(pages) and all(p["gz_without_images"] < PAGE_BUDGET_BYTES for p in pages),
        "scripts_pass": bool(pages) and all(p["scripts"] == 0 for p in pages),
        "third_party_pass": bool(pages) and all(not p["third_party"] for p in pages),
    }


def budgets(weight: dict) -> list[list[str]]:
    worst_page = max(weight["pages"], key=lambda p: p["gz_without_images"])
    scripts = sum(p["scripts"] for p in weight["pages"])
    third = sorted({u for p in weight["pages"] for u in p["third_party"]})
    return [
        [
            f"every page under {PAGE_BUDGET_BYTES // 1000} KB gzipped without images",
            f"largest {worst_page['page']}: {kb(worst_page['gz_without_images'])} KB",
            verdict(weight["size_pass"]),
        ],
        [
            "zero scripts",
            f"{scripts} executable scripts on {len(weight['pages'])} pages",
            verdict(weight["scripts_pass"]),
        ],
        [
            "zero third-party requests",
            f"{len(third)}" + (f": {', '.join(third[:5])}" if third else ""),
            verdict(weight["third_party_pass"]),
        ],
    ]


def section(weight: dict) -> list[str]:
    return [
        TITLE,
        "",
        "Every HTML page of the site as published (publishconf.py, with SITEURL set to the local server "
        "used for Lighthouse). CSS is every stylesheet the page "
        "links (print.css too: browsers fetch it), images are the images it or its CSS load; each file "
        "gzipped on its own at level 6, as a server would send it. Scripts counts executable `<script>` "
        "elements; a data block such as JSON-LD (`application/ld+json`) runs nothing and is counted "
        "apart. Requests are the page plus everything it makes the browser fetch; third-party ones "
        "go to another host.",
        "",
        *table(
            [
                "page",
                "HTML",
                "CSS",
                "images",
                "HTML gz",
                "CSS gz",
                "images gz",
                "gz without images",
                "scripts",
                "data blocks",
                "requests",
                "third-party",
            ],
            [
                [
                    p["page"],
                    kb(p["html"]),
                    kb(p["css"]),
                    kb(p["images"]),
                    kb(p["html_gz"]),
                    kb(p["css_gz"]),
                    kb(p["images_gz"]),
                    f"**{kb(p['gz_without_images'])}**",
                    p["scripts"],
                    p["data_blocks"],
                    p["requests"],
                    len(p["third_party"]),
                ]
                for p in weight["pages"]
            ],
        ),
        "",
        "(KB; budget: under 30 KB gzipped without images, zero scripts, zero third-party requests.)",
        "",
    ]
