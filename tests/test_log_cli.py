"""``planner log add`` and ``planner log show`` (planner/cli/log.py): entries round-trip
through the logbook file, the file is found by --db or $PLANNER_DB, people are kept apart, and
every bad input is one line with exit 2."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pytest

from planner.catalog import SHIPPED
from planner.export import csv_text
from planner.logbook import MIGRATIONS, Logbook, LogEntry, catalog_hash
from planner.plan import Entry, Plan
from planner.profile import Profile

ADD = ("log", "add", "--db", "log.db")
SHOW = ("log", "show", "--db", "log.db")


def assert_exits(result, code: int) -> None:
    assert result.exit_code == code, (result.exit_code, result.output, result.exception)


def test_add_then_show_round_trips_each_field(here, invoke):
    """Each add prints one line saying what was logged; show lists them by date, then the
    count."""
    result = invoke(*ADD, "2026-12-04", "glute_bridge", "--sets", "2", "--reps", "12",
                    "--rpe", "6", "--pain", "2")  # fmt: skip
    assert_exits(result, 0)
    assert result.output == "Logged glute_bridge on 2026-12-04 for me: 2 x 12, RPE 6, pain 2/10.\n"
    result = invoke(*ADD, "2026-12-05", "dead_bug", "--skipped", "--note", "back ached")
    assert result.output == "Logged dead_bug on 2026-12-05 for me: skipped, note: back ached.\n"
    result = invoke(*ADD, "2026-12-03", "cat_camel", "--sets", "1", "--hold", "30",
                    "--pain-next", "0")  # fmt: skip
    assert result.output == (
        "Logged cat_camel on 2026-12-03 for me: 1 x 30 s, pain next morning 0/10.\n"
    )
    assert invoke(*ADD, "2026-12-06", "bird_dog").output == (
        "Logged bird_dog on 2026-12-06 for me.\n"
    )
    result = invoke(*SHOW)
    assert_exits(result, 0)
    assert result.output.splitlines() == [
        "2026-12-03  cat_camel                    1 x 30 s, pain next morning 0/10",
        "2026-12-04  glute_bridge                 2 x 12, RPE 6, pain 2/10",
        "2026-12-05  dead_bug                     skipped, note: back ached",
        "2026-12-06  bird_dog",
        "4 entries for me.",
    ]


def test_show_keeps_to_the_dates_given(here, invoke):
    """--from and --to are both included; one entry is counted as one."""
    for day in ("2026-12-01", "2026-12-02", "2026-12-03"):
        invoke(*ADD, day, "glute_bridge", "--sets", "2")
    result = invoke(*SHOW, "--from", "2026-12-02", "--to", "2026-12-02")
    assert_exits(result, 0)
    assert result.output.splitlines() == [
        "2026-12-02  glute_bridge                 2 sets",
        "1 entry for me.",
    ]


def test_show_without_a_file_says_so_and_creates_none(here, invoke):
    """A logbook that does not exist yet has no entries, and show does not make the file."""
    result = invoke(*SHOW)
    assert_exits(result, 0)
    assert result.output == "No log entries for me.\n"
    assert not (here / "log.db").exists()


def test_the_environment_names_the_file(here, invoke, monkeypatch):
    """Without --db the file is $PLANNER_DB."""
    monkeypatch.setenv("PLANNER_DB", str(here / "env.db"))
    assert_exits(invoke("log", "add", "2026-12-04", "glute_bridge", "--reps", "10"), 0)
    with Logbook.open(here / "env.db") as book:
        assert [e.reps for e in book.entries("me")] == [10]
    assert invoke("log", "show").output.splitlines()[-1] == "1 entry for me."


def test_people_are_kept_apart(here, invoke):
    """--person logs and shows one person's entries only; the default person is me."""
    assert invoke(*ADD, "2026-12-04", "glute_bridge", "--person", "ana").output == (
        "Logged glute_bridge on 2026-12-04 for ana.\n"
    )
    invoke(*ADD, "2026-12-04", "dead_bug")
    assert invoke(*SHOW, "--person", "ana").output.splitlines() == [
        "2026-12-04  glute_bridge",
        "1 entry for ana.",
    ]
    assert invoke(*SHOW).output.splitlines() == ["2026-12-04  dead_bug", "1 entry for me."]
    assert invoke(*SHOW, "--person", "bo").output == "No log entries for bo.\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("2026-13-01", "glute_bridge"),
            "Invalid value for 'DATE': '2026-13-01' does not match the format '%Y-%m-%d'.",
        ),
        (
            ("2026-12-04", "glute_brige"),
            "EXERCISE: 'glute_brige' is not in the catalogue; did you mean 'glute_bridge'?",
        ),
        (
            ("2026-12-04", "xyzzy"),
            "EXERCISE: 'xyzzy' is not in the catalogue; planner catalog lists its exercises",
        ),
        (
            ("2026-12-04", "glute_bridge", "--pain", "11"),
            "Invalid value for '--pain': 11 is not in the range 0<=x<=10.",
        ),
        (
            ("2026-12-04", "glute_bridge", "--pain-next", "-1"),
            "Invalid value for '--pain-next': -1 is not in the range 0<=x<=10.",
        ),
        (
            ("2026-12-04", "glute_bridge", "--rpe", "12"),
            "Invalid value for '--rpe': 12 is not in the range 0<=x<=10.",
        ),
        (
            ("2026-12-04", "glute_bridge", "--sets", "0"),
            "Invalid value for '--sets': 0 is not in the range x>=1.",
        ),
        (
            ("2026-12-04", "glute_bridge", "--reps", "10", "--hold", "30"),
            "--reps and --hold cannot be used together; give one of them",
        ),
        (
            ("2026-12-04", "glute_bridge", "--person", " "),
            "--person: a person needs a name; give one, or leave it out for me",
        ),
    ],
    ids=[
        "date",
        "near id",
        "unknown id",
        "pain",
        "pain next",
        "rpe",
        "sets",
        "reps and hold",
        "person",
    ],  # fmt: skip
)
def test_bad_input_to_add_is_one_line_and_logs_nothing(here, invoke, args, message):
    """Exit 2 with one line naming the argument or option, and no file written."""
    result = invoke(*ADD, *args)
    assert_exits(result, 2)
    assert result.output == f"Error: {message}\n"
    assert not (here / "log.db").exists()


