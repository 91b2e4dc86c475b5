"""The terminal: the coloured plan tables, the progress hook and line, --quiet and --verbose.

Rich draws tables only on a terminal: CliRunner's streams are not one, so the CLI tests force
one with FORCE_COLOR (which rich honours, as it does NO_COLOR and TERM=dumb)."""

from __future__ import annotations

import importlib
import io
import math
import os
import re
import select
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner
from rich.console import Console

import planner.cli.progress as progress_module
from planner import Profile, load_catalog, solve
from planner.catalog import GROUPS, ROLES
from planner.cli import cli
from planner.export import csv_text
from planner.guidance import GROUP_WORDS
from planner.plan import week_line
from planner.solve import Interrupted, Progress, Status, WeekSolve
from planner.terminal import GROUP_STYLES, ROLE_STYLES, ProgressView, plan_view

PROGRAMME = ("--level", "beginner", "--days", "mon,wed,fri", "--weeks", "4", "--time-limit", "20")
SGR = re.compile(r"\x1b\[([0-9;]*)m")
# SGR parameters that set a colour: 30-37, 90-97 (foreground), 40-47, 100-107 (background)
# and 38/48 (256 and true colour).
COLOUR = re.compile(r"^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$")
# The escape codes rich uses for the standard colours in GROUP_STYLES.
ANSI = {"red": "31", "magenta": "35", "yellow": "33", "cyan": "36", "green": "32"}
ANSI |= {f"bright_{name}": str(int(code) + 60) for name, code in ANSI.items()}
ANSI |= {"blue": "34", "bright_blue": "94"}
PLAIN = dict.fromkeys(("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS"))


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch):
    """No colour settings from the environment the tests run in."""
    for name in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def programme():
    """A beginner mon/wed/fri programme of 4 weeks (the 4th a deload), with every call its
    progress hook got."""
    calls: list[Progress] = []
    plan = solve(load_catalog(), _profile(), progress=calls.append)
    return plan, calls


def _profile() -> Profile:
    return Profile.for_level("beginner", days=("mon", "wed", "fri"), weeks=4)


def invoke(*args: str, **env: str):
    """Run the CLI with ``env`` on top of an environment without colour settings."""
    return CliRunner().invoke(cli, list(args), env={**PLAIN, **env})


def drawn(renderable, width: int = 200, **console) -> str:
    """What a forced terminal of ``width`` columns shows for ``renderable``, escape codes
    included."""
    out = io.StringIO()
    options = {"force_terminal": True, "color_system": "standard", **console}
    Console(file=out, width=width, **options).print(renderable)
    return out.getvalue()


def colours(text: str) -> list[str]:
    """Every SGR parameter in ``text`` that sets a colour."""
    return [p for codes in SGR.findall(text) for p in codes.split(";") if COLOUR.match(p)]


# --- the plan tables ------------------------------------------------------------------------


def test_every_group_and_role_has_a_colour():
    """Each muscle group and role of the catalogue schema has its own style."""
    assert set(GROUP_STYLES) == set(GROUPS)
    assert set(ROLE_STYLES) == set(ROLES)
    assert len(set(GROUP_STYLES.values())) == len(GROUPS)
    assert len(set(ROLE_STYLES.values())) == len(ROLES)


def test_view_shows_every_exercise_dose_and_week_summary(programme):
    """The tables hold every session's heading with its aim, every exercise with its dose and
    effort, each week's summary line in plain words, and the pain rule once at the end."""
    plan, _ = programme
    text = SGR.sub("", drawn(plan_view(plan, 200)))
    assert text.startswith(plan.headline())
    for session in plan.sessions:
        assert session.heading() in text
    for line in plan.render().splitlines():
        if line.startswith("  "):  # an exercise: name, role, dose, effort as plain text says
            assert " ".join(line.split()[1:]) in " ".join(text.split())
    for figures in plan.week_figures():
        assert week_line(figures) in text
    assert "Week 4 · an easier week to recover · training load" in text
    assert text.count("If something hurts:") == 1
    assert " AU" not in text and "acute:chronic" not in text
    assert any(f.phase == "deload" for f in plan.week_figures())


def test_verbose_view_shows_the_engineering_figures(programme):
    """With verbose the headings carry the loads in AU and each week its ramp and
    acute:chronic ratio, the deload's phase in capitals."""
    plan, _ = programme
    text = SGR.sub("", drawn(plan_view(plan, 200, verbose=True)))
    assert text.startswith(plan.headline(verbose=True))
    for session in plan.sessions:
        assert session.heading(verbose=True) in text
    for figures in plan.week_figures():
        assert str(figures).replace(" deload ", " DELOAD ") in text


