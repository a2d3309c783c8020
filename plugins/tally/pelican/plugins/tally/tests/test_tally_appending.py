"""Adding a row to a tally CSV: checked first, the file kept as it is written, adds at once all landing."""

import stat
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from pelican.plugins.tally import appending
from pelican.plugins.tally.appending import append_row
from pelican.plugins.tally.problems import TallyError
from pelican.plugins.tally.reading import read_tally
from tally_samples import CASES


def test_appending_participants_adds_their_column_once(tmp_path):
    path = tmp_path / "tally.csv"
    path.write_bytes(b"case;letters;table\r\nAnnie Alfred;3;1\r\n")
    assert append_row(path, "", {"participants": "12"}, CASES) == ""
    assert append_row(path, "Annie Alfred", {"letters": "2", "participants": "1"}, CASES) == "Annie Alfred"
    assert path.read_bytes() == (
        b"case;letters;table;participants\r\nAnnie Alfred;3;1\r\n;;;12\r\nAnnie Alfred;2;;1\r\n"
    )
    tally = read_tally(path, CASES)
    assert (tally.participants, tally.totals.letters) == (13, 5)


def test_appending_bad_participants_writes_nothing(tmp_path):
    path = tmp_path / "tally.csv"
    path.write_text("case,letters\nAnnie Alfred,3\n", encoding="utf-8")
    with pytest.raises(TallyError, match='"some" in the "participants" column is not a whole number'):
        append_row(path, "", {"participants": "some"}, CASES)
    with pytest.raises(TallyError, match='the "case" cell is empty'):
        append_row(path, "", {"letters": "2", "participants": "3"}, CASES)
    assert path.read_text(encoding="utf-8") == "case,letters\nAnnie Alfred,3\n"


# Adding rows ---------------------------------------------------------------


def test_append_through_a_symlink_keeps_the_link_and_the_mode(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("case,letters\n", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "tally.csv"
    link.symlink_to(real)
    append_row(link, "Annie Alfred", {"letters": "1"}, CASES)
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "case,letters\nAnnie Alfred,1\n"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == ["real.csv", "tally.csv"]


def test_append_to_a_utf16_file_keeps_it_utf16(tmp_path):
    path = tmp_path / "tally.csv"
    path.write_bytes("case\tletters\r\nAnnie Alfred\t1\r\n".encode("utf-16"))
    append_row(path, "Annie Alfred", {"letters": "2"}, CASES)
    assert path.read_bytes().decode("utf-16") == "case\tletters\r\nAnnie Alfred\t1\r\nAnnie Alfred\t2\r\n"


def test_append_refuses_a_count_above_the_ceiling(tmp_path):
    path = tmp_path / "tally.csv"
    with pytest.raises(TallyError, match="more than 500"):
        append_row(path, "Annie Alfred", {"letters": "501"}, CASES, max_per_row=500)
    assert not path.exists()


# The plugin's folder loaded as a package of its own: importing it as
# pelican.plugins.tally would import all of Pelican first, which is most of
# each process's time.
ADD_ONE_ROW = """
import importlib, importlib.util, sys
spec = importlib.util.spec_from_file_location(
    "tally", sys.argv[3] + "/__init__.py", submodule_search_locations=[sys.argv[3]])
sys.modules["tally"] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sys.modules["tally"])
appending = importlib.import_module("tally.appending")
cases = {"annie-alfred": ["Annie Alfred"], "maxima-acuna": ["Máxima Acuña"]}
n = int(sys.argv[2])
print(appending.append_row(sys.argv[1], "Annie Alfred" if n % 2 else "maxima acuna",
                 {"letters": str(n), "cards": "1"}, cases))
"""


def test_fifty_adds_at_once_all_land_and_a_reader_always_sees_a_whole_file(tmp_path):
    path = tmp_path / "tally.csv"
    path.write_text("case,letters,cards,emails\n", encoding="utf-8")
    plugin = Path(__file__).parent.parent
    adds = [
        subprocess.Popen(
            [sys.executable, "-c", ADD_ONE_ROW, str(path), str(n), str(plugin)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(1, 51)
    ]
    readings = 0
    while any(add.poll() is None for add in adds):
        tally = read_tally(path, CASES)  # never a half-written file
        assert tally.rows <= 50
        readings += 1
        time.sleep(0.01)
    results = [add.communicate() for add in adds]
    assert [add.returncode for add in adds] == [0] * 50, [err for _, err in results if err]
    tally = read_tally(path, CASES)
    assert tally.rows == 50
    assert tally.counts["annie-alfred"].letters == sum(range(1, 51, 2))
    assert tally.counts["maxima-acuna"].letters == sum(range(2, 51, 2))
    assert tally.totals.cards == 50
    assert readings > 0
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "tally.csv"]
    assert leftovers == [".tally.csv.lock"]  # no temporary file left behind


def test_appending_to_a_file_with_a_stray_quote_writes_nothing(tmp_path):
    path = tmp_path / "tally.csv"
    before = 'case,letters,notes\nAnnie Alfred,7,"great table\nEdward Snowden,10,\n'
    path.write_text(before, encoding="utf-8")
    with pytest.raises(TallyError, match="a quote"):
        append_row(path, "Edward Snowden", {"letters": "9"}, CASES)
    assert path.read_text(encoding="utf-8") == before


@pytest.mark.parametrize("lock, program", [(".~lock.tally.csv#", "LibreOffice"), ("~$tally.csv", "Excel")])
def test_no_row_is_added_while_a_spreadsheet_has_the_file_open(tmp_path, lock, program):
    path = tmp_path / "tally.csv"
    path.write_text("case,letters\nAnnie Alfred,3\n", encoding="utf-8")
    (tmp_path / lock).write_text("someone,host,2016-12-10", encoding="utf-8")
    with pytest.raises(TallyError) as caught:
        append_row(path, "Annie Alfred", {"letters": "2"}, CASES)
    assert str(caught.value).startswith(f"{path}: is open in {program} (its lock file {lock} is beside it)")
    assert path.read_text(encoding="utf-8") == "case,letters\nAnnie Alfred,3\n"


def test_a_file_that_changes_while_a_row_is_added_is_read_again(tmp_path):
    path = tmp_path / "tally.csv"
    path.write_text("case,letters\nAnnie Alfred,3\n", encoding="utf-8")
    real_with_row, calls = appending._with_row, []

    def an_editor_saves_meanwhile(*args):
        calls.append(1)
        if len(calls) == 1:  # the editor's save lands while the first new file is made
            path.write_text("case,letters\nAnnie Alfred,3\nEdward Snowden,5\n", encoding="utf-8")
        return real_with_row(*args)

    with mock.patch.object(appending, "_with_row", an_editor_saves_meanwhile):
        append_row(path, "Máxima Acuña", {"letters": "2"}, CASES)
    assert len(calls) == 2
    assert path.read_text(encoding="utf-8") == "case,letters\nAnnie Alfred,3\nEdward Snowden,5\nMáxima Acuña,2\n"
