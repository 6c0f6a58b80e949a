"""The settings klpublish takes from its environment, each read by one function here
when it is used, and a value that cannot be used refused with the variable's name and
what was expected (``check_environment`` reads them all before a command starts).

An empty variable counts as unset: a Makefile or CI file often exports a variable
it leaves empty. Read when used, never at import, so that a worker process, a test
and a library caller all see the environment as it is at the time.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from klpublish.errors import Location, SettingError

PREFIX = "KLPUBLISH_"
"""Every variable of klpublish's own starts with it."""

EPOCH = "SOURCE_DATE_EPOCH"
LAST_EPOCH = 253402300799
"""9999-12-31 23:59:59 UTC: the last second a date in an output can name."""
_WHOLE = re.compile(r"[0-9]+")
_SECONDS = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def _value(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value else None


def _refused(name: str, value: str, what: str) -> SettingError:
    shown = value if len(value) <= 40 else f"{value[:40]}..."
    return SettingError(f"{shown!r} is not {what}", Location(f"environment variable {name}", 0))


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` (reproducible-builds.org): the time written into outputs
    and templates, or None when unset. A malformed value fails the command, as the
    specification asks, rather than giving a build that quietly is not reproducible."""
    value = _value(EPOCH)
    if value is None:
        return None
    if not _WHOLE.fullmatch(value) or int(value) > LAST_EPOCH:
        raise _refused(
            EPOCH,
            value,
            "a time: expected whole seconds since 1970-01-01 00:00 UTC, from 0 to "
            f"{LAST_EPOCH} (e.g. 1515542400)",
        )
    return int(value)


@dataclass(frozen=True)
class Deadline:
    """Seconds one piece of work may take before it is stopped."""

    name: str
    default: float
    what: str
    """What it bounds, for the error that refuses a value."""

    LONGEST = 86400.0
    """A day: longer than any letter takes, and short enough for every timer."""

    def seconds(self) -> float:
        value = _value(self.name)
        if value is None:
            return self.default
        if not _SECONDS.fullmatch(value) or not 0 < float(value) <= self.LONGEST:
            raise _refused(
                self.name,
                value,
                f"a deadline for {self.what}: expected a number of seconds above 0 and at "
                f"most {self.LONGEST:g} (e.g. {self.default:g})",
            )
        return float(value)


TASK_DEADLINE = Deadline(f"{PREFIX}TASK_DEADLINE", 900.0, "one language's work")
"""Translating and checking one language, or writing its outputs (a letter takes seconds)."""
PANDOC_DEADLINE = Deadline(f"{PREFIX}PANDOC_DEADLINE", 60.0, "one pandoc request")
"""One request to pandoc (a letter takes well under a second; nested brackets never end)."""
MSGFMT_DEADLINE = Deadline(f"{PREFIX}MSGFMT_DEADLINE", 60.0, "msgfmt on one catalog")
"""msgfmt on one catalog (it takes milliseconds)."""
DEADLINES = (TASK_DEADLINE, PANDOC_DEADLINE, MSGFMT_DEADLINE)

GATE_DEADLINE = f"{PREFIX}GATE_DEADLINE"


def gate_deadline(default: float) -> float:
    """Seconds one accessibility checker's run may take: ``KLPUBLISH_GATE_DEADLINE``
    overrides every checker's own ``default``."""
    return Deadline(GATE_DEADLINE, default, "one accessibility checker's run").seconds()


NODE_PROJECT = f"{PREFIX}NODE_PROJECT"
CHROMIUM = f"{PREFIX}CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"


def node_project(default: Path) -> Path:
    """Where ``npm ci`` installed the accessibility gate's Node checkers."""
    value = _value(NODE_PROJECT)
    return default if value is None else Path(value)


def chromium() -> str:
    """The browser the gate's checkers start (Debian's, unless told otherwise)."""
    return _value(CHROMIUM) or DEFAULT_CHROMIUM


def check_environment() -> None:
    """Every setting read once, so that a bad one stops a command before it writes
    anything, whichever command it is."""
    source_date_epoch()
    for deadline in DEADLINES:
        deadline.seconds()
    gate_deadline(1.0)
