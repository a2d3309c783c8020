"""The count desk on the evening: a phone (Chromium at 390x844, scripts off) types
the PIN, adds and undoes while the projector's live page (`make serve`) follows;
and 20 phones adding at once lose nothing."""

from __future__ import annotations

import csv
import io
import threading

import pytest

from conftest import free_port, invoke, tally_csv
from support.desk_client import DeskProcess, Phone
from support.dev_server import DevServer

PHONES = 20
ADDS_EACH = 5


def report_totals(project) -> dict[str, int]:
    """The letters, cards and e-mails in all, as `invoke report` reads the tally."""
    done = invoke(project, "report", "--csv", "-")
    assert done.returncode == 0, done.stderr
    row = [r for r in csv.reader(io.StringIO(done.stdout)) if r and r[0] == "All cases"][0]
    return {"letters": int(row[2]), "cards": int(row[3]), "emails": int(row[4])}


def test_twenty_phones_adding_at_once_lose_nothing_and_the_sums_are_right(project):
    before = report_totals(project)
    desk = DeskProcess(project, free_port())
    try:
        phones = [Phone(desk.port, client_ip=f"127.0.0.{20 + n}") for n in range(PHONES)]
        for n, phone in enumerate(phones):
            phone.sign_in(desk.pin, f"Table {n + 1}")
        start, answers = threading.Barrier(PHONES), [[] for _ in phones]

        def count(n: int) -> None:
            start.wait(timeout=30)
            for _ in range(ADDS_EACH):  # bounded: five adds, each with a 30 s timeout
                answers[n].append(phones[n].add("annie-alfred", letters=n + 1, cards=1))

        threads = [threading.Thread(target=count, args=(n,)) for n in range(PHONES)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert all(not thread.is_alive() for thread in threads)
    finally:
        desk.stop()
    assert answers == [[200] * ADDS_EACH] * PHONES
    after = report_totals(project)
    assert after["letters"] - before["letters"] == ADDS_EACH * sum(range(1, PHONES + 1))
    assert after["cards"] - before["cards"] == ADDS_EACH * PHONES
    desk_rows = list(csv.reader(io.StringIO(tally_csv(project).read_text(encoding="utf-8"))))[-PHONES * ADDS_EACH :]
    log = list(csv.DictReader(io.StringIO((project / "content/data/tally.audit.csv").read_text(encoding="utf-8"))))
    assert [int(e["number"]) for e in log] == list(range(1, PHONES * ADDS_EACH + 1))
    for row, entry in zip(desk_rows, log, strict=True):  # the same order: written under one lock
        assert (row[0], row[1]) == (entry["case"], entry["letters"]) == ("Annie Alfred", str(int(entry["device"][6:])))


@pytest.mark.browser
def test_a_phone_adds_and_undoes_and_the_live_page_follows(chromium, project):
    from browser_tools import horizontal_overflow

    server, desk = DevServer(project, free_port()), None
    try:
        from conftest import wait_for

        assert wait_for(lambda: "Open http" in server.text(), 120), server.text()
        desk = DeskProcess(project, free_port())
        total = server.total()
        live = chromium.new_page(viewport={"width": 1280, "height": 720})
        live.goto(f"http://127.0.0.1:{server.port}/live.html")
        assert live.locator(".live-figure").text_content() == f"{total:,}"

        phone_context = chromium.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
        phone = phone_context.new_page()
        desk_url = f"http://127.0.0.1:{desk.port}/"
        phone.goto(desk_url)
        assert horizontal_overflow(phone, desk_url) == []
        phone.fill("#pin", desk.pin)
        phone.click("text=Open the desk")
        phone.fill("#device", "Table 4")
        phone.click("text=Start counting")
        phone.select_option("#case", "annie-alfred")
        phone.fill("#letters", "7")
        phone.click("button:text-is('Add')")
        assert phone.locator(".status").text_content() == "Added: Annie Alfred: 7 letters, 0 cards, 0 e-mails."
        assert "Table 4 added Annie Alfred: 7 letters" in phone.locator(".recent").text_content()
        live.wait_for_function(f"() => document.querySelector('.live-figure').textContent === '{total + 7:,}'")
        assert live.locator(".live-latest li").first.text_content() == "+7 Annie Alfred"

        phone.click("text=Undo it")
        assert phone.locator(".status").text_content().startswith("Taken back: Annie Alfred: 7 letters")
        live.wait_for_function(f"() => document.querySelector('.live-figure').textContent === '{total:,}'")
        assert "+7 Annie Alfred" not in live.locator(".live-latest").text_content()

        [cookie] = phone_context.cookies()
        assert (cookie["name"], cookie["httpOnly"], cookie["sameSite"], cookie["expires"]) == (
            "desk_session",
            True,
            "Strict",
            -1,  # a session cookie: gone with the browser, and useless once the desk stops
        )
        phone_context.close()
        live.close()
    finally:
        if desk:
            desk.stop()
        server.stop()
