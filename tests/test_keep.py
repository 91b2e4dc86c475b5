"""Planning the weeks ahead again (issue 18): ``solve_kept`` and ``planner plan --keep PLAN.csv
--from-week N`` keep the weeks before N exactly and plan the rest from their history; ``avoid``
leaves exercises out of the weeks planned now only; pins come as a ``[pins]`` table too."""

from __future__ import annotations

from dataclasses import replace

import pytest

from clean_exit import assert_clean_exit
from planner.check import check_plan
from planner.plan import Keep, Plan
from planner.profile import Profile, ProfileError, SolverOptions
from planner.profile_file import ProfileFileError, dump_profile, load_profile
from planner.solve import NoPlan, solve, solve_kept

QUICK = SolverOptions(budget=1.0)
DAYS = ("mon", "wed", "fri")
CLI_DAYS = ("--days", "mon,wed,fri", "--budget", "1")


@pytest.fixture(scope="module")
def earlier(shipped) -> Plan:
    """A 3-week beginner programme on mon, wed, fri: the plan whose weeks are kept."""
    return solve(shipped, Profile.for_level("beginner", days=DAYS, weeks=3), options=QUICK)


def _week_one_strength(plan: Plan) -> str:
    """A strength exercise of week 1 that is never pinned in these tests."""
    return next(e.exercise.id for e in plan.weeks[1] if e.exercise.role == "strength")


def test_solve_kept_keeps_earlier_weeks_and_the_plan_is_valid(shipped, earlier):
    """Weeks before from_week are the earlier plan's entries; the weeks after leave out the
    avoided id and hold the pin (one the kept week does not hold), and the validator finds
    nothing, the kept week holding the avoided id included."""
    avoided = _week_one_strength(earlier)
    friday = {e.exercise.id for e in earlier.weeks[1] if e.day == 4}
    pinned = next(i for i in ("bird_dog", "dead_bug", "glute_bridge") if i not in friday)
    profile = Profile.for_level(
        "beginner", days=DAYS, avoid=frozenset({avoided}), pins=frozenset({f"fri:{pinned}"})
    )
    plan = solve_kept(shipped, profile, Keep(earlier, 2), options=QUICK)
    assert plan.entries[: len(earlier.weeks[1])] == earlier.weeks[1]
    assert list(plan.weeks) == [1, 2, 3] and plan.profile.weeks == 3 and plan.from_week == 2
    assert avoided in {e.exercise.id for e in plan.weeks[1]}
    assert all(e.exercise.id != avoided for w in (2, 3) for e in plan.weeks[w])
    assert all((4, pinned) in {(e.day, e.exercise.id) for e in plan.weeks[w]} for w in (2, 3))
    assert check_plan(plan) == []
    # Held to the avoid and pin in every week, the kept one breaks both.
    flagged = {v.rule for v in check_plan(replace(plan, from_week=None)) if "week 1" in v.where}
    assert {"pinned"} <= flagged
    assert any(v.rule == "allowed_exercises" for v in check_plan(replace(plan, from_week=None)))


def test_solve_kept_with_no_week_to_plan_names_the_week(shipped, earlier):
    """Avoiding every hip-flexor stretch leaves week 2 without one: NoPlan names week 2."""
    stretches = frozenset(
        e.id for e in shipped if e.role == "stretch" and e.groups[0] == "hip_flexors"
    )
    profile = Profile.for_level("beginner", days=DAYS, avoid=stretches)
    with pytest.raises(NoPlan) as err:
        solve_kept(shipped, profile, Keep(earlier, 2), options=QUICK)
    assert str(err.value).startswith("week 2: no hip-flexor stretch that your level")


@pytest.mark.parametrize(
    "week, message",
    [
        (1, "1 is out of range; allowed: 2 to 3 (the weeks of old.csv after its first)"),
        (4, "4 is out of range; allowed: 2 to 3 (the weeks of old.csv after its first)"),
    ],
)
def test_keep_refuses_a_week_out_of_range(earlier, week, message):
    """The first week to plan again is one of the plan's weeks after its first."""
    with pytest.raises(ValueError) as err:
        Keep(earlier, week, "old.csv")
    assert str(err.value) == message


