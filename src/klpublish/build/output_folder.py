"""The output folder is klpublish's: a folder someone else made is never written.

``publish --out site`` replaces ``site/index.html`` and ``site/<lang>/...``: into
a folder that holds someone's own site that would silently overwrite their
files. So a run writes only into a folder that is empty, new, or marked as
klpublish's (the marker file ``MARKER``, written when klpublish first uses the
folder). A folder an older klpublish made, before the marker existed, is known
by what only klpublish leaves there: its lock file or its build records.
"""

from __future__ import annotations

import os
from pathlib import Path

from klpublish.errors import KlpublishError, display_path
from klpublish.fileio import LOCK_NAME

MARKER = ".klpublish-output"
MARKER_TEXT = (
    "This folder holds klpublish's outputs: klpublish replaces its files at each run.\n"
    "Delete this file only if klpublish must no longer write here.\n"
)
_RECORDS = ".cache"
"""Where ``build_cache`` keeps its records (``assessment.<letter>.<lang>.json``, ...)."""


def claim(folder: Path) -> None:
    """Make sure ``folder`` is klpublish's to write, and mark it so: refused when
    it is a file, or a folder holding anything that klpublish did not make. A
    folder that cannot be made is left to the writer to say so."""
    shown = display_path(folder)
    if os.path.lexists(folder) and not folder.is_dir():
        what = "is a file, not a folder" if folder.is_file() else "is not a folder"
        raise KlpublishError(f"{shown}: {what}: expected a folder for the outputs")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    if not is_ours(folder):
        raise KlpublishError(
            f"{shown}: is a folder klpublish did not make, and it is not empty: klpublish "
            "would replace files in it. Expected an empty or new folder for the outputs "
            f"(or, if klpublish made this one, an empty file {shown}/{MARKER} in it)"
        )
    mark(folder)


def mark(folder: Path) -> None:
    """Write the marker in ``folder`` unless it is there. Its being there is what
    counts, not its text: made in place (no temporary file a killed run would
    leave), never replaced."""
    marker = folder / MARKER
    try:
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    except FileExistsError:
        return
    except OSError as exc:
        raise KlpublishError(f"{display_path(marker)}: cannot write: {exc.strerror}") from exc
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(MARKER_TEXT)


def is_ours(folder: Path) -> bool:
    """Whether ``folder`` is empty or was made by klpublish (see the module's text)."""
    entries = {entry.name for entry in os.scandir(folder)}
    if not entries or MARKER in entries or LOCK_NAME in entries:
        return True
    records = folder / _RECORDS
    return records.is_dir() and any(
        name.endswith(".json") and name.partition(".")[0] in ("assessment", "outputs")
        for name in os.listdir(records)
    )
