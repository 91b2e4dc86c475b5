"""Soft goals: what makes one valid week better than another, each declared once with its
weight, its model terms and its solver-free count side by side.

``@goal(weight=...)`` on a function that adds a goal's terms to a week model (a dict of term
name to an integer variable or expression) registers the goal under the function's name;
``@<goal>.count`` on the function beside it registers the twin that counts, on one week of a
finished plan, the points those terms take for that week, with the same integer arithmetic.
Every term is named after its goal (``sets`` has ``sets_glutes``, ...), which is how a
term's weight is found. Nothing here imports the solver, so any plan (just solved, or a CSV
edited by hand) can be costed, and the tests can hold the solver's figures to an independent
account.

Most terms are in points, 1,000 points being 100 % off its target, so the weights compare
like with like; variety, duplicates, compound, continuity and preference count placements.
Tolerance bands cost nothing inside them: a plan within 10 % of its target load is as good as
one on it, which also lets the solver prove optimality quickly.

- ``load``: weekly load (RPE x minutes, R8) outside +-LOAD_TOLERANCE_PCT of the level's target;
  in a programme, of the middle of the week's ramp band.
- ``sets_<group>``: each weak group's fractional strength sets a week short of the profile's
  aim (R18, R19; planner.balance); more than the aim costs nothing.
- ``surplus_<group>``: each weak group's fractional strength sets a week beyond twice the aim
  (SETS_CEILING_PCT; R18: more is more, to a point).
- ``patterns``: R22's rounded-programme strength patterns the week leaves out, of those the
  person can be given.
- ``duplicates``: near-identical stretches (one pattern, one primary group) in one session,
  beyond one.
- ``compound``: each glute or hamstring isolation placement at intermediate and advanced.
- ``variety``: each day an exercise appears beyond FAMILIAR_DAYS a week.
- ``spread``: the heaviest session's load beyond SPREAD_TOLERANCE_PCT above the mean session
  load, so no single day carries the week.
- ``mix_<day>``: a session that strengthens with a strength share outside the level's least
  weekly share to SESSION_SHARE_BAND_PCT points above it (R20), in weeks of up to
  MAX_STRENGTH_SESSIONS sessions.
- ``continuity`` (programmes): each of last week's exercises dropped, unless swapped for its
  catalogue ``progression`` after reaching the top of its sets range.
- ``preference``: each placement of a disliked exercise and each preferred one left out.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner import balance, evidence
from planner.catalog import Catalog, Exercise
from planner.profile import Profile
from planner.ramp import WeekContext, week_context
from planner.settings import DAYS

if TYPE_CHECKING:
    from planner.model import WeekModel
    from planner.plan import Entry, Plan

POINTS = 1000  # points for being 100 % off a target


@dataclass(frozen=True)
class Week:
    """One week of a plan as its goals see it: its entries, where it sits in the programme and
    the exercises the profile allows (by id)."""

    entries: list[Entry]
    profile: Profile
    context: WeekContext
    allowed: dict[str, Exercise]


Terms = Callable[["WeekModel"], dict]
Count = Callable[[Week], dict[str, int]]


class Goal:
    """One soft goal: its name, its weight in the objective, the function adding its terms to
    a week model and (once ``count`` has registered it) its solver-free twin."""

    def __init__(self, name: str, weight: int, terms: Terms):
        self.name = name
        self.weight = weight
        self.terms = terms
        self.twin: Count | None = None

    def __repr__(self) -> str:
        return f"Goal({self.name!r})"

    def count(self, twin: Count) -> Count:
        """Register ``twin`` (a decorator): the goal's points on one week of a plan."""
        if self.twin is not None:
            raise TypeError(f"goal {self.name!r} already has a count")
        self.twin = twin
        return twin

    def owns(self, term: str) -> bool:
        return term == self.name or term.startswith(self.name + "_")


GOALS: dict[str, Goal] = {}


def goal(weight: int) -> Callable[[Terms], Goal]:
    """Declare a soft goal of ``weight`` (a decorator on its model-terms function)."""

    def register(terms: Terms) -> Goal:
        if terms.__name__ in GOALS:
            raise TypeError(f"goal {terms.__name__!r} is declared twice")
        GOALS[terms.__name__] = g = Goal(terms.__name__, weight, terms)
        return g

    return register


