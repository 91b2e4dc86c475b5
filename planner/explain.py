"""Why a plan is what it is: per-week guard rails, per-group balance, what each exercise is for.

Works on any plan (just solved, or read from CSV), so a plan edited by hand can be explained
too, its soft goals' costs included (counted on the plan by ``planner.goals``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planner import evidence, goals
from planner.catalog import Catalog
from planner.plan import Entry, Plan
from planner.profile import Profile

BALANCE_GROUPS = ("hip_flexors", "glutes", "core", "hamstrings", "lower_back")


@dataclass(frozen=True)
class Explanation:
    weeks: list[dict]
    groups: list[dict]
    exercises: list[dict]
    left_out: list[dict]
    costs: dict[str, int]

    def render(self) -> str:
        lines = ["Weeks (load in AU = minutes x RPE; guard rails, not injury predictions):"]
        lines += _table(self.weeks)
        lines += ["", "Muscle groups, a week on average (shares of session time by primary group):"]
        lines += _table(self.groups)
        lines += ["", "What each exercise is for:"]
        lines += [f"  {e['exercise_id']:<34} {e['serves']}" for e in self.exercises]
        lines += ["", "Soft goals over the plan (points x weight; 0 is on target):"]
        lines += [f"  {name:<22} {cost}" for name, cost in self.costs.items()]
        if self.left_out:
            lines += ["", f"Left out of the catalogue for this profile ({len(self.left_out)}):"]
            lines += [f"  {e['exercise_id']:<34} {e['reason']}" for e in self.left_out]
        return "\n".join(lines)


def _table(rows: list[dict]) -> list[str]:
    if not rows:
        return ["  (none)"]
    columns = list(rows[0])
    cells = [[_cell(r[c]) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    out = ["  " + "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    out += ["  " + "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return out


def _cell(value) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def week_table(plan: Plan) -> list[dict]:
    """Per week: load, change on the reference week, acute:chronic, monotony, strain, deload."""
    from planner.ramp import monotony

    out = []
    for f in plan.week_figures():
        daily: dict[int, float] = {}
        for e in plan.weeks[f.week]:
            daily[e.day] = daily.get(e.day, 0.0) + e.load
        mono = monotony(list(daily.values()))
        out.append(
            {
                "week": f.week,
                "kind": f.phase,
                "sessions": len(daily),
                "load_au": round(f.load, 1),
                "change_pct": round(f.change_pct, 1),
                "acute_chronic": round(f.acute_chronic, 2),
                "monotony": round(mono, 2),
                "strain": round(f.load * mono, 0),
                "heaviest_session_au": round(max(daily.values()), 1),
            }
        )
    return out


def group_table(rows: Sequence[Entry], profile: Profile) -> list[dict]:
    """Per balance group: strength sets, minutes, days strengthened and time share vs target,
    over the plan entries ``rows``."""
    weeks = max(len({r.week for r in rows}), 1)
    total = sum(r.seconds for r in rows) or 1
    targets = dict(profile.shares)
    sets = {g: sum(r.sets for r in rows if r.exercise.trains(g)) / weeks for g in BALANCE_GROUPS}
    out = []
    for g in BALANCE_GROUPS:
        mine = sum(r.seconds for r in rows if r.exercise.primary == g)
        days = len({(r.week, r.day) for r in rows if r.exercise.trains(g)}) / weeks
        balance = [
            f"<= {less} {'ok' if sets[g] <= sets[less] else 'BROKEN'}"
            for more, less in evidence.BALANCE_PAIRS
            if more == g
        ]
        out.append(
            {
                "group": g,
                "strength_sets": round(sets[g], 1),
                "strength_days": round(days, 1),
                "minutes": round(mine / 60 / weeks, 1),
                "share_pct": round(100 * mine / total, 1),
                "target_pct": targets[g],
                "balance": ", ".join(balance) or "none",
            }
        )
    return out


def serves(row: Entry, profile: Profile) -> str:
    """The rule or goal an exercise is in the plan for."""
    e = row.exercise
    if e.stretches_hip_flexors:
        return "hip_flexor_stretch: lengthen the hip flexors (R6)"
    if e.role == "strength":
        groups = [g for g in evidence.STRENGTHENED_GROUPS if e.trains(g)]
        if groups:
            return f"strength_days: strengthen {', '.join(groups)} (R1)"
        return f"share_{e.primary} and share_strength: balance of work"
    if e.role == "release":
        return f"session_mix: release {e.primary} before stretching (self-massage)"
    if e.role == "mobility":
        return f"share_{e.primary}: mobility before strengthening"
    return f"share_{e.primary}: lengthen what is tight (R6)"


def _costs(plan: Plan, catalog: Catalog) -> dict:
    """Each soft goal's weighted cost, summed over the plan's weeks."""
    points = goals.summed(goals.plan_costs(plan, catalog).values())
    return {name: goals.weight(name) * value for name, value in points.items()}


def explain(plan: Plan, catalog: Catalog) -> Explanation:
    """Explain ``plan`` for its profile, against the weeks before it (``plan.history``)."""
    profile = plan.profile
    seen: dict[str, Entry] = {}
    for e in plan.entries:
        seen.setdefault(e.exercise.id, e)
    return Explanation(
        weeks=week_table(plan),
        groups=group_table(plan.entries, profile),
        exercises=[{"exercise_id": i, "serves": serves(e, profile)} for i, e in seen.items()],
        left_out=[
            {"exercise_id": e.id, "reason": profile.reason_excluded(e)}
            for e in catalog
            if profile.reason_excluded(e)
        ],
        costs=_costs(plan, catalog),
    )
