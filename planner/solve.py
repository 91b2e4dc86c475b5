"""Solve a profile against a catalogue: a Plan, or the rules that cannot all hold.

Determinism: interleaved workers (or one) with a deterministic time limit give the same plan
for the same inputs and seed (solver-notes: parallel search under a wall-clock limit does
not).

The time limit is one wall-clock deadline for the whole call: every week, first-week and
explanation search is cut to what is left of it. Ctrl-C stops the search in progress at once
and raises ``Interrupted`` carrying the weeks solved so far.

``solve(..., progress=hook)`` calls ``hook`` with a ``Progress`` when each week starts, at each
better week the search finds, and when the week ends (with the week's ``WeekSolve`` figures),
for a progress display or a log; it changes nothing in the plan.
"""

from __future__ import annotations

import math
import signal
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from ortools.sat.python import cp_model

from planner import goals
from planner.catalog import Catalog
from planner.model import LONE_WEEK, WeekContext, WeekModel, build_week, week_context
from planner.plan import Entry, Plan, Status, sequence
from planner.profile import Profile, SolverOptions
from planner.ramp import NO_HISTORY, History
from planner.rules import GUARDED, RULES, Rule

_STATUS = {
    cp_model.OPTIMAL: Status.OPTIMAL,
    cp_model.FEASIBLE: Status.FEASIBLE,
    cp_model.INFEASIBLE: Status.INFEASIBLE,
    cp_model.MODEL_INVALID: Status.UNKNOWN,
    cp_model.UNKNOWN: Status.UNKNOWN,
}
# Each feasibility check of the explanation gets this share of the time limit.
_EXPLAIN_SHARE = 0.1
# Seconds the explanation's first check gets even when the deadline has passed, so that an
# infeasible request is always told which rules clash (at most this late).
_EXPLAIN_FLOOR = 0.1
# Deterministic seconds the weeks' searches get per second of the time limit. CP-SAT's
# deterministic time ran at 0.36-0.6 of the wall clock on the imported catalogue's weeks (2
# cores, bench/run.py): planned at par, a 12-week programme used its 10 s wall-clock limit by
# week 7 and came back cut short.
_DETERMINISTIC_PER_SECOND = 0.4
# Share of a week's time for checking whether last build week's plan fits this week.
_REPEAT_SHARE = 0.1
# Deterministic seconds a week whose search found nothing still gets, once the weeks' time is
# spent, to find any week that keeps the rules and then to give it its best sets (mostly under
# 0.1 s each on the imported catalogue's weeks): without that week there is no programme. The
# time limit still bounds them.
_RULES_ONLY_FLOOR = 0.2
# The least deterministic time a week's search gets, even once the weeks' time is spent (a
# week's search may overrun its limit: two interleaved workers each run up to it before they
# sync, 1.7 times the limit on the imported advanced weeks).
_WEEK_FLOOR = 0.1
# A week's searches stop where they would leave the weeks after it less than this part of
# their share of the clock left, so that on a slow or busy machine the later weeks still get
# their turn and the programme comes back whole (the plan then depends on the machine; on an
# idle one the deterministic limit comes first). A cut at 1.5 times the week's own share bound
# when the benchmark's progress hook slowed the searches (imported beginner, 12 weeks: 110
# against 104 unhooked); at 5 s the imported advanced 12 weeks had come back as 11 without one.
_WALL_RESERVE = 0.5
# The first week of a call is searched from nothing, and every later week starts from it: it
# gets this many weeks' shares of the time. Over 8 seeds of 12-week programmes at 10 s, with
# break_symmetry (planner.model) and the first week searched as a lone week, against an even
# share without them: median objective beginner 52 against 86, advanced 112 against 226
# (imported catalogue); shipped advanced mean 5.5 against 67.5 (3 shares: about the same).
_FIRST_WEEK_WEIGHT = 2
# Deterministic seconds of the first turn of each of the two searches for any week that keeps
# the rules (``_any_week``); each turn after doubles it.
_FIRST_TURN = 0.05
# Once every week is planned, the time left up to this many deterministic seconds per second of
# the time limit plans again from the week furthest from its bound (``solve``), while at least
# _REPLAN_FLOOR is left. Below _DETERMINISTIC_PER_SECOND, so that the wall clock does not cut
# that search on this machine (it would then decide which plan comes back): the imported
# advanced 52-week programme's weeks ran at 0.28-0.3 deterministic s per second, and at 0.3 it
# came back at 30.0 s. Over 8 seeds of the imported catalogue's 12-week programmes at 10 s:
# beginner mean 54.4 against 61 (worst 65 against 104), shipped advanced mean 4.4 against
# 5.5; imported advanced 52 weeks 185 against 604 (22.5 s).
_REPLAN_PER_SECOND = 0.25
# Weeks planned again are dropped once they have used this many times the time left when they
# began: the week planned again gets half of it, and its interleaved search ran up to 1.9
# times its limit (imported beginner, 12 weeks).
_REPLAN_OVERRUN = 2
_REPLAN_FLOOR = 0.5