def weight(term: str) -> int:
    """The weight of the goal that ``term`` belongs to."""
    owners = [g for g in GOALS.values() if g.owns(term)]
    if not owners:
        raise KeyError(f"{term!r} belongs to no goal")
    return max(owners, key=lambda g: len(g.name)).weight


def add_objective(wm: WeekModel) -> None:
    """Minimise the weighted points of every soft goal; keeps the terms in ``wm.terms``."""
    for g in GOALS.values():
        terms = g.terms(wm)
        strays = [t for t in terms if not g.owns(t)]
        if strays:
            raise ValueError(f"goal {g.name!r} made terms named for another goal: {strays}")
        wm.terms.update(terms)
    wm.model.minimize(weighted(wm.terms))


# --- arithmetic shared by the terms and their counts -----------------------------------------


def _points(wm: WeekModel, name: str, excess, per_whole: int):
    """A variable >= POINTS * excess / per_whole (rounded up by minimisation)."""
    p = wm.model.new_int_var(0, POINTS * 100, f"points_{name}")
    wm.model.add(per_whole * p >= POINTS * excess)
    return p


def _outside(wm: WeekModel, name: str, value, target, tolerance, bound: int):
    """A variable >= |value - target| - tolerance, and >= 0."""
    over = wm.model.new_int_var(0, bound, f"outside_{name}")
    wm.model.add(over >= value - target - tolerance)
    wm.model.add(over >= target - value - tolerance)
    return over


def _points_of(excess: int, per_whole: int) -> int:
    """POINTS * excess / per_whole, rounded up (``_points`` at its least)."""
    return math.ceil(POINTS * excess / per_whole)


def _outside_of(value: int, target: int, tolerance: int) -> int:
    """How far ``value`` is outside ``target`` +- ``tolerance`` (0 inside)."""
    return max(0, value - target - tolerance, target - value - tolerance)


def _day_loads(entries: Iterable[Entry]) -> dict[int, int]:
    """Each session's load in RPE x seconds (60 x the AU of R8), as the model counts it."""
    loads: dict[int, int] = {}
    for e in entries:
        loads[e.day] = loads.get(e.day, 0) + e.exercise.rpe * e.seconds
    return loads


def _target_load(profile: Profile, context: WeekContext) -> int:
    """The week's load goal in RPE x seconds: the middle of its ramp band, else the level's."""
    week_target = context.target_load
    return round((profile.target_load if week_target is None else week_target) * 60)


def _rounded(allowed: Iterable[Exercise]) -> list[str]:
    """R22's patterns some allowed strength exercise covers (the week can only be asked those)."""
    have = {e.pattern for e in allowed if e.role == "strength"}
    return [p for p in evidence.ROUNDED_PATTERNS if p in have]


def _near_duplicates(exercises: Iterable[Exercise]) -> list[list[Exercise]]:
    """Stretches of one pattern and one primary group, where there are two or more."""
    kinds: dict[tuple[str, str], list[Exercise]] = {}
    for e in exercises:
        if e.role == "stretch":
            kinds.setdefault((e.pattern, e.primary), []).append(e)
    return [same for same in kinds.values() if len(same) > 1]


def _isolation(e: Exercise, profile: Profile) -> bool:
    """A glute or hamstring isolation move, which costs at intermediate and advanced."""
    return (
        profile.level in evidence.COMPOUND_LEVELS
        and e.role == "strength"
        and e.primary in ("glutes", "hamstrings")
        and e.pattern in evidence.ISOLATION_PATTERNS
    )


def _mix_band(profile: Profile) -> tuple[int, int]:
    """The strength shares (%) a session may take without cost: the week's least share to
    SESSION_SHARE_BAND_PCT points above it; (0, 0), no band, for a week of more sessions
    than MAX_STRENGTH_SESSIONS, whose lengthening days make the shares uneven by design."""
    if profile.sessions > evidence.MAX_STRENGTH_SESSIONS:
        return 0, 0
    low = profile.strength_share_pct
    return low, min(100, low + evidence.SESSION_SHARE_BAND_PCT)


# --- the goals, in the order the objective adds them ---------------------------------------


@goal(weight=2)
def load(wm: WeekModel) -> dict:
    target = _target_load(wm.profile, wm.context)
    bound = 10 * 60 * 7 * wm.profile.minutes * 60
    tolerance = target * evidence.LOAD_TOLERANCE_PCT // 100
    over = _outside(wm, "load", wm.week_load(), target, tolerance, bound)
    return {"load": _points(wm, "load", over, target)}


