"""Shared fixtures: the shipped catalogue, a tiny in-memory catalogue with its profile, and the
command line run in-process (with a fresh working directory) or as a process.

The tiny catalogue has one exercise for each job the rules care about, so each test can remove
or change exactly the exercise its rule depends on and a solve takes a fraction of a second.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from ortools.sat.python import cp_model

from planner import Catalog, Exercise, Profile, load_catalog
from planner.cli import cli
from planner.model import build_week
from planner.plan import Plan
from planner.ramp import LONE_WEEK, WeekContext
from planner.rules import guarded
from planner.search import week_entries


def make_exercise(id: str, role: str, groups: tuple[str, ...], **fields) -> Exercise:
    """An Exercise with plain defaults for its role: 2 x 30 s holds for stretches and releases,
    10 reps for strength and mobility."""
    holds = role in ("stretch", "release")
    base = dict(
        name=id.replace("_", " ").capitalize(),
        level="beginner",
        equipment=("none",),
        per_side=False,
        dose="hold" if holds else "reps",
        sets=2 if role in ("stretch", "strength") else 1,
        reps=1 if holds else 10,
        hold_s=30 if holds else 0,
        rpe=4 if role == "strength" else 2,
    )
    base.update(fields)
    return Exercise(id=id, role=role, groups=tuple(groups), **base)


TINY_EXERCISES = (
    # Two primary hip-flexor stretches, each needing a different piece of equipment, so that
    # an equipment choice can take both away.
    make_exercise(
        "kneeling_hip_flexor_stretch", "stretch", ("hip_flexors", "quadriceps"), equipment=("mat",)
    ),
    make_exercise(
        "standing_hip_flexor_stretch", "stretch", ("hip_flexors",), equipment=("wall_or_chair",)
    ),
    make_exercise("figure_four_stretch", "stretch", ("glutes",)),
    make_exercise(
        "ball_release_glutes",
        "release",
        ("glutes",),
        equipment=("massage_ball",),
        sets=1,
        hold_s=60,
        rpe=3,
    ),
    make_exercise("cat_camel", "mobility", ("lower_back", "core")),
    make_exercise("glute_bridge", "strength", ("glutes",), reps=12, pattern="bridge_thrust"),
    make_exercise("hamstring_curl", "strength", ("hamstrings",), pattern="hamstring_curl"),
    make_exercise("dead_bug", "strength", ("core",)),
    make_exercise("curl_up", "strength", ("core",), dose="hold", reps=5, hold_s=10),
    make_exercise("bird_dog", "strength", ("lower_back", "core")),
    make_exercise("supine_march", "strength", ("hip_flexors", "core"), rpe=3),
    make_exercise(
        "full_sit_up", "strength", ("hip_flexors", "core"), hip_flexor_dominant=True, rpe=5
    ),
    make_exercise(
        "side_plank",
        "strength",
        ("obliques", "core"),
        level="intermediate",
        dose="hold",
        reps=3,
        hold_s=15,
        rpe=6,
    ),
    make_exercise(
        "band_clamshell",
        "strength",
        ("glutes", "abductors"),
        equipment=("band",),
        per_side=True,
        reps=12,
    ),
)
TINY_IDS = tuple(e.id for e in TINY_EXERCISES)

# A beginner week on the tiny catalogue: short sessions that the tiny catalogue can fill.
TINY_PROFILE = dict(days=("mon", "wed", "fri"), sessions=3, minutes=15, weeks=1)


def build_tiny_catalog(
    drop: Iterable[str] = (),
    extra: Iterable[Exercise] = (),
    strength: Iterable[Exercise] | None = None,
    **changes: dict,
) -> Catalog:
    """The tiny catalogue without the ids in ``drop``, with ``extra`` appended, and each
    ``id=dict(field=value)`` in ``changes`` applied to that exercise. ``strength``, when given,
    replaces every strength exercise."""
    drop = set(drop)
    unknown = (drop | set(changes)) - set(TINY_IDS)
    if unknown:
        raise KeyError(f"not in the tiny catalogue: {sorted(unknown)}")
    if strength is not None:
        drop |= {e.id for e in TINY_EXERCISES if e.role == "strength"}
        extra = (*strength, *extra)
    exercises = [replace(e, **changes.get(e.id, {})) for e in TINY_EXERCISES if e.id not in drop]
    return Catalog((*exercises, *extra), source="<tiny>")


def build_tiny_profile(level: str = "beginner", **overrides) -> Profile:
    return Profile.for_level(level, **{**TINY_PROFILE, **overrides})


def feasible_with(
    catalog: Catalog,
    profile: Profile,
    families: Iterable[str],
    context: WeekContext = LONE_WEEK,
) -> bool:
    """Whether the guarded week model is feasible with only ``families`` of the guarded rule
    families switched on (the unguarded ones hold by construction); ``context`` places the
    week in a programme (its ramp band and acute:chronic cap)."""
    return _solve_rules(catalog, profile, families, context)[2] != cp_model.INFEASIBLE


def rules_week_plan(catalog: Catalog, profile: Profile, context: WeekContext = LONE_WEEK) -> Plan:
    """A week keeping every rule, found by the rules alone (no objective), as a Plan: for
    weeks whose best plan the optimiser cannot prove within seconds (six sessions)."""
    wm, solver, status = _solve_rules(catalog, profile, guarded(), context)
    assert status != cp_model.INFEASIBLE, "no week keeps every rule"
    return Plan(profile, week_entries(wm, solver))


def _solve_rules(catalog, profile, families, context):
    """The guarded week model with only ``families`` switched on, solved: (model, solver,
    status); never UNKNOWN (the tiny instances answer in well under the 10 s)."""
    families = set(families)
    allowed = frozenset(e.id for e in profile.allowed(catalog))
    wm = build_week(profile, tuple(catalog), allowed, context, guarded=True, objective=False)
    for name in guarded():
        wm.model.add(wm.guards[name] == (1 if name in families else 0))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10.0
    status = solver.solve(wm.model)
    assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.INFEASIBLE), status
    return wm, solver, status


def invoke_cli(*args: str, input: str | None = None) -> Result:
    """``planner ARGS`` run in-process by click's CliRunner, with ``input`` on stdin."""
    return CliRunner().invoke(cli, list(args), input=input)