class NoPlan(ValueError):
    """The request has no plan. ``rules`` are the rule families that cannot all hold; empty
    when the solver ran out of time, before finding a plan or (``proven``) before naming them."""

    def __init__(
        self, profile: Profile, rules: tuple[Rule, ...], week: int = 1, proven: bool = False
    ):
        self.profile = profile
        self.rules = rules
        self.week = week
        which = "" if profile.weeks == 1 else f"week {week}: "
        if proven and not rules:
            message = (
                f"{which}no week fits these settings; the clashing rules could not be named "
                f"within the time limit of {profile.time_limit:g} s (raise --time-limit to "
                "see them)"
            )
        elif not rules:
            message = (
                f"{which}no plan found within the time limit of {profile.time_limit:g} s; "
                "raise --time-limit"
            )
        else:
            asks = "; ".join(f"{r.asks} [{r.name}]" for r in rules)
            changes = sorted({c.strip() for r in rules for c in r.change.split(",")})
            message = (
                f"{which}no week fits these settings: these rules cannot all hold: {asks}. "
                f"Try changing {', '.join(changes)}"
            )
        super().__init__(message)


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
class SolverSettings:
    """How CP-SAT is run. One worker, or interleaved workers, with a deterministic limit keep
    plans reproducible (solver-notes)."""

    # Two searches, interleaved on two workers: one branching on the LP's reduced costs,
    # which proves the shipped catalogue's weeks best within a second, and one on pseudo
    # costs, which finds the imported catalogue's weeks in a fraction of a second where the
    # first found none in 3 s (bench/run.py --tables search).
    workers: int = 2
    interleave: bool = True
    subsolvers: tuple[str, ...] = ("reduced_costs", "pseudo_costs")
    branching: str | None = None  # a SearchBranching name for a lone worker; None: CP-SAT's
    linearization: int = 2  # full linearisation: the LP both searches lean on
    # A light presolve (no probing, no symmetry detection, one pass) halves the time to the
    # proven optimum on these small models: 0.13-0.98 s against 0.26-2.27 s (4 seeds a level).
    light_presolve: bool = True
    # A search to run after this one when this one has not settled the week, which then
    # gets only ``share`` of the week's time.
    then: SolverSettings | None = None
    share: float = 1.0

    def parameters(self, profile: Profile, time_limit: float) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.random_seed = profile.seed
        p.num_workers = self.workers
        p.interleave_search = self.interleave
        p.subsolvers.extend(self.subsolvers)
        p.linearization_level = self.linearization
        if self.branching is not None:
            p.search_branching = getattr(type(p.search_branching), self.branching)
        if self.light_presolve:
            p.cp_model_probing_level = 0
            p.symmetry_level = 0
            p.max_presolve_iterations = 1
        # The deterministic limit decides, so that the same inputs give the same plan on a
        # busy machine too; the wall clock only guards the whole call (_Search cuts this to
        # what is left of the profile's time limit).
        p.max_deterministic_time = time_limit
        p.max_time_in_seconds = profile.time_limit
        # CP-SAT's own Ctrl-C handler resets SIGINT to the default action after every solve,
        # so a later Ctrl-C killed the process outright (no cleanup, no message): _Search
        # handles Ctrl-C instead.
        p.catch_sigint_signal = False
        return solver


