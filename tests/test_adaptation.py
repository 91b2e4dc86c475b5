"""Simulated people: a plan kept in a logbook, scripted logs, and the plan adapted to them
(planner.adaptation). Every adapted plan must pass the validator."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner import Profile, check_plan, solve
from planner.adaptation import AdaptationStop, adapt, progressions
from planner.evidence import ADHERENCE_MIN, EFFORT_OVER_PLAN, PAIN_REST_DAYS
from planner.logbook import Logbook, LogEntry, catalog_hash
from planner.ramp import acute_chronic_cap, band, sets_by_exercise

START = dt.date(2026, 12, 7)  # a Monday


@pytest.fixture(scope="module")
def kept(catalog, tmp_path_factory):
    """An intermediate person's 4-week plan from START, kept in a logbook: (profile, plan,
    schedule)."""
    profile = Profile.for_level("intermediate", start=START)
    plan = solve(catalog, profile)
    path = tmp_path_factory.mktemp("log") / "planner.db"
    with Logbook.open(path) as book:
        book.record_plan("me", plan, catalog_hash(catalog.source))
        schedule = book.schedule("me")
    return profile, plan, schedule


def logged(schedule, weeks, rpe=None, **fields) -> list[LogEntry]:
    """Every planned exercise of ``weeks`` logged as done, at the session effort ``rpe``
    (None: not logged), with ``fields`` on each entry."""
    return [
        LogEntry(
            p.date,
            p.exercise_id,
            sets=p.sets,
            reps=p.reps or None,
            session_rpe=rpe(p) if callable(rpe) else rpe,
            planned_id=p.id,
            **fields,
        )
        for p in schedule
        if p.week in weeks
    ]


def planned_rpe(schedule, day: dt.date) -> float:
    rows = [p for p in schedule if p.date == day]
    return 60 * sum(p.load for p in rows) / sum(p.seconds for p in rows)


def adapted_plan(catalog, profile, schedule, entries, weeks_done: int):
    """The adaptation after ``weeks_done`` weeks and the 4-week plan it makes."""
    start = START + dt.timedelta(weeks=weeks_done)
    adaptation = adapt(catalog, profile, schedule, entries, start)
    plan = solve(catalog, profile.with_changes(start=start), history=adaptation.history)
    assert check_plan(plan) == []
    return adaptation, plan


def test_an_adherent_person_carries_on_where_the_plan_was(catalog, kept):
    """Two weeks done as planned: the next plan starts at week 3 from the loads done, which
    are the planned ones, and changes nothing but progressions it has earned."""
    profile, plan, schedule = kept
    entries = logged(schedule, {1, 2}, rpe=lambda p: round(planned_rpe(schedule, p.date)))
    adaptation, new = adapted_plan(catalog, profile, schedule, entries, 2)
    loads = plan.weekly_loads()
    assert adaptation.history.next_week == 3
    assert adaptation.history.loads == pytest.approx((loads[1], loads[2]))
    assert adaptation.history.held == () and adaptation.history.hold is None
    assert adaptation.changes == ()
    assert min(new.weeks) == 3
    first = new.weeks[3]
    for change in progressions(adaptation, first):
        assert "at or under the planned effort" in change.reason


def test_a_person_who_skips_every_other_week_repeats_the_week_missed(catalog, kept):
    """Week 1 done, week 2 skipped: week 2 is planned again, not week 3, under the
    acute:chronic guard rail of the loads done (week 2 counts 0), easing back in."""
    profile, plan, schedule = kept
    entries = logged(schedule, {1})
    adaptation, new = adapted_plan(catalog, profile, schedule, entries, 2)
    history = adaptation.history
    assert history.next_week == 2
    assert history.loads == pytest.approx((plan.weekly_loads()[1], 0.0))
    repeat, easing = (str(c) for c in adaptation.changes)
    assert repeat == (
        f"week 2: repeated, not progressed: 0 of {adaptation.weeks[1].planned_minutes:.0f} "
        "planned minutes done (0 %, under two thirds)"
    )
    most = min(acute_chronic_cap(profile, history), band(profile, history, False).high)
    assert easing.startswith(f"week 2 load: at most {most:.0f} AU, the guard rails on ")
    assert min(new.weeks) == 2
    assert new.weekly_loads()[2] <= most + 0.01


def test_a_week_two_thirds_done_progresses(catalog, kept):
    """Skipping one session of three is enough done: the week is not repeated."""
    profile, plan, schedule = kept
    days = sorted({p.date for p in schedule if p.week == 2})
    entries = logged(schedule, {1}) + [e for e in logged(schedule, {2}) if e.date != days[-1]]
    adaptation = adapt(catalog, profile, schedule, entries, START + dt.timedelta(weeks=2))
    week2 = adaptation.weeks[1]
    assert week2.adherence >= ADHERENCE_MIN
    assert adaptation.history.next_week == 3


def test_an_over_reaching_person_has_the_next_week_held(catalog, kept):
    """Week 1 logged 3 RPE above plan: week 2 carries no more load than week 1 planned, no
    strength move gains sets, and the change says why."""
    profile, plan, schedule = kept
    over = EFFORT_OVER_PLAN + 1
    entries = logged(schedule, {1}, rpe=lambda p: round(planned_rpe(schedule, p.date)) + over)
    adaptation, new = adapted_plan(catalog, profile, schedule, entries, 1)
    week1 = plan.weekly_loads()[1]
    assert new.weekly_loads()[2] <= week1 + 0.01
    before = dict(sets_by_exercise(plan.weeks[1]))
    after = dict(sets_by_exercise(new.weeks[2]))
    assert all(after[i] <= before[i] for i in after if i in before)
    (change,) = adaptation.changes
    assert change.subject == "week 2 load"
    assert change.reason.startswith(f"held at {week1:.0f} AU: ")


def test_a_move_that_hurts_goes_back_to_its_easier_variant(catalog, kept):
    """Pain 6/10 during a move that has an easier variant: the next plan has the easier one
    in its place and not the move, and says why."""
    profile, plan, schedule = kept
    used = {p.exercise_id for p in schedule if p.week == 1}
    sore = next(
        i
        for i in sorted(used)
        if any(e.progression == i and profile.reason_excluded(e) is None for e in catalog)
    )
    entries = [
        replace(e, pain_during=6) if e.exercise_id == sore else e for e in logged(schedule, {1})
    ]
    adaptation, new = adapted_plan(catalog, profile, schedule, entries, 1)
    (change,) = [c for c in adaptation.changes if c.subject.startswith(sore)]
    easier = change.subject.split(" -> ")[1]
    assert catalog[easier].progression == sore
    assert change.reason.startswith("pain 6/10 during it on ")
    week2 = {e.exercise.id for e in new.weeks[2]}
    assert sore not in week2 and easier in week2


def test_a_move_without_an_easier_variant_rests_two_weeks(catalog, kept):
    """Pain 6/10 the morning after a move with no easier variant: it rests the first two
    weeks of the next plan."""
    profile, plan, schedule = kept
    used = sorted({p.exercise_id for p in schedule if p.week == 1})
    sore = next(i for i in used if not any(e.progression == i for e in catalog))
    last = max(p.date for p in schedule if p.week == 1 and p.exercise_id == sore)
    entries = [
        replace(e, pain_during=3, pain_next_morning=6)
        if e.exercise_id == sore and e.date == last
        else e
        for e in logged(schedule, {1})
    ]
    adaptation, new = adapted_plan(catalog, profile, schedule, entries, 1)
    weeks_out = -(-(last + dt.timedelta(days=PAIN_REST_DAYS) - START).days // 7) - 1
    assert (sore, 1 + weeks_out) in adaptation.history.left_out
    assert str(adaptation.changes[-1]).startswith(f"{sore}: left out for {weeks_out} week")
    assert all(e.exercise.id != sore for w in range(2, 2 + weeks_out) for e in new.weeks[w])


def test_pain_of_7_stops_planning(catalog, kept):
    """Pain 7/10 during a session stops planning with a message naming it."""
    profile, _, schedule = kept
    entries = logged(schedule, {1})
    entries[0] = replace(entries[0], pain_during=7)
    with pytest.raises(AdaptationStop, match=r"^log: pain 7/10 during it \("):
        adapt(catalog, profile, schedule, entries, START + dt.timedelta(weeks=1))


def test_a_red_flag_in_the_log_stops_planning(catalog, kept):
    """A cauda-equina sign logged with a session stops planning with the emergency message."""
    profile, _, schedule = kept
    entries = [*logged(schedule, {1}), LogEntry(START, red_flag="saddle_numbness")]
    with pytest.raises(AdaptationStop, match="emergency — seek care today"):
        adapt(catalog, profile, schedule, entries, START + dt.timedelta(weeks=1))


def test_moves_done_once_keep_their_sets_until_earned(catalog, kept):
    """After one week a move done in one session has not earned more sets: it is held at its
    sets, and the next plan keeps to that."""
    profile, plan, schedule = kept
    adaptation, new = adapted_plan(catalog, profile, schedule, logged(schedule, {1}), 1)
    once = {
        p.exercise_id
        for p in schedule
        if p.week == 1
        and catalog[p.exercise_id].role == "strength"
        and sum(q.exercise_id == p.exercise_id for q in schedule if q.week == 1) == 1
    }
    held = dict(adaptation.history.held)
    assert once and once <= set(held)
    after = dict(sets_by_exercise(new.weeks[2]))
    assert all(after.get(i, 0) <= held[i] for i in held)


ENTRY = st.builds(
    LogEntry,
    date=st.dates(START - dt.timedelta(days=10), START + dt.timedelta(days=40)),
    exercise_id=st.sampled_from([None, "glute_bridge", "dead_bug", "no_such_move"]),
    sets=st.none() | st.integers(0, 6),
    reps=st.none() | st.integers(0, 20),
    session_rpe=st.none() | st.integers(0, 10),
    pain_during=st.none() | st.integers(0, 6),
    pain_next_morning=st.none() | st.integers(0, 6),
    skipped=st.booleans(),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(entries=st.lists(ENTRY, max_size=30), weeks=st.integers(0, 5))
def test_any_log_adapts_without_crashing(catalog, kept, entries, weeks):
    """Random logs (gaps, duplicates, days off the plan, unknown moves) always give a history
    whose next week follows the schedule."""
    profile, _, schedule = kept
    adaptation = adapt(catalog, profile, schedule, entries, START + dt.timedelta(weeks=weeks))
    assert 1 <= adaptation.history.next_week <= max(weeks, 1) + 1
    assert len(adaptation.history.loads) == len(adaptation.weeks)


def test_a_person_who_skips_every_other_week_over_a_month(catalog, tmp_path):
    """Four rounds of plan, log, adapt for a person who does every other week: each adapted
    plan keeps every rule; a week done moves the programme on, a week skipped repeats it."""
    profile = Profile.for_level("beginner", days=("mon", "wed", "fri"), start=START)
    plan = solve(catalog, profile)
    expected = [2, 2, 3, 3]  # the week each adaptation plans from
    with Logbook.open(tmp_path / "planner.db") as book:
        book.record_plan("me", plan, catalog_hash(catalog.source))
        for round, week_start in enumerate(START + dt.timedelta(weeks=k) for k in range(4)):
            rows = book.schedule("me", week_start, week_start + dt.timedelta(days=6))
            if round % 2 == 0:
                book.add_entries("me", logged(rows, {rows[0].week}))
            start = week_start + dt.timedelta(weeks=1)
            adaptation = adapt(catalog, profile, book.schedule("me"), book.entries("me"), start)
            assert adaptation.history.next_week == expected[round]
            adapted = solve(catalog, profile.with_changes(start=start), history=adaptation.history)
            assert check_plan(adapted) == []
            book.record_plan("me", adapted, catalog_hash(catalog.source))
