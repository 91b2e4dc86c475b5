"""Where output goes: the one way every file the planner writes is written (``write``), and
the checks that refuse, before any work, a target that cannot or must not be written.

What stands at the target decides how it is written:

- nothing, or a regular file: a temporary file ``.<name>.<random>.tmp`` beside it, written,
  fsynced and renamed over it, then the folder fsynced; a failure or Ctrl-C leaves the old
  file as it was. A replaced file keeps its mode (and its owner, where the user may set it);
  a new one gets 0666 less the umask.
- a regular file with other names (hard links): written in place, so that every name shows
  the new plan (see ``_overwrite`` for why, and what that costs).
- a read-only file: refused, root included (see ``_read_only``).
- a symlink: written through. The link stays; what it points to is written as above (the
  file a dangling link names is made, when its folder exists).
- a character device or a FIFO (``/dev/null``, a terminal, a pipe a program reads): opened
  and written, never replaced; a write error such as ENOSPC on ``/dev/full`` is an error, and
  a FIFO no program reads is refused at once rather than waited on.
- a directory, a socket, a block device (a disk) or any other kind of file: refused.

Nothing here prints; every refusal is ``OutputError``, one line naming the path.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import signal
import stat
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

__all__ = ["OutputError", "check_folder", "check_writable", "same_file", "write", "write_files"]


class OutputError(ValueError):
    """An output that cannot or must not be written; the message names the path."""


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether ``a`` and ``b`` name one file: when both exist, the same file on disk
    (``os.path.samefile``, through symlinks and hard links); otherwise the same path once
    resolved (a file not made yet is no existing file, unless it is that file's own path)."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):  # one is missing (or unreadable, or holds a NUL)
        return os.path.realpath(a) == os.path.realpath(b)


def check_writable(path: str | Path) -> None:
    """Raise ``OutputError`` when ``path`` cannot or must not be written: a directory, a
    socket, a block device; a read-only file; a file to be replaced, or made, in a folder
    that is missing or not writable. For a command to call before a long solve; ``write``
    calls it too."""
    path = Path(path)
    where, st = _target(path)
    if st is None:
        if not where.parent.is_dir():
            raise OutputError(f"{path}: folder {where.parent} does not exist")
    else:
        kind = _refused_kind(st.st_mode)
        if kind is not None:
            raise OutputError(f"{path}: is {kind}; give a file name")
        if _read_only(where, st):
            raise OutputError(f"{path}: is read-only; allowed: a writable file")
    if (st is None or _replaced(st)) and not os.access(where.parent, os.W_OK):
        raise OutputError(f"{path}: cannot write here (folder {where.parent} is not writable)")


def check_folder(path: str | Path) -> None:
    """Raise ``OutputError`` when ``path`` plainly cannot be a folder to write files into:
    a file, or a missing folder whose nearest existing parent is not a writable folder."""
    path = Path(path)
    existing = next(p for p in (path, *path.parents) if p.exists() or p == Path(p.anchor))
    if not existing.is_dir():
        raise OutputError(f"{path}: {existing} is a file; give a folder")
    if not os.access(existing, os.W_OK):
        raise OutputError(f"{path}: cannot write here (folder {existing} is not writable)")


def write(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8, line ends as given; bytes as they are) to ``path``, in
    the way what stands there asks for (see the module's notes); ``OutputError`` names the
    path when it cannot, and nothing has then changed but, at most, a device or FIFO's
    reader has had part of it."""
    path = Path(path)
    content = data.encode("utf-8") if isinstance(data, str) else data
    check_writable(path)
    where, st = _target(path)
    if st is None or _replaced(st):
        _replace(path, where, content, st)
    elif stat.S_ISREG(st.st_mode):
        _overwrite(path, where, content)
    else:
        _stream(path, content, stat.S_ISFIFO(st.st_mode))


def write_files(
    files: Mapping[Path, Callable[[Any], str | bytes]], source: Any, folder: Path | None = None
) -> list[Path]:
    """Make each file of ``files`` from ``source`` and write it (``write``), in order;
    ``folder``, when given, is made first. The files written, in order."""
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise OutputError(f"{folder}: cannot make the folder ({err.strerror})") from None
    written = []
    for path, make in files.items():
        write(path, make(source))
        written.append(path)
    return written


# --- what stands at the target ------------------------------------------------------------


def _target(path: Path) -> tuple[Path, os.stat_result | None]:
    """Where the content goes and what stands there now (None: nothing yet).

    ``os.stat`` follows symlinks the kernel's way, so ``/dev/stdout`` finds the pipe it
    stands for. A regular file, or none, is reached through its resolved path, since the
    rename that replaces it must happen beside the file, not over the link; anything else
    is written through ``path`` itself."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except (OSError, ValueError) as err:  # a symlink loop, a file where a folder should be
        reason = getattr(err, "strerror", None) or err
        raise OutputError(f"{path}: cannot write ({reason})") from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        return path, st
    return (Path(os.path.realpath(path)) if path.is_symlink() else path), st


def _replaced(st: os.stat_result) -> bool:
    """Whether a file is replaced by a rename: a regular file with no other name."""
    return stat.S_ISREG(st.st_mode) and st.st_nlink == 1


def _refused_kind(mode: int) -> str | None:
    """What a file is, said for a person, when it is not a kind written to."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISBLK(mode):  # a disk or partition: writing a plan over it destroys it
        return "a block device (a disk)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if not (stat.S_ISREG(mode) or stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        return "not a file"
    return None