class _Search:
    """Runs the CP-SAT searches of one call: each cut to what is left of the call's wall-clock
    deadline, and each stopped at once by Ctrl-C, after which none starts.

    Python runs a signal handler only between bytecodes, never during a search, so the handler
    just records Ctrl-C; ``signal.set_wakeup_fd`` wakes a watcher thread at once, which stops
    the search in progress. Signals are only taken over in the main thread and while SIGINT
    has Python's default handler; otherwise only the deadline applies.
    """

    def __init__(self, time_limit: float):
        self.deadline = time.monotonic() + time_limit
        self.step_deadline = math.inf  # an earlier deadline for the searches of one step
        self._share = (0, 1.0)  # share_clock's last arguments
        self.interrupted = False
        self._presses = 0  # Ctrl-C presses seen by the handler
        self._solver: cp_model.CpSolver | None = None
        self._lock = threading.Lock()
        self._restore: tuple | None = None

    def remaining(self) -> float:
        """Seconds left before the deadline (negative once past)."""
        return self.deadline - time.monotonic()

    def share_clock(self, later: int | None = None, weight: float = 1) -> None:
        """Stop the next searches where they would leave ``later`` steps after this one, this
        one counting ``weight`` shares, less than _WALL_RESERVE of their share of the clock
        left, counted from now; without arguments, the last ones given again."""
        if later is not None:
            self._share = (later, weight)
        later, weight = self._share
        keep = _WALL_RESERVE * later / (later + weight)
        self.step_deadline = time.monotonic() + self.remaining() * (1 - keep)

    def run(
        self,
        solver: cp_model.CpSolver,
        model: cp_model.CpModel,
        floor: float = 0.0,
        callback: cp_model.CpSolverSolutionCallback | None = None,
    ) -> tuple[Status, float]:
        """``solver.solve(model, callback)`` with its wall-clock limit cut to the deadline (and
        the step's), but never below ``floor``: the status and the deterministic time it used.
        UNKNOWN and 0 without searching when no time is left (the model build may have used
        the last of it) or after Ctrl-C."""
        left = max(min(self.remaining(), self.step_deadline - time.monotonic()), floor)
        seconds = min(solver.parameters.max_time_in_seconds, left)
        with self._lock:
            if self.interrupted or seconds <= 0:
                return Status.UNKNOWN, 0.0
            solver.parameters.max_time_in_seconds = seconds
            self._solver = solver
        try:
            status = solver.solve(model, callback)
            return _STATUS[status], solver.response_proto.deterministic_time
        finally:
            with self._lock:
                self._solver = None

    def __enter__(self) -> _Search:
        if (
            threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
        ):
            return self
        reader, writer = socket.socketpair()
        writer.setblocking(False)
        old_fd = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
        if old_fd != -1:  # someone else (an event loop) listens for signals: leave it theirs
            signal.set_wakeup_fd(old_fd)
            reader.close()
            writer.close()
            return self
        signal.signal(signal.SIGINT, self._on_sigint)
        watcher = threading.Thread(target=self._watch, args=(reader,), daemon=True)
        watcher.start()
        self._restore = (reader, writer, watcher)
        return self

    def __exit__(self, *exc) -> None:
        if self._restore is None:
            return
        reader, writer, watcher = self._restore
        self._restore = None
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.set_wakeup_fd(-1)
        writer.close()  # the watcher reads end-of-file and ends
        watcher.join()
        reader.close()

    def _on_sigint(self, signum, frame) -> None:
        """Runs in the main thread between searches: a first Ctrl-C asks to stop after the
        current step, a second one stops at once."""
        self._presses += 1
        self.interrupted = True
        if self._presses > 1:
            raise KeyboardInterrupt

    def _watch(self, reader: socket.socket) -> None:
        while data := reader.recv(512):
            if signal.SIGINT in data:
                self._stop()

    def _stop(self) -> None:
        """Stop the search in progress. ``stop_search`` is lost when it comes before the
        search has begun, so it is repeated until that search has returned."""
        while True:
            with self._lock:
                self.interrupted = True
                if self._solver is None:
                    return
                self._solver.stop_search()
            time.sleep(0.05)


