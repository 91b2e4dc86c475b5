"""The greedy random-restart baseline: what a typical workout generator does.

Each session is filled one exercise at a time with the allowed exercise of highest priority:
first what the session still lacks (a stretch or release, a hip-flexor stretch, strengthening
for a group that still needs its days), then the muscle group furthest below its time share,
then effort that keeps the session on pace for its load target, plus random noise. It skips
exercises that would overrun the minutes, strengthen a group on two days running, pass the
stretch ceiling, upset the balance pairs or repeat an exercise too often; on the first of two
days running it strengthens only two of the four groups (a split routine). It stops once the
session is full enough and at its load. ``RESTARTS`` seeded restarts per week; the best one
by the product's own objective is kept and the next week planned from it, as the planner does.

Every restart is scored by ``bench.score`` (the product's week model with the decisions
fixed: INFEASIBLE means a hard rule is broken), and the finished programme by the validator.
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter
from dataclasses import dataclass, field

from bench import score
from planner import Catalog, Entry, Profile, Violation, check_plan, evidence
from planner import dose as dosing
from planner.catalog import GROUPS, Exercise
from planner.model import WeekModel, build_week
from planner.plan import Plan
from planner.ramp import NO_HISTORY, History, week_context
from planner.rules import session_fill, strength_sessions

RESTARTS = 50
SEED = 0
NOISE = 25.0  # the spread of the random priority term that makes restarts differ
# On the first of two days running, strengthen at most this many of the four groups (a split).
SPLIT_GROUPS = 2
# Once a session has what it needs, add to it only while its load stays within this factor.
OVERSHOOT = 1.05
# The greedy's own pull towards a mix of primary groups and towards strength time: the
# product's old balance targets (shares of session time), which the product no longer has;
# kept here so the baseline stays the same heuristic its recorded figures came from.
SHARE_TARGETS = (
    ("hip_flexors", 25),
    ("glutes", 25),
    ("core", 25),
    ("hamstrings", 15),
    ("lower_back", 10),
)
STRENGTH_TARGET_PCT = 50


@dataclass
class GreedyResult:
    entries: tuple[Entry, ...]
    objective: float  # nan when some week has no restart that keeps every hard rule
    restarts: int  # restarts tried, over all weeks
    broken_restarts: int  # of those, restarts whose week breaks a hard rule
    broken_weeks: int  # weeks whose kept restart breaks a hard rule
    seconds: float
    violations: list[Violation] = field(default_factory=list)  # the validator's, whole plan

    @property
    def broken_rules(self) -> str:
        counts = Counter(v.rule for v in self.violations)
        return ", ".join(f"{rule} {n}" for rule, n in counts.most_common())


@dataclass
class GreedyWeek:
    assignment: score.Assignment  # the best restart
    objective: float | None  # its objective; None when it breaks a hard rule
    broken_restarts: int


def greedy_week(
    wm: WeekModel, catalog: Catalog, history: History, restarts: int = RESTARTS, seed: int = SEED
) -> GreedyWeek:
    """The best of ``restarts`` greedy fills of one week: the lowest objective among those
    that keep every hard rule, else the one with the fewest violations."""
    best, best_rank, broken_restarts = None, None, 0
    for restart in range(restarts):
        rng = random.Random(f"{seed}/{wm.context.week}/{restart}")
        assignment = fill_week(wm, rng)
        value = score.score(wm, assignment)
        if value is None:
            broken_restarts += 1
            rank = (1, len(score.week_violations(wm, assignment, catalog, history)))
        else:
            rank = (0, value)
        if best_rank is None or rank < best_rank:
            best, best_rank = assignment, rank
    return GreedyWeek(best, None if best_rank[0] else best_rank[1], broken_restarts)


def greedy_programme(
    catalog: Catalog, profile: Profile, restarts: int = RESTARTS, seed: int = SEED
) -> GreedyResult:
    """The best of ``restarts`` greedy fills for each week, weeks in order."""
    started = time.perf_counter()
    allowed = profile.allowed(catalog)
    ids = frozenset(e.id for e in allowed)
    history, entries = NO_HISTORY, []
    objective, broken_restarts, broken_weeks = 0.0, 0, 0
    for week in range(1, profile.weeks + 1):
        wm = build_week(profile, allowed, ids, week_context(profile, week, history))
        best = greedy_week(wm, catalog, history, restarts, seed)
        broken_restarts += best.broken_restarts
        broken_weeks += best.objective is None
        objective += math.nan if best.objective is None else best.objective
        week_entries = score.entries_of(wm, best.assignment)
        entries += week_entries
        history = next_history(wm, history, week_entries)
    plan = Plan(profile=profile, entries=tuple(entries))
    return GreedyResult(
        entries=tuple(entries),
        objective=objective,
        restarts=restarts * profile.weeks,
        broken_restarts=broken_restarts,
        broken_weeks=broken_weeks,
        seconds=time.perf_counter() - started,
        violations=check_plan(Plan(profile, plan.entries)),
    )


def next_history(wm: WeekModel, history: History, entries) -> History:
    """The history after this week, as ``planner.solve`` carries it on."""
    carried = {
        "previous": frozenset(e.exercise.id for e in entries),
        "maxed": frozenset(
            e.exercise.id for e in entries if e.sets >= wm.prescriptions[e.exercise.id].max_sets
        ),
        "rested_monday": frozenset(
            g for e in entries if e.day == 6 for g in GROUPS if e.exercise.trains(g)
        ),
    }
    if wm.context.deload:  # the next build week carries on from the last build week
        carried.update(previous=history.previous, maxed=history.maxed)
    return history.then(sum(e.load for e in entries), wm.context.deload, **carried)


# --- one week ----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Option:
    """An exercise with its dose arithmetic worked out once."""

    exercise: Exercise
    min_sets: int
    max_sets: int
    set_seconds: int  # one set, rest included
    held: int  # stretch seconds a side per set (0 unless a stretch)
    trains: tuple[str, ...]  # groups its strengthening is credited to
    lengthens: bool  # a release or stretch

    def seconds(self, sets: int) -> int:
        return sets * self.set_seconds + evidence.TRANSITION_SECONDS


@dataclass
class _Week:
    """What is already planned this week."""

    days_used: Counter = field(default_factory=Counter)  # exercise id -> days
    trained: dict[int, set[str]] = field(default_factory=dict)  # day -> groups strengthened
    group_sets: Counter = field(default_factory=Counter)  # strength sets credited per group
    strength_days: Counter = field(default_factory=Counter)  # group -> days strengthened
    hip_flexor_sessions: int = 0
    strength_sessions: int = 0
    seconds_by_group: Counter = field(default_factory=Counter)  # primary group -> seconds
    strength_seconds: int = 0
    seconds: int = 0


@dataclass
class _Session:
    day: int
    split: bool = False  # the next day is a session too: strengthen only half the groups
    chosen: dict[str, int] = field(default_factory=dict)  # exercise id -> sets
    seconds: int = 0
    load: int = 0  # RPE x seconds
    releases: int = 0
    lengthens: bool = False
    strengthens: bool = False
    hip_flexor_stretch: bool = False
    held: Counter = field(default_factory=Counter)  # primary group -> stretch seconds a side
    strengthened: set[str] = field(default_factory=set)  # groups strengthened today


def fill_week(wm: WeekModel, rng: random.Random) -> score.Assignment:
    """One greedy week for the model's profile and context."""
    profile, context = wm.profile, wm.context
    options = [_option(e, wm.prescriptions[e.id]) for e in wm.exercises]
    days = sorted(rng.sample(wm.days, profile.sessions))
    budget = profile.minutes * 60
    floor = int(budget * session_fill(profile, context.deload))
    week_target = context.target_load or profile.target_load
    session_target = week_target * 60 / len(days)  # RPE x seconds
    week = _Week()
    assignment: score.Assignment = {}
    for index, d in enumerate(days):
        sessions_left = len(days) - index
        session = _Session(d, split=(d + 1) % 7 in days[index + 1 :])
        candidates = _candidates(options, session, week, wm)
        while True:
            full = session.seconds >= floor and _session_done(session, week, profile, sessions_left)
            if full and session.load >= session_target:
                break
            pick = _best(candidates, session, week, profile, budget, session_target, rng)
            if pick is None:
                break
            option, sets = pick
            load = session.load + option.seconds(sets) * option.exercise.rpe
            if full and load > OVERSHOOT * session_target:
                break
            _add(option, sets, session, week)
            candidates.remove(option)
        _close(session, week)
        assignment.update({(eid, d): sets for eid, sets in session.chosen.items()})
    return assignment