def test_keep_refuses_a_plan_of_one_week(earlier):
    """A plan of one week has nothing after its first week to plan again."""
    one = Plan(earlier.profile, earlier.weeks[1])
    with pytest.raises(ValueError) as err:
        Keep(one, 2, "old.csv")
    assert str(err.value) == (
        "2 is out of range: old.csv has only week 1, which is kept; carry it on with --after "
        "instead"
    )


def test_plan_keep_cli_writes_kept_rows_byte_for_byte_and_passes_check(invoke, here):
    """plan --keep --from-week 2: the CSV's week-1 rows are the earlier file's, the new weeks
    leave the avoided id out, and check passes with --from-week (not without: exit 1)."""
    result = invoke("plan", *CLI_DAYS, "--weeks", "3", "--csv", "old.csv", "--quiet")
    assert result.exit_code == 0, result.output
    old = (here / "old.csv").read_text().splitlines()
    avoided = next(r.split(",")[4] for r in old[1:] if r.split(",")[6] == "strength")
    options = (*CLI_DAYS, "--weeks", "3", "--avoid", avoided, "--pin", "fri:bird_dog")
    result = invoke("plan", *options, "--keep", "old.csv", "--from-week", "2", "--csv",
                    "new.csv", "--quiet")  # fmt: skip
    assert result.exit_code == 0, result.output
    new = (here / "new.csv").read_text().splitlines()
    kept = [r for r in old if r.startswith("1,")]
    assert [r for r in new if r.startswith("1,")] == kept and new[: len(kept) + 1] == old[
        : len(kept) + 1
    ]
    assert {r.split(",")[0] for r in new[1:]} == {"1", "2", "3"}
    assert not [r for r in new[1:] if r.split(",")[4] == avoided and r[0] != "1"]
    result = invoke("check", "new.csv", *options, "--from-week", "2")
    assert (result.exit_code, result.output) == (
        0,
        f"new.csv: {len(new) - 1} rows, every rule holds.\n",
    )
    result = invoke("check", "new.csv", *options)
    assert result.exit_code == 1
    assert f"{avoided} is not allowed: avoided by you [allowed_exercises]" in result.output
    assert (here / "old.csv").read_text().splitlines() == old  # the input untouched


@pytest.mark.parametrize(
    "args, message",
    [
        (("--keep", "old.csv"), "--keep needs --from-week N, the first week to plan again"),
        (("--from-week", "2"),
         "--from-week needs --keep PLAN.csv, the plan whose earlier weeks to keep"),
        (("--keep", "old.csv", "--from-week", "1"),
         "--from-week: 1 is out of range; allowed: 2 (the week of old.csv after its first)"),
        (("--keep", "old.csv", "--from-week", "3"),
         "--from-week: 3 is out of range; allowed: 2 (the week of old.csv after its first)"),
        (("--keep", "old.csv", "--from-week", "2", "--after", "old.csv"),
         "--keep and --after cannot be used together; give one of them"),
        (("--keep", "old.csv", "--from-week", "2", "--csv", "old.csv"),
         "--csv old.csv is the same file as --keep old.csv; give another output file"),
        (("--keep", "gone.csv", "--from-week", "2"),
         "--keep gone.csv: gone.csv: cannot be read (No such file or directory)"),
        (("--keep", "old.csv", "--from-week", "2", "--adapt", "--db", "log.db"),
         "--adapt and --keep cannot be used together; give one of them"),
    ],
    ids=["no-from-week", "no-keep", "week-1", "week-3", "after", "overwrite", "missing", "adapt"],
)  # fmt: skip
def test_plan_keep_cli_bad_options_are_one_line(invoke, here, args, message):
    """Each misuse of --keep/--from-week is one line naming the option, exit 2, nothing
    written."""
    result = invoke("plan", *CLI_DAYS, "--weeks", "2", "--csv", "old.csv", "--quiet")
    assert result.exit_code == 0, result.output
    before = (here / "old.csv").read_bytes()
    result = invoke("plan", *CLI_DAYS, *args)
    assert_clean_exit(result, (2,))
    assert result.output == f"Error: {message}\n"
    assert (here / "old.csv").read_bytes() == before


