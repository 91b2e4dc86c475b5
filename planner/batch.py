"""Plans for many clients at once: a practice re-planning everyone each week.

- ``read_clients``: the clients, from a folder of TOML profiles (a client a file, named by
  the file) or from a CSV with a ``client`` column and a column a setting (named as in a
  profile file; a ``profile`` column may name a TOML file the row's cells then override). A
  CLIENTS that cannot be read at all is ``ClientsError``, one line naming the file, line and
  column; one client's bad profile is that client's error, kept for its summary row.
- ``plan_client``: the task, a pure function: a client's profile in, its files and its summary
  row out. It catches every failure (a bad profile, no plan, the screening, a bug) into the
  row, so one client never stops a batch.
- ``Batch``: which clients are already written (skipped unless ``force``), running the tasks
  on an engine, writing each client's folder as its result comes back, and ``summary.csv``.
- Engines: ``Sequential`` (a plain loop in this process) and ``DaskEngine`` (dask.distributed:
  a ``LocalCluster`` of single-threaded worker processes, or an existing scheduler).
  ``DaskEngine`` imports Dask; nothing else here does.

A client's plan is the one ``planner plan`` makes for the same profile and seed, byte for
byte: the task calls the same ``solve``, whose deterministic time limit makes the plan
independent of the machine and its load (``planner.search``), so of how many tasks share it.

Files are written by the process that runs the batch, never by the workers, so that workers
on other machines need no shared file system; each client's folder is written as a hidden
temporary folder and renamed into place, so an interrupted batch leaves complete folders only.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import difflib
import io
import logging
import math
import os
import re
import resource
import secrets
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.catalog import Catalog
from planner.output import write
from planner.profile import Profile, SolverOptions
from planner.ramp import NO_HISTORY, History
from planner.settings import LIST_KINDS, SETTINGS, ProfileError, Setting

__all__ = [
    "CLIENT_FILES",
    "COLUMNS",
    "SUMMARY",
    "Batch",
    "BatchProgress",
    "Client",
    "ClientResult",
    "ClientsError",
    "ClusterError",
    "DaskEngine",
    "Sequential",
    "Summary",
    "db_clients",
    "plan_client",
    "read_clients",
]

# The summary's columns, one row a client: summary.csv, and each client folder's row.
SUMMARY = ("client", "status", "objective", "bound", "seconds", "weeks", "validator", "error")
# What a client folder holds, by output: the plan always, a calendar and a report when asked.
CLIENT_FILES = {"csv": "plan.csv", "ics": "plan.ics", "report": "report.html"}
ROW_FILE = "summary.csv"  # in each client folder, written with it: its summary row
SUMMARY_FILE = "summary.csv"  # in the output folder: every client's row
PLANNED = ("optimal", "feasible")  # the statuses of a client with a plan
# The settings a CSV column may give: every setting but the tables (the screening answers
# need a profile file). Named as in a profile file.
COLUMN_SETTINGS = {s.name: s for s in SETTINGS if s.kind != "table"}
CLIENT_COLUMN, PROFILE_COLUMN = "client", "profile"
COLUMNS = (CLIENT_COLUMN, PROFILE_COLUMN, *COLUMN_SETTINGS)
ALLOWED_COLUMNS = (
    "allowed: client, profile and the keys of a profile file (planner profile init lists them)"
)
# A client's name is its folder's: no separators, no hidden or temporary names.
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
_TEMPORARY = re.compile(r"^\..+\.(partial|old)-[0-9a-f]{8}$")


class ClientsError(ValueError):
    """CLIENTS cannot be read: one line naming the file (and line and column)."""


class ClusterError(ValueError):
    """The Dask scheduler asked for cannot be reached: one line naming its address."""


@dataclass(frozen=True)
class Client:
    """One client to plan: ``name`` (their folder's), where they were read (``source``: a
    file, or ``clients.csv:3``), and their profile and solver options, or ``error``, why
    there are none (one line naming the file, line and column)."""

    name: str
    source: str
    profile: Profile | None = None
    options: SolverOptions | None = None
    error: str = ""
    status: str = "bad profile"  # the row's status when there is no profile: why not
    history: History = NO_HISTORY  # what the plan carries on from (a person's log)


@dataclass(frozen=True)
class ClientResult:
    """What a task gives back: the client's summary ``row`` (``SUMMARY``), its ``files`` by
    name (none when it has no plan), and the task's own ``seconds`` on the worker."""

    row: dict[str, Any]
    files: dict[str, str | bytes] = field(default_factory=dict)
    seconds: float = 0.0


