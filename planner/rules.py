"""The hard rules of a plan, one small function per constraint family.

Each family here has a twin of the same name in ``planner.check`` that tests a finished plan
without the solver. ``RULES`` describes every rule in the person's terms (what it asks, and
which settings to change when it cannot hold), for the validator's and the solver's messages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner import evidence
from planner.catalog import GROUPS

if TYPE_CHECKING:
    from planner.model import WeekModel
    from planner.profile import Profile


def strength_sessions(profile: Profile) -> int:
    """Sessions a week that must strengthen: all of them, up to MAX_STRENGTH_SESSIONS (R3)."""
    return min(profile.sessions, evidence.MAX_STRENGTH_SESSIONS)


def session_fill(profile: Profile, deload: bool) -> float:
    """Share of the minutes a session must fill; deload weeks may be shorter (R12)."""
    return (
        min(profile.session_fill, evidence.DELOAD_SESSION_FILL) if deload else profile.session_fill
    )


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
            "only exercises your level, equipment, exclusions and conditions allow",
            "--level, --equipment, --exclude, --session-time",
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
            "every session both stretches (or releases) and strengthens (up to "
            f"{evidence.MAX_STRENGTH_SESSIONS} sessions a week), with at most "
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
        Rule(
            "ramp",
            f"weekly load up at most the ramp cap ({evidence.RAMP_CAP_PCT} % by default) and "
            f"at least {evidence.RAMP_MIN_PCT} % in build weeks until the target, about "
            f"{evidence.DELOAD_PCT} % in deload weeks",
            "--minutes, --sessions, ramp_cap_pct, start_load, deload_pct (profile)",
        ),
        Rule(
            "acute_chronic",
            "each week's load at most the acute:chronic cap times the mean of the 4 weeks "
            "before (never 1.5)",
            "start_load, acwr_cap (profile)",
        ),
        Rule(
            "week_shape",
            f"no session above {evidence.SPIKE_CAP_PCT} % of the week's mean session load, and "
            f"monotony at most {evidence.MONOTONY_CAP} (up to {evidence.MONOTONY_MAX_SESSIONS} "
            "sessions a week)",
            "--sessions, --minutes",
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
    if len(wm.days) == 7 and wm.context.band is None and not wm.guards:
        # Symmetry: a lone week with every day free is unchanged by rotation (recovery wraps
        # Sunday to Monday), so some best week has a Monday session.
        wm.model.add(wm.on[0] == 1)


def session_minutes(wm: WeekModel) -> None:
    budget = wm.profile.minutes * 60
    floor = int(budget * session_fill(wm.profile, wm.context.deload))
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
    """Janda: lengthen, then strengthen, in every session (up to MAX_STRENGTH_SESSIONS of
    them; further sessions may only lengthen); releases capped."""
    strong = []
    for d in wm.days:
        lengthen = sum(wm.x[e.id, d] for e in wm.exercises if e.role in ("release", "stretch"))
        releases = sum(wm.x[e.id, d] for e in wm.exercises if e.role == "release")
        strengthens = wm.model.new_bool_var(f"strengthens_{d}")
        wm.model.add(
            strengthens <= sum(wm.x[e.id, d] for e in wm.exercises if e.role == "strength")
        )
        strong.append(strengthens)
        for c in (lengthen >= wm.on[d], releases <= evidence.MAX_RELEASES_PER_SESSION):
            wm.enforce("session_mix", wm.model.add(c))
    need = strength_sessions(wm.profile)
    wm.enforce("session_mix", wm.model.add(sum(strong) >= need))


def recovery(wm: WeekModel) -> None:
    """R1: at least 48 h between strength work for one group. Every week also rests its own
    Monday from its own Sunday's groups, as if it repeated: a lone week does repeat, and in a
    programme the next week can always reuse this week's pattern, so solving week by week
    never dead-ends on recovery. Monday also rests what the Sunday before strengthened."""
    days = set(wm.days)
    for g in GROUPS:
        if not any(e.trains(g) for e in wm.exercises):
            continue
        for d in wm.days:
            nxt = (d + 1) % 7
            if nxt in days:
                wm.enforce("recovery", wm.model.add(wm.works(g, d) + wm.works(g, nxt) <= 1))
        if 0 in days and g in wm.context.rested_monday:
            wm.enforce("recovery", wm.model.add(wm.works(g, 0) == 0))


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


def ramp(wm: WeekModel) -> None:
    """R10/R12: the week's load within its ramp band (build or deload); AU x 60 = RPE x s."""
    band = wm.context.band
    if band is not None:
        load = wm.week_load()
        wm.enforce("ramp", wm.model.add(load >= math.ceil(band.low * 60)))
        wm.enforce("ramp", wm.model.add(load <= math.floor(band.high * 60)))


def acute_chronic(wm: WeekModel) -> None:
    """R11: the week's load at most the acute:chronic cap times the chronic load."""
    if wm.context.load_cap is not None:
        cap = math.floor(wm.context.load_cap * 60)
        wm.enforce("acute_chronic", wm.model.add(wm.week_load() <= cap))


def week_shape(wm: WeekModel) -> None:
    """R9: no session above SPIKE_CAP_PCT of the mean session; monotony at most 2.0.

    Monotony is mean / SD of the 7 daily loads. With the week's load S over s equal sessions
    it is at most 1.58 up to s = 5 (and unequal loads only lower it), so only 6 sessions need
    a constraint (7 are exempt: MONOTONY_MAX_SESSIONS). The SD is at least the mean absolute
    deviation, so asking that deviation to be at least half the mean is enough, and linear:
    2 * sum |7 l_d - S| >= 7 S.
    """
    s = wm.profile.sessions
    week = wm.week_load()
    for d in wm.days:
        cap = wm.model.add(100 * s * wm.day_load(d) <= evidence.SPIKE_CAP_PCT * week)
        wm.enforce("week_shape", cap)
    if s <= 5 or s > evidence.MONOTONY_MAX_SESSIONS:
        return
    top = 7 * 10 * wm.profile.minutes * 60
    deviations = []
    for d in range(7):
        load = wm.day_load(d) if d in wm.days else 0
        deviation = wm.model.new_int_var(0, 7 * top, f"deviation_{d}")
        light = wm.model.new_bool_var(f"light_{d}")
        wm.model.add(deviation == week - 7 * load).only_enforce_if(light)
        wm.model.add(deviation == 7 * load - week).only_enforce_if(~light)
        deviations.append(deviation)
    wm.enforce("week_shape", wm.model.add(2 * sum(deviations) >= 7 * week))


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
    ramp,
    acute_chronic,
    week_shape,
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
    "ramp",
    "acute_chronic",
    "week_shape",
    "weekly_repeats",
)