# A week searched from nothing (a lone week, the first week of a call, a build week that last
# build week's sessions do not fit) is mostly proven best fastest by pseudo-cost branching
# alone (shipped advanced lone week 0.15 deterministic s against 1.57 interleaved; imported
# advanced 0.33 against more than 4, unproven), but not always (imported intermediate:
# unproven after 4 s, where the pair took 0.13): a quarter of the week's time for it, then the
# interleaved pair. A week started from last build week's sessions, and a deload week, gets
# the pair alone.
PROGRAMME_SETTINGS = SolverSettings()
FRESH_WEEK_SETTINGS = SolverSettings(
    workers=1,
    interleave=False,
    subsolvers=(),
    branching="PSEUDO_COST_SEARCH",
    then=PROGRAMME_SETTINGS,
    share=0.25,
)


# The search for any week that keeps the rules: one worker with CP-SAT's default search found
# one in 0.07 deterministic s where the interleaved pair took 2.5 (12 s of wall clock) on an
# imported advanced week.
RULES_ONLY_SETTINGS = SolverSettings(workers=1, interleave=False, subsolvers=())


def default_settings(fresh: bool = True) -> SolverSettings:
    """The searches ``solve`` runs for a week searched from nothing (``fresh``), or for one
    started from last build week's sessions or a deload week."""
    return FRESH_WEEK_SETTINGS if fresh else PROGRAMME_SETTINGS


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


