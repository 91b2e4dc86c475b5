"""Measure one run of the product (``planner.solve``) on one instance, in its own process.

    python -m bench.measure '{"key": "fedb/advanced/w12", "time_limit": 10, "seed": 0}'

prints one JSON line: times (model build, search, time to first feasible plan), status,
objective, bound, gap, peak memory and the validator's verdict. ``run_isolated`` runs it in a
fresh interpreter, so that peak RSS (CP-SAT allocates in C++, out of tracemalloc's sight)
belongs to this instance alone.

``solve``'s ``progress`` hook gives each week's status and when its first plan came.
``SolveProbe`` adds what the hook does not tell, the split between building and searching,
without changing planner/: for the duration of one call it wraps the ``build_week`` that
planner/search.py (a plan's weeks) and planner/conflict.py (the explanation) call and
``CpSolver.solve``, and times them. This is the only
monkeypatching in bench/, and it only observes.
"""

from __future__ import annotations

import importlib
import json
import math
import resource
import subprocess
import sys
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from ortools.sat.python import cp_model

from bench.instances import Instance, load
from planner import Catalog, NoPlan, Profile, SolverOptions, Status, check_plan, solve
from planner.solve import Progress

REPO = Path(__file__).resolve().parents[1]
# The modules that call build_week (the week search and the explanation), whose name for it
# the probe wraps; importlib, as planner/__init__.py exports functions named like modules.
BUILDERS = tuple(importlib.import_module(m) for m in ("planner.search", "planner.conflict"))
FOUND = (Status.OPTIMAL, Status.FEASIBLE)


@dataclass(frozen=True)
class Step:
    """A week model built, or a search run on it, in the order ``planner.solve`` ran them."""

    week: int
    guarded: bool  # the explanation's model, not a week's plan
    seconds: float
    searched: bool = False  # False: this step built the model


class FirstSolution(cp_model.CpSolverSolutionCallback):
    def __init__(self, started: float):
        super().__init__()
        self.started = started
        self.first: float | None = None

    def on_solution_callback(self) -> None:
        if self.first is None:
            self.first = time.perf_counter() - self.started


@dataclass
class SolveProbe:
    """Records every week model ``planner.solve`` builds and every search it runs on one. It
    holds no model: kept alive, the models of a 52-week programme planned twice over took the
    process's peak from 235 to 468 MB, which the instances table then reported."""

    steps: list[Step] = field(default_factory=list)
    _models: weakref.WeakKeyDictionary = field(default_factory=weakref.WeakKeyDictionary)

    def __enter__(self) -> SolveProbe:
        self._build_week = BUILDERS[0].build_week
        self._solve = cp_model.CpSolver.solve
        probe = self

        def build_week(*args, **kwargs):
            started = time.perf_counter()
            wm = probe._build_week(*args, **kwargs)
            week = (wm.context.week, bool(wm.guards))
            probe.steps.append(Step(*week, time.perf_counter() - started))
            probe._models[wm.model] = week
            return wm

        def solve_(solver, model, solution_callback=None):
            started = time.perf_counter()
            status = probe._solve(solver, model, solution_callback)
            seconds = time.perf_counter() - started
            # A model the probe did not see built (a copy the planner made of one, to try a
            # variant) belongs to the week built last: each week is built, then searched.
            last = (probe.steps[-1].week, probe.steps[-1].guarded) if probe.steps else None
            week = probe._models.get(model, last)
            if week is not None:
                probe.steps.append(Step(*week, seconds, searched=True))
            return status

        for module in BUILDERS:
            module.build_week = build_week
        cp_model.CpSolver.solve = solve_
        return self

    def __exit__(self, *exc) -> None:
        for module in BUILDERS:
            module.build_week = self._build_week
        cp_model.CpSolver.solve = self._solve

    def weeks(self) -> dict[int, list[Step]]:
        """Each planned week's steps, in order (the explanation's guarded models left out)."""
        out: dict[int, list[Step]] = {}
        for step in self.steps:
            if not step.guarded:
                out.setdefault(step.week, []).append(step)
        return out


@dataclass
class WeekResult:
    build_s: float
    search_s: float


