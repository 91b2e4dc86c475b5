"""Where a command's output goes: the files and folders its options name, checked before a
long solve rather than after; and the terminal, when stdout or stderr is one."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from planner.cli import InputError
from planner.export import STDOUT, ExportError, check_folder, check_target


@dataclass(frozen=True)
class Target:
    """One output option as given, e.g. ``--md notes.md``: the option's name (``md``), the
    path given (``-``: standard output), the files it writes there, and whether the path is
    a folder to write them into."""

    option: str
    path: str
    files: tuple[Path, ...]
    folder: bool = False


def check_targets(targets: Sequence[Target]) -> None:
    """Refuse, as ``InputError``, outputs that cannot all be written: more than one to
    standard output, two options writing one file, a file or folder that plainly cannot be
    written (a directory, a missing or read-only folder)."""
    to_stdout = [f"--{t.option}" for t in targets if t.path == STDOUT]
    if len(to_stdout) > 1:
        names = f"{', '.join(to_stdout[:-1])} and {to_stdout[-1]}"
        verb = "both write" if len(to_stdout) == 2 else "all write"
        raise InputError(f"{names} {verb} to stdout (-); give - to one of them at most")
    _one_file_each((t.option, path) for t in targets for path in t.files)
    for t in targets:
        try:
            if t.folder:
                check_folder(t.path)
            else:
                for path in t.files:
                    check_target(path)
        except ExportError as err:
            raise InputError(f"--{t.option} {err}") from None


def _one_file_each(outputs: Iterable[tuple[str, Path]]) -> None:
    """Refuse two options (``--csv``, ``--html``...) that would write one file."""
    seen: dict[Path, str] = {}
    for option, path in outputs:
        first = seen.setdefault(path.resolve(), option)
        if first != option:
            raise InputError(
                f"--{first} and --{option} both write to {path}; give each its own file"
            )


def terminal(stream):
    """A rich Console writing to ``stream`` when rich takes it for a terminal (a TTY; or
    FORCE_COLOR or TTY_COMPATIBLE=1 set), else None. It leaves colour out under NO_COLOR and
    on TERM=dumb. rich is imported only when the answer may be yes."""
    env = os.environ
    isatty = getattr(stream, "isatty", None)
    try:
        tty = bool(isatty and isatty())
    except ValueError:  # a closed stream
        tty = False
    if not (tty or env.get("FORCE_COLOR") or env.get("TTY_COMPATIBLE") == "1"):
        return None
    from rich.console import Console

    console = Console(file=stream, markup=False, emoji=False, highlight=False)
    return console if console.is_terminal else None
