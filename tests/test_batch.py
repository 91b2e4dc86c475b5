"""planner batch (planner.batch, planner.cli.batch): reading clients from a folder or a CSV,
the per-client task, summary rows, infeasible and malformed clients, resume, Ctrl-C leaving
whole folders, a dead worker retried, and plans byte-identical to planner plan, on a real
two-process LocalCluster."""

from __future__ import annotations

import csv
import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from clean_exit import assert_clean_exit
from planner.batch import (
    SUMMARY,
    Batch,
    BatchProgress,
    Client,
    ClientsError,
    DaskEngine,
    Sequential,
    plan_client,
    read_clients,
)
from planner.export import csv_text, ics_text
from planner.profile_file import load_settings
from planner.solve import solve

SOLVE = importlib.import_module("planner.solve")  # the module: planner.solve is the function
# Quick lone weeks (a tenth of a second or so each), one infeasible before any search (no
# hip-flexor stretch left: README's example), one with a misspelt key.
ANNA = 'level = "beginner"\nweeks = 1\nsessions = 2\n'
BEN = 'level = "beginner"\nweeks = 1\ndays = ["mon", "wed", "fri"]\nseed = 3\n'
STUCK = (
    'level = "beginner"\nweeks = 1\nequipment = ["none"]\nexclude = '
    '["half_kneeling_hip_flexor_stretch", "half_kneeling_side_reach_stretch", '
    '"bed_edge_hip_flexor_stretch"]\n'
)
TYPO = "minuts = 20\n"
EXCLUDED = (
    "half_kneeling_hip_flexor_stretch,half_kneeling_side_reach_stretch,bed_edge_hip_flexor_stretch"
)


def profiles(folder: Path, **texts: str) -> Path:
    """A folder holding ``NAME.toml`` for each keyword."""
    folder.mkdir(exist_ok=True)
    for name, text in texts.items():
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    return folder


