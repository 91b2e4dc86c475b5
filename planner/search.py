"""The CP-SAT searches of one call: how they are run, stopped and given their time, and the
search for one week.

Determinism: interleaved workers (or one) with a deterministic time limit give the same week
for the same inputs and seed (solver-notes: parallel search under a wall-clock limit does
not). ``Search`` holds one call's wall-clock deadline and Ctrl-C; ``TimeBudget`` names every
tuning figure of how the deterministic time is shared out, with what was measured for it;
``solve_week`` plans one week (``planner.solve`` chains them into a programme).
"""

from __future__ import annotations

import math
import signal
import socket
import threading
import time
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from planner.catalog import Exercise
from planner.model import WeekModel, break_symmetry, build_week
from planner.plan import Entry, Status, sequence
from planner.profile import Profile, SolverOptions
from planner.ramp import WeekContext

_STATUS = {
    cp_model.OPTIMAL: Status.OPTIMAL,
    cp_model.FEASIBLE: Status.FEASIBLE,
    cp_model.INFEASIBLE: Status.INFEASIBLE,
    cp_model.MODEL_INVALID: Status.UNKNOWN,
    cp_model.UNKNOWN: Status.UNKNOWN,
}


@dataclass(frozen=True)
class TimeBudget:
    """How a call's budget (``SolverOptions.budget``, deterministic seconds) is shared out:
    every tuning figure of the searches, in one place, each with what was measured for it
    (2 cores, bench/run.py). Times are CP-SAT's deterministic seconds unless they say
    otherwise; the wall clock (``SolverOptions.time_limit``) is only a safety net, so that the
    same inputs give the same plan on any machine at any load (CP-SAT's deterministic time
    ran at 0.28-0.8 of the wall clock here)."""

    # Share of a week's time for checking whether last build week's plan fits this week.
    repeat_share: float = 0.1
    # Share of a week's time for looking for a week that meets every goal (``_ideal_week``),
    # in turns of ``ideal_turn`` seconds at first, each ``ideal_growth`` times the one before.
    # The time that search takes varies with the seed far more than it grows with the week:
    # shipped advanced lone week, 30 seeds, one turn: median 0.09, 90th percentile 1.25, worst
    # 1.91 deterministic s; in turns of 0.15 growing 1.5 times, over 20 seeds: median 0.04,
    # worst 0.18 (seven days free: median 0.19 and 0.23, worst 2 unfound in 2 s and 0.79).
    # Where it is not found, its share is lost to the search: imported advanced 12 weeks,
    # 8 seeds at 10 s, median 1185 with 0.1, 3678 with 0.25, 3764 with 0.5 (1462 without the
    # step); shipped advanced 12 weeks median 0, worst 109 with each.
    ideal_share: float = 0.1
    ideal_turn: float = 0.15
    ideal_growth: float = 1.5
    # What a week whose search found nothing still gets, once the weeks' time is spent, to
    # find any week that keeps the rules and then to give it its best sets (mostly under 0.1 s
    # each on the imported catalogue's weeks): without that week there is no programme. The
    # time limit still bounds them.
    rules_only_floor: float = 0.2
    # The least a week's search gets, even once the weeks' time is spent (a week's search may
    # overrun its limit: two interleaved workers each run up to it before they sync, 1.7 times
    # the limit on the imported advanced weeks).
    week_floor: float = 0.1
    # The first week of a call is searched from nothing, and every later week starts from it:
    # it gets this many weeks' shares of the time. Over 8 seeds of 12-week programmes at 10 s,
    # with break_symmetry (planner.model) and the first week searched as a lone week, against
    # an even share without them: median objective beginner 52 against 86, advanced 112
    # against 226 (imported catalogue); shipped advanced mean 5.5 against 67.5.
    first_week_weight: float = 2
    # The first turn of each of the two searches for any week that keeps the rules
    # (``_any_week``); each turn after doubles it.
    first_turn: float = 0.05
    # Once every week is planned, what is left of this share of the budget plans again from
    # the week furthest from its bound (``planner.solve``), while at least ``replan_floor`` is
    # left. (Measured as 0.25 deterministic s per second of a 10 s limit whose weeks had 0.4:
    # over 8 seeds of the imported catalogue's 12-week programmes, beginner mean 54.4 against
    # 61, worst 65 against 104; shipped advanced mean 4.4 against 5.5; imported advanced 52
    # weeks 185 against 604.)
    replan_share: float = 0.625
    # Weeks planned again are dropped once they have used this many times the time left when
    # they began: the week planned again gets half of it, and its interleaved search ran up to
    # 1.9 times its limit (imported beginner, 12 weeks).
    replan_overrun: float = 2
    replan_floor: float = 0.5
    # Each feasibility check of the infeasibility explanation gets this share of the budget
    # (0.1 of a 10 s limit before), and its first check at least ``explain_floor`` wall-clock
    # seconds even when the deadline has passed, so that an infeasible request is always told
    # which rules clash.
    explain_share: float = 0.25
    explain_floor: float = 0.1


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

    def parameters(self, options: SolverOptions, time_limit: float) -> cp_model.CpSolver:
        """A solver for a search of ``time_limit`` deterministic seconds with ``options``'s
        seed, its wall clock limited to ``options.time_limit``."""
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.random_seed = options.seed
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
        # busy machine too; the wall clock only guards the whole call (Search cuts this to
        # what is left of the time limit).
        p.max_deterministic_time = time_limit
        p.max_time_in_seconds = options.time_limit
        # CP-SAT's own Ctrl-C handler resets SIGINT to the default action after every solve,
        # so a later Ctrl-C killed the process outright (no cleanup, no message): Search
        # handles Ctrl-C instead.
        p.catch_sigint_signal = False
        return solver


