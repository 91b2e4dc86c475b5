"""Writing plans to files: one function per format, registered in ``EXPORTERS``.

Files are written to a temporary file in the same folder and renamed over the target, so a
failure or Ctrl-C never leaves a half-written or clobbered file.
"""

from __future__ import annotations

import csv
import io
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

from planner.plan import COLUMNS, FORMULA_STARTS, Plan


class ExportError(ValueError):
    """An output that cannot be written; the message names the path."""


def neutralise(value):
    """``value``, with ``'`` before text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def table_csv(rows: list[dict], columns=None) -> str:
    """Records as CSV text with a header row, formula-like text neutralised."""
    out = io.StringIO()
    fieldnames = list(columns or (rows[0] if rows else []))
    writer = csv.DictWriter(out, fieldnames=fieldnames, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: neutralise(v) for k, v in row.items()})
    return out.getvalue()


def csv_text(plan: Plan) -> str:
    """The plan in the CSV contract: header row, one row per exercise per session, UTF-8."""
    return table_csv(plan.rows(), COLUMNS)


def check_target(path: str | Path) -> None:
    """Raise ``ExportError`` when ``path`` plainly cannot be written (a directory, a missing
    or read-only folder), so that a command can refuse before a long solve, not after."""
    path = Path(path)
    folder = path.parent
    if path.is_dir():
        raise ExportError(f"{path}: is a directory; give a file name")
    if not folder.is_dir():
        raise ExportError(f"{path}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise ExportError(f"{path}: cannot write here (folder {folder} is not writable)")


def check_folder(path: str | Path) -> None:
    """Raise ``ExportError`` when ``path`` plainly cannot be a folder to write files into:
    a file, or a missing folder whose nearest existing parent is not a writable folder."""
    path = Path(path)
    existing = next(p for p in (path, *path.parents) if p.exists() or p == Path(p.anchor))
    if not existing.is_dir():
        raise ExportError(f"{path}: {existing} is a file; give a folder")
    if not os.access(existing, os.W_OK):
        raise ExportError(f"{path}: cannot write here (folder {existing} is not writable)")


def _temporary(path: Path) -> tuple[int, Path]:
    """A new, empty ``.<name>.<random>.tmp`` beside ``path``, opened for writing.

    Not ``tempfile.mkstemp``: its files are 0600, which the rename would give the plan. Made
    with 0666 the umask applies, as for any new file; a replaced file keeps its own mode."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(tmp, flags, 0o666)
        except FileExistsError:
            continue
        try:
            os.chmod(fd, stat.S_IMODE(path.stat().st_mode))
        except (FileNotFoundError, NotImplementedError):
            pass
        except BaseException:
            os.close(fd)
            tmp.unlink(missing_ok=True)
            raise
        return fd, tmp


def write_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and a rename.

    The temporary file is ``.<name>.<random>.tmp`` beside ``path``; it is removed on any
    failure or Ctrl-C. Only a process killed outright (SIGKILL, power loss) can leave one
    behind, and ``path`` itself is then untouched."""
    path = Path(path)
    check_target(path)
    try:
        fd, tmp = _temporary(path)
    except OSError as err:
        raise ExportError(f"{path}: cannot write here ({err.strerror})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as err:
        tmp.unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise ExportError(f"{path}: cannot write ({err.strerror})") from None
        raise


def write_csv(plan: Plan, path: str | Path) -> None:
    write_atomic(path, csv_text(plan))


EXPORTERS: dict[str, Callable[[Plan, str | Path], None]] = {"csv": write_csv}
