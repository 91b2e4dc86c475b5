"""The command line: each command parses options, makes one library call, and reports.

Exit codes: 0 done; 1 ``check`` found rule violations; 2 bad input (options or files);
3 no plan fits the settings; 4 the screening answers say see a professional (or get medical
clearance) first; 130 interrupted by Ctrl-C.

On a terminal the plan is drawn as coloured tables and a long solve shows its progress
(``planner.terminal``, with rich, imported only then); pipes and files get plain text.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from planner import evidence
from planner.catalog import (
    CONDITIONS,
    EQUIPMENT,
    GROUPS,
    LEVELS,
    ROLES,
    SHIPPED,
    CatalogError,
    load_catalog,
)
from planner.check import check_plan, history_after
from planner.explain import explain
from planner.export import (
    EXPORTERS,
    STDOUT,
    ExportError,
    check_folder,
    check_target,
    table_csv,
    write_atomic,
)
from planner.importer import (
    DEFAULT_OVERRIDES,
    DEFAULT_SOURCE,
    IMPORTERS,
    OverrideError,
    SourceError,
    write_catalog,
)
from planner.plan import Plan, PlanFileError, read_plan
from planner.profile import Profile, ProfileError
from planner.profile_file import ProfileFileError, dump_profile, load_profile
from planner.ramp import NO_HISTORY
from planner.report import build_report, report_files
from planner.screening import (
    NOT_ADVICE,
    QUESTIONS,
    Outcome,
    Screening,
    Verdict,
    screen_verdict,
)
from planner.solve import Interrupted, NoPlan, Progress, ProgressHook, solve

EXIT_VIOLATIONS, EXIT_INPUT, EXIT_NO_PLAN, EXIT_SCREENING = 1, 2, 3, 4
# Ctrl-C: 128 + SIGINT, what a shell reports for a command it interrupted.
EXIT_INTERRUPTED = 130
# Seconds a solve runs before its progress line appears: a quick plan shows none.
PROGRESS_AFTER = 1.0


class InputError(click.ClickException):
    """Bad options or files: one line, exit 2."""

    exit_code = EXIT_INPUT


class NoPlanError(click.ClickException):
    exit_code = EXIT_NO_PLAN


class ScreeningStop(click.ClickException):
    """A red flag, or a clearance question answered yes without clearance: exit 4."""

    exit_code = EXIT_SCREENING


def _words(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [w.strip() for w in value.split(",") if w.strip()]


_SETTINGS = (
    "level",
    "sessions",
    "minutes",
    "allow_hip_flexor_dominant",
    "max_days_per_exercise",
    "weeks",
    "seed",
    "time_limit",
    "wake_time",
    "session_time",
    "timezone",
)
# Profile keys whose option is not simply --key-with-dashes.
_OPTIONS = {"conditions": "--condition"}


_catalog_option = click.option(
    "--catalog",
    "catalog_path",
    type=click.Path(dir_okay=False),
    default=str(SHIPPED),
    show_default="the shipped catalogue",
    help="Exercise catalogue CSV.",
)


def _profile_options(command):
    """The options that shape a profile, shared by ``plan``, ``check`` and ``profile show``.

    Every option defaults to None, "not given", so that it overrides a ``--profile`` file only
    when given; the level's preset fills in whatever neither gives.
    """
    options = [
        click.option(
            "--profile",
            "profile_path",
            type=click.Path(),
            metavar="FILE",
            help="A TOML profile (planner profile init writes one); options given here "
            "override it.",
        ),
        _catalog_option,
        click.option(
            "--level",
            type=click.Choice(LEVELS),
            help="Fitness level, whose preset fills every setting not given "
            "(default: the profile's, else beginner).",
        ),
        click.option("--days", help="Days you are free, e.g. mon,wed,fri (default: any day)."),
        click.option("--sessions", type=int, help="Sessions a week (default: the level's)."),
        click.option("--minutes", type=int, help="Minutes per session (default: the level's)."),
        click.option(
            "--equipment",
            help=f"What you have, comma-separated (none is always allowed; default: all). "
            f"Known: {', '.join(EQUIPMENT)}.",
        ),
        click.option("--exclude", help="Exercise ids to leave out, comma-separated."),
        click.option(
            "--allow-hip-flexor-dominant/--no-allow-hip-flexor-dominant",
            default=None,
            help="Allow sit-ups, leg raises and V-ups (hip-flexor work in disguise; default: no).",
        ),
        click.option(
            "--condition",
            "conditions",
            multiple=True,
            metavar="NAME",
            help=f"A condition to plan around, repeatable; adds to the profile's: "
            f"{', '.join(CONDITIONS)}. Leaves out what the catalogue marks contraindicated.",
        ),
        click.option(
            "--session-time",
            metavar="HH:MM",
            help="When sessions start: within an hour of --wake-time, no end-range flexion "
            "stretches (R15).",
        ),
        click.option("--wake-time", metavar="HH:MM", help="When you get up (default 07:00)."),
        click.option(
            "--timezone",
            metavar="ZONE",
            help="IANA time zone of --session-time for --ics, e.g. Europe/Berlin (default: "
            "floating local time).",
        ),
        click.option(
            "--max-days-per-exercise",
            type=int,
            help=f"Days a week one exercise may appear (default {evidence.MAX_DAYS_PER_EXERCISE}).",
        ),
        click.option(
            "--weeks",
            type=int,
            help=f"Weeks to plan, 1-{evidence.MAX_WEEKS} (default {Profile.weeks}).",
        ),
        click.option("--seed", type=int, help=f"Solver seed (default {Profile.seed})."),
        click.option(
            "--time-limit", type=float, help=f"Seconds to solve (default {Profile.time_limit:g})."
        ),
        click.option(
            "--start",
            type=click.DateTime(formats=["%Y-%m-%d"]),
            help="First day of the plan, YYYY-MM-DD: fills the date column.",
        ),
    ]
    for option in reversed(options):
        command = option(command)

    @functools.wraps(command)
    def wrapper(profile_path, catalog_path, days, equipment, exclude, start, conditions, **options):
        given = {k: options.pop(k) for k in _SETTINGS}
        # --condition adds to the file's conditions rather than replacing them: a condition
        # is never dropped by giving another one.
        conditions = frozenset(w for value in conditions for w in _words(value))
        given.update(
            days=tuple(_words(days)) if days is not None else None,
            equipment=frozenset(_words(equipment)) if equipment is not None else None,
            exclude=frozenset(_words(exclude)) if exclude is not None else None,
            start=start.date() if start else None,
            conditions=conditions or None,
        )
        try:
            catalog = load_catalog(catalog_path)
        except CatalogError as err:
            raise InputError(str(err)) from None
        try:
            if profile_path is None:
                profile = Profile.for_level(given.pop("level") or "beginner", **given)
            else:
                profile = load_profile(profile_path, **{**given, "conditions": None})
                if conditions:
                    profile = profile.with_changes(conditions=profile.conditions | conditions)
            profile.allowed(catalog)  # names unknown exercise ids now
        except ProfileFileError as err:
            raise InputError(str(err)) from None
        except ProfileError as err:
            if profile_path is not None and given.get(err.key) is None:
                raise InputError(f"{profile_path}: {err}") from None  # the file's ids
            option = _OPTIONS.get(err.key, f"--{err.key.replace('_', '-')}")
            raise InputError(f"{option}{str(err)[len(err.key) :]}") from None
        return command(catalog=catalog, profile=profile, **options)

    return wrapper


class _Planner(click.Group):
    """The ``planner`` group: every error is one line on stderr (no usage block before it),
    and Ctrl-C outside a prompt exits 130 saying nothing was written."""

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
        except click.Abort:  # Ctrl-C or the end of the input at a prompt
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


def _after_option(command):
    """``--after PLAN.csv``: carry a programme on from an earlier plan."""
    option = click.option(
        "--after",
        "after_path",
        type=click.Path(dir_okay=False),
        help="An earlier plan CSV to carry on from: its weekly loads start the ramp.",
    )

    @functools.wraps(command)
    def wrapper(after_path, catalog, profile, **options):
        history = NO_HISTORY
        if after_path is not None:
            try:
                history = history_after(read_plan(after_path), catalog, profile)
            except (PlanFileError, ValueError) as err:
                raise InputError(f"--after {after_path}: {err}") from None
        return command(catalog=catalog, profile=profile, history=history, **options)

    return option(wrapper)


def _warn_if_cut_short(result: Plan, profile: Profile) -> None:
    """On stderr, when the time limit cut the programme short (``solve`` returns the weeks it
    planned): how far it got and how to carry on."""
    first, done = result.history.next_week, result.profile.weeks
    if done < profile.weeks:
        click.echo(
            f"Time limit reached: weeks {first}-{first + done - 1} of {first}-"
            f"{first + profile.weeks - 1} planned (valid, not proven best). Raise --time-limit, "
            f"or carry on with --after PLAN.csv --weeks {profile.weeks - done}.",
            err=True,
        )


def _screened(profile: Profile) -> Verdict:
    """The screening verdict; a red flag or a missing clearance stops here with exit 4."""
    verdict = screen_verdict(profile.screening)
    if not verdict.plans:
        raise ScreeningStop(verdict.message)
    return verdict


def _export_options(command):
    """One option a format in ``EXPORTERS`` (--csv, --ics, --json), its help the first line of
    the exporter's docstring; the paths given reach the command as ``targets``, format to
    path, in the table's order."""

    @functools.wraps(command)
    def wrapper(**options):
        paths = {fmt: options.pop(f"{fmt}_path") for fmt in EXPORTERS}
        return command(targets={fmt: path for fmt, path in paths.items() if path}, **options)

    for fmt, write in reversed(EXPORTERS.items()):
        summary = (write.__doc__ or f"Write the plan as {fmt}.").splitlines()[0].rstrip(".")
        option = click.option(
            f"--{fmt}", f"{fmt}_path", metavar="FILE", help=f"{summary}; - for stdout."
        )
        wrapper = option(wrapper)
    return wrapper


