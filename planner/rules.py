"""The hard rules of a plan: each family declared once, its model constraint and its validator
twin side by side.

``@rule(asks=..., change=...)`` on a function that adds the family's constraints to a week
model registers the family under the function's name, with the words shown to the person (what
it asks, which settings relax it); ``@<family>.check`` on the function beside it registers the
twin that finds the family's violations in a finished plan without the solver. ``RULES`` holds
the families in declaration order, which is the order the model adds them and the validator
reports them; a family without a twin is an error at import.

Nothing here imports the solver: the model functions only call the ``WeekModel`` they are given
(``wm.require`` ties a constraint to the family being added, so that a deletion filter can
switch the family off), and the twins read a ``Plan``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner import balance, evidence, ramp
from planner import dose as dosing
from planner.catalog import GROUPS, SESSION_ORDER, Catalog
from planner.profile import AVOIDED, DAYS, Profile

if TYPE_CHECKING:
    from planner.model import WeekModel
    from planner.plan import Entry, Plan, Session


@dataclass(frozen=True)
class Violation:
    rule: str
    where: str  # "row 4", "week 1 mon", "week 1"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message} [{self.rule}]"


Constrain = Callable[["WeekModel"], None]
# A check yields (where, message) for each violation: "row 4", "week 1 mon" or "week 1".
Check = Callable[["Plan"], Iterable[tuple[str, str]]]


class Rule:
    """One family of hard rules: its name, what it asks in the person's terms, the settings
    that relax it, the model function and (once ``check`` has registered it) the validator
    twin. ``by_construction`` families add no constraint: the model cannot break them (its
    variables stand only for what they allow), so a deletion filter has nothing to switch."""

    def __init__(
        self, name: str, constrain: Constrain, asks: str, change: str, by_construction: bool
    ):
        self.name = name
        self.asks = asks
        self.change = change
        self.constrain = constrain
        self.by_construction = by_construction
        self.twin: Check | None = None

    def __repr__(self) -> str:
        return f"Rule({self.name!r})"

    def __call__(self, wm: WeekModel) -> None:
        """Add the family's constraints to ``wm``."""
        with wm.adding(self):
            self.constrain(wm)

    def check(self, twin: Check) -> Check:
        """Register ``twin`` (a decorator): the family's violations in a finished plan."""
        if self.twin is not None:
            raise TypeError(f"rule {self.name!r} already has a check")
        self.twin = twin
        return twin

    def violations(self, plan: Plan) -> list[Violation]:
        """The family's violations in ``plan``, each named after the family."""
        return [Violation(self.name, where, message) for where, message in self.twin(plan)]


RULES: dict[str, Rule] = {}


def rule(
    asks: str, change: str, *, by_construction: bool = False, name: str | None = None
) -> Callable[[Constrain], Rule]:
    """Declare a family of hard rules (a decorator on its model function, whose name is the
    family's unless ``name`` is given)."""

    def register(constrain: Constrain) -> Rule:
        key = name or constrain.__name__
        if key in RULES:
            raise TypeError(f"rule {key!r} is declared twice")
        family = Rule(key, constrain, asks, change, by_construction)
        RULES[family.name] = family
        return family

    return register


def guarded() -> tuple[str, ...]:
    """The families a deletion filter can switch off: those that add constraints."""
    return tuple(name for name, r in RULES.items() if not r.by_construction)


# --- shared by the families ---------------------------------------------------------------


def strength_sessions(profile: Profile) -> int:
    """Sessions a week that must strengthen: all of them, up to MAX_STRENGTH_SESSIONS (R3)."""
    return min(profile.sessions, evidence.MAX_STRENGTH_SESSIONS)


def session_fill(profile: Profile, deload: bool, easing: bool = False) -> float:
    """Share of the minutes a session must fill: deload weeks (R12) and weeks easing back in
    after missed ones (``ramp.easing``) may be shorter, and a deload after an eased week by
    the deload's share again."""
    fill = profile.session_fill
    if deload or easing:
        fill = min(fill, evidence.DELOAD_SESSION_FILL)
    if deload and easing:
        fill *= profile.deload_pct / 100
    return fill


def _where(session: Session) -> str:
    return f"week {session.week} {DAYS[session.day]}"


def _rows(plan: Plan) -> Iterator[tuple[int, Entry]]:
    """(row number in the CSV, entry), row 1 first."""
    return enumerate(plan.entries, 1)


def _easing(plan: Plan) -> dict[int, bool]:
    """Week -> whether it eases back in after missed weeks (``ramp.easing``)."""
    profile = plan.profile
    return {
        week: not profile.lone_week and ramp.easing(profile, before, profile.is_deload(week))
        for week, _, before in plan.carried
    }


def _trains(entries: Iterable[Entry], group: str) -> list[Entry]:
    return [e for e in entries if e.exercise.trains(group)]


def _programme(plan: Plan):
    """(week, load, deload, history before the week) for each week of a programme."""
    history = plan.history
    for week, load in plan.weekly_loads().items():
        deload = plan.profile.is_deload(week)
        yield week, load, deload, history
        history = history.then(load, deload)


# --- the families, in the order the model adds them -----------------------------------------


@rule("sessions only on your available days", "--days", by_construction=True)
def available_days(wm: WeekModel) -> None:
    """By construction: the model has variables only for the person's available days."""


@available_days.check
def _(plan: Plan) -> Iterator[tuple[str, str]]:
    for row, e in _rows(plan):
        if DAYS[e.day] not in plan.profile.days:
            yield f"row {row}", f"{DAYS[e.day]} is not one of your days"


