"""The benchmark's tables, each a function returning a DataFrame (``bench/run.py`` prints them).

- ``instances``: the product on each instance, in its own process, against the targets and
  the best-known objective.
- ``greedy``: the greedy random-restart baseline on the same instances.
- ``mip``: the product's week models as MIPs (SCIP, CBC, HiGHS) against CP-SAT.
- ``proto``: the constraint kinds in those week models (what the MIP translation must handle).
- ``scaling``: solve time against catalogue size and weeks, with growth ratios.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import pandas as pd

from bench import best_known, mip, score
from bench.greedy import greedy_programme
from bench.instances import (
    LEVELS,
    TARGET_GAP,
    TARGET_MB,
    TARGET_SECONDS,
    Instance,
    load,
)
from bench.measure import run_isolated
from planner import Catalog, Profile, SolverOptions, Status
from planner.model import WeekModel, build_week
from planner.ramp import NO_HISTORY, week_context
from planner.search import Search, default_settings, optimise

# The product returns at its deadline; this much later still counts as within the target.
RETURN_SLACK_S = 0.5


class Runs:
    """Product measurements of this benchmark run, each instance measured once."""

    def __init__(self):
        self.rows: dict[tuple[str, float | None], dict] = {}

    def get(self, instance: Instance, time_limit: float | None = None) -> dict:
        key = (instance.key, time_limit)
        if key not in self.rows:
            self.rows[key] = run_isolated(instance, time_limit)
        return self.rows[key]


# --- instances ---------------------------------------------------------------------------------


def target(instance: Instance) -> str:
    """The issue's target for this instance, or "" when it has none."""
    if instance.weeks == 52:
        return f"valid in {TARGET_SECONDS[52]:g} s"
    if instance.catalog == "fedb" and instance.weeks == 12:
        seconds = TARGET_SECONDS[12]
        return f"optimal or {TARGET_GAP:.0%} of best in {seconds:g} s, <{TARGET_MB} MB"
    return ""


def target_met(instance: Instance, row: dict, within_best: bool) -> str:
    goal = target(instance)
    if not goal:
        return ""
    complete = row.get("violations") == 0 and row["status"] in ("optimal", "feasible")
    in_time = row.get("seconds", math.inf) <= TARGET_SECONDS[instance.weeks] + RETURN_SLACK_S
    if instance.weeks == 52:
        return "yes" if complete and in_time else "NO"
    good = row["status"] == "optimal" or within_best
    small = row.get("peak_mb", math.inf) < TARGET_MB
    return "yes" if complete and in_time and good and small else "NO"


def instances_table(instances: list[Instance], runs: Runs) -> pd.DataFrame:
    known = best_known.read()
    rows = []
    for instance in instances:
        row = runs.get(instance)
        objective = row.get("objective", math.nan)
        record = known.get(instance.key)
        best = record["objective"] if record else math.nan
        rows.append(
            {
                "instance": instance.key,
                "exercises": row.get("exercises"),
                "limit_s": row.get("time_limit"),
                "status": row["status"],
                "seconds": row.get("seconds"),
                "build_s": row.get("build_s"),
                "first_s": row.get("first_s"),
                "objective": objective,
                "bound": row.get("bound"),
                "gap": row.get("gap"),
                "best_known": best,
                "vs_best": best_known.versus_best(objective, record),
                "optimal_weeks": row.get("weeks_optimal"),
                "peak_mb": row.get("peak_mb"),
                "violations": row.get("violations"),
                "target": target(instance),
                "met": target_met(instance, row, best_known.within(objective, record, TARGET_GAP)),
            }
        )
    return pd.DataFrame(rows)


def record_best_table(
    instances: list[Instance], seconds: float | None = None, reset: bool = False, seed: int = 0
) -> pd.DataFrame:
    """Long runs of the product (``seconds`` each, or the recorded convention) with ``seed``,
    merged into bench/best_known.csv; with ``reset`` they replace the instances' rows."""
    rows = [run_isolated(i, seconds or best_known.record_seconds(i), seed) for i in instances]
    table = best_known.merge(rows, reset=reset)
    return pd.DataFrame(
        [
            {
                "instance": row["instance"],
                "limit_s": row.get("time_limit"),
                "status": row["status"],
                "seconds": row.get("seconds"),
                "objective": row.get("objective"),
                "bound": row.get("bound"),
                "best_known": table.get(row["instance"], {}).get("objective", math.nan),
            }
            for row in rows
        ]
    )


# --- greedy ------------------------------------------------------------------------------------


def ratio(ours: float, theirs: float) -> float:
    """ours / theirs for objectives (lower is better): 1 when both are 0."""
    if math.isnan(ours) or math.isnan(theirs):
        return math.nan
    if theirs == 0:
        return 1.0 if ours == 0 else math.inf
    return ours / theirs


def greedy_table(instances: list[Instance], runs: Runs, restarts: int) -> pd.DataFrame:
    rows = []
    for instance in instances:
        ours = runs.get(instance)
        result = greedy_programme(load(instance.catalog), instance.profile(), restarts)
        ours_objective = ours.get("objective", math.nan)
        r = ratio(ours_objective, result.objective)
        rows.append(
            {
                "instance": instance.key,
                "restarts": result.restarts,
                "broken_restarts": result.broken_restarts,
                "broken_weeks": result.broken_weeks,
                "greedy_objective": result.objective,
                "greedy_s": result.seconds,
                "ours_status": ours["status"],
                "ours_objective": ours_objective,
                "ours/greedy": r,
                "no_worse": "" if math.isnan(r) else ("yes" if r <= 1 else "NO"),
                "validator": result.broken_rules or "valid",
            }
        )
    return pd.DataFrame(rows)


