"""Where a command's output goes: the files and folders its options name, checked before a
long solve rather than after (an output that is one of the command's inputs included), then
written by ``planner.output`` (``-``: standard output); and the terminal, when stdout or stderr
is one."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from planner.cli import EXIT_INTERRUPTED, InputError
from planner.export import EXPORTS, STDOUT
from planner.output import OutputError, check_folder, check_writable, same_file, write_files

# The input options and arguments of a command, as the person gave them: ``--catalog`` and
# ``--profile`` (planner.cli.options.profile_options), ``--after``, ``PLAN_CSV``... to the path
# given, or None when not given.
Inputs = Mapping[str, str | Path | None]


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


def check_targets(targets: Sequence[Target], inputs: Inputs | None = None) -> None:
    """Refuse, as ``InputError``, outputs that cannot all be written: more than one to
    standard output, two options writing one file, an output that is one of the ``inputs``
    (``check_overwrites``), a file or folder that cannot or must not be written (a directory,
    a read-only file, a missing or read-only folder: ``planner.output.check_writable``)."""
    to_stdout = [f"--{t.option}" for t in targets if t.to_stdout]
    if len(to_stdout) > 1:
        names = f"{', '.join(to_stdout[:-1])} and {to_stdout[-1]}"
        verb = "both write" if len(to_stdout) == 2 else "all write"
        raise InputError(f"{names} {verb} to stdout (-); give - to one of them at most")
    _one_file_each((t.option, path) for t in targets for path in t.paths)
    check_overwrites(
        ((f"--{t.option}", _as_given(t, path)) for t in targets for path in t.paths), inputs or {}
    )
    for t in targets:
        try:
            if t.folder:
                check_folder(t.path)
                if not Path(t.path).is_dir():
                    continue  # made later: nothing stands in it yet
            for path in t.paths:
                check_writable(path)
        except OutputError as err:
            raise InputError(f"--{t.option} {err}") from None


def check_overwrites(outputs: Iterable[tuple[str, str | Path]], inputs: Inputs) -> None:
    """Refuse, as ``InputError``, an output that is the same file as an input: writing it
    would destroy what it was made from (``planner.output.same_file``: the same path, or the
    same file through a symlink or hard link). ``outputs``: (option, path) pairs.

    A character device or FIFO (a terminal, ``/dev/null``, a pipe) is both read and written
    without harm, so it may be both."""
    for option, path in outputs:
        for name, given in inputs.items():
            if given is not None and same_file(path, given) and _holds_data(path):
                raise InputError(
                    f"{option} {path} is the same file as {name} {given}; give another output file"
                )


def _holds_data(path: str | Path) -> bool:
    """Whether writing ``path`` can destroy something: anything but a device or FIFO."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return True
    return not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode))


def _as_given(target: Target, path: Path) -> str | Path:
    """``path`` as the person typed it when it is the option's own (``./X.csv``, not
    ``X.csv``); a file written beside or into it (``X-load.png``) as made."""
    return target.path if Path(target.path) == path else path


def _one_file_each(outputs: Iterable[tuple[str, Path]]) -> None:
    """Refuse two options (``--csv``, ``--html``...) that would write one file (the same
    path, or one file through a symlink or hard link)."""
    seen: list[tuple[Path, str]] = []
    for option, path in outputs:
        for other, first in seen:
            if first != option and same_file(other, path):
                raise InputError(
                    f"--{first} and --{option} both write to {path}; give each its own file"
                )
        seen.append((path, option))


def write_targets(targets: Sequence[Target], source: Any) -> None:
    """Make each target from ``source`` and write it, in order: files by
    ``planner.output.write``, ``-`` to standard output as bytes (so that a calendar's CRLF
    line ends pass through unchanged).

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
        except OutputError as err:
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
