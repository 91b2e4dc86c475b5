"""Malformed profile files: random bytes, seeded mutations of each level's preset (misspelt
keys, wrong types, NaN, broken TOML) and any value for any key each load or fail in one line
that starts with the path; never a traceback."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from clean_exit import one_line
from malformed import fuzz, insert_at, mutate_bytes, random_text, survey
from planner import Profile, ProfileFileError, dump_profile, load_profile
from planner.catalog import LEVELS
from planner.profile_file import KEYS

PROFILE_TEXTS = tuple(dump_profile(Profile.for_level(level)) for level in LEVELS)


# TOML values of every type and none the keys expect: strings, booleans, arrays, tables,
# dates, times, negative, huge (beyond 64 bits, beyond 4300 digits), NaN and infinities.
TOML_VALUES = (
    '"x"',
    '""',
    "true",
    "[1]",
    "[]",
    "[[]]",
    "{a = 1}",
    "1979-05-27",
    "07:00:00",
    "07:00:30",
    "1979-05-27T07:32:00",
    "-1",
    "0",
    "0.5",
    "-0.0",
    "1" + "0" * 30,
    "9" * 5000,
    "2147483648",
    "nan",
    "inf",
    "-inf",
    "1e309",
    '["mon", "mon"]',
    '["xyz"]',
    "[1, 2, 3]",
    "[2, 1]",
    '"25:00"',
    '"\\n"',
    "[" * 2000 + "]" * 2000,
)


TOML_LINES = (
    "[shares]\n",
    "[screening]\n",
    "[x]\n",
    "[[days]]\n",
    "shares = 1\n",
    "a.b = 1\n",
    "hip_flexors = 150\n",
    "night_pain = true\n",
    "screening.fever = 1\n",
)


def typo(key: str, rng: random.Random) -> str:
    """``key`` misspelt: a letter dropped, two swapped, upper case, or a letter added."""
    if len(key) < 2:
        return key + "x"
    at = rng.randrange(len(key) - 1)
    return rng.choice(
        (
            key[:at] + key[at + 1 :],
            key[:at] + key[at + 1] + key[at] + key[at + 2 :],
            key.upper(),
            key + rng.choice("sx_"),
        )
    )


def mutate_toml(text: str, rng: random.Random) -> str:
    """``text`` after one to three random edits: a key misspelt, a value of the wrong type or
    range, a line deleted, duplicated, commented in or broken, a stray table, a truncation."""
    for _ in range(rng.randint(1, 3)):
        lines = text.splitlines(keepends=True) or [""]
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        line, edit = lines[i], rng.randrange(8)
        if edit < 3 and "=" in line and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            if edit == 0:
                lines[i] = f"{typo(key.strip(), rng)} ={value}"
            else:
                lines[i] = f"{key}= {rng.choice(TOML_VALUES)}\n"
        elif edit == 3:
            del lines[i]
        elif edit == 4:
            lines.insert(i, lines[j])
        elif edit == 5:
            lines[i] = insert_at(line, random_text(rng), rng)
        elif edit == 6:
            lines.insert(i, rng.choice(TOML_LINES))
        else:
            lines[i] = line.lstrip("# ")  # a commented-out example, taken in
        text = "".join(lines)
    if rng.random() < 0.1:
        text = text[: rng.randrange(len(text) + 1)]
    return text


def toml_value(value) -> str:
    """``value`` written as TOML, near enough (hypothesis draws the values)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value)  # a valid TOML basic string
    return "[" + ", ".join(toml_value(v) for v in value) + "]"


def load_profile_cleanly(path: Path) -> None:
    """``load_profile`` returns a Profile or raises ProfileFileError: one line, path first."""
    try:
        assert isinstance(load_profile(path), Profile)
    except ProfileFileError as err:
        assert one_line(str(err)), repr(str(err)[:300])
        assert str(err).startswith(f"{path}:"), repr(str(err)[:300])


