"""``planner serve`` under a real server (uvicorn on a free port of 127.0.0.1, through
``planner.web.server.serving``), timed with urllib as a browser would ask: the plan page and
today's session of a 12-week plan already solved (target 200 ms), a 4-week plan solved and
shown (target 2 s: from the request that starts the solve to the page showing the plan), and 50
concurrent page requests, no solves (target: every one under 1 s). The machine may be shared:
the table says what was measured, not what an idle machine would give."""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd

from planner.profile import Profile, SolverOptions
from planner.screening import IDS, Screening
from planner.web import Site
from planner.web.server import serving

PAGE_TARGET_S, SOLVE_TARGET_S, CONCURRENT_TARGET_S = 0.2, 2.0, 1.0
CONCURRENT = 50
DAYS = ("mon", "wed", "fri")
PAGES = ("/plan", "/today", "/profile", "/screen")


def _profile(weeks: int) -> Profile:
    screening = Screening(dict.fromkeys(IDS, False))
    return Profile.for_level(
        "beginner", days=DAYS, weeks=weeks, start=dt.date.today(), screening=screening
    )


def _get(url: str) -> float:
    """Seconds to fetch ``url`` whole (status 200 required)."""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as answer:
        answer.read()
        assert answer.status == 200, (url, answer.status)
    return time.perf_counter() - started


def _row(case: str, times: list[float], target: float, stat: str = "median") -> dict:
    value = statistics.median(times) if stat == "median" else max(times)
    return {
        "case": case,
        "requests": len(times),
        "stat": stat,
        "seconds": round(value, 3),
        "target_s": target,
        "met": "yes" if value <= target else "NO",
    }


def serve_table(repeats: int) -> pd.DataFrame:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        site = Site(Path(tmp, "solved.db"))
        site.keep_profile(_profile(12))
        solved = site.plan(_profile(12), SolverOptions()).future.result()
        assert len({e.week for e in solved.plan.entries}) == 12, "every week planned"
        with serving(site) as base:
            _get(f"{base}/plan")  # templates compiled, the report's fonts loaded
            for page in PAGES:
                times = [_get(f"{base}{page}") for _ in range(max(repeats, 5))]
                rows.append(_row(f"GET {page}, 12-week plan solved", times, PAGE_TARGET_S))
            with ThreadPoolExecutor(CONCURRENT) as pool:
                urls = [f"{base}{PAGES[n % len(PAGES)]}" for n in range(CONCURRENT)]
                times = list(pool.map(_get, urls))
            rows.append(
                _row(f"{CONCURRENT} concurrent GETs", times, CONCURRENT_TARGET_S, stat="max")
            )
        solves = []
        for n in range(max(repeats, 1)):
            fresh = Site(Path(tmp, f"fresh{n}.db"))
            fresh.keep_profile(_profile(4))
            with serving(fresh) as base:
                started = time.perf_counter()
                job = fresh.plan(_profile(4), SolverOptions())
                while b'id="load-chart"' not in urllib.request.urlopen(f"{base}/plan").read():
                    time.sleep(0.05)
                solves.append(time.perf_counter() - started)
                assert job.state == "done"
        rows.append(_row("4-week plan solved and shown", solves, SOLVE_TARGET_S))
    return pd.DataFrame(rows)