def test_view_fits_80_columns_with_the_same_columns_in_every_table(programme):
    """At 80 columns no line is wider, names wrap between words, and every session's header
    row is the same."""
    plan, _ = programme
    text = SGR.sub("", drawn(plan_view(plan, 80), width=80))
    lines = text.splitlines()
    assert max(map(len, lines)) <= 80
    headers = {line.rstrip() for line in lines if line.lstrip().startswith("#  exercise")}
    assert len(headers) == 1
    words = " ".join(text.split())
    for e in plan.entries:
        assert all(w in words.split() for w in e.exercise.name.split())


def test_each_group_has_one_colour_everywhere(programme):
    """Forced to a colour terminal, every group name in the tables is drawn in its own colour
    each time: in plain words, and with verbose as the catalogue names it."""
    plan, _ = programme
    for verbose in (False, True):
        rows = [
            line
            for line in drawn(plan_view(plan, 200, verbose=verbose)).splitlines()
            if re.match(r"\s*\d+\s", SGR.sub("", line))
        ]
        text = "\n".join(rows)
        for group, style in GROUP_STYLES.items():
            name = group if verbose else GROUP_WORDS[group]
            shown = SGR.sub("", text).count(name)
            assert text.count(f"\x1b[{ANSI[style]}m{name}\x1b[0m") == shown, name
        assert ("hip_flexors" if verbose else "front of the hips") in text


def test_no_color_leaves_the_colour_out(programme, monkeypatch):
    """Under NO_COLOR the same tables come without a colour code."""
    plan, _ = programme
    monkeypatch.setenv("NO_COLOR", "1")
    text = drawn(plan_view(plan, 200))
    assert colours(text) == []
    assert "front of the hips" in text
    assert colours(drawn(plan_view(plan, 200), no_color=False))  # the environment decides


# --- the CLI on a terminal and off one ------------------------------------------------------


def test_plan_off_a_terminal_prints_plain_render(programme):
    """Through a pipe (CliRunner) stdout is exactly Plan.render() and the closing lines."""
    plan, _ = programme
    result = invoke("plan", *PROGRAMME)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(plan.render() + "\n\nSolver: ")
    assert "\x1b[" not in result.output


def test_plan_with_force_color_draws_coloured_tables(programme):
    """FORCE_COLOR makes stdout a terminal for rich: coloured tables, the same closing lines."""
    plan, _ = programme
    result = invoke("plan", *PROGRAMME, FORCE_COLOR="1", TERM="xterm", COLUMNS="100")
    assert result.exit_code == 0, result.output
    assert colours(result.stdout)
    assert "\x1b[31mfront of the hips\x1b[0m" in result.stdout
    text = SGR.sub("", result.stdout)
    assert "an easier week to recover" in text
    assert " AU" not in text
    assert text.splitlines()[-1].startswith("Not medical advice.")
    assert max(len(line) for line in text.splitlines()[:-1]) <= 100


def test_plan_verbose_on_a_terminal_draws_the_engineering_figures():
    """--verbose on a terminal: the groups as the catalogue names them, loads in AU, DELOAD."""
    result = invoke("plan", *PROGRAMME, "--verbose", FORCE_COLOR="1", TERM="xterm")
    assert result.exit_code == 0, result.output
    assert "\x1b[31mhip_flexors\x1b[0m" in result.stdout
    text = SGR.sub("", result.stdout)
    assert "DELOAD" in text and " AU" in text and "acute:chronic" in text


def test_plan_with_no_color_has_tables_but_no_colour():
    """NO_COLOR keeps the tables on a terminal and leaves every colour code out."""
    result = invoke("plan", *PROGRAMME, FORCE_COLOR="1", NO_COLOR="1", TERM="xterm")
    assert result.exit_code == 0, result.output
    assert "#  exercise" in SGR.sub("", result.stdout)
    assert colours(result.output) == []


