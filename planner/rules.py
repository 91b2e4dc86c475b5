"""The hard rules of a plan, one small function per constraint family.

Each family here has a twin of the same name in ``planner.check`` that tests a finished plan
without the solver. ``RULES`` describes every rule in the person's terms (what it asks, and
which settings to change when it cannot hold), for the validator's and the solver's messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner import evidence
from planner.catalog import GROUPS

if TYPE_CHECKING:
    from planner.model import WeekModel


@dataclass(frozen=True)
class Rule:
    name: str
    asks: str  # what the rule requires, in the person's terms
    change: str  # the settings that relax it


RULES = {
    r.name: r
    for r in (
        Rule("available_days", "sessions only on your available days", "--days"),
        Rule("session_count", "exactly the requested number of sessions", "--sessions, --days"),
        Rule(
            "session_minutes",
            f"each session within your minutes and at least {evidence.SESSION_FILL:.0%} of them",
            "--minutes",
        ),
        Rule(
            "allowed_exercises",
            "only exercises your level, equipment and exclusions allow",
            "--level, --equipment, --exclude",
        ),
        Rule(
            "dose",
            "sets and reps within your level's ranges; stretch holds "
            f"{evidence.STRETCH_HOLD_MIN_S}-{evidence.STRETCH_HOLD_MAX_S} s and at least "
            f"{evidence.STRETCH_TOTAL_MIN_S} s per side",
            "--level, --minutes",
        ),
        Rule(
            "stretch_ceiling",
            f"at most {evidence.STRETCH_CEILING_S // 60} min of stretching a side for one "
            "muscle in a session (gains level off there)",
            "--minutes, --exclude",
        ),
        Rule(
            "session_mix",
            "every session both stretches (or releases) and strengthens, with at most "
            f"{evidence.MAX_RELEASES_PER_SESSION} releases",
            "--minutes, --equipment, --exclude",
        ),
        Rule(
            "recovery",
            "no muscle group strengthened on two days in a row (48 h recovery)",
            "--days, --sessions",
        ),
        Rule(
            "strength_days",
            "glutes, hamstrings, core and lower back each strengthened on "
            f"{evidence.STRENGTH_DAYS_PER_GROUP} days (1 when under "
            f"{evidence.SESSIONS_FOR_FULL_STRENGTH_DAYS} sessions)",
            "--sessions, --minutes, --equipment, --level",
        ),
        Rule(
            "hip_flexor_stretch",
            f"hip-flexor stretching in {evidence.HIP_FLEXOR_STRETCH_SESSIONS} sessions "
            "(every session when fewer)",
            "--minutes, --equipment, --exclude",
        ),
        Rule(
            "balance",
            "hip-flexor strengthening no more than glute or core work, lower-back "
            "strengthening no more than core work",
            "--equipment, --exclude, --level",
        ),
        Rule("order", "release and stretches before strengthening in a session", "(edit the plan)"),
        Rule(
            "weekly_repeats",
            "no exercise on more days a week than allowed",
            "--max-days-per-exercise, --exclude",
        ),
    )
}


def available_days(wm: WeekModel) -> None:
    """By construction: the model has variables only for the person's available days."""


def session_count(wm: WeekModel) -> None:
    wm.enforce("session_count", wm.model.add(sum(wm.on.values()) == wm.profile.sessions))
    if len(wm.days) == 7 and not wm.guards:
        # Symmetry: with every day free, every rule and goal is unchanged by rotating the week
        # (recovery wraps Sunday to Monday), so some best week has a Monday session.
        wm.model.add(wm.on[0] == 1)


def session_minutes(wm: WeekModel) -> None:
    budget = wm.profile.minutes * 60
    floor = int(budget * wm.profile.session_fill)
    for d in wm.days:
        seconds = wm.day_seconds(d)
        wm.enforce("session_minutes", wm.model.add(seconds <= budget * wm.on[d]))
        wm.enforce("session_minutes", wm.model.add(seconds >= floor * wm.on[d]))


