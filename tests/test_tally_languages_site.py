"""A tally CSV in the group's language (German, French, Spanish headers and
totals rows) through a real build, `invoke tally` and the count desk."""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import build, copy_content, free_port, invoke, read, tally_csv
from html_tools import visible_text
from support.desk_client import DeskProcess, Phone

ROWS = "Annie Alfred;30;5;2;\nMáxima Acuña;1000;200;34;25\n"  # Annie 37, Máxima 1,234; all 1,271
TALLIES = {
    "German, UTF-8": ("Fall;Briefe;Karten;E-Mails;Teilnehmende\n" + ROWS + "Summe;1030;205;36;\n", "utf-8"),
    "German, Windows-1252 without umlauts": (
        ("Fall;Briefe;Karten;E-Mails;Teilnehmer*innen\n" + ROWS + "Gesamt;1030;205;36;\n")
        .replace("Máxima Acuña", "maxima-acuna")
        .replace("\n", "\r\n"),
        "cp1252",
    ),
    "German, UTF-8 with a BOM": (
        "Fälle;Briefe;Karten;E-Mail;Teilnehmende\n" + ROWS + "Alle Fälle;1030;;;\n",
        "utf-8-sig",
    ),
    "French": ("cas;lettres;cartes;courriels;participantes\n" + ROWS + "Tous les cas;1030;205;36;\n", "utf-8"),
    "Spanish": (
        "caso;cartas;tarjetas;correos electrónicos;participantes\n" + ROWS + "Total;1030;205;36;\n",
        "utf-8",
    ),
}


@pytest.mark.parametrize("tally", TALLIES.values(), ids=list(TALLIES))
def test_a_tally_in_the_groups_language_is_counted_on_the_pages_and_in_tally_json(tmp_path, tally):
    text, encoding = tally
    content = copy_content(tmp_path)
    (content / "data" / "tally.csv").write_bytes(text.encode(encoding))
    output = build(content, tmp_path / "output")  # fails on any warning: the totals row agrees
    report = json.loads(read(output, "tally.json"))
    assert (report["total"], report["rows"], report["participants"]) == (1271, 2, 25)
    counts = {c["slug"]: (c["letters"], c["cards"], c["emails"], c["total"]) for c in report["cases"]}
    assert counts["annie-alfred"] == (30, 5, 2, 37) and counts["maxima-acuna"] == (1000, 200, 34, 1234)
    assert "1,234 actions: 1,000 letters, 200 cards, 34 e-mails." in visible_text(read(output, "maxima-acuna.html"))
    assert "37 actions: 30 letters, 5 cards, 2 e-mails." in visible_text(read(output, "annie-alfred.html"))


def test_invoke_tally_adds_to_a_german_tally_in_its_columns_then_build_and_report_count_it(project):
    tally_csv(project).write_bytes(b"Fall;Notiz;E-Mails;Karten;Briefe\r\nAnnie Alfred;Tisch 1;1;;2\r\n")
    added = invoke(project, "tally", "--case", "maxima acuna", "--letters", "3", "--cards", "1", "--emails", "2")
    assert added.returncode == 0, added.stderr
    assert added.stdout == "Added to content/data/tally.csv: Máxima Acuña, 3 letters, 1 card, 2 e-mails.\n"
    people = invoke(project, "tally", "--participants", "9")
    assert people.returncode == 0, people.stderr
    assert tally_csv(project).read_bytes().decode("utf-8") == (
        "Fall;Notiz;E-Mails;Karten;Briefe;Teilnehmende\r\n"
        "Annie Alfred;Tisch 1;1;;2\r\n"
        "Máxima Acuña;;2;1;3\r\n"  # written before the column was added: it reads as empty
        ";;;;;9\r\n"
    )
    assert invoke(project, "build").returncode == 0
    report = json.loads(read(project / "output", "tally.json"))
    assert (report["letters"], report["cards"], report["emails"], report["participants"]) == (5, 1, 3, 9)
    done = invoke(project, "report", "--csv", "-")
    assert done.returncode == 0, done.stderr
    [totals] = [row for row in csv.reader(io.StringIO(done.stdout)) if row and row[0] == "All cases"]
    assert totals[2:6] == ["5", "1", "3", "9"]


def test_invoke_tally_refuses_a_french_count_the_file_has_no_column_for(project):
    tally_csv(project).write_text("cas;lettres\nAnnie Alfred;2\n", encoding="utf-8")
    result = invoke(project, "tally", "--case", "Annie Alfred", "--letters", "1", "--cards", "4")
    assert result.returncode == 1 and "Nothing was written" in result.stderr
    assert 'has no "cards" column for the 4 cards' in " ".join(result.stderr.split())
    assert tally_csv(project).read_text(encoding="utf-8") == "cas;lettres\nAnnie Alfred;2\n"


def test_the_count_desk_adds_and_undoes_in_a_spanish_tally(project):
    tally_csv(project).write_text("caso;cartas;tarjetas;correos\n", encoding="utf-8")
    desk = DeskProcess(project, free_port())
    try:
        phone = Phone(desk.port)
        phone.sign_in(desk.pin, "Mesa 1")
        assert phone.add("maxima-acuna", letters=3, emails=2) == 200
        assert phone.status_line() == "Added: Máxima Acuña: 3 letters, 0 cards, 2 e-mails."
        assert phone.post("/undo", {}) == 200
    finally:
        desk.stop()
    assert tally_csv(project).read_text(encoding="utf-8").splitlines() == [
        "caso;cartas;tarjetas;correos;corrección",
        "Máxima Acuña;3;0;2",
        "Máxima Acuña;-3;0;-2;undo of desk add 1",
    ]