# --- reading the clients --------------------------------------------------------------------


def read_clients(path: str | Path) -> list[Client]:
    """The clients in ``path``: a folder of ``*.toml`` profiles (in name order, each named by
    its file) or a CSV (in row order). ``ClientsError`` when it cannot be read as a whole."""
    path = Path(path)
    if path.is_dir():
        return _folder_clients(path)
    if not path.exists():
        raise ClientsError(
            f"{path}: no such file or folder; give a folder of TOML profiles or a CSV"
        )
    return _csv_clients(path)


def db_clients(path: str | Path, catalog: Catalog, today: dt.date) -> list[Client]:
    """Every person in the logbook at ``path`` who has a profile kept, in name order, each
    planned from their log as ``planner plan --adapt`` would (starting on the first kept week
    not begun by ``today``); a person without a plan kept starts afresh on ``today``. A log
    that stops planning (pain, a red flag) is the client's status."""
    from planner.adaptation import AdaptationStop, adapt, next_start
    from planner.logbook import Logbook, LogbookError
    from planner.profile_file import ProfileFileError, load_settings

    path = Path(path)
    if not path.is_file():
        raise ClientsError(f"--db {path}: no such logbook; planner plan --person makes one")
    try:
        book = Logbook.open(path)
    except (LogbookError, sqlite3.Error) as err:
        raise ClientsError(f"--db {err}") from None
    clients = []
    with book:
        names = [n for (n,) in book.conn.execute("SELECT name FROM person ORDER BY name")]
        for name in names:
            text = book.profile(name)
            if text is None:
                continue
            source = f"{path} ({name})"
            try:
                _check_name(name, source)
                profile, options = load_settings(source, text)
            except (ClientsError, ProfileFileError, ProfileError) as err:
                clients.append(Client(name, source, error=str(err)))
                continue
            schedule = book.schedule(name)
            start = next_start(schedule, today) if schedule else today
            profile = profile.with_changes(start=start)
            try:
                found = adapt(catalog, profile, schedule, book.entries(name), start)
            except AdaptationStop as err:
                clients.append(Client(name, source, error=str(err), status="screening"))
                continue
            clients.append(Client(name, source, profile, options, history=found.history))
    return clients


def _folder_clients(folder: Path) -> list[Client]:
    from planner.profile_file import load_settings

    files = sorted(folder.glob("*.toml"))
    if not files:
        raise ClientsError(f"{folder}: no .toml profiles in the folder")
    clients = []
    for file in files:
        _check_name(file.stem, str(file))
        try:
            profile, options = load_settings(file)
        except ProfileError as err:
            clients.append(Client(file.stem, str(file), error=str(err)))
            continue
        clients.append(Client(file.stem, str(file), profile, options))
    return clients


def _csv_clients(path: Path) -> list[Client]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ClientsError(f"{path}: bytes are not UTF-8; save the file as UTF-8") from None
    except OSError as err:
        raise ClientsError(f"{path}: cannot be read ({err.strerror})") from None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or not any(rows[0]):
        raise ClientsError(f"{path}: is empty; allowed: a header row, then one row a client")
    header = [h.strip() for h in rows[0]]
    for column, name in enumerate(header, 1):
        if name not in COLUMNS:
            hint = difflib.get_close_matches(name, COLUMNS, n=1)
            also = f"did you mean {hint[0]!r}?" if hint else ALLOWED_COLUMNS
            raise ClientsError(f"{path}:1: column {column}: unknown column {name!r}; {also}")
        if header.index(name) != column - 1:
            raise ClientsError(f"{path}:1: column {column}: {name!r} is given twice")
    if CLIENT_COLUMN not in header:
        raise ClientsError(f"{path}:1: no {CLIENT_COLUMN!r} column; it names each client")
    seen: dict[str, int] = {}
    clients = []
    for line, cells in enumerate(rows[1:], 2):
        if not any(c.strip() for c in cells):
            continue  # a blank line
        where = f"{path}:{line}"
        if len(cells) != len(header):
            raise ClientsError(f"{where}: {len(cells)} cells; the header has {len(header)}")
        values = dict(zip(header, (c.strip() for c in cells), strict=True))
        name = values.pop(CLIENT_COLUMN)
        if not name:
            raise ClientsError(f"{where}: column {CLIENT_COLUMN}: empty; give each client a name")
        _check_name(name, f"{where}: column {CLIENT_COLUMN}")
        if name in seen:
            raise ClientsError(
                f"{where}: column {CLIENT_COLUMN}: {name!r} duplicates line {seen[name]}"
            )
        seen[name] = line
        clients.append(_row_client(name, where, path.parent, values))
    if not clients:
        raise ClientsError(f"{path}: no clients; allowed: a header row, then one row a client")
    return clients