def _candidates(options, session: _Session, week: _Week, wm: WeekModel) -> list[_Option]:
    """Options the session may take at all: not used up this week, and strengthening no
    group strengthened the day before or after (48 h; the week wraps Sunday to Monday as in
    the model, and Monday also rests what the Sunday before strengthened)."""
    blocked = set().union(*(week.trained.get((session.day + s) % 7, ()) for s in (-1, 1)))
    if session.day == 0:
        blocked |= wm.context.rested_monday
    cap = wm.profile.max_days_per_exercise
    return [
        o
        for o in options
        if week.days_used[o.exercise.id] < cap and not blocked.intersection(o.trains)
    ]


def _option(e: Exercise, rx: dosing.Prescription) -> _Option:
    return _Option(
        exercise=e,
        min_sets=rx.min_sets,
        max_sets=rx.max_sets,
        set_seconds=dosing.set_seconds(e.role, e.dose, rx.reps, rx.hold_s, e.per_side, rx.rest_s),
        held=rx.reps * rx.hold_s if e.role == "stretch" else 0,
        trains=tuple(g for g in GROUPS if e.trains(g)),
        lengthens=e.role in ("release", "stretch"),
    )


def _session_done(session: _Session, week: _Week, profile: Profile, sessions_left: int) -> bool:
    """True when the session has what the week still needs of it."""
    if not session.lengthens:
        return False
    hip_flexors_due = profile.hip_flexor_stretch_sessions - week.hip_flexor_sessions
    if hip_flexors_due >= sessions_left and not session.hip_flexor_stretch:
        return False
    strength_due = strength_sessions(profile) - week.strength_sessions
    return session.strengthens or strength_due < sessions_left


