"""Ctrl-C: while the command line loads, and outside the solver, it exits 130 saying nothing
was written; during a solve the command stops promptly with exit 130 and no file, the library
raises Interrupted holding the valid weeks so far, and solve() leaves the SIGINT handler as it
found it."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from importlib.metadata import entry_points

import pytest

from clean_exit import TRACEBACK, assert_clean_exit
from planner import Profile, solve


def test_ctrl_c_outside_the_solver_exits_130_saying_nothing_was_written(monkeypatch, invoke):
    """Ctrl-C while explain loads or computes (outside any solve) exits 130, no traceback."""

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("planner.cli.options.load_catalog", interrupted)
    result = invoke("explain", "--weeks", "1")
    assert_clean_exit(result, (130,))
    assert result.output == "\nInterrupted: nothing written.\n"


def loading(args: list[str], folder) -> subprocess.Popen:
    """``python -m planner ARGS`` started, returned once it is loading the command line:
    -X importtime reports each import as it ends, and click is imported only there."""
    proc = subprocess.Popen(
        [sys.executable, "-X", "importtime", "-m", "planner", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=folder,
    )
    for line in proc.stderr:
        if line.rsplit("|", 1)[-1].strip().startswith("click"):
            return proc
    proc.wait()
    raise AssertionError(f"ended before importing click: {proc.returncode}")


@pytest.mark.parametrize("delay", [0.0, 0.01, 0.03, 0.1])
def test_ctrl_c_while_the_command_line_loads_exits_130_in_one_line(tmp_path, delay):
    """SIGINT in the first tenths of a second, while imports run, exits 130 with one
    Interrupted line and no traceback (it printed a 34-line KeyboardInterrupt traceback)."""
    proc = loading(["plan", "--csv", "out.csv"], tmp_path)
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    lines = [line for line in err.splitlines() if line and not line.startswith("import time:")]
    assert proc.returncode == 130, err[-2000:]
    assert TRACEBACK not in err
    assert len(lines) == 1, lines
    assert lines[0].startswith("Interrupted: ") and lines[0].endswith("nothing written."), lines
    assert not (tmp_path / "out.csv").exists()


@pytest.fixture
def main():
    """planner.__main__.main, imported for one test only: `python -m` run in-process
    (runpy, in test_cli) warns when it finds that module already imported."""
    from planner.__main__ import main

    yield main
    sys.modules.pop("planner.__main__", None)


def fail_with(error: BaseException):
    def cli(**kwargs):
        raise error

    return cli


def import_error_during_ctrl_c() -> ImportError:
    """What a compiled module (numpy, pandas) raises when Ctrl-C stops it loading."""
    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise ImportError("numpy._core.multiarray failed to import") from None
    except ImportError as err:
        return err


@pytest.mark.parametrize(
    "error",
    [KeyboardInterrupt(), import_error_during_ctrl_c()],
    ids=["keyboard-interrupt", "import-error-from-it"],
)
def test_entry_point_ends_ctrl_c_while_loading_with_exit_130(main, monkeypatch, capsys, error):
    """The entry point turns Ctrl-C while loading, or an error a module raised during it,
    into one line and exit 130."""
    monkeypatch.setattr("planner.cli.cli", fail_with(error))
    with pytest.raises(SystemExit) as info:
        main()
    assert info.value.code == 130
    assert capsys.readouterr().err == "\nInterrupted: nothing written.\n"


def test_entry_point_lets_other_errors_through(main, monkeypatch):
    """An error Ctrl-C did not cause is not reported as an interruption."""
    monkeypatch.setattr("planner.cli.cli", fail_with(ImportError("no module named click")))
    with pytest.raises(ImportError, match="no module named click"):
        main()


def test_the_command_and_python_m_share_the_entry_point_which_imports_nothing():
    """`planner` and `python -m planner` both run planner.__main__.main, and importing that
    module loads neither click nor the command line."""
    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "planner"]
    assert script.value == "planner.__main__:main"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; import planner.__main__; "
            "print(*sorted(m for m in sys.modules if m.startswith(('planner', 'click'))))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == ["planner", "planner.__main__"]


def test_solve_leaves_the_sigint_handler_and_wakeup_fd_as_it_found_them(shipped):
    """After solve() SIGINT has Python's default handler again and no wakeup fd is set."""
    solve(shipped, Profile.for_level("beginner", days=("mon", "wed", "fri"), weeks=1))
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert signal.set_wakeup_fd(-1) == -1


