"""``planner batch``: plans for many clients on Dask (``planner.batch``), a progress line on a
terminal, and one line a client without a plan. Dask is imported only when this command runs."""

from __future__ import annotations

import datetime as dt
import math
import sys

import click

from planner.catalog import CatalogError, load_catalog
from planner.cli import EXIT_INTERRUPTED, EXIT_VIOLATIONS, InputError
from planner.cli.options import catalog_option, quiet_verbose_options
from planner.cli.outputs import terminal
from planner.output import OutputError, check_folder

NEEDS_DASK = "planner batch needs Dask; install it with: pip install 'planner[cluster]'"


@click.command("batch")
@click.argument("clients", type=click.Path(), required=False)
@click.option(
    "-o",
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False),
    metavar="OUTDIR",
    help="Folder for a folder a client (OUTDIR/CLIENT/plan.csv) and summary.csv; made if missing.",
)
@catalog_option
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    metavar="PATH",
    help="Plan every person of this logbook instead of CLIENTS, each from their kept profile "
    "and log, as planner plan --adapt would.",
)
@click.option("--ics", is_flag=True, help="Also write each plan as a calendar, plan.ics.")
@click.option("--report", is_flag=True, help="Also write each plan's report, report.html.")
@click.option("--force", is_flag=True, help="Plan again the clients already written in OUTDIR.")
@click.option(
    "--workers",
    type=click.IntRange(1, 1024),
    metavar="N",
    help="Worker processes of the local Dask cluster, one task each. Default: one a core.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Send the tasks to the Dask cluster whose scheduler is at ADDRESS "
    "(tcp://host:8786) instead of a local cluster.",
)
@quiet_verbose_options
def batch_command(
    clients, out, catalog_path, db_path, ics, report, force, workers, scheduler, quiet, verbose
):
    """Plan for every client in CLIENTS, a folder of TOML profiles (a client a file) or a CSV
    with a client column and a column a profile setting, on a local Dask cluster (or an
    existing one, --scheduler). Each plan is the one planner plan makes for the same profile
    and seed. Writes OUTDIR/CLIENT/plan.csv and OUTDIR/summary.csv (a row a client: status,
    objective, bound, seconds, weeks, validator, error); run again, it skips the clients
    already written. Exit 1 when a client has no plan. With --db instead of CLIENTS, every
    person of the logbook who has a profile kept is a client, planned from their log as
    planner plan --adapt plans (from the first kept week not begun today).

    \b
    Example:
      planner batch clients/ -o plans
      planner batch clients.csv -o plans --workers 2 --ics --report
      planner batch --db practice.db -o plans
    """
    if (clients is None) == (db_path is None):
        raise InputError("give CLIENTS (a folder of profiles or a CSV) or --db PATH, one of them")
    if workers is not None and scheduler is not None:
        raise InputError("--workers is for the local cluster; with --scheduler give one of them")
    try:
        import distributed  # noqa: F401  (only to say how to install it when missing)
    except ImportError:
        raise InputError(NEEDS_DASK) from None
    from planner.batch import (
        Batch,
        ClientsError,
        ClusterError,
        DaskEngine,
        db_clients,
        read_clients,
    )

    try:
        catalog = load_catalog(catalog_path)
    except CatalogError as err:
        raise InputError(str(err)) from None
    try:
        check_folder(out)
    except OutputError as err:
        raise InputError(f"--out {err}") from None
    try:
        if db_path is not None:
            people = db_clients(db_path, catalog, dt.date.today())
        else:
            people = read_clients(clients)
    except ClientsError as err:
        raise InputError(str(err)) from None
    outputs = [name for name, asked in (("ics", ics), ("report", report)) if asked]
    batch = Batch(people, catalog, out, outputs, force)
    shown = _ProgressLine(quiet)
    try:
        with DaskEngine(workers, scheduler, dashboard=verbose) as engine:
            if verbose:
                where = scheduler or "a local cluster"
                workers = f"{engine.workers} worker{'' if engine.workers == 1 else 's'}"
                click.echo(f"Dask: {workers} on {where}; dashboard {engine.dashboard}", err=True)
            with shown:
                summary = batch.run(engine, shown.update)
    except KeyboardInterrupt:
        click.echo(
            f"\nInterrupted: {shown.written} clients written this run, each folder whole; "
            "run the same command again to carry on.",
            err=True,
        )
        sys.exit(EXIT_INTERRUPTED)
    except (ClusterError, OutputError) as err:  # a --scheduler not reached, a file not written
        raise InputError(str(err)) from None
    except OSError as err:  # the output folder, written as results come back
        raise InputError(f"--out {out}: cannot write ({err.strerror or err})") from None
    for row in summary.failures:
        click.echo(f"{row['client']}: {row['status']}: {row['error']}", err=True)
    if not quiet:
        click.echo(
            f"{len(people)} clients: {summary.planned} planned, {summary.skipped} already "
            f"written, {summary.failed} without a plan, in {summary.seconds:.2f} s. "
            f"Wrote {batch.out / 'summary.csv'}."
        )
    if summary.failed:
        sys.exit(EXIT_VIOLATIONS)


class _ProgressLine:
    """On a terminal (not with --quiet), one line on stderr that updates in place: clients
    done, failed, the rate and the time left; gone when the batch ends."""

    def __init__(self, quiet: bool):
        self.console = None if quiet else terminal(sys.stderr)
        self.live = None
        self.written = 0

    def __enter__(self):
        if self.console is not None and self.console.is_interactive:
            from rich.live import Live
            from rich.text import Text

            self.live = Live(
                Text("Starting the workers"),
                console=self.console,
                transient=True,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self.live.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.live is not None:
            self.live.stop()

    def update(self, progress) -> None:
        if progress.row is not None and progress.row["status"] in ("optimal", "feasible"):
            self.written += 1
        if self.live is None:
            return
        from rich.text import Text

        left = "" if math.isnan(progress.left) else f" · {_duration(progress.left)} left"
        self.live.update(
            Text(
                f"{progress.done} of {progress.total} clients · {progress.failed} failed · "
                f"{progress.rate:.1f} a minute{left}"
            )
        )


def _duration(seconds: float) -> str:
    """'42 s', '7 min', '3 h 20 min'."""
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds // 3600:.0f} h {seconds % 3600 / 60:.0f} min"