def week_result(steps: list[Step]) -> WeekResult:
    """One week's times: its model builds and its searches."""
    return WeekResult(
        build_s=sum(s.seconds for s in steps if not s.searched),
        search_s=sum(s.seconds for s in steps if s.searched),
    )


def first_plans(events: list[Progress]) -> dict[int, float]:
    """Seconds from each week's start to its first plan: the first better week its search
    reported, or the week's end when it came from another search (the last build week's
    sessions again, or the rules alone)."""
    started, first = {}, {}
    for e in events:
        if e.event == "start":
            started[e.week] = e.seconds
        elif e.week not in first and (e.event == "solution" or e.done.status in FOUND):
            first[e.week] = e.seconds - started[e.week]
    return first


def measure(instance: Instance, time_limit: float | None = None, seed: int = 0) -> dict:
    """Run the product on ``instance`` once and return the row of figures."""
    catalog = load(instance.catalog)
    options = instance.options(time_limit, seed)
    return measure_plan(catalog, instance.profile(), instance.key, options)


def measure_plan(catalog: Catalog, profile: Profile, key: str, options: SolverOptions) -> dict:
    """Run the product on ``catalog`` for ``profile`` once and return the row of figures."""
    allowed = len(profile.allowed(catalog))
    base_mb = peak_rss_mb()
    plan, error, events = None, "", []

    with SolveProbe() as probe:
        started = time.perf_counter()
        try:
            plan = solve(catalog, profile, progress=events.append, options=options)
        except NoPlan as err:
            error = str(err)
        seconds = time.perf_counter() - started
    if not probe.steps:
        raise RuntimeError("planner.solve no longer builds weeks with build_week: update BUILDERS")
    weeks = {w: week_result(steps) for w, steps in sorted(probe.weeks().items())}
    # When the time runs out part-way, planner.solve returns the weeks planned so far.
    planned = plan.profile.weeks if plan else 0
    complete = planned == profile.weeks
    firsts = first_plans(events)
    done = [e.done for e in events if e.done is not None]
    status = plan.status.value if plan else "no plan"
    if plan and not complete:
        status = f"partial {planned}/{profile.weeks}"
    # Checked against the profile it was planned for: all weeks, or the weeks returned.
    violations = len(check_plan(plan)) if plan else math.nan
    objective = plan.objective if complete else math.nan
    bound = plan.bound if complete else math.nan
    return {
        "instance": key,
        "exercises": allowed,
        "time_limit": options.time_limit,
        "budget": options.budget,
        "seed": options.seed,
        "status": status,
        "seconds": seconds,
        "build_s": sum(w.build_s for w in weeks.values()),
        "search_s": sum(w.search_s for w in weeks.values()),
        "first_s": sum(firsts.values()) if complete else math.nan,
        "objective": objective,
        "bound": bound,
        "gap": _gap(objective, bound),
        "weeks_optimal": sum(w.status is Status.OPTIMAL for w in done),
        "violations": violations,
        "base_mb": base_mb,
        "peak_mb": peak_rss_mb(),
        "error": error,
    }


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB.

    Linux's VmHWM starts afresh at exec; ru_maxrss does not (a child started from a large
    parent reports at least the parent's size), so it is only the fallback."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _gap(objective: float, bound: float) -> float:
    """Plan.gap's definition: |objective - bound| / max(|objective|, 1)."""
    if math.isnan(objective):
        return math.nan
    return abs(objective - bound) / max(abs(objective), 1.0)


def run_isolated(instance: Instance, time_limit: float | None = None, seed: int = 0) -> dict:
    """``measure`` in a fresh interpreter; a crash or an overrun becomes the row's status."""
    limit = instance.time_limit if time_limit is None else time_limit
    request = json.dumps({"key": instance.key, "time_limit": limit, "seed": seed})
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bench.measure", request],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=3 * limit + 120,  # the outer guard solver-notes asks for
        )
    except subprocess.TimeoutExpired:
        return {"instance": instance.key, "time_limit": limit, "status": "timeout"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"instance": instance.key, "time_limit": limit, "status": "crashed", "error": last}
    return json.loads(lines[-1])


def main() -> None:
    request = json.loads(sys.argv[1])
    row = measure(Instance.from_key(request["key"]), request.get("time_limit"), request["seed"])
    print(json.dumps(row))


if __name__ == "__main__":
    main()
