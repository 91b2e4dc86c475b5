"""Solve a profile against a catalogue: a Plan, or the rules that cannot all hold.

Weeks are planned in order, each against the guard rails the weeks before it set
(solver-notes: weeks couple only through their loads, so one hard model becomes many easy
ones); ``ProgrammeSearch`` holds the state of that walk (the weeks planned, the deterministic
time spent) and ``planner.search`` plans each week.

The time limit is one wall-clock deadline for the whole call: every week, first-week and
explanation search is cut to what is left of it. Ctrl-C stops the search in progress at once
and raises ``Interrupted`` carrying the weeks solved so far.

``solve(..., progress=hook)`` calls ``hook`` with a ``Progress`` when each week starts, at each
better week the search finds, and when the week ends (with the week's ``WeekSolve`` figures),
for a progress display or a log; it changes nothing in the plan.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from ortools.sat.python import cp_model

from planner import goals
from planner.catalog import Catalog
from planner.check import history_after
from planner.conflict import explain
from planner.plan import Entry, Keep, Plan, Status
from planner.profile import Profile, SolverOptions
from planner.ramp import NO_HISTORY, History, WeekContext, week_context
from planner.rules import RULES, Rule, missing_work
from planner.search import (
    EXPLAIN_SETTINGS,
    Search,
    SolverSettings,
    TimeBudget,
    WeekRequest,
    WeekResult,
    days_of,
    solve_week,
    week_entries,
)


class NoPlan(ValueError):
    """The request has no plan: ``rules`` are the rule families that cannot all hold (in
    ``week``); ``missing`` says what no exercise the profile allows can supply, found before
    searching."""

    def __init__(
        self,
        profile: Profile,
        rules: tuple[Rule, ...] = (),
        week: int = 1,
        missing: tuple[str, ...] = (),
    ):
        self.profile = profile
        self.rules = rules
        self.week = week
        self.missing = missing
        which = "" if profile.lone_week else f"week {week}: "
        super().__init__(which + self._reason())

    def _reason(self) -> str:
        rules = self.rules
        if self.missing:
            # A gap in the catalogue wants another catalogue; one the profile's filters make
            # wants other filters (what relaxes allowed_exercises), not other rules' settings.
            filters = [r.change for r in rules if r.name == "allowed_exercises"]
            gap = any(m.startswith("the catalogue") for m in self.missing)
            names = " ".join(f"[{r.name}]" for r in rules)
            return (
                f"{'; '.join(self.missing)}; every week needs one {names}. "
                f"Try changing {', '.join((['--catalog'] if gap else []) + filters)}"
            )
        asks = "; ".join(f"{r.asks} [{r.name}]" for r in rules)
        changes = sorted({c.strip() for r in rules for c in r.change.split(",")})
        return (
            f"no week fits these settings: these rules cannot all hold: {asks}. "
            f"Try changing {', '.join(changes)}"
        )


class OutOfTime(NoPlan):
    """The search stopped before any plan was found, or (``proven``) before the clashing rules
    of a request with no plan were named: not a verdict on the settings. ``wall``: the
    wall-clock time limit stopped it (the budget was left); else the budget was spent."""

    def __init__(
        self,
        profile: Profile,
        week: int,
        options: SolverOptions,
        wall: bool,
        proven: bool = False,
    ):
        self.options, self.wall, self.proven = options, wall, proven
        super().__init__(profile, (), week)

    def _reason(self) -> str:
        if self.wall:
            within = f"the time limit of {self.options.time_limit:g} s; raise --time-limit"
        else:
            within = f"the budget of {self.options.budget:g} deterministic s; raise --budget"
        if self.proven:
            return (
                "no week fits these settings; the clashing rules could not be named within "
                f"{within} to see them"
            )
        return f"no plan found within {within}"


class Interrupted(KeyboardInterrupt):
    """Ctrl-C stopped ``solve``. ``plan`` holds the weeks solved so far, the week being
    searched included when it had a valid plan (status FEASIBLE: valid, not proven best), or
    None when no week was done; ``week`` is the week being planned.

    A ``KeyboardInterrupt``, so that code which does not look for it still stops."""

    def __init__(self, plan: Plan | None, week: int):
        self.plan = plan
        self.week = week
        if plan is None:
            done = "no week was planned"
        else:
            low, high = min(e.week for e in plan.entries), max(e.week for e in plan.entries)
            span = f"weeks {low}-{high} were" if high > low else f"week {low} was"
            done = f"{span} planned (valid, not proven best)"
        super().__init__(f"Ctrl-C while planning week {week}; {done}")


@dataclass(frozen=True)
class WeekSolve:
    """How the search for one week went: what ``planner plan --verbose`` prints a line of."""

    week: int
    status: Status
    objective: float  # what its sessions cost (planner.goals); nan when no week was found
    bound: float
    deterministic_seconds: float  # CP-SAT's deterministic time, what the time limit counts
    seconds: float  # wall clock, the model build included
    variables: int
    constraints: int
    again: bool = False  # planned again with time left over (``solve``)

    def __str__(self) -> str:
        """'week 2: optimal, objective 12 (bound 12), 0.31 deterministic s, 0.40 s, 459
        variables, 754 constraints'; 'week 2 again: ...' when planned again."""
        if math.isnan(self.objective):
            found = "no week found"
        else:
            found = f"objective {self.objective:g} (bound {self.bound:g})"
        return (
            f"week {self.week}{' again' if self.again else ''}: {self.status.value}, {found}, "
            f"{self.deterministic_seconds:.2f} deterministic s, {self.seconds:.2f} s, "
            f"{self.variables} variables, {self.constraints} constraints"
        )


