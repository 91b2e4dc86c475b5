"""The programme guard rails: ramp, acute:chronic and week shape, model and validator side."""

from dataclasses import replace

import pytest

from planner import NoPlan, Profile, check_plan, history_after, solve
from planner.evidence import ACWR_DANGER, RAMP_CAP_MIN_PCT
from planner.plan import Plan
from planner.ramp import History, acute_chronic, acute_chronic_cap, band, monotony, phase

DAYS3 = ("mon", "wed", "fri")


@pytest.fixture(scope="module")
def programme(catalog):
    profile = Profile.for_level("beginner", days=DAYS3, weeks=4)
    return profile, solve(catalog, profile)


NO_HISTORY = History()


def test_build_band_rises_two_to_ten_percent_below_the_target():
    """Below the target a build week must rise 2-10 % on the last build week (R4, R10)."""
    profile = Profile.for_level("beginner")
    b = band(profile, History((200.0,), (False,)), deload=False)
    assert (b.low, b.high) == pytest.approx((204.0, 220.0))


def test_band_holds_once_within_ten_percent_of_the_target():
    """Within 10 % of the 270 AU target the band holds: 243 AU up to 5 % above the target."""
    profile = Profile.for_level("beginner")
    b = band(profile, History((260.0,), (False,)), deload=False)
    assert (b.low, b.high) == pytest.approx((243.0, 283.5))
    assert phase(profile, History((260.0,), (False,)), deload=False) == "hold"


def test_deload_band_is_55_to_65_percent_of_the_week_before():
    """A deload week lands at 60 % +- 5 points of the week before (R12)."""
    profile = Profile.for_level("beginner", weeks=4)
    b = band(profile, History((250.0,), (False,)), deload=True)
    assert (b.low, b.high) == pytest.approx((137.5, 162.5))


def test_build_week_after_a_deload_ramps_from_the_last_build_week():
    """The reference for a build week skips deload weeks."""
    profile = Profile.for_level("beginner", weeks=8)
    history = History((230.0, 240.0, 150.0), (False, False, True))
    assert history.reference(profile) == 240.0


def test_acute_chronic_pads_with_the_starting_load():
    """Weeks before the plan count the starting load: 4 weeks of 216 AU (R11)."""
    profile = Profile.for_level("beginner")
    assert acute_chronic(237.6, profile, History()) == pytest.approx(1.1)


def test_monotony_of_three_equal_sessions():
    """Three equal sessions and four rest days give monotony 0.87 (mean / SD, R9)."""
    assert monotony([100.0, 100.0, 100.0]) == pytest.approx(0.866, abs=0.001)


def test_programme_keeps_every_guard_rail(programme, catalog):
    """A solved 4-week programme rises in build weeks, deloads in week 4 and passes the
    validator."""
    profile, plan = programme
    loads = plan.weekly_loads()
    assert loads[1] < loads[2] < loads[3] or loads[3] >= 0.9 * profile.target_load
    assert 0.55 * loads[3] - 0.1 <= loads[4] <= 0.65 * loads[3] + 0.1
    assert check_plan(Plan.from_frame(plan.to_frame(), catalog, profile)) == []


def edited(plan: Plan, profile, change, history=NO_HISTORY) -> Plan:
    """``plan`` for ``profile`` after ``history``, its entries put through ``change`` (a
    function from the entries to the new entries)."""
    return Plan(profile, tuple(change(list(plan.entries))), history=history)


def names(plan: Plan, rule: str | None = None) -> list[str]:
    return [str(v) for v in check_plan(plan) if rule is None or v.rule == rule]


def test_validator_catches_a_week_ramped_too_fast(programme):
    """Doubling every set in week 2 breaks the ramp rule (and dose)."""
    profile, plan = programme
    doubled = edited(
        plan,
        profile,
        lambda es: [replace(e, sets=2 * e.sets) if e.week == 2 else e for e in es],
    )
    assert "ramp" in {v.rule for v in check_plan(doubled)}


def test_validator_catches_a_flat_deload(programme):
    """A week 4 copied from week 3 is no deload: the ramp rule names it."""
    profile, plan = programme
    flat = edited(
        plan,
        profile,
        lambda es: [e for e in es if e.week != 4] + [replace(e, week=4) for e in es if e.week == 3],
    )
    found = names(flat, "ramp")
    assert any(m.startswith("week 4: deload week load") for m in found), found


def test_validator_catches_a_flat_build_week(programme):
    """A week 2 copied from week 1 does not rise the 2 % a build week under the target must:
    the ramp rule names week 2 as a build week."""
    profile, plan = programme
    flat = edited(
        plan,
        profile,
        lambda es: [e for e in es if e.week != 2] + [replace(e, week=2) for e in es if e.week == 1],
    )
    found = names(flat, "ramp")
    assert any(m.startswith("week 2: build week load") for m in found), found


