"""Measured ideas for speeding up planner/: each experiment is paired (with and without the
idea, back to back, same settings and limits) and reports the ratio, so that a change to
planner/ can be judged before it is made. Nothing here changes planner/.

- ``greedy_hint_table``: the week's first CP-SAT search with the best greedy restart given as
  a complete solution hint, against the same search without it.
- ``dedup_table``: the product on a catalogue that keeps at most ``DEDUP_KEEP`` exercises of
  each type (identical in everything the model sees), against the whole catalogue.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import replace

import pandas as pd
from ortools.sat.python import cp_model

from bench import score
from bench.greedy import greedy_week
from bench.instances import Instance, load, options
from bench.measure import FirstSolution, measure_plan
from bench.tables import WeekCase
from planner import Catalog, Profile
from planner.dose import prescribe
from planner.model import exercise_type
from planner.ramp import NO_HISTORY
from planner.search import default_settings

GREEDY_RESTARTS = 10
DEDUP_KEEP = 3  # copies of a type kept: more than FAMILIAR_DAYS, so variety stays free


def _search(model: cp_model.CpModel, profile: Profile, time_limit: float) -> dict:
    """One search with the product's settings: status, objective, time, first solution."""
    solver = default_settings().parameters(options(time_limit), time_limit)
    started = time.perf_counter()
    callback = FirstSolution(started)
    status = solver.solve(model, callback)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return {
        "status": solver.status_name(status).lower(),
        "objective": solver.objective_value if found else math.nan,
        "seconds": time.perf_counter() - started,
        "first_s": math.nan if callback.first is None else callback.first,
    }


# --- greedy hint -------------------------------------------------------------------------------


def greedy_hint_table(cases: list[WeekCase], time_limit: float) -> pd.DataFrame:
    rows = []
    for case in cases:
        started = time.perf_counter()
        greedy = greedy_week(case.wm, case.catalog, NO_HISTORY, GREEDY_RESTARTS)
        greedy_s = time.perf_counter() - started
        plain = _search(case.wm.model, case.wm.profile, time_limit)
        hinted_model = (
            score.hinted_model(case.wm, greedy.assignment) if greedy.objective is not None else None
        )
        hinted = (
            _search(hinted_model, case.wm.profile, time_limit)
            if hinted_model is not None
            else dict.fromkeys(plain, math.nan)
        )
        rows.append(
            {
                "model": case.name,
                "greedy_objective": greedy.objective,
                "greedy_s": greedy_s,
                "plain_status": plain["status"],
                "plain_objective": plain["objective"],
                "plain_first_s": plain["first_s"],
                "plain_s": plain["seconds"],
                "hinted_status": hinted["status"],
                "hinted_objective": hinted["objective"],
                "hinted_first_s": hinted["first_s"],
                "hinted_s": hinted["seconds"],
                "time hinted/plain": hinted["seconds"] / plain["seconds"],
            }
        )
    return pd.DataFrame(rows)


# --- deduplicated catalogue --------------------------------------------------------------------


def deduplicated(catalog: Catalog, profile: Profile, keep: int = DEDUP_KEEP) -> Catalog:
    """The exercises the profile may use, at most ``keep`` of each type (catalogue order)."""
    seen: dict[tuple, int] = defaultdict(int)
    kept = []
    for e in profile.allowed(catalog):
        kind = exercise_type(e, prescribe(e, profile))
        if seen[kind] < keep:
            seen[kind] += 1
            kept.append(e)
    ids = {e.id for e in kept}
    kept = [e if e.progression in ids else replace(e, progression="") for e in kept]
    return Catalog(tuple(kept), source=f"{catalog.source}, deduplicated")


def dedup_table(instances: list[Instance]) -> pd.DataFrame:
    rows = []
    for instance in instances:
        catalog = load(instance.catalog)
        profile = instance.profile()
        smaller = deduplicated(catalog, profile)
        whole = measure_plan(catalog, profile, instance.key, instance.options())
        dedup = measure_plan(smaller, profile, instance.key, instance.options())
        rows.append(
            {
                "instance": instance.key,
                "exercises": whole["exercises"],
                "kept": dedup["exercises"],
                "whole_status": whole["status"],
                "whole_objective": whole["objective"],
                "whole_s": whole["seconds"],
                "dedup_status": dedup["status"],
                "dedup_objective": dedup["objective"],
                "dedup_s": dedup["seconds"],
                "time dedup/whole": dedup["seconds"] / whole["seconds"],
            }
        )
    return pd.DataFrame(rows)