def run_until_line(args: list[str], marker: str) -> subprocess.Popen:
    """Start ``args`` and return once it prints a line starting with ``marker``."""
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(120, proc.kill)
    watchdog.start()
    try:
        while True:
            line = proc.stdout.readline()
            if not line:
                out, err = proc.communicate()
                raise AssertionError(f"ended before {marker!r}: {proc.returncode}\n{err[-2000:]}")
            if line.startswith(marker):
                return proc
    finally:
        watchdog.cancel()


@pytest.fixture(scope="session")
def shipped() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def catalog(shipped) -> Catalog:
    """The catalogue a module's tests plan on: the shipped one, unless the module defines its
    own ``catalog`` fixture (test_export: the tiny one with cues)."""
    return shipped


@pytest.fixture
def here(tmp_path, monkeypatch) -> Path:
    """A fresh working directory, so messages name files as the person typed them."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """A scratch folder for a module's hypothesis examples, which cannot take the
    function-scoped ``tmp_path``."""
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="session")
def invoke() -> Callable[..., Result]:
    """Call it: ``invoke("plan", "--weeks", "1")`` or ``invoke("screen", ..., input="n\n")``."""
    return invoke_cli


@pytest.fixture(scope="session")
def run_until() -> Callable[..., subprocess.Popen]:
    """Call it: ``run_until([sys.executable, "-c", SCRIPT], "week 2")``: the process, once it
    has printed a line starting with the marker (killed after 120 s without it)."""
    return run_until_line


@pytest.fixture(scope="session")
def tiny_catalog() -> Callable[..., Catalog]:
    """Call it: ``tiny_catalog(drop=[...], extra=[...], strength=[...], glute_bridge={...})``."""
    return build_tiny_catalog


@pytest.fixture(scope="session")
def tiny_profile() -> Callable[..., Profile]:
    """Call it: ``tiny_profile(sessions=2, days=("mon", "thu"))`` (beginner by default)."""
    return build_tiny_profile


@pytest.fixture(scope="session")
def exercise() -> Callable[..., Exercise]:
    """Call it: ``exercise("superman", "strength", ("lower_back", "glutes"))``."""
    return make_exercise


@pytest.fixture(scope="session")
def feasible() -> Callable[..., bool]:
    """Call it: ``feasible(catalog, profile, families)`` on the guarded model, or
    ``feasible(catalog, profile, families, context)`` for a week of a programme."""
    return feasible_with


@pytest.fixture(scope="session")
def rules_week() -> Callable[..., Plan]:
    """Call it: ``rules_week(catalog, profile)``: a week keeping every rule, as a Plan."""
    return rules_week_plan