@dataclass(frozen=True)
class Progress:
    """Where a ``solve`` call is, given to its ``progress`` hook.

    ``event`` is "start" when a week's search begins, "solution" at each better week it finds
    and "end" when it is over, whatever the outcome (``done`` then holds its figures); weeks
    come in order, each ending before the next starts. With time left over once the last week
    is planned, the weeks may be planned again from an earlier one, in order (``again``)."""

    event: Literal["start", "solution", "end"]
    week: int  # the week being planned; numbers carry on after ``history``
    last_week: int  # the programme's last week
    # The programme's objective so far: the weeks planned plus the best found for this one;
    # nan before the first is found.
    objective: float
    seconds: float  # wall clock since ``solve`` began
    done: WeekSolve | None = None
    # Planning again from an earlier week with time left over: the weeks from it on are kept
    # only when together they cost less (``objective`` is then that of the new weeks).
    again: bool = False


ProgressHook = Callable[[Progress], None]


class _Improving(cp_model.CpSolverSolutionCallback):
    """Passes the objective of each better week the search finds to ``tell``. A solution
    callback only reads the solutions found: the search, and so the plan, stay the same."""

    def __init__(self, tell: Callable[[float], None]):
        super().__init__()
        self._tell = tell

    def on_solution_callback(self) -> None:
        self._tell(self.objective_value)


@dataclass(frozen=True)
class Carried:
    """What a week is planned from: the history before it, last build week's sessions
    (``template``) and, when that week's own search could not better them, what they cost
    (``settled``)."""

    history: History
    template: tuple[Entry, ...] = ()
    settled: float | None = None


@dataclass(frozen=True)
class PlannedWeek:
    """A week of the programme as planned, with what it was planned from, so that the weeks
    from it on can be planned again."""

    week: int
    entries: tuple[Entry, ...]
    status: Status
    objective: float  # what its sessions cost (planner.goals)
    bound: float
    terms: dict[str, int]  # goal term -> points, counted on the sessions
    carried: Carried


@dataclass(frozen=True)
class Stop:
    """Where a pass over the weeks stopped short: the week, why (UNKNOWN: out of time or
    Ctrl-C; INFEASIBLE: no week keeps the rules) and that week's context (None when it never
    started)."""

    status: Status
    week: int
    context: WeekContext | None