class Search:
    """Runs the CP-SAT searches of one call: each cut to what is left of the call's wall-clock
    deadline, and each stopped at once by Ctrl-C, after which none starts.

    Python runs a signal handler only between bytecodes, never during a search, so the handler
    just records Ctrl-C; ``signal.set_wakeup_fd`` wakes a watcher thread at once, which stops
    the search in progress. Signals are only taken over in the main thread and while SIGINT
    has Python's default handler; otherwise only the deadline applies.
    """

    def __init__(self, options: SolverOptions, budget: TimeBudget | None = None):
        self.options = options
        self.budget = budget or TimeBudget()
        self.deadline = time.monotonic() + options.time_limit
        self.cut = False  # the wall clock stopped a search: the result depends on the machine
        self.interrupted = False
        self._presses = 0  # Ctrl-C presses seen by the handler
        self._solver: cp_model.CpSolver | None = None
        self._lock = threading.Lock()
        self._restore: tuple | None = None

    def remaining(self) -> float:
        """Seconds left before the deadline (negative once past)."""
        return self.deadline - time.monotonic()

    def run(
        self,
        solver: cp_model.CpSolver,
        model: cp_model.CpModel,
        floor: float = 0.0,
        callback: cp_model.CpSolverSolutionCallback | None = None,
    ) -> tuple[Status, float]:
        """``solver.solve(model, callback)`` with its wall-clock limit cut to the deadline, but
        never below ``floor``: the status and the deterministic time it used. UNKNOWN and 0
        without searching when no time is left (the model build may have used the last of it)
        or after Ctrl-C. A search the wall clock stops, or one it leaves unstarted, sets
        ``cut``: what comes back then depends on the machine."""
        left = max(self.remaining(), floor)
        seconds = min(solver.parameters.max_time_in_seconds, left)
        with self._lock:
            if self.interrupted:
                return Status.UNKNOWN, 0.0
            if seconds <= 0:
                self.cut = True
                return Status.UNKNOWN, 0.0
            solver.parameters.max_time_in_seconds = seconds
            self._solver = solver
        try:
            status = solver.solve(model, callback)
            if self.remaining() <= 0 and not self.interrupted:
                self.cut = True
            return _STATUS[status], solver.response_proto.deterministic_time
        finally:
            with self._lock:
                self._solver = None

    def __enter__(self) -> Search:
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
# alone, but not always (imported intermediate: unproven after 4 s, where the pair took
# 0.13). Once a session may hold at most 2 strength exercises of one pattern, neither LP
# suits every week: pseudo-cost branching on the lighter LP (linearisation 1) found the
# imported advanced programme's first week in 0.3-0.8 deterministic s for four seeds, and
# proved the shipped advanced lone week best in 0.14-0.22 (0.11-2.14 on the full LP), but
# found no six-session beginner week in 3 s, where on the full LP it found one in 0.2-0.9.
# So half the week's time goes to it on the lighter LP, half of the rest on the full LP, then
# the interleaved pair (imported advanced 4 weeks: 8 of 8 seeds planned at the default
# budget, against 0 of 8 with a quarter on the full LP then the pair). A week started from
# last build week's sessions, and a deload week, gets the pair alone.
PROGRAMME_SETTINGS = SolverSettings()
# Pseudo-cost branching on the full LP, one worker: the searches below are made from it.
PSEUDO_COST = SolverSettings(
    workers=1, interleave=False, subsolvers=(), branching="PSEUDO_COST_SEARCH"
)
FRESH_WEEK_SETTINGS = replace(
    PSEUDO_COST,
    linearization=1,
    then=replace(PSEUDO_COST, then=PROGRAMME_SETTINGS, share=0.5),
    share=0.5,
)