def _check_name(name: str, where: str) -> None:
    if not NAME.fullmatch(name):
        raise ClientsError(
            f"{where}: {name!r} cannot name a folder; allowed: letters, digits, _ . and -, "
            "starting with a letter or digit, at most 100"
        )


def _row_client(name: str, where: str, base: Path, values: dict[str, str]) -> Client:
    """A CSV row's client: its ``profile`` file (relative to the CSV's folder), if any, with
    the row's non-empty cells on top, as options are on top of ``--profile``."""
    from planner.profile_file import ProfileFileError, load_settings

    given = {}
    try:
        for key, text in values.items():
            if key != PROFILE_COLUMN and text:
                given[key] = cell_value(COLUMN_SETTINGS[key], text)
        profile_path = values.get(PROFILE_COLUMN) or None
        if profile_path is not None:
            profile_path = base / profile_path
        profile, options = load_settings(profile_path, **given)
    except ProfileFileError as err:
        return Client(name, where, error=f"{where}: column {PROFILE_COLUMN}: {err}")
    except ProfileError as err:
        return Client(name, where, error=f"{where}: {err.worded(lambda key: f'column {key}')}")
    return Client(name, where, profile, options)


def cell_value(setting: Setting, text: str) -> Any:
    """A CSV cell as ``setting`` holds the value: lists and pairs comma- (or ``;``-)
    separated, as on the command line; ``ProfileError`` naming the setting when it is not of
    the setting's kind (its range is checked with the profile)."""
    words = [w.strip() for w in re.split(r"[,;]", text) if w.strip()]
    kind = setting.kind
    if kind in LIST_KINDS:
        return tuple(words) if kind == "days" else frozenset(words)
    try:
        if kind == "bool":
            return {"true": True, "false": False}[text.lower()]
        if kind == "int":
            return int(text)
        if kind == "float":
            return float(text)
        if kind == "pair":
            low, high = words
            return int(low), int(high)
        if kind == "date":
            return dt.date.fromisoformat(text)
    except (KeyError, ValueError):
        expected = {
            "bool": "true or false",
            "int": "a whole number",
            "float": "a number",
            "pair": "two whole numbers, low,high",
            "date": "a date, YYYY-MM-DD",
        }[kind]
        raise ProfileError(setting.name, f"{text!r} is not {expected}") from None
    return text  # level, clock, zone: checked by the profile


# --- the task -------------------------------------------------------------------------------


def plan_client(client: Client, catalog: Catalog, outputs: Sequence[str] = ()) -> ClientResult:
    """Plan one client: the plan and its files (``CLIENT_FILES``: the CSV, and the ``outputs``
    asked for, ``ics`` and ``report``) and the summary row. The plan is ``planner plan``'s
    for the same profile and seed, byte for byte. Never raises for the client's sake: a bad
    profile, no plan, a screening stop or any other failure is the row's status and error."""
    started = time.perf_counter()
    try:
        row, files = _plan(catalog, client, outputs)
    except Exception as err:  # one client's failure, whatever it is, is its row
        row, files = _row(client.name, "failed", error=f"{type(err).__name__}: {err}"), {}
    if files:
        files[ROW_FILE] = summary_csv([row])
    return ClientResult(row, files, time.perf_counter() - started)


