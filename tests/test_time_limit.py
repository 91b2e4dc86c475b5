"""The time limit holds: the command and the library end within it (plus start-up and slack),
an infeasible request is explained within a short one, and a programme the deadline cuts short
comes back as the valid weeks planned, with a warning saying how to carry on."""

from __future__ import annotations

import contextlib
import csv
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from clean_exit import TRACEBACK, assert_clean_exit, one_line
from planner import NoPlan, Profile, SolverOptions, Status, check_plan, solve
from planner.catalog import LEVELS
from planner.cli import cli
from planner.export import csv_text


def _timed(*args: str) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "planner", *args], capture_output=True, text=True, timeout=300
    )
    return time.perf_counter() - started, done


@pytest.fixture(scope="module")
def start_up() -> float:
    """Seconds `python -m planner --version` takes: the start-up the time limit leaves out."""
    return min(_timed("--version")[0] for _ in range(2))


@pytest.mark.parametrize("level", LEVELS)
def test_twelve_weeks_end_within_the_time_limit(start_up, level):
    """`plan --weeks 12 --time-limit 2` ends within 2 s plus start-up plus 1 s slack, with a
    plan (exit 0) or cut short by the time limit (exit 5, the weeks planned written)."""
    seconds, done = _timed("plan", "--level", level, "--weeks", "12", "--time-limit", "2", "-q")
    assert done.returncode in (0, 5), done.stderr
    assert TRACEBACK not in done.stderr
    assert seconds <= 2 + start_up + 1, (seconds, start_up)


def _slow_after_week(monkeypatch, weeks_in_time: int, seconds: float) -> None:
    """Make building any week after ``weeks_in_time`` take ``seconds``, past the deadline."""
    import importlib

    module = importlib.import_module("planner.search")
    build = module.build_week

    def slow(profile, exercises, allowed, context, **kwargs):
        if context.week > weeks_in_time:
            time.sleep(seconds)
        return build(profile, exercises, allowed, context, **kwargs)

    monkeypatch.setattr(module, "build_week", slow)


def test_time_limit_mid_programme_returns_the_weeks_planned(monkeypatch, shipped):
    """A programme the deadline cuts short comes back as the weeks planned so far: a shorter,
    valid programme (of 1 week here, still a programme, not a lone week), not proven best."""
    _slow_after_week(monkeypatch, 1, 3.0)
    profile = Profile.for_level("beginner", weeks=4)
    plan = solve(shipped, profile, options=SolverOptions(time_limit=3.0))
    assert plan.profile == profile.with_changes(weeks=1, programme=True)
    assert {e.week for e in plan.entries} == {1}
    assert plan.status is Status.FEASIBLE
    assert check_plan(plan) == []


def test_plan_cut_short_warns_and_writes_the_weeks_planned(monkeypatch, tmp_path):
    """planner plan warns on stderr how far it got and how to carry on, and writes those
    weeks (every rule holds in what was written); exit 5, the search ran out."""
    _slow_after_week(monkeypatch, 2, 3.0)
    path = tmp_path / "plan.csv"
    result = CliRunner().invoke(
        cli, ["plan", "--weeks", "4", "--time-limit", "3", "--quiet", "--csv", str(path)]
    )
    assert_clean_exit(result, (5,))
    assert result.stderr == (
        "Time limit reached: weeks 1-2 of 1-4 planned (valid, not proven best). Raise "
        "--time-limit, or carry on with --after PLAN.csv --weeks 2 --programme.\n"
    )
    assert {row["week"] for row in csv.DictReader(path.open(encoding="utf-8"))} == {"1", "2"}


def test_infeasible_request_is_explained_within_a_short_time_limit(start_up, shipped):
    """An infeasible request at --time-limit 0.5 names the clash, in time plus 1 s slack."""
    stretches = [
        e.id
        for e in shipped
        if e.stretches_hip_flexors and e.level == "beginner" and e.equipment == ("none",)
    ]
    seconds, done = _timed(
        *("plan", "--equipment", "none", "--exclude", ",".join(stretches)),
        *("--weeks", "12", "--time-limit", "0.5"),
    )
    assert done.returncode == 3, done.stderr
    assert "[hip_flexor_stretch]" in done.stderr
    assert one_line(done.stderr.rstrip("\n"))
    assert seconds <= 0.5 + start_up + 1, (seconds, start_up)


def test_solve_in_process_keeps_to_its_time_limit(shipped):
    """solve() with a 1 s limit for 12 weeks returns or raises NoPlan within 1.5 s."""
    profile = Profile.for_level("intermediate", weeks=12)
    started = time.perf_counter()
    with contextlib.suppress(NoPlan):
        solve(shipped, profile, options=SolverOptions(budget=48.0, time_limit=1.0))
    assert time.perf_counter() - started <= 1.5


def test_the_same_budget_gives_the_same_plan_on_a_busy_machine(shipped):
    """The budget is deterministic time: a plan solved while another process keeps a core
    busy is byte for byte the plan solved on an idle machine (the wall clock, a safety net,
    is not reached)."""
    profile = Profile.for_level("intermediate", weeks=4)
    options = SolverOptions(budget=2.0)
    idle = solve(shipped, profile, options=options)
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        busy = solve(shipped, profile, options=options)
    finally:
        burner.kill()
        burner.wait()
    assert not idle.cut_short and not busy.cut_short
    assert csv_text(busy) == csv_text(idle)


def test_no_plan_before_the_time_limit_exits_5(monkeypatch):
    """When the time limit stops the search before any week is found, plan exits 5 (not 3, no
    plan fits; not 0) with one line saying to raise --time-limit, and writes nothing."""
    _slow_after_week(monkeypatch, 0, 1.0)
    result = CliRunner().invoke(cli, ["plan", "--weeks", "2", "--time-limit", "0.5", "--quiet"])
    assert_clean_exit(result, (5,))
    assert result.stderr == (
        "Error: week 1: no plan found within the time limit of 0.5 s; raise --time-limit\n"
    )
