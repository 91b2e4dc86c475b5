"""Nothing lost (issue 17 point 6): a process killed in the middle of a large import leaves the
logbook as it was; two ``planner log`` processes writing at once both land; any log, stored
and read back (and exported and imported again), never crashes and never loses an entry."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import signal
import sqlite3
import subprocess
import sys
import textwrap

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.adherence import adherence
from planner.cli.log import show_lines
from planner.logbook import Logbook, LogEntry
from planner.logfile import log_csv, log_entries, read_log
from planner.plan import COLUMNS
from planner.screening import IDS as QUESTION_IDS

DAY = dt.date(2026, 12, 1)


def count(path) -> int:
    with sqlite3.connect(path) as conn:
        found = conn.execute("SELECT count(*) FROM entry").fetchone()[0]
    conn.close()
    return found


# A process that logs 200 000 entries in one add_entries call, printing a line once 1 000
# inserts are in its open transaction, then carrying on.
KILLED = textwrap.dedent(
    """
    import datetime as dt, sys
    from planner.logbook import Logbook, LogEntry
    book = Logbook.open(sys.argv[1])
    inserts = 0
    def traced(statement):
        global inserts
        if statement.startswith("INSERT INTO entry"):
            inserts += 1
            if inserts == 1000:
                print("writing", flush=True)
    book.conn.set_trace_callback(traced)
    day = dt.date(2020, 1, 1)
    entries = (
        LogEntry(day + dt.timedelta(days=n % 2000), "glute_bridge", sets=2, reps=12,
                 imported_key=f"big:{n}")
        for n in range(200_000)
    )
    book.add_entries("me", entries)
    print("committed", flush=True)
    """
)


def test_a_process_killed_during_a_large_import_leaves_the_logbook_as_it_was(tmp_path, run_until):
    """SIGKILL with a thousand rows of an import written but not committed: the file opens,
    passes SQLite's integrity check and holds exactly what it held before."""
    path = tmp_path / "log.db"
    with Logbook.open(path) as book:
        book.add_entry("me", LogEntry(DAY, "cat_camel", sets=1, reps=10))
        before = book.entries("me")
    proc = run_until([sys.executable, "-c", KILLED, str(path)], "writing")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    with Logbook.open(path) as book:
        assert book.conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert book.entries("me") == before


def test_two_log_processes_writing_at_once_both_land(tmp_path):
    """Two planner log commands started while a third connection holds the write lock wait
    their turn (busy timeout) rather than fail, and both entries are there."""
    path = tmp_path / "log.db"
    Logbook.open(path).close()
    holder = sqlite3.connect(path)
    holder.execute("BEGIN IMMEDIATE")  # the write lock, held while both start
    command = [sys.executable, "-m", "planner", "log", "add", "--db", str(path), "2026-12-04"]
    procs = [
        subprocess.Popen(
            [*command, exercise, "--sets", "2"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for exercise in ("glute_bridge", "dead_bug")
    ]
    try:
        # Long enough for both to load and reach their write, and wait on the lock.
        early = [p.args[-3] for p in procs if _finished(p, 1.5)]
        assert early == [], f"{early} did not wait for the lock"
    finally:
        holder.rollback()
        holder.close()
    outputs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    with Logbook.open(path) as book:
        assert sorted(e.exercise_id for e in book.entries("me")) == ["dead_bug", "glute_bridge"]


def _finished(proc: subprocess.Popen, seconds: float) -> bool:
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        return False
    return True


def test_concurrent_sessions_of_many_writes_all_land(tmp_path):
    """Two processes each adding 100 entries one transaction at a time, interleaved, lose
    none of the 200."""
    path = tmp_path / "log.db"
    Logbook.open(path).close()
    script = textwrap.dedent(
        """
        import datetime as dt, sys
        from planner.logbook import Logbook, LogEntry
        with Logbook.open(sys.argv[1]) as book:
            for n in range(100):
                book.add_entry(sys.argv[2], LogEntry(dt.date(2026, 12, 1), "cat_camel", sets=n))
        """
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(path), person], stderr=subprocess.PIPE)
        for person in ("ana", "bo")
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    assert count(path) == 200


# --- any log --------------------------------------------------------------------------------

EXAMPLES = itertools.count()
EXERCISES = ("glute_bridge", "dead_bug", "cat_camel", None)
small = st.none() | st.integers(0, 30)
scale = st.none() | st.integers(0, 10)
notes = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"), max_size=12)
log_entry = st.builds(
    LogEntry,
    date=st.dates(dt.date(2024, 1, 1), dt.date(2028, 12, 31)),
    exercise_id=st.sampled_from(EXERCISES),
    sets=small,
    reps=small,
    hold_s=small,
    session_rpe=scale,
    pain_during=scale,
    pain_next_morning=scale,
    note=notes | st.sampled_from(["=1+1", "'=x", "'plain", "a,b\nc", ' "q" ']),
    skipped=st.booleans(),
    imported_key=st.none() | st.sampled_from(["a", "b", "c"]),
    red_flag=st.just("") | st.sampled_from(QUESTION_IDS),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(log_entry, max_size=25))
def test_any_log_is_stored_read_back_and_exported_whole(folder, logged):
    """Any entries (random dates with gaps, duplicates, skipped, keys repeated) stored one
    call at a time come back in date order, each kept once (a repeated key once); show never
    crashes on them; and export then import into a fresh logbook gives them all back."""
    salt = next(EXAMPLES)  # a file of its own for each example, shrinking ones included
    path = folder / f"{salt}.db"
    with Logbook.open(path) as book:
        half = len(logged) // 2
        for entry in logged[:half]:
            book.add_entry("me", entry)
        book.add_entries("me", logged[half:])
        stored = book.entries("me")
    seen, expected = set(), []
    for entry in logged:
        if entry.imported_key is not None and entry.imported_key in seen:
            continue
        seen.add(entry.imported_key)
        expected.append(entry)
    expected.sort(key=lambda e: e.date)  # stable: logging order within a day
    assert stored == expected
    assert show_lines("me", [], stored)[-1].startswith(f"{len(stored)} ")
    assert adherence([], stored).unplanned == tuple(stored)

    csv_path = folder / f"{salt}.csv"
    csv_path.write_bytes(log_csv(stored, {}, lambda _: {}, COLUMNS).encode())
    rows = read_log(csv_path, lambda exercise_id: exercise_id in EXERCISES)
    again = log_entries(rows, "me", [])
    fresh = folder / f"{salt}-fresh.db"
    with Logbook.open(fresh) as book:
        book.add_entries("me", again)
        book.add_entries("me", again)  # a second import adds nothing
        back = book.entries("me")
    assert [dataclasses.replace(e, imported_key=None) for e in back] == [
        dataclasses.replace(e, imported_key=None) for e in stored
    ]


def test_processes_opening_a_new_file_at_once_all_get_the_schema(tmp_path):
    """Four processes creating the same logbook at once each open it at the current version
    (one makes the schema, the others wait and find it made) and each entry lands."""
    path = tmp_path / "log.db"
    script = textwrap.dedent(
        """
        import datetime as dt, sys
        from planner.logbook import Logbook, LogEntry
        with Logbook.open(sys.argv[1]) as book:
            book.add_entry(sys.argv[2], LogEntry(dt.date(2026, 12, 1), "cat_camel"))
        """
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(path), f"p{n}"], stderr=subprocess.PIPE)
        for n in range(4)
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, errors
    assert count(path) == 4
