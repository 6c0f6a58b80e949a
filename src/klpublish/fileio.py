"""Writing files safely: atomic replace, and no rewrite when nothing changed."""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from klpublish.errors import KlpublishError, display_path

LOCK_NAME = ".klpublish.lock"
LOCK_DEADLINE = 600.0
"""Seconds a run waits for another run on the same output folder to finish."""


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one,
    never a part of it."""
    os.replace(_temporary(path, data, mode), path)


def _temporary(path: Path, data: bytes, mode: int = 0o644, durable: bool = True) -> str:
    """A temporary file beside ``path`` holding ``data``, on disk unless not
    ``durable``; none on failure."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)  # mkstemp makes 0600; web servers need to read it
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write only when the bytes differ; return whether the file was written."""
    return write_all_if_changed({path: data})[path]


def write_record(path: Path, data: bytes) -> None:
    """Write a build record when its bytes differ: replaced atomically, but not
    forced to disk (no ``fsync``). A record a crash loses is read back absent or
    empty, which is no record, and costs a rebuild; the outputs it describes were
    on disk before it was written."""
    write_all_if_changed({path: data}, durable=False)


def write_all_if_changed(files: dict[Path, bytes], durable: bool = True) -> dict[Path, bool]:
    """Write the files whose bytes differ, all or none: every new file is on disk
    before the first replaces its old one, so a full disk or a refused write
    leaves every old file (and no temporary file). Returns which were written."""
    changed = {path: _differs(path, data) for path, data in files.items()}
    ready: dict[Path, str] = {}
    try:
        for path, data in files.items():
            if changed[path]:
                try:
                    ready[path] = _temporary(path, data, durable=durable)
                except OSError as exc:  # said of the file meant, not of its temporary
                    raise OSError(exc.errno, exc.strerror, str(path)) from exc
    except BaseException:
        for tmp in ready.values():
            Path(tmp).unlink(missing_ok=True)
        raise
    for path, tmp in ready.items():
        os.replace(tmp, path)
    return changed


def _differs(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() != data
    except FileNotFoundError:
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
