"""Where the output goes and how it is written: an output that cannot be written (a missing
or read-only folder, a file where a folder should be, /proc) is refused with one line before
any solving; writes are atomic under errors, Ctrl-C and SIGKILL, and keep the usual file
modes."""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from clean_exit import assert_clean_exit, one_line
from malformed import PLAN_CASES
from planner.output import OutputError, write

# --- output paths, checked before solving ---------------------------------------------------


def _deny_writes(monkeypatch, folder: Path) -> None:
    """``os.access`` says ``folder`` is not writable: as root the mode bits do not bind, so it
    is told what any other user would see."""
    real_access = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda p, mode, **kw: (
            False if Path(p) == folder and mode & os.W_OK else real_access(p, mode, **kw)
        ),
    )


def _no_solve(*args, **kwargs):
    raise AssertionError("solved although the output could not be written")


@pytest.mark.parametrize("where", ["a file", "under a file", "read-only"])
def test_explain_csv_folder_errors_come_before_solving(tmp_path, monkeypatch, invoke, where):
    """explain --csv into a folder that cannot be made or written exits 2 before solving."""
    monkeypatch.setattr("planner.cli.progress.solve", _no_solve)
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    folder = {"a file": blocker, "under a file": blocker / "tables"}.get(where, tmp_path / "t")
    if where == "read-only":
        _deny_writes(monkeypatch, tmp_path)
    result = invoke("explain", "--weeks", "1", "--csv", str(folder))
    assert_clean_exit(result, (2,))
    expected = {
        "a file": f"Invalid value for '--csv': Directory '{folder}' is a file.",
        "under a file": f"--csv {folder}: {blocker} is a file; give a folder",
        "read-only": f"--csv {folder}: cannot write here (folder {tmp_path} is not writable)",
    }[where]
    assert result.output == f"Error: {expected}\n"


def test_csv_into_a_read_only_folder_exits_2_before_solving(tmp_path, monkeypatch, invoke):
    """--csv into a read-only folder exits 2 naming the folder, before any solving."""
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    _deny_writes(monkeypatch, locked)
    monkeypatch.setattr("planner.cli.progress.solve", _no_solve)
    try:
        result = invoke("plan", *PLAN_CASES["week"][1], "--csv", str(locked / "plan.csv"))
    finally:
        locked.chmod(0o755)
    assert_clean_exit(result, (2,))
    assert result.output == (
        f"Error: --csv {locked / 'plan.csv'}: cannot write here (folder {locked} is not writable)\n"
    )
    assert list(locked.iterdir()) == []


def test_csv_where_no_file_can_be_made_exits_2_with_one_line(invoke):
    """--csv into /proc, where even root cannot create a file, exits 2 with one line."""
    result = invoke("plan", *PLAN_CASES["week"][1], "--time-limit", "20", "--csv", "/proc/x.csv")
    assert_clean_exit(result, (2,))
    assert result.output.startswith("Error: --csv /proc/x.csv: ")
    assert one_line(result.output.rstrip("\n"))


@pytest.mark.parametrize("where", ["missing folder", "a directory"])
def test_csv_errors_come_before_solving(tmp_path, monkeypatch, invoke, where):
    """An impossible --csv (a missing folder, a directory) is refused before solving."""
    monkeypatch.setattr("planner.cli.progress.solve", _no_solve)
    path = tmp_path / "no" / "plan.csv" if where == "missing folder" else tmp_path
    assert_clean_exit(invoke("plan", *PLAN_CASES["week"][1], "--csv", str(path)), (2,))


# --- atomic writes --------------------------------------------------------------------------


ORIGINAL = b"week,day\n1,mon\n"
NEW_TEXT = "new line\n" * 20_000


class _DyingFile:
    """A file whose ``write`` writes the first ``cut`` characters and then calls ``die``."""

    def __init__(self, f, cut, die):
        self.f, self.cut, self.die = f, cut, die

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.f.close()

    def write(self, text):
        self.f.write(text[: self.cut])
        self.f.flush()
        self.die()

    def __getattr__(self, name):
        return getattr(self.f, name)


