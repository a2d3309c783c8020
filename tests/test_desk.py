"""The count desk (issue 25), run for real (`invoke desk` on 127.0.0.1) and driven
with raw HTTP as a phone, and as an attacker on the same Wi-Fi would: nothing
without the PIN, no forged or replayed form, no foreign Host, no file, no bad count."""

from __future__ import annotations

import csv
import io
import re

import pytest

from conftest import free_port, tally_csv
from support.desk_client import DeskProcess, Phone

FIXTURE_ROWS = 5  # tests/fixtures/tally.csv
NOT_FOR_THE_WEB = "root:x:0:0"  # /etc/passwd, for the symlink and the paths out of the desk


@pytest.fixture
def desk(project):
    """`invoke desk` in the project (fixture tally: total 42), with a symlink planted in its folder."""
    (project / "organizer" / "desk" / "static" / "evil.css").symlink_to("/etc/passwd")
    running = DeskProcess(project, free_port())
    yield running
    running.stop()


def signed_in(desk, device="Table 1", client_ip="127.0.0.1") -> Phone:
    phone = Phone(desk.port, client_ip=client_ip)
    phone.sign_in(desk.pin, device)
    return phone


def rows(project) -> list[list[str]]:
    return list(csv.reader(io.StringIO(tally_csv(project).read_text(encoding="utf-8"))))


def audit_rows(project) -> list[dict]:
    path = project / "content" / "data" / "tally.audit.csv"
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))) if path.exists() else []


# -- what a volunteer does -----------------------------------------------------------


def test_an_add_is_written_shown_in_words_and_undone_with_a_visible_row(desk, project):
    phone = signed_in(desk, "Table 3")
    assert phone.add("annie-alfred", letters=3, cards=1) == 200
    assert phone.status_line() == "Added: Annie Alfred: 3 letters, 1 card, 0 e-mails."
    assert rows(project)[-1] == ["Annie Alfred", "3", "1", "0", ""]
    assert "Table 3 added Annie Alfred: 3 letters, 1 card, 0 e-mails (add 1)" in phone.page

    assert phone.post("/undo", {}) == 200
    assert phone.status_line().startswith("Taken back: Annie Alfred: 3 letters, 1 card")
    header, *body = rows(project)
    assert header == ["case", "letters", "cards", "emails", "table", "correction"]
    assert body[-1] == ["Annie Alfred", "-3", "-1", "0", "", "undo of desk add 1"]  # a row, not a deletion
    assert len(body) == FIXTURE_ROWS + 2
    assert "Table 3 took back add 1" in phone.page
    assert 'action="/undo"' not in phone.page  # one undo: the last add, once
    assert phone.post("/undo", {}, token=phone.token("/add")) == 409


def test_participants_alone_and_with_a_case(desk, project):
    phone = signed_in(desk)
    assert phone.post("/add", {"case": "", "participants": "12"}) == 200
    assert phone.status_line() == "Added: 12 participants."
    assert phone.add("Edward Snowden", emails=2, participants=1) == 200
    assert phone.status_line() == "Added: Edward Snowden: 0 letters, 0 cards, 2 e-mails; 1 participant."
    assert phone.post("/add", {"case": ""}) == 400


def test_the_audit_log_matches_the_tally_row_for_row(desk, project):
    first, second = signed_in(desk, "Table 1"), signed_in(desk, "Ana's phone", "127.0.0.2")
    first.add("annie-alfred", letters=2)
    second.add("maxima-acuna", cards=5, participants=3)
    first.post("/undo", {})
    second.add("edward-snowden", letters=1, emails=1)
    desk_rows = rows(project)[1 + FIXTURE_ROWS :]
    log = audit_rows(project)
    assert [(r["device"], r["action"], r["number"], r["undoes"]) for r in log] == [
        ("Table 1", "add", "1", ""),
        ("Ana's phone", "add", "2", ""),
        ("Table 1", "undo", "3", "1"),
        ("Ana's phone", "add", "4", ""),
    ]
    assert len(desk_rows) == len(log)
    for row, entry in zip(desk_rows, log):
        assert row[0] == entry["case"]
        assert [int(c or 0) for c in row[1:4]] == [int(entry[c]) for c in ("letters", "cards", "emails")]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", r["time"]) for r in log)


# -- no one else in ------------------------------------------------------------------


