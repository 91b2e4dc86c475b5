"""Never destroy what the person has (issue 15): an output that is one of the command's own
inputs is refused before any work, by whatever path names it; and whatever stands at an
output path is written the way it asks for (``planner.output``): a regular file replaced
atomically keeping its mode, a symlink written through, a hard link kept, a device or FIFO
written in place with its errors told, a read-only file refused. No test here solves: the
commands get a tiny plan made once."""

from __future__ import annotations

import datetime as dt
import errno
import os
import pwd
import re
import select
import shutil
import signal
import socket
import stat
import tempfile
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clean_exit import assert_clean_exit, one_line
from malformed import fuzz
from planner import solve
from planner.export import EXPORTS, csv_text
from planner.importer import catalog_csv
from planner.output import OutputError, same_file, write
from planner.plan import Plan
from planner.profile_file import dump_profile

START = dt.date(2026, 11, 30)
# The tiny profile (conftest.TINY_PROFILE) as options, with the tiny catalogue as cat.csv.
TINY = ("--level", "beginner", "--days", "mon,wed,fri", "--sessions", "3", "--minutes", "15")
TINY = (*TINY, "--weeks", "1", "--catalog", "cat.csv")
ORIGINAL = b"week,day\n1,mon\n"
NEW = "new plan\n" * 100


@pytest.fixture(scope="module")
def week(tiny_catalog, tiny_profile) -> Plan:
    """The tiny week, solved once for the module."""
    return solve(tiny_catalog(), tiny_profile())


@pytest.fixture(scope="module")
def dated(week, tiny_profile) -> Plan:
    """The tiny week from START, so that it can be a calendar too."""
    return Plan(tiny_profile(start=START), week.entries)


@pytest.fixture(scope="module")
def tiny_csv(tiny_catalog) -> str:
    """The tiny catalogue as CSV text."""
    return catalog_csv(tiny_catalog())


@pytest.fixture
def made(here, tiny_csv, monkeypatch, dated) -> Path:
    """A fresh working directory holding the tiny catalogue as cat.csv, where ``planner
    plan`` gets the dated tiny week instead of solving."""
    (here / "cat.csv").write_text(tiny_csv)
    monkeypatch.setattr("planner.cli.progress.solve", lambda *a, **k: dated)
    return here


def _no_solve(*args, **kwargs):
    raise AssertionError("solved although the output is refused")


def _error(result, message: str) -> None:
    """Exit 2 with ``Error: message`` as the one line printed."""
    assert_clean_exit(result, (2,))
    assert result.output == f"Error: {message}\n"


# --- an output that is an input -----------------------------------------------------------

ROUTES = ["same path", "./", "absolute", "symlink", "hard link"]


def _route(here: Path, name: str, route: str) -> str:
    """A path naming file ``name`` (relative to ``here``) by ``route``."""
    if route == "same path":
        return name
    if route == "./":
        return f"./{name}"
    if route == "absolute":
        return str(here / name)
    if route == "symlink":
        (here / "link-to-it").symlink_to(here / name)
        return "link-to-it"
    os.link(here / name, here / "hard-link-to-it")
    return "hard-link-to-it"


def _inputs(week, tiny_profile) -> dict[str, tuple[str, bytes, tuple[str, ...]]]:
    """Each input, by the name the message gives it: the file (in the working directory) and
    its bytes, and the command line reading it, ending in the output option."""
    plan_csv = csv_text(week).encode()
    return {
        "--catalog": ("X.csv", None, ("plan", *TINY, "--catalog", "X.csv", "--csv")),
        "--profile": (
            "me.toml",
            dump_profile(tiny_profile()).encode(),
            ("plan", "--catalog", "cat.csv", "--profile", "me.toml", "--json"),
        ),
        "--after": ("b1.csv", plan_csv, ("plan", *TINY, "--after", "b1.csv", "--csv")),
        "PLAN_CSV": ("p.csv", plan_csv, ("report", "p.csv", *TINY, "--html")),
        "PATH": (
            "src/exercises.json",
            b"[]",
            ("catalog", "import", "free-exercise-db", "src", "-o"),
        ),
        "--overrides": (
            "fix.csv",
            b"id\n",
            ("catalog", "import", "free-exercise-db", "--overrides", "fix.csv", "-o"),
        ),
    }


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(
    "name", ["--catalog", "--profile", "--after", "PLAN_CSV", "PATH", "--overrides"]
)
def test_an_output_that_is_an_input_is_refused_before_any_work(
    made, monkeypatch, invoke, week, tiny_profile, name, route
):
    """An output naming an input (same path, ./, absolute, symlink, hard link): exit 2, one
    line naming both, nothing solved or imported, the input's bytes unchanged."""
    monkeypatch.setattr("planner.cli.progress.solve", _no_solve)
    file, content, args = _inputs(week, tiny_profile)[name]
    path = made / file
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content if content is not None else (made / "cat.csv").read_bytes())
    before = path.read_bytes()
    out = _route(made, file, route)
    result = invoke(*args, out)
    given = {"PATH": "src/exercises.json"}.get(name, file)
    _error(result, f"{args[-1]} {out} is the same file as {name} {given}; give another output file")
    assert path.read_bytes() == before
    assert stat.S_ISREG(path.lstat().st_mode)


