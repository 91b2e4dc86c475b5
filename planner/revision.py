"""Revising a plan the way people follow it: swap one exercise, move one session.

A revision re-solves only the week it touches, against the plan's own profile and the history
before that week, minimising first how much of the week changes and only then the usual goals
(two searches: the fewest changes, then the best week with that many). Later weeks are kept
when the whole plan still passes the validator; otherwise they are re-solved in order the same
way (their ramp and acute:chronic guard rails follow the weeks before them), each kept as it
is when it still fits. The result is a ``Revision``: the plan before and after, and the
``Change`` of each placement that differs.

A change is counted per placement: an exercise on a day, added or removed (``Change.placed``);
a placement kept with other sets is a dose change, counted after the placements (a dose is the
smaller edit for a person following the plan) and shown in the diff too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from planner.catalog import Catalog
from planner.check import check_plan
from planner.plan import Entry, Plan, Status, describe_dose, sequence
from planner.profile import DAYS, ProfileError, SolverOptions
from planner.ramp import History

__all__ = ["Change", "Revision", "RevisionError", "move", "swap"]


# Substitutes a swap without --with tries, best first, before any move that keeps the rules.
LIKE_FOR_LIKE = 3


class RevisionError(ValueError):
    """A swap or move that cannot be asked of this plan: one line saying what is allowed."""


@dataclass(frozen=True)
class Change:
    """One placement (an exercise on a day of a week) that differs: its sets before and
    after, 0 where it is absent. Added or removed is a placement change (``placed``); sets
    changed on both sides is a dose change."""

    week: int
    day: int  # 0 = Monday
    exercise: str  # catalogue id
    before: int
    after: int

    def __post_init__(self) -> None:
        if self.before == self.after:
            raise ValueError(f"{self.exercise}: a change needs other sets before and after")
        if min(self.before, self.after) < 0:
            raise ValueError(f"{self.exercise}: sets are 0 or more")

    @property
    def placed(self) -> bool:
        """Added or removed, not just dosed differently."""
        return self.before == 0 or self.after == 0


def changes(before: Plan, after: Plan) -> tuple[Change, ...]:
    """Every placement that differs between two plans, in (week, day, exercise) order."""
    old = {(e.week, e.day, e.exercise.id): e.sets for e in before.entries}
    new = {(e.week, e.day, e.exercise.id): e.sets for e in after.entries}
    return tuple(
        Change(*key, old.get(key, 0), new.get(key, 0))
        for key in sorted(old.keys() | new.keys())
        if old.get(key, 0) != new.get(key, 0)
    )


@dataclass(frozen=True)
class Revision:
    """A plan revised: ``plan`` the whole revised plan (all weeks, valid), ``before`` the plan
    it came from, ``changed`` the placements that differ (``Change``, in week, day, exercise
    order; exactly ``changes(before, plan)``)."""

    plan: Plan
    before: Plan
    changed: tuple[Change, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.changed != changes(self.before, self.plan):
            raise ValueError("changed must list exactly the placements that differ")

    @property
    def placements(self) -> int:
        """How many placements were added or removed (the count the revision minimised)."""
        return sum(c.placed for c in self.changed)

    @property
    def moved(self) -> dict[tuple[int, int, str], int]:
        """(week, day, exercise) -> the day it went to, for each placement that only changed
        day within its week at the same sets: a pair of changes, one out and one in."""
        out = [c for c in self.changed if c.after == 0]
        into = [c for c in self.changed if c.before == 0]
        found = {}
        for c in out:
            same = [
                i for i in into if (i.week, i.exercise, i.after) == (c.week, c.exercise, c.before)
            ]
            if len(same) == 1:
                found[c.week, c.day, c.exercise] = same[0].day
        return found

    def diff(self) -> str:
        """The sessions touched, before -> after: '-' an exercise taken out, '+' one put in,
        '~' one kept at other sets, '>' one moved to another day (listed under the day it
        left; one line when the whole session went to one day)."""
        moved = self.moved
        arrived = {(w, to, x) for (w, _, x), to in moved.items()}
        shown = [
            c for c in self.changed if (c.week, c.day, c.exercise) not in arrived or c.before != 0
        ]
        old = {(s.week, s.day): s for s in self.before.sessions}
        new = {(s.week, s.day): s for s in self.plan.sessions}
        lines = []
        for key in sorted({(c.week, c.day) for c in shown}):
            was = {e.exercise.id: e for e in old[key].entries} if key in old else {}
            now = {e.exercise.id: e for e in new[key].entries} if key in new else {}
            lines.append(f"Week {key[0]} {DAYS[key[1]].capitalize()}:")
            went = {moved.get((*key, x)) for x in was}
            if was and len(went) == 1 and None not in went:  # the whole session moved
                to = DAYS[went.pop()].capitalize()
                lines.append(f"  > the whole session ({_count(len(was), 'exercise')}) to {to}")
                continue
            for c in (c for c in shown if (c.week, c.day) == key):
                if (c.week, c.day, c.exercise) in moved:
                    e, to = was[c.exercise], moved[c.week, c.day, c.exercise]
                    lines.append(
                        f"  > {e.exercise.name} ({describe_dose(e)}) to {DAYS[to].capitalize()}"
                    )
                elif c.after == 0:
                    e = was[c.exercise]
                    lines.append(f"  - {e.exercise.name} ({describe_dose(e)})")
                elif c.before == 0:
                    e = now[c.exercise]
                    lines.append(f"  + {e.exercise.name} ({describe_dose(e)})")
                else:
                    e, f = was[c.exercise], now[c.exercise]
                    lines.append(
                        f"  ~ {e.exercise.name} ({describe_dose(e)} -> {describe_dose(f)})"
                    )
        doses = len(self.changed) - self.placements
        lines.append(
            f"{_count(self.placements - 2 * len(moved), 'placement')} changed, "
            f"{_count(len(moved), 'moved to another day', 'moved to another day')}, "
            f"{_count(doses, 'dose')} changed"
        )
        return "\n".join(lines)


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def swap(
    plan: Plan,
    catalog: Catalog,
    week: int,
    day: str,
    exercise: str,
    replacement: str | None = None,
    options: SolverOptions | None = None,
) -> Revision:
    """``plan`` with ``exercise`` taken out of ``week``'s ``day`` session, ``replacement`` put
    in its place when given. Without it, like for like: the first of the LIKE_FOR_LIKE best
    substitutes (``planner.alternatives``: same pattern and main group first) that keeps the
    rules, and failing those whatever keeps them with the fewest changes and then the best
    goals (a clamshell is swapped for another glute move, not for whichever move the week
    had room for). Raises ``RevisionError`` for a bad request, ``NoPlan`` when no week keeps
    the rules with the swap."""
    from planner.alternatives import alternatives
    from planner.solve import NoPlan

    d = _session_day(plan, week, day, "--day")
    profile = plan.profile
    session = {e.exercise.id for e in plan.weeks[week] if e.day == d}
    if exercise not in session:
        raise RevisionError(
            f"{exercise!r} is not in week {week} {DAYS[d]}'s session; it holds: "
            f"{', '.join(sorted(session))}"
        )
    if (d, exercise) in profile.pinned:
        raise RevisionError(f"{exercise!r} is pinned to {DAYS[d]} (--pin); unpin it to swap it")
    if replacement is not None:
        if replacement not in catalog:
            raise RevisionError(
                f"--with {replacement!r} is not in the catalogue {catalog.source}; "
                f"planner alternatives {exercise} lists substitutes"
            )
        reason = profile.reason_excluded(catalog[replacement])
        if reason is not None:
            raise RevisionError(f"--with {replacement!r} is not allowed: {reason}")
        if replacement in session:
            raise RevisionError(f"--with {replacement!r} is already in that session")

    if replacement is None:
        ranked = [a.exercise.id for a in alternatives(catalog, profile, exercise)]
        for other in [x for x in ranked if x not in session][:LIKE_FOR_LIKE]:
            try:
                return swap(plan, catalog, week, day, exercise, other, options)
            except NoPlan:
                continue

    def constrain(wm) -> None:
        if (exercise, d) in wm.x:
            wm.model.add(wm.x[exercise, d] == 0)
        if replacement is not None:
            wm.model.add(wm.x[replacement, d] == 1)
        else:  # a swap puts something new in: the session is not just one exercise shorter
            wm.model.add(
                sum(x for (e, day), x in wm.x.items() if day == d and e not in session) >= 1
            )

    clash = profile.with_changes(exclude=profile.exclude | {exercise})
    if replacement is not None:
        clash = clash.with_changes(pins=clash.pins | {f"{DAYS[d]}:{replacement}"})
    return _revise(plan, catalog, week, plan.weeks[week], constrain, clash, options)


def move(
    plan: Plan,
    catalog: Catalog,
    week: int,
    from_day: str,
    to_day: str,
    options: SolverOptions | None = None,
) -> Revision:
    """``plan`` with ``week``'s ``from_day`` session moved to ``to_day`` (one of the person's
    days, free that week). Nothing else changes when the plan still keeps every rule;
    otherwise the week is re-solved with the fewest changes. Raises ``RevisionError`` for a
    bad request, ``NoPlan`` when no week keeps the rules with the move."""
    source = _session_day(plan, week, from_day, "--from")
    target = _day_index(to_day, "--to")
    profile = plan.profile
    if DAYS[target] not in profile.days:
        raise RevisionError(
            f"--to {DAYS[target]} is not one of your days ({','.join(profile.days)}); "
            "give it in --days"
        )
    pinned = sorted(x for day, x in profile.pinned if day == source)
    if pinned:
        raise RevisionError(
            f"--from {DAYS[source]}: {pinned[0]} is pinned to {DAYS[source]} (--pin); "
            "unpin it to move the session"
        )
    if any(e.day == target for e in plan.weeks[week]):
        raise RevisionError(f"--to {DAYS[target]} already holds a session in week {week}")
    moved = [
        Entry(
            e.week,
            target if e.day == source else e.day,
            0,
            e.exercise,
            e.sets,
            e.reps,
            e.hold_s,
            rest_s=e.rest_s,
        )
        for e in plan.weeks[week]
    ]
    entries = sequence(moved)
    candidate = _with_week(plan, week, entries)
    if not check_plan(candidate):
        return Revision(candidate, plan, changes(plan, candidate))

    def constrain(wm) -> None:
        wm.model.add(wm.on[source] == 0)

    days = tuple(x for x in profile.days if x != DAYS[source])
    try:
        clash = profile.with_changes(days=days, sessions=min(profile.sessions, len(days)))
    except ProfileError:
        clash = profile
    return _revise(plan, catalog, week, entries, constrain, clash, options)


def _day_index(day: str, option: str) -> int:
    name = day.strip().lower()[:3]
    if name not in DAYS:
        raise RevisionError(f"{option} {day!r} is not a day; allowed: {', '.join(DAYS)}")
    return DAYS.index(name)


def _session_day(plan: Plan, week: int, day: str, option: str) -> int:
    """The index of ``day``, which must hold a session in ``week`` of ``plan``."""
    if week not in plan.weeks:
        weeks = list(plan.weeks)
        raise RevisionError(f"--week {week} is not in the plan; allowed: {weeks[0]} to {weeks[-1]}")
    d = _day_index(day, option)
    held = sorted({e.day for e in plan.weeks[week]})
    if d not in held:
        raise RevisionError(
            f"{option} {DAYS[d]}: week {week} has no session that day; it has "
            f"{', '.join(DAYS[x] for x in held)}"
        )
    return d


def _with_week(plan: Plan, week: int, entries: tuple[Entry, ...]) -> Plan:
    """``plan`` with ``week``'s entries replaced, rows in (week, day, order) order."""
    kept = [e for e in plan.entries if e.week != week]
    rows = sorted((*kept, *entries), key=lambda e: (e.week, e.day, e.order))
    return Plan(
        plan.profile,
        tuple(rows),
        Status.FEASIBLE,
        history=plan.history,
        options=plan.options,
    )


