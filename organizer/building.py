"""A build of the site as the commands run it: into a staging folder, swapped
into its output folder only when it succeeded, and ended with one line that
says what was built (or that the old site was left as it was)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from invoke import Exit

from organizer.project import LOCAL_SETTINGS, OUTPUT
from organizer.site_output import replace_site, sigterm_as_interrupt


class _NotSwapped(Exception):
    """A finished build that `before_swap` turned down: not swapped in."""


def build_site(
    settings: Path = LOCAL_SETTINGS, output: Path = OUTPUT, remember=False, before_swap=None, **overrides
) -> bool:
    """Build into a temporary folder beside `output` and swap it in on success.

    Returns False (and leaves `output` exactly as it was) when the build fails.
    The build runs in this process (devserver's Builder): no second Python.
    With `remember`, pages that did not change since the last such build are
    not read again (cache/pages.pickle); builds for the public never do this.
    `before_swap(staging)` adds to the finished build before it is swapped in
    (the case-sheet pack); when it returns False, `output` stays as it was.
    """
    from organizer.devserver.builder import Builder, init_logging

    def swap(staging: Path, target: Path, keep_old=False):
        if before_swap and not before_swap(staging):
            raise _NotSwapped
        return replace_site(staging, target, keep_old=keep_old)

    init_logging()
    builder = Builder(settings, output, swap=swap, overrides=overrides, remember=remember)
    try:
        with sigterm_as_interrupt():  # SIGTERM cleans up as Ctrl-C does
            result = builder.build()
    except KeyboardInterrupt:
        if builder.swapped:  # stopped as the new site went in
            print(
                f"\nBuild stopped: it had just finished, and {Path(output).name}/ holds the new site.", file=sys.stderr
            )
        else:
            print(f"\nBuild stopped: {Path(output).name}/ was left exactly as it was.", file=sys.stderr)
        raise
    except _NotSwapped:
        result = None
    if not (result and result.ok):
        print(f"Build failed: {Path(output).name}/ was left exactly as it was.", file=sys.stderr)
        return False
    print(summary(Path(output), result.seconds))
    return True


def build_or_exit(settings: Path = LOCAL_SETTINGS, output: Path = OUTPUT, remember=False) -> None:
    if not build_site(settings, output, remember=remember):
        raise Exit(code=1)


def dev_builder(output: Path = OUTPUT):
    """A warm Builder of the local site, as make serve keeps it all evening."""
    from organizer.devserver.builder import Builder, init_logging

    init_logging()
    return Builder(LOCAL_SETTINGS, output, swap=replace_site, warm=True)


def summary(output: Path, seconds: float) -> str:
    """The one line of figures a build ends with."""
    pages = sum(1 for _ in output.rglob("*.html"))
    took = f"{seconds:.1f} s" if seconds >= 1 else f"{seconds * 1000:.0f} ms"
    line = f"Built {pages} pages into {output.name}/ in {took}"
    report = output / "tally.json"
    if report.exists():
        tally = json.loads(report.read_text(encoding="utf-8"))
        for row in tally.get("skipped_totals_rows", []):
            line += f"; skipped the totals row on line {row} of the tally"
        if not tally["rows"]:
            line += "; no letters counted yet"
        else:
            line += f"; {tally['total']:,} {'action' if tally['total'] == 1 else 'actions'} counted"
            if tally["goal"]:
                line += f", {tally['percent']} % of the goal of {tally['goal']:,}"
    return line + "."
