"""The README's terminal transcripts, kept true by running them.

``python -m tools.readme`` rewrites README.md in place (atomically) with every console block
regenerated; ``python -m tools.readme --check`` changes nothing and exits 1 naming each stale
block with a unified diff. tests/test_readme.py runs the check.

A console block (a fence opened with three backticks and ``console``) is a transcript: each
line starting with ``$ `` is a command and the lines up to the next one are its output. The
commands of one block run in order, through ``bash -c``, in a fresh temporary directory of
their own (so one command may read what an earlier one wrote), with stderr merged into stdout
as a terminal shows them and a fixed environment (``ENVIRONMENT``; HOME is the temporary
directory, so no profile or file of the user's leaks in). Output is written under its command
with colour codes removed, trailing spaces stripped and trailing blank lines dropped.

Wall-clock seconds (``0.05 s``, ``in 1.23 s``) differ from run to run: they are compared as
``<s>`` on both sides (``mask``), and a block whose masked text is unchanged is left as it
stands, so the README keeps the figures of the run that last changed it.

A block that must not be run (install commands, a benchmark that takes minutes) is marked by
an HTML comment on the line before it (blank lines between are allowed), saying why:
``<!-- readme: skip (install commands) -->``. A console block that has no command, or output
before its first command, is refused unless marked; so is a ``$ `` line in a fence that is
not a console block, so that no transcript escapes the check.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import os
import re
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"

PROMPT = "$ "
# What every command sees, whatever the calling shell has: plain text at a fixed width, UTC,
# UTF-8, and Python's stdout unbuffered so that stdout and stderr interleave in the order
# they were written, as on a terminal.
ENVIRONMENT = {
    "NO_COLOR": "1",
    "COLUMNS": "100",
    "TERM": "dumb",
    "TZ": "UTC",
    "LC_ALL": "C.UTF-8",
    "PYTHONUNBUFFERED": "1",
}
# Seconds one command may take before the run is abandoned.
TIMEOUT = 300

_FENCE = re.compile(r"^```(.*)$")
_MARKER = re.compile(r"^<!--\s*readme:(.*?)-->\s*$")
_SKIP = re.compile(r"^skip\s*\((.+)\)$")
# Wall-clock seconds as the planner prints them ("0.05 s", "2.1 s"): a decimal figure, a
# space and "s" on its own. Whole seconds ("10 s" time limits, "30 s/side" holds) and
# "0.01 deterministic s" are the same on every run and are compared as they are.
_SECONDS = re.compile(r"(?<![\w.])\d+\.\d+ s(?![\w/])")
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


class ReadmeError(ValueError):
    """A fenced block the tool cannot treat: the message names the line and what to do."""


@dataclass(frozen=True)
class Block:
    """One fenced block: ``lines`` are its lines between the fences, the first of them
    ``start`` (0-based) in the file; ``skip`` is the reason given by a skip marker."""

    info: str
    start: int
    lines: tuple[str, ...]
    skip: str | None

    @property
    def line(self) -> int:
        """The 1-based line number of the opening fence, as an editor shows it."""
        return self.start  # the fence is at index start - 1

    @property
    def end(self) -> int:
        """The 0-based index of the closing fence."""
        return self.start + len(self.lines)

    def commands(self) -> list[str]:
        """The block's commands, in order; ReadmeError when it is not a transcript."""
        found = [line[len(PROMPT) :] for line in self.lines if line.startswith(PROMPT)]
        text = [line for line in self.lines if line.strip()]
        if not found:
            raise ReadmeError(
                f"line {self.line}: a console block with no '$ ' command; make it a transcript, "
                "or put <!-- readme: skip (why) --> on the line before it"
            )
        if not text[0].startswith(PROMPT):
            raise ReadmeError(
                f"line {self.line}: output before the first '$ ' command: {text[0]!r}"
            )
        return found


def blocks(text: str) -> list[Block]:
    """Every fenced block of a Markdown text, with its skip marker if it has one."""
    lines = text.split("\n")
    found: list[Block] = []
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        close = next((j for j in range(i + 1, len(lines)) if lines[j].strip() == "```"), None)
        if close is None:
            raise ReadmeError(f"line {i + 1}: a fence that is never closed")
        found.append(
            Block(
                info=opening.group(1).strip(),
                start=i + 1,
                lines=tuple(lines[i + 1 : close]),
                skip=_marker(lines, i),
            )
        )
        i = close + 1
    return found


def _marker(lines: list[str], fence: int) -> str | None:
    """The skip reason of the comment on the last non-blank line before ``fence``, if any."""
    at = next((j for j in range(fence - 1, -1, -1) if lines[j].strip()), None)
    comment = None if at is None else _MARKER.match(lines[at].strip())
    if comment is None:
        return None
    skip = _SKIP.match(comment.group(1).strip())
    if skip is None or not skip.group(1).strip():
        raise ReadmeError(
            f"line {at + 1}: unknown marker {lines[at].strip()!r}; "
            "allowed: <!-- readme: skip (why) -->"
        )
    return skip.group(1).strip()


def mask(text: str) -> str:
    """``text`` with every wall-clock figure in seconds replaced by ``<s>``."""
    return _SECONDS.sub("<s>", text)


def strip_ansi(text: str) -> str:
    """``text`` without terminal escape sequences (colours, cursor moves)."""
    return _ANSI.sub("", text)


