"""Bad input told quickly: a catalogue of 24,000 bad rows and an import override table of
24,000 bad rows, each refused by a whole ``planner`` process in 21 lines (the first 20
problems and a count of the rest, exit 2), timed against 20 s (the limit the unit tests
once held; a wall-clock limit belongs here, not in a test that a loaded machine can fail).
"""

from __future__ import annotations

import csv
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from planner.catalog import load_catalog

ROWS = 24_000
TARGET_S = 20.0


def _bad_catalog(path: Path) -> None:
    """The shipped catalogue's first row ``ROWS`` times, each with an unknown level."""
    with open(load_catalog().source, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        header, first = reader.fieldnames, next(reader)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=header)
        writer.writeheader()
        for n in range(ROWS):
            writer.writerow({**first, "id": f"move_{n}", "level": "expert", "progression": ""})


def _bad_overrides(path: Path) -> None:
    """An override table of ``ROWS`` rows naming moves the source does not have."""
    rows = "".join(f"Move_{n},core\n" for n in range(ROWS))
    path.write_text("source_id,groups\n" + rows, encoding="utf-8")


def errors_table(repeats: int) -> pd.DataFrame:
    """Median wall time of each refusal over ``repeats`` runs, with its line count."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        catalog, overrides = Path(tmp, "bad.csv"), Path(tmp, "overrides.csv")
        _bad_catalog(catalog)
        _bad_overrides(overrides)
        cases = {
            "catalog of 24,000 bad rows": ["catalog", "--catalog", str(catalog)],
            "plan on that catalog": ["plan", "--catalog", str(catalog)],
            "import, 24,000 bad overrides": [
                *("catalog", "import", "free-exercise-db", "--overrides", str(overrides)),
                *("-o", str(Path(tmp, "out.csv"))),
            ],
        }
        for name, args in cases.items():
            times, lines, codes = [], set(), set()
            for _ in range(repeats):
                started = time.perf_counter()
                done = subprocess.run(
                    [sys.executable, "-m", "planner", *args], capture_output=True, text=True
                )
                times.append(time.perf_counter() - started)
                lines.add(len(done.stderr.splitlines()))
                codes.add(done.returncode)
            median = statistics.median(times)
            out.append(
                {
                    "case": name,
                    "runs": repeats,
                    "exit": "/".join(map(str, sorted(codes))),
                    "lines": "/".join(map(str, sorted(lines))),
                    "median_s": round(median, 2),
                    "target_s": TARGET_S,
                    "met": "yes" if median <= TARGET_S and codes == {2} else "NO",
                }
            )
    return pd.DataFrame(out)
