"""One run at a time on a data directory: an OS file lock, released when the process dies.

Every command that writes the warehouse holds it; when the outermost holder lets go, the
warehouse's read-only snapshot is refreshed (`jumelage.snapshot`), so readers see each
command's writes as soon as it is done.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jumelage.errors import JumelageError, LockedError

LOCK_NAME = ".jumelage.lock"
_held: dict[Path, int] = {}  # lock path -> depth, so the CLI and the flow can both take it


@contextmanager
def data_dir_lock(data_dir: Path) -> Iterator[None]:
    """Hold the exclusive lock of `data_dir`, or fail at once with a clear message.

    The data directory must exist: it is never created here (a mistyped `data_dir` must not
    start a new, empty program)."""
    if not data_dir.is_dir():
        raise JumelageError(f"the data directory {data_dir} does not exist")
    path = (data_dir / LOCK_NAME).resolve()
    if path in _held:
        _held[path] += 1
        try:
            yield
        finally:
            _held[path] -= 1
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
        os.close(fd)
        raise LockedError(
            f"another jumelage command (pid {holder}) is already working on {data_dir}; "
            "wait for it to finish and try again"
        ) from None
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        _held[path] = 1
        yield
    finally:
        _held.pop(path, None)
        try:
            from jumelage.snapshot import refresh_quietly

            refresh_quietly(data_dir)
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