def test_plan_off_a_terminal_does_not_import_rich():
    """Piped, planner plan never imports rich: its start-up stays as it was."""
    code = (
        "import sys; from planner.cli import cli\n"
        "try:\n    cli(['plan', '--weeks', '1', '--quiet'])\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'rich'))"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stderr


# --- the progress hook ----------------------------------------------------------------------


def test_progress_hook_sees_each_week_start_then_end_in_order(programme):
    """The hook hears of weeks 1..4 in order: each starts, may improve, then ends once with
    its figures; the objective and seconds never go backwards within a week."""
    plan, calls = programme
    weeks = [c.week for c in calls]
    assert weeks == sorted(weeks)
    assert [c.week for c in calls if c.event == "end"] == [1, 2, 3, 4]
    for week in range(1, 5):
        events = [c.event for c in calls if c.week == week]
        assert events[0] == "start" and events[-1] == "end"
        assert set(events[1:-1]) <= {"solution"}
    assert all(c.last_week == 4 for c in calls)
    assert math.isnan(calls[0].objective)
    seconds = [c.seconds for c in calls]
    assert seconds == sorted(seconds)
    assert calls[-1].objective == plan.objective


def test_progress_end_carries_the_weeks_solver_figures(programme):
    """Each final call holds a WeekSolve: status, objective, bound, times, model size."""
    _, calls = programme
    for c in (c for c in calls if c.event == "end"):
        done = c.done
        assert isinstance(done, WeekSolve) and done.week == c.week
        assert done.status in (Status.OPTIMAL, Status.FEASIBLE)
        assert done.variables > 0 and done.constraints > 0
        assert done.deterministic_seconds >= 0 and done.seconds > 0
        assert done.bound <= done.objective + 1e-9
    assert all(c.done is None for c in calls if c.event != "end")


def test_progress_hook_does_not_change_the_plan(programme):
    """The CSV with and without the hook is byte for byte the same."""
    plan, _ = programme
    assert csv_text(solve(load_catalog(), _profile())) == csv_text(plan)


def test_progress_line_reads_like_a_sentence():
    """'Planning week 3 of 12 · best objective 12 · 2.1 s'; no objective before the first;
    'again' when planning again with time left over."""
    now = [100.0]
    view = ProgressView(clock=lambda: now[0])
    now[0] = 102.1
    assert view.line() == "Planning · 2.1 s"
    view.update(Progress("start", 1, 12, math.nan, 0.0))
    assert view.line() == "Planning week 1 of 12 · 2.1 s"
    view.update(Progress("solution", 3, 12, 12.0, 2.0))
    assert view.line() == "Planning week 3 of 12 · best objective 12 · 2.1 s"
    stuck = WeekSolve(3, Status.INFEASIBLE, math.nan, math.nan, 0.1, 0.2, 10, 20)
    view.update(Progress("end", 3, 12, 12.0, 2.0, stuck))
    assert view.line() == "Week 3 has no plan: finding the rules that clash · 2.1 s"
    view.update(Progress("solution", 2, 12, 9.0, 2.0, None, again=True))
    assert view.line() == "Planning week 2 of 12 again · best objective 9 · 2.1 s"


def test_progress_line_shows_on_a_terminal_and_is_cleared(monkeypatch):
    """On a terminal stderr a solve past PROGRESS_AFTER shows the line, and takes it away
    (the cursor back) before the reminder is printed."""
    monkeypatch.setattr(progress_module, "PROGRESS_AFTER", 0.0)
    result = invoke("plan", *PROGRAMME, "--csv", "-", FORCE_COLOR="1", TERM="xterm")
    assert result.exit_code == 0, result.output
    assert "Planning week " in result.stderr
    shown, _, after = result.stderr.rpartition("\x1b[?25h")  # the cursor shown again
    assert shown and "Planning week" not in after
    assert after.rstrip().endswith("planner screen --profile FILE once.")


def test_fast_plan_shows_no_progress_line():
    """A plan done within PROGRESS_AFTER prints no progress line, even on a terminal."""
    args = ("plan", "--weeks", "1", "--days", "mon,wed,fri", "--csv", "-")
    result = invoke(*args, FORCE_COLOR="1", TERM="xterm")
    assert result.exit_code == 0, result.output
    assert "Planning" not in result.stderr and "\x1b[?25l" not in result.stderr


def test_ctrl_c_under_the_progress_line_clears_it_and_exits_130(monkeypatch):
    """Interrupted while the line shows: the line goes, then one Interrupted line, exit 130."""
    monkeypatch.setattr(progress_module, "PROGRESS_AFTER", 0.0)

    def interrupted_solve(catalog, profile, history, progress, options):
        progress(Progress("start", 1, 4, math.nan, 0.0))
        time.sleep(0.5)
        raise Interrupted(None, 1)

    monkeypatch.setattr(importlib.import_module("planner.solve"), "solve", interrupted_solve)
    result = invoke("plan", *PROGRAMME, FORCE_COLOR="1", TERM="xterm")
    assert result.exit_code == 130
    assert "Planning week 1 of 4" in result.stderr
    _, _, after = result.stderr.rpartition("\x1b[?25h")
    assert after.lstrip("\r\n").replace("\x1b[1A\x1b[2K", "") == (
        "Interrupted: Ctrl-C while planning week 1; no week was planned; nothing written.\n"
    )


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_ctrl_c_on_a_real_terminal_stops_the_line_and_exits_130(tmp_path):
    """In a pseudo-terminal, SIGINT while the progress line runs exits 130, the cursor shown
    again and the Interrupted line last, nothing written."""
    out = tmp_path / "out.csv"
    args = ["plan", "--level", "advanced", "--weeks", "12", "--time-limit", "120"]
    main, child = os.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "planner", *args, "--csv", str(out)],
        stdin=child,
        stdout=child,
        stderr=child,
        env={**os.environ, "TERM": "xterm"},
    )
    os.close(child)
    seen, deadline = b"", time.monotonic() + 120
    try:
        while b"Planning week" not in seen and time.monotonic() < deadline:
            if select.select([main], [], [], 0.5)[0]:
                seen += os.read(main, 65536)
        assert b"Planning week" in seen, seen[-2000:]
        proc.send_signal(signal.SIGINT)
        while time.monotonic() < deadline:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            seen += chunk
        assert proc.wait(timeout=60) == 130
    finally:
        proc.kill()
        os.close(main)
    text = seen.decode(errors="replace")
    _, _, after = text.rpartition("\x1b[?25h")
    assert "Interrupted: Ctrl-C while planning week " in after
    assert "Traceback" not in text
    assert not out.exists()


