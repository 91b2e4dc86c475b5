"""How the next weeks follow from the training log: what was planned (the logbook's schedule)
against what was done (its entries), turned into the ``History`` the next plan starts from.

Each adaptation has its rule in evidence terms (``planner.evidence``, "Adapting to the
training log"):

- the ramp and the acute:chronic guard rails run on the loads done, not the planned ones:
  the minutes done at their planned effort (R8), and what was done beyond the plan; how hard
  the sessions felt (session RPE) moves the plan through the two rules after next instead;
- when the guard rails on the loads done are under the ramp's floor (missed weeks), the weeks
  ease back in (``ramp.easing``);
- a week under ADHERENCE_MIN of its planned minutes is repeated, not progressed;
- a session logged EFFORT_OVER_PLAN or more above its planned effort holds the next week's load
  (no more load, sets or reps than the week before);
- pain (the pain-monitoring model, Silbernagel 2007): up to PAIN_ACCEPTABLE during and settled
  by the next morning is fine; past that the move goes back to its easier variant (the
  progression chain read backwards), or rests PAIN_REST_DAYS when it has none; PAIN_STOP or a
  red-flag answer stops planning;
- a strength move gets more sets (then its harder variant) only after EARNED_SESSIONS sessions
  in a row done at or under its planned effort.

Everything here is arithmetic on the log; the model keeps the rules (``rules.resting``,
``rules.earned``, ``ramp.band``) and the validator checks them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from planner import dose, evidence, ramp
from planner.adherence import Day, adherence
from planner.catalog import Catalog, Exercise
from planner.profile import DAYS, Profile
from planner.ramp import History
from planner.screening import BY_ID, Screening, screen_verdict


class AdaptationStop(ValueError):
    """The log says stop planning: a red-flag answer or pain at PAIN_STOP or more."""


@dataclass(frozen=True)
class Change:
    """One thing the log changed, and why: ``glute_bridge -> single_leg_bridge: ...``."""

    subject: str
    reason: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.reason}"


@dataclass(frozen=True)
class Done:
    """A planned exercise as done: the sets logged (planned ones when not logged)."""

    exercise: Exercise
    day: int
    sets: int
    reps: int


@dataclass(frozen=True)
class SessionLog:
    """One planned (or only logged) day: its planned and done minutes, planned and logged
    effort (session RPE, CR-10), what was done, and what was done beyond the plan."""

    date: dt.date
    planned_minutes: float
    done_minutes: float  # of the planned exercises
    planned_rpe: float | None  # None: a day that was not planned
    logged_rpe: int | None
    done: tuple[Done, ...]
    pain: int | None = None  # the worst pain logged during the day's exercise (0-10)
    pain_next_morning: int | None = None  # and the worst the next morning
    extra_minutes: float = 0.0  # exercises logged beyond the plan
    extra_load: float = 0.0  # and their load: minutes x the effort logged (else catalogue)

    @property
    def load(self) -> float:
        """The load done in AU (R8): minutes done x the planned session effort, and what was
        done beyond the plan. The guard rails compare it with planned loads, so it counts the
        minutes at the plan's effort: how hard they felt moves the plan through the effort
        hold and the progression gate instead (an easy week would otherwise earn less work,
        a hard one more)."""
        return (self.planned_rpe or 0) * self.done_minutes + self.extra_load

    @property
    def felt_load(self) -> float:
        """Session RPE as logged (the planned one when none was) x minutes done (R8)."""
        rpe = self.logged_rpe if self.logged_rpe is not None else self.planned_rpe or 0
        return rpe * self.done_minutes + self.extra_load

    @property
    def over(self) -> bool:
        """Logged EFFORT_OVER_PLAN or more above its planned effort."""
        return (
            self.logged_rpe is not None
            and self.planned_rpe is not None
            and self.logged_rpe >= round(self.planned_rpe) + evidence.EFFORT_OVER_PLAN
        )


@dataclass(frozen=True)
class WeekLog:
    """One programme week of the schedule as done."""

    week: int
    first_day: dt.date
    planned_load: float
    sessions: tuple[SessionLog, ...]

    @property
    def planned_minutes(self) -> float:
        return sum(s.planned_minutes for s in self.sessions)

    @property
    def done_minutes(self) -> float:
        return sum(min(s.done_minutes, s.planned_minutes) for s in self.sessions)

    @property
    def load(self) -> float:
        return sum(s.load for s in self.sessions)

    @property
    def adherence(self) -> float:
        return self.done_minutes / self.planned_minutes if self.planned_minutes else 1.0

    @property
    def missed(self) -> bool:
        return self.adherence < evidence.ADHERENCE_MIN

    @property
    def done(self) -> list[Done]:
        return [d for s in self.sessions for d in s.done]

    @property
    def felt_load(self) -> float:
        return sum(s.felt_load for s in self.sessions)

    @property
    def planned_sessions(self) -> int:
        return sum(1 for s in self.sessions if s.planned_minutes)

    @property
    def done_sessions(self) -> int:
        return sum(1 for s in self.sessions if s.planned_minutes and s.done)


@dataclass(frozen=True)
class Adaptation:
    """What the next plan starts from: its first programme week's history (``history``) and
    the changes the log made, each with its reason."""

    history: History
    weeks: tuple[WeekLog, ...]
    changes: tuple[Change, ...]


def adapt(
    catalog: Catalog,
    profile: Profile,
    schedule: Sequence,
    entries: Sequence,
    start: dt.date,
) -> Adaptation:
    """The history a plan starting on ``start`` carries on from, after the ``schedule``
    (``planner.logbook.Planned`` rows) and the log ``entries`` (``LogEntry``) before it.

    Raises ``AdaptationStop`` for a red-flag answer logged since the newest plan began (a
    plan made afresh after it, without ``--adapt``, is the way back after seeing a
    professional), or pain at PAIN_STOP or more in the PAIN_REST_DAYS before ``start``."""
    before = [e for e in entries if e.date < start]
    newest = max((p.plan_id for p in schedule), default=None)
    began = min((p.date for p in schedule if p.plan_id == newest), default=dt.date.min)
    _stop_for_red_flags(e for e in before if e.date >= began)
    recent = [e for e in before if (start - e.date).days <= evidence.PAIN_REST_DAYS]
    _stop_for_pain(recent)
    weeks = judged_weeks(catalog, [p for p in schedule if p.date < start], before)
    history, changes = History(), []
    next_week = weeks[0].week if weeks else 1
    for i, week in enumerate(weeks):
        deload = profile.is_deload(week.week)
        last = i == len(weeks) - 1
        if week.missed and not deload:
            history = history.carry(week.load, True, [], profile)
            next_week = week.week
            if last:
                changes.append(_repeat(week))
            continue
        after = history.carry(week.load, deload, week.done, profile)
        next_week = week.week + 1
        if last and not deload:
            after, said = _gate(after, history, week, weeks, profile)
            changes += said
        history = after
    history = dataclasses.replace(history, first_week=next_week - len(history.loads))
    deload = profile.is_deload(next_week)
    if not profile.lone_week and ramp.easing(profile, history, deload):
        most = min(
            ramp.acute_chronic_cap(profile, history), ramp.band(profile, history, deload).high
        )
        padded = (profile.starting_load,) * evidence.ACWR_WEEKS + history.loads
        done = ", ".join(f"{load:.0f}" for load in padded[-evidence.ACWR_WEEKS :])
        changes.append(
            Change(
                f"week {next_week} load",
                f"at most {most:.0f} AU, the guard rails on the loads done (the last "
                f"{evidence.ACWR_WEEKS} weeks: {done} AU): shorter sessions and half the set "
                "minimums while easing back in",
            )
        )
    history, said = _ease_pain(history, catalog, profile, recent, weeks, start, next_week)
    return Adaptation(history, tuple(weeks), tuple(changes + said))


def next_start(schedule: Sequence, today: dt.date) -> dt.date:
    """Where an adapted plan starts when not told: the first day of the first kept week that
    has not begun by ``today``, else ``today``."""
    firsts: dict[tuple[int, int], dt.date] = {}
    for p in schedule:
        key = (p.plan_id, p.week)
        firsts[key] = min(firsts.get(key, p.date), p.date)
    upcoming = sorted(d for d in firsts.values() if d >= today)
    return upcoming[0] if upcoming else today


def judged_weeks(catalog: Catalog, schedule: Sequence, entries: Sequence) -> list[WeekLog]:
    """Each programme week of ``schedule`` (``planner.adherence`` sets the entries beside
    it), with what was logged beyond the plan in its days."""
    found = adherence(list(schedule), list(entries))
    extra: dict[dt.date, list] = defaultdict(list)
    for e in found.unplanned:
        if e.exercise_id in catalog and not e.skipped:
            extra[e.date].append(e)
    weeks = []
    for k, week in enumerate(found.weeks):
        # A week's days run from its first session to the next week's (seven at most), so
        # that a day logged off the plan counts in one week only.
        end = week.first + dt.timedelta(days=7)
        if k + 1 < len(found.weeks):
            end = min(end, found.weeks[k + 1].first)
        planned = {day.date for day in week.days}
        sessions = [
            # An exercise of the day's plan logged twice (log session and log import) is the
            # one already counted, not more work.
            _session(
                catalog,
                day,
                [e for e in extra.get(day.date, ()) if e.exercise_id not in _ids(day)],
            )
            for day in week.days
        ]
        sessions += [
            _extra_day(catalog, d, extra[d])
            for d in sorted(extra)
            if week.first <= d < end and d not in planned
        ]
        load = sum(day.planned_load for day in week.days)
        weeks.append(WeekLog(week.week, week.first, load, tuple(sorted(sessions, key=_date))))
    return weeks


def _ids(day: Day) -> set[str]:
    return {p.exercise_id for p in day.planned}


def _date(session: SessionLog) -> dt.date:
    return session.date


def logged_weeks(catalog: Catalog, schedule: Sequence, entries: Sequence) -> list[WeekLog]:
    """The weeks of ``schedule`` that had begun by the last day logged, as done."""
    if not entries:
        return []
    last = max(e.date for e in entries)
    begun: dict[tuple[int, int], dt.date] = {}
    for p in schedule:
        key = (p.plan_id, p.week)
        begun[key] = min(begun.get(key, p.date), p.date)
    rows = [p for p in schedule if begun[p.plan_id, p.week] <= last]
    return judged_weeks(catalog, rows, entries)


def _session(catalog: Catalog, day: Day, extra: Sequence) -> SessionLog:
    """A planned day as done, with the exercises logged beyond its plan."""
    done = []
    for p, e in zip(day.planned, day.done, strict=True):
        sets = p.sets if e is None or e.sets is None else e.sets
        if e is None or e.skipped or sets == 0:
            continue
        reps = p.reps if e.reps is None else e.reps
        done.append(Done(catalog[p.exercise_id], p.day, sets, reps))
    efforts = [e.session_rpe for e in day.done if e is not None and e.session_rpe is not None]
    logged = day.rpe if day.rpe is not None else max(efforts, default=None)
    minutes, load = _beyond(catalog, extra)
    return SessionLog(
        day.date,
        day.planned_minutes,
        day.minutes_done,
        day.planned_load / day.planned_minutes if day.planned_minutes else None,
        logged,
        tuple(done),
        _worst([day.pain, *(e.pain_during for e in extra)]),
        _worst([day.pain_next, *(e.pain_next_morning for e in extra)]),
        minutes,
        load,
    )


def _extra_day(catalog: Catalog, date: dt.date, extra: Sequence) -> SessionLog:
    """A day with no plan on which exercises were logged."""
    minutes, load = _beyond(catalog, extra)
    efforts = [e.session_rpe for e in extra if e.session_rpe is not None]
    return SessionLog(
        date,
        0.0,
        0.0,
        None,
        max(efforts, default=None),
        (),
        _worst(e.pain_during for e in extra),
        _worst(e.pain_next_morning for e in extra),
        minutes,
        load,
    )


def _beyond(catalog: Catalog, extra: Sequence) -> tuple[float, float]:
    """Minutes and load (the effort logged, else the exercise's) of exercises logged beyond
    a plan."""
    minutes = load = 0.0
    for e in extra:
        x = catalog[e.exercise_id]
        reps = x.reps if e.reps is None else e.reps
        hold = x.hold_s if e.hold_s is None else e.hold_s
        spent = dose.seconds(x.role, x.dose, e.sets or 1, reps, hold, x.per_side) / 60
        minutes += spent
        load += spent * (x.rpe if e.session_rpe is None else e.session_rpe)
    return minutes, load


def _worst(pains) -> int | None:
    return max((p for p in pains if p is not None), default=None)


def _repeat(week: WeekLog) -> Change:
    pct = round(100 * week.adherence)
    return Change(
        f"week {week.week}",
        f"repeated, not progressed: {week.done_minutes:.0f} of {week.planned_minutes:.0f} "
        f"planned minutes done ({pct} %, under two thirds)",
    )


def _gate(
    after: History, before: History, week: WeekLog, weeks: list[WeekLog], profile: Profile
) -> tuple[History, list[Change]]:
    """The history after the last build week, its progression held where the log says so:
    all of it after a session logged well above its planned effort, else each strength move
    whose last EARNED_SESSIONS sessions were not all at or under the planned effort."""
    over = [s for s in week.sessions if s.over]
    if over:
        s = over[0]
        said = Change(
            f"week {week.week + 1} load",
            f"held at {week.planned_load:.0f} AU: {DAYS[s.date.weekday()].title()} "
            f"{s.date} logged at RPE {s.logged_rpe} against {s.planned_rpe:.0f} planned",
        )
        held = dataclasses.replace(
            after,
            hold=week.planned_load,
            held=after.previous_sets,
            streaks=_unstepped(after.streaks, before.streaks, after.previous),
            maxed=frozenset(),
            stale=False,
        )
        return held, [said]
    sessions = [s for w in weeks for s in w.sessions]
    held, said, waiting = [], [], []
    for i, sets in after.previous_sets:
        x = next(d.exercise for d in week.done if d.exercise.id == i)
        if x.role != "strength":
            continue
        runs = [s for s in sessions if any(d.exercise.id == i for d in s.done)]
        easy = [s for s in runs[-evidence.EARNED_SESSIONS :] if not _above_plan(s)]
        if len(runs) >= evidence.EARNED_SESSIONS and len(easy) == evidence.EARNED_SESSIONS:
            continue
        held.append((i, sets))
        waiting.append(f"{i} ({len(easy)} so far)")
    if waiting:
        said.append(
            Change(
                f"kept at their sets until {evidence.EARNED_SESSIONS} sessions in a row at or "
                "under the planned effort",
                ", ".join(waiting),
            )
        )
    if not held:
        return after, []
    gated = dataclasses.replace(
        after,
        held=tuple(held),
        streaks=_unstepped(after.streaks, before.streaks, {i for i, _ in held}),
        maxed=after.maxed - {i for i, _ in held},
    )
    return gated, said


def _unstepped(after: tuple, before: tuple, ids) -> tuple[tuple[str, int], ...]:
    """The build-week streaks ``after`` a week, with those of ``ids`` as they were ``before``
    it: a move that was held does not step its reps (dose.prescribe)."""
    was = dict(before)
    kept = ((i, was.get(i, 0) if i in ids else n) for i, n in after)
    return tuple((i, n) for i, n in kept if n > 0)


def _above_plan(session: SessionLog) -> bool:
    """Logged above its planned effort (no effort logged counts as planned)."""
    return (
        session.logged_rpe is not None
        and session.planned_rpe is not None
        and session.logged_rpe > round(session.planned_rpe)
    )


def _stop_for_red_flags(entries: Iterable) -> None:
    flags = {e.red_flag for e in entries if getattr(e, "red_flag", "")}
    if flags:
        verdict = screen_verdict(Screening({q: True for q in flags if q in BY_ID}))
        raise AdaptationStop(f"log: {verdict.message}")


def _pains(e) -> list[tuple[int, str]]:
    out = []
    if e.pain_during is not None:
        out.append((e.pain_during, "during it"))
    if e.pain_next_morning is not None:
        out.append((e.pain_next_morning, "the next morning"))
    return out


def _stop_for_pain(entries: Iterable) -> None:
    for e in entries:
        for pain, when in _pains(e):
            if pain >= evidence.PAIN_STOP:
                what = e.exercise_id or "the session"
                raise AdaptationStop(
                    f"log: pain {pain}/10 {when} ({what} on {e.date}): stop, and see a "
                    "doctor or physiotherapist before exercising on. No plan made."
                )


def hurt(e) -> str | None:
    """Why a log entry's pain is past the pain-monitoring model's limits, or None: above
    PAIN_ACCEPTABLE during it, or not settled by the next morning (above PAIN_SETTLED and no
    lower than during it)."""
    during, morning = e.pain_during, e.pain_next_morning
    if during is not None and during > evidence.PAIN_ACCEPTABLE:
        return f"pain {during}/10 during it on {e.date} (above {evidence.PAIN_ACCEPTABLE})"
    if morning is None or morning <= evidence.PAIN_SETTLED:
        return None
    if morning > evidence.PAIN_ACCEPTABLE or during is None or morning >= during:
        return f"pain {morning}/10 the morning after {e.date}, not settled"
    return None


def _ease_pain(
    history: History,
    catalog: Catalog,
    profile: Profile,
    entries: Sequence,
    weeks: list[WeekLog],
    start: dt.date,
    next_week: int,
) -> tuple[History, list[Change]]:
    """Each move that hurt goes back to its easier variant, or rests until PAIN_REST_DAYS
    after the day it hurt. A session's pain counts against each move done that day that
    has no pain of its own."""
    done_on = {s.date: s.done for w in weeks for s in w.sessions}
    blamed: dict[str, tuple[dt.date, str]] = {}
    for e in sorted(entries, key=lambda e: e.date):
        why = hurt(e)
        if why is None:
            continue
        own = {x.exercise_id for x in entries if x.date == e.date and _pains(x)}
        ids = (
            [e.exercise_id]
            if e.exercise_id
            else [d.exercise.id for d in done_on.get(e.date, ()) if d.exercise.id not in own]
        )
        for i in ids:
            if i in catalog:
                blamed[i] = (e.date, why)
    if not blamed:
        return history, []
    previous, previous_sets = set(history.previous), dict(history.previous_sets)
    left_out = dict(history.left_out)
    changes = []
    for i, (day, why) in sorted(blamed.items()):
        easier = [
            e
            for e in catalog
            if e.progression == i and e.id not in blamed and profile.reason_excluded(e) is None
        ]
        rest_until = day + dt.timedelta(days=evidence.PAIN_REST_DAYS)
        last = next_week + math.ceil((rest_until - start).days / 7) - 1
        if easier:
            x = easier[0]
            # At least one week out, for the easier variant to take its place.
            left_out[i] = max(last, next_week)
            previous.add(x.id)
            previous_sets[x.id] = max(previous_sets.get(x.id, 0), previous_sets.get(i, 0))
            changes.append(Change(f"{i} -> {x.id}", why))
        elif last >= next_week:
            left_out[i] = last
            weeks_out = last - next_week + 1
            changes.append(
                Change(i, f"left out for {weeks_out} week{'s' * (weeks_out > 1)}: {why}")
            )
    eased = dataclasses.replace(
        history,
        previous=frozenset(previous),
        previous_sets=tuple(sorted(previous_sets.items())),
        left_out=tuple(sorted(left_out.items())),
    )
    return eased, changes


def progressions(adaptation: Adaptation, entries: Iterable) -> list[Change]:
    """The moves the adapted plan's first week (``entries``, plan entries) progressed from the
    last week done: a harder variant in place of a move, or more sets of it."""
    if not adaptation.weeks:
        return []
    history = adaptation.history
    now: dict[str, int] = defaultdict(int)
    for e in entries:
        now[e.exercise.id] += e.sets
    last = adaptation.weeks[-1]
    changes = []
    for i, sets in history.previous_sets:
        x = next((d.exercise for d in last.done if d.exercise.id == i), None)
        if x is None or x.role != "strength" or any(i == h for h, _ in history.held):
            continue
        why = f"its last {evidence.EARNED_SESSIONS} sessions at or under the planned effort"
        before = {d.exercise.id for d in last.done}
        if x.progression in now and x.progression not in before and i not in now:
            changes.append(Change(f"{i} -> {x.progression}", why))
        elif now.get(i, 0) > sets:
            changes.append(Change(i, f"{sets} -> {now[i]} sets a week: {why}"))
    return changes
