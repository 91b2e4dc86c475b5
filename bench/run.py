"""Benchmark: the planner against its targets and against baselines, in one run.

    python bench/run.py                          # every table (~70 min, estimated)
    python bench/run.py --quick                  # a short run (about eleven minutes)
    python bench/run.py --tables instances,mip   # only these tables
    python bench/run.py --record-best            # long runs into bench/best_known.csv
    python bench/run.py --record-best --reset --instances 'fedb/*/w12'
                                                 # those instances' rows replaced, not merged

Tables, printed and written as CSV to bench/results/<table>.csv:

- ``instances``: the product (``planner.solve``) on each instance (catalogue / level / weeks)
  in its own process: model build time, time to first feasible plan, solve time, status,
  objective, bound, gap, gap to the best-known objective, peak RSS, validator violations, and
  the issue's target with whether it is met.
- ``greedy``: a greedy random-restart generator scored by the product's objective and rules;
  restarts and weeks that break a hard rule, and the objective ratio ours / greedy.
- ``proto``: the constraint kinds in the product's week models.
- ``mip``: those week models translated to MIPs (SCIP, CBC, HiGHS) against CP-SAT with the
  product's settings, same time limit, one thread.
- ``scaling``: solve time against synthetic catalogue size and weeks, with growth ratios.
- ``process``, ``search``, ``seeds``, ``explain``, ``programme``: the whole ``planner plan``
  process, our solver settings against the last release's and CP-SAT's defaults, the 12-week
  programmes over 8 seeds, the infeasibility explanation, and the programme formulation
  before (all weeks in one model) and after (week by week) (bench/product.py).
- ``log``: the training log's commands, ``planner log session`` and ``planner log show``, as
  whole processes on a synthetic logbook of 5 years of daily logs for 100 people
  (bench/logbook.py), against issue 17's targets (0.5 s and 1 s).
- ``hint_greedy``, ``dedup``: measured ideas for planner/ (bench/ideas.py): a greedy solution
  as a hint, a deduplicated catalogue.
- ``adapt``: the whole ``planner plan --adapt`` process after 12 weeks of log, for simulated
  people, against a plain ``planner plan`` (bench/adapt.py).
- ``batch``: ``planner batch`` on 200 synthetic clients (36 with ``--quick``): plans a minute
  for a sequential loop, then Dask with 1 and 2 workers, scheduler overhead per task, peak
  memory per worker (bench/batch.py).
- ``swap``: the whole ``planner swap`` process on a 4-week shipped and a 12-week imported plan
  against issue 18's targets (1 s and 3 s), and the placements a swap changes besides itself
  (bench/swap.py).
- ``errors``: 24,000 bad catalogue rows and 24,000 bad override rows refused by whole
  processes in 21 lines, against 20 s (bench/errors.py).
- ``serve``: ``planner serve`` on uvicorn at 127.0.0.1: page loads of a solved 12-week plan
  (200 ms), a 4-week plan solved and shown (2 s), 50 concurrent page requests (1 s each)
  (bench/serve.py).
"""

from __future__ import annotations

import argparse
import dataclasses
import fnmatch
import functools
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

# `python bench/run.py` puts bench/ itself on the path; the bench package lives one up.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import adapt, batch, errors, ideas, logbook, product, serve, swap, tables  # noqa: E402
from bench.greedy import RESTARTS  # noqa: E402
from bench.instances import LEVELS, WEEKS, Instance, instances  # noqa: E402
from bench.mip import BACKENDS  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Scope:
    """What a run covers."""

    instances: tuple[Instance, ...]
    greedy: tuple[Instance, ...]
    restarts: int
    mip_catalogs: tuple[str, ...]
    mip_seconds: float
    scaling: tuple[tuple[int, int], ...]  # (catalogue size, weeks)
    scaling_level: str
    scaling_seconds_per_week: float
    repeats: int  # for the process table
    tables: tuple[str, ...]
    dedup: tuple[Instance, ...] = ()
    programme_weeks: tuple[int, ...] = (4, 12)
    seeds: int = 8  # for the seeds table
    seeds_catalogs: tuple[str, ...] = ("shipped", "fedb")
    batch_clients: int = batch.CLIENTS  # for the batch table


