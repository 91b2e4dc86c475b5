"""Malformed input for the robustness tests: seeded mutations of CSV text and bytes, the
hypothesis settings the fuzzing runs with, a loop that counts the tracebacks a loader gives,
and the plans the plan-file mutations start from."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path

from hypothesis import HealthCheck, settings


def fuzz(examples: int) -> settings:
    """Hypothesis settings: ``examples`` inputs, no per-example deadline (slow machines)."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# The two plans the plan-file fuzzing starts from: (profile settings, the same as options).
# The week's options are also the quick plan the option and output tests ask for.
PLAN_CASES = {
    "week": (
        dict(days=("mon", "wed", "fri"), weeks=1),
        ("--level", "beginner", "--days", "mon,wed,fri", "--weeks", "1"),
    ),
    "programme": (
        dict(weeks=4, start=dt.date(2026, 11, 30)),
        ("--level", "beginner", "--weeks", "4", "--start", "2026-11-30"),
    ),
}


# --- mutations ------------------------------------------------------------------------------

# Cell values that broke or could break a loader: numbers out of range or beyond int/float,
# NaN, quotes, delimiters, line breaks inside a cell, BOM, NUL and Unicode line separators.
NASTY = (
    "",
    " ",
    "-1",
    "0",
    "1.5",
    "+3",
    "1e309",
    "nan",
    "NaN",
    "inf",
    "9" * 40,
    "9" * 5000,
    "\ufeff",
    ";",
    ",",
    '"',
    "a\nb",
    "a\r\nb",
    "\x00",
    "\u2028",
    "\x85",
    "é",
    "=1+1",
    "true",
    "none;mat",
    "glutes;glutes",
    "x" * 300,
)
ALPHABET = "abz_09-.,;:\"'= \t\n\r\x00\ufeffé\u2028[]{}#"


def random_text(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 12)))


def _cells(line: str) -> list[str]:
    try:
        rows = list(csv.reader([line]))
    except csv.Error:
        rows = []
    return (rows[0] if rows else []) or [""]


def csv_line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()


def _replace_cell(lines, i, j, rng):
    cells = _cells(lines[i])
    cells[rng.randrange(len(cells))] = rng.choice(NASTY) if rng.random() < 0.7 else random_text(rng)
    lines[i] = csv_line(cells)


def insert_at(line: str, text: str, rng: random.Random) -> str:
    at = rng.randrange(len(line) + 1)
    return line[:at] + text + line[at:]


CSV_EDITS = (
    lambda lines, i, j, rng: lines.pop(i),
    lambda lines, i, j, rng: lines.insert(i, lines[j]),
    lambda lines, i, j, rng: lines.__setitem__(slice(None), _swapped(lines, i, j)),
    _replace_cell,
    _replace_cell,
    lambda lines, i, j, rng: lines.__setitem__(i, lines[i].replace(",", rng.choice(";\t|"))),
    lambda lines, i, j, rng: lines.__setitem__(i, insert_at(lines[i], '"', rng)),
    lambda lines, i, j, rng: lines.__setitem__(i, insert_at(lines[i], random_text(rng), rng)),
    lambda lines, i, j, rng: lines.__setitem__(i, lines[i].replace(",", ",,", 1)),
    lambda lines, i, j, rng: lines.insert(0, "\ufeff"),
    lambda lines, i, j, rng: lines.__setitem__(i, lines[i].replace("\n", "\r\n")),
)


def _swapped(lines: list[str], i: int, j: int) -> list[str]:
    out = list(lines)
    out[i], out[j] = out[j], out[i]
    return out


def mutate_csv(text: str, rng: random.Random) -> str:
    """``text`` after one to three random edits: a line deleted, duplicated or swapped; a cell
    set to nasty or random text; a wrong delimiter; a stray quote or characters; a BOM; CRLF."""
    for _ in range(rng.randint(1, 3)):
        lines = text.splitlines(keepends=True) or [""]
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        rng.choice(CSV_EDITS)(lines, i, j, rng)
        text = "".join(lines)
    return text


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    """``data`` truncated at a random byte, with random bytes overwritten (mostly not UTF-8),
    or behind a BOM."""
    edit = rng.randrange(3)
    if edit == 0:
        return data[: rng.randrange(len(data) + 1)]
    if edit == 1:
        out = bytearray(data)
        for _ in range(rng.randint(1, 5)):
            if out:
                out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out)
    return b"\xef\xbb\xbf" + data


def survey(path: Path, inputs, load) -> tuple[int, list[str]]:
    """Write each (bytes, extra arguments) input to ``path`` and call ``load(path, *extra)``:
    (inputs tried, a line per traceback)."""
    tried, crashes = 0, []
    for data, extra in inputs:
        path.write_bytes(data)
        tried += 1
        try:
            load(path, *extra)
        except Exception as err:  # any exception here is the finding
            crashes.append(f"{type(err).__name__}: {str(err)[:120]!r} from {data[:80]!r}")
    return tried, crashes