def test_check_from_week_out_of_range(invoke, here):
    """check --from-week names the checked file's range."""
    result = invoke("plan", *CLI_DAYS, "--weeks", "2", "--csv", "p.csv", "--quiet")
    assert result.exit_code == 0, result.output
    result = invoke("check", "p.csv", *CLI_DAYS, "--weeks", "2", "--from-week", "7")
    assert_clean_exit(result, (2,))
    assert result.output == (
        "Error: --from-week: 7 is out of range; allowed: 2 (the week of p.csv after its first)\n"
    )


# --- avoid ----------------------------------------------------------------------------------


def test_avoid_leaves_exercises_out_and_adds_to_the_file(invoke, here):
    """--avoid (repeatable, comma-separated too) adds to the file's avoid; none of them is
    planned, and check with the same options passes."""
    (here / "me.toml").write_text('days = ["mon", "wed", "fri"]\navoid = ["crunch"]\n')
    avoid = ("--avoid", "bird_dog,dead_bug", "--avoid", "glute_bridge")
    result = invoke("plan", "--profile", "me.toml", "--weeks", "2", "--budget", "1", *avoid,
                    "--csv", "p.csv", "--quiet")  # fmt: skip
    assert result.exit_code == 0, result.output
    ids = {r.split(",")[4] for r in (here / "p.csv").read_text().splitlines()[1:]}
    assert not ids & {"crunch", "bird_dog", "dead_bug", "glute_bridge"}
    result = invoke("check", "p.csv", "--profile", "me.toml", "--weeks", "2", *avoid)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "args, toml, message",
    [
        (("--pin", "wed:glute_bridge", "--avoid", "glute_bridge"), "",
         "--avoid: 'glute_bridge' is also pinned (--pin); choose one"),
        ((), 'avoid = ["glute_bridge"]\n[pins]\nwed = ["glute_bridge"]\n',
         "me.toml: avoid: 'glute_bridge' is also pinned (pins); choose one"),
        (("--avoid", "nope"), "",
         "--avoid: 'nope' is not in the catalogue ({catalog})"),
    ],
    ids=["both-options", "both-in-file", "unknown"],
)  # fmt: skip
def test_avoid_errors_are_one_line(invoke, here, shipped, args, toml, message):
    """An avoided id that is also pinned names both; an unknown id names the catalogue."""
    (here / "me.toml").write_text(toml)
    result = invoke("plan", "--profile", "me.toml", "--days", "mon,wed,fri", *args)
    assert_clean_exit(result, (2,))
    assert result.output == f"Error: {message.format(catalog=shipped.source)}\n"


def test_avoid_is_allowed_in_kept_weeks_only(earlier):
    """The validator lets a kept week hold an avoided id, not a week planned now."""
    avoided = _week_one_strength(earlier)
    profile = earlier.profile.with_changes(avoid=frozenset({avoided}))
    rows = {
        f"row {n}": e.week for n, e in enumerate(earlier.entries, 1) if e.exercise.id == avoided
    }
    message = f"{avoided} is not allowed: avoided by you"

    def flagged(plan: Plan) -> set[int]:
        """The weeks whose rows the validator flags for the avoided id."""
        return {rows[v.where] for v in check_plan(plan) if v.message == message}

    assert flagged(replace(earlier, profile=profile, from_week=2)) == set(rows.values()) - {1}
    assert flagged(replace(earlier, profile=profile)) == set(rows.values())


# --- the [pins] table ------------------------------------------------------------------------


