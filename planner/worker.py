"""What a worker process of ``planner batch``'s local Dask cluster does on starting: take a core
of its own. Imported by ``planner.batch.DaskEngine`` only (it needs Dask).

A task's CP-SAT search runs two interleaved search threads, as ``planner plan``'s does (one
would give other plans). Left to the operating system, two workers' four threads contend for
two cores and a task takes about twice as long, so two workers planned no faster than one
(bench/batch.py). Pinned, each worker's two threads share its core: 12 four-week programmes
took 3.96 s alone, 3.98 s pinned to one core, 5.2-5.5 s with two pinned processes side by side
and 6.8-6.9 s with two unpinned ones (2 cores). The plans are the same bytes either way: the
search's time is deterministic.
"""

from __future__ import annotations

import os

from distributed.diagnostics.plugin import WorkerPlugin


class OneCore(WorkerPlugin):
    """Pins the worker's process, every thread of it, to one core, the worker's number modulo
    the cores the process may use (a local cluster numbers its workers 0, 1, ...). Run again
    when a worker is restarted. Does nothing where the system cannot pin (not Linux)."""

    name = "planner-one-core"

    def setup(self, worker) -> None:
        if not hasattr(os, "sched_setaffinity") or not os.path.isdir("/proc/self/task"):
            return
        cores = sorted(os.sched_getaffinity(0))
        core = cores[int(worker.name) % len(cores)]
        for thread in os.listdir("/proc/self/task"):  # threads made later inherit it
            try:
                os.sched_setaffinity(int(thread), {core})
            except OSError:  # a thread that has just ended
                continue
