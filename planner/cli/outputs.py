"""Where a command's output goes: the files and folders its options name, checked before a
long solve rather than after, then written (``-``: standard output); and the terminal, when
stdout or stderr is one."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from planner.cli import EXIT_INTERRUPTED, InputError
from planner.export import (
    EXPORTS,
    STDOUT,
    ExportError,
    check_folder,
    check_target,
    write_files,
)


@dataclass(frozen=True)
class Target:
    """One output option as given, e.g. ``--md notes.md``: the option's name (``md``), the
    path given, the files it writes there with how each is made, whether the path is a
    folder to write them into, and whether it goes to standard output instead (``-``, for
    the formats that may)."""

    option: str
    path: str
    files: Mapping[Path, Callable[[Any], str | bytes]]
    folder: bool = False
    to_stdout: bool = False

    @classmethod
    def of(cls, name: str, path: str) -> Target:
        """The target of format ``name`` in ``planner.export.EXPORTS`` at ``path``."""
        export = EXPORTS[name]
        to_stdout = export.to_stdout and path == STDOUT
        return cls(name, path, export.files(path), export.folder, to_stdout)

    @property
    def paths(self) -> tuple[Path, ...]:
        """The files on disk it writes: none for standard output."""
        return () if self.to_stdout else tuple(self.files)


def targets_of(given: Mapping[str, str]) -> list[Target]:
    """The targets of the format options given, format name to path."""
    return [Target.of(name, path) for name, path in given.items()]


def check_targets(targets: Sequence[Target]) -> None:
    """Refuse, as ``InputError``, outputs that cannot all be written: more than one to
    standard output, two options writing one file, a file or folder that plainly cannot be
    written (a directory, a missing or read-only folder)."""
    to_stdout = [f"--{t.option}" for t in targets if t.to_stdout]
    if len(to_stdout) > 1:
        names = f"{', '.join(to_stdout[:-1])} and {to_stdout[-1]}"
        verb = "both write" if len(to_stdout) == 2 else "all write"
        raise InputError(f"{names} {verb} to stdout (-); give - to one of them at most")
    _one_file_each((t.option, path) for t in targets for path in t.paths)
    for t in targets:
        try:
            if t.folder:
                check_folder(t.path)
            else:
                for path in t.paths:
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


def write_targets(targets: Sequence[Target], source: Any) -> None:
    """Make each target from ``source`` and write it, in order: files atomically, ``-`` to
    standard output as bytes (so that a calendar's CRLF line ends pass through unchanged).

    A file that cannot be written is ``InputError`` naming its option. Ctrl-C exits 130
    saying which targets were written and that the one being written is either complete or
    as it was."""
    written: list[str] = []
    for t in targets:
        try:
            if t.to_stdout:
                (make,) = t.files.values()
                _stdout(make(source))
            else:
                write_files(t.files, source, Path(t.path) if t.folder else None)
        except ExportError as err:
            raise InputError(f"--{t.option} {err}") from None
        except KeyboardInterrupt:
            done = "".join(f"{path} written; " for path in written)
            click.echo(f"Interrupted: {done}{t.path} is either complete or as it was.", err=True)
            sys.exit(EXIT_INTERRUPTED)
        written.append(t.path)


def _stdout(content: str | bytes) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    sys.stdout.flush()
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        stream.write(data)
    sys.stdout.flush()


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