def csv_file(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def summary_rows(out: Path) -> list[list[str]]:
    with (out / "summary.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


@pytest.fixture(scope="module")
def cluster():
    """One real LocalCluster of two single-threaded worker processes for the module."""
    with DaskEngine(workers=2) as engine:
        yield engine


@pytest.fixture(scope="module")
def clients(tmp_path_factory) -> Path:
    """A folder of four profiles: two that plan, one with no plan, one malformed."""
    folder = tmp_path_factory.mktemp("clients")
    return profiles(folder, anna=ANNA, ben=BEN, stuck=STUCK, typo=TYPO)


@pytest.fixture(scope="module")
def batch_out(cluster, clients, shipped, tmp_path_factory) -> tuple[Path, object]:
    """The four clients planned once on the cluster: the output folder and the summary."""
    out = tmp_path_factory.mktemp("plans")
    summary = Batch(read_clients(clients), shipped, out).run(cluster)
    return out, summary


# --- reading the clients --------------------------------------------------------------------


def test_a_folder_gives_a_client_a_profile_named_by_its_file(clients):
    """Each .toml is a client named by its stem, in name order; a bad file is its error."""
    found = read_clients(clients)
    assert [c.name for c in found] == ["anna", "ben", "stuck", "typo"]
    assert found[1].profile.days == ("mon", "wed", "fri") and found[1].options.seed == 3
    assert found[3].profile is None
    assert found[3].error == f"{clients}/typo.toml: unknown key 'minuts'; did you mean 'minutes'?"


def test_a_csv_gives_a_client_a_row_its_cells_as_options(tmp_path):
    """Lists comma-separated in a quoted cell, booleans, dates and pairs; empty cells unset."""
    path = csv_file(
        tmp_path / "c.csv",
        "client,level,days,allow_hip_flexor_dominant,start,reps,seed",
        'anna,intermediate,"mon,wed,fri",true,2026-11-30,"8,10",4',
        "ben,beginner,,,,,",
    )
    anna, ben = read_clients(path)
    assert anna.source == f"{path}:2" and anna.error == ""
    assert anna.profile.days == ("mon", "wed", "fri") and anna.profile.allow_hip_flexor_dominant
    assert str(anna.profile.start) == "2026-11-30" and anna.profile.reps == (8, 10)
    assert anna.options.seed == 4
    assert (ben.profile, ben.options) == load_settings(None, level="beginner")


def test_a_csv_profile_column_names_a_file_the_cells_override(tmp_path):
    """The profile column is a TOML file beside the CSV; the row's cells go on top of it."""
    profiles(tmp_path, base=BEN)
    path = csv_file(tmp_path / "c.csv", "client,profile,seed", "anna,base.toml,9")
    (anna,) = read_clients(path)
    assert anna.profile.days == ("mon", "wed", "fri") and anna.options.seed == 9


@pytest.mark.parametrize(
    ("cells", "error"),
    [
        ("anna,ninety", "{path}:2: column minutes: 'ninety' is not a whole number"),
        ("anna,90", "{path}:2: column minutes: 90 is out of range; allowed: 10 to 60"),
    ],
)
def test_a_bad_cell_is_that_clients_error_naming_file_line_and_column(tmp_path, cells, error):
    """A value of the wrong kind or out of range: one line, the client kept for its row."""
    path = csv_file(tmp_path / "c.csv", "client,minutes", cells)
    (anna,) = read_clients(path)
    assert anna.profile is None
    assert anna.error == error.format(path=path)


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (
            ["client,minuts", "anna,20"],
            "{path}:1: column 2: unknown column 'minuts'; did you mean 'minutes'?",
        ),
        (
            ["name,level", "anna,beginner"],
            "{path}:1: column 1: unknown column 'name'; allowed: client, profile and the keys "
            "of a profile file (planner profile init lists them)",
        ),
        (["level", "beginner"], "{path}:1: no 'client' column; it names each client"),
        (
            ["client,level", "anna,beginner", "anna,advanced"],
            "{path}:3: column client: 'anna' duplicates line 2",
        ),
        (["client,level", ",beginner"], "{path}:2: column client: empty; give each client a name"),
        (
            ["client,level", "../x,beginner"],
            "{path}:2: column client: '../x' cannot name a "
            "folder; allowed: letters, digits, _ . and -, starting with a letter or digit, at most "
            "100",
        ),
        (["client,level", "anna"], "{path}:2: 1 cells; the header has 2"),
        (["client,level"], "{path}: no clients; allowed: a header row, then one row a client"),
    ],
)
def test_a_csv_that_cannot_be_read_is_one_line_naming_file_line_and_column(
    tmp_path, lines, message
):
    """Structural problems stop the batch before any work: ClientsError, one line."""
    path = csv_file(tmp_path / "c.csv", *lines)
    with pytest.raises(ClientsError) as info:
        read_clients(path)
    assert str(info.value) == message.format(path=path)


def test_a_missing_clients_path_and_an_empty_folder_are_refused(tmp_path):
    """CLIENTS must exist; a folder must hold profiles."""
    with pytest.raises(ClientsError, match=r"nowhere: no such file or folder; give a folder"):
        read_clients(tmp_path / "nowhere")
    with pytest.raises(ClientsError, match=r": no \.toml profiles in the folder$"):
        read_clients(tmp_path)


# --- the task -------------------------------------------------------------------------------


def test_the_task_is_pure_and_its_plan_is_solves(clients, shipped, tmp_path):
    """plan_client writes nothing and returns the plan CSV solve gives, with its row."""
    anna = read_clients(clients)[0]
    before = set(Path.cwd().iterdir())
    result = plan_client(anna, shipped)
    assert set(Path.cwd().iterdir()) == before
    plan = solve(shipped, anna.profile, options=anna.options)
    assert result.files["plan.csv"] == csv_text(plan)
    assert result.row["status"] == "optimal" and result.row["validator"] == "ok"
    assert sorted(result.files) == ["plan.csv", "summary.csv"]