@load.count
def _(week: Week) -> dict[str, int]:
    target = _target_load(week.profile, week.context)
    tolerance = target * evidence.LOAD_TOLERANCE_PCT // 100
    over = _outside_of(sum(_day_loads(week.entries).values()), target, tolerance)
    return {"load": _points_of(over, target)}


@goal(weight=1)
def sets(wm: WeekModel) -> dict:
    """Each weak group's strength sets a week short of the aim (R18, fractional R19); more
    than the aim costs nothing (more is more, to a point: balance caps the core)."""
    target = balance.aim(wm.profile, wm.context.deload)
    if not target:
        return {}
    terms = {}
    for g in evidence.WEAK_GROUPS:
        short = wm.model.new_int_var(0, target, f"short_{g}")
        wm.model.add(short >= target - wm.half_sets(g))
        terms[f"sets_{g}"] = _points(wm, f"sets_{g}", short, target)
    return terms


@sets.count
def _(week: Week) -> dict[str, int]:
    target = balance.aim(week.profile, week.context.deload)
    if not target:
        return {}
    return {
        f"sets_{g}": _points_of(max(0, target - balance.half_sets(week.entries, g)), target)
        for g in evidence.WEAK_GROUPS
    }


@goal(weight=1)
def surplus(wm: WeekModel) -> dict:
    """Each weak group's strength sets a week beyond the ceiling (R18: more is more, to a
    point): in a long week the strength time goes to more groups and patterns, not to one."""
    top = balance.ceiling(wm.profile, wm.context.deload)
    if not top:
        return {}
    allowed = [e for e in wm.exercises if e.id in wm.allowed]
    terms = {}
    for g in evidence.WEAK_GROUPS:
        if not any(balance.credit(e, g) for e in allowed):
            continue
        over = wm.model.new_int_var(0, 100 * top, f"over_{g}")
        wm.model.add(over >= wm.half_sets(g) - top)
        terms[f"surplus_{g}"] = _points(wm, f"surplus_{g}", over, top)
    return terms


@surplus.count
def _(week: Week) -> dict[str, int]:
    top = balance.ceiling(week.profile, week.context.deload)
    if not top:
        return {}
    return {
        f"surplus_{g}": _points_of(max(0, balance.half_sets(week.entries, g) - top), top)
        for g in evidence.WEAK_GROUPS
        if any(balance.credit(e, g) for e in week.allowed.values())
    }


@goal(weight=100)
def patterns(wm: WeekModel) -> dict:
    """Each of R22's strength patterns the week leaves out, of those the person can be given
    (a count: a scaled points term made the advanced week 15x slower to prove)."""
    wanted = _rounded(e for e in wm.exercises if e.id in wm.allowed)
    if not wanted:
        return {}
    missing = []
    for p in wanted:
        covered = wm.model.new_bool_var(f"covers_{p}")
        wm.model.add(
            covered <= sum(wm.x[e.id, d] for e in wm.exercises if e.pattern == p for d in wm.days)
        )
        missing.append(1 - covered)
    return {"patterns": sum(missing)}


@patterns.count
def _(week: Week) -> dict[str, int]:
    wanted = _rounded(week.allowed.values())
    if not wanted:
        return {}
    return {"patterns": len(set(wanted) - balance.patterns(week.entries))}


@goal(weight=50)
def duplicates(wm: WeekModel) -> dict:
    """Near-duplicate stretches (one pattern, one primary group) in one session, beyond one."""
    extra = []
    for same in _near_duplicates(wm.exercises):
        for d in wm.days:
            more = wm.model.new_int_var(0, len(same), f"duplicate_{same[0].id}_{d}")
            wm.model.add(more >= sum(wm.x[e.id, d] for e in same) - 1)
            extra.append(more)
    return {"duplicates": sum(extra)} if extra else {}


@duplicates.count
def _(week: Week) -> dict[str, int]:
    groups = _near_duplicates(week.allowed.values())
    if not groups:
        return {}
    days: dict[int, list[str]] = {}
    for e in week.entries:
        days.setdefault(e.day, []).append(e.exercise.id)
    extra = 0
    for same in groups:
        ids = {e.id for e in same}
        for placed in days.values():
            extra += max(0, sum(i in ids for i in placed) - 1)
    return {"duplicates": extra}


@goal(weight=20)
def compound(wm: WeekModel) -> dict:
    """Each glute or hamstring isolation placement at intermediate and advanced."""
    placements = [wm.x[e.id, d] for e in wm.exercises if _isolation(e, wm.profile) for d in wm.days]
    return {"compound": sum(placements)} if placements else {}


