"""Profiles as TOML files: dump, load, the command line's overrides, and every error message."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tomllib
from dataclasses import fields

import pytest
from click.testing import CliRunner

from planner import Profile, ProfileError, load_catalog
from planner.catalog import LEVELS
from planner.cli import cli
from planner.profile import SolverOptions
from planner.profile_file import (
    KEYS,
    ProfileFileError,
    dump_profile,
    load_profile,
    load_settings,
)

KEY_LINE = re.compile(r"^[A-Za-z_]+ = ")


@pytest.fixture
def here(tmp_path, monkeypatch):
    """A fresh working directory, so error messages name files as the person typed them."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("level", LEVELS)
def test_round_trip_of_each_level_preset(here, level):
    """dump_profile then load_profile gives back the level's preset exactly."""
    profile = Profile.for_level(level)
    (here / "me.toml").write_text(dump_profile(profile), encoding="utf-8")
    assert load_profile("me.toml") == profile


def test_round_trip_of_a_tweaked_profile(here):
    """Sets, tuples, optional keys and an unusual id all survive a dump and a load."""
    profile = Profile.for_level(
        "advanced",
        days=("sun", "mon", "wed", "fri", "sat"),
        equipment=frozenset({"band", "mat"}),
        exclude=frozenset({"crunch", 'odd "id"\\\t'}),
        prefer=frozenset({"bird_dog"}),
        dislike=frozenset({"dead_bug", "plank"}),
        allow_hip_flexor_dominant=True,
        strength_sets=(2, 5),
        ramp_cap_pct=15,
        acwr_cap=1.25,
        start_load=900,
        start=dt.date(2026, 11, 30),
        weekly_sets=(5, 9),
        weeks=8,
    )
    options = SolverOptions(seed=7, time_limit=2.5)
    (here / "me.toml").write_text(dump_profile(profile, options), encoding="utf-8")
    assert load_settings("me.toml") == (profile, options)
    assert load_profile("me.toml") == profile


@pytest.mark.parametrize("programme, weeks", [(None, 1), (None, 4), (True, 1), (False, 1)])
def test_round_trip_of_programme(here, programme, weeks):
    """programme, given or not, survives a dump and a load; left out, it is written commented
    out as what it amounts to (a lone week for 1 week, else a programme)."""
    profile = Profile.for_level("beginner", weeks=weeks, programme=programme)
    text = dump_profile(profile)
    (here / "me.toml").write_text(text, encoding="utf-8")
    assert load_profile("me.toml") == profile
    line = f"programme = {str(not profile.lone_week).lower()}"
    assert (line if programme is not None else f"# {line}") in text.splitlines()


def test_every_profile_and_solver_field_is_a_key():
    """Each Profile and SolverOptions field is written to the file, but catalog_levels, which
    follows level."""
    names = {f.name for f in (*fields(Profile), *fields(SolverOptions))}
    assert names - set(KEYS) == {"catalog_levels"}
    assert set(KEYS) - names == set()


@pytest.mark.parametrize("level", LEVELS)
def test_init_writes_commented_toml_of_the_preset(level):
    """`profile init` prints TOML that parses, with a comment line above every key."""
    result = run("profile", "init", "--level", level)
    assert result.exit_code == 0, result.output
    assert result.stdout == dump_profile(Profile.for_level(level))
    data = tomllib.loads(result.stdout)
    assert data["level"] == level
    assert data["sessions"] == Profile.for_level(level).sessions
    lines = result.stdout.splitlines()
    keys = [i for i, line in enumerate(lines) if KEY_LINE.match(line)]
    assert len(keys) == len(data)
    for i in keys:
        assert lines[i - 1].startswith("# "), lines[i]


def test_init_comments_ramp_cap_with_its_range_and_rule():
    """The ramp cap's comment gives its meaning, range and rule (R10)."""
    text = run("profile", "init").stdout
    assert (
        "# Weekly load rises at most this % (R10 guard rail; 3-10, advanced up to 15).\n"
        "ramp_cap_pct = 10\n"
    ) in text


