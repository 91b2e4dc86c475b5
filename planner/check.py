"""The independent plan validator: every hard rule, checked on a plan table without the solver.

It is both the written specification of a valid plan and the oracle the tests hold every solved
plan to. Each ``check_<rule>`` is the twin of the constraint family of the same name in
``planner.rules``. A plan may be one from the solver or a CSV edited by hand.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner import dose, evidence, ramp
from planner.catalog import GROUPS, ROLES, Catalog, Exercise
from planner.profile import DAYS, Profile
from planner.ramp import NO_HISTORY, History
from planner.rules import session_fill, strength_sessions

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Violation:
    rule: str
    where: str  # "row 4", "week 1 mon", "week 1"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message} [{self.rule}]"


@dataclass(frozen=True)
class Row:
    """One plan row, with its catalogue exercise looked up."""

    line: int  # 1-based data row number (the CSV line is line + 1)
    week: int
    day: int
    order: int
    exercise: Exercise
    sets: int
    reps: int
    hold_s: int
    minutes: float
    load: float

    @property
    def seconds(self) -> int:
        e = self.exercise
        return dose.seconds(e.role, e.dose, self.sets, self.reps, self.hold_s, e.per_side)

    @property
    def session(self) -> tuple[int, int]:
        return (self.week, self.day)

    @property
    def load_au(self) -> float:
        """Load recomputed from the dose (R8), not read from the file."""
        return self.seconds / 60 * self.exercise.rpe


def _where(session: tuple[int, int]) -> str:
    return f"week {session[0]} {DAYS[session[1]]}"


def _sessions(rows: list[Row]) -> dict[tuple[int, int], list[Row]]:
    out: dict[tuple[int, int], list[Row]] = defaultdict(list)
    for r in rows:
        out[r.session].append(r)
    return dict(sorted(out.items()))


def _weeks(rows: list[Row]) -> dict[int, list[Row]]:
    out: dict[int, list[Row]] = defaultdict(list)
    for r in rows:
        out[r.week].append(r)
    return dict(sorted(out.items()))


def _trains(rows: list[Row], group: str) -> list[Row]:
    return [r for r in rows if r.exercise.trains(group)]


def check_available_days(rows: list[Row], profile: Profile, history: History) -> list[Violation]:
    return [
        Violation("available_days", f"row {r.line}", f"{DAYS[r.day]} is not one of your days")
        for r in rows
        if DAYS[r.day] not in profile.days
    ]


def check_session_count(rows: list[Row], profile: Profile, history: History) -> list[Violation]:
    weeks = _weeks(rows)
    expected = range(history.next_week, history.next_week + profile.weeks)
    out = []
    for week in sorted(set(expected) | set(weeks)):
        count = len({r.day for r in weeks.get(week, [])})
        if count != profile.sessions:
            message = f"{count} sessions; asked for {profile.sessions}"
            out.append(Violation("session_count", f"week {week}", message))
    return out


def check_session_minutes(rows: list[Row], profile: Profile, history: History) -> list[Violation]:
    budget = profile.minutes * 60
    out = []
    for session, session_rows in _sessions(rows).items():
        floor = int(budget * session_fill(profile, profile.is_deload(session[0])))
        seconds = sum(r.seconds for r in session_rows)
        if seconds > budget:
            message = f"takes {seconds / 60:.1f} min, over your {profile.minutes} min"
        elif seconds < floor:
            message = f"takes {seconds / 60:.1f} min, under {floor / 60:.1f} min (too short)"
        else:
            continue
        out.append(Violation("session_minutes", _where(session), message))
    return out


def check_allowed_exercises(rows: list[Row], profile: Profile, history: History) -> list[Violation]:
    out = []
    for r in rows:
        reason = profile.reason_excluded(r.exercise)
        if reason:
            message = f"{r.exercise.id} is not allowed: {reason}"
            out.append(Violation("allowed_exercises", f"row {r.line}", message))
    return out


def check_dose(rows: list[Row], profile: Profile, history: History) -> list[Violation]:
    out = []
    for r in rows:
        e, rx = r.exercise, dose.prescribe(r.exercise, profile, profile.is_deload(r.week))
        problems = []
        if not rx.min_sets <= r.sets <= rx.max_sets:
            problems.append(f"{r.sets} sets; allowed {rx.min_sets} to {rx.max_sets}")
        if r.reps != rx.reps:
            problems.append(f"{r.reps} reps; prescribed {rx.reps}")
        if e.role != "stretch" and r.hold_s != rx.hold_s:
            problems.append(f"{r.hold_s} s holds; prescribed {rx.hold_s} s")
        if e.role == "stretch":
            low, high = evidence.STRETCH_HOLD_MIN_S, evidence.STRETCH_HOLD_MAX_S
            if not low <= r.hold_s <= high:
                problems.append(f"{r.hold_s} s holds; allowed {low} to {high} s")
            per_side = dose.stretch_seconds_per_side(r.sets, r.reps, r.hold_s)
            if per_side < evidence.STRETCH_TOTAL_MIN_S:
                problems.append(
                    f"{per_side} s of stretch per side; at least {evidence.STRETCH_TOTAL_MIN_S} s"
                )
        if abs(r.minutes - r.seconds / 60) > 0.01:
            problems.append(f"minutes {r.minutes:g} do not match the dose ({r.seconds / 60:.2f})")
        expected_load = r.seconds / 60 * e.rpe
        if abs(r.load - expected_load) > 0.051:
            problems.append(f"load {r.load:g} is not minutes x RPE ({expected_load:.1f})")
        out += [Violation("dose", f"row {r.line}", f"{e.id}: {p}") for p in problems]
    return out


def check_stretch_ceiling(rows: list[Row], profile: Profile, history: History) -> list[Violation]:
    out = []
    for session, session_rows in _sessions(rows).items():
        held: dict[str, int] = defaultdict(int)
        for r in session_rows:
            if r.exercise.role == "stretch":
                held[r.exercise.primary] += dose.stretch_seconds_per_side(r.sets, r.reps, r.hold_s)
        for group, seconds in held.items():
            if seconds > evidence.STRETCH_CEILING_S:
                cap = evidence.STRETCH_CEILING_S
                message = f"{seconds} s of {group} stretching a side; at most {cap} s"
                out.append(Violation("stretch_ceiling", _where(session), message))
    return out


def check_session_mix(rows: list[Row], profile: Profile, history: History) -> list[Violation]:
    out = []
    every = profile.sessions <= evidence.MAX_STRENGTH_SESSIONS
    for session, session_rows in _sessions(rows).items():
        roles = [r.exercise.role for r in session_rows]
        if not {"release", "stretch"} & set(roles):
            out.append(Violation("session_mix", _where(session), "no stretch or release"))
        if every and "strength" not in roles:
            out.append(Violation("session_mix", _where(session), "no strengthening"))
        if roles.count("release") > evidence.MAX_RELEASES_PER_SESSION:
            message = (
                f"{roles.count('release')} releases; at most {evidence.MAX_RELEASES_PER_SESSION}"
            )
            out.append(Violation("session_mix", _where(session), message))
    if not every:
        need = strength_sessions(profile)
        for week, week_rows in _weeks(rows).items():
            count = len({r.day for r in week_rows if r.exercise.role == "strength"})
            if count < need:
                message = f"{count} sessions strengthen; at least {need}"
                out.append(Violation("session_mix", f"week {week}", message))
    return out


def check_recovery(rows: list[Row], profile: Profile, history: History) -> list[Violation]:
    """Consecutive days across the plan; a one-week plan repeats, so its Sunday meets Monday."""
    first = min((r.week for r in rows), default=1)
    span = 7 * (max((r.week for r in rows), default=1) - first + 1)
    out = []
    for g in GROUPS:
        days = {(r.week - first) * 7 + r.day for r in _trains(rows, g)}
        for day in sorted(days):
            nxt = (day + 1) % span if profile.weeks == 1 else day + 1
            if nxt in days:
                here, there = divmod(day, 7), divmod(nxt, 7)
                message = (
                    f"{g} strengthened on {DAYS[here[1]]} and again on {DAYS[there[1]]}, "
                    "under 48 h apart"
                )
                out.append(Violation("recovery", _where((here[0] + first, here[1])), message))
    return out


def check_strength_days(rows: list[Row], profile: Profile, history: History) -> list[Violation]:
    need = profile.required_strength_days
    out = []
    for week, week_rows in _weeks(rows).items():
        for g in evidence.STRENGTHENED_GROUPS:
            days = len({r.day for r in _trains(week_rows, g)})
            if days < need:
                message = f"{g} strengthened on {days} day(s); needs {need}"
                out.append(Violation("strength_days", f"week {week}", message))
    return out


def check_hip_flexor_stretch(
    rows: list[Row], profile: Profile, history: History
) -> list[Violation]:
    need = profile.hip_flexor_stretch_sessions
    out = []
    for week, week_rows in _weeks(rows).items():
        days = len({r.day for r in week_rows if r.exercise.stretches_hip_flexors})
        if days < need:
            message = f"hip flexors stretched in {days} session(s); needs {need}"
            out.append(Violation("hip_flexor_stretch", f"week {week}", message))
    return out


def check_balance(rows: list[Row], profile: Profile, history: History) -> list[Violation]:
    out = []
    for week, week_rows in _weeks(rows).items():
        sets = {g: sum(r.sets for r in _trains(week_rows, g)) for g in GROUPS}
        for more, less in evidence.BALANCE_PAIRS:
            if sets[more] > sets[less]:
                message = f"{sets[more]} {more} strength sets exceed {sets[less]} {less} sets"
                out.append(Violation("balance", f"week {week}", message))
    return out


def weekly_loads(rows: list[Row]) -> dict[int, float]:
    """Load of each week in AU, recomputed from the doses."""
    return {week: sum(r.load_au for r in week_rows) for week, week_rows in _weeks(rows).items()}


def _programme(rows: list[Row], profile: Profile, history: History):
    """(week, load, deload, history before the week) for each week of a programme."""
    for week, load in weekly_loads(rows).items():
        deload = profile.is_deload(week)
        yield week, load, deload, history
        history = history.then(load, deload)


def check_ramp(rows: list[Row], profile: Profile, history: History) -> list[Violation]:
    if profile.weeks == 1:
        return []  # a lone week has nothing to ramp from
    out = []
    for week, load, deload, before in _programme(rows, profile, history):
        b = ramp.band(profile, before, deload)
        kind = ramp.phase(profile, before, deload)
        if not b.low - 0.01 <= load <= b.high + 0.01:
            message = f"{kind} week load {load:.1f} AU outside {b.low:.1f} to {b.high:.1f} AU"
            out.append(Violation("ramp", f"week {week}", message))
    return out


def check_acute_chronic(rows: list[Row], profile: Profile, history: History) -> list[Violation]:
    if profile.weeks == 1:
        return []
    out = []
    for week, load, _, before in _programme(rows, profile, history):
        ratio = ramp.acute_chronic(load, profile, before)
        if ratio > profile.acwr_cap + 1e-6:  # Profile keeps the cap under 1.5 (ACWR_DANGER)
            message = f"acute:chronic ratio {ratio:.2f} above {profile.acwr_cap:g}"
            out.append(Violation("acute_chronic", f"week {week}", message))
    return out


def check_week_shape(rows: list[Row], profile: Profile, history: History) -> list[Violation]:
    out = []
    for week, week_rows in _weeks(rows).items():
        daily: dict[int, float] = defaultdict(float)
        for r in week_rows:
            daily[r.day] += r.load_au
        mean = sum(daily.values()) / len(daily)
        for day, load in sorted(daily.items()):
            if load > mean * evidence.SPIKE_CAP_PCT / 100 + 0.01:
                message = (
                    f"session load {load:.1f} AU above {evidence.SPIKE_CAP_PCT} % of the "
                    f"mean {mean:.1f} AU"
                )
                out.append(Violation("week_shape", _where((week, day)), message))
        value = ramp.monotony(list(daily.values()))
        allows = profile.sessions <= evidence.MONOTONY_MAX_SESSIONS
        if allows and value > evidence.MONOTONY_CAP + 1e-9:
            message = f"monotony {value:.2f} above {evidence.MONOTONY_CAP}"
            out.append(Violation("week_shape", f"week {week}", message))
    return out


def check_order(rows: list[Row], profile: Profile, history: History) -> list[Violation]:
    out = []
    for session, session_rows in _sessions(rows).items():
        ordered = sorted(session_rows, key=lambda r: r.order)
        if [r.order for r in ordered] != list(range(1, len(ordered) + 1)):
            out.append(Violation("order", _where(session), "order is not 1, 2, 3, ..."))
        for before, after in zip(ordered, ordered[1:], strict=False):
            if ROLES.index(before.exercise.role) > ROLES.index(after.exercise.role):
                message = (
                    f"{before.exercise.id} ({before.exercise.role}) comes before "
                    f"{after.exercise.id} ({after.exercise.role})"
                )
                out.append(Violation("order", _where(session), message))
    return out


def check_weekly_repeats(rows: list[Row], profile: Profile, history: History) -> list[Violation]:
    cap = profile.max_days_per_exercise
    out = []
    for week, week_rows in _weeks(rows).items():
        days: dict[str, set[int]] = defaultdict(set)
        for r in week_rows:
            days[r.exercise.id].add(r.day)
        for exercise_id, on in days.items():
            if len(on) > cap:
                message = f"{exercise_id} on {len(on)} days; at most {cap}"
                out.append(Violation("weekly_repeats", f"week {week}", message))
    return out


CHECKS = (
    check_available_days,
    check_session_count,
    check_session_minutes,
    check_allowed_exercises,
    check_dose,
    check_stretch_ceiling,
    check_session_mix,
    check_recovery,
    check_strength_days,
    check_hip_flexor_stretch,
    check_balance,
    check_ramp,
    check_acute_chronic,
    check_week_shape,
    check_order,
    check_weekly_repeats,
)


def check_plan(
    frame: pd.DataFrame, catalog: Catalog, profile: Profile, history: History = NO_HISTORY
) -> list[Violation]:
    """Every rule violation in ``frame`` (the CSV contract's columns), in rule order.

    ``history`` holds the weekly loads before the plan (``--after``) for the ramp rules."""
    rows, problems = plan_rows(frame, catalog)
    for check in CHECKS:
        problems += check(rows, profile, history)
    return problems


def plan_rows(frame: pd.DataFrame, catalog: Catalog) -> tuple[list[Row], list[Violation]]:
    """The frame's rows with their exercises looked up, and a violation for each row that
    names an unknown exercise or repeats one in a session."""
    rows, problems = [], []
    seen: set[tuple[int, int, str]] = set()
    for line, record in enumerate(frame.to_dict("records"), 1):
        exercise_id = str(record["exercise_id"])
        if exercise_id not in catalog:
            message = f"{exercise_id!r} is not in the catalogue {catalog.source}"
            problems.append(Violation("allowed_exercises", f"row {line}", message))
            continue
        key = (int(record["week"]), DAYS.index(record["day"]), exercise_id)
        if key in seen:
            message = f"{exercise_id} appears twice in one session"
            problems.append(Violation("weekly_repeats", f"row {line}", message))
        seen.add(key)
        rows.append(
            Row(
                line=line,
                week=key[0],
                day=key[1],
                order=int(record["order"]),
                exercise=catalog[exercise_id],
                sets=int(record["sets"]),
                reps=int(record["reps"]),
                hold_s=int(record["hold_s"]),
                minutes=float(record["minutes"]),
                load=float(record["load"]),
            )
        )
    return rows, problems


def history_after(frame: pd.DataFrame, catalog: Catalog, profile: Profile) -> History:
    """What a finished plan leaves for the next block (``--after``): its weekly loads, the
    last build week's exercises and the groups its last Sunday strengthened."""
    rows, problems = plan_rows(frame, catalog)
    if problems:
        raise ValueError(str(problems[0]))
    loads = weekly_loads(rows)
    weeks = sorted(loads)
    if len(weeks) != weeks[-1] - weeks[0] + 1:  # sorted and distinct: no list of the range
        raise ValueError(f"weeks {weeks[0]} to {weeks[-1]} have gaps; a plan has every week")
    history = History(first_week=weeks[0])
    for week, week_rows in _weeks(rows).items():
        history = history.carry(loads[week], profile.is_deload(week), week_rows, profile)
    return history
