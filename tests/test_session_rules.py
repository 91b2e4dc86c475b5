"""The session-shape families (stretch_ceiling, session_mix, warm_up, stretch_block,
strength_block, strength_share): model side and validator side."""

from dataclasses import replace

import pytest

from planner import Profile, check_plan, load_catalog, solve
from planner.catalog import GROUPS, Catalog, Exercise
from planner.plan import Plan
from planner.profile import DAYS
from planner.rules import guarded
from planner.solve import NoPlan
from tests.conftest import feasible_with


def _exercise(id, role, groups, **kw):
    base = dict(
        name=id.replace("_", " "),
        level="beginner",
        equipment=("none",),
        per_side=False,
        dose="hold" if role in ("stretch", "release") else "reps",
        sets=2,
        reps=1 if role in ("stretch", "release") else 10,
        hold_s=30 if role in ("stretch", "release") else 0,
        rpe=2 if role != "strength" else 5,
    )
    base.update(kw)
    return Exercise(id=id, role=role, groups=groups, **base)


# A one-rep mobility drill (33 s with its rest and getting into position): the warm-up every
# session opens with (R20), short enough to leave each test's arithmetic as it was.
def _drill(make):
    return make("pelvic_rock", "mobility", ("lower_back",), sets=1, reps=1, rpe=2)


def _week_catalog(*extra):
    return Catalog(
        (
            _drill(_exercise),
            _exercise("hip_stretch_a", "stretch", ("hip_flexors",)),
            _exercise("hip_stretch_b", "stretch", ("hip_flexors",)),
            _exercise("glute_bridge", "strength", ("glutes", "hamstrings")),
            _exercise("bird_dog", "strength", ("core", "lower_back")),
            _exercise("dead_bug", "strength", ("core",)),
            *extra,
        )
    )


# The session-shape rules alone: no weekly set minimums or posterior patterns, which the tiny
# catalogues here are too small for (tests/test_rules.py has their own pairs).
SHAPE_ONLY = dict(posterior_patterns=False, weekly_sets=(0, 0))
PROFILE = dict(days=("mon", "wed"), sessions=2, minutes=10, session_fill=0.5, **SHAPE_ONLY)


@pytest.fixture(scope="module")
def shipped_plan() -> Plan:
    return solve(load_catalog(), Profile.for_level("intermediate"))


def test_stretch_ceiling_kept(shipped_plan):
    """A solved intermediate programme stays under the stretch ceiling."""
    assert "stretch_ceiling" not in {v.rule for v in check_plan(shipped_plan)}


def test_session_mix_kept(shipped_plan):
    """A solved intermediate programme mixes every session."""
    assert "session_mix" not in {v.rule for v in check_plan(shipped_plan)}


def test_session_mix_kept_on_a_tiny_catalogue():
    """On a tiny catalogue every session both stretches and strengthens (a lone week: two
    stretches and three strength moves cannot also make a deload week)."""
    catalog = _week_catalog()
    plan = solve(catalog, Profile.for_level("beginner", **PROFILE, weeks=1))
    assert check_plan(plan) == []
    for session in plan.sessions:
        roles = {e.exercise.role for e in session.entries}
        assert "strength" in roles and "stretch" in roles


def test_session_mix_infeasible_with_recovery_on_back_to_back_days():
    """Strength in both of two back-to-back sessions, from one all-round exercise, breaks 48 h
    recovery: the explanation names session_mix and recovery."""
    catalog = Catalog(
        (
            _drill(_exercise),
            _exercise("hip_stretch_a", "stretch", ("hip_flexors",)),
            _exercise("hip_stretch_b", "stretch", ("hip_flexors",)),
            _exercise("all_round", "strength", ("glutes", "hamstrings", "core", "lower_back")),
        )
    )
    profile = Profile.for_level("beginner", **{**PROFILE, "days": ("mon", "tue")})
    with pytest.raises(NoPlan) as caught:
        solve(catalog, profile)
    assert {r.name for r in caught.value.rules} == {"session_mix", "recovery"}


def test_stretch_ceiling_infeasible_when_one_stretch_must_fill_the_session():
    """A session that can only be filled by 5 min of one muscle's stretching breaks the ceiling."""
    catalog = _week_catalog()
    profile = Profile.for_level("beginner", days=("mon",), sessions=1, minutes=15, session_fill=1.0)
    with pytest.raises(NoPlan) as caught:
        solve(catalog, profile)
    assert caught.value.rules  # the conflict is named, not a bare "infeasible"


