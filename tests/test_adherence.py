"""Planned against done (planner/adherence.py): which entry carries out which planned row,
what is left unplanned, and the minutes and loads worked out from them."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.adherence import adherence
from planner.logbook import LogEntry, Planned

MON, TUE = dt.date(2026, 12, 7), dt.date(2026, 12, 8)


def planned(id: int, position: int, exercise: str, sets: int = 2, seconds: int = 120) -> Planned:
    """A planned row of plan 1, week 1, on Monday: ``seconds`` long, at RPE 4."""
    return Planned(id, 1, MON, 1, 0, position, exercise, sets, 10, 0, seconds, seconds / 60 * 4)


SCHEDULE = [planned(1, 1, "cat_camel"), planned(2, 2, "glute_bridge"), planned(3, 3, "dead_bug")]


def test_entries_match_by_link_then_by_exercise_and_the_rest_are_unplanned():
    """An entry linked to a planned row carries it out; one of the same day and exercise
    without a link takes the next free row of that exercise; a second one of it, an entry of
    another exercise or of an unplanned day is unplanned."""
    linked = LogEntry(MON, "glute_bridge", sets=2, planned_id=2)
    unlinked = LogEntry(MON, "cat_camel", sets=1)
    again = LogEntry(MON, "cat_camel", sets=1)
    other = LogEntry(MON, "bird_dog", sets=2)
    tuesday = LogEntry(TUE, "glute_bridge", sets=2)
    found = adherence(SCHEDULE, [linked, unlinked, again, other, tuesday])
    (week,) = found.weeks
    (day,) = week.days
    assert day.done == (unlinked, linked, None)
    assert found.unplanned == (again, other, tuesday)
    assert (day.exercises_done, day.session_done, day.logged) == (2, True, True)


def test_minutes_and_load_follow_sets_done_and_rpe():
    """Minutes done scale by the sets done against those planned; the load is the session's
    RPE x minutes when it was logged, else each exercise's own RPE x its minutes."""
    half = LogEntry(MON, "cat_camel", sets=1, session_rpe=6, planned_id=1)
    whole = LogEntry(MON, "glute_bridge", session_rpe=3, planned_id=2)
    skipped = LogEntry(MON, "dead_bug", skipped=True, planned_id=3)
    (day,) = adherence(SCHEDULE, [half, whole, skipped]).weeks[0].days
    assert (day.planned_minutes, day.minutes_done) == (6, 3)
    assert day.load_done == pytest.approx(1 * 6 + 2 * 3)
    assert day.planned_load == pytest.approx(24)
    assert day.skipped == ("dead_bug",)
    session = LogEntry(MON, None, session_rpe=5, pain_during=2)
    (day,) = adherence(SCHEDULE, [half, whole, skipped, session]).weeks[0].days
    assert (day.rpe, day.load_done, day.pain) == (5, 5 * 3, 2)


def test_a_day_not_logged_counts_nothing_done():
    """A planned day without entries is not logged: nothing done, its plan still counted."""
    (day,) = adherence(SCHEDULE, []).weeks[0].days
    assert (day.logged, day.exercises_done, day.minutes_done, day.load_done) == (False, 0, 0, 0)
    assert day.planned_minutes == 6
