"""A finished plan: sessions of ordered entries, with doses, minutes and load.

``Plan.to_frame`` gives the CSV contract (one row per exercise per session); ``Plan.render``
the plain text a person reads (``planner.terminal`` draws the same as coloured tables).
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from planner import dose, ramp
from planner.catalog import ROLES, Exercise
from planner.profile import DAYS, Profile
from planner.ramp import NO_HISTORY, History

if TYPE_CHECKING:  # pandas takes a third of a second to import: only when a frame is asked for
    import pandas as pd

COLUMNS = (
    "week",
    "day",
    "date",
    "order",
    "exercise_id",
    "exercise",
    "role",
    "groups",
    "sets",
    "reps",
    "hold_s",
    "per_side",
    "minutes",
    "rpe",
    "load",
)

# A spreadsheet runs a cell starting with one of these as a formula (OWASP CSV injection);
# exports prefix such text cells with ' and ``read_plan`` takes the prefix off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Status(enum.Enum):
    OPTIMAL = "optimal"  # proven best for the objective
    FEASIBLE = "feasible"  # valid, stopped before proving it best
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"  # stopped before finding any plan


@dataclass(frozen=True)
class Entry:
    """One exercise in one session at one dose."""

    week: int
    day: int  # 0 = Monday
    order: int
    exercise: Exercise
    sets: int
    reps: int
    hold_s: int

    @property
    def seconds(self) -> int:
        e = self.exercise
        return dose.seconds(e.role, e.dose, self.sets, self.reps, self.hold_s, e.per_side)

    @property
    def load(self) -> float:
        """Session-RPE load in AU (R8): minutes x RPE."""
        return self.seconds / 60 * self.exercise.rpe


def sequence(entries: list[Entry]) -> tuple[Entry, ...]:
    """The order rule: release, stretch, mobility, then strength (Janda: length before
    strength), ties broken by the catalogue's order as given in ``entries``."""
    position = {id(e): i for i, e in enumerate(entries)}
    by_session: dict[tuple[int, int], list[Entry]] = {}
    for entry in entries:
        by_session.setdefault((entry.week, entry.day), []).append(entry)
    ordered = []
    for key in sorted(by_session):
        session = sorted(
            by_session[key], key=lambda e: (ROLES.index(e.exercise.role), position[id(e)])
        )
        ordered += [
            Entry(e.week, e.day, i, e.exercise, e.sets, e.reps, e.hold_s)
            for i, e in enumerate(session, 1)
        ]
    return tuple(ordered)


@dataclass(frozen=True)
class Plan:
    """A week (or more) of sessions, with how the solver got there."""

    profile: Profile
    entries: tuple[Entry, ...]
    status: Status = Status.FEASIBLE
    objective: float = 0.0  # what the sessions cost: the weighted sum of ``terms``
    bound: float = 0.0
    seconds: float = 0.0
    terms: dict[str, int] = field(default_factory=dict, compare=False)  # goal -> points (goals)
    history: History = NO_HISTORY  # the weeks before this plan (``--after``)

    @property
    def gap(self) -> float:
        """Relative distance between the plan's objective and the proven bound (inf when the
        objective is unknown)."""
        if math.isnan(self.objective):
            return math.inf
        if self.objective == self.bound:
            return 0.0
        return abs(self.objective - self.bound) / max(abs(self.objective), 1.0)

    def sessions(self) -> dict[tuple[int, int], list[Entry]]:
        """Entries by (week, day), in session order."""
        out: dict[tuple[int, int], list[Entry]] = {}
        for entry in self.entries:
            out.setdefault((entry.week, entry.day), []).append(entry)
        return out

    def date(self, week: int, day: int) -> dt.date | None:
        """The calendar date of a session: the plan's first week is the 7 days from the
        profile's start."""
        start = self.profile.start
        if start is None:
            return None
        weeks_in = week - self.history.next_week
        return start + dt.timedelta(days=(day - start.weekday()) % 7 + 7 * weeks_in)

    def weekly_loads(self) -> dict[int, float]:
        """Load of each week in AU (R8)."""
        loads: dict[int, float] = {}
        for e in self.entries:
            loads[e.week] = loads.get(e.week, 0.0) + e.load
        return loads

    def to_frame(self) -> pd.DataFrame:
        """The plan in the CSV contract's columns, one row per exercise per session."""
        import pandas as pd

        return pd.DataFrame(self.rows(), columns=list(COLUMNS))

    def rows(self) -> list[dict]:
        """The plan as CSV-contract records, one per exercise per session."""
        rows = []
        for e in self.entries:
            date = self.date(e.week, e.day)
            rows.append(
                {
                    "week": e.week,
                    "day": DAYS[e.day],
                    "date": date.isoformat() if date else "",
                    "order": e.order,
                    "exercise_id": e.exercise.id,
                    "exercise": e.exercise.name,
                    "role": e.exercise.role,
                    "groups": ";".join(e.exercise.groups),
                    "sets": e.sets,
                    "reps": e.reps,
                    "hold_s": e.hold_s,
                    "per_side": str(e.exercise.per_side).lower(),
                    "minutes": round(e.seconds / 60, 2),
                    "rpe": e.exercise.rpe,
                    "load": round(e.load, 1),
                }
            )
        return rows

    def headline(self) -> str:
        """The first line of ``render``: level, sessions, minutes and load against target."""
        p = self.profile
        if p.weeks == 1:
            return (
                f"{p.level.capitalize()} week: {p.sessions} sessions of up to {p.minutes} min, "
                f"load {sum(self.weekly_loads().values()):.0f} AU (target {p.target_load} AU)"
            )
        return (
            f"{p.level.capitalize()} programme: {p.weeks} weeks of {p.sessions} sessions of "
            f"up to {p.minutes} min, from {self.history.reference(p):.0f} AU a week towards "
            f"{p.target_load} AU, deload every {p.deload_every} weeks"
        )

    def session_heading(self, entries: list[Entry]) -> str:
        """'Mon 2026-11-30  ·  24 min  ·  load 89 AU' for one session's ``entries`` (as
        ``sessions`` gives them; the date only with a start date)."""
        week, day = entries[0].week, entries[0].day
        minutes = sum(e.seconds for e in entries) / 60
        load = sum(e.load for e in entries)
        date = self.date(week, day)
        when = DAYS[day].capitalize() + (f" {date.isoformat()}" if date else "")
        return f"{when}  ·  {minutes:.0f} min  ·  load {load:.0f} AU"

    def week_figures(self) -> list[ramp.WeekFigures]:
        """Each week's phase, load, ramp and acute:chronic ratio, in order."""
        return ramp.week_figures(self.weekly_loads(), self.profile, self.history)

    def render(self) -> str:
        """The plan as plain text for the terminal, pipes and files."""
        p = self.profile
        width = max((len(e.exercise.name) for e in self.entries), default=0)
        lines = [self.headline()]
        summaries = {f.week: str(f) for f in self.week_figures()} if p.weeks > 1 else {}
        for (week, _), entries in self.sessions().items():
            if week in summaries:  # before the week's first session only
                lines += ["", "=" * 8 + f" {summaries.pop(week)}"]
            lines += ["", self.session_heading(entries)]
            for e in entries:
                lines.append(
                    f"  {e.order:>2}. {e.exercise.name:<{width}}  {e.exercise.role:<9} "
                    f"{describe_dose(e):<18} {', '.join(e.exercise.groups)}"
                )
        return "\n".join(lines)


