"""Choosing exercises from a catalogue by role, group, level and equipment, as
``planner catalog`` lists them.

TODO(issue 14): this belongs beside the catalogue schema, as ``Catalog.select`` in
planner/catalog.py; it lives here only while catalog.py is being restructured elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable

from planner.catalog import EQUIPMENT, LEVELS, Catalog, Exercise


def select(
    catalog: Catalog,
    role: str | None = None,
    group: str | None = None,
    level: str | None = None,
    equipment: Iterable[str] | None = None,
) -> list[Exercise]:
    """The exercises of ``catalog``, in its order, that have ``role``, work ``group``, are at
    ``level`` or easier, and need nothing beyond ``equipment`` ("none" is always had); None
    leaves that filter out.

    Raises ``ValueError`` naming the first unknown equipment name: a typo would otherwise
    quietly list nothing."""
    have = None
    if equipment is not None:
        have = set(equipment) | {"none"}
        unknown = sorted(have - set(EQUIPMENT))
        if unknown:
            raise ValueError(f"{unknown[0]!r} is unknown; allowed: {', '.join(EQUIPMENT)}")
    return [
        e
        for e in catalog
        if (role is None or e.role == role)
        and (group is None or group in e.groups)
        and (level is None or LEVELS.index(e.level) <= LEVELS.index(level))
        and (have is None or set(e.equipment) <= have)
    ]
