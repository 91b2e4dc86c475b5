"""``batch``: ``planner batch`` on synthetic clients, a sequential loop against Dask with 1
and 2 workers, in one run on the same clients.

Clients: all three levels, 2-7 sessions a week, 4-week programmes on the shipped catalogue,
seeds 0, 1, ... so that repeated profiles get plans of their own (levels cycle fastest, then
sessions, then the seed). Some of these profiles have no plan (beginner 6 sessions: the rules
clash, and naming the clash is the slowest task of all); they are counted, as a practice's
batch would meet them.

Each row runs ``planner.batch.Batch`` into a fresh folder: the sequential loop in a fresh
process of its own (so that its peak memory is a worker's, not this process's), the Dask rows
on a ``LocalCluster`` of single-threaded worker processes. Columns:

- ``per_min``: clients done a minute, from the batch's wall time (cluster start and stop not
  included: ``start_s``); ``vs_seq``: that against the sequential loop's.
- ``task_s``: a task's mean time on its worker (solve, validator, CSV), ``cpu_s``: the CPU
  seconds a client took, every process of the run added up (CP-SAT's search runs two
  interleaved workers, so a task uses more than one core at times).
- ``overhead_ms``: the worker time a client took beyond its task's own, (workers x wall - sum
  of the tasks) / clients: the scheduler, sending the task and its result, and workers idle
  while the last tasks finish; ``overhead_pct`` the same against ``task_s``.
- ``write_ms``: writing a client's folder in the submitting process (fsynced files, renamed
  folder): what bounds one submitting process however many workers there are.
- ``peak_mb``: the largest peak resident memory of one worker process.
- ``same_plans``: every plan.csv byte-identical to the sequential loop's.
- ``load_1m``: the machine's 1-minute load average as the row ended (other work on it).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import resource
import tempfile
import time
from pathlib import Path

import pandas as pd

from planner import load_catalog
from planner.batch import Batch, Client, DaskEngine, Sequential
from planner.catalog import Catalog
from planner.profile_file import load_settings

LEVELS = ("beginner", "intermediate", "advanced")
SESSIONS = tuple(range(2, 8))
WEEKS = 4
CLIENTS = 200
QUICK_CLIENTS = 36  # each level and session count twice
WORKERS = (1, 2)


def synthetic_clients(count: int) -> list[Client]:
    """``count`` clients: levels cycling fastest, then sessions 2-7, then the seed."""
    clients = []
    for i in range(count):
        level = LEVELS[i % len(LEVELS)]
        sessions = SESSIONS[(i // len(LEVELS)) % len(SESSIONS)]
        seed = i // (len(LEVELS) * len(SESSIONS))
        profile, options = load_settings(
            None, level=level, sessions=sessions, weeks=WEEKS, seed=seed
        )
        source = f"synthetic {level}, {sessions} sessions, seed {seed}"
        clients.append(Client(f"c{i:05d}", source, profile, options))
    return clients


def batch_table(count: int = CLIENTS, workers: tuple[int, ...] = WORKERS) -> pd.DataFrame:
    """The table: the sequential loop, then Dask with each number of ``workers``."""
    clients = synthetic_clients(count)
    catalog = load_catalog()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        spawn = multiprocessing.get_context("spawn")
        with spawn.Pool(1) as pool:
            runs = [pool.apply(_sequential, (clients, catalog, root / "sequential"))]
        runs += [_dask(clients, catalog, root / f"dask-{n}", n) for n in workers]
    baseline = runs[0]
    rows = []
    for run in runs:
        per_min = run["clients"] / run["wall_s"] * 60
        task_s = run["task_s"] / run["clients"]
        overhead = (run["workers"] * run["wall_s"] - run["task_s"]) / run["clients"]
        rows.append(
            {
                "engine": run["engine"],
                "workers": run["workers"],
                "clients": run["clients"],
                "planned": run["planned"],
                "no_plan": run["failed"],
                "start_s": round(run["start_s"], 2),
                "wall_s": round(run["wall_s"], 1),
                "per_min": round(per_min, 1),
                "vs_seq": round(per_min / (baseline["clients"] / baseline["wall_s"] * 60), 2),
                "task_s": round(task_s, 3),
                "cpu_s": round(run["cpu_s"] / run["clients"], 3),
                "overhead_ms": round(overhead * 1000, 1),
                "overhead_pct": round(overhead / task_s * 100, 2),
                "write_ms": round(run["write_s"] / max(run["planned"], 1) * 1000, 2),
                "peak_mb": round(run["peak"] / 2**20),
                "same_plans": "yes" if run["plans"] == baseline["plans"] else "NO",
                "load_1m": run["load"],
            }
        )
    return pd.DataFrame(rows)


def _sequential(clients: list[Client], catalog: Catalog, out: Path) -> dict:
    """The batch as a plain loop, in this (fresh) process."""
    _warm()
    with Sequential() as engine:
        summary = Batch(clients, catalog, out).run(engine)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return _run("sequential loop", 1, 0.0, summary, out, _cpu_seconds()) | {"peak": peak}


def _dask(clients: list[Client], catalog: Catalog, out: Path, workers: int) -> dict:
    """The batch on a LocalCluster of ``workers`` processes."""
    started = time.perf_counter()
    engine = DaskEngine(workers=workers)
    with engine:
        engine.client.run(_warm)
        start = time.perf_counter() - started
        # the workers' CPU, and this process's: the scheduler runs here, and the writing
        before = sum(engine.client.run(_cpu_seconds).values()) + _cpu_seconds()
        summary = Batch(clients, catalog, out).run(engine)
        cpu = sum(engine.client.run(_cpu_seconds).values()) + _cpu_seconds() - before
        peak = max(engine.peak_memory().values())
        stopping = time.perf_counter()
    start += time.perf_counter() - stopping
    return _run("dask", workers, start, summary, out, cpu) | {"peak": peak}


def _warm() -> None:
    """Import what a task needs (OR-Tools above all) before the clock starts: every row's
    processes are then alike, and a long batch pays it once a worker anyway."""
    import planner.check
    import planner.export
    import planner.solve  # noqa: F401


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _run(engine: str, workers: int, start: float, summary, out: Path, cpu: float) -> dict:
    plans = {
        path.parent.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in out.glob("*/plan.csv")
    }
    return {
        "engine": engine,
        "workers": workers,
        "clients": len(summary.rows),
        "planned": summary.planned,
        "failed": summary.failed,
        "start_s": start,
        "wall_s": summary.seconds,
        "task_s": summary.task_seconds,
        "write_s": summary.write_seconds,
        "cpu_s": cpu,
        "plans": plans,
        "load": round(os.getloadavg()[0], 2),
    }