def _check_targets(targets: dict[str, str], profile: Profile) -> None:
    """Refuse unusable outputs now rather than after a long solve."""
    if "ics" in targets and profile.start is None:
        raise InputError("--ics needs dates; give --start YYYY-MM-DD (or start in the profile)")
    to_stdout = [f"--{fmt}" for fmt, path in targets.items() if path == STDOUT]
    if len(to_stdout) > 1:
        names = f"{', '.join(to_stdout[:-1])} and {to_stdout[-1]}"
        verb = "both write" if len(to_stdout) == 2 else "all write"
        raise InputError(f"{names} {verb} to stdout (-); give - to one of them at most")
    files = {fmt: path for fmt, path in targets.items() if path != STDOUT}
    _one_file_each((fmt, Path(path)) for fmt, path in files.items())
    for fmt, path in files.items():
        try:
            check_target(path)
        except ExportError as err:
            raise InputError(f"--{fmt} {err}") from None


def _one_file_each(outputs: Iterable[tuple[str, Path]]) -> None:
    """Refuse two options (``--csv``, ``--html``...) that would write one file."""
    seen: dict[Path, str] = {}
    for option, path in outputs:
        first = seen.setdefault(path.resolve(), option)
        if first != option:
            raise InputError(
                f"--{first} and --{option} both write to {path}; give each its own file"
            )


