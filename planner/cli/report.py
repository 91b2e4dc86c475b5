"""``planner report``: a plan as a page to keep or print, in the formats asked for."""

from __future__ import annotations

import click

from planner.cli import InputError, progress
from planner.cli.adapt import log_options
from planner.cli.options import (
    after_option,
    export_options,
    profile_options,
    quiet_verbose_options,
)
from planner.cli.outputs import check_targets, targets_of, write_targets
from planner.cli.plan import plan_frame
from planner.export import exports_of
from planner.report import Report, build_report


def _choose() -> str:
    """'choose an output: --html FILE, --md FILE or --png DIR', from the table."""
    options = [f"--{e.name} {'DIR' if e.folder else 'FILE'}" for e in exports_of(Report).values()]
    return f"choose an output: {', '.join(options[:-1])} or {options[-1]}"


@click.command("report")
@click.argument("plan_csv", required=False, type=click.Path(dir_okay=False))
@profile_options
@log_options
@after_option
@export_options(Report)
@quiet_verbose_options
def report_command(
    plan_csv, catalog, profile, options, history, inputs, log, targets, quiet, verbose
):
    """Write a plan as a report to keep or print: the profile, the grid of sessions week by
    week with each exercise's dose and cue, the weekly load against the ramp ceiling and the
    target, each week's strength sets for glutes, core and hamstrings against its minimum and
    aim, and the safety note; with --person, what the log says was done against the plans
    kept (the load logged on the load chart, pain over time). Without PLAN_CSV it plans
    first, with the same options as ``plan``.

    \b
    Example:
      planner report week.csv --level beginner --days mon,wed,fri --html report.html
      planner report --days mon,wed,fri --md report.md --png charts/
    """
    if not targets:
        raise InputError(_choose())
    outputs = targets_of(targets)
    check_targets(outputs, {**inputs, "PLAN_CSV": plan_csv})
    plan = plan_frame(plan_csv, catalog, profile, options, history, quiet, verbose)
    try:
        page = build_report(plan, catalog, log)
    except ValueError as err:
        raise InputError(f"{plan_csv}: {err}") from None
    for target in outputs:
        write_targets([target], page)
        *most, last = [str(path) for path in target.files]
        if not quiet:
            click.echo(f"Wrote {', '.join(most)} and {last}." if most else f"Wrote {last}.")
    if plan_csv is None:
        progress.exit_if_cut_short(progress.warn_if_cut_short(plan, profile))
