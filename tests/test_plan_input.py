"""Malformed plan files: random bytes and seeded mutations of a solved week and programme
each read, check and carry on (`--after`), or fail in one line naming the file; `planner
check` on them exits 0, 1 or 2; each loader given a directory fails in one line; never a
traceback."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clean_exit import assert_clean_exit, one_line
from malformed import PLAN_CASES, fuzz, mutate_bytes, mutate_csv, survey
from planner import (
    Catalog,
    PlanFileError,
    Profile,
    check_plan,
    history_after,
    load_catalog,
    load_profile,
    read_plan,
    solve,
)
from planner.catalog import MAX_SHOWN
from planner.export import csv_text


def read_plan_cleanly(path: Path, profile: Profile, catalog: Catalog) -> None:
    """``read_plan`` gives a plan or a PlanFileError of located lines (each naming the file);
    a plan then goes through ``check_plan`` (one line a violation) and ``history_after``
    (``--after``: ValueError)."""
    try:
        plan = read_plan(path, catalog, profile)
    except PlanFileError as err:
        assert len(err.problems) >= 1
        for line in str(err).splitlines():
            assert line.startswith(f"{path}:") or line.startswith("... and "), repr(line[:300])
        assert len(str(err).splitlines()) <= MAX_SHOWN + 1
        return
    for violation in check_plan(plan):
        assert one_line(str(violation)), repr(str(violation)[:300])
    try:
        history_after(plan)
    except ValueError as err:
        assert one_line(str(err)), repr(str(err)[:300])


@pytest.fixture(scope="module")
def plans(shipped) -> dict[str, tuple[str, Profile, tuple[str, ...]]]:
    """Each PLAN_CASES plan, solved once: (CSV text, its profile, the options that give it)."""
    out = {}
    for name, (settings_, options) in PLAN_CASES.items():
        profile = Profile.for_level("beginner", **settings_)
        out[name] = (csv_text(solve(shipped, profile)), profile, options)
    return out


@fuzz(100)
@given(data=st.binary(max_size=2048))
def test_read_plan_random_bytes_fail_in_one_line(folder, shipped, plans, data):
    """Random bytes as a plan CSV read or fail with one line naming the file."""
    path = folder / "bytes-plan.csv"
    path.write_bytes(data)
    _, profile, _ = plans["week"]
    read_plan_cleanly(path, profile, shipped)


@fuzz(150)
@given(rng=st.randoms(use_true_random=False))
def test_read_plan_mutations_fail_in_one_line(folder, shipped, plans, rng):
    """A mutated plan reads and checks, or fails in one line: read_plan, check_plan, --after."""
    text, profile, _ = plans[rng.choice(sorted(plans))]
    path = folder / "mutated-plan.csv"
    if rng.random() < 0.15:
        path.write_bytes(mutate_bytes(text.encode(), rng))
    else:
        path.write_text(mutate_csv(text, rng), encoding="utf-8", newline="")
    read_plan_cleanly(path, profile, shipped)


@fuzz(60)
@given(rng=st.randoms(use_true_random=False))
def test_check_command_on_mutated_plans_exits_0_1_or_2(folder, plans, invoke, rng):
    """`planner check FILE` on a mutated plan exits 0, 1 or 2 and never with a traceback."""
    text, _, options = plans[rng.choice(sorted(plans))]
    path = folder / "check.csv"
    path.write_text(mutate_csv(text, rng), encoding="utf-8", newline="")
    assert_clean_exit(invoke("check", str(path), *options), (0, 1, 2))


def test_500_malformed_plans_give_no_traceback(folder, shipped, plans):
    """500 mutated plans each read, check and carry on, or fail in one line: no traceback."""
    rng = random.Random(0)
    cases = [plans[name] for name in sorted(plans)]

    def inputs():
        for _ in range(500):
            text, profile, _ = rng.choice(cases)
            if rng.random() < 0.15:
                yield mutate_bytes(text.encode(), rng), (profile, shipped)
            else:
                yield mutate_csv(text, rng).encode("utf-8", "surrogatepass"), (profile, shipped)

    tried, crashes = survey(folder / "loop-plan.csv", inputs(), read_plan_cleanly)
    assert tried == 500
    assert not crashes, f"{len(crashes)} tracebacks in {tried}:\n" + "\n".join(crashes[:5])


def test_after_a_plan_with_a_huge_week_number_exits_2(tmp_path, plans, invoke):
    """`plan --after FILE` whose last row claims week 10^40 exits 2 with one line."""
    text, _, options = plans["programme"]
    lines = text.splitlines()
    lines[-1] = "9" * 40 + lines[-1][lines[-1].index(",") :]
    path = tmp_path / "after.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = invoke("plan", *options, "--after", str(path))
    assert_clean_exit(result, (2,))
    assert result.output.startswith(f"Error: --after {path}: ")
    assert one_line(result.output.rstrip("\n"))


def _read_plan(path):
    return read_plan(path, load_catalog(), Profile())


@pytest.mark.parametrize(
    "load", [load_catalog, load_profile, _read_plan], ids=["catalog", "profile", "read_plan"]
)
def test_a_directory_given_as_a_file_fails_in_one_line(tmp_path, load):
    """Each loader given a directory fails with one line naming it, not IsADirectoryError."""
    with pytest.raises(ValueError) as err:
        load(tmp_path)
    assert one_line(str(err.value))
    assert str(err.value).startswith(f"{tmp_path}: is a directory")
