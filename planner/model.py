"""The CP-SAT model of one week: variables, then each rule family, then the objective.

Decisions are which exercise goes on which day (``x``), how many sets it gets (``n``) and which
days hold a session (``on``). Order within a session is fixed after solving (solver-notes:
slot variables cost 8.7x the variables and do not interact with the other rules).
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from planner import balance, dose, evidence, rules
from planner.catalog import GROUPS, Exercise
from planner.goals import add_objective
from planner.profile import DAYS, Profile
from planner.ramp import LONE_WEEK, WeekContext


@dataclass
class WeekModel:
    """A built model with its decision variables, keyed by exercise id and day index."""

    model: cp_model.CpModel
    profile: Profile
    exercises: tuple[Exercise, ...]
    allowed: frozenset[str]
    days: tuple[int, ...]
    prescriptions: dict[str, dose.Prescription]
    context: WeekContext = field(default_factory=WeekContext)
    on: dict[int, cp_model.IntVar] = field(default_factory=dict)
    x: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)
    n: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)
    guards: dict[str, cp_model.IntVar] = field(default_factory=dict)
    terms: dict[str, cp_model.IntVar] = field(default_factory=dict)
    _works: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)
    _sums: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)
    _family: rules.Rule | None = None  # the rule family being added

    @contextlib.contextmanager
    def adding(self, family: rules.Rule) -> Iterator[None]:
        """While ``family`` adds its constraints: ``require`` ties them to its guard."""
        self._family = family
        try:
            yield
        finally:
            self._family = None

    def require(self, constraint) -> cp_model.Constraint:
        """Add ``constraint`` as part of the rule family being added: enforced by the family's
        guard literal when the model has guards (for explaining infeasibility)."""
        if self._family is None:
            raise RuntimeError("require() is for rule families; use model.add for definitions")
        if self._family.by_construction:
            raise RuntimeError(f"{self._family.name} holds by construction and adds nothing")
        added = self.model.add(constraint)
        if self.guards:
            added.only_enforce_if(self.guards[self._family.name])
        return added

    def set_seconds(self, e: Exercise) -> int:
        """Seconds one set of ``e`` takes at its prescription."""
        rx = self.prescriptions[e.id]
        return dose.set_seconds(e.role, e.dose, rx.reps, rx.hold_s, e.per_side, rx.rest_s)

    def seconds(self, exercises, days, factor=lambda e: 1) -> cp_model.LinearExpr:
        """Seconds the ``exercises`` take over ``days``, each exercise's times ``factor(e)``
        (built as one weighted sum: adding expressions up was most of the build time)."""
        variables, coefficients = [], []
        for e in exercises:
            per_set, f = self.set_seconds(e), factor(e)
            for d in days:
                variables += (self.n[e.id, d], self.x[e.id, d])
                coefficients += (f * per_set, f * evidence.TRANSITION_SECONDS)
        return cp_model.LinearExpr.weighted_sum(variables, coefficients)

    def day_seconds(self, d: int) -> cp_model.IntVar:
        return self._sum("seconds", d, lambda e: 1)

    def strength_seconds(self, d: int) -> cp_model.IntVar:
        """A variable equal to the seconds day ``d`` spends on strength exercises."""
        strength = [e for e in self.exercises if e.role == "strength"]
        return self._sum("strength_seconds", d, lambda e: 1, strength)

    def strengthens(self, d: int) -> cp_model.IntVar:
        """A literal true exactly when day ``d`` holds a strength exercise."""
        return self._any_of(
            ("strength", d), f"strengthens_{DAYS[d]}", lambda e: e.role == "strength"
        )

    def day_load(self, d: int) -> cp_model.IntVar:
        """Load of day ``d`` in RPE x seconds (60 x the AU of R8)."""
        return self._sum("load", d, lambda e: e.rpe)

    def _sum(self, name: str, d: int, factor, exercises=None) -> cp_model.IntVar:
        """A variable equal to day ``d``'s seconds of ``exercises`` (all by default) weighted
        by ``factor``: the day sums are used by several rules and goals, and as variables they
        kept the model 4x smaller (presolve had spent a second comparing their copies)."""
        exercises = self.exercises if exercises is None else exercises
        if (name, d) not in self._sums:
            top = sum(
                factor(e)
                * (
                    self.set_seconds(e) * self.prescriptions[e.id].max_sets
                    + evidence.TRANSITION_SECONDS
                )
                for e in exercises
            )
            var = self.model.new_int_var(0, top, f"{name}_{DAYS[d]}")
            self.model.add(var == self.seconds(exercises, (d,), factor))
            self._sums[name, d] = var
        return self._sums[name, d]

    def week_load(self) -> cp_model.LinearExpr:
        """Load of the week in RPE x seconds."""
        return sum(self.day_load(d) for d in self.days)

    def works(self, group: str, d: int) -> cp_model.IntVar:
        """A literal true exactly when day ``d`` strengthens ``group`` (``Exercise.trains``)."""
        return self._any_of((group, d), f"works_{group}_{DAYS[d]}", lambda e: e.trains(group))

    def _any_of(self, key: tuple, name: str, counts) -> cp_model.IntVar:
        """A literal (made once per ``key``) true exactly when day ``key[1]`` holds an
        exercise that ``counts``."""
        if key not in self._works:
            d = key[1]
            lits = [self.x[e.id, d] for e in self.exercises if counts(e)]
            var = self.model.new_bool_var(name)
            if lits:
                self.model.add_max_equality(var, lits)
            else:
                self.model.add(var == 0)
            self._works[key] = var
        return self._works[key]

    def half_sets(self, group: str) -> cp_model.LinearExpr:
        """Strength half-sets credited to ``group`` over the week (``balance.credit``)."""
        variables, coefficients = [], []
        for e in self.exercises:
            credit = balance.credit(e, group)
            if credit:
                variables += [self.n[e.id, d] for d in self.days]
                coefficients += [credit] * len(self.days)
        return cp_model.LinearExpr.weighted_sum(variables, coefficients)


def build_week(
    profile: Profile,
    exercises: tuple[Exercise, ...],
    allowed: frozenset[str],
    context: WeekContext = LONE_WEEK,
    *,
    guarded: bool = False,
    objective: bool = True,
    symmetry_breaking: bool = False,
    model: cp_model.CpModel | None = None,
) -> WeekModel:
    """Build the week model over ``exercises``; only ids in ``allowed`` may be chosen.

    With ``guarded`` every rule family is enforced by its own literal in ``guards`` so that a
    deletion filter can switch families off to explain infeasibility. ``symmetry_breaking``
    adds ``break_symmetry``'s constraints, for searching; without them the model takes any
    valid week, for checking one. ``model`` adds the week to an existing model (the
    benchmark's all-weeks-in-one model) instead of a new one.
    """
    m = cp_model.CpModel() if model is None else model
    streaks = dict(context.streaks)
    wm = WeekModel(
        model=m,
        profile=profile,
        exercises=exercises,
        allowed=allowed,
        days=tuple(DAYS.index(d) for d in profile.days),
        prescriptions={
            e.id: dose.prescribe(e, profile, context.deload, streaks.get(e.id, 0))
            for e in exercises
        },
        context=context,
    )
    for d in wm.days:
        wm.on[d] = m.new_bool_var(f"on_{DAYS[d]}")
        for e in exercises:
            rx = wm.prescriptions[e.id]
            x = wm.x[e.id, d] = m.new_bool_var(f"x_{e.id}_{DAYS[d]}")
            n = wm.n[e.id, d] = m.new_int_var(0, rx.max_sets, f"n_{e.id}_{DAYS[d]}")
            # The dose rule by construction: a chosen exercise gets its prescribed sets.
            m.add(n >= rx.min_sets * x)
            m.add(n <= rx.max_sets * x)
            m.add_implication(x, wm.on[d])
    if guarded:
        wm.guards = {name: m.new_bool_var(f"guard_{name}") for name in rules.guarded()}
        for lit in wm.guards.values():
            m.add_hint(lit, 1)
    for family in rules.RULES.values():
        family(wm)
    if symmetry_breaking:
        break_symmetry(wm)
    if objective:
        add_objective(wm)
    return wm


def break_symmetry(wm: WeekModel) -> None:
    """Exercises the week cannot tell apart are interchangeable: swapping two of them in any
    week gives a week of the same cost. Among each set of them, only weeks in which the
    earlier one in the catalogue has days that, read as a binary number, are at least the
    later one's are searched. Exercises are alike to the model when they are of one
    ``exercise_type`` and allowance and neither the person's preferences nor last week's
    plan name them.

    The imported catalogue's beginner week has 55 such sets among its 135 exercises. Over 8
    seeds of its 12-week programmes at 10 s, the median objective went from 86 to 70
    (beginner) and from 282 to 90 (advanced); with the first week's larger share (planner.
    solve) also the shipped advanced programmes gained (mean 4.9 to 3.4).
    """
    context, profile = wm.context, wm.profile
    named = context.previous | profile.prefer | profile.dislike
    named |= {e.progression for e in wm.exercises if e.id in context.maxed}
    alike: dict[tuple, list[Exercise]] = {}
    for e in wm.exercises:
        if e.id not in named:
            key = (e.id in wm.allowed, exercise_type(e, wm.prescriptions[e.id]))
            alike.setdefault(key, []).append(e)
    for exercises in alike.values():
        for earlier, later in itertools.pairwise(exercises):
            wm.model.add(_days_code(wm, earlier) >= _days_code(wm, later))


def exercise_type(e: Exercise, rx: dose.Prescription) -> tuple:
    """All the week model sees of exercise ``e`` at prescription ``rx`` but its id and
    catalogue links (progression): exercises of one type are interchangeable in any week.
    The pattern is part of it: the weekly patterns, the strength cap per pattern and the
    pattern goals tell two exercises of different patterns apart (without it the imported
    advanced week could not hold the catalogue's one anti-rotation move, pallof_press, once
    a session held at most 2 strength exercises of one pattern: objective 100 proven)."""
    per_set = dose.set_seconds(e.role, e.dose, rx.reps, rx.hold_s, e.per_side, rx.rest_s)
    credited = tuple(e.trains(g) for g in GROUPS)
    return (
        e.role,
        e.pattern,
        e.primary,
        credited,
        e.rpe,
        per_set,
        rx.min_sets,
        rx.max_sets,
        rx.reps * rx.hold_s,
    )


def _days_code(wm: WeekModel, e: Exercise) -> cp_model.LinearExpr:
    """The days ``e`` is on, as a binary number (first available day the lowest bit)."""
    return cp_model.LinearExpr.weighted_sum(
        [wm.x[e.id, d] for d in wm.days], [1 << i for i in range(len(wm.days))]
    )