def test_show_refuses_dates_the_wrong_way_round(here, invoke):
    """--from after --to: exit 2 naming both."""
    result = invoke(*SHOW, "--from", "2026-12-05", "--to", "2026-12-01")
    assert_exits(result, 2)
    assert result.output == (
        "Error: --from 2026-12-05 is after --to 2026-12-01; give --from on or before --to\n"
    )


@pytest.mark.parametrize("command", ["add", "show"])
def test_a_file_that_is_not_a_logbook_is_refused(here, invoke, command):
    """A --db file that is not SQLite: exit 2, one line naming it, no traceback, file kept."""
    (here / "notes.txt").write_text("not a database, just words\n" * 10)
    args = ("2026-12-04", "glute_bridge") if command == "add" else ()
    result = invoke("log", command, "--db", "notes.txt", *args)
    assert_exits(result, 2)
    assert result.output == (
        "Error: --db notes.txt is not a planner database (file is not a database)\n"
    )
    assert (here / "notes.txt").read_text() == "not a database, just words\n" * 10


def test_a_newer_logbook_is_refused(here, invoke):
    """A file of a later schema version: exit 2, one line saying to upgrade the planner."""
    with Logbook.open(here / "log.db") as book:
        book.conn.execute("PRAGMA user_version = 99")
    result = invoke(*SHOW)
    assert_exits(result, 2)
    assert result.output == (
        "Error: --db log.db has schema version 99, but this planner knows versions up to"
        f" {len(MIGRATIONS)}: upgrade planner to open it\n"
    )


# --- planned sessions: session, import, export, show ---------------------------------------

DAYS = (0, 2, 4)  # mon, wed, fri
SESSION = (  # (exercise id, sets, reps, hold_s) in session order
    ("cat_camel", 1, 10, 0),
    ("half_kneeling_hip_flexor_stretch", 2, 1, 30),
    ("glute_bridge", 2, 12, 2),
    ("dead_bug", 2, 8, 0),
)
START = dt.date(2026, 12, 7)  # a Monday