class ProgrammeSearch:
    """One ``solve`` call: the weeks planned so far and the deterministic time they used.

    ``run`` plans every week in order (``forward``), then, with time left over, plans again
    from the week furthest from its bound (``plan_again``), and returns the programme."""

    def __init__(
        self,
        catalog: Catalog,
        profile: Profile,
        options: SolverOptions,
        settings: SolverSettings | None,
        history: History,
        progress: ProgressHook | None,
        budget: TimeBudget,
    ):
        self.catalog = catalog
        self.profile = profile
        self.options = options
        self.settings = settings
        self.history = history
        self.progress = progress
        self.budget = budget
        self.allowed = profile.allowed(catalog)
        self.by_id = {e.id: e for e in self.allowed}
        self.first = history.next_week
        self.last = self.first + profile.weeks - 1
        self.weeks_budget = options.budget
        self.spent = 0.0  # deterministic time used so far: unused time carries over
        self.started = time.perf_counter()
        self.weeks: list[PlannedWeek] = []
        self.search: Search | None = None

    def run(self) -> Plan:
        """The programme, or ``NoPlan`` / ``Interrupted``."""
        with Search(self.options, self.budget) as self.search:
            planned, stop = self.forward(
                self.first, Carried(self.history), self.budget.first_week_weight, 0.0
            )
            self.weeks = planned
            if stop is not None:
                return self.stopped(stop)
            at = self.plan_again()
        # Ctrl-C during the last week (kept), planning again, or as the handler is restored
        # on leaving the search (checked after it, so that no press is lost).
        if self.search.interrupted:
            raise self.interrupted(at)
        return self.plan(all(p.status is Status.OPTIMAL for p in self.weeks))

    def plan(self, optimal: bool, shorter: bool = True) -> Plan:
        """The weeks planned so far as a Plan: a shorter programme when they are fewer, unless
        not ``shorter`` (the plan an interruption carries keeps the profile's weeks)."""
        weeks, profile = len(self.weeks) if shorter else self.profile.weeks, self.profile
        if weeks != profile.weeks:  # still a programme, of 1 week too: its weeks ramped
            profile = profile.with_changes(weeks=weeks, programme=True)
        return Plan(
            profile=profile,
            entries=tuple(e for p in self.weeks for e in p.entries),
            status=Status.OPTIMAL if optimal else Status.FEASIBLE,
            objective=sum(p.objective for p in self.weeks),
            bound=sum(p.bound for p in self.weeks),
            seconds=time.perf_counter() - self.started,
            terms=goals.summed(p.terms for p in self.weeks),
            history=self.history,
            options=self.options,
            cut_short=self.search.cut,
        )

    def interrupted(self, week: int) -> Interrupted:
        return Interrupted(self.plan(False, shorter=False) if self.weeks else None, week)

    def stopped(self, stop: Stop) -> Plan:
        """The first pass stopped short at ``stop``: the weeks planned, else why not."""
        if self.search.interrupted:
            raise self.interrupted(stop.week)
        if stop.status is Status.INFEASIBLE:
            rules = explain(
                self.catalog,
                self.profile,
                stop.context,
                self.settings or EXPLAIN_SETTINGS,
                self.search,
            )
            if self.search.interrupted:
                raise self.interrupted(stop.week)
            if not rules:
                raise OutOfTime(self.profile, stop.week, self.options, self.search.cut, True)
            raise NoPlan(self.profile, rules, stop.week)
        if self.weeks:
            return self.plan(False)
        raise OutOfTime(self.profile, stop.week, self.options, self.search.cut)

    def plan_again(self) -> int:
        """Time left over: plan again from the week furthest from its bound, from its own
        sessions with half the time left, and keep the weeks from it on when together they
        cost less; each week once. Returns the week being planned when it stopped."""
        search, budget = self.search, self.budget
        allowance = self.options.budget * budget.replan_share  # shared out from now
        tried: set[int] = set()
        at = self.last
        while (
            not search.interrupted
            and search.remaining() > 0
            and allowance - self.spent >= budget.replan_floor
        ):
            open_weeks = [p for p in self.weeks if p.objective > p.bound and p.week not in tried]
            if not open_weeks:
                break
            worst = max(open_weeks, key=lambda p: p.objective - p.bound)
            tried.add(worst.week)
            i = worst.week - self.first
            prefix = sum(p.objective for p in self.weeks[:i])
            replanned, stop = self.forward(
                worst.week,
                worst.carried,
                max(self.last - worst.week, 1),
                prefix,
                start=worst.entries,
                may_use=budget.replan_overrun * (allowance - self.spent),
            )
            if stop is not None:
                at = stop.week
            elif sum(p.objective for p in replanned) < sum(p.objective for p in self.weeks[i:]):
                self.weeks = self.weeks[:i] + replanned
        return at

    def forward(
        self,
        from_week: int,
        carried: Carried,
        weight: float,
        prefix: float,
        start: tuple[Entry, ...] = (),
        may_use: float = math.inf,
    ) -> tuple[list[PlannedWeek], Stop | None]:
        """Plan from ``from_week`` to the last week in order, that week counting ``weight``
        shares of the time left and starting from ``start`` when given (planning again), else
        from ``carried``'s template, last build week's plan. Returns the weeks planned and,
        when it stopped short, where and why; it also stops once it has used ``may_use``
        deterministic seconds. ``prefix`` is what the weeks before ``from_week`` cost."""
        search, last = self.search, self.last
        planned: list[PlannedWeek] = []
        again, began = bool(start), self.spent
        template, settled, before = carried.template, carried.settled, carried.history
        for week in range(from_week, last + 1):
            if search.interrupted or search.remaining() <= 0 or self.spent - began >= may_use:
                return planned, Stop(Status.UNKNOWN, week, None)
            context = week_context(self.profile, week, before)
            left = self.weeks_budget - self.spent
            limit = max(left * weight / (last - week + weight), self.budget.week_floor)
            total = prefix + sum(p.objective for p in planned)
            watch, week_started = self.announce(week, total, again)
            request = WeekRequest(
                self.profile,
                self.allowed,
                context,
                self.settings,
                start or template,
                None if start else settled,
            )
            found = solve_week(request, search, limit, left, watch)
            self.spent += found.used
            ok = found.status in (Status.OPTIMAL, Status.FEASIBLE)
            objective = math.nan
            if ok:
                entries = week_entries(found.wm, found.solver)
                # What the sessions cost, counted on the sessions (planner.goals): a week not
                # proven best may hold more on the model's goal variables than its sessions
                # need (shipped advanced, 6 sessions: share_hip_flexors 6 for sessions at 0).
                terms = goals.week_costs(entries, self.profile, context, self.by_id)
                objective = float(goals.weighted(terms))
            if self.progress is not None:
                seconds = time.perf_counter() - week_started
                done = _week_solve(found, objective, seconds, again)
                outcome = total + objective if ok else (total if week > self.first else math.nan)
                self.tell("end", week, outcome, again, done)
            if not ok:
                return planned, Stop(found.status, week, context)
            planned.append(
                PlannedWeek(
                    week,
                    entries,
                    found.status,
                    objective,
                    found.bound,
                    terms,
                    Carried(before, template, settled),
                )
            )
            if not context.deload and not self.profile.lone_week:
                kept = days_of(entries) == days_of(template)
                settled = objective if kept and found.status is Status.FEASIBLE else None
                template = entries
            load = sum(e.load for e in entries)
            before = before.carry(load, context.deload, entries, self.profile)
            weight, start = 1, ()
        return planned, None

    def announce(self, week: int, total: float, again: bool):
        """Tell the progress hook the week starts; the solution callback that tells it of each
        better week found (None without a hook), and when the week started."""
        if self.progress is None:
            return None, 0.0
        self.tell("start", week, total if week > self.first else math.nan, again)
        watch = _Improving(lambda best: self.tell("solution", week, total + best, again))
        return watch, time.perf_counter()

    def tell(self, event, week: int, total: float, again: bool, done=None) -> None:
        seconds = time.perf_counter() - self.started
        self.progress(Progress(event, week, self.last, total, seconds, done, again))


