"""Soft goals: what makes one valid week better than another.

Every term is in points, 1,000 points being 100 % off its target, so the weights compare like
with like. Tolerance bands cost nothing inside them: a plan within 10 % of its target load
is as good as one on it, which also lets the solver prove optimality quickly.

Terms (weights in ``WEIGHTS``):
- ``load``: weekly load (RPE x minutes, R8) outside +-LOAD_TOLERANCE_PCT of the level's target.
- ``share_<group>``: share of session time whose primary group is ``group`` outside
  +-SHARE_TOLERANCE_PCT points of its TARGET_SHARES entry.
- ``variety``: each repeat of an exercise on another day (the same move twice costs this much).
- ``spread``: the gap between the heaviest and the lightest session's load beyond
  SPREAD_TOLERANCE_PCT of the target session load, so load is spread evenly over the days.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner import evidence

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

    from planner.model import WeekModel

POINTS = 1000  # points for being 100 % off a target
WEIGHTS = {"load": 2, "share": 1, "variety": 20, "spread": 1}


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
    target = wm.profile.target_load * 60  # AU -> RPE x seconds
    load = sum(wm.day_load(d) for d in wm.days)
    bound = 10 * 60 * 7 * wm.profile.minutes * 60
    tolerance = target * evidence.LOAD_TOLERANCE_PCT // 100
    over = _outside(wm, "load", load, target, tolerance, bound)
    return {"load": _points(wm, "load", over, target)}


def share_terms(wm: WeekModel) -> dict[str, cp_model.IntVar]:
    total = sum(wm.day_seconds(d) for d in wm.days)
    reference = wm.profile.sessions * wm.profile.minutes * 60
    bound = 100 * 7 * wm.profile.minutes * 60
    terms = {}
    for group, pct in evidence.TARGET_SHARES.items():
        mine = sum(wm.seconds(e, d) for e in wm.exercises if e.primary == group for d in wm.days)
        tolerance = evidence.SHARE_TOLERANCE_PCT * total
        over = _outside(wm, group, 100 * mine, pct * total, tolerance, bound)
        terms[f"share_{group}"] = _points(wm, f"share_{group}", over, 100 * reference)
    return terms


def variety_terms(wm: WeekModel) -> dict[str, cp_model.IntVar]:
    repeats = []
    for e in wm.exercises:
        used = wm.model.new_bool_var(f"used_{e.id}")
        placed = [wm.x[e.id, d] for d in wm.days]
        wm.model.add_max_equality(used, placed)
        repeats.append(sum(placed) - used)
    count = wm.model.new_int_var(0, 7 * len(wm.exercises), "repeats")
    wm.model.add(count == sum(repeats))
    return {"variety": count}


def spread_terms(wm: WeekModel) -> dict[str, cp_model.IntVar]:
    budget = 10 * wm.profile.minutes * 60
    high = wm.model.new_int_var(0, budget, "heaviest_session")
    low = wm.model.new_int_var(0, budget, "lightest_session")
    for d in wm.days:
        load = wm.day_load(d)
        wm.model.add(high >= load)
        wm.model.add(low <= load + budget * (1 - wm.on[d]))
    mean_target = wm.profile.minutes * 60 * wm.profile.session_rpe
    tolerance = mean_target * evidence.SPREAD_TOLERANCE_PCT // 100
    over = wm.model.new_int_var(0, budget, "spread_over")
    wm.model.add(over >= high - low - tolerance)
    return {"spread": _points(wm, "spread", over, mean_target)}


SOFT_GOALS = (load_terms, share_terms, variety_terms, spread_terms)


def weight(term: str) -> int:
    return WEIGHTS[term.split("_", 1)[0]]


def add_objective(wm: WeekModel) -> None:
    """Minimise the weighted points of every soft goal; keeps the terms in ``wm.terms``."""
    for goal in SOFT_GOALS:
        wm.terms.update(goal(wm))
    wm.model.minimize(sum(weight(name) * var for name, var in wm.terms.items()))