_SYNTHETIC_2000 = instances(["synthetic-2000"], weeks=(1, 12))
FULL = Scope(
    instances=tuple(instances(["shipped", "fedb"], LEVELS, WEEKS) + _SYNTHETIC_2000),
    greedy=tuple(instances(["shipped", "fedb"], LEVELS, WEEKS) + _SYNTHETIC_2000),
    restarts=RESTARTS,
    mip_catalogs=("shipped", "fedb"),
    mip_seconds=10.0,
    scaling=tuple((size, w) for size in (100, 250, 500, 1000, 2000) for w in WEEKS),
    scaling_level="intermediate",
    scaling_seconds_per_week=10.0,
    repeats=5,
    tables=(
        "instances",
        "greedy",
        "proto",
        "mip",
        "scaling",
        "process",
        "search",
        "seeds",
        "explain",
        "programme",
        "budget",
        "log",
        "hint_greedy",
        "dedup",
        "adapt",
        "batch",
        "errors",
        "serve",
        "swap",
    ),
    dedup=(
        Instance("fedb", "advanced", 1),
        Instance("fedb", "beginner", 12),
        Instance("fedb", "advanced", 12),
        Instance("synthetic-2000", "intermediate", 1),
        Instance("synthetic-2000", "intermediate", 4),
    ),
)
QUICK = Scope(
    instances=tuple(
        instances(["fedb"], LEVELS, (1, 12, 52)) + instances(["shipped"], LEVELS, (1, 12))
    ),
    greedy=tuple(instances(["fedb", "shipped"], LEVELS, (1, 12))),
    restarts=RESTARTS,
    mip_catalogs=("fedb",),
    mip_seconds=10.0,
    scaling=((100, 1), (500, 1), (2000, 1), (250, 1), (250, 4), (250, 12), (250, 52)),
    scaling_level="intermediate",
    scaling_seconds_per_week=10.0,
    repeats=1,
    tables=(
        "instances",
        "greedy",
        "proto",
        "mip",
        "scaling",
        "seeds",
        "programme",
        "budget",
        "log",
        "batch",
        "serve",
    ),
    programme_weeks=(4,),
    seeds_catalogs=("fedb",),
    batch_clients=batch.QUICK_CLIENTS,
)


@functools.cache
def _week_models(catalogs: tuple[str, ...]) -> list[tables.WeekCase]:
    return tables.week_models(catalogs)


def build_table(name: str, scope: Scope, runs: tables.Runs) -> pd.DataFrame:
    """One table; product runs in ``runs`` are shared between tables."""
    if name == "instances":
        return tables.instances_table(list(scope.instances), runs)
    if name == "greedy":
        return tables.greedy_table(list(scope.greedy), runs, scope.restarts)
    if name == "proto":
        return tables.proto_table(_week_models(scope.mip_catalogs))
    if name == "mip":
        return tables.mip_table(_week_models(scope.mip_catalogs), scope.mip_seconds, BACKENDS)
    if name == "scaling":
        return tables.scaling_table(
            scope.scaling, scope.scaling_level, runs, scope.scaling_seconds_per_week
        )
    if name == "process":
        return product.process_table(scope.repeats)
    if name == "adapt":
        return adapt.adapt_table(max(scope.repeats, 3))
    if name == "swap":
        return swap.swap_table(max(scope.repeats, 3))
    if name == "search":
        return product.search_table(scope.mip_seconds)
    if name == "seeds":
        return product.seeds_table(scope.seeds, scope.mip_seconds, scope.seeds_catalogs)
    if name == "explain":
        return product.explain_table(scope.mip_seconds)
    if name == "programme":
        return product.programme_table(scope.programme_weeks, scope.mip_seconds)
    if name == "budget":
        return product.budget_table()
    if name == "log":
        return logbook.log_table(scope.repeats)
    if name == "errors":
        return errors.errors_table(max(scope.repeats, 3))
    if name == "serve":
        return serve.serve_table(scope.repeats)
    if name == "batch":
        return batch.batch_table(scope.batch_clients)
    if name == "hint_greedy":
        return ideas.greedy_hint_table(_week_models(("fedb",)), scope.mip_seconds)
    return ideas.dedup_table(list(FULL.dedup))


# --- summaries: one or two lines under a table -----------------------------------------------