def _best(candidates, session, week, profile, budget, target, rng):
    """The candidate of highest priority that fits, with its sets; None when none fits.
    Candidates that no longer have room in the session are dropped from ``candidates``."""
    candidates[:] = [o for o in candidates if _room(o, o.min_sets, session, budget)]
    needs = _Needs.of(session, week, profile, budget, target)
    best, best_value = None, -math.inf
    for option in candidates:
        if not _balanced(option, option.min_sets, week):
            continue
        value = needs.priority(option) + NOISE * rng.random()
        if value > best_value:
            best, best_value = option, value
    if best is None:
        return None
    sets = rng.randint(best.min_sets, best.max_sets)
    while sets > best.min_sets and not (
        _room(best, sets, session, budget) and _balanced(best, sets, week)
    ):
        sets -= 1
    return best, sets


def _room(option: _Option, sets: int, session: _Session, budget: int) -> bool:
    """True when the session has room for ``sets`` of ``option``: minutes, releases, stretch
    ceiling and split days (each only tightens as the session fills)."""
    e = option.exercise
    if session.seconds + option.seconds(sets) > budget:
        return False
    long = budget >= evidence.WARM_UP_LONG_MINUTES * 60  # the default profiles' release caps
    caps = evidence.WARM_UP_LONG_RELEASES if long else evidence.WARM_UP_RELEASES
    if e.role == "release" and session.releases >= caps:
        return False
    if option.held and session.held[e.primary] + option.held * sets > evidence.STRETCH_CEILING_S:
        return False
    if session.split and option.trains:
        today = session.strengthened | set(option.trains)
        return len(today.intersection(evidence.STRENGTHENED_GROUPS)) <= SPLIT_GROUPS
    return True


