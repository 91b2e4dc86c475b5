"""How weekly load may move from week to week: the ramp, deload and acute:chronic guard rails.

Pure arithmetic on weekly loads (AU, R8), shared by the model (as bounds on each week's load)
and by the validator (as the rule a finished programme must meet). These are guard rails from
coaching practice, not injury predictions (evidence.md R10-R12).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping
from dataclasses import dataclass

from planner import dose, evidence
from planner.catalog import GROUPS
from planner.profile import Profile


@dataclass(frozen=True)
class Band:
    """Allowed weekly load (AU) for one week."""

    low: float
    high: float


@dataclass(frozen=True)
class History:
    """What came before the week being planned: weekly loads (oldest first) and which of them
    were deload weeks; weeks before any plan count the profile's starting weekly load. For
    carrying a programme on: the last build week's exercises (those at the top of their sets
    range, their sets, how many build weeks in a row each has been done, and whether that week
    repeated the one before) and the groups the last week strengthened on its Sunday."""

    loads: tuple[float, ...] = ()
    deloads: tuple[bool, ...] = ()
    previous: frozenset[str] = frozenset()
    maxed: frozenset[str] = frozenset()
    rested_monday: frozenset[str] = frozenset()
    first_week: int = 1  # the week number of loads[0]
    # (exercise id, its sets over the week) of the last build week: what a deload eases off
    previous_sets: tuple[tuple[str, int], ...] = ()
    # (exercise id, build weeks in a row it has been done, up to the last build week): how far
    # its reps have progressed (dose.prescribe)
    streaks: tuple[tuple[str, int], ...] = ()
    # the last build week's sessions as (id, day, sets, reps), and whether the build week
    # before it was the same: a third identical build week is not allowed (rules.progression)
    last_week: tuple[tuple[str, int, int, int], ...] = ()
    stale: bool = False
    # From the training log (planner.adaptation), for the next week only: the most load it may
    # carry (a session logged well above its planned effort holds the load), and (exercise id,
    # sets) of the moves that have not yet earned more sets (fewer than two sessions at or
    # under their planned effort).
    hold: float | None = None
    held: tuple[tuple[str, int], ...] = ()
    # (exercise id, the last programme week it is left out of): a move that hurt (pain above
    # the acceptable level) rests for two weeks; kept from week to week.
    left_out: tuple[tuple[str, int], ...] = ()
    eased: bool = False  # the last week eased back in (``easing``)

    def __post_init__(self) -> None:
        if len(self.loads) != len(self.deloads):
            raise ValueError("History needs one deload flag per weekly load")

    @property
    def next_week(self) -> int:
        return self.first_week + len(self.loads)

    def then(self, load: float, deload: bool, **week) -> History:
        """The history one week on; ``week`` gives that week's previous/maxed/rested_monday."""
        return History(
            self.loads + (load,),
            self.deloads + (deload,),
            first_week=self.first_week,
            left_out=self.left_out,
            **week,
        )

    def carry(self, load: float, deload: bool, entries, profile: Profile) -> History:
        """The history one week on, after a week of ``entries`` (plan entries or rows: each
        with an exercise, its sets and its day) carrying ``load`` AU: the next build week
        carries on from this week's exercises, or from the build week before a deload week,
        and Monday rests the groups this week's Sunday strengthened."""
        if deload:
            previous, maxed, previous_sets = self.previous, self.maxed, self.previous_sets
            streaks, last_week, stale = self.streaks, self.last_week, self.stale
        else:
            previous = frozenset(e.exercise.id for e in entries)
            maxed = frozenset(
                e.exercise.id
                for e in entries
                if e.sets >= dose.prescribe(e.exercise, profile).max_sets
            )
            previous_sets = sets_by_exercise(entries)
            done = dict(self.streaks)
            streaks = tuple(sorted((i, done.get(i, 0) + 1) for i in previous))
            last_week = signature(entries)
            stale = last_week == self.last_week
        rested = frozenset(g for e in entries if e.day == 6 for g in GROUPS if e.exercise.trains(g))
        return self.then(
            load,
            deload,
            eased=easing(profile, self, deload),
            previous=previous,
            maxed=maxed,
            rested_monday=rested,
            previous_sets=previous_sets,
            streaks=streaks,
            last_week=last_week,
            stale=stale,
        )

    def chronic(self, profile: Profile) -> float:
        """Mean load of the last ACWR_WEEKS weeks, padded with the starting load (R11)."""
        padded = (profile.starting_load,) * evidence.ACWR_WEEKS + self.loads
        return statistics.fmean(padded[-evidence.ACWR_WEEKS :])

    def reference(self, profile: Profile) -> float:
        """The load a build week ramps from: the last build week's, else the starting load."""
        for load, deload in zip(reversed(self.loads), reversed(self.deloads), strict=True):
            if not deload:
                return load
        return profile.starting_load


