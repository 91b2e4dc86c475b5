"""Why a request has no plan: a small set of rule families that cannot all hold.

Each family is guarded by a literal (``planner.rules``); CP-SAT's assumption core names a
small infeasible set fast, and a deletion filter drops every family the conflict does not
need (solver-notes: a deletion filter names a clean cause where assumptions with the
objective kept did not answer).
"""

from __future__ import annotations

from dataclasses import replace

from planner.catalog import Catalog
from planner.model import WeekModel, build_week
from planner.plan import Status
from planner.profile import Profile, SolverOptions
from planner.ramp import LONE_WEEK, WeekContext
from planner.rules import RULES, Rule, guarded
from planner.search import EXPLAIN_SETTINGS, Search, SolverSettings


def explain_infeasible(
    catalog: Catalog,
    profile: Profile,
    context: WeekContext = LONE_WEEK,
    settings: SolverSettings = EXPLAIN_SETTINGS,
    options: SolverOptions | None = None,
) -> tuple[Rule, ...]:
    """A minimal set of rule families that cannot hold together.

    Each family is guarded by a literal. CP-SAT's assumption core (the objective left out, as
    the two do not mix) gives a small infeasible set fast; a deletion filter over that set then
    drops every family the conflict does not need. bench/run.py: 0.13 s for the core against
    1.0 s for a deletion filter over all families. All within ``options.time_limit``.
    """
    with Search(options or SolverOptions()) as search:
        rules = explain(catalog, profile, context, settings, search)
    if search.interrupted:
        raise KeyboardInterrupt
    return rules


def explain(
    catalog: Catalog,
    profile: Profile,
    context: WeekContext,
    settings: SolverSettings,
    search: Search,
) -> tuple[Rule, ...]:
    """``explain_infeasible`` within ``search``'s deadline. The first check gets at least
    ``TimeBudget.explain_floor``; the filter then drops families while time is left, and every
    set it passes through clashes, so running out of time leaves a correct set, if not a
    minimal one.
    """
    allowed = frozenset(e.id for e in profile.allowed(catalog))
    wm = build_week(profile, tuple(catalog), allowed, context, guarded=True, objective=False)
    # Assumption cores need one worker: interleaved workers answered UNKNOWN.
    settings = replace(settings, workers=1, interleave=False, subsolvers=())
    budget = search.budget
    limit = max(search.options.budget * budget.explain_share, budget.explain_floor)
    needed = _core(wm, list(guarded()), settings, search, limit, floor=budget.explain_floor)
    if needed is None:
        return ()  # the conflict could not be reproduced within the time given
    for family in list(needed):
        if search.remaining() <= 0 or search.interrupted:
            break
        trial = [f for f in needed if f != family]
        if _core(wm, trial, settings, search, limit) is not None:
            needed = trial
    return tuple(RULES[name] for name in needed)


def _core(
    wm: WeekModel,
    families: list[str],
    settings: SolverSettings,
    search: Search,
    limit: float,
    floor: float = 0.0,
) -> list[str] | None:
    """Families among ``families`` that are infeasible together, or None when feasible or
    undecided within ``limit`` (and the deadline)."""
    wm.model.clear_assumptions()
    wm.model.add_assumptions([wm.guards[f] for f in families])
    wm.model.add_assumptions([~wm.guards[f] for f in wm.guards if f not in families])
    solver = settings.parameters(search.options, limit)
    if search.run(solver, wm.model, floor)[0] is not Status.INFEASIBLE:
        return None
    core = set(solver.sufficient_assumptions_for_infeasibility())
    return [f for f in families if wm.guards[f].index in core] or families