def test_everything_equipment_and_no_start_load_are_commented_out():
    """equipment None ("everything") and start_load None are written as comments only."""
    data = tomllib.loads(run("profile", "init").stdout)
    assert "equipment" not in data and "start_load" not in data and "start" not in data


def test_show_without_a_file_is_the_beginner_preset():
    """With no options at all, `profile show` prints the beginner preset unchanged."""
    result = run("profile", "show")
    assert result.exit_code == 0, result.output
    assert result.stdout == dump_profile(Profile.for_level("beginner"))


def test_round_trip_init_load_show(here):
    """init -> file -> show prints the file back unchanged."""
    (here / "me.toml").write_text(run("profile", "init", "--level", "intermediate").stdout)
    result = run("profile", "show", "--profile", "me.toml")
    assert result.exit_code == 0, result.output
    assert result.stdout == (here / "me.toml").read_text()


def test_command_line_beats_the_file(here):
    """`profile show --profile f.toml --minutes 25` shows minutes = 25, the rest the file's."""
    (here / "f.toml").write_text('minutes = 40\ndays = ["mon", "thu", "sat"]\n')
    result = run("profile", "show", "--profile", "f.toml", "--minutes", "25")
    assert result.exit_code == 0, result.output
    data = tomllib.loads(result.stdout)
    assert data["minutes"] == 25
    assert data["days"] == ["mon", "thu", "sat"]


def test_file_beats_the_preset_and_keys_left_out_come_from_it(here):
    """A file's level picks the preset; the file's own keys override it."""
    (here / "f.toml").write_text('level = "intermediate"\nminutes = 40\n')
    assert load_profile("f.toml") == Profile.for_level("intermediate", minutes=40)


def test_level_option_picks_the_preset_but_file_values_stay(here):
    """--level replaces the file's level; the values the file gives still hold."""
    (here / "f.toml").write_text('level = "beginner"\nsessions = 2\n')
    profile = load_profile("f.toml", level="advanced")
    assert profile == Profile.for_level("advanced", sessions=2)


def test_empty_file_is_the_beginner_preset(here):
    """An empty file is valid: every key takes the beginner preset."""
    (here / "f.toml").write_text("")
    assert load_profile("f.toml") == Profile.for_level("beginner")


def test_none_overrides_leave_the_file_alone(here):
    """Overrides that are None (options not given) do not replace file values."""
    (here / "f.toml").write_text("seed = 5\nallow_hip_flexor_dominant = true\n")
    profile, options = load_settings(
        "f.toml", seed=None, allow_hip_flexor_dominant=None, minutes=20
    )
    assert (options.seed, profile.allow_hip_flexor_dominant, profile.minutes) == (5, True, 20)


def test_solver_options_come_from_the_file_and_the_command_line(here):
    """seed and time_limit stay top-level keys of a profile file; --seed overrides the file's,
    and `profile show` writes both."""
    (here / "f.toml").write_text("seed = 5\ntime_limit = 2.5\n")
    result = run("profile", "show", "--profile", "f.toml", "--seed", "9")
    assert result.exit_code == 0, result.output
    data = tomllib.loads(result.stdout)
    assert (data["seed"], data["time_limit"]) == (9, 2.5)
    assert load_settings("f.toml")[1] == SolverOptions(seed=5, time_limit=2.5)


def test_bad_solver_option_in_the_file_names_the_file(here):
    """A time limit out of range in the file is the file's fault; on the command line the
    option's."""
    (here / "f.toml").write_text("time_limit = 0.01\n")
    message = "f.toml: time_limit: 0.01 is out of range; allowed: 0.1 to 600.0"
    with pytest.raises(ProfileFileError, match=f"^{re.escape(message)}$"):
        load_profile("f.toml")
    result = run("plan", "--profile", "f.toml", "--seed", "-1")
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: --seed: -1 is out of range; allowed: 0 to 2147483647\n",
    )


