"""How the gate runs an outside checker: with a deadline, and killed together with every
process it started when the deadline passes or klpublish is interrupted or stopped.

A process group alone does not hold a checker's children: Puppeteer and Playwright start
Chromium in a session of its own (to kill it with ``kill(-pid)`` themselves), and
Chromium's crash handlers leave for a session of their own too. Each run therefore puts a
mark in its environment, which every process it starts inherits, and the runner kills
the run's process group and every process of this user that carries the mark."""

from __future__ import annotations

import contextlib
import locale
import os
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from klpublish.errors import ToolError
from klpublish.pandoc import die_with_parent
from klpublish.settings import GATE_DEADLINE, gate_deadline

DEADLINE_VARIABLE = GATE_DEADLINE
MARK_VARIABLE = "KLPUBLISH_GATE_RUN"
"""The environment variable whose value tells one checker run's processes apart."""
KILL_ROUNDS = 20
"""A process being killed may still start one more: the sweep is repeated until none is
left, a bounded number of times."""


def deadline(default: float) -> float:
    """The seconds a checker run may take (see ``settings.gate_deadline``). Read at
    each run, so that it can be set for one run."""
    return gate_deadline(default)


def marked_processes(mark: str) -> list[int]:
    """The living processes whose environment holds ``MARK_VARIABLE=mark``."""
    needle = f"{MARK_VARIABLE}={mark}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue  # gone, or another user's
        if state != "Z" and needle in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def kill_run(proc: subprocess.Popen[Any], mark: str) -> None:
    """Kill the checker, its process group and every process that carries its mark, and
    reap the checker."""
    for _ in range(KILL_ROUNDS):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        left = marked_processes(mark)
        for pid in left:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        if not left:
            break
        time.sleep(0.05)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)


@contextlib.contextmanager
def _stopped_as_exit() -> Iterator[None]:
    """SIGTERM raises SystemExit while a checker runs, so that the checker's processes
    are killed on the way out rather than left behind by a silent death."""

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def run_tool(
    args: Sequence[str],
    default_deadline: float,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run a checker to its end within its deadline (see ``deadline``); what it wrote,
    as text. Raises ToolError when it cannot start or does not end in time."""
    with started_tool(args, default_deadline, env, cwd) as finished:
        return finished()


@contextlib.contextmanager
def started_tool(
    args: Sequence[str],
    default_deadline: float,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Iterator[Callable[[], subprocess.CompletedProcess[str]]]:
    """A checker started at once, to run while the block does other work; the block
    calls the function it is given for the checker's end and what it wrote. The
    deadline counts from the start and is kept when the block asks for the end. The
    checker is killed, with every process it started, when it is past its deadline then,
    or when the block is left before asking (an error, Ctrl-C, SIGTERM). Raises
    ToolError when it cannot start or does not end in time."""
    seconds = deadline(default_deadline)
    mark = f"{os.getpid()}-{uuid.uuid4().hex}"
    name = Path(args[0]).name
    with (
        _stopped_as_exit(),
        # Files, not pipes: nobody reads a pipe while the block does its work.
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
    ):
        try:
            proc = subprocess.Popen(
                list(args),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                env={**os.environ, **(env or {}), MARK_VARIABLE: mark},
                cwd=cwd,
                start_new_session=True,
                preexec_fn=die_with_parent,  # only a prctl call: safe between fork and exec
            )
        except OSError as exc:
            raise ToolError(f"{name} could not be started: {exc}") from exc
        end = time.monotonic() + seconds
        ended = False

        def finished() -> subprocess.CompletedProcess[str]:
            nonlocal ended
            try:
                proc.wait(timeout=max(0.0, end - time.monotonic()))
            except subprocess.TimeoutExpired as exc:
                kill_run(proc, mark)
                ended = True
                raise ToolError(
                    f"{name} did not finish within {seconds:g} s and was stopped, with every "
                    f"process it started (deadline: {DEADLINE_VARIABLE})"
                ) from exc
            kill_run(proc, mark)  # what the checker left running when it ended
            ended = True
            return subprocess.CompletedProcess(list(args), proc.returncode, _text(out), _text(err))

        try:
            yield finished
        finally:
            if not ended:  # left early, or stopped (Ctrl-C, SIGTERM) while waiting
                kill_run(proc, mark)


def _text(stream: IO[bytes]) -> str:
    stream.seek(0)
    return stream.read().decode(locale.getpreferredencoding(False), "replace")
