"""Soft goals: what makes one valid week better than another.

Every term is in points, 1,000 points being 100 % off its target, so the weights compare like
with like. Tolerance bands cost nothing inside them: a plan within 10 % of its target load
is as good as one on it, which also lets the solver prove optimality quickly.

Terms (weights in ``WEIGHTS``):
- ``load``: weekly load (RPE x minutes, R8) outside +-LOAD_TOLERANCE_PCT of the level's target.
- ``share_<group>``: share of session time whose primary group is ``group`` outside
  +-SHARE_TOLERANCE_PCT points of its TARGET_SHARES entry.
- ``share_strength``: share of session time spent strengthening outside
  STRENGTH_SHARE_PCT +- STRENGTH_SHARE_TOLERANCE_PCT.
- ``variety``: each day an exercise appears beyond FAMILIAR_DAYS a week.
- ``spread``: the heaviest session's load beyond SPREAD_TOLERANCE_PCT above the mean session
  load, so no single day carries the week.
- ``continuity`` (programmes): each of last week's exercises dropped, unless swapped for its
  catalogue ``progression`` after reaching the top of its sets range.
- ``preference``: each placement of a disliked exercise and each preferred one left out.

In a programme the load term aims at the middle of the week's ramp band.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner import evidence

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    from planner.model import WeekModel

POINTS = 1000  # points for being 100 % off a target
WEIGHTS = {"load": 2, "share": 1, "variety": 10, "spread": 1, "continuity": 5, "preference": 10}


def _points(wm: WeekModel, name: str, excess: cp_model.LinearExpr, per_whole: int):
    """A variable >= POINTS * excess / per_whole (rounded up by minimisation)."""
    p = wm.model.new_int_var(0, POINTS * 100, f"points_{name}")
    wm.model.add(per_whole * p >= POINTS * excess)
    return p


def _outside(wm: WeekModel, name: str, value, target, tolerance, bound: int):
    """A variable >= |value - target| - tolerance, and >= 0."""
    over = wm.model.new_int_var(0, bound, f"outside_{name}")
    wm.model.add(over >= value - target - tolerance)
    wm.model.add(over >= target - value - tolerance)
    return over


def load_terms(wm: WeekModel) -> dict[str, cp_model.IntVar]:
    week_target = wm.context.target_load
    target = round((wm.profile.target_load if week_target is None else week_target) * 60)
    load = sum(wm.day_load(d) for d in wm.days)
    bound = 10 * 60 * 7 * wm.profile.minutes * 60
    tolerance = target * evidence.LOAD_TOLERANCE_PCT // 100
    over = _outside(wm, "load", load, target, tolerance, bound)
    return {"load": _points(wm, "load", over, target)}


def share_terms(wm: WeekModel) -> dict[str, cp_model.IntVar]:
    total = sum(wm.day_seconds(d) for d in wm.days)
    reference = wm.profile.sessions * wm.profile.minutes * 60
    bound = 100 * 7 * wm.profile.minutes * 60
    shares = [
        (group, lambda e, g=group: e.primary == g, pct, evidence.SHARE_TOLERANCE_PCT)
        for group, pct in wm.profile.shares
    ]
    shares.append(
        (
            "strength",
            lambda e: e.role == "strength",
            evidence.STRENGTH_SHARE_PCT,
            evidence.STRENGTH_SHARE_TOLERANCE_PCT,
        )
    )
    terms = {}
    for name, counts, pct, tolerance_pct in shares:
        mine = wm.seconds([e for e in wm.exercises if counts(e)], wm.days)
        over = _outside(wm, name, 100 * mine, pct * total, tolerance_pct * total, bound)
        terms[f"share_{name}"] = _points(wm, f"share_{name}", over, 100 * reference)
    return terms


def variety_terms(wm: WeekModel) -> dict[str, cp_model.IntVar]:
    """Repeats: days an exercise appears beyond FAMILIAR_DAYS (repeating a move is how people
    learn it; the same moves every session is dull)."""
    repeats = []
    for e in wm.exercises:
        extra = wm.model.new_int_var(0, len(wm.days), f"repeats_{e.id}")
        wm.model.add(extra >= sum(wm.x[e.id, d] for d in wm.days) - evidence.FAMILIAR_DAYS)
        repeats.append(extra)
    count = wm.model.new_int_var(0, 7 * len(wm.exercises), "repeats")
    wm.model.add(count == sum(repeats))
    return {"variety": count}


def spread_terms(wm: WeekModel) -> dict[str, cp_model.IntVar]:
    """Penalise the heaviest session above the week's mean session load (light days are fine:
    a mobility day between strength days is how 48 h recovery fits into a week)."""
    budget = 10 * wm.profile.minutes * 60
    heaviest = wm.model.new_int_var(0, budget, "heaviest_session")
    for d in wm.days:
        wm.model.add(heaviest >= wm.day_load(d))
    week = sum(wm.day_load(d) for d in wm.days)
    sessions = wm.profile.sessions
    over = wm.model.new_int_var(0, 100 * sessions * budget, "spread_over")
    wm.model.add(over >= 100 * sessions * heaviest - (100 + evidence.SPREAD_TOLERANCE_PCT) * week)
    return {"spread": _points(wm, "spread", over, 100 * wm.profile.target_load * 60)}


def continuity_terms(wm: WeekModel) -> dict[str, cp_model.IntVar]:
    """Last build week's exercises kept, or swapped for their harder variant once their sets
    have grown to the top of the range (progression: dose first, then the harder variant).
    A deload week is free to lighten the sessions."""
    if wm.context.deload:
        return {}
    dropped = []
    for e in wm.exercises:
        if e.id not in wm.context.previous:
            continue
        ways = [wm.x[e.id, d] for d in wm.days]
        if e.id in wm.context.maxed and e.progression in wm.prescriptions:
            ways += [wm.x[e.progression, d] for d in wm.days]
        kept = wm.model.new_bool_var(f"kept_{e.id}")
        wm.model.add(kept <= sum(ways))
        dropped.append(1 - kept)
    return {"continuity": sum(dropped)} if dropped else {}


def preference_terms(wm: WeekModel) -> dict[str, cp_model.IntVar]:
    """Each placement of a disliked exercise, and each preferred exercise left out."""
    disliked = [wm.x[e.id, d] for e in wm.exercises if e.id in wm.profile.dislike for d in wm.days]
    missed = []
    for e in wm.exercises:
        if e.id in wm.profile.prefer:
            used = wm.model.new_bool_var(f"preferred_{e.id}")
            wm.model.add(used <= sum(wm.x[e.id, d] for d in wm.days))
            missed.append(1 - used)
    terms = sum(disliked) + sum(missed)
    return {"preference": terms} if disliked or missed else {}


SOFT_GOALS = (
    load_terms,
    share_terms,
    variety_terms,
    spread_terms,
    continuity_terms,
    preference_terms,
)


def weight(term: str) -> int:
    return WEIGHTS[term.split("_", 1)[0]]


def add_objective(wm: WeekModel) -> None:
    """Minimise the weighted points of every soft goal; keeps the terms in ``wm.terms``."""
    for goal in SOFT_GOALS:
        wm.terms.update(goal(wm))
    wm.model.minimize(sum(weight(name) * var for name, var in wm.terms.items()))