@pytest.mark.parametrize("failure", ["ctrl-c", "disk full"])
def test_50_writes_failing_midway_leave_the_old_file_and_no_temporary(
    tmp_path, monkeypatch, failure
):
    """Ctrl-C or a full disk at 50 points of a write leaves the old file and no temporary."""

    def die():
        if failure == "ctrl-c":
            raise KeyboardInterrupt
        raise OSError(errno.ENOSPC, "No space left on device")

    target = tmp_path / "plan.csv"
    target.write_bytes(ORIGINAL)
    real_fdopen = os.fdopen
    cuts = [0, 1, len(NEW_TEXT) - 1, *random.Random(0).sample(range(len(NEW_TEXT)), 47)]
    expected = KeyboardInterrupt if failure == "ctrl-c" else OutputError
    partial = 0
    for cut in cuts:
        monkeypatch.setattr(
            os, "fdopen", lambda *a, cut=cut, **k: _DyingFile(real_fdopen(*a, **k), cut, die)
        )
        with pytest.raises(expected):
            write(target, NEW_TEXT)
        partial += target.read_bytes() != ORIGINAL or list(tmp_path.iterdir()) != [target]
    assert len(cuts) == 50
    assert partial == 0


KILL_SCRIPT = """
import os, signal, sys
from planner.output import write

where, target = sys.argv[1], sys.argv[2]
real_fdopen = os.fdopen
def die():
    os.kill(os.getpid(), signal.SIGKILL)
class HalfThenDie:
    def __init__(self, f): self.f = f
    def __enter__(self): return self
    def __exit__(self, *exc): self.f.close()
    def write(self, text):
        self.f.write(text[: len(text) // 2]); self.f.flush(); os.fsync(self.f.fileno()); die()
if where == "write":
    os.fdopen = lambda *a, **k: HalfThenDie(real_fdopen(*a, **k))
else:  # the temporary file is whole and synced: die just before the rename
    os.replace = lambda *a: die()
write(target, "new line\\n" * 20000)
"""


@pytest.mark.parametrize("where", ["write", "rename"])
def test_sigkill_midway_leaves_the_old_file_intact(tmp_path, where):
    """SIGKILL mid-write or just before the rename leaves the old file byte-identical."""
    # SIGKILL allows no clean-up: the one hidden .plan.csv.<random>.tmp it leaves is expected.
    target = tmp_path / "plan.csv"
    target.write_bytes(ORIGINAL)
    done = subprocess.run(
        [sys.executable, "-c", KILL_SCRIPT, where, str(target)], capture_output=True, timeout=120
    )
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()[-2000:]
    assert target.read_bytes() == ORIGINAL
    left = [p.name for p in tmp_path.iterdir() if p != target]
    assert len(left) == 1
    assert left[0].startswith(".plan.csv.") and left[0].endswith(".tmp")


SIGINT_WRITE_SCRIPT = """
import os, sys, time
from planner import Profile, load_catalog, solve
from planner.output import write

# A solve first: CP-SAT's own Ctrl-C handler used to leave SIGINT at the default action
# after it, so that the Ctrl-C below killed the process with the temporary file left over.
solve(load_catalog(), Profile.for_level("beginner", days=("mon", "wed", "fri"), weeks=1))
real_fdopen = os.fdopen
class SlowFile:
    def __init__(self, f): self.f = f
    def __enter__(self): return self
    def __exit__(self, *exc): self.f.close()
    def write(self, text):
        self.f.write(text[: len(text) // 2]); self.f.flush()
        print("half written", flush=True)
        time.sleep(60)
os.fdopen = lambda *a, **k: SlowFile(real_fdopen(*a, **k))
try:
    write(sys.argv[1], "new line\\n" * 20000)
except KeyboardInterrupt:
    print("KeyboardInterrupt", flush=True)
    sys.exit(130)
"""


def test_ctrl_c_during_a_write_after_a_solve_leaves_no_trace(tmp_path, run_until):
    """SIGINT mid-write after a solve raises KeyboardInterrupt: old file kept, no temporary."""
    target = tmp_path / "plan.csv"
    target.write_bytes(ORIGINAL)
    proc = run_until([sys.executable, "-c", SIGINT_WRITE_SCRIPT, str(target)], "half written")
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err[-2000:]
    assert "KeyboardInterrupt" in out
    assert target.read_bytes() == ORIGINAL
    assert list(tmp_path.iterdir()) == [target]


def test_written_files_get_the_usual_mode_and_keep_a_replaced_files_mode(tmp_path):
    """A new file gets 0666 less the umask (not mkstemp's 0600); a replaced one keeps its mode."""
    umask = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.csv"
        write(fresh, "a\n")
        assert fresh.stat().st_mode & 0o777 == 0o644
        fresh.chmod(0o640)
        write(fresh, "b\n")
        assert fresh.stat().st_mode & 0o777 == 0o640
        assert fresh.read_text() == "b\n"
    finally:
        os.umask(umask)