def test_a_file_a_folder_output_writes_is_checked_against_the_inputs(
    made, invoke, monkeypatch, week
):
    """explain --csv DIR writes DIR/weeks.csv: refused when that is --after's plan."""
    monkeypatch.setattr("planner.cli.progress.solve", _no_solve)
    (made / "tables").mkdir()
    (made / "tables" / "weeks.csv").write_text(csv_text(week))
    result = invoke("explain", *TINY, "--after", "tables/weeks.csv", "--csv", "tables")
    _error(
        result,
        "--csv tables/weeks.csv is the same file as --after tables/weeks.csv; "
        "give another output file",
    )
    assert (made / "tables" / "weeks.csv").read_text() == csv_text(week)


def test_a_device_may_be_both_an_input_and_an_output(made, invoke):
    """--profile /dev/null --csv /dev/null writes nothing anyone has: not refused."""
    null = _device(made, "null")
    result = invoke(
        "plan", "--catalog", "cat.csv", "--profile", null, "--weeks", "1", "--csv", null
    )
    assert_clean_exit(result, (0,))
    assert stat.S_ISCHR(os.lstat(null).st_mode)


def test_same_file_is_one_file_by_any_name(tmp_path):
    """same_file: the same file through ./, a symlink or a hard link; a missing file only at
    its own resolved path."""
    a = tmp_path / "a.csv"
    a.write_bytes(ORIGINAL)
    (tmp_path / "sym").symlink_to(a)
    os.link(a, tmp_path / "hard")
    (tmp_path / "b.csv").write_bytes(ORIGINAL)
    assert same_file(a, tmp_path / "sym") and same_file(tmp_path / "hard", a)
    assert same_file(tmp_path / "." / "new.csv", tmp_path / "new.csv")
    assert not same_file(a, tmp_path / "b.csv")
    assert not same_file(tmp_path / "new.csv", a)


# --- each kind of target --------------------------------------------------------------------


def test_a_regular_file_is_replaced_keeping_its_mode_and_owner(tmp_path):
    """A regular file gets the new bytes as a new file (renamed over it) with its mode kept,
    and, when root writes it, its owner."""
    target = tmp_path / "plan.csv"
    target.write_bytes(ORIGINAL)
    target.chmod(0o640)
    owner = (target.stat().st_uid, target.stat().st_gid)
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(target, nobody.pw_uid, nobody.pw_gid)
        owner = (nobody.pw_uid, nobody.pw_gid)
    write(target, NEW)
    assert target.read_text() == NEW
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert (target.stat().st_uid, target.stat().st_gid) == owner
    assert list(tmp_path.iterdir()) == [target]


def _as_nobody(action) -> str:
    """What ``action()`` returns, run in a forked child as user nobody. Forked, not a new
    interpreter: root's Python may live where nobody cannot read (/root)."""
    nobody = pwd.getpwnam("nobody")
    receive, send = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            os.close(receive)
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            os.write(send, action().encode())
            code = 0
        except BaseException as err:
            os.write(send, repr(err).encode())
        finally:
            os._exit(code)
    os.close(send)
    with os.fdopen(receive, "rb") as answer:
        said = answer.read().decode()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, said
    return said


@pytest.fixture
def nobodys_folder():
    """A folder of user nobody's, in /tmp, where nobody may make and rename files."""
    if os.geteuid() != 0:
        pytest.skip("only root can act as user nobody; as any other user the 'me' case is it")
    folder = Path(tempfile.mkdtemp(prefix="planner-nobody-", dir="/tmp"))
    nobody = pwd.getpwnam("nobody")
    os.chown(folder, nobody.pw_uid, nobody.pw_gid)
    yield folder
    shutil.rmtree(folder)