def describe_dose(entry: Entry) -> str:
    """'2 x 12', '3 x 30 s', '1 x 5 x 10 s', with '/side' for one-sided moves."""
    e = entry.exercise
    side = "/side" if e.per_side else ""
    if e.dose == "reps":
        return f"{entry.sets} x {entry.reps}{side}"
    if entry.reps == 1:
        return f"{entry.sets} x {entry.hold_s} s{side}"
    return f"{entry.sets} x {entry.reps} x {entry.hold_s} s{side}"


class PlanFileError(ValueError):
    """A plan CSV that cannot be read; the message names file, line and column."""


_INTEGER_COLUMNS = ("week", "order", "sets", "reps", "hold_s", "rpe")
_NUMBER_COLUMNS = ("minutes", "load")


def read_plan(path: str | Path) -> pd.DataFrame:
    """Read a plan CSV (as written by ``planner plan --csv``), checking types cell by cell."""
    import csv

    name = str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except IsADirectoryError:
        raise PlanFileError(f"{name}: is a directory; allowed: a plan CSV file") from None
    except OSError as err:
        raise PlanFileError(f"{name}: cannot be read ({err.strerror})") from None
    except UnicodeDecodeError:
        raise PlanFileError(f"{name}: is not UTF-8 text") from None
    reader = csv.DictReader(text.splitlines(keepends=True), strict=True)
    try:
        header = reader.fieldnames or []
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise PlanFileError(
                f"{name}:1: missing column {missing[0]!r}; required: {', '.join(COLUMNS)}"
            )
        records, line = [], reader.line_num + 1
        for record in reader:
            records.append(_plan_record(record, name, line))
            line = reader.line_num + 1
    except csv.Error as err:
        raise PlanFileError(f"{name}:{reader.line_num}: {err}") from None
    if not records:
        raise PlanFileError(f"{name}: has no rows; a plan has one row per exercise per session")
    import pandas as pd

    return pd.DataFrame(records, columns=list(COLUMNS))


def _plan_record(record: dict, name: str, line: int) -> dict:
    out = {}
    for column in COLUMNS:
        raw = (record.get(column) or "").strip()
        if raw.startswith("'") and raw[1:].startswith(FORMULA_STARTS):
            raw = raw[1:]  # undo the export's formula neutralising
        where = f"{name}:{line}: column {column}"
        if column in _INTEGER_COLUMNS:
            if not (raw.isascii() and raw.isdigit() and len(raw) <= 6):
                raise PlanFileError(f"{where}: {raw[:20]!r} is not a whole number 0 or more")
            out[column] = int(raw)
        elif column in _NUMBER_COLUMNS:
            try:
                out[column] = float(raw)
            except ValueError:
                raise PlanFileError(f"{where}: {raw!r} is not a number") from None
            if not 0 <= out[column] < 1e6:
                raise PlanFileError(f"{where}: {raw!r} is out of range; allowed: 0 to 999999")
        elif column == "day" and raw not in DAYS:
            raise PlanFileError(f"{where}: {raw!r} is not a day; allowed: {', '.join(DAYS)}")
        else:
            out[column] = raw
    if out["week"] < 1:
        raise PlanFileError(f"{name}:{line}: column week: 0; allowed: 1 or more")
    return out
