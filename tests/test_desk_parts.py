"""The count desk's parts on their own: the lockout's minute, the form tokens,
the address it prints (without contacting anything), the pages' escaping, the
audit log kept off the site, and the QR code on the live page."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURE_TALLY, PUBLISH_SETTINGS, build, copy_content, our_event, read
from organizer.desk import csrf, pages
from organizer.desk.access import LOCKOUT_SECONDS, MAX_SESSIONS, MAX_TRIES, Access
from organizer.desk.audit import AuditLog, Entry, audit_path
from organizer.desk.running import banner, desk_address
from organizer.devserver.page_additions import DESK_MARKER, decorate


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_five_wrong_pins_lock_a_device_out_for_a_minute_then_it_may_try_again():
    clock = Clock()
    access = Access("123456", clock)
    session = access.new_session()
    for _ in range(MAX_TRIES):
        assert access.sign_in(session, "10.0.0.7", "000000") is None
    assert access.locked_for("10.0.0.7") == LOCKOUT_SECONDS
    assert access.sign_in(session, "10.0.0.7", "123456") is None  # the right PIN waits too
    assert access.sign_in(access.new_session(), "10.0.0.8", "123456").signed_in  # another device
    clock.now += LOCKOUT_SECONDS + 0.1
    assert access.locked_for("10.0.0.7") == 0
    signed_in = access.sign_in(session, "10.0.0.7", "123456")
    assert signed_in.signed_in and signed_in.id != session.id
    assert access.session(session.id) is None  # the session from before the PIN is gone


def test_a_right_pin_resets_the_count_of_wrong_ones():
    access = Access("123456", Clock())
    for _ in range(MAX_TRIES - 1):
        access.sign_in(access.new_session(), "10.0.0.7", "111111")
    access.sign_in(access.new_session(), "10.0.0.7", "123456")
    assert access.tries_left("10.0.0.7") == MAX_TRIES


def test_a_flood_of_visits_never_signs_a_volunteer_out():
    access = Access("123456", Clock())
    volunteer = access.sign_in(access.new_session(), "10.0.0.7", "123456")
    for _ in range(MAX_SESSIONS * 2):
        access.new_session()
    assert access.session(volunteer.id) is volunteer


def test_a_form_token_is_spent_once_and_only_by_its_own_session():
    access = Access("123456")
    mine, theirs = access.new_session(), access.new_session()
    token = csrf.issue(access, mine)
    assert not csrf.spend(access, theirs, token)
    assert not csrf.spend(access, mine, None) and not csrf.spend(access, mine, "")
    assert not csrf.spend(access, mine, token[:-1] + "x")
    assert csrf.spend(access, mine, token)
    assert not csrf.spend(access, mine, token)


def test_the_desk_prints_its_lan_address_a_qr_code_and_the_pin():
    shown, own = desk_address("0.0.0.0", find_lan=lambda: "192.168.1.23")
    assert shown == "192.168.1.23" and own == {"192.168.1.23", "127.0.0.1", "localhost"}
    lines = banner("http://192.168.1.23:8003/", "042017", lan_found=True)
    assert lines[0] == "The count desk is open at http://192.168.1.23:8003/"
    assert sum("█" in line or "▀" in line for line in lines) > 10  # the QR code, drawn in the terminal
    assert [line for line in lines if "042017" in line] == [
        "PIN: 042017   (tell it to the volunteers; a new one each time the desk starts)"
    ]
    assert not any("No local network" in line for line in lines)


def test_without_a_network_the_desk_says_only_this_computer_can_open_it():
    shown, own = desk_address("0.0.0.0", find_lan=lambda: None)
    assert shown == "127.0.0.1"
    assert any("only this computer" in line for line in banner("http://127.0.0.1:8003/", "000001", False))
    assert desk_address("127.0.0.1") == ("127.0.0.1", {"127.0.0.1"})


def test_the_desk_page_escapes_case_names_devices_and_the_last_adds():
    entry = Entry(1, "2016-12-10T19:32:00+01:00", "<img src=x>", "add", "<b>Case</b>", 3, 1, 0, None)
    page = pages.desk_page(
        [("evil", '"><script>alert(1)</script>')], 10_000, ("t1", "t2"), "<i>me</i>", entry, [entry], "<s>said</s>"
    ).decode()
    assert "<script" not in page and "<img src=x>" not in page and "<i>me" not in page and "<b>Case" not in page
    assert "&lt;script&gt;" in page and "19:32 &lt;img src=x&gt; added &lt;b&gt;Case&lt;/b&gt;: 3 letters" in page
    assert 'max="10000"' in page and page.count('name="csrf"') == 2


def test_the_audit_log_is_written_whole_and_read_back(tmp_path):
    log = AuditLog(audit_path(tmp_path / "tally.csv"))
    assert log.path.name == "tally.audit.csv" and log.next_number() == 1
    log.append(Entry(1, "t", "@SUM(A1)", "add", "Annie Alfred", 3, 0, 0, 2))
    log.append(Entry(2, "t", "Table 2", "undo", "Annie Alfred", -3, 0, 0, -2, undoes=1))
    assert [(e.device, e.letters, e.participants, e.undoes) for e in log.entries()] == [
        ("@SUM(A1)", 3, 2, None),
        ("Table 2", -3, -2, 1),
    ]
    assert "'@SUM(A1)" in log.path.read_text() and log.next_number() == 3
    assert list(tmp_path.glob(".*tmp")) == []  # no temporary file left beside it


def test_the_audit_log_never_reaches_the_built_sites(tmp_path):
    content = copy_content(tmp_path, FIXTURE_TALLY)
    (content / "data" / "tally.audit.csv").write_text("number,time,device\n1,t,Table 1\n", encoding="utf-8")
    local = build(content, tmp_path / "output")
    public = build(content, tmp_path / "output-preview", settings_file=PUBLISH_SETTINGS, **our_event(PUBLISH_SETTINGS))
    for site in (local, public):
        assert (site / "index.html").exists()
        built = [p for p in Path(site).rglob("*") if p.is_file()]
        assert not [p for p in built if "audit" in p.name or "Table 1" in p.read_text(errors="ignore")]


def test_the_live_page_shows_the_desks_qr_code_only_when_asked_and_while_it_runs(tmp_path):
    content = copy_content(tmp_path, FIXTURE_TALLY)
    off = read(build(content, tmp_path / "off"), "live.html")
    assert DESK_MARKER not in off
    on = read(build(content, tmp_path / "on", LIVE_DESK_QR=True), "live.html")
    assert DESK_MARKER in on

    class State:
        epoch, lines, stale_code, failed = "1-1", [], [], False

    svg = tmp_path / "desk-qr.svg"
    assert DESK_MARKER not in decorate(on.encode(), State(), svg).decode()  # no desk: nothing shown
    assert "live-desk" not in decorate(on.encode(), State(), svg).decode()
    import segno

    segno.make("http://192.168.1.23:8003/").save(str(svg), kind="svg", xmldecl=False)
    shown = decorate(on.encode(), State(), svg).decode()
    assert '<figure class="live-desk"><img src="data:image/svg+xml;base64,' in shown
    assert "<svg" not in shown.split("live-desk", 1)[1].split("</figure>", 1)[0]  # an image: it runs nothing
    assert "live-desk" not in decorate(off.encode(), State(), svg).decode()
