"""The stretch_ceiling and session_mix families: model side and validator side."""

import pytest

from planner import Profile, check_plan, load_catalog, solve
from planner.catalog import Catalog, Exercise
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


PROFILE = dict(days=("mon", "wed"), sessions=2, minutes=10, session_fill=0.5, time_limit=20.0)


@pytest.fixture(scope="module")
def shipped_plan():
    catalog = load_catalog()
    profile = Profile.for_level("intermediate", time_limit=20.0)
    return catalog, profile, solve(catalog, profile).to_frame()


def test_solved_week_keeps_both_rules(shipped_plan):
    """A solved intermediate week breaks neither stretch_ceiling nor session_mix."""
    catalog, profile, frame = shipped_plan
    rules = {v.rule for v in check_plan(frame, catalog, profile)}
    assert not rules & {"stretch_ceiling", "session_mix"}


def test_tiny_week_is_feasible_and_mixed():
    """On a tiny catalogue every session both stretches and strengthens."""
    catalog = _week_catalog()
    profile = Profile.for_level("beginner", **PROFILE)
    frame = solve(catalog, profile).to_frame()
    assert check_plan(frame, catalog, profile) == []
    for _, session in frame.groupby("day"):
        assert "strength" in set(session.role) and "stretch" in set(session.role)


def test_session_mix_clashes_with_recovery_on_back_to_back_days():
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
    profile = Profile.for_level(
        "beginner", days=("mon",), sessions=1, minutes=15, session_fill=1.0, time_limit=20.0
    )
    with pytest.raises(NoPlan) as caught:
        solve(catalog, profile)
    assert caught.value.rules  # the conflict is named, not a bare "infeasible"


def test_validator_catches_a_session_over_the_stretch_ceiling(shipped_plan):
    """Nine sets of a 30 s hip-flexor stretch (270 s a side) break stretch_ceiling."""
    catalog, profile, frame = shipped_plan
    frame = frame.copy()
    row = frame.index[frame.exercise_id.map(lambda i: catalog[i].stretches_hip_flexors)][0]
    frame.loc[row, ["sets", "reps", "hold_s"]] = [9, 1, 30]
    rules = {v.rule for v in check_plan(frame, catalog, profile)}
    assert "stretch_ceiling" in rules


def test_validator_catches_a_session_without_strength(shipped_plan):
    """Dropping a session's strength rows breaks session_mix."""
    catalog, profile, frame = shipped_plan
    day = frame.day.iloc[0]
    kept = frame[~((frame.day == day) & (frame.role == "strength"))]
    messages = [str(v) for v in check_plan(kept, catalog, profile) if v.rule == "session_mix"]
    assert f"week 1 {day}: no strengthening [session_mix]" in messages


def test_validator_catches_three_releases(shipped_plan):
    """A third release in one session breaks session_mix."""
    catalog, profile, frame = shipped_plan
    releases = [e.id for e in catalog if e.role == "release"][:3]
    day = frame.day.iloc[0]
    frame = frame[~((frame.day == day) & (frame.role == "release"))].copy()
    for i, exercise_id in enumerate(releases):
        frame.loc[len(frame) + i + 100] = {**frame.iloc[0].to_dict(), "exercise_id": exercise_id}
    messages = [str(v) for v in check_plan(frame, catalog, profile) if v.rule == "session_mix"]
    assert f"week 1 {day}: 3 releases; at most 2 [session_mix]" in messages