def two_week_plan(shipped, start=START) -> Plan:
    """Two weeks of the same three sessions on the shipped catalogue, built by hand (no
    solver, so the tests do not move when the model does)."""
    profile = Profile.for_level("beginner", days=("mon", "wed", "fri"), weeks=2, start=start)
    entries = tuple(
        Entry(week, day, order, shipped[id], sets, reps, hold)
        for week in (1, 2)
        for day in DAYS
        for order, (id, sets, reps, hold) in enumerate(SESSION, 1)
    )
    return Plan(profile, entries)


@pytest.fixture
def recorded(here, shipped) -> Plan:
    """log.db in the working directory with the two-week plan recorded for me."""
    plan = two_week_plan(shipped)
    with Logbook.open(here / "log.db") as book:
        book.record_plan("me", plan, catalog_hash(SHIPPED))
    return plan


SESSION_CMD = ("log", "session", "--db", "log.db")


def test_session_logs_every_planned_exercise_in_one_line(recorded, invoke):
    """log session prints one line and logs the session entry plus one entry per planned
    exercise, at the planned dose, skipped ones marked and without a dose."""
    result = invoke(*SESSION_CMD, "2026-12-07", "--rpe", "5", "--pain", "2", "--skip", "dead_bug")
    assert_exits(result, 0)
    assert result.output == (
        "Logged Monday 2026-12-07 (week 1) for me: 3 of 4 exercises done (skipped dead_bug),"
        " RPE 5, pain 2/10.\n"
    )
    with Logbook.open("log.db") as book:
        entries = book.entries("me")
        planned = book.schedule("me", START, START)
    assert entries == [
        LogEntry(START, None, session_rpe=5, pain_during=2, imported_key="session:me:2026-12-07"),
        *(
            LogEntry(
                START,
                p.exercise_id,
                sets=None if p.exercise_id == "dead_bug" else p.sets,
                reps=None if p.exercise_id == "dead_bug" else p.reps,
                hold_s=None if p.exercise_id == "dead_bug" or not p.hold_s else p.hold_s,
                skipped=p.exercise_id == "dead_bug",
                planned_id=p.id,
                imported_key=f"session:me:2026-12-07:{p.id}",
            )
            for p in planned
        ),
    ]


def test_session_logged_again_replaces_the_first(recorded, invoke):
    """The same date logged twice keeps the second log only: nothing is counted twice."""
    invoke(*SESSION_CMD, "2026-12-09", "--rpe", "5", "--skip", "dead_bug,cat_camel")
    result = invoke(*SESSION_CMD, "2026-12-09", "--rpe", "7", "--pain-next", "1",
                    "--note", "felt strong")  # fmt: skip
    assert_exits(result, 0)
    assert result.output == (
        "Logged Wednesday 2026-12-09 (week 1) for me again, replacing the earlier log: 4 of 4"
        " exercises done, RPE 7, pain next morning 1/10, note: felt strong.\n"
    )
    with Logbook.open("log.db") as book:
        entries = book.entries("me")
    assert len(entries) == 5
    assert [e.session_rpe for e in entries if e.exercise_id is None] == [7]
    assert not any(e.skipped for e in entries)


