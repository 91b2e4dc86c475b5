"""planner swap / planner move and planner.revision: valid plans, fewest changes, exact errors."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner import revision
from planner.check import check_plan
from planner.plan import read_plan
from planner.profile import DAYS, Profile
from planner.solve import NoPlan

OPTIONS = (
    "--level", "beginner", "--days", "mon,wed,fri", "--weeks", "2",
    "--pin", "mon:glute_bridge", "--max-days-per-exercise", "1",
)  # fmt: skip
PROFILE = Profile.for_level(
    "beginner",
    days=("mon", "wed", "fri"),
    weeks=2,
    pins=frozenset({"mon:glute_bridge"}),
    max_days_per_exercise=1,
)
# Placements a swap may change besides the exercise taken out and the one put in: the bench
# target (issue 18: median at most 3); every swap measured on these plans changed none.
OUTSIDE_BOUND = 3


@pytest.fixture(scope="module")
def plans(tmp_path_factory, catalog):
    """Two valid 2-week plans (seeds 0 and 1), as files and read back."""
    from click.testing import CliRunner

    from planner.cli import cli

    folder = tmp_path_factory.mktemp("revision")
    out = []
    for seed in (0, 1):
        path = folder / f"plan{seed}.csv"
        args = ["plan", *OPTIONS, "--seed", str(seed), "--budget", "2", "--csv", str(path), "-q"]
        assert CliRunner().invoke(cli, args).exit_code == 0
        out.append((path, read_plan(path, catalog, PROFILE)))
    return out


def _session(plan, week, day):
    return sorted(e.exercise.id for e in plan.weeks[week] if e.day == DAYS.index(day))


def test_swap_writes_a_valid_plan_and_leaves_the_input(plans, invoke, tmp_path, catalog):
    """swap -o writes a plan that passes check, with the exercise gone; the input is as was."""
    path, plan = plans[0]
    before = path.read_bytes()
    exercise = _session(plan, 2, "wed")[0]
    out = tmp_path / "out.csv"
    result = invoke(
        "swap", str(path), exercise, "--week", "2", "--day", "wed", "-o", str(out), *OPTIONS
    )
    assert result.exit_code == 0, result.output
    assert "Week 2 Wed:\n" in result.output  # other days of week 2 may change a dose
    assert result.output.endswith(f"Wrote {out}.\n")
    assert path.read_bytes() == before
    revised = read_plan(out, catalog, PROFILE)
    assert check_plan(revised) == []
    assert exercise not in _session(revised, 2, "wed")


def test_swap_without_output_writes_nothing(plans, invoke, here):
    """Without -o the diff is printed and no file is made."""
    path, plan = plans[0]
    exercise = _session(plan, 1, "fri")[0]
    result = invoke("swap", str(path), exercise, "--week", "1", "--day", "fri", *OPTIONS)
    assert result.exit_code == 0, result.output
    assert result.output.endswith("Nothing written; give -o OUT.csv to save the revised plan.\n")
    assert list(here.iterdir()) == []


def test_swap_with_other_that_clashes_names_the_rules(plans, invoke):
    """--with a pinned exercise on a second day breaks the days cap: exit 3 naming both rules."""
    path, plan = plans[0]
    exercise = next(x for x in _session(plan, 2, "wed") if x != "glute_bridge")
    result = invoke(
        "swap", str(path), exercise, "--week", "2", "--day", "wed", "--with", "glute_bridge",
        *OPTIONS,
    )  # fmt: skip
    assert result.exit_code == 3
    assert result.output == (
        "Error: week 2: no week fits these settings: these rules cannot all hold: each pinned "
        "exercise on its day every week [pinned]; no exercise on more days a week than allowed "
        "[weekly_repeats]. Try changing --exclude, --max-days-per-exercise, --pin, pins "
        "(profile)\n"
    )


def test_swap_of_an_exercise_not_in_the_session(plans, invoke):
    """An exercise the session does not hold: exit 2 listing what it holds."""
    path, plan = plans[0]
    held = ", ".join(_session(plan, 2, "wed"))
    result = invoke("swap", str(path), "nope", "--week", "2", "--day", "wed", *OPTIONS)
    assert result.exit_code == 2
    assert result.output == f"Error: 'nope' is not in week 2 wed's session; it holds: {held}\n"


def test_move_keeps_the_rest_when_the_rules_hold(plans, invoke, tmp_path, catalog):
    """Moving fri to sat (free, not next to another session): only that session's day changes."""
    path, plan = plans[0]
    out = tmp_path / "moved.csv"
    days = ("--days", "mon,wed,fri,sat")
    result = invoke(
        "move",
        str(path),
        "--week",
        "1",
        "--from",
        "fri",
        "--to",
        "sat",
        "-o",
        str(out),
        *OPTIONS,
        *days,
    )
    assert result.exit_code == 0, result.output
    moved = read_plan(out, catalog, PROFILE.with_changes(days=("mon", "wed", "fri", "sat")))
    assert check_plan(moved) == []
    assert _session(moved, 1, "sat") == _session(plan, 1, "fri")
    assert _session(moved, 1, "fri") == []
    assert {e.week for e in moved.entries if e.week == 2} and moved.weeks[2] == plan.weeks[2]