NO_HISTORY = History()


def sets_by_exercise(entries) -> tuple[tuple[str, int], ...]:
    """(exercise id, its sets over the week) for a week of ``entries``, by id."""
    sets: dict[str, int] = {}
    for e in entries:
        sets[e.exercise.id] = sets.get(e.exercise.id, 0) + e.sets
    return tuple(sorted(sets.items()))


def signature(entries) -> tuple[tuple[str, int, int, int], ...]:
    """A week's sessions as sorted (exercise id, day, sets, reps): equal for identical weeks."""
    return tuple(sorted((e.exercise.id, e.day, e.sets, e.reps) for e in entries))


def deload_sets(previous_total: int) -> tuple[int, int]:
    """The least and most strength sets a deload week may hold after a build week of
    ``previous_total`` (R12: 30-50 % fewer sets, DELOAD_SETS_PCT)."""
    low, high = evidence.DELOAD_SETS_PCT
    return math.ceil(previous_total * low / 100), previous_total * high // 100


@dataclass(frozen=True)
class WeekContext:
    """Where a week sits in a programme; the default is a lone week that repeats."""

    week: int = 1
    deload: bool = False
    band: Band | None = None  # the ramp rule's weekly load band (AU)
    load_cap: float | None = None  # the acute:chronic cap on this week's load (AU)
    rested_monday: frozenset[str] = frozenset()  # groups strengthened the Sunday before
    previous: frozenset[str] = frozenset()  # exercise ids of the week before
    previous_sets: tuple[tuple[str, int], ...] = ()  # History.previous_sets
    streaks: tuple[tuple[str, int], ...] = ()  # History.streaks
    stale: bool = False  # the last two build weeks were identical (History.stale)
    maxed: frozenset[str] = frozenset()  # of those, the ones at the top of their sets range
    held: tuple[tuple[str, int], ...] = ()  # History.held: sets that may not rise this week
    easing: bool = False  # the acute:chronic cap is under the ramp's floor (easing)
    left_out: frozenset[str] = frozenset()  # exercise ids resting this week (History.left_out)

    @property
    def target_load(self) -> float | None:
        """The week's load goal: the middle of its band, when it has one."""
        return None if self.band is None else (self.band.low + self.band.high) / 2


LONE_WEEK = WeekContext()


def week_context(profile: Profile, week: int, history: History) -> WeekContext:
    """Where ``week`` sits: a lone repeating week, or a programme week with its guard rails."""
    if profile.lone_week:
        return WeekContext(week=week)
    deload = profile.is_deload(week)
    return WeekContext(
        week=week,
        deload=deload,
        band=band(profile, history, deload),
        load_cap=acute_chronic_cap(profile, history),
        rested_monday=history.rested_monday,
        previous=history.previous,
        previous_sets=history.previous_sets,
        streaks=history.streaks,
        stale=history.stale,
        maxed=history.maxed,
        held=history.held,
        left_out=resting(history, week),
        easing=easing(profile, history, deload),
    )


def resting(history: History, week: int) -> frozenset[str]:
    """The exercises ``history`` leaves out of programme week ``week``."""
    return frozenset(i for i, last in history.left_out if week <= last)


def band(profile: Profile, history: History, deload: bool) -> Band:
    """The ramp rule's band for the next week.

    Deload week: DELOAD_PCT of the week before, +-DELOAD_TOLERANCE_PCT points (R12).
    Build week: up to ``ramp_cap_pct`` above the reference week (R10); until within
    LOAD_TOLERANCE_PCT of the target load, at least RAMP_MIN_PCT above it (R4: load really
    rises); from there on held between that level and HOLD_TOLERANCE_PCT above the target
    rather than ramping on for ever. A ``hold`` from the log caps it there instead.

    Logged loads can fall below what a plan ramps from (missed sessions): the band's floor
    then gives way to the acute:chronic cap, a guard rail, rather than ask for more than it
    allows (``easing``).
    """
    low, high = _ramp_band(profile, history, deload)
    cap = acute_chronic_cap(profile, history)
    if low > cap:  # within LOAD_TOLERANCE_PCT under the cap: whole sets cannot hit it exactly
        low = cap * (100 - evidence.LOAD_TOLERANCE_PCT) / 100
    return Band(low, high)