def _balanced(option: _Option, sets: int, week: _Week) -> bool:
    """True when ``sets`` more of ``option`` keep every pair of the balance rule."""
    for more, less in evidence.BALANCE_PAIRS:
        if more in option.trains:
            gain_less = sets if less in option.trains else 0
            if week.group_sets[more] + sets > week.group_sets[less] + gain_less:
                return False
    return True


@dataclass(frozen=True)
class _Needs:
    """What the session and week still lack, as priority bonuses for the next pick."""

    lengthen: bool
    hip_flexor_stretch: bool
    strength: bool
    groups: frozenset[str]  # strengthened groups short of their days, not yet today
    share_gap: dict[str, float]  # primary group -> target share minus share so far (points)
    strength_gap: float
    familiar: Counter  # exercise id -> days used
    pace: float  # the effort (RPE) that lands the session on its load target

    @classmethod
    def of(cls, session, week, profile, budget, target) -> _Needs:
        total = max(week.seconds + session.seconds, 1)
        today = week.trained.get(session.day, set())
        return cls(
            lengthen=not session.lengthens,
            hip_flexor_stretch=not session.hip_flexor_stretch
            and week.hip_flexor_sessions < profile.hip_flexor_stretch_sessions,
            strength=not session.strengthens,
            groups=frozenset(
                g
                for g in evidence.STRENGTHENED_GROUPS
                if week.strength_days[g] < profile.required_strength_days and g not in today
            ),
            share_gap={g: pct - 100 * week.seconds_by_group[g] / total for g, pct in SHARE_TARGETS},
            strength_gap=STRENGTH_TARGET_PCT - 100 * week.strength_seconds / total,
            familiar=week.days_used,
            pace=(target - session.load) / max(0.9 * budget - session.seconds, 60),
        )

    def priority(self, option: _Option) -> float:
        e = option.exercise
        value = 0.5 * self.share_gap.get(e.primary, 0.0) - 3 * abs(e.rpe - self.pace)
        if option.lengthens and self.lengthen:
            value += 100
        if self.hip_flexor_stretch and e.stretches_hip_flexors:
            value += 90
        if option.trains:
            value += 0.3 * self.strength_gap + 80 * self.strength
            value += 25 * len(self.groups.intersection(option.trains))
        if self.familiar[e.id] >= evidence.FAMILIAR_DAYS:
            value -= 15
        return value


def _add(option: _Option, sets: int, session: _Session, week: _Week) -> None:
    e = option.exercise
    seconds = option.seconds(sets)
    session.chosen[e.id] = sets
    session.seconds += seconds
    session.load += seconds * e.rpe
    session.releases += e.role == "release"
    session.lengthens |= e.role in ("release", "stretch")
    session.strengthens |= e.role == "strength"
    session.hip_flexor_stretch |= e.stretches_hip_flexors
    session.held[e.primary] += option.held * sets
    week.days_used[e.id] += 1
    session.strengthened.update(option.trains)
    week.trained.setdefault(session.day, set()).update(option.trains)
    for g in option.trains:
        week.group_sets[g] += sets
    week.seconds_by_group[e.primary] += seconds
    week.strength_seconds += seconds if e.role == "strength" else 0


def _close(session: _Session, week: _Week) -> None:
    week.seconds += session.seconds
    week.hip_flexor_sessions += session.hip_flexor_stretch
    week.strength_sessions += session.strengthens
    for g in week.trained.get(session.day, ()):
        week.strength_days[g] += 1