def summary(name: str, table: pd.DataFrame) -> list[str]:
    if name == "instances":
        targeted = table[table["met"] != ""]
        missed = targeted[targeted["met"] != "yes"]
        lines = [f"Targets: {len(targeted) - len(missed)} of {len(targeted)} met."]
        lines += [f"  missed: {r.instance} ({r.status}, {r.seconds:.2f} s)" for r in _rows(missed)]
        invalid = table[(table["violations"] != 0) & table["violations"].notna()]
        lines.append(f"Plans the validator rejects: {len(invalid)}.")
        return lines
    if name == "greedy":
        restarts, broken = table["restarts"].sum(), table["broken_restarts"].sum()
        kept_broken = table[table["broken_weeks"] > 0]
        worse = table[table["no_worse"] == "NO"]
        unplanned = table[table["ours_objective"].isna() & table["greedy_objective"].notna()]
        return [
            f"Greedy restarts that break a hard rule: {broken} of {restarts} "
            f"({broken / restarts:.0%}); instances whose best restart still breaks one: "
            f"{len(kept_broken)} of {len(table)}.",
            f"Ours worse than greedy on: {', '.join(worse['instance']) or 'none'}.",
            "Ours without a complete plan where greedy has a valid one: "
            f"{', '.join(unplanned['instance']) or 'none'}.",
        ]
    if name == "mip":
        ours = table[table["solver"] == "CP-SAT (ours)"].set_index("model")["objective"]
        mips = table[table["solver"] != "CP-SAT (ours)"]
        ours_objective = mips["model"].map(ours)
        found_alone = ours_objective.isna() & mips["objective"].notna()
        wins = mips[(mips["obj ours/this"] > 1) | found_alone]
        faster = mips[(mips["obj ours/this"] == 1) & (mips["time ours/this"] > 1)]
        return [
            "MIP better objective than CP-SAT on: "
            + (", ".join(f"{r.model} ({r.solver})" for r in _rows(wins)) or "none")
            + ".",
            "MIP same objective, faster: "
            + (", ".join(f"{r.model} ({r.solver})" for r in _rows(faster)) or "none")
            + ".",
        ]
    if name == "seeds":
        runs = table["seeds"].sum()
        missed = [
            f"{r.instance} ({aim})"
            for r in _rows(table)
            for aim in ("median", "worst")
            if getattr(r, f"{aim}_aim") != "yes"
        ]
        return [
            f"Runs within 1 % of the best known: {table['within_1pct'].sum()} of {runs}; "
            f"cut short: {table['cut_short'].sum()}; validator violations: "
            f"{table['violations'].sum()}.",
            "Aims (median within 5 %, worst within 25 % of the best known; a best of 0 is met "
            f"by 0 alone): missed {', '.join(missed) or 'none'}.",
        ]
    if name == "process":
        return _targets(
            table,
            lambda r: (
                f"{r.level}, {r.weeks} week(s), {r.days} ({r.status}, median {r.median_s} s"
                f" of {r.target_s:g})"
            ),
        )
    if name == "adapt":
        return _targets(
            table,
            lambda r: f"{r.person} (exit {r.exit}, median {r.median_s} s of {r.target_s:g})",
        )
    if name == "swap":
        return _targets(
            table,
            lambda r: f"{r.measure} ({r.value} of {r.target:g}, exit {r.exit})",
        )
    if name == "errors":
        return _targets(
            table,
            lambda r: f"{r.case} (exit {r.exit}, median {r.median_s} s of {r.target_s:g})",
        )
    if name == "serve":
        return _targets(
            table,
            lambda r: f"{r.case} ({r.stat} {r.seconds} s of {r.target_s:g})",
        )
    if name == "log":
        return _targets(
            table,
            lambda r: f"{r.command} (median {r.median_s} s of {r.target_s:g}, {r.status})",
        )
    if name == "scaling":
        growth = table["growth"].dropna()
        if growth.empty:
            return []
        return [f"Growth of time per week (1 = flat): {growth.min():.2f} to {growth.max():.2f}."]
    if name == "batch":
        dask = table[table["engine"] == "dask"]
        best = dask[dask["workers"] == dask["workers"].max()].iloc[0]
        return [
            f"{best.workers} workers: {best.vs_seq:.2f} times the sequential loop's rate (aim "
            f"1.8); scheduler overhead {dask['overhead_pct'].max():.2f} % of a task at most "
            f"(aim under 5 %); plans identical to the sequential loop's: "
            f"{'yes' if (table['same_plans'] == 'yes').all() else 'NO'}."
        ]
    if name == "budget":
        needs = table[table["needs"] == "yes"]
        default = table[table["default"] == "yes"]
        within = (needs.set_index("programme")["budget"] <= default["budget"].iloc[0]).sum()
        return [
            f"Programmes whose best plan the default budget reaches: {within} of {len(needs)}; "
            f"default budget's slowest run: {default['seconds'].max():.2f} s; validator "
            f"violations: {table['violations'].sum()}."
        ]
    return []