def _output_options(command):
    """``--quiet`` and ``--verbose``, which cannot go together, for the commands that solve."""

    @functools.wraps(command)
    def wrapper(quiet, verbose, **options):
        if quiet and verbose:
            raise InputError("--quiet and --verbose cannot be used together; give one of them")
        return command(quiet=quiet, verbose=verbose, **options)

    wrapper = click.option(
        "--verbose",
        "-v",
        is_flag=True,
        help="Also print each week's solver figures on stderr: status, objective, bound, "
        "deterministic and wall seconds, variables and constraints.",
    )(wrapper)
    return click.option(
        "--quiet", "-q", is_flag=True, help="Print nothing but errors (and what - sends to stdout)."
    )(wrapper)


def _terminal(stream):
    """A rich Console writing to ``stream`` when rich takes it for a terminal (a TTY; or
    FORCE_COLOR or TTY_COMPATIBLE=1 set), else None. It leaves colour out under NO_COLOR and
    on TERM=dumb. rich is imported only when the answer may be yes."""
    env = os.environ
    isatty = getattr(stream, "isatty", None)
    try:
        tty = bool(isatty and isatty())
    except ValueError:  # a closed stream
        tty = False
    if not (tty or env.get("FORCE_COLOR") or env.get("TTY_COMPATIBLE") == "1"):
        return None
    from rich.console import Console

    console = Console(file=stream, markup=False, emoji=False, highlight=False)
    return console if console.is_terminal else None