def test_validator_catches_a_session_over_the_stretch_ceiling(shipped_plan):
    """Nine sets of a 30 s hip-flexor stretch (270 s a side) break stretch_ceiling."""
    entries = list(shipped_plan.entries)
    i = next(i for i, e in enumerate(entries) if e.exercise.stretches_hip_flexors)
    entries[i] = replace(entries[i], sets=9, reps=1, hold_s=30)
    rules = {v.rule for v in check_plan(replace(shipped_plan, entries=tuple(entries)))}
    assert "stretch_ceiling" in rules


def test_validator_catches_a_session_without_strength(shipped_plan):
    """Dropping a session's strength entries breaks session_mix."""
    first = shipped_plan.sessions[0]
    kept = tuple(
        e
        for e in shipped_plan.entries
        if not ((e.week, e.day) == (first.week, first.day) and e.exercise.role == "strength")
    )
    violations = check_plan(replace(shipped_plan, entries=kept))
    messages = [str(v) for v in violations if v.rule == "session_mix"]
    assert f"week 1 {DAYS[first.day]}: no strengthening [session_mix]" in messages


def test_validator_catches_three_releases(shipped_plan):
    """Three releases in one 45-minute session break warm_up (at most 2 from 40 min)."""
    catalog = load_catalog()
    first = shipped_plan.sessions[0]
    releases = [e for e in catalog if e.role == "release"][:3]
    kept = [
        e
        for e in shipped_plan.entries
        if not ((e.week, e.day) == (first.week, first.day) and e.exercise.role == "release")
    ]
    added = [replace(first.entries[0], exercise=r, order=90 + i) for i, r in enumerate(releases)]
    violations = check_plan(replace(shipped_plan, entries=(*kept, *added)))
    messages = [str(v) for v in violations if v.rule == "warm_up"]
    assert f"week 1 {DAYS[first.day]}: 3 releases; at most 2 [warm_up]" in messages


def test_validator_catches_a_session_without_a_warm_up(shipped_plan):
    """A session whose releases and mobility drills are dropped opens cold: warm_up names
    it (R20: the warm-up opens every session)."""
    first = shipped_plan.sessions[0]
    kept = tuple(
        e
        for e in shipped_plan.entries
        if (e.week, e.day) != (first.week, first.day)
        or e.exercise.role not in ("release", "mobility")
    )
    violations = check_plan(replace(shipped_plan, entries=kept))
    messages = [str(v) for v in violations if v.rule == "warm_up"]
    expected = f"week 1 {DAYS[first.day]}: no warm-up: neither a release nor a mobility drill"
    assert f"{expected} [warm_up]" in messages


def test_no_warm_up_move_is_named_before_any_search(tiny_catalog, tiny_profile):
    """A catalogue without a release or a mobility drill cannot open a session with a
    warm-up: solve says so, naming warm_up, before it searches."""
    catalog = tiny_catalog(drop=["cat_camel", "ball_release_glutes"])
    assert not [e for e in catalog if e.role in ("release", "mobility")]
    with pytest.raises(NoPlan) as caught:
        solve(catalog, tiny_profile())
    assert [r.name for r in caught.value.rules] == ["warm_up"]
    assert "has no release or mobility drill" in str(caught.value)


# --- warm_up, stretch_block, strength_block, strength_share (R20), on the tiny catalogue ----


def _stretches(exercise, groups, hold_s=30):
    return [exercise(f"stretch_{g}_{i}", "stretch", (g,), hold_s=hold_s) for i, g in groups]


def _all_round(exercise, **fields):
    return exercise("all_round_bridge", "strength", ALL_ROUND, **fields)


ALL_ROUND = ("glutes", "hamstrings", "core", "lower_back")
GUARDED = set(guarded())
# Stretches of 4 x 15 s: exactly 60 s a side each (R6's least and STRETCH_SETS' most), so a
# session's stretching time comes only from how many stretches it has.
SHORT_HOLD = 15


def _conflict(catalog, profile) -> set[str]:
    with pytest.raises(NoPlan) as caught:
        solve(catalog, profile)
    return {r.name for r in caught.value.rules}


def test_warm_up_kept(tiny_catalog, tiny_profile, exercise):
    """With four releases to choose from, no 15-minute session opens with more than one."""
    releases = [
        exercise(f"release_{g}", "release", (g,), sets=1, hold_s=60, rpe=3)
        for g in ("hamstrings", "lower_back", "adductors")
    ]
    plan = solve(tiny_catalog(extra=releases), tiny_profile())
    for session in plan.sessions:
        assert sum(e.exercise.role == "release" for e in session.entries) <= 1
    assert check_plan(plan) == []


