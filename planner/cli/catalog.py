"""``planner catalog``: list a catalogue's exercises, filtered; ``planner catalog import``:
make a catalogue from open exercise data."""

from __future__ import annotations

from pathlib import Path

import click

from planner.catalog import GROUPS, LEVELS, ROLES, CatalogError, load_catalog
from planner.cli import InputError
from planner.cli.options import catalog_option, words
from planner.cli.outputs import check_overwrites
from planner.importer import (
    DEFAULT_OVERRIDES,
    DEFAULT_SOURCE,
    IMPORTERS,
    OverrideError,
    SourceError,
    write_catalog,
)
from planner.output import OutputError, check_writable


@click.group("catalog", invoke_without_command=True)
@catalog_option
@click.option("--role", type=click.Choice(ROLES), help="Only this role.")
@click.option("--group", type=click.Choice(GROUPS), help="Only exercises for this group.")
@click.option("--level", type=click.Choice(LEVELS), help="Only exercises up to this level.")
@click.option("--equipment", help="Only exercises needing nothing beyond this list.")
@click.pass_context
def catalog_command(ctx, catalog_path, role, group, level, equipment):
    """List the exercises in a catalogue, filtered; or import open exercise data as one.

    \b
    Example:
      planner catalog --group glutes --level beginner --equipment none
      planner catalog import free-exercise-db -o fedb.csv
    """
    if ctx.invoked_subcommand is not None:
        return
    try:
        catalog = load_catalog(catalog_path)
    except CatalogError as err:
        raise InputError(str(err)) from None
    try:
        shown = catalog.select(role, group, level, words(equipment))
    except ValueError as err:
        raise InputError(f"--equipment: {err}") from None
    for e in shown:
        flags = " hip-flexor-dominant" if e.hip_flexor_dominant else ""
        click.echo(
            f"{e.id:<28} {e.role:<9} {e.level:<12} {';'.join(e.groups):<34} "
            f"{';'.join(e.equipment)}{flags}"
        )
    click.echo(f"{len(shown)} of {len(catalog)} exercises.")


@catalog_command.command("import")
@click.argument("source", type=click.Choice(IMPORTERS))
@click.argument("path", type=click.Path(), required=False, default=str(DEFAULT_SOURCE))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    metavar="FILE.csv",
    help="The catalogue CSV to write.",
)
@click.option(
    "--allow-unknown-equipment",
    is_flag=True,
    help="Keep exercises whose equipment the source does not name, as equipment 'unknown'.",
)
@click.option(
    "--overrides",
    type=click.Path(dir_okay=False),
    default=str(DEFAULT_OVERRIDES),
    show_default="the shipped table",
    help="Override table CSV: checked fixes keyed by source id.",
)
def catalog_import(source, path, output, allow_unknown_equipment, overrides):
    """Convert open exercise data into a catalogue CSV for --catalog, and summarise what was
    imported and what was dropped and why. PATH is the source's folder or its exercises.json;
    without it, the copy that ships with the planner (catalog/free-exercise-db in its
    repository).

    \b
    Example:
      planner catalog import free-exercise-db -o fedb.csv
      planner plan --catalog fedb.csv --level beginner
    """
    given = Path(path)
    source_file = given / "exercises.json" if given.is_dir() else given
    check_overwrites([("-o", output)], {"PATH": source_file, "--overrides": overrides})
    try:
        check_writable(output)  # before the import, as before a solve
        result = IMPORTERS[source](path, overrides, allow_unknown_equipment)
        write_catalog(result.catalog, output)
    except OutputError as err:
        raise InputError(f"-o {err}") from None
    except (SourceError, OverrideError) as err:
        raise InputError(str(err)) from None
    click.echo(result.summary())
    click.echo(f"Wrote {len(result.catalog)} exercises to {output}.")