def solve(
    catalog: Catalog,
    profile: Profile,
    settings: SolverSettings | None = None,
    history: History = NO_HISTORY,
    progress: ProgressHook | None = None,
    options: SolverOptions | None = None,
    budget: TimeBudget | None = None,
) -> Plan:
    """The best programme the solver finds for ``profile``, or ``NoPlan`` naming the conflict.

    Each week is the best one given the weeks before it. ``history`` carries on an earlier
    plan; ``options`` hold the seed, the budget (deterministic seconds, which decide the plan)
    and the wall-clock time limit (a safety net: a plan it cuts short is ``cut_short``, and no
    plan found in time is ``OutOfTime``).

    When the time limit runs out after some weeks are planned, those weeks come back as a
    shorter programme (``plan.profile.weeks`` below the profile's; status FEASIBLE), which
    ``history_after`` can carry on from; when it runs out before any, ``NoPlan``.

    With deterministic time left over once every week is planned
    (``TimeBudget.replan_share``), the weeks are planned again from the one furthest
    from its bound, starting from its own sessions; the new weeks are kept only when together
    they cost less than the ones they would replace, so the programme never gets dearer.

    ``settings``, when given, are every week's searches; by default each week gets
    ``planner.search.default_settings`` for it. ``progress``, when given, is called as
    ``Progress`` describes; it must not raise. It runs in the calling thread, during the
    search too, so it should return quickly. ``budget`` changes how the time is shared out.
    """
    options = options or SolverOptions()
    missing = missing_work(catalog, profile)
    if missing:
        names = dict.fromkeys(name for _, rules in missing for name in rules)
        rules = tuple(RULES[name] for name in RULES if name in names)
        what = tuple(text for text, _ in missing)
        raise NoPlan(profile, rules, history.next_week, what)
    return ProgrammeSearch(
        catalog, profile, options, settings, history, progress, budget or TimeBudget()
    ).run()