@contextlib.contextmanager
def _solving(quiet: bool, verbose: bool) -> Iterator[ProgressHook | None]:
    """The ``progress`` hook for a solve, or None. ``--verbose`` prints each week's solver
    figures on stderr as the week ends; on a terminal, unless ``--quiet``, a transient line
    on stderr shows the week, the best objective and the time once the solve has run
    PROGRESS_AFTER seconds. The line is gone when this exits, Ctrl-C included, so that what
    is printed next starts on a clean line."""
    console = None if quiet else _terminal(sys.stderr)
    live = view = None
    if console is not None and console.is_interactive:  # not on TERM=dumb
        from rich.live import Live

        from planner.terminal import ProgressView

        view = ProgressView()
        live = Live(
            view, console=console, transient=True, redirect_stdout=False, redirect_stderr=False
        )
    if live is None and not verbose:
        yield None
        return

    def hook(progress: Progress) -> None:
        if view is not None:
            view.update(progress)
        if verbose and progress.done is not None:
            line = f"Solver, {progress.done}."
            if console is not None:
                console.print(line, soft_wrap=True)  # above the progress line
            else:
                click.echo(line, err=True)

    if live is None:
        yield hook
        return
    lock, stopped = threading.Lock(), threading.Event()

    def show() -> None:
        with lock:
            if not stopped.is_set():
                live.start(refresh=True)

    timer = threading.Timer(PROGRESS_AFTER, show)
    timer.daemon = True
    timer.start()
    try:
        yield hook
    finally:
        timer.cancel()
        with lock:
            stopped.set()
            live.stop()


def _solve(catalog, profile, history, quiet: bool, verbose: bool) -> Plan:
    """``solve`` with the progress ``--quiet`` and ``--verbose`` ask for."""
    with _solving(quiet, verbose) as progress:
        return solve(catalog, profile, history=history, progress=progress)


def _wrote(fmt: str, plan: Plan) -> str:
    """What a written file holds, for the closing 'Wrote ... to FILE.' line."""
    return {"csv": f"{len(plan.entries)} rows", "ics": f"{len(plan.sessions())} events"}.get(
        fmt, "the plan"
    )