def test_nothing_is_served_without_the_pin(desk, project):
    before = tally_csv(project).read_bytes()
    stranger = Phone(desk.port)
    assert stranger.get() == 200
    assert 'action="/pin"' in stranger.page and "Annie Alfred" not in stranger.page
    assert stranger.post("/add", {"case": "annie-alfred", "letters": "5"}, token=None) == 403
    stranger.get()
    assert stranger.post("/add", {"case": "annie-alfred", "letters": "5"}, token=stranger.token("/pin")) == 403
    assert "Type the PIN first" in stranger.page
    assert stranger.post("/undo", {}, token=stranger.token("/pin")) == 403
    assert tally_csv(project).read_bytes() == before


def test_a_wrong_pin_is_refused_and_five_lock_that_device_out(desk):
    wrong = f"{(int(desk.pin) + 1) % 1_000_000:06d}"
    phone = Phone(desk.port, client_ip="127.0.0.3")
    phone.get()
    answers = [phone.post("/pin", {"pin": wrong}) for _ in range(5)]
    assert answers == [403, 403, 403, 403, 429]
    assert phone.post("/pin", {"pin": desk.pin}) == 429  # the right PIN too, for a minute
    assert "wait" in phone.status_line()
    assert phone.post("/device", {"device": "x"}, token=phone.token("/pin")) == 403  # still not signed in
    other = signed_in(desk, client_ip="127.0.0.4")  # another phone is not locked out
    assert other.status == 200
    assert "5 wrong PINs from 127.0.0.3" in desk.text()


def test_the_pin_is_in_no_url_and_no_log(desk, project):
    phone = Phone(desk.port)
    assert phone.get(f"/?pin={desk.pin}") == 200 and 'action="/pin"' in phone.page
    assert phone.request("POST", f"/pin?pin={desk.pin}", b"") == 404
    phone = signed_in(desk)
    phone.add("annie-alfred", letters=1)
    wrong = Phone(desk.port, client_ip="127.0.0.5")
    wrong.get()
    wrong.post("/pin", {"pin": "999999" if desk.pin != "999999" else "000000"})
    terminal = desk.text()
    assert terminal.count(desk.pin) == 1  # the start, for the organizer; never again
    for path in (tally_csv(project), project / "content" / "data" / "tally.audit.csv"):
        assert desk.pin not in path.read_text(encoding="utf-8")
    assert desk.pin not in phone.page


def test_cookies_are_random_httponly_strict_session_cookies_renewed_at_the_pin(desk):
    phone = Phone(desk.port)
    phone.get()
    before = phone.cookie
    cookie = phone.headers["set-cookie"]
    assert re.fullmatch(r"desk_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=/", cookie)
    phone.post("/pin", {"pin": desk.pin})
    assert phone.cookie != before and "HttpOnly; SameSite=Strict" in phone.headers["set-cookie"]
    old = Phone(desk.port)
    old.cookie = before  # the cookie from before the PIN opens nothing
    assert old.get() == 200 and 'action="/pin"' in old.page


def test_a_missing_foreign_reused_or_forged_token_is_refused(desk, project):
    phone, other = signed_in(desk), signed_in(desk, "Other", "127.0.0.6")
    before = tally_csv(project).read_bytes()
    assert phone.post("/add", {"case": "annie-alfred", "letters": "1"}, token=None) == 403
    assert phone.post("/add", {"case": "annie-alfred", "letters": "1"}, token=other.token("/add")) == 403
    assert phone.post("/add", {"case": "annie-alfred", "letters": "1"}, token="A" * 43) == 403
    assert "nothing was added" in phone.status_line()
    assert tally_csv(project).read_bytes() == before
    token = phone.token("/add")
    assert phone.post("/add", {"case": "annie-alfred", "letters": "1"}, token=token) == 200
    assert phone.post("/add", {"case": "annie-alfred", "letters": "1"}, token=token) == 403  # a reload: once only
    assert len(rows(project)) == 1 + FIXTURE_ROWS + 1


@pytest.mark.parametrize(
    "host", ["evil.example:{port}", "127.0.0.1:1", "127.0.0.1", "localhost.evil.example:{port}", ""]
)
def test_a_foreign_host_header_is_refused(desk, host):
    phone = Phone(desk.port, host=host.format(port=desk.port))
    assert phone.get() == 421 and "csrf" not in phone.page


