"""Command-line option edge cases: a bad value, a value click rejects, a misspelt command or
option, and a profile file an option contradicts each exit 2 with one line; an empty
--equipment plans bodyweight only."""

from __future__ import annotations

import csv
import tomllib

import pytest

from clean_exit import assert_clean_exit, one_line
from malformed import PLAN_CASES


@pytest.mark.parametrize(
    "args, line",
    [
        (("--minutes", "-5"), "--minutes: -5 is out of range; allowed: 10 to 60"),
        (("--time-limit", "nan"), "--time-limit: nan is not a number; allowed: 0.1 to 600.0"),
        (("--time-limit", "1e309"), "--time-limit: inf is out of range; allowed: 0.1 to 600.0"),
        (("--weeks", "0"), "--weeks: 0 is out of range; allowed: 1 to 52"),
        (("--weeks", "53"), "--weeks: 53 is out of range; allowed: 1 to 52"),
        (("--seed", "-1"), "--seed: -1 is out of range; allowed: 0 to 2147483647"),
        (("--days", ""), "--days: list each available day once, e.g. mon,wed,fri"),
        (("--days", "mon,mon"), "--days: list each available day once, e.g. mon,wed,fri"),
        (
            ("--sessions", "4", "--days", "mon,wed,fri"),
            "--sessions: 4 sessions need 4 available days; --days gives 3 (mon,wed,fri)",
        ),
        (
            ("--lone-week", "--weeks", "3"),
            "--weeks: 3 weeks make a programme, but --programme/--lone-week asks for a lone "
            "week, which is 1 week",
        ),
        (("--wake-time", "25:00"), "--wake-time: '25:00' is not a time; allowed: HH:MM"),
        (
            ("--max-days-per-exercise", "0"),
            "--max-days-per-exercise: 0 is out of range; allowed: 1 to 7",
        ),
        (
            ("--start", "9999-12-31"),
            "--start: 9999-12-31 is too late for 4 weeks of dates (a plan ends by 9998-12-31); "
            "allowed: up to 9998-12-03",
        ),
        (
            ("--start", "9998-12-25", "--weeks", "1"),
            "--start: 9998-12-25 is too late for 1 week of dates (a plan ends by 9998-12-31); "
            "allowed: up to 9998-12-24",
        ),
    ],
    ids=[
        "minutes-5",
        "tl-nan",
        "tl-1e309",
        "weeks0",
        "weeks53",
        "seed-1",
        "days-empty",
        "days-twice",
        "sessions-days",
        "lone-week-3",
        "wake-time",
        "max-days",
        "start-9999",
        "start-1-week",
    ],
)
def test_bad_option_value_exits_2_with_one_line(invoke, args, line):
    """A bad option value exits 2 with exactly one line naming the option and the value."""
    result = invoke("plan", *args)
    assert_clean_exit(result, (2,))
    assert result.output == f"Error: {line}\n"


@pytest.mark.parametrize(
    "args, line",
    [
        (
            ("--minutes", "nan"),
            "Error: Invalid value for '--minutes': 'nan' is not a valid integer.",
        ),
        (
            ("--start", "2026-02-30"),
            "Error: Invalid value for '--start': '2026-02-30' does not match the format "
            "'%Y-%m-%d'.",
        ),
        (("--weeks", "1.5"), "Error: Invalid value for '--weeks': '1.5' is not a valid integer."),
    ],
    ids=["minutes-nan", "start-feb-30", "weeks-1.5"],
)
def test_option_click_rejects_exits_2_with_one_error_line(invoke, args, line):
    """A value click rejects exits 2 with its Error line and nothing else (no usage block)."""
    result = invoke("plan", *args)
    assert_clean_exit(result, (2,))
    assert result.output == f"{line}\n"


@pytest.mark.parametrize(
    "args, line",
    [
        (("nope",), "Error: No such command 'nope'."),
        (("check",), "Error: Missing argument 'PLAN_CSV'."),
        (
            ("plan", "--levle", "x"),
            "Error: No such option '--levle'. (Did you mean one of: '--exclude', '--level', "
            "'--seed'?)",
        ),
    ],
    ids=["command", "argument", "option"],
)
def test_usage_errors_are_one_line_with_exit_2(invoke, args, line):
    """A misspelt command or option, or a missing argument, is one Error line, exit 2."""
    result = invoke(*args)
    assert_clean_exit(result, (2,))
    assert result.output == f"{line}\n"


def test_profile_file_contradicting_an_option_exits_2_with_one_line(tmp_path, invoke):
    """A profile with one free day and --sessions 3 exits 2 with one line, no traceback."""
    path = tmp_path / "me.toml"
    path.write_text('days = ["mon"]\n', encoding="utf-8")
    result = invoke("plan", "--profile", str(path), "--sessions", "3")
    assert_clean_exit(result, (2,))
    assert result.output.startswith("Error: --sessions: 3 sessions need 3 available days")
    assert one_line(result.output.rstrip("\n"))


