"""The best-known objective of each instance, kept in the committed ``bench/best_known.csv``.

``python bench/run.py --record-best`` runs the product on every instance with a long time
limit (``RECORD_SECONDS``) and keeps, per instance, the better of that run and the row
already on file; with ``--reset`` the run's row replaces the file's, for when the objective
itself has changed and the old rows measure something else. A normal run reads the file to
print the gap to the best-known objective.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path

from bench.instances import Instance

FILE = Path(__file__).resolve().parent / "best_known.csv"
COLUMNS = ("instance", "objective", "bound", "seconds", "time_limit", "seed", "date")
# Seconds the long run gives an instance: 120, and 600 (the planner's maximum) for 52 weeks.
RECORD_SECONDS = {52: 600.0}
DEFAULT_RECORD_SECONDS = 120.0


def record_seconds(instance: Instance) -> float:
    return RECORD_SECONDS.get(instance.weeks, DEFAULT_RECORD_SECONDS)


def read(path: Path = FILE) -> dict[str, dict]:
    """instance key -> its row, with objective and bound as floats."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return {
        r["instance"]: {**r, "objective": float(r["objective"]), "bound": float(r["bound"])}
        for r in rows
    }


def better(row: dict, known: dict | None) -> bool:
    """True when a measured row has a lower objective (or a higher bound) than ``known``."""
    if math.isnan(row.get("objective", math.nan)):
        return False
    if known is None:
        return True
    return row["objective"] < known["objective"] or (
        row["objective"] == known["objective"] and row["bound"] > known["bound"]
    )


def merge(rows: list[dict], path: Path = FILE, reset: bool = False) -> dict[str, dict]:
    """Write the better of each measured row and the file's, and return the merged table.
    With ``reset`` the file's row of a measured instance is dropped first: the measured row
    takes its place, or none when the run found no complete plan."""
    table = read(path)
    today = dt.date.today().isoformat()
    for row in rows:
        if reset:
            table.pop(row["instance"], None)
        if better(row, table.get(row["instance"])):
            table[row["instance"]] = {
                "instance": row["instance"],
                "objective": row["objective"],
                "bound": row["bound"],
                "seconds": round(row["seconds"], 2),
                "time_limit": row["time_limit"],
                "seed": row.get("seed", 0),
                "date": today,
            }
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for key in sorted(table):
            writer.writerow({c: table[key].get(c, 0) for c in COLUMNS})  # no seed: 0
    return table


def within(objective: float, known: dict | None, share: float) -> bool:
    """True when ``objective`` is within ``share`` of the best known: by ratio when the best
    is above 0; when it is 0, a share of it is 0 too, so only 0 itself is within."""
    if known is None or math.isnan(objective):
        return False
    best = known["objective"]
    return objective <= best + share * abs(best)


def versus_best(objective: float, known: dict | None) -> str:
    """The distance to the best known for people: "+4.8%" when the best is above 0; an
    absolute "+3 (best 0)" when it is 0, where a percentage would mean nothing."""
    if known is None or math.isnan(objective):
        return "-"
    best = known["objective"]
    if math.isinf(objective):
        return "no plan"
    if best == 0:
        return f"{objective - best:+g} (best 0)"
    return f"{(objective - best) / abs(best):+.1%}"