def easing(profile: Profile, history: History, deload: bool) -> bool:
    """True for a build week that eases back in after missed weeks in a log: its
    acute:chronic cap is under the ramp's floor, or it ramps from under the load a programme
    starts at (which full sessions carry); its sessions may be as short as a deload's. True
    too for a deload week after such a week, whose sessions ease off that much again."""
    if deload:
        return history.eased
    start = min(profile.starting_load, profile.target_load)
    return history.reference(profile) < start or _ramp_band(profile, history, deload)[
        0
    ] > acute_chronic_cap(profile, history)


def _ramp_band(profile: Profile, history: History, deload: bool) -> tuple[float, float]:
    if deload:
        before = history.loads[-1] if history.loads else profile.starting_load
        pct, tol = profile.deload_pct, evidence.DELOAD_TOLERANCE_PCT
        return before * (pct - tol) / 100, before * (pct + tol) / 100
    ref = history.reference(profile)
    target = profile.target_load
    # Within LOAD_TOLERANCE_PCT of the target counts as there, as for the load goal.
    reached = target * (100 - evidence.LOAD_TOLERANCE_PCT) / 100
    high = ref * (100 + profile.ramp_cap_pct) / 100
    if ref < reached:
        low = min(ref * (100 + evidence.RAMP_MIN_PCT) / 100, reached)
    else:
        low = reached
        high = min(high, max(ref, target) * (100 + evidence.HOLD_TOLERANCE_PCT) / 100)
    if history.hold is not None:
        high = min(high, history.hold)
        low = min(low, high * (100 - evidence.HOLD_TOLERANCE_PCT) / 100)
    return low, high


def phase(profile: Profile, history: History, deload: bool) -> str:
    """'deload', 'build' (ramping up to the target) or 'hold' (there, holding)."""
    if deload:
        return "deload"
    reached = profile.target_load * (100 - evidence.LOAD_TOLERANCE_PCT) / 100
    return "hold" if history.reference(profile) >= reached else "build"


def change_pct(load: float, profile: Profile, history: History, deload: bool) -> float:
    """The week's change in % on what the ramp measures it against: the week before for a
    deload, the last build week (or the starting load) otherwise."""
    reference = history.loads[-1] if deload and history.loads else history.reference(profile)
    return 100 * (load / reference - 1)


def acute_chronic_cap(profile: Profile, history: History) -> float:
    """The highest load the next week may carry under the acute:chronic cap (R11), never
    under a deload week of the starting load (a product choice): after weeks off in a log
    the chronic load nears 0 and the ratio alone would forbid any week, while a week that
    light is no spike for anyone the programme would start."""
    floor = profile.starting_load * profile.deload_pct / 100
    return max(profile.acwr_cap * history.chronic(profile), floor)


def acute_chronic(load: float, profile: Profile, history: History) -> float:
    """This week's load over the mean of the previous four (the uncoupled ratio, R11)."""
    return load / history.chronic(profile)


def monotony(daily_loads: list[float]) -> float:
    """Mean / SD of the 7 daily loads, rest days as 0 (Foster 1998, R9); inf when flat."""
    days = list(daily_loads) + [0.0] * (7 - len(daily_loads))
    sd = statistics.pstdev(days)
    return math.inf if sd == 0 else statistics.fmean(days) / sd


@dataclass(frozen=True)
class WeekFigures:
    """Where one week of a plan sits on the guard rails (not injury predictions)."""

    week: int
    phase: str  # build, hold or deload; "week" for a lone repeating week (no ramp)
    load: float  # AU
    change_pct: float  # on the last build week (or the starting load); a deload: the week before
    acute_chronic: float
    ceiling: float  # the top of the ramp rule's band: the most this week may carry

    def __str__(self) -> str:
        """'Week 2 · build · 248 AU · +4.9 % · acute:chronic 1.10'."""
        return (
            f"Week {self.week} · {self.phase} · {self.load:.0f} AU · {self.change_pct:+.1f} % "
            f"· acute:chronic {self.acute_chronic:.2f}"
        )


def week_figures(
    loads: Mapping[int, float], profile: Profile, history: History
) -> list[WeekFigures]:
    """Each week's figures, in the order of ``loads`` (week -> AU), each against the weeks
    before it: ``history``, then the weeks of ``loads`` already passed."""
    out = []
    for week, load in loads.items():
        deload = profile.is_deload(week)
        out.append(
            WeekFigures(
                week=week,
                phase="week" if profile.lone_week else phase(profile, history, deload),
                load=load,
                change_pct=change_pct(load, profile, history, deload),
                acute_chronic=acute_chronic(load, profile, history),
                ceiling=band(profile, history, deload).high,
            )
        )
        history = history.then(load, deload)
    return out
