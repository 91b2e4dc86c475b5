"""``planner alternatives``: what to do instead of an exercise, ranked, with why each fits."""

from __future__ import annotations

import difflib

import click

from planner.alternatives import alternatives
from planner.cli import InputError
from planner.cli.options import profile_options


@click.command("alternatives")
@click.argument("exercise")
@profile_options
@click.option(
    "--limit", type=click.IntRange(min=1), default=5, show_default=True, metavar="N",
    help="Show at most N substitutes.",
)  # fmt: skip
def alternatives_command(exercise, catalog, profile, options, inputs, limit):
    """Rank substitutes for EXERCISE (an id of the catalogue): the same role, one your level,
    equipment, exclusions and conditions allow, sharing its movement pattern or main group;
    its own easier or harder variant first among equals. Each comes with why it fits.

    \b
    Example:
      planner alternatives side_plank --level beginner --equipment none
      planner alternatives hip_thrust --profile me.toml --limit 3
    """
    if exercise not in catalog:
        near = difflib.get_close_matches(exercise, [e.id for e in catalog], n=1)
        hint = f"did you mean {near[0]!r}?" if near else "planner catalog lists its exercises"
        raise InputError(f"EXERCISE: {exercise!r} is not in the catalogue; {hint}")
    original = catalog[exercise]
    found = alternatives(catalog, profile, exercise)
    who = f"your level ({profile.level}), equipment and conditions"
    if not found:
        click.echo(f"No substitute for {exercise} fits {who}; try another --level or --equipment.")
        return
    click.echo(
        f"Instead of {original.name} ({exercise}: {original.role}, {original.pattern or 'no'} "
        f"movement, main group {original.primary}), for {who}:"
    )
    for rank, alternative in enumerate(found[:limit], 1):
        e = alternative.exercise
        click.echo(f"{rank}. {e.name} ({e.id}): {'; '.join(alternative.reasons)}")
    if len(found) > limit:
        click.echo(f"{len(found) - limit} more with --limit {len(found)}.")