def test_lone_week_alone_is_one_week(invoke):
    """--lone-week without --weeks is 1 week, not the default 4 (which it would refuse)."""
    result = invoke("profile", "show", "--lone-week")
    assert result.exit_code == 0
    data = tomllib.loads(result.output)
    assert (data["weeks"], data["programme"]) == (1, False)


def test_start_too_late_writes_nothing(here, invoke):
    """--start 9999-12-31 with every output asked for exits 2 before any file is written (it
    used to write the CSV, then fail in the calendar export with an OverflowError)."""
    outputs = ("--csv", "w.csv", "--ics", "w.ics", "--json", "w.json")
    result = invoke("plan", "--start", "9999-12-31", *outputs)
    assert_clean_exit(result, (2,))
    assert one_line(result.output.rstrip("\n"))
    assert list(here.iterdir()) == []


def test_start_too_late_in_a_profile_file_names_the_file(here, invoke):
    """A profile file's start is held to the same bound, named by file and key."""
    (here / "me.toml").write_text("start = 9999-12-31\nweeks = 1\n", encoding="utf-8")
    result = invoke("plan", "--profile", "me.toml", "--csv", "w.csv")
    assert_clean_exit(result, (2,))
    assert result.output == (
        "Error: me.toml: start: 9999-12-31 is too late for 1 week of dates (a plan ends by "
        "9998-12-31); allowed: up to 9998-12-24\n"
    )
    assert not (here / "w.csv").exists()


def test_latest_start_exports_a_calendar_with_a_time_zone(here, invoke):
    """The latest start allowed plans and writes every export, a calendar whose time zone's
    rules are looked up past the last session included."""
    result = invoke(
        "plan",
        *("--start", "9998-12-24", "--weeks", "1", "--days", "mon,wed,fri", "--quiet"),
        *("--session-time", "23:50", "--timezone", "Europe/Berlin", "--time-limit", "20"),
        *("--csv", "w.csv", "--ics", "w.ics", "--json", "w.json"),
    )
    assert_clean_exit(result, (0,))
    assert "DTSTART;TZID=Europe/Berlin:99981230T235000" in (here / "w.ics").read_text()
    assert (here / "w.csv").exists() and (here / "w.json").exists()


def test_empty_equipment_means_bodyweight_only(tmp_path, shipped, invoke):
    """--equipment "" is not an error: it plans with exercises that need nothing."""
    path = tmp_path / "plan.csv"
    result = invoke(
        "plan", "--equipment", "", *PLAN_CASES["week"][1], "--time-limit", "20", "--csv", str(path)
    )
    assert_clean_exit(result, (0,))
    used = {row["exercise_id"] for row in csv.DictReader(path.open(encoding="utf-8"))}
    assert used
    assert all(shipped[i].equipment == ("none",) for i in used)


def test_days_alone_cap_the_level_sessions(tmp_path, invoke):
    """--days without --sessions takes the level's sessions capped at the days given
    (intermediate's 4 on mon,wed,fri: 3); a profile file's sessions are asked for, not capped."""
    result = invoke("profile", "show", "--level", "intermediate", "--days", "mon,wed,fri")
    assert result.exit_code == 0
    assert "\nsessions = 3\n" in result.output
    path = tmp_path / "me.toml"
    path.write_text("sessions = 4\n", encoding="utf-8")
    result = invoke("plan", "--profile", str(path), "--days", "mon,wed,fri")
    assert_clean_exit(result, (2,))
    assert result.output == (
        f"Error: {path}: sessions: 4 sessions need 4 available days; days gives 3 (mon,wed,fri)\n"
    )


def test_pin_keeps_an_exercise_on_its_day_and_names_a_bad_one(invoke, here):
    """--pin (repeatable) keeps each exercise on its day in the CSV; a pin off the days is one
    line naming --pin and --days, exit 2."""
    result = invoke("plan", "--days", "mon,wed,fri", "--weeks", "2", "--pin", "wed:glute_bridge",
                    "--pin", "mon:bird_dog", "--csv", "p.csv", "--quiet")  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = (here / "p.csv").read_text().splitlines()[1:]
    placed = {(r.split(",")[0], r.split(",")[1], r.split(",")[4]) for r in rows}
    assert {(w, "wed", "glute_bridge") for w in "12"} <= placed
    assert {(w, "mon", "bird_dog") for w in "12"} <= placed
    result = invoke("plan", "--days", "mon,wed,fri", "--pin", "thu:glute_bridge")
    assert result.exit_code == 2
    assert result.output == (
        "Error: --pin: 'thu:glute_bridge' pins to thu, not one of --days (mon,wed,fri)\n"
    )
