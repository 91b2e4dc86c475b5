"""The command line: each command parses options, makes one library call, and reports.

Exit codes: 0 done; 1 ``check`` found rule violations, or ``batch`` left a client without a
plan; 2 bad input (options or files); 3 no plan fits the settings; 4 the screening answers say
see a professional (or get medical clearance) first; 5 the search ran out (the --budget spent,
or the --time-limit safety net reached) before the whole plan was found or proven
reproducible: the weeks planned are written, and the message says how to carry on; 130
interrupted by Ctrl-C.

On a terminal the plan is drawn as coloured tables and a long solve shows its progress
(``planner.terminal``, with rich, imported only then); pipes and files get plain text.

One module a command (``plan``, ``check``, ``explain``, ``report``, ``catalog``, ``profile``,
``screen``, ``log``, ``batch``, ``serve``; ``revision`` holds ``swap`` and ``move``); what
several share is in one place each: ``options`` (the options, made from ``planner.settings``
and ``planner.export.EXPORTS``), ``outputs`` (checking and writing what the options ask for)
and ``progress`` (the solve with its progress line). No command imports the solver until it
solves, nor Dask unless it is ``batch``, nor the web stack (Starlette, Jinja2, uvicorn)
unless it is ``serve``.
"""

from __future__ import annotations

import sys

import click

from planner.screening import NOT_ADVICE

__all__ = [
    "EXIT_INPUT",
    "EXIT_INTERRUPTED",
    "EXIT_NO_PLAN",
    "EXIT_SCREENING",
    "EXIT_SEARCH_RAN_OUT",
    "EXIT_VIOLATIONS",
    "NOT_ADVICE",
    "InputError",
    "NoPlanError",
    "ScreeningStop",
    "SearchRanOut",
    "cli",
]

EXIT_VIOLATIONS, EXIT_INPUT, EXIT_NO_PLAN, EXIT_SCREENING, EXIT_SEARCH_RAN_OUT = 1, 2, 3, 4, 5
# Ctrl-C: 128 + SIGINT, what a shell reports for a command it interrupted.
EXIT_INTERRUPTED = 130


class InputError(click.ClickException):
    """Bad options or files: one line, exit 2."""

    exit_code = EXIT_INPUT


class NoPlanError(click.ClickException):
    """No plan fits the settings: the clashing rules in one line, exit 3."""

    exit_code = EXIT_NO_PLAN


class SearchRanOut(click.ClickException):
    """The budget or the time limit ran out before a plan was found: one line, exit 5."""

    exit_code = EXIT_SEARCH_RAN_OUT


class ScreeningStop(click.ClickException):
    """A red flag, or a clearance question answered yes without clearance: exit 4."""

    exit_code = EXIT_SCREENING


class _Planner(click.Group):
    """The ``planner`` group: every error is one line on stderr (no usage block before it),
    and Ctrl-C exits 130 saying nothing was written."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("\nInterrupted: nothing written.", err=True)
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None

    def main(self, *args, standalone_mode: bool = True, **extra):
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **extra)
        try:
            code = super().main(*args, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as err:
            err.show()  # plain `planner`: the help, exit 2
            code = err.exit_code
        except click.ClickException as err:
            click.echo(f"Error: {err.format_message()}", err=True)
            code = err.exit_code
        except click.Abort:  # a click prompt's Ctrl-C or end of input (screen asks its own)
            click.echo("Aborted: nothing written.", err=True)
            code = 1
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=_Planner, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="planner")
def cli():
    """Plan exercise routines for tight hips and lower back.

    \b
    Example:
      planner plan --level beginner --days mon,wed,fri --csv week.csv
    """


# The commands import the errors above, so they come last.
from planner.cli import (  # noqa: E402
    alternatives,
    batch,
    catalog,
    check,
    explain,
    log,
    plan,
    profile,
    report,
    revision,
    screen,
    serve,
)

for _command in (
    plan.plan_command,
    check.check_command,
    explain.explain_command,
    report.report_command,
    catalog.catalog_command,
    profile.profile_group,
    screen.screen_command,
    log.log_group,
    alternatives.alternatives_command,
    batch.batch_command,
    serve.serve_command,
    revision.swap_command,
    revision.move_command,
):
    cli.add_command(_command)
