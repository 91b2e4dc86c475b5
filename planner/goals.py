"""The soft goals' costs of a finished plan, worked out without the solver.

Each ``<goal>_costs`` here is the twin of ``<goal>_terms`` in ``planner.objective``: on one
week's rows it gives the points the model's terms count for that week, with the same integer
arithmetic, so that any plan (just solved, or a CSV edited by hand) can be costed, and so
that the tests can hold the solver's own figures to an independent account.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from planner import evidence
from planner.catalog import Catalog, Exercise
from planner.check import Row
from planner.model import WeekContext, week_context
from planner.objective import POINTS, weight
from planner.profile import Profile
from planner.ramp import NO_HISTORY, History


@dataclass(frozen=True)
class Week:
    """One week of a plan as its goals see it: its rows, where it sits in the programme and
    the exercises the profile allows (by id)."""

    rows: list[Row]
    profile: Profile
    context: WeekContext
    allowed: dict[str, Exercise]


def _points(excess: int, per_whole: int) -> int:
    """POINTS * excess / per_whole, rounded up (the model's ``_points`` at its least)."""
    return math.ceil(POINTS * excess / per_whole)


def _outside(value: int, target: int, tolerance: int) -> int:
    """How far ``value`` is outside ``target`` +- ``tolerance`` (0 inside)."""
    return max(0, value - target - tolerance, target - value - tolerance)


def _seconds(rows: list[Row], counts: Callable[[Row], bool] = lambda r: True) -> int:
    return sum(r.seconds for r in rows if counts(r))


def _day_loads(rows: list[Row]) -> dict[int, int]:
    """Each session's load in RPE x seconds (60 x the AU of R8), as the model counts it."""
    loads: dict[int, int] = {}
    for r in rows:
        loads[r.day] = loads.get(r.day, 0) + r.exercise.rpe * r.seconds
    return loads


def load_costs(week: Week) -> dict[str, int]:
    week_target = week.context.target_load
    target = round((week.profile.target_load if week_target is None else week_target) * 60)
    tolerance = target * evidence.LOAD_TOLERANCE_PCT // 100
    over = _outside(sum(_day_loads(week.rows).values()), target, tolerance)
    return {"load": _points(over, target)}


def share_costs(week: Week) -> dict[str, int]:
    total = _seconds(week.rows)
    reference = week.profile.sessions * week.profile.minutes * 60
    shares = [
        (group, lambda r, g=group: r.exercise.primary == g, pct, evidence.SHARE_TOLERANCE_PCT)
        for group, pct in week.profile.shares
    ]
    shares.append(
        (
            "strength",
            lambda r: r.exercise.role == "strength",
            evidence.STRENGTH_SHARE_PCT,
            evidence.STRENGTH_SHARE_TOLERANCE_PCT,
        )
    )
    costs = {}
    for name, counts, pct, tolerance_pct in shares:
        over = _outside(100 * _seconds(week.rows, counts), pct * total, tolerance_pct * total)
        costs[f"share_{name}"] = _points(over, 100 * reference)
    return costs


def variety_costs(week: Week) -> dict[str, int]:
    days: dict[str, set[int]] = {}
    for r in week.rows:
        days.setdefault(r.exercise.id, set()).add(r.day)
    return {"variety": sum(max(0, len(on) - evidence.FAMILIAR_DAYS) for on in days.values())}


def spread_costs(week: Week) -> dict[str, int]:
    loads = _day_loads(week.rows)
    heaviest, total = max(loads.values(), default=0), sum(loads.values())
    over = max(
        0, 100 * week.profile.sessions * heaviest - (100 + evidence.SPREAD_TOLERANCE_PCT) * total
    )
    return {"spread": _points(over, 100 * week.profile.target_load * 60)}


def continuity_costs(week: Week) -> dict[str, int]:
    """Each of last build week's exercises (those the profile still allows) left out, unless
    its harder variant took its place once it was at the top of its sets range."""
    if week.context.deload:
        return {}
    used = {r.exercise.id for r in week.rows}
    previous = [week.allowed[i] for i in week.allowed if i in week.context.previous]
    dropped = sum(
        1
        for e in previous
        if e.id not in used
        and not (
            e.id in week.context.maxed and e.progression in week.allowed and e.progression in used
        )
    )
    return {"continuity": dropped} if previous else {}


def preference_costs(week: Week) -> dict[str, int]:
    """Each placement of a disliked exercise, and each preferred exercise left out."""
    disliked = [i for i in week.allowed if i in week.profile.dislike]
    preferred = [i for i in week.allowed if i in week.profile.prefer]
    used = {r.exercise.id for r in week.rows}
    placements = sum(1 for r in week.rows if r.exercise.id in disliked)
    missed = sum(1 for i in preferred if i not in used)
    return {"preference": placements + missed} if disliked or preferred else {}


# In the order of planner.objective.SOFT_GOALS, each the twin of the goal of the same name.
COSTS = (
    load_costs,
    share_costs,
    variety_costs,
    spread_costs,
    continuity_costs,
    preference_costs,
)


def week_costs(
    rows, profile: Profile, context: WeekContext, allowed: dict[str, Exercise]
) -> dict[str, int]:
    """One week's soft-goal points (before weights), goal by goal: ``rows`` are its plan
    rows or entries (each with an exercise, day and seconds), ``allowed`` the exercises the
    profile allows, by id."""
    week = Week(list(rows), profile, context, allowed)
    return {name: points for costs in COSTS for name, points in costs(week).items()}


def plan_costs(
    rows: list[Row], catalog: Catalog, profile: Profile, history: History = NO_HISTORY
) -> dict[int, dict[str, int]]:
    """Each week's soft-goal points (before weights), each week against the guard rails the
    weeks before it set, as ``planner.solve`` plans them."""
    allowed = {e.id: e for e in profile.allowed(catalog)}
    weeks: dict[int, list[Row]] = {}
    for r in rows:
        weeks.setdefault(r.week, []).append(r)
    out = {}
    for number, week_rows in sorted(weeks.items()):
        context = week_context(profile, number, history)
        out[number] = week_costs(week_rows, profile, context, allowed)
        load = sum(r.load_au for r in week_rows)
        history = history.carry(load, context.deload, week_rows, profile)
    return out


def summed(weeks: Iterable[dict[str, int]]) -> dict[str, int]:
    """Each goal's points added up over ``weeks`` (each week's points by goal)."""
    out: dict[str, int] = {}
    for points in weeks:
        for name, value in points.items():
            out[name] = out.get(name, 0) + value
    return out


def weighted(points: dict[str, int]) -> int:
    """The cost of goals' ``points``: each times its goal's weight, as the objective adds them."""
    return sum(weight(name) * value for name, value in points.items())
