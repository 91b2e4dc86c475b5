"""planner: exercise routines for tight hips and lower back, planned with CP-SAT.

>>> from planner import load_catalog, Profile, solve, check_plan
>>> plan = solve(load_catalog(), Profile.for_level("beginner", days=("mon", "wed", "fri")))
>>> check_plan(plan)
[]

The names below load their module on first use (PEP 562), so ``import planner`` stays cheap
and the solver (OR-Tools) loads only when a plan is solved.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING

# Each public name and the module that holds it.
_HOMES = {
    "Catalog": "catalog",
    "CatalogError": "catalog",
    "Exercise": "catalog",
    "load_catalog": "catalog",
    "parse_catalog": "catalog",
    "Violation": "rules",
    "check_plan": "check",
    "history_after": "check",
    "Explanation": "explain",
    "explain": "explain",
    "EXPORTS": "export",
    "ExportError": "export",
    "ImportResult": "importer",
    "import_free_exercise_db": "importer",
    "write_catalog": "importer",
    "LogEntry": "logbook",
    "Logbook": "logbook",
    "LogbookError": "logbook",
    "Planned": "logbook",
    "OutputError": "output",
    "Entry": "plan",
    "Plan": "plan",
    "PlanFileError": "plan",
    "Session": "plan",
    "Status": "plan",
    "read_plan": "plan",
    "DAYS": "profile",
    "Profile": "profile",
    "ProfileError": "profile",
    "SolverOptions": "profile",
    "ProfileFileError": "profile_file",
    "dump_profile": "profile_file",
    "load_profile": "profile_file",
    "History": "ramp",
    "Change": "revision",
    "Revision": "revision",
    "RevisionError": "revision",
    "move": "revision",
    "swap": "revision",
    "Report": "report",
    "build_report": "report",
    "Screening": "screening",
    "Verdict": "screening",
    "screen_verdict": "screening",
    "Interrupted": "solve",
    "NoPlan": "solve",
    "Progress": "solve",
    "solve": "solve",
    "SolverSettings": "search",
    "TimeBudget": "search",
    "explain_infeasible": "conflict",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'planner' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"planner.{home}"), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))


class _Package(types.ModuleType):
    """``planner`` itself. ``solve`` and ``explain`` are both functions and the modules that
    hold them; importing such a module binds it on its package, which would hide the
    function: the function is bound instead (``importlib.import_module("planner.solve")``
    gives the module)."""

    def __setattr__(self, name: str, value) -> None:
        if _HOMES.get(name) == name and isinstance(value, types.ModuleType):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


if TYPE_CHECKING:  # for type checkers and editors: the names as plain imports
    from planner.catalog import Catalog, CatalogError, Exercise, load_catalog, parse_catalog
    from planner.check import check_plan, history_after
    from planner.conflict import explain_infeasible
    from planner.explain import Explanation, explain
    from planner.export import EXPORTS, ExportError
    from planner.importer import ImportResult, import_free_exercise_db, write_catalog
    from planner.logbook import Logbook, LogbookError, LogEntry, Planned
    from planner.output import OutputError
    from planner.plan import Entry, Plan, PlanFileError, Session, Status, read_plan
    from planner.profile import DAYS, Profile, ProfileError, SolverOptions
    from planner.profile_file import ProfileFileError, dump_profile, load_profile
    from planner.ramp import History
    from planner.report import Report, build_report
    from planner.revision import Change, Revision, RevisionError, move, swap
    from planner.rules import Violation
    from planner.screening import Screening, Verdict, screen_verdict
    from planner.search import SolverSettings, TimeBudget
    from planner.solve import Interrupted, NoPlan, Progress, solve
