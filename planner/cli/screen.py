"""``planner screen``: ask the red-flag questions and keep the answers in a profile file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from planner.catalog import LEVELS
from planner.cli import EXIT_SCREENING, InputError
from planner.export import ExportError, write_atomic
from planner.profile import Profile, ProfileError
from planner.profile_file import dump_profile, load_profile, screened_text
from planner.screening import NOT_ADVICE, QUESTIONS, Outcome, Screening, screen_verdict


@click.command("screen")
@click.option(
    "--profile",
    "profile_path",
    required=True,
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="The profile to store the answers in; created from the --level preset if missing.",
)
@click.option(
    "--level",
    type=click.Choice(LEVELS),
    help="The preset for a new profile file (default beginner); an existing file keeps its own.",
)
def screen_command(profile_path, level):
    """Ask the red-flag screening questions and store the answers in the profile's [screening]
    table. Answer y or n, one answer a line, so the answers can come from a pipe.

    A yes to a red flag stops planning (exit 4): see a professional first. A yes to a
    clearance question asks for medical clearance first: record it as medical_clearance = true
    in [screening]. The answers can also be written into the file by hand.

    \b
    Example:
      planner screen --profile me.toml
      yes n | planner screen --profile me.toml
    """
    path = Path(profile_path)
    try:
        profile = load_profile(path) if path.exists() else Profile.for_level(level or "beginner")
    except ProfileError as err:
        raise InputError(str(err)) from None
    click.echo(
        "Red-flag screening: answer y (yes) or n (no) to each question. Questions about pain "
        "mean back or hip pain you have now; answer n when you have none."
    )
    answers = {}
    for number, question in enumerate(QUESTIONS, 1):
        answers[question.id] = click.confirm(f"{number}/{len(QUESTIONS)}. {question.text}")
    answered = Screening(answers)
    clearance = False
    if screen_verdict(answered).outcome is Outcome.CLEARANCE:
        clearance = click.confirm(
            "Has a doctor cleared you to exercise, knowing the answers you gave?"
        )
    answered = Screening(answers, medical_clearance=clearance)
    try:
        if path.exists():  # only its [screening] table changes: the person's comments stay
            text = screened_text(path, answered)
        else:
            text = dump_profile(profile.with_changes(screening=answered))
        write_atomic(path, text)
    except (ExportError, ProfileError) as err:
        raise InputError(str(err)) from None
    click.echo(f"Wrote {len(answers)} answers to the [screening] table of {path}.")
    verdict = screen_verdict(answered)
    if not verdict.plans:
        click.echo(verdict.message)
        sys.exit(EXIT_SCREENING)
    click.echo(f"No red flags on record: planner plan --profile {path} will plan.")
    click.echo(NOT_ADVICE)
