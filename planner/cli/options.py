"""Options several commands share, composed as decorators: the profile's (made from
``planner.settings.SETTINGS``), ``--after``, ``--keep`` with ``--from-week``, ``--quiet`` and
``--verbose``, and one option a
format in ``planner.export.EXPORTS`` (made from the table)."""

from __future__ import annotations

import functools
from collections.abc import Callable

import click

from planner.catalog import LEVELS, SHIPPED, CatalogError, load_catalog
from planner.check import history_after
from planner.cli import InputError
from planner.export import exports_of
from planner.plan import Keep, Plan, PlanFileError, read_plan
from planner.profile import ProfileError
from planner.profile_file import ProfileFileError, load_settings
from planner.ramp import NO_HISTORY
from planner.settings import LIST_KINDS, SETTINGS, Setting, option_name

catalog_option = click.option(
    "--catalog",
    "catalog_path",
    type=click.Path(dir_okay=False),
    default=str(SHIPPED),
    show_default="the shipped catalogue",
    help="Exercise catalogue CSV.",
)
# The settings the command line offers, in the order a profile file lists them.
OPTION_SETTINGS = tuple(s for s in SETTINGS if s.option)
# The repeatable options, which add to a profile file's list.
ADDING_SETTINGS = tuple(s for s in OPTION_SETTINGS if s.multiple)
_TYPES = {
    "level": click.Choice(LEVELS),
    "int": click.INT,
    "float": click.FLOAT,
    "date": click.DateTime(formats=["%Y-%m-%d"]),
}


def words(value: str | None) -> list[str] | None:
    """A comma-separated option's words, spaces trimmed and empty ones dropped."""
    if value is None:
        return None
    return [w.strip() for w in value.split(",") if w.strip()]


def option_help(setting: Setting) -> str:
    """The setting's help line, and what the option adds: how to give a list, the default."""
    parts = [setting.help]
    if setting.multiple:
        parts.append("Repeatable; adds to the profile's.")
    elif setting.kind in LIST_KINDS:
        parts.append("Comma-separated.")
    if setting.per_level:
        parts.append("Default: the level's.")
    elif setting.default is not None and setting.default != frozenset():
        default = setting.default
        shown = str(default).lower() if isinstance(default, bool) else str(default)
        parts.append(f"Default: {shown}.")
    return " ".join(parts)


def setting_option(setting: Setting) -> Callable:
    """The click option of ``setting``, made from its declaration. It defaults to None, "not
    given", so that it overrides a ``--profile`` file only when given."""
    if setting.kind == "bool":
        return click.option(setting.flags, setting.name, default=None, help=option_help(setting))
    return click.option(
        setting.option,
        setting.name,
        type=_TYPES.get(setting.kind),
        metavar=setting.metavar,
        multiple=setting.multiple,
        help=option_help(setting),
    )


def _given(setting: Setting, value):
    """An option's value as the setting holds it; None when not given."""
    if value is None or value == ():
        return None
    if setting.multiple:
        return frozenset(w for each in value for w in words(each))
    if setting.kind in LIST_KINDS:
        found = words(value)
        return tuple(found) if setting.kind == "days" else frozenset(found)
    if setting.kind == "date":
        return value.date()
    return value


def profile_options(command: Callable) -> Callable:
    """``--profile``, ``--catalog`` and an option a setting the command line offers; the
    command gets ``catalog``, ``profile`` and ``options`` (the solver's), and ``inputs``: the
    two files' paths as given, by option, for its outputs to be checked against
    (``planner.cli.outputs.check_targets``).

    Options override a ``--profile`` file; the level's preset fills in whatever neither gives.
    A bad value is reported against its option, a bad file against the file. An outer
    decorator may hand in ``profile_text``, (name, TOML) of a profile kept elsewhere (the
    logbook's), to stand for the file.
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
        catalog_option,
        *(setting_option(s) for s in OPTION_SETTINGS),
    ]
    for option in reversed(options):
        command = option(command)

    @functools.wraps(command)
    def wrapper(profile_path, catalog_path, profile_text=None, **values):
        inputs = {"--catalog": catalog_path, "--profile": profile_path}
        text = None
        if profile_path is None and profile_text is not None:
            profile_path, text = profile_text
        given = {s.name: _given(s, values.pop(s.name)) for s in OPTION_SETTINGS}
        # A repeatable option (--condition, --pin, --avoid) adds to the file's list rather
        # than replacing it: a condition or pin is never dropped by giving another one.
        added = {s.name: given.pop(s.name) for s in ADDING_SETTINGS}
        try:
            catalog = load_catalog(catalog_path)
        except CatalogError as err:
            raise InputError(str(err)) from None
        try:
            profile, options = load_settings(profile_path, text, **given)
            more = {k: getattr(profile, k) | v for k, v in added.items() if v}
            if more:
                profile = profile.with_changes(**more)
            profile.allowed(catalog)  # names unknown exercise ids now
        except ProfileFileError as err:
            raise InputError(str(err)) from None
        except ProfileError as err:
            given |= added
            if profile_path is not None and given.get(err.key) is None:
                raise InputError(f"{profile_path}: {err}") from None  # the file's ids
            raise InputError(err.worded(option_name)) from None
        return command(catalog=catalog, profile=profile, options=options, inputs=inputs, **values)

    return wrapper


def after_option(command: Callable) -> Callable:
    """``--after PLAN.csv``: carry a programme on from an earlier plan; the command gets
    ``history``, and ``--after`` among its ``inputs`` (inside ``profile_options``)."""
    option = click.option(
        "--after",
        "after_path",
        type=click.Path(dir_okay=False),
        help="An earlier plan CSV to carry on from: its weekly loads start the ramp.",
    )

    @functools.wraps(command)
    def wrapper(after_path, catalog, profile, inputs, **values):
        history = NO_HISTORY
        if after_path is not None:
            try:
                history = history_after(read_plan(after_path, catalog, profile))
            except (PlanFileError, ValueError) as err:
                raise InputError(f"--after {after_path}: {err}") from None
        inputs = {**inputs, "--after": after_path}
        return command(catalog=catalog, profile=profile, history=history, inputs=inputs, **values)

    return option(wrapper)


def keep_of(plan: Plan, from_week: int, name: str) -> Keep:
    """``Keep(plan, from_week)``; a week out of the plan's range is ``InputError``."""
    try:
        return Keep(plan, from_week, name)
    except ValueError as err:
        raise InputError(f"--from-week: {err}") from None


