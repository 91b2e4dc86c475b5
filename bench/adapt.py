"""``adapt``: the whole ``planner plan --adapt`` process for the next 4 weeks after a log of 12
weeks (shipped catalogue, intermediate), for simulated people: one who did everything, one who
skipped the last week, one whose last week felt far harder than planned, one whose knee-drive
hurt. Median wall time of N runs against the issue's 1.5 s target, with a plain ``planner
plan`` of the same 4 weeks in the same run as the baseline.
"""

from __future__ import annotations

import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd

from planner import Profile, load_catalog, solve
from planner.logbook import Logbook, LogEntry, catalog_hash

TARGET_S = 1.5
START = dt.date(2026, 1, 5)  # a Monday
WEEKS = 12
LEVEL = "intermediate"


def _entries(schedule, person: str) -> list[LogEntry]:
    """Every planned exercise logged as done (``person`` says how it went)."""
    last = max(p.week for p in schedule)
    out = []
    for p in schedule:
        if person == "skipped the last week" and p.week == last:
            continue
        entry = LogEntry(p.date, p.exercise_id, sets=p.sets, planned_id=p.id)
        if person == "over-reached" and p.week == last:
            entry = replace(entry, session_rpe=9)
        if person == "sore knee-drive" and p.exercise_id == "standing_knee_drive":
            entry = replace(entry, pain_during=6)
        out.append(entry)
    return out


def timed_runs(command: list[str], repeats: int) -> tuple[list[float], int]:
    """Wall-clock seconds of ``repeats`` runs of ``command`` as a whole process, and the
    last run's exit code."""
    times, code = [], 0
    for _ in range(repeats):
        started = time.perf_counter()
        code = subprocess.run(command, capture_output=True, text=True).returncode
        times.append(time.perf_counter() - started)
    return times, code


PEOPLE = ("did everything", "skipped the last week", "over-reached", "sore knee-drive")


def adapt_table(repeats: int) -> pd.DataFrame:
    catalog = load_catalog()
    profile = Profile.for_level(LEVEL, weeks=WEEKS, start=START)
    plan = solve(catalog, profile)
    after = START + dt.timedelta(weeks=WEEKS)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        base = [sys.executable, "-m", "planner", "plan", "--level", LEVEL, "--quiet"]
        base += ["--weeks", "4", "--start", after.isoformat()]
        cases = [("plain plan (baseline)", base)]
        for person in PEOPLE:
            db = Path(folder) / f"{person}.db"
            with Logbook.open(db) as book:
                book.record_plan("me", plan, catalog_hash(catalog.source))
                book.add_entries("me", _entries(book.schedule("me"), person))
            cases.append((person, [*base, "--adapt", "--db", str(db)]))
        for name, command in cases:
            times, code = timed_runs(command, repeats)
            median = statistics.median(times)
            rows.append(
                {
                    "person": name,
                    "log_weeks": 0 if name.startswith("plain") else WEEKS,
                    "runs": repeats,
                    "exit": code,
                    "median_s": round(median, 3),
                    "max_s": round(max(times), 3),
                    "target_s": TARGET_S,
                    "met": "yes" if median <= TARGET_S and code == 0 else "NO",
                }
            )
    return pd.DataFrame(rows)