@rule("exactly the requested number of sessions", "--sessions, --days")
def session_count(wm: WeekModel) -> None:
    wm.require(sum(wm.on.values()) == wm.profile.sessions)
    if len(wm.days) == 7 and wm.context.band is None and not wm.guards:
        # Symmetry: a lone week with every day free is unchanged by rotation (recovery wraps
        # Sunday to Monday), so some best week has a Monday session.
        wm.model.add(wm.on[0] == 1)


@session_count.check
def _(plan: Plan) -> Iterator[tuple[str, str]]:
    profile, first = plan.profile, plan.history.next_week
    expected = range(first, first + profile.weeks)
    for week in sorted(set(expected) | set(plan.weeks)):
        count = len({e.day for e in plan.weeks.get(week, ())})
        if count != profile.sessions:
            message = f"{count} sessions; asked for {profile.sessions}"
            yield f"week {week}", message


@rule(
    f"each session within your minutes and at least {evidence.SESSION_FILL:.0%} of them",
    "--minutes",
)
def session_minutes(wm: WeekModel) -> None:
    budget = wm.profile.minutes * 60
    floor = int(budget * session_fill(wm.profile, wm.context.deload, wm.context.easing))
    for d in wm.days:
        seconds = wm.day_seconds(d)
        wm.require(seconds <= budget * wm.on[d])
        wm.require(seconds >= floor * wm.on[d])


@session_minutes.check
def _(plan: Plan) -> Iterator[tuple[str, str]]:
    profile = plan.profile
    budget = profile.minutes * 60
    easing = _easing(plan)
    fill = {w: session_fill(profile, profile.is_deload(w), easing[w]) for w in plan.weeks}
    for session in plan.sessions:
        floor = int(budget * fill[session.week])
        seconds = session.seconds
        if seconds > budget:
            message = f"takes {seconds / 60:.1f} min, over your {profile.minutes} min"
        elif seconds < floor:
            message = f"takes {seconds / 60:.1f} min, under {floor / 60:.1f} min (too short)"
        else:
            continue
        yield _where(session), message


@rule(
    "each pinned exercise on its day every week",
    "--pin, pins (profile)",
)
def pinned(wm: WeekModel) -> None:
    """The person's pins: an exercise kept on a day (issue 18)."""
    for day, exercise in wm.profile.pinned:
        if exercise in wm.prescriptions and day in wm.days:
            wm.require(wm.x[exercise, day] == 1)


@pinned.check
def _(plan: Plan) -> Iterator[tuple[str, str]]:
    for week, entries in plan.weeks.items():
        if plan.kept(week):  # pins hold from the weeks planned now on
            continue
        placed = {(e.day, e.exercise.id) for e in entries}
        for day, exercise in plan.profile.pinned:
            if (day, exercise) not in placed:
                yield f"week {week} {DAYS[day]}", f"{exercise} is pinned to this day"


@rule(
    "only exercises your level, equipment, exclusions and conditions allow",
    "--level, --equipment, --exclude, --avoid, --session-time",
)
def allowed_exercises(wm: WeekModel) -> None:
    for e in wm.exercises:
        if e.id not in wm.allowed:
            for d in wm.days:
                wm.require(wm.x[e.id, d] == 0)


@allowed_exercises.check
def _(plan: Plan) -> Iterator[tuple[str, str]]:
    for row, e in _rows(plan):
        reason = plan.profile.reason_excluded(e.exercise)
        if reason == AVOIDED and plan.kept(e.week):
            continue  # avoided from the weeks planned now on
        if reason:
            message = f"{e.exercise.id} is not allowed: {reason}"
            yield f"row {row}", message


@rule(
    "sets and reps within your level's ranges; stretch holds "
    f"{evidence.STRETCH_HOLD_MIN_S}-{evidence.STRETCH_HOLD_MAX_S} s and at least "
    f"{evidence.STRETCH_TOTAL_MIN_S} s per side",
    "--level, --minutes",
    by_construction=True,
)
def dose(wm: WeekModel) -> None:
    """By construction: ``build_week`` bounds each exercise's sets by its prescription."""


@dose.check
def _(plan: Plan) -> Iterator[tuple[str, str]]:
    streaks = {week: dict(before.streaks) for week, _, before in plan.carried}
    for row, entry in _rows(plan):
        e = entry.exercise
        done = streaks[entry.week].get(e.id, 0)
        rx = dosing.prescribe(e, plan.profile, plan.profile.is_deload(entry.week), done)
        problems = []
        if not rx.min_sets <= entry.sets <= rx.max_sets:
            problems.append(f"{entry.sets} sets; allowed {rx.min_sets} to {rx.max_sets}")
        if entry.reps != rx.reps:
            problems.append(f"{entry.reps} reps; prescribed {rx.reps}")
        if e.role != "stretch" and entry.hold_s != rx.hold_s:
            problems.append(f"{entry.hold_s} s holds; prescribed {rx.hold_s} s")
        if e.role == "stretch":
            low, high = evidence.STRETCH_HOLD_MIN_S, evidence.STRETCH_HOLD_MAX_S
            if not low <= entry.hold_s <= high:
                problems.append(f"{entry.hold_s} s holds; allowed {low} to {high} s")
            per_side = dosing.stretch_seconds_per_side(entry.sets, entry.reps, entry.hold_s)
            if per_side < evidence.STRETCH_TOTAL_MIN_S:
                problems.append(
                    f"{per_side} s of stretch per side; at least {evidence.STRETCH_TOTAL_MIN_S} s"
                )
        if entry.stated is not None:
            minutes, load = entry.stated
            if abs(minutes - entry.seconds / 60) > 0.01:
                problems.append(
                    f"minutes {minutes:g} do not match the dose ({entry.seconds / 60:.2f})"
                )
            if abs(load - entry.load) > 0.051:
                problems.append(f"load {load:g} is not minutes x RPE ({entry.load:.1f})")
        for p in problems:
            yield f"row {row}", f"{e.id}: {p}"


