"""The README's transcripts (tools/readme.py): the real README is current, and the tool finds
stale blocks, masks wall-clock seconds, honours skip markers and refuses blocks it cannot run."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # tools/ is not installed: a bare `pytest` may not have the root
    sys.path.insert(0, str(ROOT))

from tools import readme  # noqa: E402

FENCE = "```"


def write(tmp_path: Path, *lines: str) -> Path:
    """A README in ``tmp_path`` made of ``lines``."""
    path = tmp_path / "README.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def console(*lines: str) -> list[str]:
    """A console block of ``lines``."""
    return [FENCE + "console", *lines, FENCE]


def test_the_readme_transcripts_are_current():
    """python -m tools.readme --check passes on README.md: every transcript is as run."""
    done = subprocess.run(
        [sys.executable, "-m", "tools.readme", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, (
        f"{done.stdout}{done.stderr}\nRegenerate with python -m tools.readme and read the diff."
    )


def test_a_stale_block_is_reported_with_a_diff_and_the_file_left_alone(tmp_path, capsys):
    """--check exits 1 naming the block's line, with the output as written and as run."""
    path = write(tmp_path, "# t", "", *console("$ echo hello", "goodbye"))
    before = path.read_text(encoding="utf-8")
    assert readme.main([str(path), "--check"]) == 1
    out = capsys.readouterr().out
    assert "README.md:3: stale transcript" in out
    assert "-goodbye\n" in out
    assert "+hello\n" in out
    assert path.read_text(encoding="utf-8") == before


def test_a_rewrite_puts_each_commands_output_under_it(tmp_path):
    """Commands of one block run in order in one directory; text around blocks is kept."""
    path = write(
        tmp_path,
        "Before.",
        *console("$ echo one > f.txt", "stale", "$ cat f.txt", "$ echo two"),
        "After.",
    )
    assert readme.main([str(path)]) == 0
    assert path.read_text(encoding="utf-8") == "\n".join(
        ["Before.", *console("$ echo one > f.txt", "$ cat f.txt", "one", "$ echo two", "two")]
        + ["After.", ""]
    )
    assert readme.main([str(path), "--check"]) == 0


def test_each_block_runs_in_a_fresh_directory_that_is_home(tmp_path):
    """A file written by one block is not there for the next; HOME is the block's directory."""
    second = '$ ls; test "$HOME" = "$PWD" && echo home'
    path = write(tmp_path, *console("$ touch left.txt"), *console(second))
    readme.main([str(path)])
    expected = [*console("$ touch left.txt"), *console(second, "home"), ""]
    assert path.read_text(encoding="utf-8") == "\n".join(expected)


def test_commands_see_the_fixed_environment(tmp_path, monkeypatch):
    """NO_COLOR, COLUMNS, TERM, TZ and LC_ALL are fixed whatever the calling shell has."""
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setenv("PLANNER_README_LEAK", "yes")
    command = '$ echo "$NO_COLOR $COLUMNS $TERM $TZ $LC_ALL ${PLANNER_README_LEAK:-none}"'
    path = write(tmp_path, *console(command))
    readme.main([str(path)])
    assert "1 100 dumb UTC C.UTF-8 none" in path.read_text(encoding="utf-8").split("\n")


def test_stderr_is_merged_in_order_and_colour_codes_are_removed(tmp_path):
    """stdout and stderr interleave as written; escape codes and trailing blanks go."""
    path = write(
        tmp_path,
        *console(r"$ echo out; echo err >&2; printf '\033[31mred\033[0m  \n\n\n'"),
    )
    readme.main([str(path)])
    assert path.read_text(encoding="utf-8").split("\n")[2:6] == ["out", "err", "red", FENCE]


def test_wall_clock_seconds_are_masked():
    """Decimal seconds become <s>; whole seconds, holds and deterministic seconds stay."""
    assert readme.mask("Solver: optimal, objective 0 (bound 0), 0.05 s.") == (
        "Solver: optimal, objective 0 (bound 0), <s>."
    )
    assert readme.mask("0.01 deterministic s, 0.31 s, 465 variables; in 12.3 s") == (
        "0.01 deterministic s, <s>, 465 variables; in <s>"
    )
    assert readme.mask("1 x 60 s/side, 2 x 5 x 10 s, a time limit of 10 s") == (
        "1 x 60 s/side, 2 x 5 x 10 s, a time limit of 10 s"
    )