def test_any_failure_in_the_task_is_caught_into_the_row(clients, shipped, monkeypatch):
    """An unexpected error (a bug, say) is the row's, status failed; nothing is raised."""

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(SOLVE, "solve", broken)
    result = plan_client(read_clients(clients)[0], shipped)
    assert result.row["status"] == "failed" and result.row["error"] == "RuntimeError: boom"
    assert result.files == {}


def test_ics_and_report_are_the_clients_calendar_and_page(shipped, tmp_path):
    """With ics and report asked for, the task returns plan.ics and report.html as well."""
    profiles(tmp_path, anna=ANNA + "start = 2026-11-30\n")
    (anna,) = read_clients(tmp_path)
    result = plan_client(anna, shipped, ("ics", "report"))
    files = ["plan.csv", "plan.ics", "report.html", "summary.csv"]
    assert sorted(result.files) == files
    assert result.files["plan.ics"] == ics_text(solve(shipped, anna.profile, options=anna.options))
    assert result.files["report.html"].startswith("<!DOCTYPE html>")


def test_a_calendar_without_dates_is_the_clients_error(clients, shipped):
    """--ics needs a start date; a client without one gets an error row, not a crash."""
    result = plan_client(read_clients(clients)[0], shipped, ("ics",))
    assert result.row["status"] == "bad profile"
    assert result.row["error"].endswith("anna.toml: a calendar (--ics) needs dates; give start")


# --- on the cluster -------------------------------------------------------------------------


def test_the_summary_has_a_row_a_client_with_status_and_error(batch_out, clients):
    """Planned, infeasible and malformed clients each get their row; only planned ones get a
    folder, holding the plan and their row."""
    out, summary = batch_out
    rows = summary_rows(out)
    assert rows[0] == list(SUMMARY)
    assert [r[:2] for r in rows[1:]] == [
        ["anna", "optimal"],
        ["ben", "optimal"],
        ["stuck", "no plan"],
        ["typo", "bad profile"],
    ]
    assert rows[1][5:] == ["1", "ok", ""] and rows[2][2:4] == ["0", "0"]
    assert rows[3][7].startswith("no hip-flexor stretch that your level")
    assert rows[4][7] == f"{clients}/typo.toml: unknown key 'minuts'; did you mean 'minutes'?"
    assert (summary.planned, summary.failed, summary.skipped) == (2, 2, 0)
    assert sorted(p.name for p in out.iterdir()) == ["anna", "ben", "summary.csv"]
    assert sorted(p.name for p in (out / "ben").iterdir()) == ["plan.csv", "summary.csv"]


def test_a_plan_in_the_batch_is_byte_identical_to_planner_plan(batch_out, clients, invoke, here):
    """The same profile and seed give the same plan.csv bytes alone and on the cluster."""
    out, _ = batch_out
    for name in ("anna", "ben"):
        result = invoke("plan", "--profile", str(clients / f"{name}.toml"), "--csv", "a.csv", "-q")
        assert result.exit_code == 0, result.output
        assert (here / "a.csv").read_bytes() == (out / name / "plan.csv").read_bytes()


def test_a_batch_run_again_skips_the_clients_already_written(cluster, clients, shipped, tmp_path):
    """Resume after a partial batch: written clients are kept as they are (rows included),
    the others planned; --force plans them all again; stale temporary folders go."""
    everyone = read_clients(clients)
    Batch(everyone[:1], shipped, tmp_path).run(cluster)
    plan = tmp_path / "anna" / "plan.csv"
    written = plan.stat().st_mtime_ns
    (tmp_path / ".ben.partial-0123abcd").mkdir()
    seen: list[BatchProgress] = []
    summary = Batch(everyone, shipped, tmp_path).run(cluster, seen.append)
    assert (summary.skipped, summary.planned, summary.failed) == (1, 1, 2)
    assert plan.stat().st_mtime_ns == written
    assert [r["client"] for r in summary.rows] == ["anna", "ben", "stuck", "typo"]
    assert summary.rows[0]["status"] == "optimal"
    assert [(p.done, p.total, p.skipped) for p in seen][-1] == (3, 3, 1)
    assert not (tmp_path / ".ben.partial-0123abcd").exists()
    again = Batch(everyone[:2], shipped, tmp_path, force=True).run(cluster)
    assert (again.skipped, again.planned) == (0, 2)
    assert plan.stat().st_mtime_ns != written
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def _killed_once(marker: str) -> str:
    """A task that kills its worker process the first time it runs."""
    if not os.path.exists(marker):
        Path(marker).touch()
        os._exit(1)
    return "done"