def _plan(catalog: Catalog, client: Client, outputs: Sequence[str]) -> tuple[dict, dict]:
    from planner.check import check_plan
    from planner.screening import screen_verdict
    from planner.solve import NoPlan, OutOfTime, solve

    if client.profile is None:
        return _row(client.name, client.status, error=client.error), {}
    profile = client.profile
    if "ics" in outputs and profile.start is None:
        error = f"{client.source}: a calendar (--ics) needs dates; give start"
        return _row(client.name, "bad profile", error=error), {}
    verdict = screen_verdict(profile.screening)
    if not verdict.plans:
        return _row(client.name, "screening", error=verdict.message), {}
    try:
        profile.allowed(catalog)  # unknown exercise ids, named before solving
        plan = solve(catalog, profile, history=client.history, options=client.options)
    except OutOfTime as err:
        return _row(client.name, "out of time", error=str(err)), {}
    except NoPlan as err:
        return _row(client.name, "no plan", error=str(err)), {}
    except ProfileError as err:
        return _row(client.name, "bad profile", error=f"{client.source}: {err}"), {}
    violations = check_plan(plan)
    row = _row(
        client.name,
        plan.status.value,
        objective=f"{plan.objective:g}",
        bound=f"{plan.bound:g}",
        seconds=f"{plan.seconds:.2f}",
        weeks=plan.profile.weeks,
        validator=f"{len(violations)} violations" if violations else "ok",
        error=_shortfall(plan, profile) or (str(violations[0]) if violations else ""),
    )
    return row, _files(plan, catalog, outputs)


def _files(plan, catalog: Catalog, outputs: Sequence[str]) -> dict[str, str | bytes]:
    from planner.export import csv_text, ics_text

    files: dict[str, str | bytes] = {CLIENT_FILES["csv"]: csv_text(plan)}
    if "ics" in outputs:
        files[CLIENT_FILES["ics"]] = ics_text(plan)
    if "report" in outputs:
        from planner.report import build_report

        files[CLIENT_FILES["report"]] = build_report(plan, catalog).html()
    return files


def _shortfall(plan, profile: Profile) -> str:
    """What a plan the search cut short lacks (as ``planner plan`` warns), else ''."""
    more = "raise time_limit" if plan.cut_short else "raise budget"
    if plan.profile.weeks < profile.weeks:
        return f"search ran out: {plan.profile.weeks} of {profile.weeks} weeks planned; {more}"
    if plan.cut_short:
        return "time limit reached: valid, but may differ from run to run; raise time_limit"
    return ""


def _lost(client: Client, err: Exception) -> ClientResult:
    """The result of a client whose task never ran to its end (its workers kept dying)."""
    return ClientResult(_row(client.name, "failed", error=f"{type(err).__name__}: {err}"))


def _row(client: str, status: str, **values) -> dict[str, Any]:
    return {column: values.get(column, "") for column in SUMMARY} | {
        "client": client,
        "status": status,
    }


def summary_csv(rows: Iterable[dict]) -> str:
    """Summary rows as CSV text with the ``SUMMARY`` header."""
    from planner.export import table_csv

    return table_csv(list(rows), SUMMARY)


# --- engines --------------------------------------------------------------------------------

Task = Callable[..., Any]
Lost = Callable[[Any, Exception], Any]  # (item, error) -> the result of a task that never ran
CONNECT_SECONDS = 10  # to reach a --scheduler before saying it cannot be reached


class Sequential:
    """Runs the tasks one after another in this process: the baseline, and batches where a
    cluster is not worth starting."""

    workers = 1
    dashboard: str | None = None

    def __enter__(self) -> Sequential:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def map(self, task: Task, items: Sequence, *shared, lost: Lost | None = None) -> Iterator:
        """``task(item, *shared)`` for each item, in order (``lost`` is for engines whose
        tasks may not run; here they run or raise)."""
        for item in items:
            yield task(item, *shared)

    def peak_memory(self) -> dict[str, int]:
        """Peak resident memory, in bytes, of this process (the one worker)."""
        return {"local": _peak_rss()}


