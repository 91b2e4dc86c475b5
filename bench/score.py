"""Score any week with the product's own objective and rules: fix the decisions of the
product's week model (``planner.model.build_week``) and let CP-SAT evaluate it.

INFEASIBLE means the week breaks a hard rule; otherwise the objective is exactly what the
planner would report for that week. Used for the greedy and MIP baselines.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner import Catalog, Entry, Violation, check_plan
from planner.model import WeekModel
from planner.plan import Plan, sequence
from planner.ramp import History

# (exercise id, day index) -> sets; a pair that is missing or 0 is not in the week.
Assignment = dict[tuple[str, int], int]


def fixed_model(wm: WeekModel, assignment: Assignment) -> cp_model.CpModel | None:
    """A copy of ``wm.model`` with every x and n fixed to ``assignment``; None when the
    assignment uses an exercise or day the model has no variable for."""
    if any(key not in wm.x for key, sets in assignment.items() if sets):
        return None
    model = wm.model.clone()
    variables = model.proto.variables
    for key, x in wm.x.items():
        sets = assignment.get(key, 0)
        for var, value in ((x, int(sets > 0)), (wm.n[key], sets)):
            domain = variables[var.index].domain
            domain[0] = domain[1] = value
    return model


def score(wm: WeekModel, assignment: Assignment, time_limit: float = 10.0) -> float | None:
    """The objective of ``assignment`` in ``wm`` (its rules alone: 0), or None when the
    assignment breaks a hard rule of the model."""
    model = fixed_model(wm, assignment)
    if model is None:
        return None
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = time_limit
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        return None
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError(f"scoring a fixed week gave {solver.status_name(status)}")
    return solver.objective_value if wm.model.has_objective() else 0.0


def hinted_model(wm: WeekModel, assignment: Assignment) -> cp_model.CpModel | None:
    """A copy of ``wm.model`` with ``assignment`` as a complete solution hint (auxiliary
    variables included, from scoring it: solver-notes found partial hints weak); None when
    the assignment breaks a hard rule."""
    model = fixed_model(wm, assignment)
    if model is None:
        return None
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    hinted = wm.model.clone()
    for index, value in enumerate(solver.response_proto.solution):
        hinted.add_hint(hinted.get_int_var_from_proto_index(index), value)
    return hinted


def entries_of(wm: WeekModel, assignment: Assignment) -> tuple[Entry, ...]:
    """The week's entries, in session order, for a plan frame and the validator."""
    entries = []
    for d in wm.days:
        for e in wm.exercises:
            sets = assignment.get((e.id, d), 0)
            if sets:
                rx = wm.prescriptions[e.id]
                entries.append(Entry(wm.context.week, d, 0, e, sets, rx.reps, rx.hold_s))
    return sequence(entries)


def week_violations(
    wm: WeekModel, assignment: Assignment, catalog: Catalog, history: History
) -> list[Violation]:
    """The validator's verdict on one week of a plan, given the weeks before it.

    ``check_plan`` checks a whole programme, so for one week it also reports every other
    week as missing; those are left out here."""
    found = check_plan(Plan(wm.profile, entries_of(wm, assignment), history=history))
    week = wm.context.week
    return [v for v in found if _week(v) in (None, week)]


def _week(violation: Violation) -> int | None:
    """The week a violation is located in ("week 2", "week 2 mon"), or None ("row 4")."""
    words = violation.where.split()
    return int(words[1]) if words[0] == "week" else None