# The explanation of a request with no plan (planner.conflict): pseudo-cost branching on the
# full LP, one worker, which proves the deletion filter's trials infeasible (on the lighter LP
# the tiny catalogue's ramp conflict went unnamed within the budget).
EXPLAIN_SETTINGS = PSEUDO_COST


# The search for any week that keeps the rules: one worker with CP-SAT's default search found
# one in 0.07 deterministic s where the interleaved pair took 2.5 (12 s of wall clock) on an
# imported advanced week.
RULES_ONLY_SETTINGS = SolverSettings(workers=1, interleave=False, subsolvers=(), linearization=1)


# The first week of a call that carries a programme on (after --after or a training log: last
# week's exercises are known, its sessions are not), and a week easing back in after missed
# ones (ramp.easing), keep the settings fresh weeks had before the pattern cap: a quarter of
# its time for pseudo-cost branching on the full LP, then the pair. plan --adapt's first week
# after 12 logged weeks (shipped intermediate) was proven best in 0.13 deterministic s with
# them against 0.65 with FRESH_WEEK_SETTINGS (whole process 0.38 s against 1.34).
CONTINUING_WEEK_SETTINGS = replace(PSEUDO_COST, then=PROGRAMME_SETTINGS, share=0.25)


def default_settings(fresh: bool = True, carrying_on: bool = False) -> SolverSettings:
    """The searches ``solve`` runs for a week searched from nothing (``fresh``; one that
    ``carrying_on`` a programme from its history gets CONTINUING_WEEK_SETTINGS), or for one
    started from last build week's sessions or a deload week."""
    if not fresh:
        return PROGRAMME_SETTINGS
    return CONTINUING_WEEK_SETTINGS if carrying_on else FRESH_WEEK_SETTINGS


@dataclass(frozen=True)
class WeekRequest:
    """What one week's search is asked for: the week for ``profile`` from ``exercises`` (those
    the profile allows), placed by ``context``; ``settings`` the searches (None: the default
    for the week); last build week's sessions (``template``) and, when its own search could not
    better them, what they cost (``settled``)."""

    profile: Profile
    exercises: tuple[Exercise, ...]
    context: WeekContext
    settings: SolverSettings | None = None
    template: tuple[Entry, ...] = ()
    settled: float | None = None


@dataclass(frozen=True)
class WeekResult:
    """One week's search: the model, the solver holding the week found, its status, the
    deterministic time used and the lower bound proven on the week's objective."""

    wm: WeekModel
    solver: cp_model.CpSolver | None  # None when no week was found
    status: Status
    used: float
    bound: float


def _fixed(
    wm: WeekModel,
    chosen: set[tuple[str, int]],
    settings: SolverSettings,
    search: Search,
    limit: float,
):
    """The best week with exactly the ``chosen`` (exercise id, day) pairs, sets free: a
    search on a copy of ``wm.model``, so its values are a complete hint for ``wm``."""
    trial = wm.model.clone()
    for key, x in wm.x.items():
        trial.add(trial.get_bool_var_from_proto_index(x.index) == int(key in chosen))
    solver = settings.parameters(search.options, limit)
    status, used = search.run(solver, trial)
    return solver, status, used


