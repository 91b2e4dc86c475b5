"""Each constraint family in planner.rules, on the tiny catalogue: a week that keeps the rule,
and a request the rule makes impossible (``NoPlan`` naming the family).

stretch_ceiling and session_mix have their pair in test_session_rules.py.
"""

from __future__ import annotations

import pytest

from planner import Catalog, NoPlan, check_plan, solve
from planner import check as check_module
from planner.catalog import ROLES
from planner.dose import prescribe, stretch_seconds_per_side
from planner.evidence import STRENGTHENED_GROUPS, STRETCH_TOTAL_MIN_S
from planner.model import build_week
from planner.profile import DAYS
from planner.rules import FAMILIES, GUARDED, RULES


def broken(plan, catalog, rule: str) -> list[str]:
    """The validator's complaints about ``rule`` in a solved plan."""
    return [str(v) for v in check_plan(plan.to_frame(), catalog, plan.profile) if v.rule == rule]


def conflict(catalog, profile) -> set[str]:
    """The rule families NoPlan names for a request that must have no plan."""
    with pytest.raises(NoPlan) as caught:
        solve(catalog, profile)
    return {rule.name for rule in caught.value.rules}


def days_of(plan) -> dict[str, set[str]]:
    """Exercise id -> the days it is on."""
    out: dict[str, set[str]] = {}
    for entry in plan.entries:
        out.setdefault(entry.exercise.id, set()).add(DAYS[entry.day])
    return out


def trained_days(plan, group: str) -> set[int]:
    return {e.day for e in plan.entries if e.exercise.trains(group)}


def all_round(exercise):
    return exercise("all_round_bridge", "strength", ("glutes", "hamstrings", "core", "lower_back"))


# --- the families as a whole -------------------------------------------------------------


def test_families_are_the_rules_in_order():
    """The model adds exactly the described rules, in the order RULES lists them."""
    assert [f.__name__ for f in FAMILIES] == list(RULES)


def test_guarded_families_are_rules():
    """Every guarded family is a described rule, listed once."""
    assert set(GUARDED) <= set(RULES)
    assert len(set(GUARDED)) == len(GUARDED)


def test_every_rule_has_a_check_twin():
    """Each rule has a validator check named check_<rule>, in the same order."""
    assert [c.__name__ for c in check_module.CHECKS] == [f"check_{name}" for name in RULES]


def test_unguarded_families_add_no_constraint(tiny_catalog, tiny_profile):
    """Families left out of GUARDED hold by construction and add no constraint, so switching
    the guards off really relaxes every rule a conflict can involve."""
    catalog = tiny_catalog()
    profile = tiny_profile(days=DAYS)
    allowed = frozenset(e.id for e in profile.allowed(catalog))
    unguarded = [f for f in FAMILIES if f.__name__ not in GUARDED]
    assert unguarded  # available_days, dose and order at least
    for family in unguarded:
        wm = build_week(profile, tuple(catalog), allowed, guarded=True, objective=False)
        before = len(wm.model.proto.constraints)
        family(wm)
        assert len(wm.model.proto.constraints) == before, family.__name__


# --- available_days ----------------------------------------------------------------------


def test_available_days_kept(tiny_catalog, tiny_profile):
    """Sessions fall only on the available days (here tue, thu, sat)."""
    catalog = tiny_catalog()
    plan = solve(catalog, tiny_profile(days=("tue", "thu", "sat")))
    assert {DAYS[e.day] for e in plan.entries} == {"tue", "thu", "sat"}
    assert broken(plan, catalog, "available_days") == []


def test_available_days_by_construction(tiny_catalog, tiny_profile):
    """available_days holds by construction: the model has no variables for other days, so no
    request can break it (test_check.py shows the validator catching a plan that does)."""
    catalog = tiny_catalog()
    profile = tiny_profile(days=("tue", "thu", "sat"))
    wm = build_week(profile, tuple(catalog), frozenset(e.id for e in catalog))
    assert {d for _, d in wm.x} == {DAYS.index(d) for d in ("tue", "thu", "sat")}
    assert set(wm.on) == {DAYS.index(d) for d in ("tue", "thu", "sat")}


# --- session_count -----------------------------------------------------------------------


def test_session_count_kept(tiny_catalog, tiny_profile):
    """Two sessions asked for out of five free days gives exactly two sessions."""
    catalog = tiny_catalog()
    plan = solve(catalog, tiny_profile(days=("mon", "tue", "wed", "thu", "fri"), sessions=2))
    assert len({e.day for e in plan.entries}) == 2
    assert broken(plan, catalog, "session_count") == []


def test_session_count_infeasible(tiny_catalog, tiny_profile):
    """Seven 15-minute sessions cannot be filled from the tiny catalogue when no exercise may
    appear on more than two days; fewer sessions would fit, so session_count is part of the
    conflict. (Asking for more sessions than free days is refused earlier, by Profile.)"""
    profile = tiny_profile(days=DAYS, sessions=7, minutes=15, max_days_per_exercise=2)
    assert conflict(tiny_catalog(), profile) == {
        "session_count",
        "session_minutes",
        "weekly_repeats",
    }