def test_flags_and_lists_on_the_command_line_beat_the_file(here):
    """--no-allow-hip-flexor-dominant and --exclude replace the file's values."""
    (here / "f.toml").write_text('allow_hip_flexor_dominant = true\nexclude = ["crunch"]\n')
    result = run(
        "profile",
        "show",
        "--profile",
        "f.toml",
        "--no-allow-hip-flexor-dominant",
        "--exclude",
        "bird_dog",
    )
    assert result.exit_code == 0, result.output
    data = tomllib.loads(result.stdout)
    assert data["allow_hip_flexor_dominant"] is False
    assert data["exclude"] == ["bird_dog"]


def test_plan_follows_the_profile_days(here):
    """`plan --profile f.toml --quiet --csv -` exits 0 with sessions only on the file's days."""
    (here / "f.toml").write_text('days = ["tue", "thu", "sat"]\nweeks = 1\n')
    result = run("plan", "--profile", "f.toml", "--quiet", "--csv", "-")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {row["day"] for row in rows} == {"tue", "thu", "sat"}
    assert {row["week"] for row in rows} == {"1"}


def test_weeks_option_sets_the_programme_length():
    """--weeks sets Profile.weeks."""
    data = tomllib.loads(run("profile", "show", "--weeks", "6").stdout)
    assert data["weeks"] == 6


