"""``planner plan``: solve a programme, write it in the formats asked for, and print it; and
what ``explain`` and ``report`` share with it when they plan first."""

from __future__ import annotations

import sys

import click

from planner.catalog import Catalog
from planner.cli import EXIT_INTERRUPTED, InputError, ScreeningStop, progress
from planner.cli.adapt import adapted, keeping_options
from planner.cli.options import (
    after_option,
    export_options,
    keep_options,
    profile_options,
    quiet_verbose_options,
)
from planner.cli.outputs import check_targets, targets_of, terminal, write_targets
from planner.export import EXPORTS
from planner.plan import Plan, PlanFileError, read_plan
from planner.profile import Profile, SolverOptions
from planner.ramp import History
from planner.screening import NOT_ADVICE, Outcome, Verdict, screen_verdict


def screened(profile: Profile) -> Verdict:
    """The screening verdict; a red flag or a missing clearance stops here with exit 4."""
    verdict = screen_verdict(profile.screening)
    if not verdict.plans:
        raise ScreeningStop(verdict.message)
    return verdict


def plan_frame(
    plan_csv: str | None,
    catalog: Catalog,
    profile: Profile,
    options: SolverOptions,
    history: History,
    quiet: bool,
    verbose: bool,
) -> Plan:
    """The plan ``explain`` and ``report`` work on: PLAN_CSV read for ``profile`` after
    ``history``, or without it a plan solved now, screening first, as ``plan`` would (its
    profile has fewer weeks when the search ran out: the command warns, with
    ``progress.warn_if_cut_short``, once it has written its files)."""
    if plan_csv is not None:
        try:
            return read_plan(plan_csv, catalog, profile, history)
        except PlanFileError as err:
            raise InputError(str(err)) from None
    screened(profile)
    result = progress.solve(catalog, profile, options, history, quiet, verbose)
    return result


@click.command("plan")
@keeping_options
@profile_options
@after_option
@keep_options
@adapted
@export_options(Plan)
@quiet_verbose_options
def plan_command(
    catalog, profile, options, history, inputs, keep, keeping, targets, quiet, verbose
):
    """Plan a programme for your level, days, minutes and equipment: 4 weeks whose load ramps
    up with a deload week (--weeks 1 for one week that repeats, --weeks 1 --programme for a
    programme's first week alone). --csv, --ics and --json can be given together; - writes
    one of them to stdout instead of a file. On a terminal the plan comes as coloured tables
    (NO_COLOR=1 for none) and a long solve shows its progress.

    --person NAME keeps the plan in the logbook for planner log; --adapt plans the next
    weeks from the log and says why each thing changed.

    \b
    Example:
      planner plan --level intermediate --days mon,tue,thu,sat --minutes 40 --csv plan.csv
      planner plan --start 2026-11-30 --csv plan.csv --ics plan.ics --json plan.json
      planner plan --person me --start 2026-12-07 --profile me.toml
      planner plan --adapt --person me
    """
    verdict = screened(profile)
    if "ics" in targets and profile.start is None:
        raise InputError("--ics needs dates; give --start YYYY-MM-DD (or start in the profile)")
    outputs = targets_of(targets)
    check_targets(outputs, inputs)
    try:
        result = progress.solve(catalog, profile, options, history, quiet, verbose, keep)
    except KeyboardInterrupt as err:  # Interrupted, or a second Ctrl-C that would not wait
        from planner.solve import Interrupted

        done = f"{err}; " if isinstance(err, Interrupted) else ""
        click.echo(f"Interrupted: {done}nothing written.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    write_targets(outputs, result)
    kept = keeping.keep(result, catalog) if keeping is not None else []
    if verdict.outcome is Outcome.REMINDER and not quiet:
        click.echo(verdict.message, err=True)
    cut = progress.warn_if_cut_short(result, profile)
    if quiet or any(t.to_stdout for t in outputs):
        for line in [] if quiet else kept:
            click.echo(line, err=True)
        progress.exit_if_cut_short(cut)
        return
    console = terminal(sys.stdout)
    if console is None:
        click.echo(result.render(verbose))
    else:
        from planner.terminal import plan_view

        console.print(plan_view(result, console.width, verbose))
    click.echo("")
    click.echo(
        f"Solver: {result.status.value}, objective {result.objective:g} "
        f"(bound {result.bound:g}), {result.seconds:.2f} s."
    )
    for fmt, path in targets.items():
        click.echo(f"Wrote {EXPORTS[fmt].holds(result)} to {path}.")
    for line in kept:
        click.echo(line)
    click.echo(NOT_ADVICE)
    progress.exit_if_cut_short(cut)