def test_a_block_that_differs_only_in_seconds_is_current_and_kept(tmp_path):
    """The README keeps the seconds of the run that wrote it; only other changes are stale."""
    path = write(tmp_path, *console("$ echo 'Solved in 1.23 s.'", "Solved in 0.05 s."))
    before = path.read_text(encoding="utf-8")
    assert readme.main([str(path), "--check"]) == 0
    assert readme.main([str(path)]) == 0
    assert path.read_text(encoding="utf-8") == before


def test_a_skipped_block_is_not_run(tmp_path):
    """A skip marker (blank lines allowed before the fence) leaves the block unrun."""
    path = write(
        tmp_path,
        "<!-- readme: skip (install commands) -->",
        "",
        *console("pip install -e .", "$ touch ran.txt", "not what it prints"),
    )
    assert readme.blocks(path.read_text(encoding="utf-8"))[0].skip == "install commands"
    assert readme.main([str(path), "--check"]) == 0


def test_an_unmarked_block_without_commands_is_refused_before_anything_runs(tmp_path, capsys):
    """A console block with no '$ ' line and no marker: exit 2 naming its line; none run."""
    path = write(
        tmp_path,
        *console("$ echo first", "first"),
        "",
        *console("pip install -e .", "python -m pytest"),
    )
    assert readme.main([str(path), "--check"]) == 2
    err = capsys.readouterr().err
    assert "README.md: line 6: a console block with no '$ ' command" in err
    assert "<!-- readme: skip (why) -->" in err

    def runner(commands):
        raise AssertionError(f"ran {commands}")

    with pytest.raises(readme.ReadmeError):
        readme.stale_blocks(path.read_text(encoding="utf-8"), runner)


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (console("output first", "$ echo x"), "line 1: output before the first '$ ' command"),
        ([FENCE, "$ echo x", "x", FENCE], "line 1: a '$ ' command in a plain block"),
        (
            ["<!-- readme: skipp (typo) -->", *console("$ echo x")],
            "line 1: unknown marker '<!-- readme: skipp (typo) -->'",
        ),
        (["<!-- readme: skip () -->", *console("$ echo x")], "line 1: unknown marker"),
        ([FENCE + "console", "$ echo x"], "line 1: a fence that is never closed"),
    ],
)
def test_blocks_the_tool_cannot_treat_are_refused(tmp_path, capsys, lines, message):
    """Output before a command, a '$ ' line outside a console block, a bad marker, an open
    fence: exit 2 with one line naming it."""
    path = write(tmp_path, *lines)
    assert readme.main([str(path), "--check"]) == 2
    assert message in capsys.readouterr().err


def test_other_fenced_blocks_are_left_alone(tmp_path):
    """Python, TOML and plain blocks without '$ ' lines are not transcripts."""
    path = write(
        tmp_path,
        FENCE + "python",
        "print('not run')",
        FENCE,
        FENCE,
        "== a table ==",
        FENCE,
    )
    before = path.read_text(encoding="utf-8")
    assert readme.main([str(path), "--check"]) == 0
    assert readme.main([str(path)]) == 0
    assert path.read_text(encoding="utf-8") == before


def test_a_command_over_the_timeout_stops_the_run(tmp_path, capsys):
    """A command that runs too long is ended, with its pipeline, and the run exits 2."""
    path = write(tmp_path, *console("$ sleep 30 | cat"))
    assert readme.main([str(path), "--check", "--timeout", "0.5"]) == 2
    assert "README.md: 'sleep 30 | cat' ran over 0.5 s" in capsys.readouterr().err


def test_a_command_not_found_stops_the_run_instead_of_being_written(tmp_path, capsys):
    """Exit 127 (not installed, a typo) is an error naming the block, not a transcript."""
    path = write(tmp_path, *console("$ no-such-command-here --help"))
    before = path.read_text(encoding="utf-8")
    assert readme.main([str(path)]) == 2
    assert "README.md: line 1: 'no-such-command-here --help' exited 127" in (
        capsys.readouterr().err
    )
    assert path.read_text(encoding="utf-8") == before