def solve(
    catalog: Catalog,
    profile: Profile,
    settings: SolverSettings | None = None,
    history: History = NO_HISTORY,
    progress: ProgressHook | None = None,
    options: SolverOptions | None = None,
) -> Plan:
    """The best programme the solver finds for ``profile``, or ``NoPlan`` naming the conflict.

    Weeks are solved in order, each against the guard rails its history sets (solver-notes:
    weeks couple only through their loads, so one hard model becomes many easy ones); each
    week is the best one given the weeks before it. ``history`` carries on an earlier plan.

    When the time limit runs out after some weeks are planned, those weeks come back as a
    shorter programme (``plan.profile.weeks`` below the profile's; status FEASIBLE), which
    ``history_after`` can carry on from; when it runs out before any (or after only a deload
    week, which on its own would read as a lone week), ``NoPlan``.

    With deterministic time left over once every week is planned (_REPLAN_PER_SECOND), the
    weeks are planned again from the one furthest from its bound, starting from its own
    sessions; the new weeks are kept only when together they cost less than the ones they
    would replace, so the programme never gets dearer.

    ``settings``, when given, are every week's searches; by default each week gets
    ``default_settings`` for it. ``progress``, when given, is
    called as ``Progress`` describes; it must not raise. It runs in the calling thread, during
    the search too, so it should return quickly.
    """
    if options is not None:  # until the profile no longer carries them
        profile = profile.with_changes(seed=options.seed, time_limit=options.time_limit)
    started = time.perf_counter()
    allowed = profile.allowed(catalog)
    ids = frozenset(e.id for e in allowed)
    by_id = {e.id: e for e in allowed}
    first = history.next_week
    last = first + profile.weeks - 1
    budget = profile.time_limit * _DETERMINISTIC_PER_SECOND
    spent = 0.0  # deterministic time used so far: unused time carries over, reproducibly

    def so_far(planned: list[_Planned], optimal: bool, weeks: int = profile.weeks) -> Plan:
        return Plan(
            profile=profile if weeks == profile.weeks else profile.with_changes(weeks=weeks),
            entries=tuple(e for p in planned for e in p.entries),
            status=Status.OPTIMAL if optimal else Status.FEASIBLE,
            objective=sum(p.objective for p in planned),
            bound=sum(p.bound for p in planned),
            seconds=time.perf_counter() - started,
            terms=goals.summed(p.terms for p in planned),
            history=history,
        )

    def tell(event, week: int, total: float, again: bool, done: WeekSolve | None = None) -> None:
        seconds = time.perf_counter() - started
        progress(Progress(event, week, last, total, seconds, done, again))

    def forward(from_week, before, template, settled, weight, prefix, start=(), may_use=math.inf):
        """Plan from ``from_week`` to the last week in order, that week counting ``weight``
        shares of the time left and starting from ``start`` when given (planning again),
        else from ``template``, last build week's plan. Returns the weeks planned and, when it
        stopped short, the status of the week it stopped at (UNKNOWN: out of time or Ctrl-C;
        INFEASIBLE: no week keeps the rules), that week and its context; also UNKNOWN once
        it has used ``may_use`` deterministic seconds."""
        nonlocal spent
        planned: list[_Planned] = []
        again, began = bool(start), spent
        for week in range(from_week, last + 1):
            if search.interrupted or search.remaining() <= 0 or spent - began >= may_use:
                return planned, (Status.UNKNOWN, week, None)
            context = week_context(profile, week, before)
            left = budget - spent
            limit = max(left * weight / (last - week + weight), _WEEK_FLOOR)
            search.share_clock(last - week, weight)
            total = prefix + sum(p.objective for p in planned)
            watch = None
            if progress is not None:
                tell("start", week, total if week > first else math.nan, again)
                watch = _Improving(
                    lambda best, w=week, o=total: tell("solution", w, o + best, again)
                )
                week_started = time.perf_counter()
            found = _solve_week(
                *(profile, allowed, ids, context, settings, search, limit, left, watch),
                template=start or template,
                settled=None if start else settled,
            )
            wm, solver, status = found.wm, found.solver, found.status
            spent += found.used
            ok = status in (Status.OPTIMAL, Status.FEASIBLE)
            objective = math.nan
            if ok:
                week_entries = _entries(wm, solver)
                # What the sessions cost, counted on the sessions (planner.goals): a week not
                # proven best may hold more on the model's goal variables than its sessions
                # need (shipped advanced, 6 sessions: share_hip_flexors 6 for sessions at 0).
                week_terms = goals.week_costs(week_entries, profile, context, by_id)
                objective = float(goals.weighted(week_terms))
            if progress is not None:
                seconds = time.perf_counter() - week_started
                done = _week_solve(found, objective, seconds, again)
                outcome = total + objective if ok else (total if week > first else math.nan)
                tell("end", week, outcome, again, done)
            if not ok:
                return planned, (status, week, context)
            done_week = _Planned(
                *(week, week_entries, status, objective, found.bound, week_terms),
                *(before, template, settled),
            )
            planned.append(done_week)
            if not context.deload and profile.weeks > 1:
                kept = _days_of(week_entries) == _days_of(template)
                settled = objective if kept and status is Status.FEASIBLE else None
                template = week_entries
            load = sum(e.load for e in week_entries)
            before = before.carry(load, context.deload, week_entries, profile)
            weight, start = 1, ()
        return planned, None

    def interrupted(week: int) -> Interrupted:
        return Interrupted(so_far(weeks, False) if weeks else None, week)

    with _Search(profile.time_limit) as search:
        weeks, stop = forward(first, history, (), None, _FIRST_WEEK_WEIGHT, 0.0)
        if stop is not None:
            status, week, context = stop
            if search.interrupted:
                raise interrupted(week)
            if status is Status.INFEASIBLE:
                search.share_clock(0)  # no weeks after it: the explanation gets the clock left
                rules = _explain(catalog, profile, context, settings or FRESH_WEEK_SETTINGS, search)
                if search.interrupted:
                    raise interrupted(week)
                raise NoPlan(profile, rules, week, proven=True)
            # One week planned reads as a lone repeating week (weeks = 1), which a deload week
            # is not: that one is not returned on its own.
            if len(weeks) > 1 or (weeks and not profile.is_deload(first)):
                return so_far(weeks, False, len(weeks))
            raise NoPlan(profile, (), week)
        # Time left over: plan again from the week furthest from its bound, from its own
        # sessions with half the time left, and keep the weeks from it on when together they
        # cost less; each week once.
        budget = profile.time_limit * _REPLAN_PER_SECOND  # what ``forward`` shares out from now
        tried: set[int] = set()
        at = last  # the week being planned
        while not search.interrupted and search.remaining() > 0 and budget - spent >= _REPLAN_FLOOR:
            open_weeks = [p for p in weeks if p.objective > p.bound and p.week not in tried]
            if not open_weeks:
                break
            worst = max(open_weeks, key=lambda p: p.objective - p.bound)
            tried.add(worst.week)
            i = worst.week - first
            prefix = sum(p.objective for p in weeks[:i])
            replanned, stop = forward(
                *(worst.week, worst.history, worst.template, worst.settled),
                max(last - worst.week, 1),
                prefix,
                start=worst.entries,
                may_use=_REPLAN_OVERRUN * (budget - spent),
            )
            if stop is not None:
                at = stop[1]
            elif sum(p.objective for p in replanned) < sum(p.objective for p in weeks[i:]):
                weeks = weeks[:i] + replanned
        if search.interrupted:  # during the last week, which was kept, or planning again
            raise interrupted(at)
    return so_far(weeks, all(p.status is Status.OPTIMAL for p in weeks))