@rule(
    f"at most {evidence.STRETCH_CEILING_S // 60} min of stretching a side for one "
    "muscle in a session (gains level off there)",
    "--minutes, --exclude",
)
def stretch_ceiling(wm: WeekModel) -> None:
    """R7: stretch seconds a side per primary muscle and session."""
    for g in GROUPS:
        stretches = [e for e in wm.exercises if e.role == "stretch" and e.primary == g]
        if not stretches:
            continue
        for d in wm.days:
            held = sum(
                wm.prescriptions[e.id].reps * wm.prescriptions[e.id].hold_s * wm.n[e.id, d]
                for e in stretches
            )
            wm.require(held <= evidence.STRETCH_CEILING_S)


@stretch_ceiling.check
def _(plan: Plan) -> Iterator[tuple[str, str]]:
    for session in plan.sessions:
        held: dict[str, int] = defaultdict(int)
        for e in session.entries:
            if e.exercise.role == "stretch":
                held[e.exercise.primary] += dosing.stretch_seconds_per_side(
                    e.sets, e.reps, e.hold_s
                )
        for group, seconds in held.items():
            if seconds > evidence.STRETCH_CEILING_S:
                cap = evidence.STRETCH_CEILING_S
                message = f"{seconds} s of {group} stretching a side; at most {cap} s"
                yield _where(session), message


@rule(
    "every session both stretches (or releases) and strengthens (up to "
    f"{evidence.MAX_STRENGTH_SESSIONS} sessions a week)",
    "--minutes, --equipment, --exclude",
)
def session_mix(wm: WeekModel) -> None:
    """Janda: lengthen, then strengthen, in every session (up to MAX_STRENGTH_SESSIONS of
    them; further sessions may only lengthen)."""
    for d in wm.days:
        lengthen = sum(wm.x[e.id, d] for e in wm.exercises if e.role in ("release", "stretch"))
        wm.require(lengthen >= wm.on[d])
    wm.require(sum(wm.strengthens(d) for d in wm.days) >= strength_sessions(wm.profile))


@session_mix.check
def _(plan: Plan) -> Iterator[tuple[str, str]]:
    profile = plan.profile
    every = profile.sessions <= evidence.MAX_STRENGTH_SESSIONS
    for session in plan.sessions:
        roles = [e.exercise.role for e in session.entries]
        if not {"release", "stretch"} & set(roles):
            yield _where(session), "no stretch or release"
        if every and "strength" not in roles:
            yield _where(session), "no strengthening"
    if not every:
        need = strength_sessions(profile)
        for week, entries in plan.weeks.items():
            count = len({e.day for e in entries if e.exercise.role == "strength"})
            if count < need:
                message = f"{count} sessions strengthen; at least {need}"
                yield f"week {week}", message


def warm_up_caps(profile: Profile) -> tuple[int, int]:
    """(releases, mobility drills) the profile's sessions may open with (R20)."""
    long = profile.minutes >= evidence.WARM_UP_LONG_MINUTES
    return profile.max_releases[long], profile.max_mobility[long]


@rule(
    "a short warm-up opening every session: a release or a mobility drill, at most "
    f"{evidence.WARM_UP_RELEASES} release and "
    f"{evidence.WARM_UP_MOBILITY} mobility drills a session that strengthens "
    f"({evidence.WARM_UP_LONG_RELEASES} and {evidence.WARM_UP_LONG_MOBILITY} from "
    f"{evidence.WARM_UP_LONG_MINUTES} min)",
    "--minutes, --exclude, max_releases, max_mobility (profile)",
)
def warm_up(wm: WeekModel) -> None:
    """R20: the warm-up opens every session and stays short. Releases are capped in every
    session; mobility drills in those that strengthen (other days may be mobility days)."""
    releases = [e for e in wm.exercises if e.role == "release"]
    mobility = [e for e in wm.exercises if e.role == "mobility"]
    release_cap, mobility_cap = warm_up_caps(wm.profile)
    for d in wm.days:
        wm.require(sum(wm.x[e.id, d] for e in releases + mobility) >= wm.on[d])
        if len(releases) > release_cap:
            wm.require(sum(wm.x[e.id, d] for e in releases) <= release_cap)
        if len(mobility) > mobility_cap:
            drills = sum(wm.x[e.id, d] for e in mobility)
            wm.require(drills <= mobility_cap).only_enforce_if(wm.strengthens(d))


@warm_up.check
def _(plan: Plan) -> Iterator[tuple[str, str]]:
    release_cap, mobility_cap = warm_up_caps(plan.profile)
    for session in plan.sessions:
        roles = [e.exercise.role for e in session.entries]
        if not {"release", "mobility"} & set(roles):
            yield _where(session), "no warm-up: neither a release nor a mobility drill"
        if roles.count("release") > release_cap:
            yield _where(session), f"{roles.count('release')} releases; at most {release_cap}"
        if "strength" in roles and roles.count("mobility") > mobility_cap:
            message = f"{roles.count('mobility')} mobility drills; at most {mobility_cap}"
            yield _where(session), message