def test_warm_up_infeasible_when_only_releases_fill_the_time(tiny_catalog, tiny_profile, exercise):
    """25-minute sessions that only releases could fill (no glute stretch, no mobility, one
    set of each strength move) need a second release, which a session under 40 min may not
    have."""
    releases = [
        exercise(f"release_{g}", "release", (g,), sets=1, hold_s=60, rpe=3)
        for g in ("glutes", "hamstrings", "lower_back")
    ]
    catalog = tiny_catalog(drop=["figure_four_stretch", "cat_camel"], extra=releases)
    profile = tiny_profile(**SHAPE_ONLY, minutes=25, strength_sets=(1, 1))
    assert "warm_up" in _conflict(catalog, profile)
    assert feasible_with(catalog, profile, GUARDED - {"warm_up"})


def test_stretch_block_kept(tiny_catalog, tiny_profile, exercise):
    """With eight more stretches (four for the hip flexors), no 20-minute session has more than
    4 stretches or more than 2 for one muscle."""
    extra = _stretches(exercise, enumerate(["hip_flexors"] * 4))
    extra += _stretches(exercise, enumerate(["hamstrings", "adductors", "quadriceps", "obliques"]))
    plan = solve(tiny_catalog(extra=extra), tiny_profile(minutes=20))
    for session in plan.sessions:
        stretches = [e.exercise for e in session.entries if e.exercise.role == "stretch"]
        assert len(stretches) <= 4
        assert all(sum(s.primary == g for s in stretches) <= 2 for g in GROUPS)
    assert check_plan(plan) == []


def _stretch_week(tiny_catalog, exercise, stretches):
    """The tiny catalogue with only ``stretches`` to lengthen, a one-rep warm-up drill and one
    all-round strength move."""
    lengthening = ["ball_release_glutes", "cat_camel", "figure_four_stretch"]
    lengthening += ["kneeling_hip_flexor_stretch", "standing_hip_flexor_stretch"]
    extra = [_drill(exercise), *stretches]
    return tiny_catalog(drop=lengthening, strength=[_all_round(exercise, reps=15)], extra=extra)


def test_stretch_block_infeasible_with_five_stretches_needed(tiny_catalog, tiny_profile, exercise):
    """17-minute sessions with one 3-set strength move need five 60 s stretches (for five
    muscles): one more than a session may have."""
    groups = enumerate(["hip_flexors", "hamstrings", "adductors", "quadriceps", "lower_back"])
    catalog = _stretch_week(tiny_catalog, exercise, _stretches(exercise, groups, SHORT_HOLD))
    profile = tiny_profile(**SHAPE_ONLY, minutes=17, strength_sets=(3, 3), strength_share_pct=0)
    assert "stretch_block" in _conflict(catalog, profile)
    assert feasible_with(catalog, profile, GUARDED - {"stretch_block"})


def test_stretch_block_infeasible_with_three_for_one_muscle(tiny_catalog, tiny_profile, exercise):
    """15-minute sessions whose only stretches are four for the hip flexors need three of them
    (180 s a side, within the 240 s ceiling): one more than a session may have for one
    muscle."""
    hips = _stretches(exercise, enumerate(["hip_flexors"] * 4), SHORT_HOLD)
    catalog = _stretch_week(tiny_catalog, exercise, hips)
    profile = tiny_profile(**SHAPE_ONLY, minutes=15, strength_sets=(3, 3), strength_share_pct=0)
    assert "stretch_block" in _conflict(catalog, profile)
    assert feasible_with(catalog, profile, GUARDED - {"stretch_block"})


def test_strength_block_kept(tiny_catalog, tiny_profile):
    """Every 20-minute session strengthens with at least 2 exercises and 30 % of its time."""
    plan = solve(tiny_catalog(), tiny_profile(minutes=20))
    for session in plan.sessions:
        strength = [e for e in session.entries if e.exercise.role == "strength"]
        assert len(strength) >= 2
        assert 100 * sum(e.seconds for e in strength) >= 30 * session.seconds
    assert check_plan(plan) == []


def test_strength_block_infeasible_with_one_strength_exercise(tiny_catalog, tiny_profile, exercise):
    """One all-round strength move cannot give a 20-minute session its 2 strength exercises."""
    catalog = tiny_catalog(strength=[_all_round(exercise)])
    profile = tiny_profile(**SHAPE_ONLY, minutes=20, session_fill=0.5, strength_share_pct=0)
    assert "strength_block" in _conflict(catalog, profile)
    assert feasible_with(catalog, profile, GUARDED - {"strength_block"})


