"""A solve as the commands run it: the transient progress line on a terminal, ``--verbose``'s
solver figures, and the solver's refusals turned into exit codes. The solver is imported only
here, and only when a command solves."""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

import click

from planner.cli import EXIT_SEARCH_RAN_OUT, NoPlanError, SearchRanOut
from planner.cli.outputs import terminal

if TYPE_CHECKING:
    from planner.catalog import Catalog
    from planner.plan import Keep, Plan
    from planner.profile import Profile, SolverOptions
    from planner.ramp import History
    from planner.solve import Progress, ProgressHook

# Seconds a solve runs before its progress line appears: a quick plan shows none.
PROGRESS_AFTER = 1.0


@contextlib.contextmanager
def solving(quiet: bool, verbose: bool) -> Iterator[ProgressHook | None]:
    """The ``progress`` hook for a solve, or None. ``--verbose`` prints each week's solver
    figures on stderr as the week ends; on a terminal, unless ``--quiet``, a transient line
    on stderr shows the week, the best objective and the time once the solve has run
    PROGRESS_AFTER seconds. The line is gone when this exits, Ctrl-C included, so that what
    is printed next starts on a clean line."""
    console = None if quiet else terminal(sys.stderr)
    live = view = None
    if console is not None and console.is_interactive:  # not on TERM=dumb
        from rich.live import Live

        from planner.terminal import ProgressView

        view = ProgressView()
        live = Live(
            view, console=console, transient=True, redirect_stdout=False, redirect_stderr=False
        )
    if live is None and not verbose:
        yield None
        return

    def hook(progress: Progress) -> None:
        if view is not None:
            view.update(progress)
        if verbose and progress.done is not None:
            line = f"Solver, {progress.done}."
            if console is not None:
                console.print(line, soft_wrap=True)  # above the progress line
            else:
                click.echo(line, err=True)

    if live is None:
        yield hook
        return
    lock, stopped = threading.Lock(), threading.Event()

    def show() -> None:
        with lock:
            if not stopped.is_set():
                live.start(refresh=True)

    timer = threading.Timer(PROGRESS_AFTER, show)
    timer.daemon = True
    timer.start()
    try:
        yield hook
    finally:
        timer.cancel()
        with lock:
            stopped.set()
            live.stop()


def solve(
    catalog: Catalog,
    profile: Profile,
    options: SolverOptions,
    history: History,
    quiet: bool,
    verbose: bool,
    keep: Keep | None = None,
) -> Plan:
    """``planner.solve.solve`` (with ``keep``: ``solve_kept``, ``plan --keep``) with the
    progress ``--quiet`` and ``--verbose`` ask for; no plan is ``NoPlanError`` (exit 3), none
    found before the search ran out ``SearchRanOut`` (exit 5). Ctrl-C comes through as
    ``planner.solve.Interrupted``."""
    from planner.solve import NoPlan, OutOfTime, solve, solve_kept

    with solving(quiet, verbose) as progress:
        try:
            if keep is not None:
                return solve_kept(catalog, profile, keep, progress=progress, options=options)
            return solve(catalog, profile, history=history, progress=progress, options=options)
        except OutOfTime as err:
            raise SearchRanOut(str(err)) from None
        except NoPlan as err:
            raise NoPlanError(str(err)) from None


def warn_if_cut_short(result: Plan, profile: Profile) -> bool:
    """On stderr, when the search ran out before the whole programme (``solve`` returns the
    weeks it planned) or the time limit stopped a search (the plan may then differ from run to
    run): what happened and how to carry on. True when it warned (the command then exits
    EXIT_SEARCH_RAN_OUT once its files are written)."""
    first, done = result.history.next_week, result.profile.weeks
    if result.cut_short:
        ran_out, more = "Time limit reached", "Raise --time-limit"
    else:
        ran_out, more = "Budget spent", "Raise --budget"
    if done < profile.weeks:
        planned = f"week {first}" if done == 1 else f"weeks {first}-{first + done - 1}"
        click.echo(
            f"{ran_out}: {planned} of {first}-"
            f"{first + profile.weeks - 1} planned (valid, not proven best). {more}, "
            # --programme: the weeks left ramp on, even when only one is left
            f"or carry on with --after PLAN.csv --weeks {profile.weeks - done} --programme.",
            err=True,
        )
        return True
    if result.cut_short:
        click.echo(
            f"Time limit reached: every week planned (valid, not proven best), but before the "
            f"budget of {result.options.budget:g} deterministic s was spent, so another run or "
            "machine may give another plan. Raise --time-limit for the reproducible one.",
            err=True,
        )
        return True
    return False


def exit_if_cut_short(warned: bool) -> None:
    """Exit EXIT_SEARCH_RAN_OUT after a command's files are written, when it warned."""
    if warned:
        sys.exit(EXIT_SEARCH_RAN_OUT)