class DaskEngine:
    """Runs the tasks on dask.distributed: by default a ``LocalCluster`` of ``workers``
    single-threaded worker processes, each pinned to a core of its own (one a core by
    default; ``planner.worker``), or the cluster whose scheduler is at
    ``scheduler`` (``tcp://host:8786``). A task whose worker dies is run again elsewhere (the
    scheduler's allowed failures), and one that raises is retried ``retries`` times.

    A context manager: the cluster (or the connection) is closed on leaving, Ctrl-C included;
    what was submitted and is not done yet is cancelled."""

    def __init__(
        self,
        workers: int | None = None,
        scheduler: str | None = None,
        retries: int = 2,
        dashboard: bool = False,
    ):
        self.workers = workers or os.cpu_count() or 1
        self.scheduler = scheduler
        self.retries = retries
        self.want_dashboard = dashboard
        self.client = None
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> DaskEngine:
        from distributed import Client, LocalCluster

        with self._stack as stack:
            if self.scheduler is None:
                cluster = stack.enter_context(
                    LocalCluster(
                        n_workers=self.workers,
                        threads_per_worker=1,
                        processes=True,
                        # a free port of our own: no clash with a dashboard already running
                        dashboard_address=":0",
                        scheduler_kwargs={"dashboard": self.want_dashboard},
                        # the workers' own logs (a worker restarted, a task retried) would
                        # break into the progress line; the summary says what failed
                        silence_logs=logging.CRITICAL,
                    )
                )
                self.client = stack.enter_context(Client(cluster))
                from planner.worker import OneCore

                self.client.register_plugin(OneCore())  # a core a worker (planner.worker)
            else:
                try:
                    client = Client(self.scheduler, timeout=CONNECT_SECONDS)
                except (OSError, ValueError) as err:  # refused, timed out, a bad address
                    reason = (str(err).splitlines() or [type(err).__name__])[0]
                    raise ClusterError(
                        f"--scheduler {self.scheduler}: cannot reach the Dask scheduler ({reason})"
                    ) from None
                self.client = stack.enter_context(client)
                self.workers = sum(self.client.nthreads().values())
            self._stack = stack.pop_all()
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()

    @property
    def dashboard(self) -> str | None:
        """The Dask dashboard's address (a local cluster has one when asked for)."""
        if self.client is None or (self.scheduler is None and not self.want_dashboard):
            return None
        return self.client.dashboard_link

    def map(self, task: Task, items: Sequence, *shared, lost: Lost | None = None) -> Iterator:
        """``task(item, *shared)`` for each item, on the cluster, as each completes. The
        ``shared`` arguments (the catalogue) go to every worker once. A task that could not be
        run (its workers kept dying, or it raised on every try) is ``lost(item, error)`` when
        given, else its error is raised."""
        from distributed import as_completed

        client = self.client
        # In a list: a catalogue (or a tuple) alone would be scattered item by item.
        sent = [client.scatter([s], broadcast=True, hash=False)[0] for s in shared]
        token = secrets.token_hex(4)
        futures = {
            client.submit(
                task, item, *sent, key=f"plan-{token}-{i}", retries=self.retries, pure=False
            ): item
            for i, item in enumerate(items)
        }
        try:
            for future in as_completed(futures):
                try:
                    result = future.result()
                except Exception as err:
                    if lost is None:
                        raise
                    result = lost(futures[future], err)
                future.release()
                yield result
        finally:
            client.cancel(list(futures))

    def peak_memory(self) -> dict[str, int]:
        """Peak resident memory, in bytes, of each worker process, by address."""
        return self.client.run(_peak_rss)


