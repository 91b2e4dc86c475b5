"""A deterministic synthetic catalogue for scaling runs: variants of the shipped exercises.

Each synthetic exercise copies one shipped exercise and varies what a real catalogue varies between
near-duplicates: level, equipment, secondary groups, effort and dose. Safety flags
(spinal flexion, hip-flexor dominance, contraindications) and the primary group are kept, so a
variant is planned under the same rules as its original. The originals are taken in rounds,
each a fresh shuffle of the whole shipped catalogue, so every 100 exercises hold one variant of
each shipped one (its role, group and flag mix). The stream is drawn from one seed and sizes
nest: ``synthetic_catalog(500)`` is the first 500 of ``synthetic_catalog(2000)``.
"""

from __future__ import annotations

import random
from dataclasses import replace

from planner import load_catalog
from planner.catalog import GROUPS, Catalog, Exercise, parse_catalog
from planner.importer import catalog_csv

SEED = 20240604
SIZE = 2000
# Level mix of the imported free-exercise-db catalogue (148 / 79 / 26 of 253).
LEVEL_WEIGHTS = {"beginner": 58, "intermediate": 31, "advanced": 11}
# Equipment a variant may need instead of its original's, by role.
EQUIPMENT_CHOICES = {
    "release": (("massage_ball",), ("foam_roller",), ("massage_ball", "wall_or_chair")),
    "stretch": (("none",), ("mat",), ("wall_or_chair",), ("band",), ("bench",)),
    "mobility": (("none",), ("mat",), ("band",), ("wall_or_chair",)),
    "strength": (
        ("none",),
        ("mat",),
        ("band",),
        ("dumbbell",),
        ("kettlebell",),
        ("barbell",),
        ("cable",),
        ("machine",),
        ("stability_ball",),
        ("bench", "dumbbell"),
        ("medicine_ball",),
    ),
}
STRETCH_HOLDS = (15, 20, 25, 30)
VARY_SHARE = 0.5  # chance that a variant changes its level, and its equipment


def synthetic_catalog(size: int = SIZE, seed: int = SEED) -> Catalog:
    """``size`` synthetic exercises, checked by ``planner.catalog``'s own CSV loader."""
    rng = random.Random(seed)
    shipped = load_catalog().exercises
    bases: list[Exercise] = []
    while len(bases) < size:
        bases += rng.sample(shipped, len(shipped))
    exercises = tuple(_variant(base, number, rng) for number, base in enumerate(bases[:size]))
    catalog = Catalog(exercises, source=f"synthetic-{size} (seed {seed})")
    # Round trip through the loader: every row passes the same checks as a file would.
    return parse_catalog(catalog_csv(catalog), catalog.source)


def _variant(base: Exercise, number: int, rng: random.Random) -> Exercise:
    level = base.level
    if rng.random() < VARY_SHARE:
        level = rng.choices(list(LEVEL_WEIGHTS), weights=list(LEVEL_WEIGHTS.values()))[0]
    equipment = base.equipment
    if rng.random() < VARY_SHARE:
        equipment = rng.choice(EQUIPMENT_CHOICES[base.role])
    return replace(
        base,
        id=f"{base.id}_{number:04d}",
        name=f"{base.name} (variant {number})",
        level=level,
        equipment=equipment,
        groups=_groups(base, rng),
        rpe=min(10, max(1, base.rpe + rng.choice((-1, 0, 0, 1)))),
        **_dose(base, rng),
        progression="",
    )


def _groups(base: Exercise, rng: random.Random) -> tuple[str, ...]:
    """The primary group kept; secondary groups reshuffled, one sometimes added or dropped."""
    secondary = list(base.groups[1:])
    rng.shuffle(secondary)
    change = rng.random()
    if change < 0.25 and secondary:
        secondary.pop()
    elif change < 0.5 and len(secondary) < 3:
        secondary.append(rng.choice([g for g in GROUPS if g not in base.groups]))
    return (base.primary, *secondary)


def _dose(base: Exercise, rng: random.Random) -> dict[str, int]:
    if base.role == "stretch":
        return {"sets": base.sets, "reps": base.reps, "hold_s": rng.choice(STRETCH_HOLDS)}
    if base.role == "release":
        return {"sets": 1, "reps": 1, "hold_s": max(30, base.hold_s + rng.choice((-15, 0, 15)))}
    sets = min(5, max(1, base.sets + rng.choice((-1, 0, 1))))
    reps = min(30, max(1, base.reps + rng.choice((-2, 0, 2))))
    return {"sets": sets, "reps": reps, "hold_s": base.hold_s}