# --- --quiet and --verbose ------------------------------------------------------------------


def test_verbose_prints_a_line_a_week_with_the_solver_figures():
    """--verbose prints one line a week on stderr, in order, with status, objective, bound,
    deterministic and wall seconds, variables and constraints; stdout is unchanged."""
    result = invoke("plan", *PROGRAMME, "--verbose", "--csv", "-")
    assert result.exit_code == 0, result.output
    pattern = re.compile(
        r"Solver, week (\d+): (optimal|feasible), objective [0-9.e+-]+ \(bound [0-9.e+-]+\), "
        r"\d+\.\d\d deterministic s, \d+\.\d\d s, \d+ variables, \d+ constraints\.$"
    )
    lines = [line for line in result.stderr.splitlines() if line.startswith("Solver, ")]
    assert [int(pattern.match(line).group(1)) for line in lines] == [1, 2, 3, 4]
    assert result.stdout == csv_text(solve(load_catalog(), _profile()))


@pytest.mark.parametrize("command", ["plan", "explain", "report"])
def test_verbose_works_wherever_a_plan_is_solved(command, tmp_path):
    """plan, explain and report (solving first) take -v and print the weeks' lines."""
    extra = ("--html", str(tmp_path / "r.html")) if command == "report" else ()
    result = invoke(command, "--weeks", "1", "--days", "mon,wed,fri", "-v", *extra)
    assert result.exit_code == 0, result.output
    assert result.stderr.count("Solver, week 1: ") == 1


@pytest.mark.parametrize("command", ["plan", "explain", "report"])
def test_quiet_and_verbose_together_is_one_line_exit_2(command):
    """--quiet with --verbose exits 2 with one line naming both."""
    result = invoke(command, "--quiet", "--verbose")
    assert result.exit_code == 2
    assert result.output == (
        "Error: --quiet and --verbose cannot be used together; give one of them\n"
    )


def test_quiet_report_and_explain_print_nothing(tmp_path):
    """--quiet on report and explain (which solve first) prints nothing; the files are
    written."""
    page = tmp_path / "r.html"
    result = invoke("report", "--weeks", "1", "--days", "mon,wed,fri", "-q", "--html", str(page))
    assert (result.exit_code, result.output) == (0, "")
    assert page.read_text("utf-8").startswith("<!DOCTYPE html>")
    tables = tmp_path / "tables"
    result = invoke("explain", "--weeks", "1", "--days", "mon,wed,fri", "-q", "--csv", str(tables))
    assert (result.exit_code, result.output) == (0, "")
    assert sorted(p.name for p in tables.iterdir()) == [
        "patterns.csv",
        "sessions.csv",
        "sets.csv",
        "weeks.csv",
    ]
