"""``planner check``: re-check a plan CSV against every rule."""

from __future__ import annotations

import sys

import click

from planner.check import check_plan
from planner.cli import EXIT_VIOLATIONS, InputError
from planner.cli.options import after_option, profile_options
from planner.plan import PlanFileError, read_plan


@click.command("check")
@click.argument("plan_csv", type=click.Path(dir_okay=False))
@profile_options
@after_option
def check_command(plan_csv, catalog, profile, options, history, inputs):
    """Re-check a plan CSV (perhaps edited by hand) against every rule; list each violation.

    Give the same options the plan was made with. Exits 1 when any rule is broken.

    \b
    Example:
      planner check week.csv --level beginner --days mon,wed,fri
    """
    del options, inputs  # the solver's seed and time limit, and the input paths: no outputs
    try:
        plan = read_plan(plan_csv, catalog, profile, history)
    except PlanFileError as err:
        raise InputError(str(err)) from None
    violations = check_plan(plan)
    for v in violations:
        click.echo(str(v))
    if violations:
        click.echo(f"{len(violations)} rule violation(s) in {plan_csv}.")
        sys.exit(EXIT_VIOLATIONS)
    click.echo(f"{plan_csv}: {len(plan.entries)} rows, every rule holds.")