def test_a_form_from_another_origin_is_refused(desk, project):
    phone = signed_in(desk)
    before = tally_csv(project).read_bytes()
    assert phone.add("annie-alfred", letters=1) == 200
    token = phone.token("/add")
    assert (
        phone.post("/add", {"case": "annie-alfred", "letters": "1"}, token=token, Origin="http://evil.example") == 403
    )
    assert len(tally_csv(project).read_bytes()) > len(before) and len(rows(project)) == 1 + FIXTURE_ROWS + 1


@pytest.mark.parametrize(
    "path",
    [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "//etc/passwd",
        "/evil.css",  # a symlink in the desk's folder, to /etc/passwd
        "/static/evil.css",
        "/desk.css/../evil.css",
        "/static/",
        "/organizer/desk/handler.py",
        "/tally.csv",
        "/content/data/tally.audit.csv",
    ],
)
def test_only_the_desks_own_pages_are_served(desk, path):
    phone = signed_in(desk)
    assert phone.get(path) == 404
    assert NOT_FOR_THE_WEB not in phone.page and "<li>" not in phone.page


@pytest.mark.parametrize(
    "fields, said",
    [
        ({"case": "annie-alfred", "letters": "10001"}, "more than 10,000, the most one row may hold"),
        ({"case": "annie-alfred", "cards": "-3"}, "is negative. Counts start at 0."),
        ({"case": "annie-alfred", "letters": "2.5"}, "is not a whole number"),
        ({"case": "annie-alfred", "emails": "1e3"}, "is not a whole number"),
        ({"case": "Nobody Known", "letters": "1"}, 'unknown case "Nobody Known"'),
        (
            {"case": "<script>alert(1)</script>", "letters": "1"},
            'unknown case "<script>alert(1)</script>"',
        ),
        ({"case": "annie-alfred", "letters": "1" * 30}, "far too long"),
        ({"case": "annie-alfred", "participants": "-1"}, "is negative"),
    ],
)
def test_every_field_is_checked_as_a_csv_cell_and_escaped(desk, project, fields, said):
    phone = signed_in(desk)
    before = tally_csv(project).read_bytes()
    assert phone.post("/add", fields) == 400
    assert said in phone.status_line(), phone.status_line()
    assert "<script>" not in phone.page  # shown as text: &lt;script&gt;
    assert tally_csv(project).read_bytes() == before


def test_a_device_name_is_escaped_and_kept_out_of_formulas(desk, project):
    phone = Phone(desk.port)
    phone.get()
    phone.post("/pin", {"pin": desk.pin})
    assert phone.post("/device", {"device": '=HYPERLINK("x") <b>me</b>'}) == 200
    phone.add("annie-alfred", letters=1)
    assert "<b>me</b>" not in phone.page and "&lt;b&gt;me&lt;/b&gt;" in phone.page
    [entry] = audit_rows(project)
    assert entry["device"].startswith("'=")  # a spreadsheet shows it, never runs it


@pytest.mark.parametrize(
    "how, status",
    [("page", 200), ("not found", 404), ("css", 200), ("refused form", 403), ("foreign host", 421), ("long", 413)],
)
def test_every_answer_carries_the_security_headers(desk, how, status):
    phone = Phone(desk.port, host="evil.example" if how == "foreign host" else None)
    ask = {
        "page": phone.get,
        "not found": lambda: phone.get("/nothing"),
        "css": lambda: phone.get("/desk.css"),
        "refused form": lambda: phone.post("/pin", {}, token=None),
        "foreign host": phone.get,
        "long": lambda: phone.request("POST", "/add", b"x" * 5000),
    }[how]
    assert ask() == status
    csp = phone.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "script-src" not in csp
    assert phone.headers["x-frame-options"] == "DENY"
    assert phone.headers["x-content-type-options"] == "nosniff"
    assert phone.headers["cache-control"] == "no-store"
    assert phone.headers["server"] == "CountDesk"  # no versions for whoever probes it


def test_no_page_runs_a_script(desk):
    phone = Phone(desk.port)
    phone.get()
    pages = [phone.page]
    phone.post("/pin", {"pin": desk.pin})
    pages.append(phone.page)
    phone.post("/device", {"device": "Table 1"})
    phone.add("annie-alfred", letters=1)
    pages.append(phone.page)
    for page in pages:
        assert "<script" not in page and not re.search(r"<[^>]+\son\w+=", page) and "style=" not in page
