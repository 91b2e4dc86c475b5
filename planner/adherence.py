"""Planned against done: a person's schedule (``Logbook.schedule``) set beside their log
entries (``Logbook.entries``), day by day and week by week.

Each planned exercise of a day is matched to the entry that carries it out: the entry whose
``planned_id`` is that row's, else an entry of the same day and exercise logged without one
(``planner log add``). Entries matched to no planned row are the unplanned ones.

Minutes done are the planned minutes of each exercise done, scaled by the sets done against
the sets planned when the entry says how many. The logged load is session RPE x minutes
(R8, Foster's session-RPE): the session entry's RPE times the day's minutes done, else, when
the exercises carry their own RPE (``planner log import`` reads one a row), the sum of each
one's RPE times its minutes. Nothing here reads the clock or prints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from planner.logbook import LogEntry, Planned

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Day:
    """One planned day: its planned rows and, for each, the entry that carries it out (or
    None), with the day's session entries (``exercise_id`` None)."""

    date: dt.date
    planned: tuple[Planned, ...]
    done: tuple[LogEntry | None, ...]
    sessions: tuple[LogEntry, ...] = ()

    @property
    def week(self) -> int:
        return self.planned[0].week

    @property
    def logged(self) -> bool:
        return any(e is not None for e in self.done) or bool(self.sessions)

    @property
    def exercises_done(self) -> int:
        return sum(e is not None and not e.skipped for e in self.done)

    @property
    def skipped(self) -> tuple[str, ...]:
        return tuple(
            p.exercise_id for p, e in zip(self.planned, self.done, strict=True) if e and e.skipped
        )

    @property
    def session_done(self) -> bool:
        return self.exercises_done > 0

    @property
    def planned_minutes(self) -> float:
        return sum(p.seconds or 0 for p in self.planned) / 60

    @property
    def planned_load(self) -> float:
        return sum(p.load or 0.0 for p in self.planned)

    def _minutes(self) -> list[tuple[float, LogEntry]]:
        """(minutes done, entry) for each exercise done."""
        out = []
        for p, e in zip(self.planned, self.done, strict=True):
            if e is None or e.skipped:
                continue
            share = e.sets / p.sets if e.sets is not None and p.sets else 1.0
            out.append(((p.seconds or 0) / 60 * share, e))
        return out

    @property
    def minutes_done(self) -> float:
        return sum(m for m, _ in self._minutes())

    @property
    def rpe(self) -> int | None:
        """The session's RPE as logged for the whole session, if it was."""
        return next((s.session_rpe for s in self.sessions if s.session_rpe is not None), None)

    @property
    def load_done(self) -> float:
        """Session RPE x minutes done; else each exercise's own RPE x its minutes."""
        if self.rpe is not None:
            return self.rpe * self.minutes_done
        return sum(m * e.session_rpe for m, e in self._minutes() if e.session_rpe is not None)

    @property
    def pain(self) -> int | None:
        """The worst pain during logged that day."""
        return _worst(e.pain_during for e in self._entries())

    @property
    def pain_next(self) -> int | None:
        return _worst(e.pain_next_morning for e in self._entries())

    def _entries(self) -> list[LogEntry]:
        return [*self.sessions, *(e for e in self.done if e is not None)]


@dataclass(frozen=True)
class Week:
    """One week of a plan (its days in date order)."""

    plan_id: int
    week: int
    days: tuple[Day, ...]

    @property
    def first(self) -> dt.date:
        return self.days[0].date

    @property
    def last(self) -> dt.date:
        return self.days[-1].date


@dataclass(frozen=True)
class Adherence:
    """Planned against done: the weeks planned, and the entries no planned row accounts for."""

    weeks: tuple[Week, ...]
    unplanned: tuple[LogEntry, ...] = field(default=())


def _worst(values: Iterable[int | None]) -> int | None:
    found = [v for v in values if v is not None]
    return max(found) if found else None


def adherence(schedule: list[Planned], entries: list[LogEntry]) -> Adherence:
    """Set ``schedule`` (by date and position) beside ``entries`` (by date)."""
    planned_days: dict[dt.date, list[Planned]] = {}
    for p in schedule:
        planned_days.setdefault(p.date, []).append(p)
    by_date: dict[dt.date, list[LogEntry]] = {}
    for e in entries:
        by_date.setdefault(e.date, []).append(e)
    days, unplanned = [], []
    for date in sorted(planned_days.keys() | by_date.keys()):
        rows = planned_days.get(date)
        logged = by_date.get(date, [])
        if rows is None:
            unplanned += logged
            continue
        day, rest = _match(date, rows, logged)
        days.append(day)
        unplanned += rest
    weeks: dict[tuple[int, int], list[Day]] = {}
    for day in days:
        weeks.setdefault((day.planned[0].plan_id, day.week), []).append(day)
    return Adherence(
        tuple(Week(plan_id, week, tuple(found)) for (plan_id, week), found in weeks.items()),
        tuple(unplanned),
    )


def _match(
    date: dt.date, rows: list[Planned], logged: list[LogEntry]
) -> tuple[Day, list[LogEntry]]:
    """The day, and the entries of that date no planned row takes."""
    done: list[LogEntry | None] = [None] * len(rows)
    at = {p.id: i for i, p in enumerate(rows)}
    rest = []
    for e in logged:  # by planned_id first: the link the logging made
        i = at.get(e.planned_id) if e.planned_id is not None else None
        if i is not None and done[i] is None:
            done[i] = e
        else:
            rest.append(e)
    sessions, left = [], []
    for e in rest:  # then an exercise of the day logged without its link
        if e.exercise_id is None:
            sessions.append(e)
            continue
        i = next(
            (
                i
                for i, p in enumerate(rows)
                if done[i] is None and p.exercise_id == e.exercise_id and e.planned_id is None
            ),
            None,
        )
        if i is None:
            left.append(e)
        else:
            done[i] = e
    return Day(date, tuple(rows), tuple(done), tuple(sessions)), left
