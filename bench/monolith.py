"""The "before" of the programme formulation: every week in one CP-SAT model.

The product solves a programme week by week (``planner.solve``): weeks couple only through
their loads, so each week is solved given the loads before it. The natural first formulation
puts all weeks in one model and links their loads with the same guard rails (R10-R12), as
variables rather than constants. This module builds that model so the benchmark can show
what the decomposition bought.

Hard rules are all kept, Sunday-to-Monday recovery between weeks included, so its plans pass
the same validator. Its objective is not quite the product's, so compare times and statuses,
not objectives: it leaves out the continuity goal (keeping last week's exercises, which needs
the week before's choice as data), and its load goal is the level's target in every week
(the product aims each week at the middle of its ramp band, a variable here).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from planner import Profile, SolverOptions, evidence
from planner.catalog import GROUPS, Catalog
from planner.goals import weight
from planner.model import WeekModel, build_week
from planner.plan import Plan, Status
from planner.ramp import WeekContext
from planner.search import PROGRAMME_SETTINGS, SolverSettings, week_entries

# CP-SAT loads are RPE x seconds: 60 x the AU of R8.
AU = 60


@dataclass(frozen=True)
class Outcome:
    status: str
    objective: float
    bound: float
    build_s: float
    first_s: float  # wall seconds to the first plan (nan: none found)
    solve_s: float
    plan: Plan | None


class _FirstSolution(cp_model.CpSolverSolutionCallback):
    def __init__(self):
        super().__init__()
        self.first = math.nan

    def on_solution_callback(self) -> None:
        if math.isnan(self.first):
            self.first = self.wall_time


def build(catalog: Catalog, profile: Profile) -> tuple[cp_model.CpModel, list[WeekModel]]:
    """All ``profile.weeks`` weeks in one model, loads linked by the ramp, deload and
    acute:chronic rules; the objective is the sum of the weeks' objectives."""
    model = cp_model.CpModel()
    allowed = profile.allowed(catalog)
    ids = frozenset(e.id for e in allowed)
    weeks = []
    for w in range(1, profile.weeks + 1):
        context = WeekContext(week=w, deload=profile.is_deload(w))
        weeks.append(build_week(profile, allowed, ids, context, model=model))
    loads = [wm.week_load() for wm in weeks]
    start = round(profile.starting_load * AU)
    for i, wm in enumerate(weeks):
        before = [start] * evidence.ACWR_WEEKS + loads[:i]
        if wm.context.deload:
            _deload(model, loads[i], before[-1], profile)
        else:
            builds = [loads[j] for j in range(i) if not weeks[j].context.deload]
            _build(model, loads[i], builds[-1] if builds else start, profile)
        cap = round(profile.acwr_cap * 100)
        model.add(100 * evidence.ACWR_WEEKS * loads[i] <= cap * sum(before[-evidence.ACWR_WEEKS :]))
        if i and 6 in weeks[i - 1].days and 0 in wm.days:
            for g in GROUPS:
                model.add(weeks[i - 1].works(g, 6) + wm.works(g, 0) <= 1)
    terms = [weight(name) * var for wm in weeks for name, var in wm.terms.items()]
    model.minimize(sum(terms))
    return model, weeks


def _deload(model, load, before, profile: Profile) -> None:
    """R12: DELOAD_PCT of the week before, +- the tolerance."""
    pct, tol = profile.deload_pct, evidence.DELOAD_TOLERANCE_PCT
    model.add(100 * load >= (pct - tol) * before)
    model.add(100 * load <= (pct + tol) * before)


def _build(model, load, ref, profile: Profile) -> None:
    """R10 and R4 as ``planner.ramp.band`` states them, with ``ref`` a variable: at most the
    cap above the last build week; below the target's tolerance, rise at least RAMP_MIN_PCT
    (or reach it); from there, hold within HOLD_TOLERANCE_PCT above max(ref, target)."""
    target = profile.target_load * AU
    reached = math.floor(target * (100 - evidence.LOAD_TOLERANCE_PCT) / 100)
    model.add(100 * load <= (100 + profile.ramp_cap_pct) * ref)
    there = model.new_bool_var("there")
    model.add(ref >= reached).only_enforce_if(there)
    model.add(ref <= reached - 1).only_enforce_if(~there)
    rises, reaches = model.new_bool_var("rises"), model.new_bool_var("reaches")
    model.add(100 * load >= (100 + evidence.RAMP_MIN_PCT) * ref).only_enforce_if(rises)
    model.add(load >= reached).only_enforce_if(reaches)
    model.add_bool_or([rises, reaches]).only_enforce_if(~there)
    model.add(load >= reached).only_enforce_if(there)
    on_ref, on_target = model.new_bool_var("hold_ref"), model.new_bool_var("hold_target")
    hold = 100 + evidence.HOLD_TOLERANCE_PCT
    model.add(100 * load <= hold * ref).only_enforce_if(on_ref)
    model.add(100 * load <= math.floor(hold * target)).only_enforce_if(on_target)
    model.add_bool_or([on_ref, on_target]).only_enforce_if(there)


def solve(
    catalog: Catalog,
    profile: Profile,
    options: SolverOptions,
    settings: SolverSettings = PROGRAMME_SETTINGS,
) -> Outcome:
    """Build and solve the one model within ``options.budget`` deterministic seconds."""
    started = time.perf_counter()
    model, weeks = build(catalog, profile)
    built = time.perf_counter()
    solver = settings.parameters(options, options.budget)
    first = _FirstSolution()
    status = solver.solve(model, first)
    solved = time.perf_counter() - built
    plan = None
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        entries = tuple(e for wm in weeks for e in week_entries(wm, solver))
        plan = Plan(
            profile, entries, Status.OPTIMAL if status == cp_model.OPTIMAL else Status.FEASIBLE
        )
    return Outcome(
        status=solver.status_name(status).lower(),
        objective=solver.objective_value if plan else math.nan,
        bound=solver.best_objective_bound,
        build_s=built - started,
        first_s=first.first,
        solve_s=solved,
        plan=plan,
    )