@rule(
    f"at most {evidence.STRETCHES_PER_SESSION} stretches a session, at most "
    f"{evidence.STRETCHES_PER_MUSCLE} for one muscle",
    "--minutes, --exclude, max_stretches, max_stretches_per_muscle (profile)",
)
def stretch_block(wm: WeekModel) -> None:
    """R20/R21: stretch what is tight, briefly; then strengthen."""
    stretches = [e for e in wm.exercises if e.role == "stretch"]
    by_muscle: dict[str, list] = defaultdict(list)
    for e in stretches:
        by_muscle[e.primary].append(e)
    most, per_muscle = wm.profile.max_stretches, wm.profile.max_stretches_per_muscle
    for d in wm.days:
        if len(stretches) > most:
            wm.require(sum(wm.x[e.id, d] for e in stretches) <= most)
        for same in by_muscle.values():
            if len(same) > per_muscle:
                wm.require(sum(wm.x[e.id, d] for e in same) <= per_muscle)


@stretch_block.check
def _(plan: Plan) -> Iterator[tuple[str, str]]:
    most, most_per_muscle = plan.profile.max_stretches, plan.profile.max_stretches_per_muscle
    for session in plan.sessions:
        stretches = [e.exercise for e in session.entries if e.exercise.role == "stretch"]
        if len(stretches) > most:
            yield _where(session), f"{len(stretches)} stretches; at most {most}"
        per_muscle: dict[str, int] = defaultdict(int)
        for e in stretches:
            per_muscle[e.primary] += 1
        for group, count in per_muscle.items():
            if count > most_per_muscle:
                yield _where(session), f"{count} {group} stretches; at most {most_per_muscle}"


def session_strength_exercises(profile: Profile) -> tuple[int, int]:
    """(least, most) strength exercises a session of the profile's that strengthens holds
    (R20): the least applies from SESSION_STRENGTH_MINUTES."""
    least, most = profile.strength_exercises
    return (least if profile.minutes >= evidence.SESSION_STRENGTH_MINUTES else 1), most


def by_pattern(exercises: Iterable) -> dict[str, list]:
    """Strength exercises grouped by movement pattern, where a session could exceed
    STRENGTH_PER_PATTERN of one (R22: a session spreads its patterns). An exercise without a
    pattern (``Exercise.pattern`` empty) is of none, so never capped with another."""
    groups: dict[str, list] = defaultdict(list)
    for e in exercises:
        if e.role == "strength" and e.pattern:
            groups[e.pattern].append(e)
    return {p: same for p, same in groups.items() if len(same) > evidence.STRENGTH_PER_PATTERN}


@rule(
    f"every session that strengthens spends at least {evidence.SESSION_STRENGTH_PCT} % of its "
    f"time on it, with {evidence.SESSION_STRENGTH_EXERCISES} to {evidence.SESSION_STRENGTH_MAX} "
    f"strength exercises ({evidence.SESSION_STRENGTH_EXERCISES} from "
    f"{evidence.SESSION_STRENGTH_MINUTES} min), at most {evidence.STRENGTH_PER_PATTERN} of one "
    "movement pattern",
    "--minutes, --equipment, --exclude, --level, session_strength_pct, strength_exercises "
    "(profile)",
)
def strength_block(wm: WeekModel) -> None:
    """R20: strengthening is a real block of the session: 100 S_d >= pct T_d, enforced when
    day d strengthens; R22: at most STRENGTH_PER_PATTERN of its exercises of one pattern."""
    if not any(e.role == "strength" for e in wm.exercises):
        return
    need, most = session_strength_exercises(wm.profile)
    pct = wm.profile.session_strength_pct
    strength = [e for e in wm.exercises if e.role == "strength"]
    patterns = by_pattern(strength)
    for d in wm.days:
        lit = wm.strengthens(d)
        share = 100 * wm.strength_seconds(d) >= pct * wm.day_seconds(d)
        wm.require(share).only_enforce_if(lit)
        count = sum(wm.x[e.id, d] for e in strength)
        if need > 1:
            wm.require(count >= need * lit)
        if len(strength) > most:
            wm.require(count <= most)
        for same in patterns.values():
            wm.require(sum(wm.x[e.id, d] for e in same) <= evidence.STRENGTH_PER_PATTERN)


@strength_block.check
def _(plan: Plan) -> Iterator[tuple[str, str]]:
    need, most = session_strength_exercises(plan.profile)
    pct = plan.profile.session_strength_pct
    for session in plan.sessions:
        strength = [e for e in session.entries if e.exercise.role == "strength"]
        if not strength:
            continue
        seconds = sum(e.seconds for e in strength)
        if 100 * seconds < pct * session.seconds:
            share = 100 * seconds / session.seconds
            yield (
                _where(session),
                f"strengthening takes {share:.0f} % of the time; at least {pct} %",
            )
        if len(strength) < need:
            message = (
                f"{len(strength)} strength exercise(s); at least {need} in a session of "
                f"{evidence.SESSION_STRENGTH_MINUTES} min or more"
            )
            yield _where(session), message
        if len(strength) > most:
            yield _where(session), f"{len(strength)} strength exercises; at most {most}"
        cap = evidence.STRENGTH_PER_PATTERN
        for pattern, same in by_pattern(e.exercise for e in strength).items():
            message = f"{len(same)} {pattern} strength exercises; at most {cap} of one pattern"
            yield _where(session), message


@rule(
    "strengthening at least your share of the week's time ("
    + " / ".join(str(level["strength_share_pct"]) for level in evidence.LEVELS.values())
    + " % by level)",
    "strength_share_pct (profile), --minutes, --equipment, --exclude",
)
def strength_share(wm: WeekModel) -> None:
    """R20: 100 x the week's strength seconds >= pct x the week's seconds."""
    pct = wm.profile.strength_share_pct
    if pct == 0 or not any(e.role == "strength" for e in wm.exercises):
        return
    strength = sum(wm.strength_seconds(d) for d in wm.days)
    total = sum(wm.day_seconds(d) for d in wm.days)
    wm.require(100 * strength >= pct * total)