def test_strength_block_infeasible_under_30_percent(tiny_catalog, tiny_profile, exercise):
    """One set of one all-round move (about 2 min) cannot be 30 % of a 12-15 minute session."""
    catalog = tiny_catalog(strength=[_all_round(exercise)])
    profile = tiny_profile(**SHAPE_ONLY, minutes=15, strength_sets=(1, 1), strength_share_pct=0)
    assert "strength_block" in _conflict(catalog, profile)
    assert feasible_with(catalog, profile, GUARDED - {"strength_block"})


@pytest.mark.parametrize(
    "level, changes",
    [("advanced", dict(sessions=5, minutes=60)), ("beginner", dict(days=("mon", "wed", "fri")))],
)
def test_strength_block_spreads_patterns(shipped, level, changes):
    """The plans that stacked one pattern (an advanced Monday of a bridge, three hip thrusts
    and a hamstring bridge; a beginner Monday of three bridges and three hinges) hold at most
    2 strength exercises of one pattern in every session, and pass the validator."""
    plan = solve(shipped, Profile.for_level(level, weeks=1, **changes))
    for session in plan.sessions:
        patterns = [e.exercise.pattern for e in session.entries if e.exercise.role == "strength"]
        assert max(patterns.count(p) for p in patterns) <= 2
    assert check_plan(plan) == []


def _bridges(exercise, *patterns):
    return [
        exercise(f"bridge_{i}", "strength", ALL_ROUND, pattern=p) for i, p in enumerate(patterns)
    ]


def test_strength_block_infeasible_with_three_of_one_pattern(tiny_catalog, tiny_profile, exercise):
    """Sessions asked for 3 strength exercises whose only strength moves are three bridges
    would hold 3 of one pattern: one more than a session may have. With one of them a hinge
    the same week plans."""
    profile = tiny_profile(
        **SHAPE_ONLY, minutes=20, session_fill=0.5, strength_share_pct=0, strength_exercises=(3, 8)
    )
    catalog = tiny_catalog(strength=_bridges(exercise, *["bridge_thrust"] * 3))
    assert "strength_block" in _conflict(catalog, profile)
    assert feasible_with(catalog, profile, GUARDED - {"strength_block"})
    mixed = tiny_catalog(strength=_bridges(exercise, "bridge_thrust", "bridge_thrust", "hinge"))
    assert check_plan(solve(mixed, profile)) == []


def test_strength_share_kept(tiny_catalog, tiny_profile):
    """An intermediate week on the tiny catalogue strengthens at least 45 % of its time."""
    plan = solve(tiny_catalog(), tiny_profile("intermediate", minutes=20))
    strength = sum(e.seconds for e in plan.entries if e.exercise.role == "strength")
    assert 100 * strength >= 45 * sum(e.seconds for e in plan.entries)
    assert check_plan(plan) == []


def test_strength_share_infeasible_above_what_one_move_gives(tiny_catalog, tiny_profile, exercise):
    """One 3-set all-round move a session (about 4 of 12-15 minutes) cannot be half the week."""
    catalog = tiny_catalog(strength=[_all_round(exercise, reps=15)])
    profile = tiny_profile(**SHAPE_ONLY, minutes=15, strength_sets=(3, 3), strength_share_pct=50)
    assert "strength_share" in _conflict(catalog, profile)
    assert feasible_with(catalog, profile, GUARDED - {"strength_share"})


def test_session_shape_follows_the_profile(tiny_catalog, tiny_profile, exercise):
    """The session-shape numbers are the profile's: with at most 2 stretches and 3 strength
    moves a session the plan keeps them, and the validator holds a plan to the profile it is
    checked against (the same week breaks a profile allowing 1 stretch)."""
    extra = _stretches(exercise, enumerate(["hamstrings", "adductors", "quadriceps"]))
    catalog = tiny_catalog(extra=extra)
    profile = tiny_profile(minutes=20, max_stretches=2, strength_exercises=(2, 3))
    plan = solve(catalog, profile)
    assert check_plan(plan) == []
    for session in plan.sessions:
        roles = [e.exercise.role for e in session.entries]
        assert roles.count("stretch") <= 2 and 2 <= roles.count("strength") <= 3
    stricter = Plan(profile.with_changes(max_stretches=1), plan.entries)
    broken = [v for v in check_plan(stricter) if v.rule == "stretch_block"]
    assert broken and all(v.message.endswith("; at most 1") for v in broken)