HUGE = 10**309  # a whole number past the largest float
BAD_FILES = [
    pytest.param(
        f"budget = {HUGE}\n",
        f"me.toml: budget: {HUGE} is out of range; allowed: 0.05 to 600.0",
        id="float-setting-past-the-largest-float",
    ),
    pytest.param(
        "minuts = 30\n", "me.toml: unknown key 'minuts'; did you mean 'minutes'?", id="typo"
    ),
    pytest.param(
        'colour = "red"\n',
        "me.toml: unknown key 'colour'; allowed: level, days, sessions, minutes, equipment, "
        "exclude, avoid, prefer, pins, dislike, allow_hip_flexor_dominant, conditions, wake_time, "
        "session_time, timezone, remind, strength_sets, reps, strength_rest_s, rpe_cap, "
        "session_rpe, strength_share_pct, session_strength_pct, strength_exercises, max_stretches, "
        "max_stretches_per_muscle, max_releases, max_mobility, weekly_sets, posterior_patterns, "
        "max_days_per_exercise, session_fill, weeks, programme, ramp_cap_pct, deload_every, "
        "deload_pct, acwr_cap, start_load, start, seed, budget, time_limit, screening",
        id="unknown-key",
    ),
    pytest.param(
        "catalog_levels = []\n",
        "me.toml: unknown key 'catalog_levels'; allowed: level, days, sessions, minutes, "
        "equipment, exclude, avoid, prefer, pins, dislike, allow_hip_flexor_dominant, conditions, "
        "wake_time, session_time, timezone, remind, strength_sets, reps, strength_rest_s, rpe_cap, "
        "session_rpe, strength_share_pct, session_strength_pct, strength_exercises, max_stretches, "
        "max_stretches_per_muscle, max_releases, max_mobility, weekly_sets, posterior_patterns, "
        "max_days_per_exercise, session_fill, weeks, programme, ramp_cap_pct, deload_every, "
        "deload_pct, acwr_cap, start_load, start, seed, budget, time_limit, screening",
        id="catalog-levels",
    ),
    pytest.param(
        "minutes = 90\n", "me.toml: minutes: 90 is out of range; allowed: 10 to 60", id="range"
    ),
    pytest.param(
        'level = "beginner"\nramp_cap_pct = 15\n',
        "me.toml: ramp_cap_pct: 15 is out of range; allowed: 3 to 10",
        id="ramp-cap-for-level",
    ),
    pytest.param(
        "acwr_cap = 1.5\n",
        "me.toml: acwr_cap: 1.5 is out of range; allowed: 0.8 to 1.49",
        id="acwr-cap",
    ),
    pytest.param(
        'level = "expert"\n',
        "me.toml: level: 'expert' is unknown; allowed: beginner, intermediate, advanced",
        id="level",
    ),
    pytest.param("level = 2\n", "me.toml: level: expected a level name, got 2", id="level-type"),
    pytest.param(
        'days = "monday"\n',
        "me.toml: days: expected a list of day names, got 'monday'",
        id="days-type",
    ),
    pytest.param(
        'days = ["monday"]\n',
        "me.toml: days: 'monday' is not a day; allowed: mon, tue, wed, thu, fri, sat, sun",
        id="day-name",
    ),
    pytest.param(
        'days = ["mon"]\nsessions = 3\n',
        "me.toml: sessions: 3 sessions need 3 available days; days gives 1 (mon)",
        id="days-too-few",
    ),
    pytest.param(
        "programme = false\nweeks = 3\n",
        "me.toml: weeks: 3 weeks make a programme, but programme asks for a lone week, which "
        "is 1 week",
        id="lone-week-of-3-weeks",
    ),
    pytest.param(
        'programme = "yes"\n',
        "me.toml: programme: expected true or false, got 'yes'",
        id="programme-type",
    ),
    pytest.param(
        "exclude = [1]\n",
        "me.toml: exclude: expected a list of exercise ids, got [1]",
        id="exclude-type",
    ),
    pytest.param(
        'equipment = ["rope"]\n',
        "me.toml: equipment: 'rope' is unknown; allowed: none, mat, wall_or_chair, "
        "stability_ball, massage_ball, foam_roller, dumbbell, kettlebell, barbell, band, bench, "
        "pull_up_bar, cable, machine, medicine_ball, unknown",
        id="equipment",
    ),
    pytest.param(
        'allow_hip_flexor_dominant = "yes"\n',
        "me.toml: allow_hip_flexor_dominant: expected true or false, got 'yes'",
        id="bool-type",
    ),
    pytest.param(
        "sessions = 2.5\n",
        "me.toml: sessions: expected a whole number, got 2.5",
        id="int-type",
    ),
    pytest.param(
        "seed = true\n", "me.toml: seed: expected a whole number, got true", id="bool-as-int"
    ),
    pytest.param(
        'time_limit = "10"\n',
        "me.toml: time_limit: expected a number, got '10'",
        id="float-type",
    ),
    pytest.param(
        "reps = [10]\n",
        "me.toml: reps: expected [low, high], two whole numbers, got [10]",
        id="pair-type",
    ),
    pytest.param(
        "reps = [15, 10]\n",
        "me.toml: reps: 10 is out of range; allowed: 15 to 50",
        id="pair-order",
    ),
    pytest.param(
        'start = "2026-11-30"\n',
        "me.toml: start: expected a date without quotes, e.g. 2026-11-30, got '2026-11-30'",
        id="start-type",
    ),
    pytest.param(
        'prefer = ["bird_dog"]\ndislike = ["bird_dog"]\n',
        "me.toml: dislike: 'bird_dog' is also preferred; choose one",
        id="prefer-and-dislike",
    ),
    pytest.param(
        "minutes = 30\n[shares]\nglutes = 25\n",
        "me.toml: shares is no longer a setting: balance is now weekly strength sets "
        "(weekly_sets = [minimum, aim]); remove the [shares] table",
        id="shares-retired",
    ),
    pytest.param(
        "shares = 30\n",
        "me.toml: shares is no longer a setting: balance is now weekly strength sets "
        "(weekly_sets = [minimum, aim]); remove the shares line",
        id="shares-retired-not-a-table",
    ),
    pytest.param(
        'level = "beginner"\nminutes = \n',
        "me.toml:2: invalid TOML (Invalid value at column 11)",
        id="toml-syntax",
    ),
    pytest.param(
        "minutes = 30\nminutes = 40\n",
        "me.toml:2: invalid TOML (Cannot overwrite a value at column 13)",
        id="toml-duplicate",
    ),
    pytest.param(
        'days = ["mon",\n',
        "me.toml:1: invalid TOML (Invalid value at the end of the file)",
        id="toml-unclosed",
    ),
    pytest.param(
        b'level = "beginner"\n# caf\xe9\n',
        "me.toml:2: bytes are not UTF-8; save the file as UTF-8",
        id="not-utf8",
    ),
]


def _write(here, content) -> None:
    if isinstance(content, bytes):
        (here / "me.toml").write_bytes(content)
    else:
        (here / "me.toml").write_text(content, encoding="utf-8")