def keep_options(command: Callable) -> Callable:
    """``--keep PLAN.csv --from-week N`` (inside ``after_option``): keep the plan's weeks
    before N and plan the rest again. The command gets ``keep`` (a ``planner.plan.Keep``, or
    None), ``profile`` with the kept plan's weeks and start, and ``--keep`` among its
    ``inputs``."""

    @functools.wraps(command)
    def wrapper(keep_path, from_week, catalog, profile, history, inputs, **values):
        keep = None
        if keep_path is not None or from_week is not None:
            if keep_path is None:
                raise InputError(
                    "--from-week needs --keep PLAN.csv, the plan whose earlier weeks to keep"
                )
            if from_week is None:
                raise InputError("--keep needs --from-week N, the first week to plan again")
            if inputs.get("--after") is not None:
                raise InputError("--keep and --after cannot be used together; give one of them")
            try:
                plan = read_plan(keep_path, catalog, profile)
            except PlanFileError as err:
                raise InputError(f"--keep {keep_path}: {err}") from None
            keep = keep_of(plan, from_week, keep_path)
            inputs = {**inputs, "--keep": keep_path}
            profile = keep.profile(profile)
        return command(
            catalog=catalog, profile=profile, history=history, inputs=inputs, keep=keep, **values
        )

    for option in (
        click.option(
            "--from-week",
            type=int,
            metavar="N",
            help="With --keep: the first week to plan again; the weeks before it are kept.",
        ),
        click.option(
            "--keep",
            "keep_path",
            type=click.Path(dir_okay=False),
            metavar="PLAN.csv",
            help="A plan CSV to plan again from --from-week on, its earlier weeks kept as they "
            "are and their loads carried into the ramp; pins and avoid apply from then on.",
        ),
    ):
        wrapper = option(wrapper)
    return wrapper


def quiet_verbose_options(command: Callable) -> Callable:
    """``--quiet`` and ``--verbose``, which cannot go together, for the commands that solve."""

    @functools.wraps(command)
    def wrapper(quiet, verbose, **values):
        if quiet and verbose:
            raise InputError("--quiet and --verbose cannot be used together; give one of them")
        return command(quiet=quiet, verbose=verbose, **values)

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


def export_options(source: type) -> Callable[[Callable], Callable]:
    """One option a format in ``planner.export.EXPORTS`` made from ``source`` (``Plan``: --csv,
    --ics, --json; ``Report``: --html, --md, --png), its help the format's; the paths given
    reach the command as ``targets``, format to path, in the table's order."""
    exports = exports_of(source)

    def decorate(command: Callable) -> Callable:
        @functools.wraps(command)
        def wrapper(**values):
            paths = {name: values.pop(f"{name}_path") for name in exports}
            return command(targets={name: path for name, path in paths.items() if path}, **values)

        for export in reversed(exports.values()):
            if export.to_stdout:  # a plain string: "-" is not a path, and the message is ours
                kind, help = None, f"{export.help}; - for stdout."
            else:
                kind = click.Path(file_okay=not export.folder, dir_okay=export.folder)
                help = f"{export.help}."
            metavar = "DIR" if export.folder else "FILE"
            option = click.option(
                f"--{export.name}", f"{export.name}_path", type=kind, metavar=metavar, help=help
            )
            wrapper = option(wrapper)
        return wrapper

    return decorate