def _try_write(path: Path) -> str:
    try:
        write(path, NEW)
    except OutputError as err:
        return str(err)
    return "written"


def test_a_read_only_file_is_refused_and_kept(tmp_path):
    """A 0444 file is refused, by root too (who could write it), and stays as it was."""
    target = tmp_path / "plan.csv"
    target.write_bytes(ORIGINAL)
    target.chmod(0o444)
    assert _try_write(target) == f"{target}: is read-only; allowed: a writable file"
    assert target.read_bytes() == ORIGINAL
    assert stat.S_IMODE(target.stat().st_mode) == 0o444


@pytest.mark.parametrize("owner", ["nobody, 0444", "root, 0644"])
def test_a_read_only_file_is_refused_for_another_user(nobodys_folder, owner):
    """As user nobody, in nobody's own folder (where a rename would succeed): a file of
    nobody's at 0444, or root's at 0644, is refused and stays as it was."""
    target = nobodys_folder / "plan.csv"
    target.write_bytes(ORIGINAL)
    if owner.startswith("nobody"):
        nobody = pwd.getpwnam("nobody")
        os.chown(target, nobody.pw_uid, nobody.pw_gid)
        target.chmod(0o444)
    else:
        target.chmod(0o644)
    said = _as_nobody(lambda: _try_write(target))
    assert said == f"{target}: is read-only; allowed: a writable file"
    assert target.read_bytes() == ORIGINAL
    assert sorted(nobodys_folder.iterdir()) == [target]


def test_the_command_refuses_a_read_only_output_before_solving(made, invoke, monkeypatch):
    """plan --csv on a read-only file exits 2 with one line, before solving."""
    monkeypatch.setattr("planner.cli.progress.solve", _no_solve)
    (made / "ro.csv").write_bytes(ORIGINAL)
    (made / "ro.csv").chmod(0o444)
    _error(
        invoke("plan", *TINY, "--csv", "ro.csv"),
        "--csv ro.csv: is read-only; allowed: a writable file",
    )
    assert (made / "ro.csv").read_bytes() == ORIGINAL


def test_a_symlink_is_written_through(tmp_path):
    """Writing a symlink writes the file it points to; the link stays a link."""
    real = tmp_path / "kept" / "plan.csv"
    real.parent.mkdir()
    real.write_bytes(ORIGINAL)
    real.chmod(0o600)
    link = tmp_path / "plan.csv"
    link.symlink_to(real)
    write(link, NEW)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == NEW
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert sorted(p.name for p in real.parent.iterdir()) == ["plan.csv"]


def test_a_dangling_symlink_makes_its_file(tmp_path):
    """A symlink to a file not there yet makes that file and stays a link; one into a
    missing folder is refused, naming the folder."""
    link = tmp_path / "plan.csv"
    link.symlink_to("made.csv")  # relative, as ln -s gives
    write(link, NEW)
    assert link.is_symlink() and (tmp_path / "made.csv").read_text() == NEW
    lost = tmp_path / "lost.csv"
    lost.symlink_to(tmp_path / "gone" / "x.csv")
    with pytest.raises(OutputError, match=f"^{lost}: folder {tmp_path / 'gone'} does not exist$"):
        write(lost, NEW)
    assert lost.is_symlink()


def test_a_hard_linked_file_is_written_in_place(tmp_path):
    """A file with two names is written in place: both names show the new content, longer
    or shorter, as one file with its mode."""
    target, other = tmp_path / "plan.csv", tmp_path / "backup.csv"
    target.write_bytes(ORIGINAL)
    target.chmod(0o640)
    os.link(target, other)
    inode = target.stat().st_ino
    for content in (NEW, "short\n"):
        write(target, content)
        assert other.read_text() == target.read_text() == content
        assert target.stat().st_ino == inode and target.stat().st_nlink == 2
        assert stat.S_IMODE(other.stat().st_mode) == 0o640
    assert sorted(tmp_path.iterdir()) == [other, target]