@strength_share.check
def _(plan: Plan) -> Iterator[tuple[str, str]]:
    pct = plan.profile.strength_share_pct
    for week, entries in plan.weeks.items():
        total = sum(e.seconds for e in entries)
        strength = sum(e.seconds for e in entries if e.exercise.role == "strength")
        if 100 * strength < pct * total:
            message = (
                f"strengthening takes {100 * strength / total:.0f} % of the week; at least {pct} %"
            )
            yield f"week {week}", message


@rule("no muscle group strengthened on two days in a row (48 h recovery)", "--days, --sessions")
def recovery(wm: WeekModel) -> None:
    """R1: at least 48 h between strength work for one group. Every week also rests its own
    Monday from its own Sunday's groups, as if it repeated: a lone week does repeat, and in a
    programme the next week can always reuse this week's pattern, so solving week by week
    never dead-ends on recovery. Monday also rests what the Sunday before strengthened."""
    days = set(wm.days)
    for g in GROUPS:
        if not any(e.trains(g) for e in wm.exercises):
            continue
        for d in wm.days:
            nxt = (d + 1) % 7
            if nxt in days:
                wm.require(wm.works(g, d) + wm.works(g, nxt) <= 1)
        if 0 in days and g in wm.context.rested_monday:
            wm.require(wm.works(g, 0) == 0)


@recovery.check
def _(plan: Plan) -> Iterator[tuple[str, str]]:
    """Consecutive days across the plan; a lone week repeats, so its Sunday meets Monday."""
    entries = plan.entries
    first = min((e.week for e in entries), default=1)
    span = 7 * (max((e.week for e in entries), default=1) - first + 1)
    for g in GROUPS:
        days = {(e.week - first) * 7 + e.day for e in _trains(entries, g)}
        for day in sorted(days):
            nxt = (day + 1) % span if plan.profile.lone_week else day + 1
            if nxt in days:
                here, there = divmod(day, 7), divmod(nxt, 7)
                message = (
                    f"{g} strengthened on {DAYS[here[1]]} and again on {DAYS[there[1]]}, "
                    "under 48 h apart"
                )
                where = f"week {here[0] + first} {DAYS[here[1]]}"
                yield where, message


@rule(
    "glutes, hamstrings, core and lower back each strengthened on "
    f"{evidence.STRENGTH_DAYS_PER_GROUP} days (1 when under "
    f"{evidence.SESSIONS_FOR_FULL_STRENGTH_DAYS} sessions)",
    "--sessions, --minutes, --equipment, --level",
)
def strength_days(wm: WeekModel) -> None:
    need = wm.profile.required_strength_days
    for g in evidence.STRENGTHENED_GROUPS:
        wm.require(sum(wm.works(g, d) for d in wm.days) >= need)


@strength_days.check
def _(plan: Plan) -> Iterator[tuple[str, str]]:
    need = plan.profile.required_strength_days
    for week, entries in plan.weeks.items():
        for g in evidence.STRENGTHENED_GROUPS:
            days = len({e.day for e in _trains(entries, g)})
            if days < need:
                message = f"{g} strengthened on {days} day(s); needs {need}"
                yield f"week {week}", message


@rule(
    f"hip-flexor stretching in {evidence.HIP_FLEXOR_STRETCH_SESSIONS} sessions "
    "(every session when fewer)",
    "--minutes, --equipment, --exclude",
)
def hip_flexor_stretch(wm: WeekModel) -> None:
    stretches = [e for e in wm.exercises if e.stretches_hip_flexors]
    sessions = []
    for d in wm.days:
        lit = wm.model.new_bool_var(f"hip_flexor_stretch_{d}")
        wm.model.add(lit <= sum(wm.x[e.id, d] for e in stretches))
        sessions.append(lit)
    wm.require(sum(sessions) >= wm.profile.hip_flexor_stretch_sessions)


def missing_work(catalog: Catalog, profile: Profile) -> list[tuple[str, tuple[str, ...]]]:
    """What ``strength_days``, ``weekly_patterns``, ``hip_flexor_stretch`` and ``warm_up``
    need that no exercise can supply, as (what is missing, the rules that cannot hold for it):
    a group no strength exercise of the catalogue trains (that rule), or none the profile
    allows (that rule and ``allowed_exercises``); a weekly pattern, a hip-flexor stretch and a
    warm-up move likewise.
    Found before any search, in words that point at the catalogue or at the settings."""
    allowed = profile.allowed(catalog)
    needs = [
        (f"strength exercise for {g}", "strength_days", lambda e, g=g: e.trains(g))
        for g in evidence.STRENGTHENED_GROUPS
    ]
    needs += [
        (f"{' or '.join(need)} exercise", "weekly_patterns", lambda e, n=need: e.pattern in n)
        for need in (evidence.WEEKLY_PATTERNS if profile.posterior_patterns else ())
    ]
    needs.append(("hip-flexor stretch", "hip_flexor_stretch", lambda e: e.stretches_hip_flexors))
    needs.append(("release or mobility drill", "warm_up", lambda e: e.role in SESSION_ORDER[:2]))
    out = []
    for what, rule_name, supplies in needs:
        if any(supplies(e) for e in allowed):
            continue
        existing = [e.id for e in catalog if supplies(e)]
        if not existing:
            out.append((f"the catalogue {catalog.source} has no {what}", (rule_name,)))
        else:
            shown = ", ".join(existing[:3]) + (", ..." if len(existing) > 3 else "")
            out.append(
                (
                    f"no {what} that your level, equipment, exclusions and conditions allow "
                    f"(the catalogue has {len(existing)}: {shown})",
                    ("allowed_exercises", rule_name),
                )
            )
    return out


