"""Why a plan is what it is: per-week guard rails, strength sets for the weak groups against
their minimum and aim, each session's strength share, the strength patterns each week
covers, and what each exercise is for.

Works on any plan (just solved, or read from CSV), so a plan edited by hand can be explained
too, its soft goals' costs included (counted on the plan by ``planner.goals``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from planner import balance, evidence, goals
from planner.adaptation import WeekLog
from planner.catalog import Catalog
from planner.plan import Entry, Plan
from planner.profile import DAYS, Profile

# The groups the balance pairs hold the weak groups against (evidence.BALANCE_PAIRS).
PAIRED_GROUPS = tuple(
    dict.fromkeys(
        g for pair in evidence.BALANCE_PAIRS for g in pair if g not in evidence.WEAK_GROUPS
    )
)
# What the article calls tight: stretch and release these (evidence.md, "Sessions a coach
# would hand out"); other stretches keep range but are not what the plan is balancing.
TIGHT_GROUPS = ("hip_flexors", "lower_back")


SETS_HEADING = (
    "Strength sets a week (a set counts 1 for its main group, 0.5 for each other; stretches "
    "count none; R18, R19):"
)
SESSIONS_HEADING = (
    f"Strength share of each session (% of its minutes; at least "
    f"{evidence.SESSION_STRENGTH_PCT} % in a session that strengthens, R20):"
)
PATTERNS_HEADING = (
    f"Strength patterns each week (a rounded programme covers all "
    f"{len(evidence.ROUNDED_PATTERNS)}, R22):"
)
LOG_HEADING = (
    "Planned against done, from the log (done: the minutes done at their planned effort; "
    "felt: at the effort logged; pain 0-10, the worst of the week):"
)


@dataclass(frozen=True)
class Explanation:
    weeks: list[dict]
    sets: list[dict]
    sessions: list[dict]
    patterns: list[dict]
    exercises: list[dict]
    left_out: list[dict]
    costs: dict[str, int]
    log: list[dict] = field(default_factory=list)  # log_table, when a log was given

    def render(self) -> str:
        lines = ["Weeks (load in AU = minutes x RPE; guard rails, not injury predictions):"]
        lines += _table(self.weeks)
        lines += ["", SETS_HEADING]
        lines += _table(self.sets, digits=1)
        lines += ["", SESSIONS_HEADING]
        lines += _table(self.sessions, digits=1)
        lines += ["", PATTERNS_HEADING]
        lines += _table(self.patterns)
        lines += ["", "What each exercise is for:"]
        lines += [f"  {e['exercise_id']:<34} {e['serves']}" for e in self.exercises]
        lines += ["", "Soft goals over the plan (points x weight; 0 is on target):"]
        lines += [f"  {name:<22} {cost}" for name, cost in self.costs.items()]
        if self.left_out:
            lines += ["", f"Left out of the catalogue for this profile ({len(self.left_out)}):"]
            lines += [f"  {e['exercise_id']:<34} {e['reason']}" for e in self.left_out]
        if self.log:
            lines += ["", LOG_HEADING]
            lines += _table(self.log)
        return "\n".join(lines)


def _table(rows: list[dict], digits: int = 2) -> list[str]:
    if not rows:
        return ["  (none)"]
    columns = list(rows[0])
    cells = [[_cell(r[c], digits) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    out = ["  " + "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    out += ["  " + "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return out


def _cell(value, digits: int = 2) -> str:
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


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


def sets_table(plan: Plan) -> list[dict]:
    """Per week: strength sets for the weak groups against the week's minimum and aim (R18,
    R19; halved in a deload week, R12), the groups the balance pairs hold them against (hip
    flexors, lower back), and which weak groups fall short and which pairs are broken."""
    out = []
    for week, entries in plan.weeks.items():
        deload = plan.profile.is_deload(week)
        low = balance.minimum(plan.profile, deload) / balance.HALF
        high = balance.aim(plan.profile, deload) / balance.HALF
        sets = balance.week_sets(entries)
        short = [
            f"{g} < {'minimum' if sets[g] < low else 'aim'}"
            for g in evidence.WEAK_GROUPS
            if sets[g] < high
        ]
        broken = [
            f"{more} > {less}" for more, less in evidence.BALANCE_PAIRS if sets[more] > sets[less]
        ]
        out.append(
            {
                "week": week,
                "kind": "deload" if deload else "build",
                **{g: sets[g] for g in evidence.WEAK_GROUPS},
                "minimum": low,
                "aim": high,
                **{g: sets[g] for g in PAIRED_GROUPS},
                "short": ", ".join(short) or "none",
                "balance": ", ".join(broken) or "ok",
            }
        )
    return out


def sessions_table(plan: Plan) -> list[dict]:
    """Per session: its minutes and the share of them spent strengthening (R20)."""
    out = []
    for s in plan.sessions:
        strength = [e for e in s.entries if e.exercise.role == "strength"]
        seconds = sum(e.seconds for e in strength)
        out.append(
            {
                "week": s.week,
                "day": DAYS[s.day],
                "minutes": round(s.minutes, 1),
                "strength_minutes": round(seconds / 60, 1),
                "strength_pct": round(100 * seconds / s.seconds, 1) if s.seconds else 0.0,
                "strength_exercises": len(strength),
            }
        )
    return out


def patterns_table(plan: Plan) -> list[dict]:
    """Per week: how many of a rounded programme's strength patterns it covers (R22), and
    which it misses."""
    out = []
    for week, entries in plan.weeks.items():
        covered = balance.patterns(entries)
        missing = [p for p in evidence.ROUNDED_PATTERNS if p not in covered]
        out.append(
            {
                "week": week,
                "covered": f"{len(evidence.ROUNDED_PATTERNS) - len(missing)} of "
                f"{len(evidence.ROUNDED_PATTERNS)}",
                "missing": ", ".join(missing) or "none",
            }
        )
    return out


def serves(row: Entry, profile: Profile) -> str:
    """What an exercise is in the plan for: stretch and release what is tight, strengthen what
    is weak (the article; evidence.md "Sessions a coach would hand out"). A stretch or release
    of a weak group says it counts for no strength sets: it is not glute work."""
    e = row.exercise
    muscle = e.primary.replace("_", " ")
    if e.role == "strength":
        shown = (*evidence.WEAK_GROUPS, *PAIRED_GROUPS)
        counts = [f"{g} {balance.credit(e, g) / balance.HALF:g}" for g in shown if e.trains(g)]
        weak = any(balance.credit(e, g) == balance.HALF for g in evidence.WEAK_GROUPS)
        head = "strengthen what is weak" if weak else f"strengthen the {muscle}"
        rounded = ", R22" if e.pattern in evidence.ROUNDED_PATTERNS else ""
        pattern = f" ({e.pattern.replace('_', ' ')}{rounded})" if e.pattern else ""
        return f"{head}{pattern}: a set counts {', '.join(counts) or 'for no group'} (R18, R19)"
    not_work = (
        f"; counts for no {muscle} strength sets" if e.primary in evidence.WEAK_GROUPS else ""
    )
    if e.stretches_hip_flexors:
        return "stretch what is tight: the hip flexors (R6)"
    if e.role == "stretch":
        if e.primary in TIGHT_GROUPS:
            return f"stretch what is tight: the {muscle} (R6)"
        return f"stretch the {muscle} for range (R6){not_work}"
    if e.role == "release":
        if e.primary in TIGHT_GROUPS:
            return f"release what is tight: the {muscle}, before stretching (warm-up, R20)"
        return f"release the {muscle} before stretching (warm-up, R20){not_work}"
    return f"mobility for the {muscle} before strengthening (warm-up, R20){not_work}"


def log_table(weeks: Sequence[WeekLog]) -> list[dict]:
    """Per programme week of a log (``planner.adaptation.judged_weeks``): sessions, minutes
    and load done against planned, and the worst pain during and the next morning."""
    rows = []
    for w in weeks:
        during = [s.pain for s in w.sessions if s.pain is not None]
        morning = [s.pain_next_morning for s in w.sessions if s.pain_next_morning is not None]
        rows.append(
            {
                "week": w.week,
                "from": w.first_day.isoformat(),
                "sessions": f"{w.done_sessions}/{w.planned_sessions}",
                "minutes": f"{w.done_minutes:.0f}/{w.planned_minutes:.0f}",
                "done_pct": round(100 * w.adherence),
                "planned_au": round(w.planned_load),
                "done_au": round(w.load),
                "felt_au": round(w.felt_load),
                "pain": max(during, default="-"),
                "next_morning": max(morning, default="-"),
            }
        )
    return rows


def _costs(plan: Plan, catalog: Catalog) -> dict:
    """Each soft goal's weighted cost, summed over the plan's weeks."""
    points = goals.summed(goals.plan_costs(plan, catalog).values())
    return {name: goals.weight(name) * value for name, value in points.items()}


def explain(plan: Plan, catalog: Catalog, log: Sequence[WeekLog] = ()) -> Explanation:
    """Explain ``plan`` for its profile, against the weeks before it (``plan.history``), and
    with ``log`` (the weeks of a training log) what was done against what was planned."""
    profile = plan.profile
    seen: dict[str, Entry] = {}
    for e in plan.entries:
        seen.setdefault(e.exercise.id, e)
    return Explanation(
        weeks=week_table(plan),
        sets=sets_table(plan),
        sessions=sessions_table(plan),
        patterns=patterns_table(plan),
        exercises=[{"exercise_id": i, "serves": serves(e, profile)} for i, e in seen.items()],
        left_out=[
            {"exercise_id": e.id, "reason": profile.reason_excluded(e)}
            for e in catalog
            if profile.reason_excluded(e)
        ],
        costs=_costs(plan, catalog),
        log=log_table(log),
    )