def test_a_hard_linked_file_on_a_full_disk_is_left_as_it_was(tmp_path, monkeypatch):
    """The space is reserved before the first byte changes: a full disk leaves it whole."""
    target, other = tmp_path / "plan.csv", tmp_path / "backup.csv"
    target.write_bytes(ORIGINAL)
    os.link(target, other)

    def full(*args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "posix_fallocate", full)
    with pytest.raises(OutputError, match="cannot write \\(No space left on device\\)$"):
        write(target, NEW)
    assert other.read_bytes() == ORIGINAL


def test_a_hard_linked_file_holds_ctrl_c_until_it_is_whole(tmp_path, monkeypatch):
    """Ctrl-C in the middle of writing a hard-linked file comes after the write: the file
    is whole, then KeyboardInterrupt."""
    target, other = tmp_path / "plan.csv", tmp_path / "backup.csv"
    target.write_bytes(ORIGINAL)
    os.link(target, other)
    real_write = os.write

    def short_then_ctrl_c(fd, data):
        done = real_write(fd, data[:10])
        os.kill(os.getpid(), signal.SIGINT)
        return done

    monkeypatch.setattr(os, "write", short_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        write(target, NEW)
    monkeypatch.undo()
    assert other.read_text() == NEW


@pytest.mark.parametrize("kind", ["directory", "socket", "block device"])
def test_a_directory_socket_or_disk_is_refused(tmp_path, kind):
    """A directory, a socket or a block device is refused, naming what it is, and stays."""
    target = tmp_path / "t"
    if kind == "directory":
        target.mkdir()
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(target))
        server.close()
    else:
        try:
            os.mknod(target, stat.S_IFBLK | 0o600, os.makedev(7, 200))
        except PermissionError:
            pytest.skip("making a block device node needs root (CAP_MKNOD)")
    what = {"block device": "a block device (a disk)"}.get(kind, f"a {kind}")
    before = target.lstat().st_mode
    with pytest.raises(
        OutputError, match=f"^{re.escape(f'{target}: is {what}')}; give a file name$"
    ):
        write(target, NEW)
    assert target.lstat().st_mode == before


def _device(folder: Path, name: str) -> str:
    """``/dev/NAME``; as root, a node of the same device in ``folder`` instead, so that a
    write path gone wrong replaces the test's node, not the machine's /dev/null (only root
    could: /dev is not writable to anyone else)."""
    real = f"/dev/{name}"
    if os.geteuid() != 0:
        return real
    node = folder / name
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.stat(real).st_rdev)
        os.close(os.open(node, os.O_WRONLY))  # not on a nodev mount
    except OSError:
        node.unlink(missing_ok=True)
        return real
    return str(node)


def test_dev_null_stays_a_character_device(made, invoke):
    """plan --csv /dev/null writes into it, says so, and it stays /dev/null (root included)."""
    null = _device(made, "null")
    device = os.stat(null).st_rdev
    result = invoke("plan", *TINY, "--csv", null)
    assert_clean_exit(result, (0,))
    assert f"to {null}." in result.output
    assert stat.S_ISCHR(os.lstat(null).st_mode) and os.stat(null).st_rdev == device


def test_dev_full_exits_2_saying_no_space_and_claims_nothing(made, invoke):
    """plan --csv /dev/full exits 2 with the ENOSPC line and no 'Wrote'; it stays a device."""
    full = _device(made, "full")
    result = invoke("plan", *TINY, "--csv", full)
    _error(result, f"--csv {full}: cannot write (No space left on device)")
    assert stat.S_ISCHR(os.lstat(full).st_mode)


class FifoReader:
    """A program reading a FIFO: open before the write (so that the writer finds a reader),
    gathering the bytes on a thread until the writer closes its end."""

    def __init__(self, path: Path):
        self.fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        self.chunks: list[bytes] = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        poller = select.poll()
        poller.register(self.fd, select.POLLIN)
        while poller.poll(20_000):  # no hang-up is reported before a writer has come
            try:
                chunk = os.read(self.fd, 65536)
            except BlockingIOError:
                continue
            if not chunk:
                return
            self.chunks.append(chunk)

    def got(self) -> bytes:
        self.thread.join(20)
        os.close(self.fd)
        return b"".join(self.chunks)