def test_session_red_flag_is_kept_and_said(recorded, invoke):
    """--red-flag stores the question id on the session entry and says what to do."""
    result = invoke(*SESSION_CMD, "2026-12-11", "--red-flag", "saddle_numbness")
    assert_exits(result, 0)
    assert result.output == (
        "Logged Friday 2026-12-11 (week 1) for me: 4 of 4 exercises done, red flag"
        " saddle_numbness (cauda-equina sign): seek care today; do not exercise.\n"
    )
    with Logbook.open("log.db") as book:
        assert [e.red_flag for e in book.entries("me")][0] == "saddle_numbness"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("2026-12-08",),
            "DATE 2026-12-08: no session planned for me that day; nearest planned:"
            " Monday 2026-12-07 and Wednesday 2026-12-09",
        ),
        (
            ("2026-12-01",),
            "DATE 2026-12-01: no session planned for me that day; nearest planned:"
            " Monday 2026-12-07",
        ),
        (
            ("2026-12-07", "--skip", "dead_bug,side_plank"),
            "--skip: 'side_plank' is not in the session of 2026-12-07; its exercises:"
            " cat_camel, half_kneeling_hip_flexor_stretch, glute_bridge, dead_bug",
        ),
        (
            ("2026-12-07", "--red-flag", "fevr"),
            "--red-flag: 'fevr' is not a screening question id; did you mean 'fever'?",
        ),
        (
            ("2026-12-07", "--person", "ana"),
            "no plan recorded for ana; run planner plan --person ana --start YYYY-MM-DD to plan"
            " and record one",
        ),
        (
            ("2026-12-07", "--rpe", "11"),
            "Invalid value for '--rpe': 11 is not in the range 0<=x<=10.",
        ),
    ],
    ids=["between sessions", "before the plan", "skip", "red flag", "no plan", "rpe"],
)
def test_bad_session_is_one_line_and_logs_nothing(recorded, invoke, args, message):
    """Exit 2 with one line naming DATE or the option, and nothing logged."""
    result = invoke(*SESSION_CMD, *args)
    assert_exits(result, 2)
    assert result.output == f"Error: {message}\n"
    with Logbook.open("log.db") as book:
        assert book.entries("me") == []


def test_session_without_a_logbook_says_to_plan_and_creates_nothing(here, invoke):
    """No logbook file: the no-plan line, and no file made."""
    result = invoke(*SESSION_CMD, "2026-12-07")
    assert_exits(result, 2)
    assert result.output == (
        "Error: no plan recorded for me; run planner plan --person me --start YYYY-MM-DD to plan"
        " and record one\n"
    )
    assert not (here / "log.db").exists()


