"""Solve a profile against a catalogue: a Plan, or the rules that cannot all hold.

Determinism: one search worker with a deterministic time limit gives the same plan for the
same inputs and seed (solver-notes: parallel search under a wall-clock limit does not).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner import ramp
from planner.catalog import GROUPS, Catalog
from planner.model import LONE_WEEK, WeekContext, WeekModel, build_week
from planner.plan import Entry, Plan, Status, sequence
from planner.profile import Profile
from planner.ramp import NO_HISTORY, History
from planner.rules import GUARDED, RULES, Rule

_STATUS = {
    cp_model.OPTIMAL: Status.OPTIMAL,
    cp_model.FEASIBLE: Status.FEASIBLE,
    cp_model.INFEASIBLE: Status.INFEASIBLE,
    cp_model.MODEL_INVALID: Status.UNKNOWN,
    cp_model.UNKNOWN: Status.UNKNOWN,
}
# Each feasibility check of the explanation gets this share of the time limit.
_EXPLAIN_SHARE = 0.1
# Share of a week's time kept for finding any valid week when the best is not found.
_FALLBACK_SHARE = 0.3


class NoPlan(ValueError):
    """The request has no plan. ``rules`` are the rule families that cannot all hold; empty
    when the solver ran out of time, before finding a plan or (``proven``) before naming them."""

    def __init__(
        self, profile: Profile, rules: tuple[Rule, ...], week: int = 1, proven: bool = False
    ):
        self.profile = profile
        self.rules = rules
        self.week = week
        which = "" if profile.weeks == 1 else f"week {week}: "
        if proven and not rules:
            message = (
                f"{which}no week fits these settings; the clashing rules could not be named "
                f"within the time limit of {profile.time_limit:g} s (raise --time-limit to "
                "see them)"
            )
        elif not rules:
            message = (
                f"{which}no plan found within the time limit of {profile.time_limit:g} s; "
                "raise --time-limit"
            )
        else:
            asks = "; ".join(f"{r.asks} [{r.name}]" for r in rules)
            changes = sorted({c.strip() for r in rules for c in r.change.split(",")})
            message = (
                f"{which}no week fits these settings: these rules cannot all hold: {asks}. "
                f"Try changing {', '.join(changes)}"
            )
        super().__init__(message)


@dataclass(frozen=True)
class SolverSettings:
    """How CP-SAT is run: one worker and a deterministic limit keep plans reproducible."""

    workers: int = 1
    interleave: bool = False
    # Full linearisation (level 2) and LP-guided branching let one worker find the week's
    # best plan in about a second; the defaults found none in 5 s (bench/run.py measures it).
    linearization: int = 2
    lp_search: bool = True
    # A light presolve (no probing, no symmetry detection, one pass) halves the time to the
    # proven optimum on these small models: 0.13-0.98 s against 0.26-2.27 s (4 seeds a level).
    light_presolve: bool = True

    def parameters(self, profile: Profile, time_limit: float) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.random_seed = profile.seed
        p.num_workers = self.workers
        p.interleave_search = self.interleave
        p.linearization_level = self.linearization
        if self.lp_search:
            p.search_branching = type(p.search_branching).LP_SEARCH
        if self.light_presolve:
            p.cp_model_probing_level = 0
            p.symmetry_level = 0
            p.max_presolve_iterations = 1
        p.max_deterministic_time = time_limit
        p.max_time_in_seconds = time_limit
        return solver


DEFAULT_SETTINGS = SolverSettings()


def week_context(profile: Profile, week: int, history: History) -> WeekContext:
    """Where ``week`` sits: a lone repeating week, or a programme week with its guard rails."""
    if profile.weeks == 1:
        return WeekContext(week=week)
    deload = profile.is_deload(week)
    return WeekContext(
        week=week,
        deload=deload,
        band=ramp.band(profile, history, deload),
        load_cap=ramp.acute_chronic_cap(profile, history),
        rested_monday=history.rested_monday,
        previous=history.previous,
        maxed=history.maxed,
    )


def solve(
    catalog: Catalog,
    profile: Profile,
    settings: SolverSettings = DEFAULT_SETTINGS,
    history: History = NO_HISTORY,
) -> Plan:
    """The best programme the solver finds for ``profile``, or ``NoPlan`` naming the conflict.

    Weeks are solved in order, each against the guard rails its history sets (solver-notes:
    weeks couple only through their loads, so one hard model becomes many easy ones); each
    week is the best one given the weeks before it. ``history`` carries on an earlier plan.
    """
    started = time.perf_counter()
    allowed = profile.allowed(catalog)
    ids = frozenset(e.id for e in allowed)
    before = history
    entries: list[Entry] = []
    statuses, objective, bound, terms = [], 0.0, 0.0, {}
    first = history.next_week
    for week in range(first, first + profile.weeks):
        context = week_context(profile, week, history)
        wm, solver, status = _solve_week(profile, allowed, ids, context, settings)
        if status is Status.INFEASIBLE:
            rules = explain_infeasible(catalog, profile, context, settings)
            raise NoPlan(profile, rules, week, proven=True)
        if status is Status.UNKNOWN:
            raise NoPlan(profile, (), week)
        week_entries = _entries(wm, solver)
        entries += week_entries
        statuses.append(status)
        # A rules-only fallback week has no objective value: the programme's is then unknown.
        objective += solver.objective_value if wm.terms else math.nan
        bound += solver.best_objective_bound
        for name, var in wm.terms.items():
            terms[name] = terms.get(name, 0) + solver.value(var)
        carried = _carried(wm, week_entries)
        if context.deload:  # the next build week carries on from the last build week
            carried.update(previous=history.previous, maxed=history.maxed)
        history = history.then(sum(e.load for e in week_entries), context.deload, **carried)
    optimal = all(s is Status.OPTIMAL for s in statuses)
    return Plan(
        profile=profile,
        entries=tuple(entries),
        status=Status.OPTIMAL if optimal else Status.FEASIBLE,
        objective=objective,
        bound=bound,
        seconds=time.perf_counter() - started,
        terms=terms,
        history=before,
    )


def _solve_week(profile, allowed, ids, context, settings):
    """The best week within the time limit; when the search for the best finds no week at all,
    any week that keeps the rules (reported as feasible, not optimal).

    With the objective leading the search, some feasible requests got no solution in 10 s (one
    18-minute advanced session); the rules alone answer in well under a second. Hinting that
    answer to the optimising search made typical weeks slower (advanced 7.2 s against 0.5-4.4
    s), so the rules-only search runs only as a fallback.
    """
    limit = profile.time_limit / profile.weeks
    wm = build_week(profile, allowed, ids, context)
    solver = settings.parameters(profile, limit * (1 - _FALLBACK_SHARE))
    status = _STATUS[solver.solve(wm.model)]
    if status is not Status.UNKNOWN:
        return wm, solver, status
    rules_only = build_week(profile, allowed, ids, context, objective=False)
    solver = settings.parameters(profile, limit * _FALLBACK_SHARE)
    status = _STATUS[solver.solve(rules_only.model)]
    return rules_only, solver, Status.FEASIBLE if status is Status.OPTIMAL else status


def _carried(wm: WeekModel, entries: tuple[Entry, ...]) -> dict:
    """What the next week needs to know of this one."""
    return {
        "previous": frozenset(e.exercise.id for e in entries),
        "maxed": frozenset(
            e.exercise.id for e in entries if e.sets >= wm.prescriptions[e.exercise.id].max_sets
        ),
        "rested_monday": frozenset(
            g for e in entries if e.day == 6 for g in GROUPS if e.exercise.trains(g)
        ),
    }


def _entries(wm: WeekModel, solver: cp_model.CpSolver) -> tuple[Entry, ...]:
    entries = []
    for d in wm.days:
        for e in wm.exercises:
            if solver.boolean_value(wm.x[e.id, d]):
                rx = wm.prescriptions[e.id]
                sets = solver.value(wm.n[e.id, d])
                entries.append(Entry(wm.context.week, d, 0, e, sets, rx.reps, rx.hold_s))
    return sequence(entries)


def explain_infeasible(
    catalog: Catalog,
    profile: Profile,
    context: WeekContext = LONE_WEEK,
    settings: SolverSettings = DEFAULT_SETTINGS,
) -> tuple[Rule, ...]:
    """A minimal set of rule families that cannot hold together.

    Each family is guarded by a literal. CP-SAT's assumption core (the objective left out, as
    the two do not mix) gives a small infeasible set fast; a deletion filter over that set then
    drops every family the conflict does not need. bench/run.py: 0.13 s for the core against
    1.0 s for a deletion filter over all families.
    """
    allowed = frozenset(e.id for e in profile.allowed(catalog))
    wm = build_week(profile, tuple(catalog), allowed, context, guarded=True, objective=False)
    limit = max(profile.time_limit * _EXPLAIN_SHARE, 0.1)
    needed = _core(wm, list(GUARDED), settings, limit)
    if needed is None:
        return ()  # the conflict could not be reproduced within the time given
    for family in list(needed):
        trial = [f for f in needed if f != family]
        if _core(wm, trial, settings, limit) is not None:
            needed = trial
    return tuple(RULES[name] for name in needed)


def _core(
    wm: WeekModel, families: list[str], settings: SolverSettings, limit: float
) -> list[str] | None:
    """Families among ``families`` that are infeasible together, or None when feasible or
    undecided within ``limit``."""
    wm.model.clear_assumptions()
    wm.model.add_assumptions([wm.guards[f] for f in families])
    wm.model.add_assumptions([~wm.guards[f] for f in wm.guards if f not in families])
    solver = settings.parameters(wm.profile, limit)
    if solver.solve(wm.model) != cp_model.INFEASIBLE:
        return None
    core = set(solver.sufficient_assumptions_for_infeasibility())
    return [f for f in families if wm.guards[f].index in core] or families
