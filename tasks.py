"""The organizer's commands: `invoke --list` shows them all.

Every build goes into a fresh folder first and replaces output/ only when it
succeeded, so a mistake in a page or in the tally CSV never leaves a broken
or half-written site behind. What each task does lives in organizer/.
"""

from __future__ import annotations

import shlex
import shutil
import sys

from invoke import task

from organizer import counting, github_pages, printing, publishing, rsync_upload, serving, setup_questions, translations
from organizer import new_year as new_years
from organizer.building import build_or_exit
from organizer.project import CACHE, DEMO_OUTPUT, LOCAL_SETTINGS, OUTPUT, PREVIEW_OUTPUT, ROOT
from organizer.site_output import real_output


@task
def init(c):
    """Make the site yours: asks for your evening's facts one at a time and writes them into event.toml."""
    setup_questions.init()


@task
def clean(c):
    """Remove the built sites (output/, output-preview/, output-demo/) and the build caches."""
    for folder in (OUTPUT, PREVIEW_OUTPUT, DEMO_OUTPUT, CACHE):
        shutil.rmtree(real_output(folder), ignore_errors=True)  # through a symlink: what it points to


@task
def build(c):
    """Build the site for viewing on this computer."""
    build_or_exit(LOCAL_SETTINGS, remember=True)


@task
def rebuild(c):
    """Build the site from scratch: nothing kept in cache/ (compiled templates, remembered pages, the calendar)."""
    shutil.rmtree(CACHE, ignore_errors=True)
    build_or_exit(LOCAL_SETTINGS)


@task(
    help={
        "serve": "then serve it on this computer (at PORT + 1 by default) until Ctrl-C",
        "port": "the port for --serve",
    }
)
def preview(c, serve=False, port=None):
    """Build the site as it will be published into output-preview/ (real addresses, feed, case-sheet pack)."""
    publishing.preview(serve, port)


@task
def serve(c):
    """Serve output/ at http://127.0.0.1:8000 as it is (Ctrl-C stops; PORT=8001 for another port)."""
    serving.serve_output()


@task
def reserve(c):
    """Build, then serve."""
    build(c)
    serve(c)


@task
def regenerate(c):
    """Rebuild whenever content, the tally, the theme or the settings change."""
    serving.regenerate()


@task
def livereload(c):
    """Build, serve and rebuild on every change, reloading the browser (what make serve runs; Ctrl-C stops)."""
    serving.livereload()


@task(
    help={
        "serve": "serve and rebuild on every change (default); --no-serve only builds",
        "port": "the port to serve at (default PORT + 2: make serve and preview --serve can run meanwhile)",
    }
)
def demo(c, serve=True, port=None):
    """Show the site with the example numbers (content/data/tally.example.csv), built into output-demo/."""
    serving.demo(serve, port)


@task
def test(c):
    """Run all the tests."""
    c.run(f"{shlex.quote(sys.executable)} -m pytest", pty=False)


@task
def publish(c):
    """Build the public site and upload it with rsync (PUBLISH_TARGET)."""
    rsync_upload.publish()


@task
def build_public(c):
    """Build the public site into output-preview/ as publish does, without uploading it (for GitHub Actions)."""
    publishing.build_for_upload()


@task
def gh_pages(c):
    """Build the public site and push it to GitHub Pages (ghp-import)."""
    github_pages.gh_pages()


@task(
    help={
        "case": 'the case\'s name or page file name, e.g. "Annie Alfred"',
        "letters": "appeal letters written",
        "cards": "solidarity cards",
        "emails": "e-mails sent",
        "participants": "people who took part (added up over the rows, like the counts)",
        "year": "a past year's tally instead (content/archive/<year>/), e.g. --year 2016",
    }
)
def tally(c, case="", letters="0", cards="0", emails="0", participants="", year=""):
    """Add one row of counts (or of participants) to the tally CSV, checked before it is written."""
    counting.add_counts(case, letters, cards, emails, participants, year=year)


@task(
    help={
        "host": "the address to listen at (default HOST, else every address of this computer)",
        "port": "the port (default PORT + 3: 8003)",
    }
)
def desk(c, host=None, port=None):
    """Serve the count desk on the local network: phones add counts with a PIN (Ctrl-C stops it)."""
    from organizer.desk.running import serve_desk

    serve_desk(host, port)


@task(
    help={
        "csv": "write the report as CSV to this file instead (- for the screen)",
        "force": "write over the CSV file if it exists",
        "year": "a past year's numbers instead (content/archive/<year>/), e.g. --year 2016",
    }
)
def report(c, csv=None, force=False, year=""):
    """The numbers for Amnesty's reporting form: actions per case and in total, letters, cards
    and e-mails apart, participants."""
    counting.report(csv, force, year=year)


@task(
    help={
        "cases": "how many case pages to start with (default 12)",
        "force": "outside a git repository, archive the pages without checking they are committed",
    }
)
def new_year(c, year, cases="12", force=False):
    """Start a new year: this year's pages, cases, tally and event.toml into content/archive/, new marked pages."""
    new_years.new_year(year, cases, force)


@task(
    help={
        "quick": "tiny inputs and single runs, no Lighthouse: seconds, not minutes",
        "output": "write the report here instead of BENCHMARKS.md",
    }
)
def bench(c, quick=False, output=None):
    """Run the benchmarks (bench/bench.py): print them and write BENCHMARKS.md."""
    venv_python = ROOT / ".venv" / "bin" / "python"
    command = [str(venv_python if venv_python.exists() else sys.executable), str(ROOT / "bench" / "bench.py")]
    if quick:
        command.append("--quick")
    if output:
        command += ["--output", str(output)]
    c.run(shlex.join(command), pty=False)


@task
def flyer(c):
    """Print the flyer (A4 and Letter, with a QR code of the public address) into output/flyer.pdf."""
    printing.flyer()


@task
def casesheets(c):
    """Print every case sheet of the public build (output-preview/) into one PDF (needs Chromium)."""
    printing.casesheets()


@task
def translations_extract(c):
    """Collect the theme's and plugins' strings into theme/translations/messages.pot (docs/languages.md)."""
    translations.extract()


@task
def translations_update(c):
    """Update every language's messages.po from messages.pot."""
    translations.update()


@task
def translations_compile(c):
    """Compile every language's messages.po into the messages.mo the build reads."""
    translations.compile_all()