def filled(plan: Plan, cells: dict[int, dict[str, str]], path: Path) -> Path:
    """The plan's CSV with the log columns added, row n (1 = the first exercise) given
    ``cells[n]``, written to ``path``."""
    rows = list(csv.DictReader(io.StringIO(csv_text(plan))))
    columns = [*rows[0], "done", "sets_done", "pain", "pain_next", "note"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for n, row in enumerate(rows, 1):
        writer.writerow(row | cells.get(n, {}))
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


WEEK_1_DONE = {
    1: {"done": "yes"},
    2: {"done": "x"},
    3: {"done": "Yes", "pain": "2"},
    4: {"done": "1", "rpe": "6", "pain_next": "1"},
    5: {"done": "true"},
    6: {"done": "yes", "note": "=tight today"},
    7: {"done": "yes", "sets_done": "1"},
    8: {"done": "no"},
}
IMPORT = ("log", "import", "--db", "log.db")


def test_import_matches_the_plan_and_logs_once(recorded, invoke, here):
    """Filled rows become entries linked to their planned rows, at the dose done; importing
    the file again logs nothing twice; rows not filled in are left out."""
    filled(recorded, WEEK_1_DONE, here / "plan.csv")
    result = invoke(*IMPORT, "plan.csv")
    assert_exits(result, 0)
    assert result.output == "Imported 8 entries from plan.csv for me (16 rows not logged yet).\n"
    result = invoke(*IMPORT, "plan.csv")
    assert result.output == (
        "Imported 0 entries from plan.csv for me (8 already logged, 16 rows not logged yet).\n"
    )
    with Logbook.open("log.db") as book:
        entries = book.entries("me")
        planned = book.schedule("me", START, START + dt.timedelta(days=2))
    assert [e.planned_id for e in entries] == [p.id for p in planned]
    assert [(e.exercise_id, e.sets, e.reps, e.hold_s) for e in entries[4:]] == [
        ("cat_camel", 1, 10, None),
        ("half_kneeling_hip_flexor_stretch", 2, 1, 30),
        ("glute_bridge", 1, 12, 2),
        ("dead_bug", None, None, None),
    ]
    assert [e.skipped for e in entries] == [False] * 7 + [True]
    assert [e.session_rpe for e in entries[:4]] == [2, 3, 5, 6]
    assert (entries[2].pain_during, entries[3].pain_next_morning) == (2, 1)
    assert entries[5].note == "=tight today"
    assert entries[0].imported_key == "import:me:2026-12-07:cat_camel:1:1"


def test_import_without_a_plan_logs_plain_entries(here, invoke, shipped):
    """With no plan recorded, rows are logged all the same, linked to nothing."""
    filled(two_week_plan(shipped), {1: {"done": "yes"}, 24: {"done": "no"}}, here / "p.csv")
    result = invoke(*IMPORT, "p.csv")
    assert_exits(result, 0)
    assert result.output == "Imported 2 entries from p.csv for me (22 rows not logged yet).\n"
    with Logbook.open("log.db") as book:
        entries = book.entries("me")
    assert [(e.date, e.exercise_id, e.planned_id, e.skipped) for e in entries] == [
        (START, "cat_camel", None, False),
        (dt.date(2026, 12, 18), "dead_bug", None, True),
    ]


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (
            {6: {"done": "yes", "rpe": "eleven"}},
            "plan.csv:7: column rpe: 'eleven' is not a whole number from 0 to 10",
        ),
        (
            {3: {"done": "maybe"}},
            "plan.csv:4: column done: 'maybe' is not yes or no; allowed: yes, no, 1, 0, true,"
            " false, x, or empty (not logged yet)",
        ),
        (
            {2: {"done": "yes", "pain": "11"}},
            "plan.csv:3: column pain: '11' is not a whole number from 0 to 10",
        ),
        (
            {2: {"done": "yes", "sets_done": "-1"}},
            "plan.csv:3: column sets_done: '-1' is not a whole number 0 or more",
        ),
        (
            {5: {"done": "yes", "date": ""}},
            "plan.csv:6: column date: empty; a logged row needs its date (plan with --start to"
            " get dates)",
        ),
        (
            {5: {"done": "yes", "date": "7/12/2026"}},
            "plan.csv:6: column date: '7/12/2026' is not a date; allowed: YYYY-MM-DD",
        ),
        (
            {4: {"done": "yes", "exercise_id": "dead_bugg"}},
            "plan.csv:5: column exercise_id: 'dead_bugg' is not in the catalogue; planner"
            " catalog lists its exercises",
        ),
    ],
    ids=["rpe", "done", "pain", "sets", "no date", "bad date", "exercise"],
)
def test_a_bad_row_stops_the_import_with_nothing_written(recorded, invoke, here, cells, message):
    """One line naming file, row (its line) and column and what is allowed; exit 2; not even
    the good rows before it are logged."""
    filled(recorded, {1: {"done": "yes"}} | cells, here / "plan.csv")
    result = invoke(*IMPORT, "plan.csv")
    assert_exits(result, 2)
    assert result.output == f"Error: {message}\n"
    with Logbook.open("log.db") as book:
        assert book.entries("me") == []


def test_import_refuses_a_file_without_a_done_column(recorded, invoke, here):
    """A plan CSV not filled in: one line saying which column to add."""
    (here / "plan.csv").write_text(csv_text(recorded), encoding="utf-8")
    result = invoke(*IMPORT, "plan.csv")
    assert_exits(result, 2)
    assert result.output == (
        "Error: plan.csv:1: missing column 'done'; a log CSV is a plan CSV (planner plan --csv)"
        " with a done column added (yes, no, or empty: not logged yet)\n"
    )


