"""The log CSV: a plan CSV (``planner plan --csv``) with what was done filled in, which
``planner log import`` reads, and which ``planner log export`` writes back out.

Columns: the plan CSV's (``planner.plan.COLUMNS``), then ``LOG_COLUMNS``. A row is logged
when its ``done`` cell says yes (``yes``, ``1``, ``true``, ``x``) or no (``no``, ``0``,
``false``: planned but skipped); an empty one is not logged yet. ``rpe`` is how hard it felt
(CR-10, 0-10): in a plan CSV it holds the exercise's planned RPE, so a row left as it is says
"as planned". ``sets_done``, ``reps_done`` and ``hold_s_done`` default, on a row done, to the
planned ``sets``, ``reps`` and ``hold_s``. A row with no ``exercise_id`` is a whole session
(what ``planner log session`` logs besides its exercises).

Each row's key is the person, date, exercise and order (and which such row of the file it is,
for rows alike), so importing a file twice logs it once. Nothing here prints or writes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from planner.logbook import LogEntry, Planned
from planner.screening import BY_ID as SCREENING_QUESTIONS

LOG_COLUMNS = (
    "done",
    "sets_done",
    "reps_done",
    "hold_s_done",
    "pain",
    "pain_next",
    "note",
    "red_flag",
)
REQUIRED = ("date", "exercise_id", "order", "done")
YES, NO = ("yes", "y", "1", "true", "x"), ("no", "n", "0", "false")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # as planner.plan's (kept light here)
KEY_PREFIX = "import"


class LogFileError(ValueError):
    """A log CSV that cannot be read: one line naming file, row (its line) and column."""


@dataclass(frozen=True)
class LogRow:
    """One row of a log CSV, checked: where it is, what it matches, and what was logged
    (``done`` None: not logged yet)."""

    line: int
    date: dt.date | None
    exercise_id: str | None
    order: int | None
    done: bool | None
    sets: int | None
    reps: int | None
    hold_s: int | None
    sets_done: int | None
    reps_done: int | None
    hold_s_done: int | None
    rpe: int | None
    pain: int | None
    pain_next: int | None
    note: str
    red_flag: str

    def entry(self, person: str, occurrence: int, planned: Planned | None) -> LogEntry:
        """The entry this row logs; ``occurrence`` counts the rows of the file alike in date,
        exercise and order, from 1."""
        assert self.done is not None and self.date is not None
        done = self.done

        def dose(given: int | None, planned: int | None) -> int | None:
            return given if given is not None or not done else planned

        hold = dose(self.hold_s_done, self.hold_s)
        key = ":".join(
            [
                KEY_PREFIX,
                person,
                self.date.isoformat(),
                self.exercise_id or "session",
                str(self.order or ""),
                str(occurrence),
            ]
        )
        return LogEntry(
            self.date,
            self.exercise_id,
            sets=dose(self.sets_done, self.sets),
            reps=dose(self.reps_done, self.reps),
            hold_s=None if hold == 0 and self.hold_s_done is None else hold,
            session_rpe=self.rpe,
            pain_during=self.pain,
            pain_next_morning=self.pain_next,
            note=self.note,
            skipped=not done,
            planned_id=planned.id if planned else None,
            imported_key=key,
            red_flag=self.red_flag,
        )


def read_log(path: str | Path, known: Callable[[str], bool]) -> list[LogRow]:
    """Every row of the log CSV at ``path``, checked; ``known`` says whether an exercise id is
    in the catalogue. ``LogFileError`` at the first problem, naming file, row and column."""
    name = str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as err:
        raise LogFileError(f"{name}: cannot be read ({err.strerror})") from None
    except UnicodeDecodeError:
        raise LogFileError(f"{name}: is not UTF-8 text; save it as CSV (UTF-8)") from None
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    rows = []
    try:
        header = reader.fieldnames or []
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise LogFileError(
                f"{name}:1: missing column {missing[0]!r}; a log CSV is a plan CSV (planner plan"
                f" --csv) with a done column added (yes, no, or empty: not logged yet)"
            )
        line = reader.line_num + 1
        for record in reader:
            if any((v or "").strip() for v in record.values() if isinstance(v, str)):
                rows.append(_row(record, f"{name}:{line}", line, known))
            line = reader.line_num + 1
    except csv.Error as err:
        raise LogFileError(f"{name}:{reader.line_num}: {err}") from None
    return rows


def _row(record: Mapping[str, str], where: str, line: int, known: Callable[[str], bool]) -> LogRow:
    def cell(column: str, strip: bool = True) -> str:
        raw = record.get(column) or ""
        raw = raw.strip() if strip else raw
        if raw.startswith("'") and raw[1:].lstrip("'").startswith(FORMULA_STARTS):
            raw = raw[1:]  # undo an export's formula neutralising
        return raw

    def whole(column: str, low: int = 0, high: int | None = None) -> int | None:
        raw = cell(column)
        if not raw:
            return None
        if raw.isascii() and raw.isdigit() and len(raw) <= 6:
            value = int(raw)
            if value >= low and (high is None or value <= high):
                return value
        within = f"from {low} to {high}" if high is not None else f"{low} or more"
        raise LogFileError(f"{where}: column {column}: {raw[:20]!r} is not a whole number {within}")

    done_text = cell("done").lower()
    if done_text and done_text not in YES + NO:
        raise LogFileError(
            f"{where}: column done: {cell('done')[:20]!r} is not yes or no; allowed: yes, no,"
            " 1, 0, true, false, x, or empty (not logged yet)"
        )
    done = None if not done_text else done_text in YES
    date = None
    if cell("date"):
        try:
            date = dt.date.fromisoformat(cell("date"))
        except ValueError:
            raise LogFileError(
                f"{where}: column date: {cell('date')[:20]!r} is not a date; allowed: YYYY-MM-DD"
            ) from None
    elif done is not None:
        raise LogFileError(
            f"{where}: column date: empty; a logged row needs its date (plan with --start to"
            " get dates)"
        )
    exercise_id = cell("exercise_id") or None
    if exercise_id is not None and not known(exercise_id):
        raise LogFileError(
            f"{where}: column exercise_id: {exercise_id[:40]!r} is not in the catalogue;"
            " planner catalog lists its exercises"
        )
    red_flag = cell("red_flag")
    if red_flag and red_flag not in SCREENING_QUESTIONS:
        raise LogFileError(
            f"{where}: column red_flag: {red_flag[:40]!r} is not a screening question id;"
            " allowed: empty, or an id planner screen asks (e.g. fever)"
        )
    return LogRow(
        line=line,
        date=date,
        exercise_id=exercise_id,
        order=whole("order", 1),
        done=done,
        sets=whole("sets"),
        reps=whole("reps"),
        hold_s=whole("hold_s"),
        sets_done=whole("sets_done"),
        reps_done=whole("reps_done"),
        hold_s_done=whole("hold_s_done"),
        rpe=whole("rpe", 0, 10),
        pain=whole("pain", 0, 10),
        pain_next=whole("pain_next", 0, 10),
        note=cell("note", strip=False),
        red_flag=red_flag,
    )


def log_entries(rows: list[LogRow], person: str, schedule: list[Planned]) -> list[LogEntry]:
    """The entries the logged rows make, each matched to its planned row of ``schedule`` by
    date, exercise and order when there is one."""
    planned = {(p.date, p.exercise_id, p.position): p for p in schedule}
    seen: dict[tuple, int] = {}
    entries = []
    for row in rows:
        alike = (row.date, row.exercise_id, row.order)
        seen[alike] = seen.get(alike, 0) + 1
        if row.done is None:
            continue
        entries.append(row.entry(person, seen[alike], planned.get(alike)))
    return entries


def log_csv(
    entries: list[LogEntry],
    planned: Mapping[int, Planned],
    facts: Callable[[str], dict[str, str]],
    columns: tuple[str, ...],
) -> str:
    """Entries as log CSV text (RFC 4180), one row each; a planned entry has its planned
    row's columns, ``facts`` gives an exercise's catalogue columns (name, role, groups,
    per_side) or {}. ``columns`` are the plan CSV's, which come first."""
    out = io.StringIO()
    # Line ends \r\n (RFC 4180): the csv module quotes only the characters of its line end,
    # and a note may hold a lone \r.
    writer = csv.DictWriter(out, fieldnames=[*columns, *LOG_COLUMNS], lineterminator="\r\n")
    writer.writeheader()
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    for e in entries:
        p = planned.get(e.planned_id) if e.planned_id is not None else None
        row: dict[str, object] = {
            "date": e.date.isoformat(),
            "exercise_id": e.exercise_id or "",
            **(facts(e.exercise_id) if e.exercise_id else {}),
            "rpe": _cell(e.session_rpe),
            "done": "no" if e.skipped else "yes",
            "sets_done": _cell(e.sets),
            "reps_done": _cell(e.reps),
            "hold_s_done": _cell(e.hold_s),
            "pain": _cell(e.pain_during),
            "pain_next": _cell(e.pain_next_morning),
            "note": _neutralised(e.note),
            "red_flag": e.red_flag,
        }
        if p is not None:
            row.update(
                week=p.week,
                day=days[p.day],
                order=p.position,
                sets=p.sets,
                reps=p.reps,
                hold_s=p.hold_s,
                minutes=_cell(None if p.seconds is None else round(p.seconds / 60, 2)),
                load=_cell(None if p.load is None else round(p.load, 1)),
            )
        writer.writerow({c: row.get(c, "") for c in writer.fieldnames})
    return out.getvalue()


def _cell(value: object) -> object:
    return "" if value is None else value


def _neutralised(text: str) -> str:
    """Text a spreadsheet would run as a formula gets ' before it, and so does text that
    already has such a ' (``read_log`` takes one off again)."""
    return f"'{text}" if text.lstrip("'").startswith(FORMULA_STARTS) else text