@dataclass(frozen=True)
class _Planned:
    """A week of the programme as planned, with what it started from (the history before it,
    last build week's plan and its settled cost), so that the weeks from it on can be planned
    again."""

    week: int
    entries: tuple[Entry, ...]
    status: Status
    objective: float
    bound: float
    terms: dict[str, int]  # goal -> points, counted on the sessions (planner.goals)
    history: History
    template: tuple[Entry, ...]
    settled: float | None


@dataclass(frozen=True)
class _Week:
    """One week's search: the model, the solver holding the week found, its status, the
    deterministic time used and the lower bound proven on the week's objective."""

    wm: WeekModel
    solver: cp_model.CpSolver | None  # None when no week was found
    status: Status
    used: float
    bound: float


def _fixed(wm: WeekModel, chosen: set[tuple[str, int]], settings, search, limit: float):
    """The best week with exactly the ``chosen`` (exercise id, day) pairs, sets free: a
    search on a copy of ``wm.model``, so its values are a complete hint for ``wm``."""
    trial = wm.model.clone()
    for key, x in wm.x.items():
        trial.add(trial.get_bool_var_from_proto_index(x.index) == int(key in chosen))
    solver = settings.parameters(wm.profile, limit)
    status, used = search.run(solver, trial)
    return solver, status, used


def _days_of(entries: tuple[Entry, ...]) -> set[tuple[str, int]]:
    """The (exercise id, day) pairs of a week's entries."""
    return {(e.exercise.id, e.day) for e in entries}


def _chosen(wm: WeekModel, solver: cp_model.CpSolver) -> set[tuple[str, int]]:
    """The (exercise id, day) pairs of the week ``solver`` holds."""
    return {key for key, x in wm.x.items() if solver.boolean_value(x)}


def _optimise(wm: WeekModel, settings, limit: float, search, watch=None, start=None):
    """The best week the search ``settings`` and its ``then`` searches find on ``wm.model``
    within ``limit`` deterministic seconds, each after the one before has not settled the
    week, with its share of what is left; ``start`` is a week found before, kept when none
    betters it. Returns the solver holding the week (None when none was found), its status,
    the deterministic time used and the lower bound proven on the week's objective."""
    best, bound, used, stage = start, 0.0, 0.0, settings
    while stage is not None:
        share = stage.share if stage.then is not None else 1.0
        solver = stage.parameters(wm.profile, max((limit - used) * share, 0.0))
        status, more = search.run(solver, wm.model, callback=watch)
        used += more
        if status in (Status.OPTIMAL, Status.INFEASIBLE):
            return solver, status, used, solver.best_objective_bound
        if status is Status.FEASIBLE:
            bound = max(bound, solver.best_objective_bound)
            if best is None or solver.objective_value < best.objective_value:
                best = solver
        if search.interrupted:
            break
        stage = stage.then
    return best, Status.UNKNOWN if best is None else Status.FEASIBLE, used, bound


