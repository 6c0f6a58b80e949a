"""Writing files safely: atomic replace, and no rewrite when nothing changed."""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from .errors import KlpublishError, display_path

LOCK_NAME = ".klpublish.lock"
LOCK_DEADLINE = 600.0
"""Seconds a run waits for another run on the same output folder to finish."""


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one,
    never a part of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)  # mkstemp makes 0600; web servers need to read it
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write only when the bytes differ; return whether the file was written."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_atomic(path, data)
    return True


def remove_stale_temporaries(folder: Path, name_prefix: str) -> None:
    """Temporary files a killed run left behind (``.NAME.XXXX.tmp``); each
    language's folder is written by one process at a time, so they are stale."""
    if folder.is_dir():
        for stale in folder.glob(f".{name_prefix}*.tmp"):
            stale.unlink(missing_ok=True)


@contextlib.contextmanager
def build_lock(folder: Path, deadline: float = LOCK_DEADLINE) -> Iterator[None]:
    """One run at a time writes ``folder``: a second run waits for the first
    (each cleans up temporary files it may think are stale). The kernel drops
    the lock when its holder ends, killed or not."""
    lock = folder / LOCK_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise KlpublishError(f"{display_path(lock)}: cannot write: {exc.strerror}") from exc
    try:
        end = time.monotonic() + deadline
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > end:
                    raise KlpublishError(
                        f"{display_path(folder)}: another klpublish run has been writing it "
                        f"for {deadline:g} s: try again when it has finished"
                    ) from None
                time.sleep(0.1)
        yield
    finally:
        os.close(handle)  # releases the lock


def write_error(exc: OSError, fallback: Path) -> str:
    """An ``OSError`` from writing, as one line naming the file."""
    where = display_path(Path(exc.filename)) if exc.filename else display_path(fallback)
    return f"{where}: cannot write: {exc.strerror or exc}"