@cli.command()
@_profile_options
@_after_option
@_export_options
@_output_options
def plan(catalog, profile, history, targets, quiet, verbose):
    """Plan a programme for your level, days, minutes and equipment: 4 weeks whose load ramps
    up with a deload week (--weeks 1 for one week that repeats). --csv, --ics and --json can
    be given together; - writes one of them to stdout instead of a file. On a terminal the
    plan comes as coloured tables (NO_COLOR=1 for none) and a long solve shows its progress.

    \b
    Example:
      planner plan --level intermediate --days mon,tue,thu,sat --minutes 40 --csv plan.csv
      planner plan --start 2026-11-30 --csv plan.csv --ics plan.ics --json plan.json
    """
    verdict = _screened(profile)
    _check_targets(targets, profile)
    try:
        result = _solve(catalog, profile, history, quiet, verbose)
    except NoPlan as err:
        raise NoPlanError(str(err)) from None
    except KeyboardInterrupt as err:  # Interrupted, or a second Ctrl-C that would not wait
        done = f"{err}; " if isinstance(err, Interrupted) else ""
        click.echo(f"Interrupted: {done}nothing written.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    written = []
    for fmt, path in targets.items():
        try:
            EXPORTERS[fmt](result, path)
        except ExportError as err:
            raise InputError(f"--{fmt} {err}") from None
        except KeyboardInterrupt:
            done = "".join(f"{p} written; " for p in written)
            click.echo(f"Interrupted: {done}{path} is either complete or as it was.", err=True)
            sys.exit(EXIT_INTERRUPTED)
        written.append(path)
    if verdict.outcome is Outcome.REMINDER and not quiet:
        click.echo(verdict.message, err=True)
    _warn_if_cut_short(result, profile)
    if quiet or STDOUT in targets.values():
        return
    console = _terminal(sys.stdout)
    if console is None:
        click.echo(result.render())
    else:
        from planner.terminal import plan_view

        console.print(plan_view(result, console.width))
    click.echo("")
    click.echo(
        f"Solver: {result.status.value}, objective {result.objective:g} "
        f"(bound {result.bound:g}), {result.seconds:.2f} s."
    )
    for fmt, path in targets.items():
        click.echo(f"Wrote {_wrote(fmt, result)} to {path}.")
    click.echo(NOT_ADVICE)


@cli.command()
@click.argument("plan_csv", type=click.Path(dir_okay=False))
@_profile_options
@_after_option
def check(plan_csv, catalog, profile, history):
    """Re-check a plan CSV (perhaps edited by hand) against every rule; list each violation.

    Give the same options the plan was made with. Exits 1 when any rule is broken.

    \b
    Example:
      planner check week.csv --level beginner --days mon,wed,fri
    """
    try:
        frame = read_plan(plan_csv)
    except PlanFileError as err:
        raise InputError(str(err)) from None
    violations = check_plan(frame, catalog, profile, history)
    for v in violations:
        click.echo(str(v))
    if violations:
        click.echo(f"{len(violations)} rule violation(s) in {plan_csv}.")
        sys.exit(EXIT_VIOLATIONS)
    click.echo(f"{plan_csv}: {len(frame)} rows, every rule holds.")


def _plan_frame(plan_csv, catalog, profile, history, quiet, verbose):
    """The plan ``explain`` and ``report`` work on, and its profile: PLAN_CSV read, or
    without it a plan solved now, screening first, as ``plan`` would (its profile has fewer
    weeks when the time limit cut it short)."""
    if plan_csv is not None:
        try:
            return read_plan(plan_csv), profile
        except PlanFileError as err:
            raise InputError(str(err)) from None
    _screened(profile)
    try:
        result = _solve(catalog, profile, history, quiet, verbose)
    except NoPlan as err:
        raise NoPlanError(str(err)) from None
    _warn_if_cut_short(result, profile)
    return result.to_frame(), result.profile


@cli.command("explain")
@click.argument("plan_csv", required=False, type=click.Path(dir_okay=False))
@_profile_options
@_after_option
@click.option(
    "--csv",
    "csv_dir",
    type=click.Path(file_okay=False),
    help="Also write weeks.csv and groups.csv (the two tables) into this folder.",
)
@_output_options
def explain_command(plan_csv, catalog, profile, history, csv_dir, quiet, verbose):
    """Explain a plan: each week's load, ramp, acute:chronic ratio and monotony; each muscle
    group's sets, days and share against its target; what each exercise is for; what was left
    out and why. Without PLAN_CSV it plans first, with the same options as ``plan``.

    \b
    Example:
      planner explain week.csv --level beginner --days mon,wed,fri
      planner explain --weeks 4 --csv tables/
    """
    if csv_dir:
        try:
            check_folder(csv_dir)  # refuse now rather than after a long solve
        except ExportError as err:
            raise InputError(f"--csv {err}") from None
    frame, profile = _plan_frame(plan_csv, catalog, profile, history, quiet, verbose)
    try:
        explanation = explain(frame, catalog, profile, history)
    except ValueError as err:
        raise InputError(f"{plan_csv}: {err}") from None
    if not quiet:
        click.echo(explanation.render())
    if csv_dir:
        try:
            Path(csv_dir).mkdir(parents=True, exist_ok=True)
            for name, table in (("weeks", explanation.weeks), ("groups", explanation.groups)):
                write_atomic(Path(csv_dir) / f"{name}.csv", table_csv(table))
        except (ExportError, OSError) as err:
            raise InputError(f"--csv {csv_dir}: {getattr(err, 'strerror', None) or err}") from None
        if not quiet:
            click.echo(f"Wrote weeks.csv and groups.csv to {csv_dir}.")


@cli.command("report")
@click.argument("plan_csv", required=False, type=click.Path(dir_okay=False))
@_profile_options
@_after_option
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Write one self-contained HTML page (charts inline, nothing fetched; prints well).",
)
@click.option(
    "--md",
    "md_path",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Write Markdown, with the charts it links beside it as NAME-load.png and "
    "NAME-balance.png.",
)
@click.option(
    "--png",
    "png_dir",
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Write the charts alone, load.png and balance.png, into this folder.",
)
@_output_options
def report_command(
    plan_csv, catalog, profile, history, html_path, md_path, png_dir, quiet, verbose
):
    """Write a plan as a report to keep or print: the profile, the grid of sessions week by
    week with each exercise's dose and cue, the weekly load against the ramp ceiling and the
    target, each muscle group's share against its target, and the safety note. Without
    PLAN_CSV it plans first, with the same options as ``plan``.

    \b
    Example:
      planner report week.csv --level beginner --days mon,wed,fri --html report.html
      planner report --days mon,wed,fri --md report.md --png charts/
    """
    outputs = report_files(html_path, md_path, png_dir)
    if not outputs:
        raise InputError("choose an output: --html FILE, --md FILE or --png DIR")
    _one_file_each((option, path) for option, files in outputs.items() for path in files)
    try:  # refuse now rather than after a long solve
        for option, files in outputs.items():
            if option == "png":
                check_folder(png_dir)
            else:
                for path in files:
                    check_target(path)
    except ExportError as err:
        raise InputError(f"--{option} {err}") from None
    frame, profile = _plan_frame(plan_csv, catalog, profile, history, quiet, verbose)
    try:
        page = build_report(frame, catalog, profile, history)
    except ValueError as err:
        raise InputError(f"{plan_csv}: {err}") from None
    for option, files in outputs.items():
        try:
            if option == "png":
                Path(png_dir).mkdir(parents=True, exist_ok=True)
            for path, render in files.items():
                write_atomic(path, render(page))
        except (ExportError, OSError) as err:
            raise InputError(f"--{option} {getattr(err, 'strerror', None) or err}") from None
        *most, last = [str(path) for path in files]
        if not quiet:
            click.echo(f"Wrote {', '.join(most)} and {last}." if most else f"Wrote {last}.")


