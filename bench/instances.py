"""The benchmark's instances: which catalogue, level and number of weeks, and their targets.

Catalogues: the shipped one; free-exercise-db converted exactly as ``planner catalog import
free-exercise-db`` converts it (shipped override table, unknown equipment dropped); and the
synthetic catalogue of ``bench.synthetic`` at any size (``synthetic-500``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from bench.synthetic import synthetic_catalog
from planner import Catalog, Profile, SolverOptions, load_catalog
from planner.importer import DEFAULT_OVERRIDES, DEFAULT_SOURCE, IMPORTERS

FEDB_PATH = DEFAULT_SOURCE
LEVELS = ("beginner", "intermediate", "advanced")
WEEKS = (1, 4, 12, 52)
# The targets: an imported-catalogue programme of up to 12 weeks proven optimal (or
# within 1 % of the best-known objective) in 10 s and 500 MB; 52 weeks valid in 30 s.
TARGET_SECONDS = {1: 10.0, 4: 10.0, 12: 10.0, 52: 30.0}
TARGET_MB = 500
TARGET_GAP = 0.01
# The targets are wall-clock seconds; the product's budget for a target is this many
# deterministic seconds per second of it, what its time limit gave before the budget was a
# setting of its own (planner.settings), so that the tables compare with earlier runs.
BUDGET_PER_SECOND = 0.4


def options(seconds: float, seed: int = 0) -> SolverOptions:
    """The solver options for a wall-clock target of ``seconds``: the budget it stands for,
    and the target itself as the safety net."""
    return SolverOptions(seed=seed, budget=BUDGET_PER_SECOND * seconds, time_limit=seconds)


@dataclass(frozen=True)
class Instance:
    catalog: str  # "shipped", "fedb" or "synthetic-<size>"
    level: str
    weeks: int

    @property
    def key(self) -> str:
        return f"{self.catalog}/{self.level}/w{self.weeks}"

    @property
    def time_limit(self) -> float:
        """The product's --time-limit for this instance: the target's seconds."""
        return TARGET_SECONDS.get(self.weeks, 10.0)

    def profile(self) -> Profile:
        return Profile.for_level(self.level, weeks=self.weeks)

    def options(self, time_limit: float | None = None, seed: int = 0) -> SolverOptions:
        return options(self.time_limit if time_limit is None else time_limit, seed)

    @staticmethod
    def from_key(key: str) -> Instance:
        catalog, level, weeks = key.split("/")
        return Instance(catalog, level, int(weeks.removeprefix("w")))


@functools.cache
def load(name: str) -> Catalog:
    """The named catalogue (cached: the importer and generator take up to a second)."""
    if name == "shipped":
        return load_catalog()
    if name == "fedb":
        return IMPORTERS["free-exercise-db"](FEDB_PATH, DEFAULT_OVERRIDES, False).catalog
    if name.startswith("synthetic-"):
        return synthetic_catalog(int(name.removeprefix("synthetic-")))
    raise ValueError(f"unknown catalogue {name!r}; known: shipped, fedb, synthetic-<size>")


def instances(catalogs, levels=LEVELS, weeks=WEEKS) -> list[Instance]:
    return [Instance(c, lv, w) for c in catalogs for w in weeks for lv in levels]