# --- session_minutes ---------------------------------------------------------------------


def test_session_minutes_kept(tiny_catalog, tiny_profile):
    """Each session lasts between 80 % of the minutes and the minutes themselves."""
    catalog = tiny_catalog()
    plan = solve(catalog, tiny_profile(minutes=15))
    for entries in plan.sessions().values():
        seconds = sum(e.seconds for e in entries)
        assert 0.8 * 15 * 60 <= seconds <= 15 * 60
    assert broken(plan, catalog, "session_minutes") == []


def test_session_minutes_too_short_for_required_work(tiny_catalog, tiny_profile):
    """Ten minutes cannot hold a hip-flexor stretch plus glute, hamstring and core work at
    3-4 sets each."""
    catalog = tiny_catalog()
    profile = tiny_profile(days=("mon",), sessions=1, minutes=10, strength_sets=(3, 4))
    assert "session_minutes" in conflict(catalog, profile)


def test_session_minutes_too_long_to_fill(tiny_catalog, tiny_profile):
    """The tiny catalogue cannot fill a full hour in one session."""
    catalog = tiny_catalog()
    profile = tiny_profile(days=("mon",), sessions=1, minutes=60, session_fill=1.0)
    assert "session_minutes" in conflict(catalog, profile)


# --- allowed_exercises -------------------------------------------------------------------


def test_allowed_exercises_kept(tiny_catalog, tiny_profile):
    """Only exercises of the level, within the equipment and not excluded are used: no band,
    massage ball or wall move, no dead bug, no intermediate or disguised hip-flexor move."""
    catalog = tiny_catalog()
    profile = tiny_profile(equipment=frozenset({"mat"}), exclude=frozenset({"dead_bug"}))
    plan = solve(catalog, profile)
    used = set(days_of(plan))
    assert used <= {e.id for e in profile.allowed(catalog)}
    banned = {"band_clamshell", "ball_release_glutes", "standing_hip_flexor_stretch"}
    assert not used & (banned | {"dead_bug", "side_plank", "full_sit_up"})
    assert broken(plan, catalog, "allowed_exercises") == []


def test_allowed_exercises_infeasible(tiny_catalog, tiny_profile):
    """Owning only a band removes both hip-flexor stretches (they need a mat or a wall)."""
    catalog = tiny_catalog()
    assert "allowed_exercises" in conflict(catalog, tiny_profile(equipment=frozenset({"band"})))


# --- dose --------------------------------------------------------------------------------


def test_dose_kept(tiny_catalog, tiny_profile):
    """Every entry gets its prescribed reps and holds and sets in range; stretches reach
    60 s a side."""
    catalog = tiny_catalog()
    plan = solve(catalog, tiny_profile("intermediate", minutes=30))
    for entry in plan.entries:
        rx = prescribe(entry.exercise, plan.profile)
        assert rx.min_sets <= entry.sets <= rx.max_sets
        assert (entry.reps, entry.hold_s) == (rx.reps, rx.hold_s)
        if entry.exercise.role == "stretch":
            per_side = stretch_seconds_per_side(entry.sets, entry.reps, entry.hold_s)
            assert per_side >= STRETCH_TOTAL_MIN_S
    assert broken(plan, catalog, "dose") == []


def test_dose_by_construction(tiny_catalog, tiny_profile):
    """dose holds by construction: no sets variable can go above the prescription, and
    reps and holds are not variables at all, so no request can break it (test_check.py shows
    the validator catching a plan that does)."""
    catalog = tiny_catalog()
    profile = tiny_profile()
    wm = build_week(profile, tuple(catalog), frozenset(e.id for e in catalog))
    for (exercise_id, _), n in wm.n.items():
        rx = prescribe(catalog[exercise_id], profile)
        assert list(n.proto.domain) == [0, rx.max_sets]


# --- recovery ----------------------------------------------------------------------------


def test_recovery_kept(tiny_catalog, tiny_profile):
    """Four sessions on four days in a row never strengthen one group two days running."""
    catalog = tiny_catalog()
    plan = solve(catalog, tiny_profile(days=("mon", "tue", "wed", "thu"), sessions=4))
    for group in ("glutes", "hamstrings", "core", "lower_back", "hip_flexors"):
        days = trained_days(plan, group)
        assert not {(d + 1) % 7 for d in days} & days, group
    assert broken(plan, catalog, "recovery") == []


def test_recovery_infeasible(tiny_catalog, tiny_profile, exercise):
    """Sessions on mon and tue whose only strength move is one all-round bridge would work
    the same muscles on consecutive days."""
    catalog = tiny_catalog(strength=[all_round(exercise)])
    profile = tiny_profile(days=("mon", "tue"), sessions=2)
    assert "recovery" in conflict(catalog, profile)


# --- strength_days -----------------------------------------------------------------------


