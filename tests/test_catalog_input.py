"""Malformed catalogue files: random bytes, seeded mutations of the shipped catalogue and any
value in any cell each load or fail in one-line problems that start with the path; `planner
catalog` on them exits 0 or 2; never a traceback."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from clean_exit import assert_clean_exit, one_line
from malformed import NASTY, csv_line, fuzz, mutate_bytes, mutate_csv, survey
from planner import Catalog, CatalogError, load_catalog
from planner.catalog import SHIPPED

SHIPPED_TEXT = SHIPPED.read_text(encoding="utf-8")


def load_catalog_cleanly(path: Path) -> None:
    """``load_catalog`` returns a Catalog or raises CatalogError whose every problem is one line
    starting with the path; any other exception propagates."""
    try:
        assert isinstance(load_catalog(path), Catalog)
    except CatalogError as err:
        assert err.problems
        for problem in err.problems:
            assert one_line(problem), repr(problem[:300])
            assert problem.startswith(f"{path}:"), repr(problem[:300])


@fuzz(150)
@given(data=st.binary(max_size=4096))
def test_catalog_random_bytes_fail_in_one_line(folder, data):
    """Random bytes as a catalogue load or fail with one located line a problem."""
    path = folder / "bytes.csv"
    path.write_bytes(data)
    load_catalog_cleanly(path)


@fuzz(200)
@given(rng=st.randoms(use_true_random=False))
def test_catalog_mutations_fail_in_one_line(folder, rng):
    """The shipped catalogue with random line, cell and byte edits fails in located lines."""
    path = folder / "mutated.csv"
    if rng.random() < 0.2:
        path.write_bytes(mutate_bytes(SHIPPED_TEXT.encode(), rng))
    else:
        path.write_text(mutate_csv(SHIPPED_TEXT, rng), encoding="utf-8", newline="")
    load_catalog_cleanly(path)


@fuzz(150)
@given(data=st.data())
def test_catalog_any_text_in_any_cell_fails_in_one_line(folder, data):
    """Any text, number or nasty value in any cell (header included) fails in located lines."""
    rows = list(csv.reader(SHIPPED_TEXT.splitlines()))
    row = data.draw(st.integers(0, len(rows) - 1), label="row")
    column = data.draw(st.integers(0, len(rows[0]) - 1), label="column")
    rows[row][column] = data.draw(
        st.one_of(
            st.sampled_from(NASTY),
            st.text(max_size=30),
            st.integers().map(str),
            st.floats().map(repr),
        ),
        label="value",
    )
    path = folder / "cell.csv"
    path.write_text("".join(csv_line(r) for r in rows), encoding="utf-8", newline="")
    load_catalog_cleanly(path)


@fuzz(60)
@given(rng=st.randoms(use_true_random=False))
def test_catalog_command_on_mutations_exits_0_or_2(folder, invoke, rng):
    """`planner catalog --catalog FILE` on a mutated catalogue exits 0 or 2, no traceback."""
    path = folder / "command.csv"
    path.write_text(mutate_csv(SHIPPED_TEXT, rng), encoding="utf-8", newline="")
    assert_clean_exit(invoke("catalog", "--catalog", str(path)), (0, 2))


NAMED_CATALOGUES = {
    "empty": b"",
    "blank lines": b"\n\n  \n",
    "header only": SHIPPED_TEXT.splitlines()[0].encode(),
    "BOM": b"\xef\xbb\xbf" + SHIPPED_TEXT.encode(),
    "semicolons": SHIPPED_TEXT.replace(",", ";").encode(),
    "tabs": SHIPPED_TEXT.replace(",", "\t").encode(),
    "CR only": SHIPPED_TEXT.replace("\n", "\r").encode(),
    "quoted newline in an id": SHIPPED_TEXT.replace(
        "ball_release_glutes,", '"ball\nx",', 1
    ).encode(),
    "unterminated quote": SHIPPED_TEXT.replace(",Ball glute", ',"Ball glute', 1).encode(),
    "duplicate ids": (SHIPPED_TEXT + SHIPPED_TEXT.splitlines()[1] + "\n").encode(),
    "unknown level": SHIPPED_TEXT.replace(",beginner,", ",expert,", 1).encode(),
    "non-UTF-8": SHIPPED_TEXT.encode().replace(b"Ball", b"B\xffll", 1),
    "NUL": SHIPPED_TEXT.replace("Ball", "B\x00ll", 1).encode(),
    "200k field": SHIPPED_TEXT.replace("Sit or lie", "x" * 200_000, 1).encode(),
}
for _column, _value in (("sets", "-1"), ("rpe", "1e309"), ("reps", "nan"), ("reps", "9" * 5000)):
    _rows = list(csv.reader(SHIPPED_TEXT.splitlines()))
    _rows[1][_rows[0].index(_column)] = _value
    NAMED_CATALOGUES[f"{_column} {_value[:8]}"] = "".join(csv_line(r) for r in _rows).encode()


def test_1000_malformed_catalogues_give_no_traceback(folder):
    """1000 malformed catalogues each load or fail in located one-line problems: no traceback."""
    # The named cases first, then seeded random mutations of the shipped catalogue.
    rng = random.Random(0)
    base = SHIPPED_TEXT.encode()

    def inputs():
        for data in NAMED_CATALOGUES.values():
            yield data, ()
        for _ in range(1000 - len(NAMED_CATALOGUES)):
            if rng.random() < 0.2:
                yield mutate_bytes(base, rng), ()
            else:
                yield mutate_csv(SHIPPED_TEXT, rng).encode("utf-8", "surrogatepass"), ()

    tried, crashes = survey(folder / "loop.csv", inputs(), load_catalog_cleanly)
    assert tried == 1000
    assert not crashes, f"{len(crashes)} tracebacks in {tried}:\n" + "\n".join(crashes[:5])