@hip_flexor_stretch.check
def _(plan: Plan) -> Iterator[tuple[str, str]]:
    need = plan.profile.hip_flexor_stretch_sessions
    for week, entries in plan.weeks.items():
        days = len({e.day for e in entries if e.exercise.stretches_hip_flexors})
        if days < need:
            message = f"hip flexors stretched in {days} session(s); needs {need}"
            yield f"week {week}", message


@rule(
    "glutes, core and hamstrings each strengthened with at least your weekly sets ("
    + " / ".join(str(level["weekly_sets"][0]) for level in evidence.LEVELS.values())
    + " by level, half in a deload week or one easing back in; a set counts 1 for its main "
    "group, 0.5 for others)",
    "weekly_sets (profile), --sessions, --minutes, --equipment, --exclude",
)
def weekly_sets(wm: WeekModel) -> None:
    """R18/R19: fractional strength sets a week for each weak group, in half-sets."""
    need = balance.minimum(wm.profile, wm.context.deload or wm.context.easing)
    if need:
        for g in evidence.WEAK_GROUPS:
            wm.require(wm.half_sets(g) >= need)


@weekly_sets.check
def _(plan: Plan) -> Iterator[tuple[str, str]]:
    easing = _easing(plan)
    for week, entries in plan.weeks.items():
        need = balance.minimum(plan.profile, plan.profile.is_deload(week) or easing[week])
        for g in evidence.WEAK_GROUPS:
            have = balance.half_sets(entries, g)
            if have < need:
                message = f"{have / 2:g} {g} strength sets; at least {need / 2:g}"
                yield f"week {week}", message


@rule(
    "glute strength sets at least hip-flexor ones, core at least hip-flexor and lower-back "
    f"ones, core at most {evidence.CORE_PER_GLUTE}x glutes (fractional sets a week)",
    "--equipment, --exclude, --level",
    name="balance",
)
def balance_rule(wm: WeekModel) -> None:
    """Strengthen what is weak, not what is tight: counted in fractional sets a week."""
    for more, less in evidence.BALANCE_PAIRS:
        wm.require(wm.half_sets(more) <= wm.half_sets(less))
    wm.require(wm.half_sets("core") <= evidence.CORE_PER_GLUTE * wm.half_sets("glutes"))


@balance_rule.check
def _(plan: Plan) -> Iterator[tuple[str, str]]:
    for week, entries in plan.weeks.items():
        sets = balance.week_sets(entries)
        for more, less in evidence.BALANCE_PAIRS:
            if sets[more] > sets[less]:
                message = f"{sets[more]:g} {more} strength sets exceed {sets[less]:g} {less} sets"
                yield f"week {week}", message
        top = evidence.CORE_PER_GLUTE * sets["glutes"]
        if sets["core"] > top:
            message = (
                f"{sets['core']:g} core strength sets exceed {evidence.CORE_PER_GLUTE} x "
                f"{sets['glutes']:g} glute sets"
            )
            yield f"week {week}", message


@rule(
    "every week a hinge or hamstring curl and a bridge or hip thrust",
    "posterior_patterns (profile), --equipment, --exclude, --level",
)
def weekly_patterns(wm: WeekModel) -> None:
    """R22: the posterior chain's two patterns, at least once a week each."""
    if not wm.profile.posterior_patterns:
        return
    for need in evidence.WEEKLY_PATTERNS:
        placements = [wm.x[e.id, d] for e in wm.exercises if e.pattern in need for d in wm.days]
        wm.require(sum(placements) >= 1)


@weekly_patterns.check
def _(plan: Plan) -> Iterator[tuple[str, str]]:
    if not plan.profile.posterior_patterns:
        return
    for week, entries in plan.weeks.items():
        for need in balance.missing_patterns(entries):
            yield f"week {week}", f"no {' or '.join(need)} exercise"


def _flexes_hips(e) -> bool:
    """Strength work whose main work is the hip flexors (the catalogue's hip_flexion)."""
    return e.role == "strength" and e.primary == "hip_flexors"


@rule(
    f"at most {evidence.HIP_FLEXION_PER_WEEK} hip-flexor strengthening exercise a week (tight "
    "hip flexors need it least)",
    "--allow-hip-flexor-dominant, --exclude",
)
def hip_flexion_limit(wm: WeekModel) -> None:
    if wm.profile.allow_hip_flexor_dominant:
        return  # the person asked for hip-flexor work
    placements = [wm.x[e.id, d] for e in wm.exercises if _flexes_hips(e) for d in wm.days]
    if placements:
        wm.require(sum(placements) <= evidence.HIP_FLEXION_PER_WEEK)


@hip_flexion_limit.check
def _(plan: Plan) -> Iterator[tuple[str, str]]:
    if plan.profile.allow_hip_flexor_dominant:
        return
    cap = evidence.HIP_FLEXION_PER_WEEK
    for week, entries in plan.weeks.items():
        placed = [e.exercise.id for e in entries if _flexes_hips(e.exercise)]
        if len(placed) > cap:
            message = (
                f"{len(placed)} hip-flexor strength exercises ({', '.join(placed)}); at most {cap}"
            )
            yield f"week {week}", message


@rule(
    f"weekly load up at most the ramp cap ({evidence.RAMP_CAP_PCT} % by default) and "
    f"at least {evidence.RAMP_MIN_PCT} % in build weeks until the target, about "
    f"{evidence.DELOAD_PCT} % in deload weeks",
    "--minutes, --sessions, ramp_cap_pct, start_load, deload_pct (profile)",
    name="ramp",
)
def ramp_rule(wm: WeekModel) -> None:
    """R10/R12: the week's load within its ramp band (build or deload); AU x 60 = RPE x s."""
    band = wm.context.band
    if band is not None:
        load = wm.week_load()
        wm.require(load >= math.ceil(band.low * 60))
        wm.require(load <= math.floor(band.high * 60))