def solve_kept(
    catalog: Catalog,
    profile: Profile,
    keep: Keep,
    settings: SolverSettings | None = None,
    progress: ProgressHook | None = None,
    options: SolverOptions | None = None,
    budget: TimeBudget | None = None,
) -> Plan:
    """``keep.plan`` with its weeks before ``keep.from_week`` kept exactly and the weeks from
    it to the plan's last planned again for ``profile`` (``planner plan --keep PLAN.csv
    --from-week N``): one plan, the kept weeks first.

    The weeks planned now carry on from the kept ones as ``--after`` carries on from a whole
    plan (``history_after``): their loads start the ramp and the acute:chronic guard rail,
    their last build week the progression. The profile's pins and avoid apply to the weeks
    planned now only (``Plan.from_week``); the plan takes the kept plan's weeks and start
    (``Keep.profile``). Raises as ``solve`` does, its week numbers the plan's.
    """
    whole = keep.profile(profile)
    ahead = whole.with_changes(weeks=keep.last_week - keep.from_week + 1, start=None)
    planned = solve(
        catalog, ahead, settings, history_after(keep.before()), progress, options, budget
    )
    kept = keep.before().entries
    weeks = keep.from_week - keep.first_week + planned.profile.weeks  # fewer when cut short
    return replace(
        planned,
        profile=whole.with_changes(weeks=weeks),
        entries=kept + planned.entries,
        history=keep.plan.history,
        from_week=keep.from_week,
    )


def _week_solve(week: WeekResult, objective: float, seconds: float, again: bool) -> WeekSolve:
    """The figures of one week's search, for the progress hook."""
    proto = week.wm.model.proto
    return WeekSolve(
        week=week.wm.context.week,
        status=week.status,
        objective=objective,
        bound=week.bound,
        deterministic_seconds=week.used,
        seconds=seconds,
        variables=len(proto.variables),
        constraints=len(proto.constraints),
        again=again,
    )