def test_a_task_whose_worker_dies_is_run_again(cluster, tmp_path):
    """A worker that dies mid-task is restarted and its task retried elsewhere."""
    marker = str(tmp_path / "died")
    assert list(cluster.map(_killed_once, [marker])) == ["done"]
    assert os.path.exists(marker)
    cluster.client.wait_for_workers(2, timeout=60)  # restarted, for the tests after


def _cores() -> set[tuple[int, ...]]:
    """The cores each thread of this process may run on."""
    tasks = os.listdir("/proc/self/task")
    return {tuple(sorted(os.sched_getaffinity(int(t)))) for t in tasks}


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="pinning is Linux's")
def test_each_local_worker_has_a_core_of_its_own(cluster):
    """Every thread of each worker process is pinned to one core, a different one each."""
    cluster.client.wait_for_workers(2, timeout=60)
    cores = [sorted(c) for c in cluster.client.run(_cores).values()]
    assert all(len(c) == 1 for c in cores)
    assert len({c[0] for c in cores}) == min(2, len(os.sched_getaffinity(0)))


class _Interrupted:
    """An engine that returns the first client's result, then is interrupted (Ctrl-C)."""

    def map(self, task, items, *shared, lost=None):
        yield task(items[0], *shared)
        raise KeyboardInterrupt


def test_ctrl_c_leaves_whole_client_folders_and_the_summary_so_far(clients, shipped, tmp_path):
    """Interrupted after one client: its folder is whole, summary.csv holds its row, and no
    temporary folder is left."""
    with pytest.raises(KeyboardInterrupt):
        Batch(read_clients(clients), shipped, tmp_path).run(_Interrupted())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["anna", "summary.csv"]
    assert sorted(p.name for p in (tmp_path / "anna").iterdir()) == ["plan.csv", "summary.csv"]
    assert [r[0] for r in summary_rows(tmp_path)] == ["client", "anna"]


def test_ctrl_c_while_a_folder_is_written_leaves_no_folder(clients, shipped, tmp_path, monkeypatch):
    """A client folder appears whole or not at all: Ctrl-C between its files leaves none."""
    calls = []

    def interrupted_write(path, data):
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt
        Path(path).write_text(data)

    monkeypatch.setattr("planner.batch.write", interrupted_write)
    with pytest.raises(KeyboardInterrupt):
        Batch(read_clients(clients)[:1], shipped, tmp_path).run(Sequential())
    assert [p.name for p in tmp_path.iterdir()] == ["summary.csv"]


# --- the command ----------------------------------------------------------------------------


SECONDS = re.compile(r"in \d+\.\d+ s\.")


def test_planner_batch_on_a_csv_plans_reports_failures_and_exits_1(invoke, here):
    """A CSV with a good, a bad-valued and an infeasible client on one worker: exit 1, a line
    a failure on stderr, the counts on stdout; the good plan is planner plan's."""
    csv_file(
        here / "clients.csv",
        "client,level,weeks,sessions,minutes,equipment,exclude",
        "anna,beginner,1,2,,,",
        "bob,beginner,1,2,90,,",
        f'carl,beginner,1,,,none,"{EXCLUDED}"',
    )
    result = invoke("batch", "clients.csv", "-o", "plans", "--workers", "1", "--verbose")
    assert_clean_exit(result, (1,))
    assert SECONDS.sub("in <s>.", result.stdout) == (
        "3 clients: 1 planned, 0 already written, 2 without a plan, in <s>. "
        "Wrote plans/summary.csv.\n"
    )
    dashboard, *err = result.stderr.splitlines()
    assert re.fullmatch(
        r"Dask: 1 worker on a local cluster; dashboard http://\S+/status", dashboard
    )
    assert err[0] == (
        "bob: bad profile: clients.csv:3: column minutes: 90 is out of range; allowed: 10 to 60"
    )
    assert err[1].startswith("carl: no plan: no hip-flexor stretch that your level")
    assert len(err) == 2
    alone = invoke(
        "plan", "--level", "beginner", "--weeks", "1", "--sessions", "2", "--csv", "a.csv"
    )
    assert alone.exit_code == 0
    assert (here / "a.csv").read_bytes() == (here / "plans" / "anna" / "plan.csv").read_bytes()
    again = invoke("batch", "clients.csv", "-o", "plans", "--workers", "1", "--quiet")
    assert again.exit_code == 1 and again.stdout == ""
    assert "1 already written" not in again.output  # --quiet: failures only
    assert len(again.stderr.splitlines()) == 2


