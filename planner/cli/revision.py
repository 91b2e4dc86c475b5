"""``planner swap`` and ``planner move``: revise a plan CSV the way people follow it.

Both print the sessions they change as a diff; only ``-o FILE`` writes the revised plan (the
input itself only when ``-o`` names it), atomically (``planner.output.write``)."""

from __future__ import annotations

import click

from planner.cli import InputError, NoPlanError, SearchRanOut
from planner.cli.options import after_option, profile_options
from planner.cli.outputs import check_overwrites
from planner.output import OutputError
from planner.plan import PlanFileError, read_plan

_out_option = click.option(
    "-o",
    "--output",
    "out_path",
    type=click.Path(dir_okay=False),
    metavar="OUT.csv",
    help="Write the revised plan here (may name PLAN_CSV itself); without it nothing is written.",
)
_week_option = click.option(
    "--week", type=click.IntRange(min=1), required=True, help="The week of the session."
)


def _revise(plan_csv, catalog, profile, history, inputs, out_path, change) -> None:
    """Read the plan, make the ``change`` (a library call on the plan), print the diff and
    write the revised plan to ``out_path`` when given."""
    from planner.export import csv_text
    from planner.output import write
    from planner.revision import RevisionError
    from planner.solve import NoPlan, OutOfTime

    if out_path is not None:
        check_overwrites([("-o", out_path)], inputs)
    try:
        plan = read_plan(plan_csv, catalog, profile, history)
    except PlanFileError as err:
        raise InputError(str(err)) from None
    try:
        revision = change(plan)
    except RevisionError as err:
        raise InputError(str(err)) from None
    except OutOfTime as err:
        raise SearchRanOut(str(err)) from None
    except NoPlan as err:
        raise NoPlanError(str(err)) from None
    click.echo(revision.diff())
    if out_path is None:
        click.echo("Nothing written; give -o OUT.csv to save the revised plan.")
        return
    try:
        write(out_path, csv_text(revision.plan))
    except OutputError as err:
        raise InputError(f"-o {err}") from None
    click.echo(f"Wrote {out_path}.")


@click.command("swap")
@click.argument("plan_csv", type=click.Path(dir_okay=False))
@click.argument("exercise")
@_week_option
@click.option("--day", required=True, help="The day of the session: mon, tue, ... sun.")
@click.option(
    "--with",
    "replacement",
    metavar="OTHER",
    help="The exercise id to put in its place; without it the best substitute planner "
    "alternatives lists that keeps the rules.",
)
@_out_option
@profile_options
@after_option
def swap_command(
    plan_csv,
    exercise,
    week,
    day,
    replacement,
    out_path,
    catalog,
    profile,
    options,
    history,
    inputs,
):
    """Swap one EXERCISE (its id) out of one session of PLAN_CSV, keeping every rule and
    changing as few other placements as possible; prints the sessions that change.

    Give the options the plan was made with, as for planner check. Exits 3 when no plan
    keeps the rules without it, naming the rules that clash.

    \b
    Example:
      planner swap plan.csv --week 2 --day wed crunch --with dead_bug -o plan.csv
    """
    from planner.revision import swap

    _revise(
        plan_csv,
        catalog,
        profile,
        history,
        inputs,
        out_path,
        lambda plan: swap(plan, catalog, week, day, exercise, replacement, options),
    )


@click.command("move")
@click.argument("plan_csv", type=click.Path(dir_okay=False))
@_week_option
@click.option("--from", "from_day", required=True, help="The day the session is on now.")
@click.option("--to", "to_day", required=True, help="A free day of yours to move it to.")
@_out_option
@profile_options
@after_option
def move_command(
    plan_csv, week, from_day, to_day, out_path, catalog, profile, options, history, inputs
):
    """Move one session of PLAN_CSV to another of your days that week; the rest of the week
    changes only where a rule needs it (48 h recovery, no consecutive days).

    Give the options the plan was made with, as for planner check; --to must be one of
    --days. Exits 3 when no week keeps the rules with the move.

    \b
    Example:
      planner move plan.csv --week 2 --from wed --to thu --days mon,wed,thu,fri -o plan.csv
    """
    from planner.revision import move

    _revise(
        plan_csv,
        catalog,
        profile,
        history,
        inputs,
        out_path,
        lambda plan: move(plan, catalog, week, from_day, to_day, options),
    )
