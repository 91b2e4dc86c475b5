"""``planner explain``: why a plan is as it is, as tables on the terminal or CSV files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from planner.cli import InputError, progress
from planner.cli.options import after_option, profile_options, quiet_verbose_options
from planner.cli.outputs import Target, check_targets, write_targets
from planner.cli.plan import plan_frame
from planner.explain import Explanation, explain
from planner.export import table_csv

TABLES = ("weeks", "groups")  # the explanation's tables --csv writes, one file each


def _table(name: str) -> Callable[[Explanation], str]:
    """How to make table ``name`` of an explanation as CSV text."""
    return lambda explanation: table_csv(getattr(explanation, name))


@click.command("explain")
@click.argument("plan_csv", required=False, type=click.Path(dir_okay=False))
@profile_options
@after_option
@click.option(
    "--csv",
    "csv_dir",
    type=click.Path(file_okay=False),
    help="Also write weeks.csv and groups.csv (the two tables) into this folder.",
)
@quiet_verbose_options
def explain_command(plan_csv, catalog, profile, options, history, inputs, csv_dir, quiet, verbose):
    """Explain a plan: each week's load, ramp, acute:chronic ratio and monotony; each muscle
    group's sets, days and share against its target; what each exercise is for; what was left
    out and why. Without PLAN_CSV it plans first, with the same options as ``plan``.

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
    try:
        explanation = explain(plan, catalog)
    except ValueError as err:
        raise InputError(f"{plan_csv}: {err}") from None
    if not quiet:
        click.echo(explanation.render())
    write_targets(outputs, explanation)
    if outputs and not quiet:
        click.echo(f"Wrote weeks.csv and groups.csv to {csv_dir}.")
    if plan_csv is None:
        progress.exit_if_cut_short(progress.warn_if_cut_short(plan, profile))