def _peak_rss() -> int:
    """This process's peak resident memory in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# --- the batch ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchProgress:
    """Where a batch is, after each client: ``done`` of ``total`` clients this run plans,
    ``failed`` of them without a plan, ``skipped`` already written, and the client just done
    (``row``)."""

    done: int
    failed: int
    total: int
    skipped: int
    seconds: float
    row: dict[str, Any] | None = None

    @property
    def rate(self) -> float:
        """Clients done a minute so far (nan before the first)."""
        return self.done / self.seconds * 60 if self.done and self.seconds > 0 else math.nan

    @property
    def left(self) -> float:
        """Seconds left at the rate so far (nan before the first client)."""
        return (self.total - self.done) / self.rate * 60 if self.done else math.nan


@dataclass
class Summary:
    """A batch's outcome: a row a client, in the clients' order (those a Ctrl-C left out
    have none), and how many were planned, skipped (already written) and failed."""

    rows: list[dict[str, Any]]
    planned: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0
    task_seconds: float = 0.0  # the tasks' own time on the workers, added up
    write_seconds: float = 0.0  # writing the client folders, in this process, added up

    @property
    def failures(self) -> list[dict[str, Any]]:
        """The rows of the clients without a plan."""
        return [r for r in self.rows if r["status"] not in PLANNED]


class Batch:
    """One batch: the clients, the output folder ``out`` (a folder a client, and
    ``summary.csv``), the ``outputs`` asked for beyond the CSV (``ics``, ``report``) and
    whether clients already written are done again (``force``)."""

    def __init__(
        self,
        clients: Sequence[Client],
        catalog: Catalog,
        out: str | Path,
        outputs: Sequence[str] = (),
        force: bool = False,
    ):
        unknown = [o for o in outputs if o not in CLIENT_FILES]
        if unknown:
            raise ValueError(f"unknown output {unknown[0]!r}; allowed: ics, report")
        self.clients = list(clients)
        self.catalog = catalog
        self.out = Path(out)
        self.outputs = tuple(outputs)
        self.force = force

    def written(self, client: Client) -> dict[str, Any] | None:
        """The summary row of a client already written by an earlier run, else None."""
        path = self.out / client.name / ROW_FILE
        try:
            with path.open(encoding="utf-8", newline="") as f:
                rows = list(csv.DictReader(f))
        except (OSError, UnicodeDecodeError, csv.Error):
            return None
        return rows[0] if len(rows) == 1 and rows[0].get("client") == client.name else None

    def run(
        self,
        engine: Sequential | DaskEngine,
        progress: Callable[[BatchProgress], None] | None = None,
    ) -> Summary:
        """Plan every client not yet written (all with ``force``) on ``engine``, writing each
        client's folder as its result comes back, then ``summary.csv`` (also on Ctrl-C, with
        the clients done so far). ``progress`` is called after each client."""
        self.out.mkdir(parents=True, exist_ok=True)
        self._clear_temporary()
        started = time.perf_counter()
        rows: dict[str, dict] = {}
        summary = Summary([])
        todo = []
        for client in self.clients:
            row = None if self.force else self.written(client)
            if row is not None:
                rows[client.name] = row
                summary.skipped += 1
            else:
                todo.append(client)
        try:
            results = engine.map(plan_client, todo, self.catalog, self.outputs, lost=_lost)
            for result in results:
                row = result.row
                if result.files:
                    writing = time.perf_counter()
                    self._write_client(row["client"], result.files)
                    summary.write_seconds += time.perf_counter() - writing
                rows[row["client"]] = row
                summary.task_seconds += result.seconds
                if row["status"] in PLANNED:
                    summary.planned += 1
                else:
                    summary.failed += 1
                if progress is not None:
                    seconds = time.perf_counter() - started
                    done = summary.planned + summary.failed
                    progress(
                        BatchProgress(
                            done, summary.failed, len(todo), summary.skipped, seconds, row
                        )
                    )
        finally:
            summary.rows = [rows[c.name] for c in self.clients if c.name in rows]
            summary.seconds = time.perf_counter() - started
            write(self.out / SUMMARY_FILE, summary_csv(summary.rows))
        return summary

    def _write_client(self, name: str, files: dict[str, str | bytes]) -> None:
        """The client's folder, whole: its files go into a hidden temporary folder, renamed
        into place (an old folder, with ``force``, is moved aside first and then removed)."""
        final = self.out / name
        token = secrets.token_hex(4)
        temporary = self.out / f".{name}.partial-{token}"
        temporary.mkdir()
        try:
            for file, data in files.items():
                write(temporary / file, data)
            if final.exists():
                old = self.out / f".{name}.old-{token}"
                final.rename(old)
                temporary.rename(final)
                shutil.rmtree(old)
            else:
                temporary.rename(final)
        except BaseException:
            shutil.rmtree(temporary, ignore_errors=True)
            raise

    def _clear_temporary(self) -> None:
        """Remove the temporary folders an earlier run left when it was killed."""
        for path in self.out.iterdir():
            if _TEMPORARY.match(path.name) and path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