def test_planner_batch_sends_the_tasks_to_an_existing_scheduler(
    cluster, batch_out, clients, invoke, here
):
    """--scheduler ADDRESS: the same tasks on a running cluster, the same plans."""
    address = cluster.client.scheduler.address
    result = invoke("batch", str(clients), "-o", "plans", "--scheduler", address, "--verbose")
    assert_clean_exit(result, (1,))
    assert result.stderr.startswith(f"Dask: 2 workers on {address}; dashboard ")
    out, _ = batch_out
    for name in ("anna", "ben"):
        alone = (out / name / "plan.csv").read_bytes()
        assert (here / "plans" / name / "plan.csv").read_bytes() == alone


def test_an_unreachable_scheduler_is_one_line_and_exit_2(invoke, here, monkeypatch):
    """A --scheduler nobody listens on: one line naming the address, exit 2."""
    monkeypatch.setattr("planner.batch.CONNECT_SECONDS", 1)
    profiles(here / "clients", anna=ANNA)
    result = invoke("batch", "clients", "-o", "plans", "--scheduler", "tcp://127.0.0.1:1")
    assert_clean_exit(result, (2,))
    assert result.output.startswith(
        "Error: --scheduler tcp://127.0.0.1:1: cannot reach the Dask scheduler ("
    )
    assert len(result.output.splitlines()) == 1


def _always_raises(item: str) -> str:
    raise RuntimeError(f"no {item}")


def test_a_task_that_never_completes_is_lost_not_raised(cluster):
    """A task that fails on every try (retries spent) comes back through ``lost``."""
    results = cluster.map(_always_raises, ["x"], lost=lambda item, err: (item, str(err)))
    assert list(results) == [("x", "no x")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["nowhere", "-o", "plans"],
            "nowhere: no such file or folder; give a folder of TOML profiles or a CSV",
        ),
        (
            ["bad.csv", "-o", "plans"],
            "bad.csv:1: column 2: unknown column 'minuts'; did you mean 'minutes'?",
        ),
        (
            ["bad.csv", "-o", "bad.csv"],
            "Invalid value for '-o' / '--out': Directory 'bad.csv' is a file.",
        ),
        (
            ["bad.csv", "-o", "p", "--workers", "2", "--scheduler", "tcp://127.0.0.1:1"],
            "--workers is for the local cluster; with --scheduler give one of them",
        ),
        (["bad.csv", "-o", "p", "--catalog", "bad.csv"], "bad.csv:1: missing columns"),
        (["bad.csv"], "Missing option '-o' / '--out'."),
    ],
)
def test_bad_input_is_one_line_and_exit_2(invoke, here, args, message):
    """Missing CLIENTS, an unknown column, a file for OUTDIR, clashing options: exit 2, one
    line naming the file, line and column, before any cluster starts."""
    csv_file(here / "bad.csv", "client,minuts", "anna,20")
    result = invoke("batch", *args)
    assert_clean_exit(result, (2,))
    assert result.output.startswith(f"Error: {message}")
    assert len(result.output.splitlines()) == 1