def _read_only(where: Path, st: os.stat_result) -> bool:
    """Whether a file is read-only: no write permission bit at all (0444), or none this user
    may use (``os.access``: owner, group, ACLs, a read-only mount).

    The first is checked apart because root may write anything: a file made read-only was
    made so on purpose, by its owner, and is not ours to replace."""
    return not st.st_mode & 0o222 or not os.access(where, os.W_OK)


# --- the three ways of writing ------------------------------------------------------------


def _replace(path: Path, where: Path, content: bytes, st: os.stat_result | None) -> None:
    """A regular file, or none yet: a temporary file beside it, written, fsynced and renamed
    over it, then the folder fsynced so that the rename lasts a power cut. The temporary file
    is removed on any failure or Ctrl-C; only a process killed outright (SIGKILL, power loss)
    can leave one behind, and the file itself is then untouched."""
    try:
        fd, tmp = _temporary(where, st)
    except OSError as err:
        raise OutputError(f"{path}: cannot write here ({err.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, where)
    except BaseException as err:
        tmp.unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise OutputError(f"{path}: cannot write ({err.strerror})") from None
        raise
    _sync_folder(where.parent)


def _temporary(where: Path, st: os.stat_result | None) -> tuple[int, Path]:
    """A new, empty ``.<name>.<random>.tmp`` beside ``where``, opened for writing, with the
    mode (and, where allowed, the owner) of the file it will replace.

    Not ``tempfile.mkstemp``: its files are 0600, which the rename would give the plan. Made
    with 0666 the umask applies, as for any new file. The owner is kept so that root writing
    someone's plan leaves it theirs; a user who may not give files away keeps their own."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = where.parent / f".{where.name}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(tmp, flags, 0o666)
        except FileExistsError:
            continue
        break
    if st is None:
        return fd, tmp
    try:
        os.chmod(fd, stat.S_IMODE(st.st_mode))
        made = os.fstat(fd)
        if (made.st_uid, made.st_gid) != (st.st_uid, st.st_gid):
            with contextlib.suppress(PermissionError):
                os.fchown(fd, st.st_uid, st.st_gid)
    except (NotImplementedError, AttributeError):  # no fchmod or fchown (Windows)
        pass
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    return fd, tmp


def _overwrite(path: Path, where: Path, content: bytes) -> None:
    """A regular file with other names (hard links): written in place.

    Replacing it would break the link: the file's other names would keep the old plan,
    silently, which is what the person who linked it did not want. So its bytes are
    overwritten and the file cut to the new length, which is not atomic; what is done
    instead: the space is reserved first (``posix_fallocate``), so that a full disk fails
    before the first byte changes; Ctrl-C waits for the few microseconds the write takes;
    the result is fsynced. Only a crash or SIGKILL in mid-write can leave it mixed."""
    try:
        fd = os.open(where, os.O_WRONLY | getattr(os, "O_BINARY", 0))
    except OSError as err:
        raise OutputError(f"{path}: cannot write ({err.strerror})") from None
    try:
        with _uninterrupted():
            if content:
                _reserve(fd, len(content))
            _write_all(fd, content)
            os.ftruncate(fd, len(content))
            os.fsync(fd)
    except OSError as err:
        raise OutputError(f"{path}: cannot write ({err.strerror})") from None
    finally:
        os.close(fd)


def _stream(path: Path, content: bytes, fifo: bool) -> None:
    """A character device or FIFO: opened for writing (never created or truncated, so it
    stays what it is) and written to the end.

    A FIFO is opened without blocking first: with no program reading it the open fails
    (ENXIO) and that is said at once, instead of waiting for a reader that may never come;
    then it blocks again, so that a slow reader gets every byte."""
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0)  # a terminal written to is not taken
    try:
        fd = os.open(path, flags | (os.O_NONBLOCK if fifo else 0))
    except OSError as err:
        if fifo and err.errno == errno.ENXIO:
            raise OutputError(
                f"{path}: no program is reading this FIFO; start the reader first"
            ) from None
        raise OutputError(f"{path}: cannot write ({err.strerror})") from None
    try:
        if fifo:
            os.set_blocking(fd, True)
        _write_all(fd, content)
    except OSError as err:
        raise OutputError(f"{path}: cannot write ({err.strerror})") from None
    finally:
        os.close(fd)


def _write_all(fd: int, content: bytes) -> None:
    """Every byte of ``content`` to ``fd``: a pipe or device may take less than asked."""
    view = memoryview(content)
    while view:
        view = view[os.write(fd, view) :]


def _reserve(fd: int, size: int) -> None:
    """Reserve ``size`` bytes of disk for the file; a file system that cannot is let be."""
    try:
        os.posix_fallocate(fd, 0, size)
    except AttributeError:  # not on this system (macOS, Windows)
        pass
    except OSError as err:
        if err.errno not in (errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS):
            raise


def _sync_folder(folder: Path) -> None:
    """fsync a folder, so that a rename in it lasts a power cut. A file system or system
    that cannot sync a folder is let be: the rename has happened and the file is whole."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def _uninterrupted() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) back until the block ends, then act on it as it would have.

    Only the main thread can set signal handlers; elsewhere the block runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[tuple[int, Any]] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append((signum, frame)))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught:
            if callable(previous):
                previous(*caught[0])
            elif previous != signal.SIG_IGN:
                raise KeyboardInterrupt
