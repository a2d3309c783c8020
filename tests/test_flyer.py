"""The flyer (issue 16): which public addresses it may print, what it refuses, and
in Chromium one A4 and one Letter page whose QR code leads to SITEURL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pelican.plugins.event import flyer
from pelican.settings import read_settings

from browser_tools import require_browser, squeeze
from conftest import copy_project, invoke, snapshot

PUBLIC_ADDRESS = "https://letters.w4r-nyc.org/evening"
A4, LETTER = (595.3, 841.9), (612.0, 792.0)  # in points


@pytest.mark.parametrize(
    "url, problem",
    [
        ("https://w4r-nyc.example.org", "it is an example address"),  # the shipped placeholder
        ("https://example.com/w4r", "it is an example address"),
        ("http://letters.example.net", "it is an example address"),
        ("https://w4r.example", "it is an example address"),
        ("http://localhost:8000", "it is an address of this computer, not a public one"),
        ("http://127.0.0.1:8000", "it is an address of this computer, not a public one"),
        ("http://192.168.1.20/w4r", "it is an address of a local network, not a public one"),
        ("https://yourgroup.github.io/write-for-rights", "it is a placeholder address"),  # the README's
        ("", "it is empty"),
        ("letters.w4r-nyc.org", "it is not a web address (https://...)"),
        ("aibrooklyn42.github.io/write-for-rights", "it is not a web address (https://...)"),
        ("https://w4r/", "it has no full host name (a name with dots, as your web host gives it)"),
        (PUBLIC_ADDRESS, None),
        ("https://examples.org.uk/", None),
    ],
)
def test_which_public_addresses_a_flyer_may_print(url, problem):
    assert flyer.address_problem(url) == problem


@pytest.mark.parametrize("address", ["https://w4r.example.com", "http://localhost:8000", "w4r-group42.org"])
def test_flyer_refuses_an_example_address_and_writes_nothing(project, address):
    assert invoke(project, "build").returncode == 0
    before = snapshot(project / "output")
    result = invoke(project, "flyer", SITEURL=address)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = [text for text in result.stderr.splitlines() if "flyer" in text.casefold()]  # one line, saying all
    assert line.startswith(f"No flyer: its QR code would lead to SITEURL {address!r}"), result.stderr
    assert "publishconf.py" in line and "Set your site's public address" in line
    assert snapshot(project / "output") == before


def test_flyer_refuses_while_the_event_has_example_details(tmp_path):
    """The shipped example venue, address or e-mail would be printed: refused too."""
    project = copy_project(tmp_path / "project", ours=False)
    assert invoke(project, "build").returncode == 0
    before = snapshot(project / "output")
    result = invoke(project, "flyer", SITEURL=PUBLIC_ADDRESS)
    assert result.returncode == 1
    [line] = [text for text in result.stderr.splitlines() if "flyer" in text.casefold()]
    assert line.startswith("No flyer: the site still has 10 example values (first: group in event.toml")
    assert line.endswith('Make the site yours first (see "Make it yours" in README.md).')
    assert snapshot(project / "output") == before


def test_flyer_needs_a_built_site(project):
    result = invoke(project, "flyer", SITEURL=PUBLIC_ADDRESS)
    assert result.returncode == 1 and "Build it first (invoke build)" in result.stderr
    assert not (project / "output").exists()


def qr_codes(pdf_path: Path) -> list[tuple[tuple[float, float], list[str]]]:
    """Each page's size in points and the QR codes read from it, rendered as a
    phone's camera would see it printed."""
    import pypdfium2
    import zxingcpp

    pages = []
    document = pypdfium2.PdfDocument(str(pdf_path))
    for page in document:
        image = page.render(scale=2).to_pil()
        pages.append(
            (
                page.get_size(),
                [code.text for code in zxingcpp.read_barcodes(image) if code.format == zxingcpp.BarcodeFormat.QRCode],
            )
        )
    document.close()
    return pages


@pytest.mark.browser
def test_flyer_is_one_a4_and_one_letter_page_whose_qr_code_leads_to_siteurl(project):
    require_browser()
    from pypdf import PdfReader

    assert invoke(project, "build").returncode == 0
    result = invoke(project, "flyer", SITEURL=PUBLIC_ADDRESS)
    assert result.returncode == 0, result.stderr
    assert "Printed the flyer into output/flyer.pdf" in result.stdout
    pdf = project / "output" / "flyer.pdf"
    pages = qr_codes(pdf)
    assert len(pages) == 2
    (a4_size, a4_codes), (letter_size, letter_codes) = pages
    assert a4_size == pytest.approx(A4, abs=1.5) and letter_size == pytest.approx(LETTER, abs=1.5)
    assert a4_codes == letter_codes == [PUBLIC_ADDRESS]
    event = read_settings(str(project / "pelicanconf.py"))["EVENT"]
    for page in PdfReader(pdf).pages:
        text = squeeze(page.extract_text())  # lines break anywhere, even after a hyphen
        for fact in (
            event["name"],
            "Saturday 10 December 2016",
            "5:00 PM to 8:30 PM",
            event["venue"],
            event["address"],
            "What to bring",
            "Just yourself, and your favourite pen",
            f"Coming? Tell us at {event['rsvp_email']}",
            PUBLIC_ADDRESS,
        ):
            assert squeeze(fact) in text, fact


def test_flyer_takes_what_to_bring_from_the_invitation(site):
    bring = flyer.what_to_bring((site / "index.html").read_text(encoding="utf-8"))
    assert bring.startswith("<ul>") and "favourite&nbsp;pen" in bring
    assert flyer.what_to_bring("<h2>Where</h2><ul><li>no</li></ul>") is None


@pytest.mark.browser
def test_a_flyer_longer_than_one_sheet_is_refused_and_not_written(project):
    require_browser()
    invitation = project / "content" / "pages" / "invitation.md"
    items = "".join(f"- Item {n} to bring, written out at some length so that it takes a line\n" for n in range(60))
    invitation.write_text(invitation.read_text().replace("## What to bring\n\n", "## What to bring\n\n" + items))
    assert invoke(project, "build").returncode == 0
    result = invoke(project, "flyer", SITEURL=PUBLIC_ADDRESS)
    assert result.returncode == 1
    assert re.search(r"No flyer: the flyer does not fit on one sheet \(\d+ A4 pages, \d+ Letter pages\)", result.stderr)
    assert not (project / "output" / "flyer.pdf").exists()
    assert not list((project / "output").glob(".flyer*"))