def test_a_fifo_with_a_reader_gets_the_bytes_and_stays_a_fifo(made, invoke, dated):
    """plan --json FIFO, with a program reading it: it reads the plan; the FIFO stays."""
    fifo = made / "pipe"
    os.mkfifo(fifo)
    reader = FifoReader(fifo)
    result = invoke("plan", *TINY, "--json", "pipe", "--quiet")
    assert_clean_exit(result, (0,))
    assert reader.got() == EXPORTS["json"].render(dated).encode()
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_fifo_without_a_reader_fails_in_one_line_without_waiting(made, invoke):
    """plan --csv FIFO with no program reading it exits 2 at once, in one line."""
    os.mkfifo(made / "pipe")
    results = []
    runner = threading.Thread(
        target=lambda: results.append(invoke("plan", *TINY, "--csv", "pipe")), daemon=True
    )
    runner.start()
    runner.join(20)
    assert results, "waited for a reader"
    _error(results[0], "--csv pipe: no program is reading this FIFO; start the reader first")
    assert stat.S_ISFIFO((made / "pipe").lstat().st_mode)


# --- any target, any format -----------------------------------------------------------------

KINDS = [
    "regular",
    "missing",
    "read-only",
    "symlink",
    "dangling symlink",
    "hard link",
    "directory",
    "fifo with a reader",
    "/dev/null",
]


def _snapshot(folder: Path) -> dict[str, tuple]:
    """What stands in ``folder``: each name's kind and mode, and its bytes or link."""
    seen = {}
    for p in sorted(folder.rglob("*")):
        info = p.lstat()
        if p.is_symlink():
            body = os.readlink(p)
        elif stat.S_ISREG(info.st_mode):
            body = p.read_bytes()
        else:
            body = None
        seen[str(p.relative_to(folder))] = (info.st_mode, body)
    return seen


def _set_up(case: Path, kind: str) -> str:
    """Make ``kind`` stand at the output path in ``case``; the path to give."""
    target = case / "out"
    if kind in ("regular", "read-only", "hard link"):
        target.write_bytes(ORIGINAL)
        target.chmod(0o444 if kind == "read-only" else 0o640)
        if kind == "hard link":
            os.link(target, case / "other")
    elif kind == "symlink":
        (case / "real").write_bytes(ORIGINAL)
        target.symlink_to("real")
    elif kind == "dangling symlink":
        target.symlink_to("real")
    elif kind == "directory":
        target.mkdir()
    elif kind == "fifo with a reader":
        os.mkfifo(target)
    elif kind == "/dev/null":
        return _device(case, "null")
    return str(target)


@fuzz(60)
@given(kind=st.sampled_from(KINDS), fmt=st.sampled_from(["csv", "json", "ics"]))
def test_any_target_gets_the_content_or_is_refused_unchanged(
    folder, invoke, dated, tiny_csv, kind, fmt
):
    """Whatever stands at the output, in any format: the content lands where the person
    expects and the kind of file is unchanged, or exit 2 with one line and nothing changed."""
    case = Path(tempfile.mkdtemp(dir=folder))
    (case / "cat.csv").write_text(tiny_csv)
    path = _set_up(case, kind)
    before = _snapshot(case)
    reader = FifoReader(Path(path)) if kind == "fifo with a reader" else None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("planner.cli.progress.solve", lambda *a, **k: dated)
        patch.chdir(case)
        result = invoke("plan", *TINY, "--start", START.isoformat(), f"--{fmt}", path, "-q")
    expected = EXPORTS[fmt].render(dated)
    expected = expected.encode() if isinstance(expected, str) else expected
    if kind in ("read-only", "directory"):
        assert_clean_exit(result, (2,))
        assert one_line(result.output.rstrip("\n")), result.output
        assert _snapshot(case) == before
        return
    assert_clean_exit(result, (0,))
    after = _snapshot(case)
    if reader is not None:
        assert reader.got() == expected
    if kind == "/dev/null":
        assert stat.S_ISCHR(os.lstat(path).st_mode)
        assert after == before
    elif kind in ("symlink", "dangling symlink"):
        assert after["out"] == before["out"]  # still the same link
        assert (case / "real").read_bytes() == expected
    elif kind == "fifo with a reader":
        assert after == before
    else:
        assert (case / "out").read_bytes() == expected
        assert stat.S_ISREG((case / "out").lstat().st_mode)
        if kind != "missing":
            assert after["out"][0] == before["out"][0]  # kind and mode
        if kind == "hard link":
            assert (case / "other").read_bytes() == expected
            assert (case / "other").stat().st_ino == (case / "out").stat().st_ino
    made = set(after) - set(before) - {"real"}
    assert made <= {"out"}, made  # no temporary file left, nothing else made