@pytest.mark.parametrize("sessions, need", [(3, 2), (2, 1)])
def test_strength_days_kept(tiny_catalog, tiny_profile, sessions, need):
    """Glutes, hamstrings, core and lower back are each strengthened on 2 days a week (1 day
    when the week has fewer than 3 sessions)."""
    catalog = tiny_catalog()
    profile = tiny_profile(days=("mon", "wed", "fri"), sessions=sessions)
    assert profile.required_strength_days == need
    plan = solve(catalog, profile)
    for group in STRENGTHENED_GROUPS:
        assert len(trained_days(plan, group)) >= need, group
    assert broken(plan, catalog, "strength_days") == []


def test_strength_days_infeasible(tiny_catalog, tiny_profile):
    """Without any hamstring strength move the hamstrings cannot be strengthened at all; that
    rule alone is named."""
    catalog = tiny_catalog(drop=["hamstring_bridge"])
    assert conflict(catalog, tiny_profile()) == {"strength_days"}


# --- hip_flexor_stretch ------------------------------------------------------------------


def test_hip_flexor_stretch_kept(tiny_catalog, tiny_profile):
    """In a four-session week at least three sessions stretch the hip flexors."""
    catalog = tiny_catalog()
    plan = solve(catalog, tiny_profile(days=("mon", "tue", "thu", "sat"), sessions=4))
    stretched = {e.day for e in plan.entries if e.exercise.stretches_hip_flexors}
    assert len(stretched) >= 3
    assert broken(plan, catalog, "hip_flexor_stretch") == []


def test_hip_flexor_stretch_infeasible(tiny_catalog, tiny_profile):
    """A catalogue with no hip-flexor stretch cannot give one; that rule alone is named."""
    catalog = tiny_catalog(drop=["kneeling_hip_flexor_stretch", "standing_hip_flexor_stretch"])
    assert conflict(catalog, tiny_profile()) == {"hip_flexor_stretch"}


# --- balance -----------------------------------------------------------------------------


def test_balance_kept(tiny_catalog, tiny_profile):
    """With disguised hip-flexor moves allowed, hip-flexor strength sets still stay at or
    below glute and core sets, and lower-back sets at or below core sets."""
    catalog = tiny_catalog()
    plan = solve(catalog, tiny_profile(allow_hip_flexor_dominant=True))

    def sets(group):
        return sum(e.sets for e in plan.entries if e.exercise.trains(group))

    assert sets("hip_flexors") <= min(sets("glutes"), sets("core"))
    assert sets("lower_back") <= sets("core")
    assert broken(plan, catalog, "balance") == []


def test_balance_infeasible(tiny_catalog, tiny_profile, exercise):
    """When every glute and hamstring move also loads the lower back and the only core move
    (bird dog) loads both, lower-back sets must exceed core sets."""
    catalog = tiny_catalog(
        drop=[
            "glute_bridge",
            "hamstring_bridge",
            "dead_bug",
            "curl_up",
            "supine_march",
            "band_clamshell",
        ],
        extra=[
            exercise("superman", "strength", ("lower_back", "glutes")),
            exercise("good_morning", "strength", ("hamstrings", "lower_back")),
        ],
    )
    assert "balance" in conflict(catalog, tiny_profile())


# --- order -------------------------------------------------------------------------------


def test_order_kept(tiny_catalog, tiny_profile):
    """Each session runs 1, 2, 3, ... with release, stretch, mobility, then strength."""
    catalog = tiny_catalog()
    plan = solve(catalog, tiny_profile())
    for entries in plan.sessions().values():
        assert [e.order for e in entries] == list(range(1, len(entries) + 1))
        roles = [ROLES.index(e.exercise.role) for e in entries]
        assert roles == sorted(roles)
    assert broken(plan, catalog, "order") == []


def test_order_by_construction(tiny_catalog, tiny_profile):
    """order holds by construction (plan.sequence sorts each session after solving), so no
    request can break it; test_check.py shows the validator catching a plan that does. Here:
    a strength move listed first in the catalogue still comes after the stretches."""
    catalog = tiny_catalog()
    first = catalog["glute_bridge"]
    reordered = Catalog((first, *(e for e in catalog if e is not first)))
    plan = solve(reordered, tiny_profile())
    for entries in plan.sessions().values():
        assert entries[-1].exercise.role == "strength"
        assert entries[0].exercise.role in ("release", "stretch")


# --- weekly_repeats ----------------------------------------------------------------------


def test_weekly_repeats_kept(tiny_catalog, tiny_profile):
    """With at most 2 days per exercise, no exercise of a four-session week is on 3 days."""
    catalog = tiny_catalog()
    profile = tiny_profile(days=("mon", "tue", "thu", "sat"), sessions=4, max_days_per_exercise=2)
    plan = solve(catalog, profile)
    assert max(len(days) for days in days_of(plan).values()) <= 2
    assert broken(plan, catalog, "weekly_repeats") == []


def test_weekly_repeats_infeasible(tiny_catalog, tiny_profile):
    """One hip-flexor stretch allowed on one day a week cannot stretch the hip flexors in three
    sessions."""
    catalog = tiny_catalog(drop=["standing_hip_flexor_stretch"])
    assert "weekly_repeats" in conflict(catalog, tiny_profile(max_days_per_exercise=1))