@cli.group("catalog", invoke_without_command=True)
@_catalog_option
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
      planner catalog import free-exercise-db data/free-exercise-db -o fedb.csv
    """
    if ctx.invoked_subcommand is not None:
        return
    try:
        catalog = load_catalog(catalog_path)
    except CatalogError as err:
        raise InputError(str(err)) from None
    have = set(_words(equipment) or ()) | {"none"} if equipment is not None else None
    if have is not None and not have <= set(EQUIPMENT):
        unknown = sorted(have - set(EQUIPMENT))[0]
        raise InputError(f"--equipment: {unknown!r} is unknown; allowed: {', '.join(EQUIPMENT)}")
    shown = [
        e
        for e in catalog
        if (role is None or e.role == role)
        and (group is None or group in e.groups)
        and (level is None or LEVELS.index(e.level) <= LEVELS.index(level))
        and (have is None or set(e.equipment) <= have)
    ]
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
    without it, the copy shipped in catalog/free-exercise-db.

    \b
    Example:
      planner catalog import free-exercise-db data/free-exercise-db -o fedb.csv
      planner plan --catalog fedb.csv --level beginner
    """
    try:
        result = IMPORTERS[source](path, overrides, allow_unknown_equipment)
        write_catalog(result.catalog, output)
    except (SourceError, OverrideError, ExportError) as err:
        raise InputError(str(err)) from None
    click.echo(result.summary())
    click.echo(f"Wrote {len(result.catalog)} exercises to {output}.")


@cli.group("profile")
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
@_profile_options
def profile_show(catalog, profile):
    """Print the effective profile as TOML: the file's values with the options given on top.

    \b
    Example:
      planner profile show --profile me.toml --minutes 25
    """
    click.echo(dump_profile(profile), nl=False)


@cli.command()
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
def screen(profile_path, level):
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
        write_atomic(path, dump_profile(profile.with_changes(screening=answered)))
    except ExportError as err:
        raise InputError(str(err)) from None
    click.echo(f"Wrote {len(answers)} answers to the [screening] table of {path}.")
    verdict = screen_verdict(answered)
    if not verdict.plans:
        click.echo(verdict.message)
        sys.exit(EXIT_SCREENING)
    click.echo(f"No red flags on record: planner plan --profile {path} will plan.")
    click.echo(NOT_ADVICE)