def _targets(table: pd.DataFrame, missed: Callable) -> list[str]:
    """'Targets: N of M met.', then a line for each row that missed (``missed`` says it)."""
    rows = table[table["met"] != "yes"]
    lines = [f"Targets: {len(table) - len(rows)} of {len(table)} met."]
    return lines + [f"  missed: {missed(r)}" for r in _rows(rows)]


def _rows(frame: pd.DataFrame):
    return frame.itertuples(index=False)


def _number(value: float) -> str:
    if math.isinf(value):
        return "inf"
    if value == int(value) and abs(value) < 1e9:
        return str(int(value))
    if abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.2f}" if abs(value) >= 1 else f"{value:.3f}"


def show(name: str, table: pd.DataFrame, seconds: float) -> str:
    text = table.to_string(index=False, float_format=_number, na_rep="-")
    lines = [f"\n== {name} ({seconds:.0f} s) ==", text, *summary(name, table)]
    return "\n".join(lines)


def only(scope: Scope, patterns: str | None) -> Scope:
    """``scope`` with its instance lists cut to the keys matching one of the comma-separated
    glob ``patterns`` (``shipped/*/w1,*/w52``), so that a run measures what it needs."""
    if not patterns:
        return scope
    globs = patterns.split(",")

    def keep(items: tuple[Instance, ...]) -> tuple[Instance, ...]:
        return tuple(i for i in items if any(fnmatch.fnmatch(i.key, g) for g in globs))

    return dataclasses.replace(
        scope, instances=keep(scope.instances), greedy=keep(scope.greedy), dedup=keep(scope.dedup)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short run (about eleven minutes)")
    parser.add_argument(
        "--tables",
        help=f"comma-separated tables (default: all of the scope): {', '.join(FULL.tables)}",
    )
    parser.add_argument(
        "--record-best",
        action="store_true",
        help="long runs of every full-scope instance into bench/best_known.csv",
    )
    parser.add_argument(
        "--instances",
        help="comma-separated globs on instance keys (e.g. 'fedb/*/w12,*/w52'): only these "
        "instances in the instances, greedy and dedup tables and in --record-best",
    )
    parser.add_argument(
        "--reset",
        action="store_true",
        help="with --record-best: replace the recorded instances' rows instead of keeping the "
        "better (for when the objective has changed)",
    )
    parser.add_argument(
        "--record-seconds",
        type=float,
        help="with --record-best: seconds per instance instead of 120 (600 for 52 weeks); the "
        "CSV's time_limit column records it",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=0,
        help="with --record-best: the solver's seed (a short run with another seed may find "
        "what a long one with seed 0 does not); the CSV's seed column records it",
    )
    args = parser.parse_args()
    scope = only(QUICK if args.quick else FULL, args.instances)
    RESULTS.mkdir(exist_ok=True)
    if args.record_best:
        started = time.perf_counter()
        recorded = only(FULL, args.instances).instances
        table = tables.record_best_table(list(recorded), args.record_seconds, args.reset, args.seed)
        table.to_csv(RESULTS / "record_best.csv", index=False)
        print(show("record_best", table, time.perf_counter() - started))
        return
    names = args.tables.split(",") if args.tables else list(scope.tables)
    unknown = [n for n in names if n not in FULL.tables]
    if unknown:
        parser.error(f"unknown table {unknown[0]!r}; known: {', '.join(FULL.tables)}")
    runs = tables.Runs()
    for name in names:
        started = time.perf_counter()
        table = build_table(name, scope, runs)
        table.to_csv(RESULTS / f"{name}.csv", index=False)
        print(show(name, table, time.perf_counter() - started), flush=True)


if __name__ == "__main__":
    main()
