"""``planner report``: a plan as a page to keep or print, in the formats asked for."""

from __future__ import annotations

from pathlib import Path

import click

from planner.cli import InputError
from planner.cli.options import after_option, profile_options, quiet_verbose_options
from planner.cli.outputs import Target, check_targets
from planner.cli.plan import plan_frame
from planner.export import ExportError, write_atomic
from planner.report import build_report, report_files


@click.command("report")
@click.argument("plan_csv", required=False, type=click.Path(dir_okay=False))
@profile_options
@after_option
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
@quiet_verbose_options
def report_command(
    plan_csv, catalog, profile, options, history, html_path, md_path, png_dir, quiet, verbose
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
    given = {"html": html_path, "md": md_path, "png": png_dir}
    check_targets(
        [
            Target(option, str(given[option]), tuple(files), folder=option == "png")
            for option, files in outputs.items()
        ]
    )
    frame, profile = plan_frame(plan_csv, catalog, profile, options, history, quiet, verbose)
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