def test_move_off_a_pinned_day(plans, invoke):
    """The Monday session holds a pinned exercise: moving it cannot keep the pin (exit 2)."""
    path, _ = plans[0]
    result = invoke(
        "move", str(path), "--week", "2", "--from", "mon", "--to", "tue", *OPTIONS,
        "--days", "mon,tue,wed,fri",
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.output == (
        "Error: --from mon: glute_bridge is pinned to mon (--pin); unpin it to move the session\n"
    )


def test_move_to_a_day_not_yours(plans, invoke):
    """--to a day outside --days: exit 2 saying which days are allowed."""
    path, _ = plans[0]
    result = invoke("move", str(path), "--week", "1", "--from", "wed", "--to", "thu", *OPTIONS)
    assert result.exit_code == 2
    assert (
        result.output
        == "Error: --to thu is not one of your days (mon,wed,fri); give it in --days\n"
    )


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_random_swap_changes_only_what_it_must(plans, catalog, data):
    """A random swap on a random valid plan: valid, nothing before its week changed, the
    exercise out of its session, at most OUTSIDE_BOUND placements changed besides it and its
    replacement."""
    _, plan = data.draw(st.sampled_from(plans))
    entry = data.draw(st.sampled_from([e for e in plan.entries if e.exercise.id != "glute_bridge"]))
    day = DAYS[entry.day]
    done = revision.swap(plan, catalog, entry.week, day, entry.exercise.id)
    assert check_plan(done.plan) == []
    assert all(c.week >= entry.week for c in done.changed)
    assert entry.exercise.id not in _session(done.plan, entry.week, day)
    assert done.placements - 2 <= OUTSIDE_BOUND


def test_swap_library_errors(plans, catalog):
    """Bad requests are RevisionError (a ValueError) with one line; a day without a session too."""
    _, plan = plans[0]
    with pytest.raises(revision.RevisionError, match="^--day tue: week 1 has no session that day"):
        revision.swap(plan, catalog, 1, "tue", "glute_bridge")
    with pytest.raises(revision.RevisionError, match="^'glute_bridge' is pinned to mon"):
        revision.swap(plan, catalog, 1, "mon", "glute_bridge")
    with pytest.raises(NoPlan):
        revision.swap(plan, catalog, 2, "wed", _session(plan, 2, "wed")[0], "glute_bridge")


def test_swap_onto_its_own_input(plans, invoke, tmp_path, catalog):
    """-o naming PLAN_CSV replaces it with the revised plan, which passes check."""
    source, plan = plans[1]
    path = tmp_path / "mine.csv"
    path.write_bytes(source.read_bytes())
    exercise = _session(plan, 1, "wed")[0]
    result = invoke(
        "swap", str(path), exercise, "--week", "1", "--day", "wed", "-o", str(path), *OPTIONS
    )
    assert result.exit_code == 0, result.output
    revised = read_plan(path, catalog, PROFILE)
    assert check_plan(revised) == []
    assert exercise not in _session(revised, 1, "wed")


def test_move_diff_names_the_moves(plans, catalog):
    """A move that keeps the rules: the whole session '>' to the new day in one line, each of
    its exercises counted as moved, nothing else changed."""
    plan = read_plan(plans[0][0], catalog, PROFILE.with_changes(days=("mon", "wed", "fri", "sat")))
    done = revision.move(plan, catalog, 1, "fri", "sat")
    friday = [e for e in plan.weeks[1] if e.day == DAYS.index("fri")]
    assert done.diff().splitlines() == [
        "Week 1 Fri:",
        f"  > the whole session ({len(friday)} exercises) to Sat",
        f"0 placements changed, {len(friday)} moved to another day, 0 doses changed",
    ]
    assert check_plan(done.plan) == []


def test_swap_without_with_takes_a_like_for_like_substitute(plans, catalog):
    """Without a replacement, each strength move of week 2's Wednesday is swapped for one of
    its LIKE_FOR_LIKE best substitutes (planner alternatives) when one keeps the rules: a
    glute move for a glute move, not for whatever the week had room for."""
    from planner.alternatives import alternatives

    _, plan = plans[0]
    session = _session(plan, 2, "wed")
    for exercise in (x for x in session if catalog[x].role == "strength"):
        ranked = [a.exercise.id for a in alternatives(catalog, PROFILE, exercise)]
        best = [x for x in ranked if x not in session][: revision.LIKE_FOR_LIKE]
        done = revision.swap(plan, catalog, 2, "wed", exercise)
        added = {c.exercise for c in done.changed if c.before == 0 and (c.week, c.day) == (2, 2)}
        assert added & set(best), (exercise, added, best)
        assert check_plan(done.plan) == []


def test_move_next_to_another_session_that_no_week_allows_is_no_plan(exercise):
    """On a catalogue whose one strength move trains every group, Wednesday's session moved
    to Tuesday would strengthen on two days in a row (48 h recovery), and every session must
    strengthen: no week keeps the rules, so move raises NoPlan naming the clash."""
    from planner.catalog import Catalog
    from planner.solve import solve

    catalog = Catalog(
        (
            exercise("pelvic_rock", "mobility", ("lower_back",), sets=1, reps=1),
            exercise("hip_stretch_a", "stretch", ("hip_flexors",)),
            exercise("hip_stretch_b", "stretch", ("hip_flexors",)),
            exercise("all_round", "strength", ("glutes", "hamstrings", "core", "lower_back")),
        )
    )
    profile = Profile.for_level(
        "beginner",
        days=("mon", "tue", "wed"),
        sessions=2,
        minutes=10,
        session_fill=0.5,
        weeks=1,
        posterior_patterns=False,
        weekly_sets=(0, 0),
    )
    plan = solve(catalog, profile)
    assert sorted({DAYS[e.day] for e in plan.entries}) == ["mon", "wed"]
    with pytest.raises(NoPlan) as caught:
        revision.move(plan, catalog, 1, "wed", "tue")
    assert "recovery" in {r.name for r in caught.value.rules}
