"""``planner screen``: ask the red-flag questions and keep the answers in a profile file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from planner.catalog import LEVELS
from planner.cli import EXIT_SCREENING, InputError
from planner.output import OutputError, write
from planner.profile import Profile, ProfileError
from planner.profile_file import dump_profile, load_profile, screened_text
from planner.screening import (
    NOT_ADVICE,
    QUESTIONS,
    Outcome,
    Screening,
    parse_answer,
    screen_verdict,
)

# Answers that are neither yes nor no to one question before screen stops: a pipe of the
# wrong answers (`yes xyz | planner screen`) ends instead of asking forever.
TRIES = 3
HINT = "Answer y or n."


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
    table. Answer y or n (or yes or no), one answer a line, so the answers can come from a
    pipe. There is no default: a blank line or any other answer asks again, and the third
    such answer to one question stops with exit 2, as does input that ends early; nothing is
    written then.

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
        text = f"{number}/{len(QUESTIONS)}. {question.text}"
        answers[question.id] = ask(text, f"question {number}")
    answered = Screening(answers)
    clearance = False
    if screen_verdict(answered).outcome is Outcome.CLEARANCE:
        clearance = ask(
            "Has a doctor cleared you to exercise, knowing the answers you gave?",
            "clearance question",
        )
    answered = Screening(answers, medical_clearance=clearance)
    try:
        if path.exists():  # only its [screening] table changes: the person's comments stay
            text = screened_text(path, answered)
        else:
            text = dump_profile(profile.with_changes(screening=answered))
        write(path, text)
    except (OutputError, ProfileError) as err:
        raise InputError(str(err)) from None
    click.echo(f"Wrote {len(answers)} answers to the [screening] table of {path}.")
    verdict = screen_verdict(answered)
    if not verdict.plans:
        click.echo(verdict.message)
        sys.exit(EXIT_SCREENING)
    click.echo(f"No red flags on record: planner plan --profile {path} will plan.")
    click.echo(NOT_ADVICE)


def ask(question: str, label: str) -> bool:
    """The answer to ``question``: True for yes, False for no. Anything else asks again, up to
    TRIES answers; then, or when the input ends, ``InputError`` (exit 2) naming ``label``.

    Read with ``input`` rather than ``click.prompt``, which turns both the end of the input
    and Ctrl-C into ``click.Abort``: the end of the input is bad input (exit 2), while Ctrl-C
    goes on to the group as an interruption (exit 130)."""
    for tries in range(1, TRIES + 1):
        click.echo(f"{question} [y/n]:", nl=False)
        try:
            reply = input(" ")
        except EOFError:
            click.echo()  # end the prompt's line before the error
            raise InputError(
                f"{label}: the input ended before a y or n; nothing written."
            ) from None
        answer = parse_answer(reply)
        if answer is not None:
            return answer
        if tries < TRIES:
            click.echo(HINT)
    raise InputError(f"{label}: no y or n after {TRIES} answers; nothing written.")