# Runs ``python -m planner`` after wrapping solve_week to print "week N" as each week starts.
CTRL_C_CLI_SCRIPT = """
import importlib, runpy, sys
solve = importlib.import_module("planner.solve")
real = solve.solve_week
def announced(request, *rest, **options):
    print(f"week {request.context.week}", flush=True)
    return real(request, *rest, **options)
solve.solve_week = announced
sys.argv = ["planner", *sys.argv[1:]]
runpy.run_module("planner", run_name="__main__")
"""


def test_ctrl_c_stops_a_long_plan_with_exit_130_and_no_file(tmp_path, run_until):
    """SIGINT in week 2 of 12 exits 130 promptly with one Interrupted line and no file."""
    out = tmp_path / "out.csv"
    args = ["plan", "--level", "advanced", "--weeks", "12", "--time-limit", "120"]
    proc = run_until([sys.executable, "-c", CTRL_C_CLI_SCRIPT, *args, "--csv", str(out)], "week 2")
    time.sleep(0.1)
    sent = time.perf_counter()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    stopped = time.perf_counter() - sent
    assert proc.returncode == 130, err[-2000:]
    assert TRACEBACK not in err
    lines = err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Interrupted: Ctrl-C while planning week ")
    assert lines[0].endswith("; nothing written.")
    assert list(tmp_path.iterdir()) == []
    assert stopped < 5, stopped


CTRL_C_LIBRARY_SCRIPT = """
import importlib, json, os, signal
from planner import Plan, Profile, SolverOptions, check_plan, load_catalog
solve = importlib.import_module("planner.solve")
real = solve.solve_week
def interrupt_in_week_3(request, *rest, **options):
    if request.context.week == 3:  # the week's first search starts after the press is seen
        os.kill(os.getpid(), signal.SIGINT)
    return real(request, *rest, **options)
solve.solve_week = interrupt_in_week_3
catalog = load_catalog()
profile = Profile.for_level("advanced", weeks=12)
try:
    solve.solve(catalog, profile, options=SolverOptions(budget=48, time_limit=120))
    print(json.dumps({"finished": True}))
except solve.Interrupted as err:
    plan = err.plan
    weeks = sorted({e.week for e in plan.entries})
    violations = check_plan(Plan(profile.with_changes(weeks=len(weeks)), plan.entries))
    print(json.dumps({
        "keyboard_interrupt": isinstance(err, KeyboardInterrupt),
        "week": err.week,
        "weeks": weeks,
        "status": plan.status.value,
        "violations": [str(v) for v in violations],
        "default_handler": signal.getsignal(signal.SIGINT) is signal.default_int_handler,
        "message": str(err),
    }))
"""


def test_ctrl_c_in_the_library_raises_interrupted_with_the_weeks_so_far():
    """Ctrl-C in week 3 raises Interrupted holding the valid, unproven weeks 1-2 (or 1-3)."""
    done = subprocess.run(
        [sys.executable, "-c", CTRL_C_LIBRARY_SCRIPT], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.splitlines()[-1])
    assert report.get("finished") is None, "the solve ended before Ctrl-C"
    assert report["keyboard_interrupt"]
    assert report["week"] == 3
    assert report["weeks"] in ([1, 2], [1, 2, 3])
    assert report["status"] == "feasible"
    assert report["violations"] == []
    assert report["default_handler"]
    assert report["message"].startswith("Ctrl-C while planning week 3; weeks 1-")
