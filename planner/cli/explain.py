"""``planner explain``: why a plan is as it is, as tables on the terminal or CSV files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from planner.check import check_plan
from planner.cli import InputError, progress
from planner.cli.adapt import log_options
from planner.cli.options import after_option, profile_options, quiet_verbose_options
from planner.cli.outputs import Target, check_targets, write_targets
from planner.cli.plan import plan_frame
from planner.explain import Explanation, explain
from planner.export import table_csv

TABLES = ("weeks", "sets", "sessions", "patterns")  # the tables --csv writes, one file each
FILES = ", ".join(f"{name}.csv" for name in TABLES[:-1]) + f" and {TABLES[-1]}.csv"


def _table(name: str) -> Callable[[Explanation], str]:
    """How to make table ``name`` of an explanation as CSV text."""
    return lambda explanation: table_csv(getattr(explanation, name))


@click.command("explain")
@click.argument("plan_csv", required=False, type=click.Path(dir_okay=False))
@profile_options
@log_options
@after_option
@click.option(
    "--csv",
    "csv_dir",
    type=click.Path(file_okay=False),
    help=f"Also write {FILES} (the tables, one file each) into this folder.",
)
@quiet_verbose_options
def explain_command(
    plan_csv, catalog, profile, options, history, inputs, log, csv_dir, quiet, verbose
):
    """Explain a plan: each week's load, ramp, acute:chronic ratio and monotony; each week's
    strength sets for glutes, core and hamstrings against its minimum and aim; each session's
    strength share; the strength patterns each week covers; what each exercise is for; what
    was left out and why; with --person, what the log says was done against the plans kept.
    Without PLAN_CSV it plans first, with the same options as ``plan``.

    \b
    Example:
      planner explain week.csv --level beginner --days mon,wed,fri
      planner explain --weeks 4 --csv tables/
    """
    outputs = []
    if csv_dir:
        files = {Path(csv_dir) / f"{name}.csv": _table(name) for name in TABLES}
        outputs.append(Target("csv", csv_dir, files, folder=True))
    check_targets(outputs, {**inputs, "PLAN_CSV": plan_csv})  # now, not after a long solve
    plan = plan_frame(plan_csv, catalog, profile, options, history, quiet, verbose)
    broken = check_plan(plan) if plan_csv is not None and not quiet else []
    if broken:  # made with other options, or edited: its figures are read against these
        click.echo(
            f"Note: {plan_csv} has {len(broken)} rule violation(s) with these options; give "
            f"the options it was made with (planner check {plan_csv} lists them).",
            err=True,
        )
    try:
        explanation = explain(plan, catalog, log)
    except ValueError as err:
        raise InputError(f"{plan_csv}: {err}") from None
    if not quiet:
        click.echo(explanation.render())
    write_targets(outputs, explanation)
    if outputs and not quiet:
        click.echo(f"Wrote {FILES} to {csv_dir}.")
    if plan_csv is None:
        progress.exit_if_cut_short(progress.warn_if_cut_short(plan, profile))
