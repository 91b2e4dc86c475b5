"""The stretch_ceiling and session_mix families: model side and validator side."""

from dataclasses import replace

import pytest

from planner import Profile, check_plan, load_catalog, solve
from planner.catalog import Catalog, Exercise
from planner.plan import Plan
from planner.profile import DAYS
from planner.solve import NoPlan


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


def _week_catalog(*extra):
    return Catalog(
        (
            _exercise("hip_stretch_a", "stretch", ("hip_flexors",)),
            _exercise("hip_stretch_b", "stretch", ("hip_flexors",)),
            _exercise("glute_bridge", "strength", ("glutes", "hamstrings")),
            _exercise("bird_dog", "strength", ("core", "lower_back")),
            _exercise("dead_bug", "strength", ("core",)),
            *extra,
        )
    )


PROFILE = dict(days=("mon", "wed"), sessions=2, minutes=10, session_fill=0.5)


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
    """On a tiny catalogue every session both stretches and strengthens."""
    catalog = _week_catalog()
    plan = solve(catalog, Profile.for_level("beginner", **PROFILE))
    assert check_plan(plan) == []
    for session in plan.sessions:
        roles = {e.exercise.role for e in session.entries}
        assert "strength" in roles and "stretch" in roles


def test_session_mix_infeasible_with_recovery_on_back_to_back_days():
    """Strength in both of two back-to-back sessions, from one all-round exercise, breaks 48 h
    recovery: the explanation names session_mix and recovery."""
    catalog = Catalog(
        (
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
    """A third release in one session breaks session_mix."""
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
    messages = [str(v) for v in violations if v.rule == "session_mix"]
    assert f"week 1 {DAYS[first.day]}: 3 releases; at most 2 [session_mix]" in messages
