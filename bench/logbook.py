"""The training log's targets (issue 17): ``planner log session`` within 0.5 s and
``planner log show`` within 1 s for one person, whole processes, on a logbook of 5 years of
daily logs for 100 people.

``synthetic_logbook`` makes that file fast: the schema by ``Logbook.open``, then people, plans
(one every 4 weeks, a session every day of 6 exercises) and log entries (each day a session
entry and one entry per exercise, a few skipped) by ``executemany``, rows as ``record_plan``
and ``planner log session`` write them. ``log_table`` times the two commands on it.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from planner.logbook import Logbook

PEOPLE, YEARS = 100, 5
START = dt.date(2022, 1, 3)  # a Monday
EXERCISES = (  # (id, sets, reps, hold_s, seconds, load) of a day's session, in order
    ("cat_camel", 1, 10, 0, 60, 2.0),
    ("half_kneeling_hip_flexor_stretch", 2, 1, 30, 160, 8.0),
    ("figure_four_stretch", 2, 1, 30, 160, 5.3),
    ("glute_bridge", 2, 12, 2, 230, 19.2),
    ("dead_bug", 2, 8, 0, 206, 13.7),
    ("bird_dog", 3, 5, 10, 270, 18.0),
)
PLAN_WEEKS = 4
# (command, arguments after the logbook's, runs, target seconds)
CASES = (
    ("log session", ("--rpe", "5", "--pain", "2", "--skip", "dead_bug"), 5, 0.5),
    ("log show", (), 5, 1.0),
)


def synthetic_logbook(path: Path, people: int = PEOPLE, years: int = YEARS, seed: int = 0):
    """Write the synthetic logbook to ``path``: ``people`` people (p000, p001, ...), each with
    ``years`` of plans and daily logs. The last day logged."""
    rng = random.Random(seed)
    days = 365 * years
    plans = -(-days // (7 * PLAN_WEEKS))
    Logbook.open(path).close()  # the schema, at the current version
    with Logbook.open(path) as book:
        conn = book.conn
        conn.execute("PRAGMA synchronous = OFF")  # a scratch file: no need to survive a crash
        with conn:
            conn.executemany(
                "INSERT INTO person (id, name) VALUES (?, ?)",
                [(p + 1, f"p{p:03d}") for p in range(people)],
            )
            plan_rows, planned_rows, entry_rows = [], [], []
            planned_id = 0
            for p in range(people):
                for k in range(plans):
                    plan_id = p * plans + k + 1
                    first = START + dt.timedelta(weeks=PLAN_WEEKS * k)
                    plan_rows.append(
                        (plan_id, p + 1, "{}", "0" * 64, 1 + PLAN_WEEKS * k, PLAN_WEEKS, str(first))
                    )
                    for d in range(7 * PLAN_WEEKS):
                        date = first + dt.timedelta(days=d)
                        if (date - START).days >= days:
                            break
                        iso = date.isoformat()
                        week = 1 + PLAN_WEEKS * k + d // 7
                        rpe = rng.randint(3, 7)
                        entry_rows.append(
                            (p + 1, iso, None, None, None, None, None, rpe, rng.randint(0, 4),
                             None, "", 0, f"session:p{p:03d}:{iso}")
                        )  # fmt: skip
                        for position, (ex, sets, reps, hold, seconds, load) in enumerate(
                            EXERCISES, 1
                        ):
                            planned_id += 1
                            planned_rows.append(
                                (planned_id, plan_id, week, date.weekday(), iso, position, ex,
                                 sets, reps, hold, seconds, load)
                            )  # fmt: skip
                            skipped = rng.random() < 0.1
                            entry_rows.append(
                                (p + 1, iso, ex, planned_id, None if skipped else sets,
                                 None if skipped else reps, None if skipped or not hold else hold,
                                 None, None, None, "", int(skipped),
                                 f"session:p{p:03d}:{iso}:{planned_id}")
                            )  # fmt: skip
            conn.executemany(
                "INSERT INTO plan (id, person_id, options_json, catalog_hash, first_week, weeks,"
                " start) VALUES (?, ?, ?, ?, ?, ?, ?)",
                plan_rows,
            )
            conn.executemany(
                "INSERT INTO planned (id, plan_id, week, day, date, position, exercise_id, sets,"
                " reps, hold_s, seconds, load) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                planned_rows,
            )
            conn.executemany(
                "INSERT INTO entry (person_id, date, exercise_id, planned_id, sets, reps, hold_s,"
                " session_rpe, pain_during, pain_next_morning, note, skipped, imported_key)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                entry_rows,
            )
        conn.execute("ANALYZE")
        counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("person", "plan", "planned", "entry")
        }
    return START + dt.timedelta(days=days - 1), counts


def log_table(repeats: int = 5) -> pd.DataFrame:
    """Each log command's whole process on the synthetic logbook: median and slowest of its
    runs against its target. ``log session`` logs the last day again (replacing it)."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-log-") as folder:
        path = Path(folder) / "planner.db"
        started = time.perf_counter()
        last, counts = synthetic_logbook(path)
        made_s = time.perf_counter() - started
        size_mb = path.stat().st_size / 1e6
        for command, extra, runs, target in CASES:
            args = [*command.split(), "--db", str(path), "--person", "p042"]
            if command == "log session":
                args += [last.isoformat()]
            args += list(extra)
            times, lines, status = [], 0, ""
            for _ in range(min(runs, repeats)):
                began = time.perf_counter()
                done = subprocess.run(
                    [sys.executable, "-m", "planner", *args], capture_output=True, text=True
                )
                times.append(time.perf_counter() - began)
                lines = len(done.stdout.splitlines())
                status = "ok" if done.returncode == 0 else done.stderr.strip()[:60]
            median = statistics.median(times)
            rows.append(
                {
                    "command": command,
                    "people": counts["person"],
                    "entries": counts["entry"],
                    "planned": counts["planned"],
                    "db_mb": round(size_mb),
                    "made_s": round(made_s, 1),
                    "runs": len(times),
                    "lines": lines,
                    "status": status,
                    "median_s": round(median, 3),
                    "max_s": round(max(times), 3),
                    "target_s": target,
                    "met": "yes" if median <= target and status == "ok" else "NO",
                }
            )
    return pd.DataFrame(rows)


if __name__ == "__main__":
    print(log_table().to_string(index=False))
