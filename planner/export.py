"""Writing plans to files: one function per format, registered in ``EXPORTERS``.

Files are written to a temporary file in the same folder and renamed over the target, so a
failure or Ctrl-C never leaves a half-written or clobbered file.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
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


def write_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and a rename."""
    path = Path(path)
    folder = path.parent
    if path.is_dir():
        raise ExportError(f"{path}: is a directory; give a file name")
    if not folder.is_dir():
        raise ExportError(f"{path}: folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise ExportError(f"{path}: cannot write here ({err.strerror})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as err:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise ExportError(f"{path}: cannot write ({err.strerror})") from None
        raise


def write_csv(plan: Plan, path: str | Path) -> None:
    write_atomic(path, csv_text(plan))


EXPORTERS: dict[str, Callable[[Plan, str | Path], None]] = {"csv": write_csv}