def _solve_week(
    profile,
    allowed,
    ids,
    context,
    settings,
    search,
    limit,
    left,
    watch=None,
    template=(),
    settled=None,
) -> _Week:
    """The best week within ``limit`` seconds (deterministic time, the week's share of the
    ``left`` seconds of the time limit); ``watch`` hears of each better week found.

    Last build week's ``template`` (its exercises and days, sets free) is tried first. Once
    the load holds it often fits at no cost, which no week can beat, sparing the search (the
    hold weeks of a programme). It is also taken as it is, without a search, when it costs no
    more than ``settled``: what it cost when its own week's search, started from the same
    sessions, could not better them (imported advanced, 52 weeks: 40 hold weeks had each
    searched 0.2-0.5 deterministic s in vain, and the programme came back cut short at 49
    weeks). When it fits at some other cost, the search starts from it, given
    as a complete hint (imported advanced: 12 weeks 103 against 161 without, 52 weeks 322
    against 417), except in a deload week, which the heavier week's sessions start badly
    (synthetic 250 exercises, 12 weeks: 8.1 s against 2.1 s, both optimal).

    The search is ``settings`` (None: ``default_settings`` for the week), then its ``then``
    searches while the week is not proven best; a programme week's model breaks the symmetry
    of exercises it cannot tell apart (``planner.model.break_symmetry``).
    When they find no week in the week's share, any week that keeps the rules (``_any_week``),
    which may use all that is left and at least _RULES_ONLY_FLOOR (without this week there is
    no programme), with the best sets for its exercises and days, scored on the week's goals
    and reported as feasible. The rules alone answer in well under a second where the search
    found nothing in 10 s (one 18-minute advanced session). Hinting that week to the search
    instead made weeks worse (12-week imported intermediate: objective 618 against 0).
    """
    # Programme weeks only: a lone week's search lost to it (shipped advanced, seeds 0-3:
    # objectives 27, 0, 0, 0 with it, 0, 0, 0, 0 without; imported advanced 93, 4, 7, 62
    # against 0, 4, 10, 0).
    programme_week = context.band is not None
    wm = build_week(profile, allowed, ids, context, symmetry_breaking=programme_week)
    given, settings = settings, settings or PROGRAMME_SETTINGS
    used, start = 0.0, None
    if template:
        start, status, used = _fixed(
            wm, _days_of(template), settings, search, limit * _REPEAT_SHARE
        )
        if status not in (Status.OPTIMAL, Status.FEASIBLE):
            start = None
        elif start.objective_value == 0:
            return _Week(wm, start, Status.OPTIMAL, used, 0.0)
        elif not context.deload:
            if settled is not None and start.objective_value <= settled:
                return _Week(wm, start, Status.FEASIBLE, used, 0.0)
            for index, value in enumerate(start.response_proto.solution):
                wm.model.add_hint(wm.model.get_int_var_from_proto_index(index), value)
    searches = given or default_settings(fresh=start is None and not context.deload)
    best, status, more, bound = _optimise(wm, searches, limit - used, search, watch, start)
    used += more
    if status is not Status.UNKNOWN:
        return _Week(wm, best, status, used, bound)
    if search.interrupted or search.remaining() <= 0:
        return _Week(wm, None, Status.UNKNOWN, used, math.nan)
    search.share_clock()  # from now: without this week there is no programme
    solver, status, more = _any_week(wm, search, max(left - used, _RULES_ONLY_FLOOR))
    used += more
    if solver is None:  # none found in time, or none at all (INFEASIBLE)
        return _Week(wm, None, status, used, math.nan)
    # Its cost, for the programme's objective: the best sets for its exercises and days.
    scoring = max(left - used, _RULES_ONLY_FLOOR)
    solver, status, more = _fixed(wm, _chosen(wm, solver), settings, search, scoring)
    found = Status.FEASIBLE if status in (Status.OPTIMAL, Status.FEASIBLE) else Status.UNKNOWN
    return _Week(wm, solver, found, used + more, 0.0)