@pytest.mark.parametrize(("content", "message"), BAD_FILES)
def test_load_profile_error_message(here, content, message):
    """Each problem in a file is one line naming the file, the key and what is allowed."""
    _write(here, content)
    with pytest.raises(ProfileFileError) as err:
        load_profile("me.toml")
    assert str(err.value) == message


@pytest.mark.parametrize(("content", "message"), BAD_FILES)
def test_cli_error_message(here, content, message):
    """The command line prints the same line, no traceback, and exits 2."""
    _write(here, content)
    result = run("plan", "--profile", "me.toml")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"Error: {message}\n")


def test_error_is_a_profile_error_with_its_key(here):
    """ProfileFileError is a ProfileError (a ValueError) whose key names the setting."""
    (here / "me.toml").write_text("minutes = 90\n")
    with pytest.raises(ProfileError) as err:
        load_profile("me.toml")
    assert isinstance(err.value, ValueError)
    assert (err.value.key, err.value.path, err.value.line) == ("minutes", "me.toml", None)


def test_syntax_error_carries_its_line(here):
    """An invalid-TOML error has key 'profile' and the line number."""
    (here / "me.toml").write_text("\n\nminutes 30\n")
    with pytest.raises(ProfileFileError) as err:
        load_profile("me.toml")
    assert (err.value.key, err.value.line) == ("profile", 3)
    assert str(err.value) == (
        "me.toml:3: invalid TOML (Expected '=' after a key in a key/value pair at column 9)"
    )


def test_missing_file(here):
    """A missing file is named; exit 2."""
    with pytest.raises(ProfileFileError, match=r"^nope\.toml: no such file$"):
        load_profile("nope.toml")
    result = run("profile", "show", "--profile", "nope.toml")
    assert (result.exit_code, result.stderr) == (2, "Error: nope.toml: no such file\n")


def test_directory(here):
    """A directory is refused by name; exit 2."""
    (here / "d").mkdir()
    message = "d: is a directory; allowed: a TOML file"
    with pytest.raises(ProfileFileError) as err:
        load_profile("d")
    assert str(err.value) == message
    result = run("check", "week.csv", "--profile", "d")
    assert (result.exit_code, result.stderr) == (2, f"Error: {message}\n")


def test_option_errors_name_the_option_not_the_file(here):
    """A bad value given on the command line is the option's fault, even with a file."""
    (here / "me.toml").write_text("minutes = 30\n")
    result = run("plan", "--profile", "me.toml", "--minutes", "90")
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: --minutes: 90 is out of range; allowed: 10 to 60\n",
    )
    result = run("profile", "show", "--profile", "me.toml", "--weeks", "60")
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: --weeks: 60 is out of range; allowed: 1 to 52\n",
    )


def test_option_overrides_raise_plain_profile_error(here):
    """In the library, a bad override raises ProfileError naming only the key."""
    (here / "me.toml").write_text("minutes = 30\n")
    with pytest.raises(ProfileError) as err:
        load_profile("me.toml", minutes=90)
    assert not isinstance(err.value, ProfileFileError)
    assert str(err.value) == "minutes: 90 is out of range; allowed: 10 to 60"


def test_unknown_exercise_id_in_the_file_names_the_file(here):
    """An id the catalogue lacks is reported against the file it came from."""
    (here / "me.toml").write_text('prefer = ["moonwalk"]\n')
    source = load_catalog().source
    result = run("plan", "--profile", "me.toml")
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: me.toml: prefer: 'moonwalk' is not in the catalogue ({source})\n",
    )
    result = run("plan", "--profile", "me.toml", "--exclude", "moonwalk")
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: --exclude: 'moonwalk' is not in the catalogue ({source})\n",
    )


def test_profile_commands_have_help_with_an_example():
    """`profile`, `profile init` and `profile show` help ends with an example."""
    for args in (("profile",), ("profile", "init"), ("profile", "show")):
        result = run(*args, "--help")
        assert result.exit_code == 0
        assert "\n  Example:\n    planner profile " in result.stdout