def environment(home: str) -> dict[str, str]:
    """The fixed environment of a block's commands, HOME its temporary directory. PATH puts
    the running Python's scripts first, so ``planner`` is the one this Python has."""
    scripts = str(Path(sys.executable).parent)
    path = os.pathsep.join([scripts, os.environ.get("PATH", os.defpath)])
    return {**ENVIRONMENT, "HOME": home, "PATH": path}


def run(commands: Sequence[str], timeout: float = TIMEOUT) -> list[str]:
    """The transcript of ``commands`` run in order in one fresh temporary directory: each
    ``$ command`` line followed by what it printed (stdout and stderr as they interleave).
    ReadmeError when a command is not found (exit 127: planner not installed, a typo)."""
    transcript: list[str] = []
    with tempfile.TemporaryDirectory(prefix="readme-") as home:
        env = environment(home)
        for command in commands:
            status, output = _output(command, home, env, timeout)
            if status == 127:  # bash: command not found; never a transcript worth keeping
                raise ReadmeError(f"{command!r} exited 127: {output.strip()}")
            output = strip_ansi(output)
            lines = [line.rstrip() for line in output.replace("\r\n", "\n").split("\n")]
            while lines and not lines[-1]:
                lines.pop()
            transcript += [PROMPT + command, *lines]
    return transcript


def _output(command: str, cwd: str, env: dict[str, str], timeout: float) -> tuple[int, str]:
    """The exit status of ``command`` and what it prints, stderr merged into stdout. It runs
    in a session of its own, so that a timeout or Ctrl-C ends the whole pipeline it starts,
    not only bash."""
    with subprocess.Popen(
        ["bash", "-c", command],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    ) as process:
        try:
            output, _ = process.communicate(timeout=timeout)
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise
    return process.returncode, output.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class Stale:
    """A console block whose commands no longer print what it shows."""

    block: Block
    lines: list[str]

    def diff(self, name: str = "README.md") -> str:
        """What changed, seconds masked on both sides, as a unified diff."""
        where = f"{name}:{self.block.line}"
        return "".join(
            difflib.unified_diff(
                [mask(line) + "\n" for line in self.block.lines],
                [mask(line) + "\n" for line in self.lines],
                fromfile=f"{where} (as written)",
                tofile=f"{where} (as run)",
            )
        )


def stale_blocks(
    text: str,
    runner: Callable[[Sequence[str]], list[str]] = run,
    report: Callable[[str], None] | None = None,
) -> list[Stale]:
    """Run every console block of ``text`` that is not skipped and return those whose output
    differs from what the block shows, seconds masked. ReadmeError for a block that is not a
    transcript, before anything runs."""
    todo: list[tuple[Block, list[str]]] = []
    for block in blocks(text):
        if block.skip is not None:
            continue
        if block.info != "console":
            prompt = next((line for line in block.lines if line.startswith(PROMPT)), None)
            if prompt is not None:
                raise ReadmeError(
                    f"line {block.line}: a '$ ' command in a {block.info or 'plain'} block; "
                    "make it a console block, or mark it <!-- readme: skip (why) -->"
                )
            continue
        todo.append((block, block.commands()))
    found = []
    for block, commands in todo:
        if report is not None:
            report(f"line {block.line}: {len(commands)} command(s)")
        try:
            lines = runner(commands)
        except ReadmeError as error:
            raise ReadmeError(f"line {block.line}: {error}") from None
        if mask("\n".join(lines)) != mask("\n".join(block.lines)):
            found.append(Stale(block, lines))
    return found


def rewrite(text: str, stale: Sequence[Stale]) -> str:
    """``text`` with each stale block's lines replaced by its lines as run."""
    lines = text.split("\n")
    for s in sorted(stale, key=lambda s: s.block.start, reverse=True):
        lines[s.block.start : s.block.end] = s.lines
    return "\n".join(lines)


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` by renaming a finished temporary file over it."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def main(argv: Sequence[str] | None = None) -> int:
    """The command: rewrite the README, or with --check report its stale blocks."""
    parser = argparse.ArgumentParser(
        prog="python -m tools.readme",
        description="Regenerate the README's console transcripts by running their commands.",
    )
    parser.add_argument("path", nargs="?", type=Path, default=README, help="default: README.md")
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 listing stale blocks"
    )
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds a command may take")
    parser.add_argument(
        "--verbose", action="store_true", help="name each block as it runs, on stderr"
    )
    args = parser.parse_args(argv)
    name = args.path.name
    text = args.path.read_text(encoding="utf-8")

    def runner(commands: Sequence[str]) -> list[str]:
        return run(commands, timeout=args.timeout)

    def report(line: str) -> None:
        print(f"{name}: {line}", file=sys.stderr, flush=True)

    try:
        stale = stale_blocks(text, runner, report if args.verbose else None)
    except ReadmeError as error:
        print(f"{name}: {error}", file=sys.stderr)
        return 2
    except subprocess.TimeoutExpired as error:
        print(f"{name}: {error.cmd[-1]!r} ran over {error.timeout:g} s", file=sys.stderr)
        return 2
    if args.check:
        for s in stale:
            print(f"{name}:{s.block.line}: stale transcript\n{s.diff(name)}")
        if stale:
            print(f"{name}: {len(stale)} stale; python -m tools.readme rewrites them.")
            return 1
        return 0
    if stale:
        write_atomically(args.path, rewrite(text, stale))
    for s in stale:
        print(f"{name}:{s.block.line}: rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
