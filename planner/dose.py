"""How much of an exercise a profile gets, and how long that takes.

The model chooses the number of sets; everything else about a dose (reps, hold time, the
range of sets) follows from the exercise and the profile here, and the validator uses the
same arithmetic to re-check a plan that may have been edited by hand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from planner import evidence
from planner.catalog import Exercise
from planner.profile import Profile


@dataclass(frozen=True)
class Prescription:
    """The dose ranges of one exercise for one profile."""

    min_sets: int
    max_sets: int
    reps: int
    hold_s: int
    rest_s: int  # after each set

    def __post_init__(self) -> None:
        if not 1 <= self.min_sets <= self.max_sets:
            raise ValueError(f"sets range {self.min_sets}-{self.max_sets} is empty")


def prescribe(
    exercise: Exercise, profile: Profile, deload: bool = False, weeks_done: int = 0
) -> Prescription:
    """Sets range, reps and hold for ``exercise`` at the profile's level (R2, R6, R13).

    In a deload week strength work may drop to one set (R12: fewer sets, same frequency) and
    its reps go back to where they started (lower effort). Reps progress first (R4:
    progression in small steps, reps before load): a strength move done ``weeks_done`` build
    weeks in a row gets REP_STEP more reps a week, up to the top of the level's range; then
    sets, then the harder variant (planner.goals continuity)."""
    e = exercise
    reps = e.reps
    if e.role == "strength" and e.dose == "reps":
        low, high = profile.reps
        steps = 0 if deload else weeks_done
        reps = min(max(e.reps, low) + evidence.REP_STEP * steps, high)
    if e.role == "stretch":
        hold = min(max(e.hold_s, evidence.STRETCH_HOLD_MIN_S), evidence.STRETCH_HOLD_MAX_S)
        low, high = evidence.STRETCH_SETS
        # R6: at least 60 s in total per stretch, per side.
        needed = math.ceil(evidence.STRETCH_TOTAL_MIN_S / (reps * hold))
        rest = rest_seconds(e.role, profile)
        return Prescription(max(low, needed), max(high, needed), reps, hold, rest)
    if e.role == "strength":
        low, high = profile.strength_sets
        low = 1 if deload else low
    else:  # release and mobility: one round up to the catalogue's default
        low, high = 1, e.sets
    return Prescription(low, high, reps, e.hold_s, rest_seconds(e.role, profile))


def rest_seconds(role: str, profile: Profile) -> int:
    """Rest after one set of an exercise of ``role``: the profile's for strength sets."""
    return profile.strength_rest_s if role == "strength" else evidence.REST_SECONDS[role]


def set_seconds(
    role: str, dose: str, reps: int, hold_s: int, per_side: bool, rest_s: int | None = None
) -> int:
    """Seconds one set takes, rest included (``rest_s``, else the role's REST_SECONDS): holds
    last ``hold_s``, reps a tempo plus pause."""
    each = hold_s if dose == "hold" else evidence.REP_SECONDS + hold_s
    rest = evidence.REST_SECONDS[role] if rest_s is None else rest_s
    return reps * each * (2 if per_side else 1) + rest


def seconds(
    role: str,
    dose: str,
    sets: int,
    reps: int,
    hold_s: int,
    per_side: bool,
    rest_s: int | None = None,
) -> int:
    """Seconds an exercise takes in a session, getting into position included."""
    per_set = set_seconds(role, dose, reps, hold_s, per_side, rest_s)
    return sets * per_set + evidence.TRANSITION_SECONDS


def stretch_seconds_per_side(sets: int, reps: int, hold_s: int) -> int:
    """Total stretch time on one side (R6 asks at least 60 s)."""
    return sets * reps * hold_s