def _any_week(wm: WeekModel, search: _Search, budget: float):
    """Any week that keeps the rules, within ``budget`` deterministic seconds: the rules alone
    (no objective) and the week's search stopped at its first week take turns, one worker
    each, every turn twice as long as the one before. Neither is reliably the faster one: on
    four imported-catalogue weeks the rules alone took 0.01-2.07 deterministic s and the
    first week of the search 0.04-0.93, each the slower on some week.

    Returns the solver holding the week (None when none was found; its variables are
    ``wm``'s), the status (INFEASIBLE when the rules cannot all hold) and the time used."""
    rules_only = wm.model.clone()
    rules_only.clear_objective()
    used, turn = 0.0, _FIRST_TURN
    while True:
        for model in (rules_only, wm.model):
            solver = RULES_ONLY_SETTINGS.parameters(wm.profile, min(turn, budget - used))
            solver.parameters.stop_after_first_solution = True
            status, more = search.run(solver, model)
            used += more
            if status in (Status.OPTIMAL, Status.FEASIBLE):
                return solver, status, used
            if status is Status.INFEASIBLE:
                return None, status, used
            if used >= budget or search.interrupted or search.remaining() <= 0:
                return None, Status.UNKNOWN, used
        turn *= 2


def _week_solve(week: _Week, objective: float, seconds: float, again: bool) -> WeekSolve:
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


def _entries(wm: WeekModel, solver: cp_model.CpSolver) -> tuple[Entry, ...]:
    entries = []
    for d in wm.days:
        for e in wm.exercises:
            if solver.boolean_value(wm.x[e.id, d]):
                rx = wm.prescriptions[e.id]
                sets = solver.value(wm.n[e.id, d])
                entries.append(Entry(wm.context.week, d, 0, e, sets, rx.reps, rx.hold_s))
    return sequence(entries)


def explain_infeasible(
    catalog: Catalog,
    profile: Profile,
    context: WeekContext = LONE_WEEK,
    settings: SolverSettings = FRESH_WEEK_SETTINGS,
) -> tuple[Rule, ...]:
    """A minimal set of rule families that cannot hold together.

    Each family is guarded by a literal. CP-SAT's assumption core (the objective left out, as
    the two do not mix) gives a small infeasible set fast; a deletion filter over that set then
    drops every family the conflict does not need. bench/run.py: 0.13 s for the core against
    1.0 s for a deletion filter over all families. All within ``profile.time_limit``.
    """
    with _Search(profile.time_limit) as search:
        rules = _explain(catalog, profile, context, settings, search)
    if search.interrupted:
        raise KeyboardInterrupt
    return rules


def _explain(
    catalog: Catalog,
    profile: Profile,
    context: WeekContext,
    settings: SolverSettings,
    search: _Search,
) -> tuple[Rule, ...]:
    """``explain_infeasible`` within ``search``'s deadline. The first check gets at least
    _EXPLAIN_FLOOR; the filter then drops families while time is left, and every set it
    passes through clashes, so running out of time leaves a correct set, if not a minimal one.
    """
    allowed = frozenset(e.id for e in profile.allowed(catalog))
    wm = build_week(profile, tuple(catalog), allowed, context, guarded=True, objective=False)
    # Assumption cores need one worker: interleaved workers answered UNKNOWN.
    settings = replace(settings, workers=1, interleave=False, subsolvers=())
    limit = max(profile.time_limit * _EXPLAIN_SHARE, _EXPLAIN_FLOOR)
    needed = _core(wm, list(GUARDED), settings, search, limit, floor=_EXPLAIN_FLOOR)
    if needed is None:
        return ()  # the conflict could not be reproduced within the time given
    for family in list(needed):
        if search.remaining() <= 0 or search.interrupted:
            break
        trial = [f for f in needed if f != family]
        if _core(wm, trial, settings, search, limit) is not None:
            needed = trial
    return tuple(RULES[name] for name in needed)


def _core(
    wm: WeekModel,
    families: list[str],
    settings: SolverSettings,
    search: _Search,
    limit: float,
    floor: float = 0.0,
) -> list[str] | None:
    """Families among ``families`` that are infeasible together, or None when feasible or
    undecided within ``limit`` (and the deadline)."""
    wm.model.clear_assumptions()
    wm.model.add_assumptions([wm.guards[f] for f in families])
    wm.model.add_assumptions([~wm.guards[f] for f in wm.guards if f not in families])
    solver = settings.parameters(wm.profile, limit)
    if search.run(solver, wm.model, floor)[0] is not Status.INFEASIBLE:
        return None
    core = set(solver.sufficient_assumptions_for_infeasibility())
    return [f for f in families if wm.guards[f].index in core] or families