def test_validator_catches_an_acute_chronic_jump(programme):
    """Against a history of light weeks the same programme breaks the acute:chronic cap."""
    profile, plan = programme
    light = History((100.0,) * 4, (False,) * 4, first_week=-3)
    assert "acute_chronic" in {v.rule for v in check_plan(edited(plan, profile, list, light))}


def test_validator_catches_the_danger_ratio_under_the_highest_cap(programme):
    """A week at 1.5 times the mean of the four before breaks acute:chronic even with the
    highest cap a profile allows (1.49): the ratio never reaches 1.5 (R11)."""
    profile, plan = programme
    profile = profile.with_changes(acwr_cap=1.49)
    week1 = plan.weekly_loads()[1]
    history = History((week1 / ACWR_DANGER,) * 4, (False,) * 4, first_week=-3)
    found = names(edited(plan, profile, list, history))
    assert "week 1: acute:chronic ratio 1.50 above 1.49 [acute_chronic]" in found, found


def test_validator_catches_a_spiking_session(programme):
    """One session far above the week's mean session load breaks week_shape."""
    profile, plan = programme
    first = next(e for e in plan.entries if e.week == 1 and e.exercise.role == "strength")
    spiked = edited(
        plan, profile, lambda es: [replace(e, sets=40) if e is first else e for e in es]
    )
    assert "week_shape" in {v.rule for v in check_plan(spiked)}


def test_validator_catches_a_monotonous_week(programme):
    """Week 1's Monday session held on each day from mon to sat makes six equal loads,
    monotony 2.45, over the 2.0 cap: week_shape names it."""
    profile, plan = programme
    monday = [e for e in plan.entries if e.week == 1 and e.day == 0]
    six = edited(plan, profile, lambda es: [replace(e, day=d) for d in range(6) for e in monday])
    assert names(six, "week_shape") == ["week 1: monotony 2.45 above 2.0 [week_shape]"]


def test_tiny_starting_load_leaves_no_room_for_a_session(catalog):
    """Starting from 50 AU a week, week 1 may carry at most 55 AU, under three sessions'
    worth: the explanation names the load rule and the session minutes."""
    profile = Profile.for_level("beginner", days=DAYS3, weeks=4, start_load=50)
    with pytest.raises(NoPlan) as caught:
        solve(catalog, profile)
    names = {r.name for r in caught.value.rules}
    assert "session_minutes" in names and names & {"ramp", "acute_chronic"}
    assert caught.value.week == 1


def test_ramp_floor_gives_way_to_acute_chronic_after_a_heavy_week(catalog):
    """After three 150 AU weeks and one of 283 AU, holding near the target (ramp) would need
    at least 243 AU while the acute:chronic cap allows 220 AU: the floor gives way to within
    10 % under the cap (a guard rail wins over a progression aim), and the plan keeps every
    rule."""
    profile = Profile.for_level("beginner", days=DAYS3, weeks=4)
    history = History((150.0, 150.0, 150.0, 283.0), (False,) * 4)
    assert acute_chronic_cap(profile, history) < 243
    cap = acute_chronic_cap(profile, history)
    assert band(profile, history, False).low == pytest.approx(cap * 0.9)
    plan = solve(catalog, profile, history=history)
    assert cap * 0.9 - 0.01 <= plan.weekly_loads()[5] <= cap
    assert check_plan(plan) == []


def test_six_sessions_keep_monotony_under_two(catalog):
    """A six-session week varies its loads enough for monotony <= 2.0 (R9)."""
    profile = Profile.for_level("beginner", sessions=6, weeks=1)
    plan = solve(catalog, profile)
    daily = {}
    for e in plan.entries:
        daily[e.day] = daily.get(e.day, 0.0) + e.load
    assert monotony(list(daily.values())) <= 2.0
    assert check_plan(Plan.from_frame(plan.to_frame(), catalog, profile)) == []


def test_after_carries_the_ramp_on(programme, catalog):
    """A second block after the first starts at week 5 and passes the validator with the
    first block as its history."""
    profile, plan = programme
    history = history_after(plan)
    assert history.next_week == 5
    second = solve(catalog, profile, history=history)
    assert min(e.week for e in second.entries) == 5
    assert check_plan(Plan.from_frame(second.to_frame(), catalog, profile, history)) == []


def test_lowest_ramp_cap_leaves_a_build_week_possible(tiny_catalog, tiny_profile, exercise):
    """The lowest ramp cap a profile accepts (3 %, a point above the least rise a build week
    must make) leaves week 1 of a programme a band that whole sets can hit (with a one-rep
    drill to open each session with: the tiny catalogue's two warm-up moves alone leave no
    15-minute week in so narrow a band)."""
    drill = exercise("pelvic_rock", "mobility", ("lower_back",), sets=1, reps=1, rpe=2)
    catalog = tiny_catalog(extra=[drill])
    profile = tiny_profile(weeks=2, ramp_cap_pct=RAMP_CAP_MIN_PCT)
    plan = solve(catalog, profile)
    assert check_plan(Plan.from_frame(plan.to_frame(), catalog, profile)) == []