def test_export_then_import_gives_the_same_entries(recorded, invoke, here):
    """What export writes, import into a fresh logbook reads back entry for entry (the
    links to planned rows and keys apart, which belong to the first logbook)."""
    invoke(*SESSION_CMD, "2026-12-07", "--rpe", "5", "--pain", "2", "--skip", "dead_bug",
           "--note", "+late", "--red-flag", "fever")  # fmt: skip
    filled(recorded, {9: {"done": "yes", "sets_done": "3"}, 10: {"done": "no"}}, here / "p.csv")
    invoke(*IMPORT, "p.csv")
    invoke(*ADD, "2026-12-08", "bird_dog", "--sets", "2", "--hold", "10", "--pain-next", "3")
    invoke(*ADD, "2026-12-08", "bird_dog", "--sets", "1")
    result = invoke("log", "export", "--db", "log.db", "out.csv")
    assert_exits(result, 0)
    assert result.output == "Wrote 9 entries for me to out.csv.\n"
    result = invoke("log", "import", "--db", "fresh.db", "out.csv")
    assert result.output == "Imported 9 entries from out.csv for me.\n"
    with Logbook.open("log.db") as first, Logbook.open("fresh.db") as fresh:
        before, after = first.entries("me"), fresh.entries("me")
    unlinked = [dataclasses.replace(e, planned_id=None, imported_key=None) for e in before]
    assert [dataclasses.replace(e, imported_key=None) for e in after] == unlinked
    assert not list(here.glob(".out.csv.*"))  # no temporary file left beside it


SHOW_WEEKS = [
    # minutes done 1 + 2.67 + 3.83 a day; load Monday RPE 5 x 7.5 min, Wednesday each row's
    # RPE x its minutes (2 x 1 + 3 x 2.67 + 5 x 3.83)
    "Week 1 (2026-12-07 to 2026-12-11): 2 of 3 sessions, 6 of 12 exercises, 15 of 33 min,"
    " load 67 of 129 AU",
    "  Mon 2026-12-07  3 of 4 done (skipped dead_bug), 8 of 11 min, load 38 of 43 AU, RPE 5,"
    " pain 2/10",
    "  Wed 2026-12-09  3 of 4 done (skipped dead_bug), 8 of 11 min, load 29 of 43 AU, pain 4/10",
    "  Fri 2026-12-11  not logged (4 exercises, 11 min)",
    "Week 2 (2026-12-14 to 2026-12-18): 0 of 3 sessions, 0 of 12 exercises, 0 of 33 min,"
    " load 0 of 129 AU",
    "  Mon 2026-12-14  not logged (4 exercises, 11 min)",
    "  Wed 2026-12-16  not logged (4 exercises, 11 min)",
    "  Fri 2026-12-18  not logged (4 exercises, 11 min)",
]


def test_show_sets_planned_against_done_week_by_week(recorded, invoke, here):
    """Per week: sessions, exercises, minutes and load done of those planned; a line a
    planned day; then the entries no plan accounts for, and the count."""
    invoke(*SESSION_CMD, "2026-12-07", "--rpe", "5", "--pain", "2", "--skip", "dead_bug")
    cells = {5: {"done": "yes"}, 6: {"done": "yes", "pain": "4"}, 7: {"done": "yes"}}
    filled(recorded, cells | {8: {"done": "no"}}, here / "p.csv")
    invoke(*IMPORT, "p.csv")
    invoke(*ADD, "2026-12-08", "bird_dog", "--sets", "2", "--hold", "10")
    result = invoke(*SHOW)
    assert_exits(result, 0)
    assert result.output.splitlines() == [
        *SHOW_WEEKS,
        "Not planned:",
        "2026-12-08  bird_dog                     2 x 10 s",
        "10 entries for me.",
    ]
    result = invoke(*SHOW, "--from", "2026-12-08", "--to", "2026-12-09")
    assert result.output.splitlines() == [
        "Week 1 (2026-12-09 to 2026-12-09): 1 of 1 sessions, 3 of 4 exercises, 8 of 11 min,"
        " load 29 of 43 AU",
        SHOW_WEEKS[2],
        "Not planned:",
        "2026-12-08  bird_dog                     2 x 10 s",
        "5 entries for me.",
    ]


def test_log_commands_load_neither_the_solver_nor_pandas(recorded):
    """planner log session and log show run without importing OR-Tools, pandas or matplotlib
    (what keeps the process within its 0.5 s)."""
    script = (
        "import sys\n"
        "from planner.cli import cli\n"
        "for args in (['session', '2026-12-07'], ['show']):\n"
        "    try:\n"
        "        cli(['log', *args, '--db', 'log.db'])\n"
        "    except SystemExit as done:\n"
        "        assert done.code == 0, done.code\n"
        "print(sorted(m for m in ('ortools', 'pandas', 'matplotlib', 'numpy') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"
