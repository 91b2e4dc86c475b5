"""Substitutes for an exercise: what a person can do instead of it, ranked, with why each one
fits (issue 18: the gym has no cable machine today, the side plank hurts a wrist).

A substitute has the exercise's role and is one the profile allows (its level, equipment,
exclusions and conditions: ``Profile.reason_excluded``), and shares its movement pattern or its
main group. Ranked by: the same pattern and main group first, then the same main group, then
the same pattern; within those, the exercise's own easier or harder variant (the catalogue's
progression chain), more groups in common, an effort (RPE) and level nearer its own, and the
catalogue id last, so the order never depends on anything but the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.catalog import LEVELS, Catalog, Exercise
from planner.profile import Profile


@dataclass(frozen=True)
class Alternative:
    """One substitute and why it fits, a phrase each."""

    exercise: Exercise
    reasons: tuple[str, ...]


def alternatives(catalog: Catalog, profile: Profile, exercise_id: str) -> list[Alternative]:
    """The substitutes for ``exercise_id`` the profile allows, best first."""
    original = catalog[exercise_id]
    ranked = []
    for e in catalog:
        if e.id == original.id or e.role != original.role:
            continue
        same_pattern = bool(e.pattern) and e.pattern == original.pattern
        same_primary = e.primary == original.primary
        if not (same_pattern or same_primary) or profile.reason_excluded(e) is not None:
            continue
        kind = 0 if same_pattern and same_primary else 1 if same_primary else 2
        linked = original.id == e.progression or original.progression == e.id
        shared = set(e.groups) & set(original.groups)
        key = (
            kind,
            not linked,
            -len(shared),
            abs(e.rpe - original.rpe),
            abs(LEVELS.index(e.level) - LEVELS.index(original.level)),
            e.id,
        )
        ranked.append((key, Alternative(e, _reasons(original, e, same_pattern, same_primary))))
    return [alternative for _, alternative in sorted(ranked, key=lambda pair: pair[0])]


def _reasons(original: Exercise, e: Exercise, same_pattern: bool, same_primary: bool):
    reasons = []
    if same_pattern and same_primary:
        reasons.append(f"same movement ({e.pattern}) and main group ({e.primary})")
    elif same_primary:
        reasons.append(f"same main group ({e.primary}), another movement ({e.pattern or 'none'})")
    else:
        reasons.append(f"same movement ({e.pattern}), main group {e.primary}")
    if original.progression == e.id:
        reasons.append(f"the harder variant of {original.id}")
    elif e.progression == original.id:
        reasons.append(f"the easier variant of {original.id}")
    others = [g for g in e.groups if g in original.groups and g != original.primary]
    if others:
        reasons.append(f"also trains {', '.join(others)}")
    step = e.rpe - original.rpe
    effort = "the same effort" if step == 0 else f"{abs(step)} {'more' if step > 0 else 'less'}"
    reasons.append(f"RPE {e.rpe} ({effort})")
    needs = [x for x in e.equipment if x != "none"]
    reasons.append(f"needs {', '.join(needs)}" if needs else "no equipment")
    return tuple(reasons)
