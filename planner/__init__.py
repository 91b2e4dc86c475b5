"""planner: exercise routines for tight hips and lower back, planned with CP-SAT.

>>> from planner import load_catalog, Profile, solve, check_plan
>>> plan = solve(load_catalog(), Profile.for_level("beginner", days=("mon", "wed", "fri")))
>>> check_plan(plan.to_frame(), load_catalog(), plan.profile)
[]
"""

from planner.catalog import Catalog, CatalogError, Exercise, load_catalog, parse_catalog
from planner.check import Violation, check_plan
from planner.export import EXPORTERS, ExportError
from planner.plan import Entry, Plan, PlanFileError, Status, read_plan
from planner.profile import DAYS, Profile, ProfileError
from planner.solve import NoPlan, SolverSettings, explain_infeasible, solve

__all__ = [
    "DAYS",
    "EXPORTERS",
    "Catalog",
    "CatalogError",
    "Entry",
    "Exercise",
    "ExportError",
    "NoPlan",
    "Plan",
    "PlanFileError",
    "Profile",
    "ProfileError",
    "SolverSettings",
    "Status",
    "Violation",
    "check_plan",
    "explain_infeasible",
    "load_catalog",
    "parse_catalog",
    "read_plan",
    "solve",
]
