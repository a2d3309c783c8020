"""The pictures of the evening's features in the README and docs/: the live page at
1280x720 and 1920x1080, and the flyer's first (A4) page, saved small in docs/.

    .venv/bin/python docs/screenshots.py

They are taken from a private copy of the project with stand-in event details
(the test suite's) and the example numbers (content/data/tally.example.csv),
built and printed with the organizer's own commands. Needs Chromium and the
test requirements.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from pelican.plugins.event.chromium import launch  # noqa: E402

from conftest import OUR_SITEURL, copy_project  # noqa: E402  (the tests' stand-in event details)
from support.static_server import StaticServer  # noqa: E402

DOCS = ROOT / "docs"
SCREENS = [(1280, 720), (1920, 1080)]


def invoke(project: Path, *args: str) -> None:
    env = {**os.environ, "SITEURL": OUR_SITEURL}
    subprocess.run([sys.executable, "-m", "invoke", *args], cwd=project, check=True, env=env)


def small_png(image, path: Path) -> None:
    """A few flat colours: a palette PNG a fraction of the size of a full-colour one."""
    image.convert("RGB").quantize(colors=64).save(path, optimize=True)
    print(f"{path.relative_to(ROOT)}: {image.width}x{image.height}, {path.stat().st_size // 1000} KB")


def main() -> None:
    import pypdfium2
    from PIL import Image
    from playwright.sync_api import sync_playwright

    DOCS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        project = copy_project(Path(work) / "project", tally=ROOT / "content" / "data" / "tally.example.csv")
        # Pictures of the evening, not of a demonstration: without the example
        # file beside it, its copy is not refused as example numbers.
        (project / "content" / "data" / "tally.example.csv").unlink()
        invoke(project, "build")
        invoke(project, "flyer")
        server = StaticServer(project / "output")
        try:
            with sync_playwright() as playwright:
                browser = launch(playwright)
                for width, height in SCREENS:
                    page = browser.new_page(viewport={"width": width, "height": height})
                    page.goto(server.url + "live.html")
                    shot = Path(work) / "shot.png"
                    page.screenshot(path=shot)
                    with Image.open(shot) as image:
                        small_png(image, DOCS / f"live-{width}x{height}.png")
                    page.close()
                browser.close()
        finally:
            server.close()
        flyer = pypdfium2.PdfDocument(str(project / "output" / "flyer.pdf"))
        small_png(flyer[0].render(scale=1.25).to_pil(), DOCS / "flyer-a4.png")
        flyer.close()
        shutil.rmtree(project)


if __name__ == "__main__":
    main()