@compound.count
def _(week: Week) -> dict[str, int]:
    if not any(_isolation(e, week.profile) for e in week.allowed.values()):
        return {}
    return {"compound": sum(_isolation(e.exercise, week.profile) for e in week.entries)}


@goal(weight=10)
def variety(wm: WeekModel) -> dict:
    """Repeats: days an exercise appears beyond FAMILIAR_DAYS (repeating a move is how people
    learn it; the same moves every session is dull)."""
    repeats = []
    for e in wm.exercises:
        extra = wm.model.new_int_var(0, len(wm.days), f"repeats_{e.id}")
        wm.model.add(extra >= sum(wm.x[e.id, d] for d in wm.days) - evidence.FAMILIAR_DAYS)
        repeats.append(extra)
    count = wm.model.new_int_var(0, 7 * len(wm.exercises), "repeats")
    wm.model.add(count == sum(repeats))
    return {"variety": count}


@variety.count
def _(week: Week) -> dict[str, int]:
    days: dict[str, set[int]] = {}
    for e in week.entries:
        days.setdefault(e.exercise.id, set()).add(e.day)
    return {"variety": sum(max(0, len(on) - evidence.FAMILIAR_DAYS) for on in days.values())}


@goal(weight=1)
def spread(wm: WeekModel) -> dict:
    """Penalise the heaviest session above the week's mean session load (light days are fine:
    a mobility day between strength days is how 48 h recovery fits into a week)."""
    budget = 10 * wm.profile.minutes * 60
    heaviest = wm.model.new_int_var(0, budget, "heaviest_session")
    for d in wm.days:
        wm.model.add(heaviest >= wm.day_load(d))
    sessions = wm.profile.sessions
    over = wm.model.new_int_var(0, 100 * sessions * budget, "spread_over")
    tolerance = 100 + evidence.SPREAD_TOLERANCE_PCT
    wm.model.add(over >= 100 * sessions * heaviest - tolerance * wm.week_load())
    return {"spread": _points(wm, "spread", over, 100 * wm.profile.target_load * 60)}


@spread.count
def _(week: Week) -> dict[str, int]:
    loads = _day_loads(week.entries)
    heaviest, total = max(loads.values(), default=0), sum(loads.values())
    tolerance = 100 + evidence.SPREAD_TOLERANCE_PCT
    over = max(0, 100 * week.profile.sessions * heaviest - tolerance * total)
    return {"spread": _points_of(over, 100 * week.profile.target_load * 60)}


@goal(weight=1)
def mix(wm: WeekModel) -> dict:
    """Each session that strengthens outside the band of strength shares (R20): below the
    week's least share it is mostly stretching, far above it there is no time left for the
    warm-up and the stretching of what is tight. A week of one strength-heavy day with
    stretching classes around it keeps the weekly share, but is not how a coach shares the
    work out."""
    low, high = _mix_band(wm.profile)
    if not low or not any(e.role == "strength" and e.id in wm.allowed for e in wm.exercises):
        return {}
    budget = wm.profile.minutes * 60
    terms = {}
    for d in wm.days:
        off = wm.model.new_int_var(0, 100 * budget, f"mix_off_{DAYS[d]}")
        strength, seconds = 100 * wm.strength_seconds(d), wm.day_seconds(d)
        # Plain linear terms (no literal): within MAX_STRENGTH_SESSIONS every session
        # strengthens (session_mix), and a day without one has no seconds to weigh. With the
        # literal the LP was weaker: the default advanced week took 1.88 deterministic s.
        wm.model.add(off >= low * seconds - strength)
        wm.model.add(off >= strength - high * seconds)
        terms[f"mix_{DAYS[d]}"] = _points(wm, f"mix_{DAYS[d]}", off, low * budget)
    return terms


@mix.count
def _(week: Week) -> dict[str, int]:
    low, high = _mix_band(week.profile)
    if not low or not any(e.role == "strength" for e in week.allowed.values()):
        return {}
    budget = week.profile.minutes * 60
    # Every day the person gave, and any other day a plan (edited, or made for another
    # profile) holds a session on: costed as the rules find it, not a KeyError.
    days: dict[int, list[Entry]] = {DAYS.index(d): [] for d in week.profile.days}
    for e in week.entries:
        days.setdefault(e.day, []).append(e)
    terms = {}
    for d, entries in sorted(days.items()):
        strength = 100 * sum(e.seconds for e in entries if e.exercise.role == "strength")
        seconds = sum(e.seconds for e in entries)
        off = max(0, low * seconds - strength, strength - high * seconds)
        terms[f"mix_{DAYS[d]}"] = _points_of(off, low * budget)
    return terms