def allowed_exercises(wm: WeekModel) -> None:
    for e in wm.exercises:
        if e.id not in wm.allowed:
            for d in wm.days:
                wm.enforce("allowed_exercises", wm.model.add(wm.x[e.id, d] == 0))


def dose(wm: WeekModel) -> None:
    """By construction: ``build_week`` bounds each exercise's sets by its prescription."""


def stretch_ceiling(wm: WeekModel) -> None:
    """R7: stretch seconds a side per primary muscle and session."""
    for g in GROUPS:
        stretches = [e for e in wm.exercises if e.role == "stretch" and e.primary == g]
        if not stretches:
            continue
        for d in wm.days:
            held = sum(
                wm.prescriptions[e.id].reps * wm.prescriptions[e.id].hold_s * wm.n[e.id, d]
                for e in stretches
            )
            wm.enforce("stretch_ceiling", wm.model.add(held <= evidence.STRETCH_CEILING_S))


def session_mix(wm: WeekModel) -> None:
    """Janda: lengthen, then strengthen, in every session; releases capped."""
    for d in wm.days:
        lengthen = sum(wm.x[e.id, d] for e in wm.exercises if e.role in ("release", "stretch"))
        strengthen = sum(wm.x[e.id, d] for e in wm.exercises if e.role == "strength")
        releases = sum(wm.x[e.id, d] for e in wm.exercises if e.role == "release")
        for c in (
            lengthen >= wm.on[d],
            strengthen >= wm.on[d],
            releases <= evidence.MAX_RELEASES_PER_SESSION,
        ):
            wm.enforce("session_mix", wm.model.add(c))


def recovery(wm: WeekModel) -> None:
    """R1: at least 48 h between strength work for one group; the week wraps to Monday."""
    days = set(wm.days)
    for g in GROUPS:
        if not any(e.trains(g) for e in wm.exercises):
            continue
        for d in wm.days:
            nxt = (d + 1) % 7
            if nxt in days:
                wm.enforce("recovery", wm.model.add(wm.works(g, d) + wm.works(g, nxt) <= 1))


def strength_days(wm: WeekModel) -> None:
    need = wm.profile.required_strength_days
    for g in evidence.STRENGTHENED_GROUPS:
        days = sum(wm.works(g, d) for d in wm.days)
        wm.enforce("strength_days", wm.model.add(days >= need))


def hip_flexor_stretch(wm: WeekModel) -> None:
    stretches = [e for e in wm.exercises if e.stretches_hip_flexors]
    sessions = []
    for d in wm.days:
        lit = wm.model.new_bool_var(f"hip_flexor_stretch_{d}")
        wm.model.add(lit <= sum(wm.x[e.id, d] for e in stretches))
        sessions.append(lit)
    need = wm.profile.hip_flexor_stretch_sessions
    wm.enforce("hip_flexor_stretch", wm.model.add(sum(sessions) >= need))


def balance(wm: WeekModel) -> None:
    """Counted in strength sets a week (evidence.md, "Balance")."""
    for more, less in evidence.BALANCE_PAIRS:
        wm.enforce("balance", wm.model.add(wm.group_sets(more) <= wm.group_sets(less)))


def order(wm: WeekModel) -> None:
    """By construction: ``plan.sequence`` orders each session after solving."""


def weekly_repeats(wm: WeekModel) -> None:
    cap = wm.profile.max_days_per_exercise
    for e in wm.exercises:
        days = sum(wm.x[e.id, d] for d in wm.days)
        wm.enforce("weekly_repeats", wm.model.add(days <= cap))


FAMILIES = (
    available_days,
    session_count,
    session_minutes,
    allowed_exercises,
    dose,
    stretch_ceiling,
    session_mix,
    recovery,
    strength_days,
    hip_flexor_stretch,
    balance,
    order,
    weekly_repeats,
)
# Families that add constraints a deletion filter can switch off.
GUARDED = (
    "session_count",
    "session_minutes",
    "allowed_exercises",
    "stretch_ceiling",
    "session_mix",
    "recovery",
    "strength_days",
    "hip_flexor_stretch",
    "balance",
    "weekly_repeats",
)
