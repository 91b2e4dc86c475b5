"""``planner check``: re-check a plan CSV against every rule."""

from __future__ import annotations

import sys
from dataclasses import replace

import click

from planner.check import check_plan
from planner.cli import EXIT_VIOLATIONS, InputError
from planner.cli.options import after_option, keep_of, profile_options
from planner.plan import PlanFileError, read_plan


@click.command("check")
@click.argument("plan_csv", type=click.Path(dir_okay=False))
@profile_options
@after_option
@click.option(
    "--from-week",
    type=int,
    metavar="N",
    help="The weeks before N were kept from an earlier plan (plan --keep --from-week N): "
    "pins and avoid hold from week N on.",
)
def check_command(plan_csv, catalog, profile, options, history, inputs, from_week):
    """Re-check a plan CSV (perhaps edited by hand) against every rule; list each violation.

    Give the same options the plan was made with. Exits 1 when any rule is broken.

    \b
    Example:
      planner check week.csv --level beginner --days mon,wed,fri
      planner check replanned.csv --profile me.toml --from-week 3
    """
    del options, inputs  # the solver's seed and time limit, and the input paths: no outputs
    try:
        plan = read_plan(plan_csv, catalog, profile, history)
    except PlanFileError as err:
        raise InputError(str(err)) from None
    if from_week is not None:
        plan = replace(plan, from_week=keep_of(plan, from_week, plan_csv).from_week)
    violations = check_plan(plan)
    for v in violations:
        click.echo(str(v))
    if violations:
        click.echo(f"{len(violations)} rule violation(s) in {plan_csv}.")
        sys.exit(EXIT_VIOLATIONS)
    click.echo(f"{plan_csv}: {len(plan.entries)} rows, every rule holds.")
