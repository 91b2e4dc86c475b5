"""``planner profile init`` and ``planner profile show``: profiles as commented TOML."""

from __future__ import annotations

import click

from planner.catalog import LEVELS
from planner.cli.options import profile_options
from planner.profile import Profile
from planner.profile_file import dump_profile


@click.group("profile")
def profile_group():
    """Write and inspect TOML profile files: every setting, commented, in one file.

    \b
    Example:
      planner profile init --level beginner > me.toml
      planner plan --profile me.toml --minutes 25
    """


@profile_group.command("init")
@click.option(
    "--level",
    type=click.Choice(LEVELS),
    default="beginner",
    show_default=True,
    help="Whose preset to write.",
)
def profile_init(level):
    """Print a level's preset as a commented TOML profile, to edit and use with --profile.

    \b
    Example:
      planner profile init --level intermediate > me.toml
    """
    click.echo(dump_profile(Profile.for_level(level)), nl=False)


@profile_group.command("show")
@profile_options
def profile_show(catalog, profile, options, inputs):
    """Print the effective profile as TOML: the file's values with the options given on top.

    \b
    Example:
      planner profile show --profile me.toml --minutes 25
    """
    del catalog, inputs  # shown, not used: the catalogue only checks the profile's ids
    click.echo(dump_profile(profile, options), nl=False)
