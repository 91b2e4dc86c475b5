"""The MIP baseline: the product's own week model, translated mechanically to a MIP.

``translate`` reads the CP-SAT model proto that ``planner.model.build_week`` builds and
writes every variable and constraint into an ``ortools.linear_solver.pywraplp`` solver
(SCIP, CBC or HiGHS), so that "the same rules" holds by construction:

- integer variables keep their bounds (0/1 domains become binaries);
- ``linear`` with a domain [lo, hi]: lo <= expr <= hi; enforcement literals l1..lk by big-M
  from the variable bounds: expr <= hi + (max(expr) - hi) * sum(1 - li), same for lo;
- ``bool_and`` / ``bool_or`` / ``at_most_one`` / ``exactly_one``: sums of literals (a negated
  literal is 1 - x), enforcement as above;
- ``lin_max`` (t = max(e1..ek)): t >= ei for all i, and t <= ei + M_i (1 - zi) with one zi
  chosen; when t and every ei are plain 0/1 variables, the tight t <= sum(ei) instead;
- the objective as it is (CP-SAT minimises ``scaling_factor * (sum + offset)``).

Anything else (holes in domains, products, element, ...) raises ``NotImplementedError``
naming it: ``constraint_kinds`` counts what the model uses, and the benchmark prints it.
The MIP's answer is mapped back to exercise-on-day decisions and re-scored by CP-SAT with the
decisions fixed (``bench.score``), which checks the translation and the plan in one go.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from bench import score
from planner.model import WeekModel

BACKENDS = ("SCIP", "CBC", "HIGHS")
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# Constraint kinds of CpModelProto, in the order they are tried.
KINDS = (
    "linear",
    "bool_and",
    "bool_or",
    "lin_max",
    "at_most_one",
    "exactly_one",
    "bool_xor",
    "int_prod",
    "int_div",
    "int_mod",
    "element",
    "table",
    "automaton",
    "all_diff",
    "interval",
    "no_overlap",
    "no_overlap_2d",
    "cumulative",
    "circuit",
    "routes",
    "reservoir",
    "inverse",
)
_STATUS = {
    pywraplp.Solver.OPTIMAL: "optimal",
    pywraplp.Solver.FEASIBLE: "feasible",
    pywraplp.Solver.INFEASIBLE: "infeasible",
    pywraplp.Solver.UNBOUNDED: "unbounded",
    pywraplp.Solver.ABNORMAL: "abnormal",
    pywraplp.Solver.MODEL_INVALID: "model invalid",
    pywraplp.Solver.NOT_SOLVED: "unknown",
}


def kind(constraint) -> str:
    for name in KINDS:
        if getattr(constraint, f"has_{name}")():
            return name
    return "empty"


def constraint_kinds(model: cp_model.CpModel) -> Counter:
    """How many constraints of each kind, ``+enforced`` marking those with enforcement."""
    counts: Counter = Counter()
    for c in model.proto.constraints:
        counts[kind(c) + ("+enforced" if len(c.enforcement_literal) else "")] += 1
    return counts


@dataclass
class MipResult:
    backend: str
    status: str
    objective: float | None
    bound: float | None
    seconds: float
    assignment: score.Assignment | None


class _Translation:
    """The MIP being written: its solver, variables and bounds."""

    def __init__(self, model: cp_model.CpModel, backend: str):
        self.solver = pywraplp.Solver.CreateSolver(backend)
        if self.solver is None:
            raise RuntimeError(f"this OR-Tools build has no {backend} backend")
        self.lb, self.ub, self.vars = [], [], []
        for i, v in enumerate(model.proto.variables):
            domain = list(v.domain)
            if len(domain) != 2:
                raise NotImplementedError(f"variable {i} has a domain with holes: {domain}")
            low, high = domain
            self.lb.append(low)
            self.ub.append(high)
            if (low, high) == (0, 1):
                self.vars.append(self.solver.BoolVar(f"v{i}"))
            else:
                self.vars.append(self.solver.IntVar(low, high, f"v{i}"))

    # -- expressions: (terms as (index, coeff), offset); a literal ref < 0 is 1 - x ----------

    def literal(self, ref: int) -> tuple[list[tuple[int, int]], int]:
        return ([(ref, 1)], 0) if ref >= 0 else ([(-ref - 1, -1)], 1)

    def expression(self, terms, offset):
        return sum(self.vars[i] * c for i, c in terms) + offset

    def low(self, terms, offset) -> int:
        return offset + sum(c * (self.lb[i] if c > 0 else self.ub[i]) for i, c in terms)

    def high(self, terms, offset) -> int:
        return offset + sum(c * (self.ub[i] if c > 0 else self.lb[i]) for i, c in terms)

    def slack(self, enforcement) -> tuple[list[tuple[int, int]], int]:
        """sum(1 - l) over the enforcement literals: 0 exactly when all of them hold."""
        terms, offset = [], 0
        for ref in enforcement:
            t, o = self.literal(ref)
            terms += [(i, -c) for i, c in t]
            offset += 1 - o
        return terms, offset

    def bounded(self, terms, offset, lo, hi, enforcement=()) -> None:
        """lo <= terms + offset <= hi, relaxed by big-M unless every enforcement holds."""
        s_terms, s_offset = self.slack(enforcement)
        expr = self.expression(terms, offset)
        relax = self.expression(s_terms, s_offset) if enforcement else 0
        if hi < INT64_MAX:
            big_m = self.high(terms, offset) - hi
            if big_m > 0 or not enforcement:
                self.solver.Add(expr <= hi + max(big_m, 0) * relax)
        if lo > INT64_MIN:
            big_m = lo - self.low(terms, offset)
            if big_m > 0 or not enforcement:
                self.solver.Add(expr >= lo - max(big_m, 0) * relax)

    # -- constraint kinds ------------------------------------------------------------------

    def add(self, c) -> None:
        name = kind(c)
        enforcement = list(c.enforcement_literal)
        if name == "linear":
            domain = list(c.linear.domain)
            if len(domain) != 2:
                raise NotImplementedError(f"linear constraint with domain {domain}")
            terms = list(zip(c.linear.vars, c.linear.coeffs, strict=True))
            if any(i < 0 for i, _ in terms):
                raise NotImplementedError("negated variable in a linear constraint")
            self.bounded(terms, 0, domain[0], domain[1], enforcement)
        elif name in ("bool_and", "bool_or", "at_most_one", "exactly_one"):
            literals = [self.literal(ref) for ref in getattr(c, name).literals]
            if name == "bool_and":  # each literal holds
                for terms, offset in literals:
                    self.bounded(terms, offset, 1, INT64_MAX, enforcement)
                return
            terms = [t for ts, _ in literals for t in ts]
            offset = sum(o for _, o in literals)
            lo, hi = {"bool_or": (1, INT64_MAX), "at_most_one": (INT64_MIN, 1)}.get(name, (1, 1))
            self.bounded(terms, offset, lo, hi, enforcement)
        elif name == "lin_max" and not enforcement:
            self.lin_max(c.lin_max)
        else:
            raise NotImplementedError(f"{name} constraint" + (" (enforced)" if enforcement else ""))

    def lin_max(self, c) -> None:
        target = (list(zip(c.target.vars, c.target.coeffs, strict=True)), c.target.offset)
        exprs = [(list(zip(e.vars, e.coeffs, strict=True)), e.offset) for e in c.exprs]
        for terms, offset in exprs:  # t >= e_i
            self.solver.Add(self.expression(*target) >= self.expression(terms, offset))
        if all(self.is_boolean(*e) for e in (target, *exprs)):  # t <= sum e_i (a bool OR)
            total = [t for ts, _ in exprs for t in ts]
            self.solver.Add(self.expression(*target) <= self.expression(total, 0))
            return
        chosen = [self.solver.BoolVar(f"max{len(self.vars)}_{k}") for k in range(len(exprs))]
        self.solver.Add(sum(chosen) == 1)
        for z, (terms, offset) in zip(chosen, exprs, strict=True):
            big_m = self.high(*target) - self.low(terms, offset)
            self.solver.Add(
                self.expression(*target) <= self.expression(terms, offset) + big_m * (1 - z)
            )

    def is_boolean(self, terms, offset) -> bool:
        return offset == 0 and len(terms) == 1 and terms[0][1] == 1 and self.is_binary(terms[0][0])

    def is_binary(self, i: int) -> bool:
        return (self.lb[i], self.ub[i]) == (0, 1)

    def objective(self, proto) -> None:
        terms = list(zip(proto.vars, proto.coeffs, strict=True))
        scale = proto.scaling_factor or 1.0
        expr = scale * self.expression(terms, proto.offset)
        if scale > 0:
            self.solver.Minimize(expr)
        else:  # CP-SAT stores a maximisation as a negated minimisation
            self.solver.Maximize(-expr)


def translate(model: cp_model.CpModel, backend: str) -> _Translation:
    mip = _Translation(model, backend)
    for c in model.proto.constraints:
        mip.add(c)
    if model.has_objective():
        mip.objective(model.proto.objective)
    return mip


@contextlib.contextmanager
def _quiet_stdout():
    """HiGHS prints a banner from C++ straight to file descriptor 1, past SuppressOutput."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def solve_mip(wm: WeekModel, backend: str, time_limit: float) -> MipResult:
    """Solve the translated week model with one thread; the decisions when a plan is found.
    ``seconds`` is the solver's alone, not the translation's."""
    mip = translate(wm.model, backend)
    mip.solver.SetTimeLimit(round(time_limit * 1000))
    mip.solver.SetNumThreads(1)
    mip.solver.SuppressOutput()
    started = time.perf_counter()
    with _quiet_stdout():
        code = mip.solver.Solve()
    seconds = time.perf_counter() - started
    # HiGHS answers 99 (outside pywraplp's enum) when stopped without a solution.
    status = _STATUS.get(code, f"unknown (code {code})")
    if status not in ("optimal", "feasible"):
        return MipResult(backend, status, None, None, seconds, None)
    assignment = {
        key: round(mip.vars[wm.n[key].index].solution_value())
        for key, x in wm.x.items()
        if mip.vars[x.index].solution_value() > 0.5
    }
    return MipResult(
        backend=backend,
        status=status,
        objective=mip.solver.Objective().Value(),
        bound=mip.solver.Objective().BestBound(),
        seconds=seconds,
        assignment=assignment,
    )