@fuzz(150)
@given(data=st.binary(max_size=2048))
def test_profile_random_bytes_fail_in_one_line(folder, data):
    """Random bytes as a profile load or fail with one line naming the file."""
    path = folder / "bytes.toml"
    path.write_bytes(data)
    load_profile_cleanly(path)


@fuzz(200)
@given(rng=st.randoms(use_true_random=False))
def test_profile_mutations_fail_in_one_line(folder, rng):
    """A preset with misspelt keys, wrong types, NaN, bad lines or TOML fails in one line."""
    path = folder / "mutated.toml"
    text = rng.choice(PROFILE_TEXTS)
    if rng.random() < 0.15:
        path.write_bytes(mutate_bytes(text.encode(), rng))
    else:
        path.write_text(mutate_toml(text, rng), encoding="utf-8")
    load_profile_cleanly(path)


TOML_ANY = st.recursive(
    st.one_of(
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=20),
        st.dates(),
        st.times().map(lambda t: t.replace(microsecond=0)),
    ),
    lambda inner: st.lists(inner, max_size=4),
    max_leaves=8,
)


@fuzz(200)
@given(data=st.data())
def test_profile_any_value_for_any_key_fails_in_one_line(folder, data):
    """Any value of any type for any key (or a misspelt key) in a preset fails in one line."""
    text = data.draw(st.sampled_from(PROFILE_TEXTS), label="preset")
    key = data.draw(st.sampled_from(KEYS), label="key")
    if data.draw(st.booleans(), label="misspelt"):
        key = typo(key, data.draw(st.randoms(use_true_random=False), label="typo"))
    value = toml_value(data.draw(TOML_ANY, label="value"))
    kept = [line for line in text.splitlines() if not line.startswith(f"{key} =")]
    path = folder / "value.toml"
    path.write_text("\n".join([f"{key} = {value}", *kept]) + "\n", encoding="utf-8")
    load_profile_cleanly(path)


NAMED_PROFILES = {
    "empty": b"",
    "BOM": b"\xef\xbb\xbf" + PROFILE_TEXTS[0].encode(),
    "misspelt key": b"minuts = 30\n",
    "unknown key": b"colour = 'red'\n",
    "string for a number": b'minutes = "30"\n',
    "string for a list": b'days = "mon"\n',
    "float for a whole number": b"weeks = 4.0\n",
    "quoted date": b'start = "2026-11-30"\n',
    "NaN": b"time_limit = nan\n",
    "infinity": b"session_fill = inf\n",
    "1e309": b"acwr_cap = 1e309\n",
    "negative": b"minutes = -5\n",
    "beyond 64 bits": b"seed = 100000000000000000000000000000\n",
    "4301 digits": b"seed = " + b"9" * 4301 + b"\n",
    "deep nesting": b"days = " + b"[" * 5000 + b"]" * 5000 + b"\n",
    "duplicate key": b"minutes = 30\nminutes = 40\n",
    "broken table": b"[shares\n",
    "non-UTF-8": b"level = 'beg\xffinner'\n",
    "contradiction": b'days = ["mon"]\nsessions = 3\n',
    "retired [shares] table": b"[shares]\nhip_flexors = 150\n",
}


def test_500_malformed_profiles_give_no_traceback(folder):
    """500 malformed profiles each load or fail in one line naming the file: no traceback."""
    # The named cases first, then seeded mutations of each level's preset.
    rng = random.Random(0)

    def inputs():
        for data in NAMED_PROFILES.values():
            yield data, ()
        for _ in range(500 - len(NAMED_PROFILES)):
            text = rng.choice(PROFILE_TEXTS)
            if rng.random() < 0.15:
                yield mutate_bytes(text.encode(), rng), ()
            else:
                yield mutate_toml(text, rng).encode("utf-8", "surrogatepass"), ()

    tried, crashes = survey(folder / "loop.toml", inputs(), load_profile_cleanly)
    assert tried == 500
    assert not crashes, f"{len(crashes)} tracebacks in {tried}:\n" + "\n".join(crashes[:5])
