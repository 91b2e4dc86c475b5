"""``planner log add`` and ``planner log show`` (planner/cli/log.py): entries round-trip
through the logbook file, the file is found by --db or $PLANNER_DB, people are kept apart, and
every bad input is one line with exit 2."""

from __future__ import annotations

import pytest

from planner.logbook import MIGRATIONS, Logbook

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
