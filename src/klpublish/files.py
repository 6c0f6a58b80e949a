"""Reading a file someone else put in the project: a regular file inside its own
tree, opened without waiting, read up to a cap. The one reader for letters,
images, catalogs, compendia and glossaries (see SECURITY.md, "Files").

A symbolic link may lead anywhere (``source/notes.da.md -> /etc/passwd``), a
FIFO blocks a plain ``open`` for ever, and ``/dev/zero`` never ends: each is
refused before a byte is read, and the error names the path the user gave,
never the place a link leads to.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from klpublish.errors import KlpublishError, Location, display_path

MAX_LETTER_BYTES = 2 * 1024 * 1024
"""A letter is a few kilobytes of Markdown; two megabytes is a book."""
MAX_CATALOG_BYTES = 16 * 1024 * 1024
"""A catalog of the largest letter with every comment a tool adds."""
MAX_COMPENDIUM_BYTES = 64 * 1024 * 1024
"""A translation memory of tens of thousands of entries (22 MB for 50,000)."""
MAX_IMAGE_BYTES = 20 * 1024 * 1024


class FileRefused(KlpublishError):
    """A file that is not read: outside its tree, not a regular file, too large."""


@dataclass(frozen=True)
class Reading:
    """What may be read and how it is named: ``what`` is the kind of file the
    caller expected ("a letter", "a .po file"), for the message."""

    root: Path
    cap: int
    what: str


def leads_outside(path: Path, root: Path) -> bool:
    """Whether ``path``, with every link on the way followed, lies outside ``root``."""
    return not Path(os.path.realpath(path)).is_relative_to(Path(os.path.realpath(root)))


def check_inside(
    path: Path, reading: Reading, error: Callable[[str, Location], KlpublishError] = FileRefused
) -> None:
    """Refuse ``path`` unless it is a regular file inside ``reading.root``, without
    opening it (a FIFO or device is told by ``lstat``/``stat`` alone)."""
    where = Location(display_path(path), 0)
    if not os.path.lexists(path):
        raise error(f"is not there: expected {reading.what}", where)
    if leads_outside(path, reading.root):
        raise error(
            f"leads outside {display_path(reading.root)}/ (a symbolic link): expected "
            f"{reading.what} inside it",
            where,
        )
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror or exc}", where) from exc
    if stat.S_ISDIR(mode):
        raise error(f"is a folder: expected {reading.what}", where)
    if not stat.S_ISREG(mode):
        raise error(f"is {_kind(mode)}, not a regular file: expected {reading.what}", where)


def read_inside(
    path: Path, reading: Reading, error: Callable[[str, Location], KlpublishError] = FileRefused
) -> bytes:
    """The bytes of ``path`` once :func:`check_inside` allows it, at most
    ``reading.cap`` of them: a larger file is refused, not cut."""
    check_inside(path, reading, error)
    where = Location(display_path(path), 0)
    try:
        # Non-blocking: a FIFO swapped in after the check must not hang the open.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror or exc}", where) from exc
    too_large = f"is larger than {_size(reading.cap)}: expected {reading.what}"
    with os.fdopen(fd, "rb") as stream:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise error(
                f"is {_kind(status.st_mode)}, not a regular file: expected {reading.what}", where
            )
        if status.st_size > reading.cap:  # refused unread
            raise error(too_large, where)
        try:
            # One byte more than the cap: a file that grew since fstat is refused, not cut.
            data = stream.read(reading.cap + 1)
        except OSError as exc:
            raise error(f"cannot read: {exc.strerror or exc}", where) from exc
    if len(data) > reading.cap:
        raise error(too_large, where)
    return data


def _size(cap: int) -> str:
    return f"{cap // 2**20} MB" if cap >= 2**20 else f"{cap:,} bytes"


def _kind(mode: int) -> str:
    """What a file that is not a regular one is, as a user would call it."""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"