@ramp_rule.check
def _(plan: Plan) -> Iterator[tuple[str, str]]:
    profile = plan.profile
    if profile.lone_week:
        return  # a lone week has nothing to ramp from
    for week, load, deload, before in _programme(plan):
        b = ramp.band(profile, before, deload)
        kind = ramp.phase(profile, before, deload)
        if not b.low - 0.01 <= load <= b.high + 0.01:
            message = f"{kind} week load {load:.1f} AU outside {b.low:.1f} to {b.high:.1f} AU"
            yield f"week {week}", message


@rule(
    "a deload week keeps the last build week's exercises, none with more sets, and "
    f"{100 - evidence.DELOAD_SETS_PCT[1]}-{100 - evidence.DELOAD_SETS_PCT[0]} % fewer "
    "strength sets",
    "deload_every, deload_pct (profile)",
)
def deload(wm: WeekModel) -> None:
    """R12: a deload eases off the same exercises (fewer sets), not new ones."""
    if not wm.context.deload or not wm.context.previous_sets:
        return
    before = dict(wm.context.previous_sets)
    for e in wm.exercises:
        wm.require(sum(wm.n[e.id, d] for d in wm.days) <= before.get(e.id, 0))
    strength = [e for e in wm.exercises if e.role == "strength"]
    low, high = ramp.deload_sets(sum(before.get(e.id, 0) for e in strength))
    total = sum(wm.n[e.id, d] for e in strength for d in wm.days)
    wm.require(total >= low)
    wm.require(total <= high)


@deload.check
def _(plan: Plan) -> Iterator[tuple[str, str]]:
    roles = {e.exercise.id: e.exercise.role for e in plan.entries}
    for week, entries, history in plan.carried:
        if not plan.profile.is_deload(week) or not history.previous_sets:
            continue
        previous, now = dict(history.previous_sets), dict(ramp.sets_by_exercise(entries))
        for exercise_id, sets in sorted(now.items()):
            if sets > previous.get(exercise_id, 0):
                message = (
                    f"{exercise_id}: {sets} sets; the build week before had "
                    f"{previous.get(exercise_id, 0)}"
                )
                yield f"week {week}", message
        strength_before = sum(n for i, n in previous.items() if roles.get(i) == "strength")
        strength_now = sum(e.sets for e in entries if e.exercise.role == "strength")
        low, high = ramp.deload_sets(strength_before)
        if not low <= strength_now <= high:
            message = (
                f"{strength_now} strength sets; a deload after {strength_before} holds "
                f"{low} to {high}"
            )
            yield f"week {week}", message


@rule(
    "no three build weeks in a row the same: after two identical weeks, more sets of a "
    "strength move or a new one (its harder variant)",
    "--exclude, --equipment (more moves to progress to)",
)
def progression(wm: WeekModel) -> None:
    """R4: weeks that progress. Reps rise by themselves (dose.prescribe) until the top of the
    range; once two build weeks were the same, this one adds sets or a strength move."""
    if wm.context.deload or not wm.context.stale:
        return
    before = dict(wm.context.previous_sets)
    steps = []
    for e in wm.exercises:
        if e.role != "strength":
            continue
        if e.id not in before:
            steps += [wm.x[e.id, d] for d in wm.days]
            continue
        more = wm.model.new_bool_var(f"more_sets_{e.id}")
        total = sum(wm.n[e.id, d] for d in wm.days)
        wm.model.add(total >= before[e.id] + 1).only_enforce_if(more)
        steps.append(more)
    wm.require(sum(steps) >= 1)


@progression.check
def _(plan: Plan) -> Iterator[tuple[str, str]]:
    for week, entries, before in plan.carried:
        if plan.profile.is_deload(week) or not before.stale:
            continue
        if ramp.signature(entries) == before.last_week:
            yield f"week {week}", "the same as the two build weeks before it; progress it"


@rule(
    "an exercise that hurt (pain above 5/10 in the log) rests for two weeks",
    "planner log (the pain logged), --exclude",
)
def resting(wm: WeekModel) -> None:
    """The pain-monitoring model (Silbernagel 2007; planner.adaptation): moves the log says
    hurt too much are left out of the weeks ``History.left_out`` names."""
    for i in wm.context.left_out:
        if i in wm.prescriptions:
            for d in wm.days:
                wm.require(wm.x[i, d] == 0)


@resting.check
def _(plan: Plan) -> Iterator[tuple[str, str]]:
    for week, entries, before in plan.carried:
        placed = {e.exercise.id for e in entries}
        for i in sorted(placed & ramp.resting(before, week)):
            yield f"week {week}", f"{i} rests this week: it hurt (pain log)"


@rule(
    "a strength move gets more sets only after two sessions logged at or under its planned effort",
    "planner log (the effort logged)",
)
def earned(wm: WeekModel) -> None:
    """R4 (progress in small steps, once the dose is mastered; planner.adaptation): the
    moves ``History.held`` names keep at most their sets of the week before."""
    for i, sets in wm.context.held:
        if i in wm.prescriptions:
            wm.require(sum(wm.n[i, d] for d in wm.days) <= sets)


@earned.check
def _(plan: Plan) -> Iterator[tuple[str, str]]:
    for week, entries, before in plan.carried:
        done = dict(ramp.sets_by_exercise(entries))
        for i, sets in before.held:
            if done.get(i, 0) > sets:
                message = f"{i} has {done[i]} sets, over its {sets} until it is earned"
                yield f"week {week}", message


