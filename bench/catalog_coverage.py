"""Catalogue coverage: what each level, equipment set and condition leaves a week to build from.

    python -m bench.catalog_coverage                  # the shipped catalogue
    python -m bench.catalog_coverage --catalog FILE   # another one (an import, say)

For each level (its preset's catalogue levels and effort cap), equipment set and condition,
through ``Profile.for_level(level, ...).allowed(catalog)``, one row counts the allowed:

- strength exercises for each weak group (issue 16: glutes, core, hamstrings), as
  ``primary/credit``: how many have the group first, and the sum of their fractional credit
  (R19, Pelland 2024: 1 when the group is primary, 0.5 when it is another group trained);
- strength exercises of each pattern R22 asks a week to cover, and of ``hinge|curl``, the
  hinge or hamstring curl a week needs at least one of;
- stretches and releases with the tight groups (hip flexors, lower back) first.

A ``!`` marks a cell a week cannot be built from: a pattern with nothing allowed, or a weak
group with fewer than ``MIN_PRIMARY`` primary exercises, which leaves the week no choice (an
exercise is given on at most 3 days, and each session of 20 minutes or more wants two
strength exercises). Releases need a ball or roller, so bodyweight rows have none by design.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable

import pandas as pd

from planner import Catalog, Profile, load_catalog
from planner.catalog import CORE_GROUPS, LEVELS, Exercise

EQUIPMENT_SETS: dict[str, frozenset[str] | None] = {
    "bodyweight": frozenset({"none", "mat", "wall_or_chair"}),
    "home": frozenset(
        {
            "none",
            "mat",
            "wall_or_chair",
            "band",
            "dumbbell",
            "stability_ball",
            "massage_ball",
            "foam_roller",
        }
    ),
    "gym": None,  # everything
}
CONDITION_SETS: dict[str, frozenset[str]] = {
    "-": frozenset(),
    "back_pain": frozenset({"back_pain"}),
}
WEAK_GROUPS = ("glutes", "core", "hamstrings")
# R22's patterns, with the short headings the table uses.
WEEK_PATTERNS = {
    "hinge": "hinge",
    "squat_lunge": "squat",
    "bridge_thrust": "bridge",
    "anti_extension": "a-ext",
    "anti_rotation": "a-rot",
    "anti_lateral_flexion": "a-lat",
    "back_extension": "b-ext",
}
MIN_PRIMARY = 2


def credit(e: Exercise, group: str) -> float:
    """Fractional sets one set of ``e`` counts for ``group`` (R19): 1 primary, 0.5 other."""
    if e.role != "strength":
        return 0.0

    def is_group(g: str) -> bool:
        return g in CORE_GROUPS if group == "core" else g == group

    credited = [g for g in e.groups if g in e.credited_groups]
    if credited and credited[0] == e.primary and is_group(e.primary):
        return 1.0
    return 0.5 if any(is_group(g) for g in credited) else 0.0


def coverage_row(allowed: Iterable[Exercise]) -> dict[str, str | int]:
    """One row of counts (as text with ``!`` marks) for the exercises a profile may use."""
    allowed = tuple(allowed)
    strength = [e for e in allowed if e.role == "strength"]
    row: dict[str, str | int] = {}
    for group in WEAK_GROUPS:
        primary = sum(credit(e, group) == 1 for e in strength)
        total = sum(credit(e, group) for e in strength)
        mark = "!" if primary < MIN_PRIMARY else ""
        row[group] = f"{primary}/{total:g}{mark}"
    for pattern, heading in WEEK_PATTERNS.items():
        n = sum(e.pattern == pattern for e in strength)
        row[heading] = f"{n}!" if n == 0 else n
    n = sum(e.pattern in ("hinge", "hamstring_curl") for e in strength)
    row["hinge|curl"] = f"{n}!" if n == 0 else n
    for role in ("stretch", "release"):
        for group, short in (("hip_flexors", "HF"), ("lower_back", "LB")):
            row[f"{short} {role[:3]}"] = sum(e.role == role and e.primary == group for e in allowed)
    row["strength"] = len(strength)
    return row


def coverage_table(catalog: Catalog) -> pd.DataFrame:
    """One row per condition, level and equipment set."""
    rows = []
    for condition, conditions in CONDITION_SETS.items():
        for level in LEVELS:
            for kit, equipment in EQUIPMENT_SETS.items():
                profile = Profile.for_level(level, equipment=equipment, conditions=conditions)
                rows.append(
                    {
                        "condition": condition,
                        "level": level,
                        "equipment": kit,
                        **coverage_row(profile.allowed(catalog)),
                    }
                )
    return pd.DataFrame(rows)


def gaps(table: pd.DataFrame) -> list[str]:
    """Each marked cell as 'condition level equipment: column value'."""
    found = []
    for _, row in table.iterrows():
        for column, value in row.items():
            if isinstance(value, str) and value.endswith("!"):
                where = f"{row['condition']} {row['level']} {row['equipment']}"
                found.append(f"{where}: {column} {value}")
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--catalog", help="catalogue CSV (default: the shipped one)")
    args = parser.parse_args(argv)
    catalog = load_catalog(args.catalog) if args.catalog else load_catalog()
    table = coverage_table(catalog)
    print(f"{catalog.source}: {len(catalog)} exercises")
    print(table.to_string(index=False))
    found = gaps(table)
    print(f"\n{len(found)} gaps" + (":" if found else ""))
    for line in found:
        print(f"  {line}")


if __name__ == "__main__":
    main()