def test_pins_table_is_read_and_written_back(tmp_path):
    """A [pins] table (day = [ids]) reads as day:id pins, as the list form does; a profile
    with pins is written with the table, which reads back the same."""
    path = tmp_path / "me.toml"
    path.write_text('days = ["mon", "wed"]\n[pins]\nwed = ["glute_bridge", "dead_bug"]\nmon = []\n')
    profile = load_profile(path)
    assert profile.pins == {"wed:glute_bridge", "wed:dead_bug"}
    path.write_text('days = ["mon", "wed"]\npins = ["wed:glute_bridge", "wed:dead_bug"]\n')
    assert load_profile(path).pins == profile.pins
    text = dump_profile(profile)
    assert '[pins]\nwed = ["dead_bug", "glute_bridge"]\n' in text
    path.write_text(text)
    assert load_profile(path) == profile
    assert '# [pins]\n# wed = ["glute_bridge"]\n' in dump_profile(Profile())


@pytest.mark.parametrize(
    "toml, message",
    [
        ('[pins]\nwed = "glute_bridge"\n',
         "me.toml: [pins] wed: expected a list of exercise ids, got 'glute_bridge'"),
        ('[pins]\nwed = [1]\n', "me.toml: [pins] wed: expected a list of exercise ids, got [1]"),
        ('[pins]\nwedn = ["glute_bridge"]\n',
         "me.toml: [pins] wedn: 'wedn' is not a day; did you mean 'wed'?"),
        ('[pins]\nseed = 3\n',
         "me.toml: [pins] seed: 'seed' is not a day; move it above the [pins] table"),
        ('days = ["mon", "wed"]\n[pins]\nfri = ["glute_bridge"]\n',
         "me.toml: pins: 'fri:glute_bridge' pins to fri, not one of days (mon,wed)"),
    ],
    ids=["not-a-list", "not-ids", "not-a-day", "key-below", "off-days"],
)  # fmt: skip
def test_pins_table_errors_name_the_key(tmp_path, monkeypatch, toml, message):
    """A bad [pins] entry is one line naming the file, [pins] and the day."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "me.toml").write_text(toml)
    with pytest.raises(ProfileFileError) as err:
        load_profile("me.toml")
    assert str(err.value) == message


def test_profile_refuses_an_avoided_pin():
    """Profile itself refuses an id both pinned and avoided."""
    with pytest.raises(ProfileError) as err:
        Profile(days=DAYS, pins=frozenset({"wed:glute_bridge"}), avoid=frozenset({"glute_bridge"}))
    assert str(err.value) == "avoid: 'glute_bridge' is also pinned (pins); choose one"


def test_plan_keep_is_deterministic_and_dates_carry_on(invoke, here):
    """The same --keep run twice writes the same bytes; with a start date the weeks planned
    now carry on the kept weeks' calendar."""
    result = invoke("plan", *CLI_DAYS, "--weeks", "2", "--start", "2026-12-07", "--csv",
                    "old.csv", "--quiet")  # fmt: skip
    assert result.exit_code == 0, result.output
    for name in ("a.csv", "b.csv"):
        result = invoke("plan", *CLI_DAYS, "--keep", "old.csv", "--from-week", "2", "--csv",
                        name, "--quiet")  # fmt: skip
        assert result.exit_code == 0, result.output
    assert (here / "a.csv").read_bytes() == (here / "b.csv").read_bytes()
    dates = {tuple(r.split(",")[:3]) for r in (here / "a.csv").read_text().splitlines()[1:]}
    assert ("2", "mon", "2026-12-14") in dates and ("1", "fri", "2026-12-11") in dates


def test_keep_refuses_a_plan_with_a_gap(earlier):
    """A plan missing a week between its first and last cannot be carried on."""
    gap = Plan(earlier.profile, earlier.weeks[1] + earlier.weeks[3])
    with pytest.raises(ValueError) as err:
        Keep(gap, 2, "old.csv")
    assert str(err.value) == "old.csv has gaps in weeks 1 to 3; a plan has every week"