@rule(
    "each week's load at most the acute:chronic cap (never 1.5) times the mean of the 4 "
    "weeks before, or a deload week of the starting load when that is more",
    "start_load, acwr_cap (profile)",
)
def acute_chronic(wm: WeekModel) -> None:
    """R11: the week's load at most the acute:chronic cap times the chronic load
    (``ramp.acute_chronic_cap``, with its floor)."""
    if wm.context.load_cap is not None:
        wm.require(wm.week_load() <= math.floor(wm.context.load_cap * 60))


@acute_chronic.check
def _(plan: Plan) -> Iterator[tuple[str, str]]:
    profile = plan.profile
    if profile.lone_week:
        return
    for week, load, _, before in _programme(plan):
        if load > ramp.acute_chronic_cap(profile, before) + 1e-6:
            ratio = ramp.acute_chronic(load, profile, before)
            yield f"week {week}", f"acute:chronic ratio {ratio:.2f} above {profile.acwr_cap:g}"


@rule(
    f"no session above {evidence.SPIKE_CAP_PCT} % of the week's mean session load, and "
    f"monotony at most {evidence.MONOTONY_CAP} (up to {evidence.MONOTONY_MAX_SESSIONS} "
    "sessions a week)",
    "--sessions, --minutes",
)
def week_shape(wm: WeekModel) -> None:
    """R9: no session above SPIKE_CAP_PCT of the mean session; monotony at most 2.0.

    Monotony is mean / SD of the 7 daily loads. With the week's load S over s equal sessions
    it is at most 1.58 up to s = 5 (and unequal loads only lower it), so only 6 sessions need
    a constraint (7 are exempt: MONOTONY_MAX_SESSIONS). The SD is at least the mean absolute
    deviation, so asking that deviation to be at least half the mean is enough, and linear:
    2 * sum |7 l_d - S| >= 7 S.
    """
    s = wm.profile.sessions
    week = wm.week_load()
    for d in wm.days:
        wm.require(100 * s * wm.day_load(d) <= evidence.SPIKE_CAP_PCT * week)
    if s <= 5 or s > evidence.MONOTONY_MAX_SESSIONS:
        return
    top = 7 * 10 * wm.profile.minutes * 60
    deviations = []
    for d in range(7):
        load = wm.day_load(d) if d in wm.days else 0
        deviation = wm.model.new_int_var(0, 7 * top, f"deviation_{d}")
        light = wm.model.new_bool_var(f"light_{d}")
        wm.model.add(deviation == week - 7 * load).only_enforce_if(light)
        wm.model.add(deviation == 7 * load - week).only_enforce_if(~light)
        deviations.append(deviation)
    wm.require(2 * sum(deviations) >= 7 * week)


@week_shape.check
def _(plan: Plan) -> Iterator[tuple[str, str]]:
    for week, entries in plan.weeks.items():
        daily: dict[int, float] = defaultdict(float)
        for e in entries:
            daily[e.day] += e.load
        mean = sum(daily.values()) / len(daily)
        for day, load in sorted(daily.items()):
            if load > mean * evidence.SPIKE_CAP_PCT / 100 + 0.01:
                message = (
                    f"session load {load:.1f} AU above {evidence.SPIKE_CAP_PCT} % of the "
                    f"mean {mean:.1f} AU"
                )
                yield f"week {week} {DAYS[day]}", message
        value = ramp.monotony(list(daily.values()))
        allows = plan.profile.sessions <= evidence.MONOTONY_MAX_SESSIONS
        if allows and value > evidence.MONOTONY_CAP + 1e-9:
            yield f"week {week}", f"monotony {value:.2f} above {evidence.MONOTONY_CAP}"


@rule(
    "the warm-up (release, mobility) first, then stretches, then strengthening in a session",
    "(edit the plan)",
    by_construction=True,
)
def order(wm: WeekModel) -> None:
    """By construction: ``plan.sequence`` orders each session after solving."""


@order.check
def _(plan: Plan) -> Iterator[tuple[str, str]]:
    for session in plan.sessions:
        ordered = session.entries  # sorted by their order column
        if [e.order for e in ordered] != list(range(1, len(ordered) + 1)):
            yield _where(session), "order is not 1, 2, 3, ..."
        for before, after in zip(ordered, ordered[1:], strict=False):
            if SESSION_ORDER.index(before.exercise.role) > SESSION_ORDER.index(after.exercise.role):
                message = (
                    f"{before.exercise.id} ({before.exercise.role}) comes before "
                    f"{after.exercise.id} ({after.exercise.role})"
                )
                yield _where(session), message


@rule("no exercise on more days a week than allowed", "--max-days-per-exercise, --exclude")
def weekly_repeats(wm: WeekModel) -> None:
    cap = wm.profile.max_days_per_exercise
    for e in wm.exercises:
        wm.require(sum(wm.x[e.id, d] for d in wm.days) <= cap)


@weekly_repeats.check
def _(plan: Plan) -> Iterator[tuple[str, str]]:
    seen: set[tuple[int, int, str]] = set()
    for row, e in _rows(plan):
        key = (e.week, e.day, e.exercise.id)
        if key in seen:
            yield f"row {row}", f"{e.exercise.id} appears twice in one session"
        seen.add(key)
    cap = plan.profile.max_days_per_exercise
    for week, entries in plan.weeks.items():
        days: dict[str, set[int]] = defaultdict(set)
        for e in entries:
            days[e.exercise.id].add(e.day)
        for exercise_id, on in days.items():
            if len(on) > cap:
                yield f"week {week}", f"{exercise_id} on {len(on)} days; at most {cap}"


_untwinned = [name for name, r in RULES.items() if r.twin is None]
if _untwinned:
    raise TypeError(f"rules without a validator twin: {', '.join(_untwinned)}")