def _ideal_week(wm: WeekModel, search: Search, limit: float):
    """A week that meets every goal, within ``limit`` deterministic seconds: it costs 0
    points, which no week can beat (every goal's points are 0 or more), so it is the best
    week. It is sought with the goals as rules and no objective, on a copy of ``wm.model``,
    where the goals held at 0 prune far more than the objective's bound does in the search
    for the best week, in turns of a growing length, each with the next seed (see
    ``TimeBudget.ideal_turn``). Returns the solver holding the week (None when none was found;
    its variables are ``wm``'s), its status (INFEASIBLE: no week meets every goal) and the
    time used."""
    trial = wm.model.clone()
    objective = trial.proto.objective
    terms = [trial.get_int_var_from_proto_index(i) for i in objective.vars]
    trial.add(
        cp_model.LinearExpr.weighted_sum(terms, objective.coeffs) + round(objective.offset) <= 0
    )
    trial.clear_objective()
    budget = search.budget
    solver, status, used = _in_turns(
        search, (trial,), limit, budget.ideal_turn, budget.ideal_growth, reseed=True
    )
    # Found, it is the best week (a week at 0), however the search stopped.
    return solver, Status.OPTIMAL if solver is not None else status, used


def _in_turns(
    search: Search,
    models: tuple[cp_model.CpModel, ...],
    limit: float,
    turn: float,
    growth: float,
    reseed: bool = False,
):
    """The first week any of ``models`` holds, within ``limit`` deterministic seconds: one
    worker each, in turns, the models one after the other, the first turn ``turn`` long and
    each next one ``growth`` times the one before, each with the next seed when ``reseed``.
    Returns the solver holding the week (None when none was found), the status (INFEASIBLE
    when a model has none) and the time used."""
    used, seed = 0.0, search.options.seed
    while True:
        for model in models:
            if used >= limit or search.interrupted or search.remaining() <= 0:
                return None, Status.UNKNOWN, used
            solver = RULES_ONLY_SETTINGS.parameters(search.options, min(turn, limit - used))
            solver.parameters.stop_after_first_solution = True
            if reseed:
                solver.parameters.random_seed = seed % 2**31  # CP-SAT's is a 32-bit integer
            status, more = search.run(solver, model)
            used += more
            if status in (Status.OPTIMAL, Status.FEASIBLE):
                return solver, status, used
            if status is Status.INFEASIBLE:
                return None, status, used
        turn, seed = turn * growth, seed + 1


def days_of(entries: tuple[Entry, ...]) -> set[tuple[str, int]]:
    """The (exercise id, day) pairs of a week's entries."""
    return {(e.exercise.id, e.day) for e in entries}


def _chosen(wm: WeekModel, solver: cp_model.CpSolver) -> set[tuple[str, int]]:
    """The (exercise id, day) pairs of the week ``solver`` holds."""
    return {key for key, x in wm.x.items() if solver.boolean_value(x)}


def optimise(
    wm: WeekModel,
    settings: SolverSettings,
    limit: float,
    search: Search,
    watch: cp_model.CpSolverSolutionCallback | None = None,
    start: cp_model.CpSolver | None = None,
):
    """The best week the search ``settings`` and its ``then`` searches find on ``wm.model``
    within ``limit`` deterministic seconds, each after the one before has not settled the
    week, with its share of what is left; ``start`` is a week found before, kept when none
    betters it. Returns the solver holding the week (None when none was found), its status,
    the deterministic time used and the lower bound proven on the week's objective."""
    best, bound, used, stage = start, 0.0, 0.0, settings
    while stage is not None:
        share = stage.share if stage.then is not None else 1.0
        solver = stage.parameters(search.options, max((limit - used) * share, 0.0))
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


