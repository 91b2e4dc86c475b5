"""planner: exercise routines for tight hips and lower back, planned with CP-SAT.

>>> from planner import load_catalog, Profile, solve, check_plan
>>> plan = solve(load_catalog(), Profile.for_level("beginner", days=("mon", "wed", "fri")))
>>> check_plan(plan.to_frame(), load_catalog(), plan.profile)
[]
"""

from planner.catalog import Catalog, CatalogError, Exercise, load_catalog, parse_catalog
from planner.check import Violation, check_plan, history_after
from planner.explain import Explanation, explain
from planner.export import EXPORTERS, ExportError
from planner.importer import ImportResult, import_free_exercise_db, write_catalog
from planner.plan import Entry, Plan, PlanFileError, Status, read_plan
from planner.profile import DAYS, Profile, ProfileError
from planner.profile_file import ProfileFileError, dump_profile, load_profile
from planner.ramp import History
from planner.report import Report, build_report
from planner.screening import Screening, Verdict, screen_verdict
from planner.solve import (
    Interrupted,
    NoPlan,
    Progress,
    SolverSettings,
    explain_infeasible,
    solve,
)

__all__ = [
    "DAYS",
    "EXPORTERS",
    "Catalog",
    "CatalogError",
    "Entry",
    "Exercise",
    "Explanation",
    "ExportError",
    "History",
    "ImportResult",
    "Interrupted",
    "NoPlan",
    "Plan",
    "PlanFileError",
    "Profile",
    "ProfileError",
    "ProfileFileError",
    "Progress",
    "Report",
    "Screening",
    "SolverSettings",
    "Status",
    "Verdict",
    "Violation",
    "build_report",
    "check_plan",
    "dump_profile",
    "explain",
    "explain_infeasible",
    "history_after",
    "import_free_exercise_db",
    "load_catalog",
    "load_profile",
    "parse_catalog",
    "read_plan",
    "screen_verdict",
    "solve",
    "write_catalog",
]
