"""Solves off the request thread: a page asks for a plan, polls its progress and shows it when
done. A job is keyed by the plan's inputs, so a second request for the same plan joins the
solve already running (or done) instead of starting another."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from planner.solve import Progress

# One solve at a time: CP-SAT uses the cores itself, and two at once would both be slower.
WORKERS = 1


@dataclass
class Job:
    """One solve: its future and the latest progress its hook reported."""

    key: Hashable
    future: Future = field(default_factory=Future)
    progress: Progress | None = None

    @property
    def state(self) -> str:
        """'running', 'done' or 'failed' (the error's one line in ``error``)."""
        if not self.future.done():
            return "running"
        return "failed" if self.future.exception() is not None else "done"

    @property
    def error(self) -> str:
        err = self.future.exception() if self.future.done() else None
        return str(err) if err is not None else ""

    def status(self) -> dict:
        """What the progress endpoint sends: the state, the week and the seconds so far."""
        p = self.progress
        return {
            "state": self.state,
            "week": p.week if p else None,
            "last_week": p.last_week if p else None,
            "seconds": round(p.seconds, 1) if p else 0.0,
            "error": self.error,
        }


class Jobs:
    """The solves of one app, by key; ``close`` cancels those not started."""

    def __init__(self, workers: int = WORKERS) -> None:
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="planner-solve")
        self._jobs: dict[Hashable, Job] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Job | None:
        return self._jobs.get(key)

    def start(self, key: Hashable, work: Callable[[Callable[[Progress], None]], Any]) -> Job:
        """The job for ``key``: the one running or done (a failed one is started again), or a
        new one running ``work(progress_hook)`` on the pool."""
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and job.state != "failed":
                return job
            job = Job(key)

            def hook(progress: Progress) -> None:
                job.progress = progress

            job.future = self._pool.submit(work, hook)
            self._jobs[key] = job
            return job

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