def solve_week(
    request: WeekRequest,
    search: Search,
    limit: float,
    left: float,
    watch: cp_model.CpSolverSolutionCallback | None = None,
) -> WeekResult:
    """The best week ``request`` asks for within ``limit`` seconds (deterministic time, the
    week's share of the ``left`` seconds of the time limit); ``watch`` hears of each better
    week found.

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

    A week without a template (a lone week, the first week of a call) is first sought among
    the weeks that meet every goal (``_ideal_week``), which no week can beat: the shipped
    advanced lone week in 0.09 deterministic s where the search took 1.75 to find and prove
    the same 0. Not the later weeks: over 8 seeds of the imported advanced 12-week programme
    it gave median 3736 and 6 runs cut short by the clock, against 3678 and 3 with the first
    week only, each with a quarter of the week's time (``TimeBudget.ideal_share``): its later
    weeks that meet every goal are mostly not there to find.

    The search is ``settings`` (None: ``default_settings`` for the week), then its ``then``
    searches while the week is not proven best; a programme week's model breaks the symmetry
    of exercises it cannot tell apart (``planner.model.break_symmetry``).
    When they find no week in the week's share, any week that keeps the rules (``_any_week``),
    which may use all that is left and at least ``TimeBudget.rules_only_floor`` (without this
    week there is no programme), with the best sets for its exercises and days, scored on the
    week's goals and reported as feasible. The rules alone answer in well under a second where
    the search found nothing in 10 s (one 18-minute advanced session). Hinting that week to the
    search instead made weeks worse (12-week imported intermediate: objective 618 against 0).
    """
    context, budget = request.context, search.budget
    # Symmetry breaking, programme weeks only (added once the week that meets every goal is
    # not found: it slowed that search, shipped advanced 4 weeks, week 1, from 0.03-0.09
    # deterministic s to 0.04-0.52): a lone week's search lost to it (shipped advanced, seeds
    # 0-3: objectives 27, 0, 0, 0 with it, 0, 0, 0, 0 without; imported advanced 93, 4, 7, 62
    # against 0, 4, 10, 0).
    programme_week = context.band is not None
    wm = build_week(
        request.profile, request.exercises, frozenset(e.id for e in request.exercises), context
    )
    given, settings = request.settings, request.settings or PROGRAMME_SETTINGS
    used, start = 0.0, None
    if request.template:
        days = days_of(request.template)
        start, status, used = _fixed(wm, days, settings, search, limit * budget.repeat_share)
        if status not in (Status.OPTIMAL, Status.FEASIBLE):
            start = None
        elif start.objective_value == 0:
            return WeekResult(wm, start, Status.OPTIMAL, used, 0.0)
        elif not context.deload:
            settled = request.settled
            if settled is not None and start.objective_value <= settled:
                return WeekResult(wm, start, Status.FEASIBLE, used, 0.0)
            for index, value in enumerate(start.response_proto.solution):
                wm.model.add_hint(wm.model.get_int_var_from_proto_index(index), value)
    if not request.template:
        ideal, status, more = _ideal_week(wm, search, limit * budget.ideal_share)
        used += more
        if ideal is not None:
            return WeekResult(wm, ideal, status, used, 0.0)
    if programme_week:
        break_symmetry(wm)
    fresh = start is None and not context.deload
    carrying_on = bool(context.previous) and (context.easing or not request.template)
    searches = given or default_settings(fresh, carrying_on)
    best, status, more, bound = optimise(wm, searches, limit - used, search, watch, start)
    used += more
    if status is not Status.UNKNOWN:
        return WeekResult(wm, best, status, used, bound)
    if search.interrupted or search.remaining() <= 0:
        return WeekResult(wm, None, Status.UNKNOWN, used, math.nan)
    floor = budget.rules_only_floor
    solver, status, more = _any_week(wm, search, max(left - used, floor))
    used += more
    if solver is None:  # none found in time, or none at all (INFEASIBLE)
        return WeekResult(wm, None, status, used, math.nan)
    # Its cost, for the programme's objective: the best sets for its exercises and days.
    scoring = max(left - used, floor)
    solver, status, more = _fixed(wm, _chosen(wm, solver), settings, search, scoring)
    found = Status.FEASIBLE if status in (Status.OPTIMAL, Status.FEASIBLE) else Status.UNKNOWN
    return WeekResult(wm, solver, found, used + more, 0.0)


def _any_week(wm: WeekModel, search: Search, budget: float):
    """Any week that keeps the rules, within ``budget`` deterministic seconds: the rules alone
    (no objective) and the week's search stopped at its first week take turns, one worker
    each, every turn twice as long as the one before. Neither is reliably the faster one: on
    four imported-catalogue weeks the rules alone took 0.01-2.07 deterministic s and the
    first week of the search 0.04-0.93, each the slower on some week.

    Returns the solver holding the week (None when none was found; its variables are
    ``wm``'s), the status (INFEASIBLE when the rules cannot all hold) and the time used."""
    rules_only = wm.model.clone()
    rules_only.clear_objective()
    return _in_turns(search, (rules_only, wm.model), budget, search.budget.first_turn, 2)


def week_entries(wm: WeekModel, solver: cp_model.CpSolver) -> tuple[Entry, ...]:
    """The week ``solver`` holds, as plan entries in session order."""
    entries = []
    for d in wm.days:
        for e in wm.exercises:
            if solver.boolean_value(wm.x[e.id, d]):
                rx = wm.prescriptions[e.id]
                sets = solver.value(wm.n[e.id, d])
                week = wm.context.week
                entries.append(Entry(week, d, 0, e, sets, rx.reps, rx.hold_s, rest_s=rx.rest_s))
    return sequence(entries)
