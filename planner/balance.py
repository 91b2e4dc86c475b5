"""Balance in the article's terms: stretch and release what is tight, strengthen what is weak.

Strength volume is counted in sets a week per muscle group, fractionally (R19): a set counts
1 for its exercise's primary group and 0.5 for each other group it trains (``core`` takes
obliques; hip-flexor work in disguise never counts as core, ``Exercise.trains``). Only
strength sets count: a glute stretch or release is not glute work. The model works in whole
half-sets (``credit``) so the arithmetic stays integer; ``week_sets`` gives people's figures.

Also here: which strength patterns a week covers (R22), and the weekly set targets for the weak
groups (R18; evidence.md "Defaults built on them"), halved in a deload week (R12).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from planner import evidence
from planner.catalog import CORE_GROUPS, GROUPS, Exercise
from planner.profile import Profile

if TYPE_CHECKING:
    from planner.plan import Entry

HALF = 2  # half-sets in a set


def credit(e: Exercise, group: str) -> int:
    """Half-sets one set of ``e`` counts for ``group`` (R19): 2 for its primary group, 1 for
    each other group it trains, 0 when it does not strengthen ``group``."""
    if not e.trains(group):
        return 0
    primary = e.primary in CORE_GROUPS if group == "core" else e.primary == group
    return HALF if primary else 1


def half_sets(entries: Iterable[Entry], group: str) -> int:
    """Half-sets of strength work ``entries`` give ``group``."""
    return sum(credit(e.exercise, group) * e.sets for e in entries)


def week_sets(entries: Iterable[Entry]) -> dict[str, float]:
    """Strength sets for each group over ``entries`` (one week), fractional (R19)."""
    entries = list(entries)
    return {g: half_sets(entries, g) / HALF for g in GROUPS}


def minimum(profile: Profile, deload: bool) -> int:
    """Half-sets a week each weak group needs at least (R18); half as many in a deload (R12)."""
    low = profile.weekly_sets[0]
    return low if deload else HALF * low


def aim(profile: Profile, deload: bool) -> int:
    """Half-sets a week each weak group aims at (R18); half as many in a deload (R12)."""
    target = profile.weekly_sets[1]
    return target if deload else HALF * target


def ceiling(profile: Profile, deload: bool) -> int:
    """Half-sets a week past which more work for one group costs (R18: to a point)."""
    return aim(profile, deload) * evidence.SETS_CEILING_PCT // 100


def patterns(entries: Iterable[Entry]) -> set[str]:
    """The strength patterns ``entries`` cover."""
    return {e.exercise.pattern for e in entries if e.exercise.role == "strength"}


def missing_patterns(entries: Iterable[Entry]) -> list[tuple[str, ...]]:
    """Each of ``evidence.WEEKLY_PATTERNS`` (alternatives) that ``entries`` do not cover."""
    covered = patterns(entries)
    return [need for need in evidence.WEEKLY_PATTERNS if not covered & set(need)]
