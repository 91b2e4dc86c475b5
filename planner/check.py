"""The independent plan validator: every hard rule, checked on a plan without the solver.

It is both the written specification of a valid plan and the oracle the tests hold every solved
plan to. Each rule's check is the twin of its model constraint, declared beside it in
``planner.rules``; a plan may be one from the solver or a CSV edited by hand (``read_plan``).
"""

from __future__ import annotations

from planner.plan import Plan
from planner.ramp import History
from planner.rules import RULES, Violation

__all__ = ["Violation", "check_plan", "history_after"]


def check_plan(plan: Plan) -> list[Violation]:
    """Every rule violation in ``plan``, in rule order, against ``plan.profile`` and the weeks
    before it (``plan.history``, ``--after``)."""
    return [v for family in RULES.values() for v in family.violations(plan)]


def history_after(plan: Plan) -> History:
    """What a finished plan leaves for the next block (``--after``): its weekly loads, the
    last build week's exercises and the groups its last Sunday strengthened."""
    loads = plan.weekly_loads()
    weeks = list(loads)
    if len(weeks) != weeks[-1] - weeks[0] + 1:  # sorted and distinct: no list of the range
        raise ValueError(f"weeks {weeks[0]} to {weeks[-1]} have gaps; a plan has every week")
    profile = plan.profile
    history = History(first_week=weeks[0])
    for week, entries in plan.weeks.items():
        history = history.carry(loads[week], profile.is_deload(week), entries, profile)
    return history
