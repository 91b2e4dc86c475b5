"""``swap``: the whole ``planner swap`` process (issue 18) on a 4-week shipped-catalogue plan
and on a 12-week imported-catalogue (free-exercise-db) plan, median wall time of N runs against
the issue's targets (1 s and 3 s), and the placements a swap without ``--with`` changes besides
the exercise taken out and the one put in (issue 18: median at most 3), over every exercise of
the 4-week plan's second week (in process, ``planner.revision.swap``).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

import pandas as pd

from bench.adapt import timed_runs
from bench.instances import load
from planner import Profile, SolverOptions, solve
from planner.export import csv_text
from planner.importer import write_catalog
from planner.profile import DAYS
from planner.revision import swap

TARGETS_S = {"shipped": 1.0, "fedb": 3.0}  # issue 18
WEEKS = {"shipped": 4, "fedb": 12}
TARGET_OUTSIDE = 3  # issue 18: median placements changed outside the swapped one
LEVEL = "beginner"
DAYS_GIVEN = ("mon", "wed", "fri")
WEEK = 2  # the week swapped in: one with a week before it and after it


def _plan(name: str):
    catalog = load(name)
    profile = Profile.for_level(LEVEL, days=DAYS_GIVEN, weeks=WEEKS[name])
    return catalog, solve(catalog, profile, options=SolverOptions(budget=20.0))


def swap_table(repeats: int) -> pd.DataFrame:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name in ("shipped", "fedb"):
            catalog, plan = _plan(name)
            plan_csv = Path(folder) / f"{name}.csv"
            plan_csv.write_text(csv_text(plan))
            catalog_csv = Path(folder) / f"{name}-catalog.csv"
            write_catalog(catalog, catalog_csv)
            entry = next(e for e in plan.weeks[WEEK] if e.exercise.role == "strength")
            command = [sys.executable, "-m", "planner", "swap", str(plan_csv)]
            command += [entry.exercise.id, "--week", str(WEEK), "--day", DAYS[entry.day]]
            command += ["--catalog", str(catalog_csv), "--level", LEVEL]
            command += ["--days", ",".join(DAYS_GIVEN), "--weeks", str(WEEKS[name])]
            times, code = timed_runs(command, repeats)
            median = statistics.median(times)
            rows.append(
                {
                    "measure": f"planner swap, {name} {WEEKS[name]} weeks: median s",
                    "runs": repeats,
                    "exit": code,
                    "value": round(median, 3),
                    "target": TARGETS_S[name],
                    "met": "yes" if median <= TARGETS_S[name] and code == 0 else "NO",
                }
            )
            if name == "shipped":
                outside = [
                    swap(plan, catalog, WEEK, DAYS[e.day], e.exercise.id).placements - 2
                    for e in plan.weeks[WEEK]
                ]
                median = statistics.median(outside)
                rows.append(
                    {
                        "measure": "placements changed besides the swap (without --with), "
                        f"median of {len(outside)} (max {max(outside)})",
                        "runs": len(outside),
                        "exit": 0,
                        "value": median,
                        "target": TARGET_OUTSIDE,
                        "met": "yes" if median <= TARGET_OUTSIDE else "NO",
                    }
                )
    return pd.DataFrame(rows)