def _revise(
    plan: Plan,
    catalog: Catalog,
    week: int,
    current: tuple[Entry, ...],
    constrain: Callable,
    clash,
    options: SolverOptions | None,
) -> Revision:
    """Re-solve ``week`` from ``current`` with ``constrain`` added, then each later week that
    the validator no longer passes; ``clash`` is the profile the clashing rules are named
    against when no week fits."""
    from planner.search import Search

    broken = check_plan(plan)
    if broken:
        raise RevisionError(
            f"the plan already breaks {len(broken)} rule(s) (first: {broken[0]}); "
            "planner check lists them"
        )
    options = options or plan.options
    histories = {w: h for w, _, h in plan.carried}
    revised = plan
    with Search(options) as search:
        history = histories[week]
        entries = _fewest_changes(
            plan, catalog, week, history, current, constrain, clash, options, search
        )
        revised = _with_week(revised, week, entries)
        for later in [w for w in plan.weeks if w > week]:
            if not check_plan(revised):
                break
            history = dict((w, h) for w, _, h in revised.carried)[later]
            entries = _fewest_changes(
                plan,
                catalog,
                later,
                history,
                plan.weeks[later],
                None,
                plan.profile,
                options,
                search,
            )
            revised = _with_week(revised, later, entries)
    if search.interrupted:
        raise KeyboardInterrupt
    return Revision(revised, plan, changes(plan, revised))