def test_without_dask_the_command_says_how_to_install_it(invoke, here, monkeypatch):
    """With the cluster extra missing, one line saying what to install; exit 2."""
    monkeypatch.setitem(sys.modules, "distributed", None)
    result = invoke("batch", "clients", "-o", "plans")
    assert_clean_exit(result, (2,))
    assert result.output == (
        "Error: planner batch needs Dask; install it with: pip install 'planner[cluster]'\n"
    )


def test_planner_cli_does_not_import_dask():
    """planner plan and every other command load without Dask: only batch imports it."""
    code = (
        "import sys, planner.cli, planner.batch\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')]\n"
        "print(loaded)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"


def test_progress_counts_rate_and_time_left():
    """BatchProgress: clients a minute so far and the seconds left at that rate."""
    progress = BatchProgress(done=3, failed=1, total=9, skipped=0, seconds=30.0)
    assert progress.rate == 6.0 and progress.left == 60.0
    assert BatchProgress(0, 0, 9, 0, 1.0).rate != BatchProgress(0, 0, 9, 0, 1.0).rate  # nan


def test_a_client_without_a_profile_is_never_sent_to_solve(shipped, monkeypatch):
    """A client read with an error is its row at once; the solver is not called."""
    monkeypatch.setattr(SOLVE, "solve", lambda *a, **k: pytest.fail("solved"))
    result = plan_client(Client("x", "x.toml", error="x.toml: bad"), shipped)
    assert (result.row["status"], result.row["error"]) == ("bad profile", "x.toml: bad")


def test_load_settings_and_the_batch_agree_on_a_folder_profile(clients):
    """A folder client's profile is load_settings' for its file."""
    profile, options = load_settings(clients / "ben.toml")
    ben = read_clients(clients)[1]
    assert (ben.profile, ben.options) == (profile, options)


def test_db_gives_every_person_with_a_profile_planned_from_their_log(shipped, tmp_path):
    """--db: each person with a kept profile is a client in name order, planned as --adapt
    plans (a missed week repeated, from the first kept week not begun); a person whose log
    says stop is that client's screening row; a person without a profile is left out."""
    import datetime as dt

    from planner.adaptation import adapt
    from planner.batch import db_clients
    from planner.logbook import Logbook, LogEntry, catalog_hash

    start = dt.date(2026, 11, 23)
    profile, _ = load_settings(None, level="beginner", weeks=2, days=("mon", "wed", "fri"))
    plan = solve(shipped, profile.with_changes(start=start))
    db = tmp_path / "practice.db"
    with Logbook.open(db) as book:
        for name in ("ana", "ben"):
            book.save_profile(name, ANNA.replace("weeks = 1", "weeks = 2"))
            book.record_plan(name, plan, catalog_hash(shipped.source))
        book.add_entry("ben", LogEntry(start, "glute_bridge", pain_during=7))
        book.person("cleo")  # no profile kept
        schedule, entries = book.schedule("ana"), book.entries("ana")
    people = db_clients(db, shipped, today=dt.date(2026, 11, 30))
    assert [c.name for c in people] == ["ana", "ben"]
    ana, ben = people
    assert ana.profile.start == dt.date(2026, 11, 30)
    expected = adapt(shipped, ana.profile, schedule, entries, dt.date(2026, 11, 30))
    assert ana.history == expected.history and ana.history.next_week == 1  # week 1 missed
    assert (ben.profile, ben.status) == (None, "screening")
    assert ben.error.startswith("log: pain 7/10 during it (glute_bridge on 2026-11-23)")
    first, second = Batch(people, shipped, tmp_path / "plans").run(Sequential()).rows
    assert first["status"] in ("optimal", "feasible") and first["validator"] == "ok"
    assert second["status"] == "screening"


def test_db_and_clients_go_one_at_a_time(invoke, here):
    """CLIENTS and --db together, or neither: one line, exit 2."""
    for args in (["-o", "p"], ["x.csv", "--db", "x.db", "-o", "p"]):
        result = invoke("batch", *args)
        assert result.exit_code == 2
        assert result.output == (
            "Error: give CLIENTS (a folder of profiles or a CSV) or --db PATH, one of them\n"
        )