@goal(weight=5)
def continuity(wm: WeekModel) -> dict:
    """Last build week's exercises kept, or swapped for their harder variant once their sets
    have grown to the top of the range (progression: dose first, then the harder variant).
    A deload week is free to lighten the sessions."""
    if wm.context.deload:
        return {}
    dropped = []
    for e in wm.exercises:
        if e.id not in wm.context.previous:
            continue
        ways = [wm.x[e.id, d] for d in wm.days]
        if e.id in wm.context.maxed and e.progression in wm.prescriptions:
            ways += [wm.x[e.progression, d] for d in wm.days]
        kept = wm.model.new_bool_var(f"kept_{e.id}")
        wm.model.add(kept <= sum(ways))
        dropped.append(1 - kept)
    return {"continuity": sum(dropped)} if dropped else {}


@continuity.count
def _(week: Week) -> dict[str, int]:
    """Each of last build week's exercises (those the profile still allows) left out, unless
    its harder variant took its place once it was at the top of its sets range."""
    if week.context.deload:
        return {}
    used = {e.exercise.id for e in week.entries}
    context = week.context
    previous = [week.allowed[i] for i in week.allowed if i in context.previous]
    dropped = sum(
        1
        for e in previous
        if e.id not in used
        and not (e.id in context.maxed and e.progression in week.allowed and e.progression in used)
    )
    return {"continuity": dropped} if previous else {}


@goal(weight=10)
def preference(wm: WeekModel) -> dict:
    """Each placement of a disliked exercise, and each preferred exercise left out."""
    disliked = [wm.x[e.id, d] for e in wm.exercises if e.id in wm.profile.dislike for d in wm.days]
    missed = []
    for e in wm.exercises:
        if e.id in wm.profile.prefer:
            used = wm.model.new_bool_var(f"preferred_{e.id}")
            wm.model.add(used <= sum(wm.x[e.id, d] for d in wm.days))
            missed.append(1 - used)
    terms = sum(disliked) + sum(missed)
    return {"preference": terms} if disliked or missed else {}


@preference.count
def _(week: Week) -> dict[str, int]:
    disliked = [i for i in week.allowed if i in week.profile.dislike]
    preferred = [i for i in week.allowed if i in week.profile.prefer]
    used = {e.exercise.id for e in week.entries}
    placements = sum(1 for e in week.entries if e.exercise.id in disliked)
    missed = sum(1 for i in preferred if i not in used)
    return {"preference": placements + missed} if disliked or preferred else {}


_uncounted = [name for name, g in GOALS.items() if g.twin is None]
if _uncounted:
    raise TypeError(f"goals without a count: {', '.join(_uncounted)}")


# --- costing a plan --------------------------------------------------------------------------


def week_costs(
    entries: Iterable[Entry], profile: Profile, context: WeekContext, allowed: dict[str, Exercise]
) -> dict[str, int]:
    """One week's soft-goal points (before weights), term by term, goals in order: ``allowed``
    are the exercises the profile allows, by id."""
    week = Week(list(entries), profile, context, allowed)
    return {name: points for g in GOALS.values() for name, points in g.twin(week).items()}


def plan_costs(plan: Plan, catalog: Catalog) -> dict[int, dict[str, int]]:
    """Each week's soft-goal points (before weights), each week against the guard rails the
    weeks before it set, as ``planner.solve`` plans them."""
    profile = plan.profile
    allowed = {e.id: e for e in profile.allowed(catalog)}
    return {
        week: week_costs(entries, profile, week_context(profile, week, history), allowed)
        for week, entries, history in plan.carried
    }


def summed(weeks: Iterable[dict[str, int]]) -> dict[str, int]:
    """Each term's points added up over ``weeks`` (each week's points by term)."""
    out: dict[str, int] = {}
    for points in weeks:
        for name, value in points.items():
            out[name] = out.get(name, 0) + value
    return out


def weighted(points: dict):
    """The cost of terms' ``points``: each times its goal's weight (the objective itself when
    the points are the model's variables)."""
    return sum(weight(name) * value for name, value in points.items())