# --- mip ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekCase:
    name: str
    wm: WeekModel
    catalog: Catalog


def week_models(catalogs, levels=LEVELS) -> list[WeekCase]:
    """For each catalogue and level, the lone week and week 1 of a programme (which adds the
    ramp and acute:chronic bounds), built as ``planner.solve`` builds them."""
    return list(_week_cases(catalogs, levels))


def _week_cases(catalogs, levels):
    for catalog_name in catalogs:
        catalog = load(catalog_name)
        for level in levels:
            for weeks, label in ((1, "lone week"), (4, "programme week 1")):
                profile = Profile.for_level(level, weeks=weeks)
                allowed = profile.allowed(catalog)
                ids = frozenset(e.id for e in allowed)
                context = week_context(profile, 1, NO_HISTORY)
                programme = context.band is not None  # as planner.solve builds them
                wm = build_week(profile, allowed, ids, context, symmetry_breaking=programme)
                yield WeekCase(f"{catalog_name}/{level}/{label}", wm, catalog)


def proto_table(cases: list[WeekCase]) -> pd.DataFrame:
    rows = []
    for case in cases:
        name, wm = case.name, case.wm
        kinds = mip.constraint_kinds(wm.model)
        rows.append(
            {
                "model": name,
                "variables": len(wm.model.proto.variables),
                **dict(sorted(kinds.items())),
            }
        )
    return pd.DataFrame(rows).fillna(0)


def mip_table(cases: list[WeekCase], time_limit: float, backends=mip.BACKENDS) -> pd.DataFrame:
    rows = []
    for case in cases:
        ours = _cp_sat_week(case, time_limit)
        rows.append({"model": case.name, **ours})
        for backend in backends:
            result = mip.solve_mip(case.wm, backend, time_limit)
            rows.append({"model": case.name, **_mip_row(case, result, ours)})
    return pd.DataFrame(rows)


def _cp_sat_week(case: WeekCase, time_limit: float) -> dict:
    """The product's searches of the week (its settings, ``planner.search.optimise``), given
    the whole time limit."""
    wm = case.wm
    started = time.perf_counter()
    with Search(SolverOptions(time_limit=time_limit)) as search:
        solver, status, _, bound = optimise(wm, default_settings(), time_limit, search)
    seconds = time.perf_counter() - started
    found = status in (Status.OPTIMAL, Status.FEASIBLE)
    objective = solver.objective_value if found else math.nan
    assignment = (
        {k: solver.value(wm.n[k]) for k, x in wm.x.items() if solver.boolean_value(x)}
        if found
        else None
    )
    return {
        "solver": "CP-SAT (ours)",
        "status": status.value,
        "objective": objective,
        "bound": bound,
        "gap": _gap(objective, bound),
        "seconds": seconds,
        "violations": _violations(case, assignment),
    }


def _mip_row(case: WeekCase, result: mip.MipResult, ours: dict) -> dict:
    wm = case.wm
    # The MIP's own objective can sit above the decisions' true value (its penalty variables
    # are only bounded below); CP-SAT re-scores the decisions with the product's objective.
    rescored = score.score(wm, result.assignment) if result.assignment is not None else None
    objective = math.nan if rescored is None else rescored
    bound = math.nan if result.bound is None else result.bound
    return {
        "solver": result.backend,
        "status": result.status,
        "objective": objective,
        "bound": bound,
        "gap": _gap(objective, bound),
        "seconds": result.seconds,
        "violations": _violations(case, result.assignment),
        "obj ours/this": ratio(ours["objective"], objective),
        "time ours/this": ours["seconds"] / result.seconds,
    }


def _violations(case: WeekCase, assignment) -> float:
    """The validator's count for one week's decisions (NaN when there are none)."""
    if assignment is None:
        return math.nan
    return len(score.week_violations(case.wm, assignment, case.catalog, NO_HISTORY))


def _gap(objective: float, bound: float) -> float:
    if math.isnan(objective) or math.isnan(bound):
        return math.nan
    return abs(objective - bound) / max(abs(objective), 1.0)


# --- scaling -----------------------------------------------------------------------------------


def scaling_table(cases, level: str, runs: Runs, seconds_per_week: float) -> pd.DataFrame:
    """The product on nested synthetic catalogues, for each (size, weeks) in ``cases``; each
    run gets ``seconds_per_week`` a week, so that a week that solves in time is not cut.
    ``growth`` compares with the case before of the same size: 1 when time per week is flat."""
    rows = []
    before: dict[int, tuple[int, float]] = {}
    for size, w in cases:
        instance = Instance(f"synthetic-{size}", level, w)
        row = runs.get(instance, min(600.0, seconds_per_week * w))
        seconds = row.get("seconds", math.nan)
        earlier = before.get(size)
        rows.append(
            {
                "size": size,
                "weeks": w,
                "exercises": row.get("exercises"),
                "limit_s": row.get("time_limit"),
                "status": row["status"],
                "seconds": seconds,
                "build_s": row.get("build_s"),
                "search_s": row.get("search_s"),
                "s/week": seconds / w,
                # t(w) / (w / w_before * t(w_before))
                "growth": seconds / (w / earlier[0] * earlier[1]) if earlier else math.nan,
                "peak_mb": row.get("peak_mb"),
                "violations": row.get("violations"),
            }
        )
        before[size] = (w, seconds)
    return pd.DataFrame(rows)