def _fewest_changes(
    plan: Plan,
    catalog: Catalog,
    week: int,
    history: History,
    current: tuple[Entry, ...],
    constrain: Callable | None,
    clash,
    options: SolverOptions,
    search,
) -> tuple[Entry, ...]:
    """The week with the fewest placements (then doses) that differ from ``current``, the
    best for the goals among those, within the rules and ``constrain``."""
    from planner.goals import weighted
    from planner.model import build_week
    from planner.ramp import week_context
    from planner.search import RULES_ONLY_SETTINGS, week_entries
    from planner.solve import NoPlan, OutOfTime

    profile = plan.profile
    exercises = profile.allowed(catalog)
    context = week_context(profile, week, history)
    wm = build_week(profile, exercises, frozenset(e.id for e in exercises), context)
    if constrain is not None:
        constrain(wm)
    model = wm.model
    now = {(e.exercise.id, e.day): e.sets for e in current}
    placed = [1 - x if key in now else x for key, x in wm.x.items()]
    doses = []
    for key, sets in now.items():
        if key in wm.n:
            same = model.new_bool_var(f"same_sets_{key[0]}_{DAYS[key[1]]}")
            model.add(wm.n[key] == sets).only_enforce_if(same)
            doses.append(1 - same)
    per_placement = len(doses) + 1  # one placement outweighs every dose
    distance = per_placement * sum(placed) + sum(doses)
    model.minimize(distance)
    for key, x in wm.x.items():
        model.add_hint(x, int(key in now))
        model.add_hint(wm.n[key], now.get(key, 0))
    settings = RULES_ONLY_SETTINGS
    limit = max(options.budget, 1.0)
    solver = settings.parameters(options, limit)
    status, _ = search.run(solver, model)
    if status is Status.INFEASIBLE:
        from planner.conflict import explain
        from planner.search import EXPLAIN_SETTINGS

        rules = explain(catalog, clash, context, EXPLAIN_SETTINGS, search)
        if not rules:
            raise OutOfTime(profile, week, options, search.cut, True)
        raise NoPlan(profile, rules, week)
    if status is Status.UNKNOWN:
        raise OutOfTime(profile, week, options, search.cut)
    fewest = round(solver.objective_value)
    # The goals among the weeks with that few changes, started from the one found.
    model.add(distance == fewest)
    model.minimize(weighted(wm.terms))  # the goals
    model.clear_hints()
    for var in (*wm.x.values(), *wm.n.values()):
        model.add_hint(var, solver.value(var))
    best = settings.parameters(options, limit)
    status, _ = search.run(best, model)
    return week_entries(wm, best if status in (Status.OPTIMAL, Status.FEASIBLE) else solver)
