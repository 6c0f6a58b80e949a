"""Per-language work on several cores: this process and worker processes.

The workers are started first thing, so that they import the renderers and
start their pandoc engines on the other cores while this process reads the
letter. What every task needs (the parsed letter, its messages) is pickled
once and unpickled once per worker. Results come back here, where they are
reported.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import pickle
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Any, TypeVar

from klpublish.errors import ToolError

T = TypeVar("T")
R = TypeVar("R")


def parse_jobs(value: str) -> int:
    """``--jobs``: a positive number, or ``auto`` for every core."""
    if value == "auto":
        return os.cpu_count() or 1
    if value.isdigit() and int(value) > 0:
        return int(value)
    raise ValueError(f"expected a positive number or 'auto', got {value!r}")


TASK_DEADLINE = float(os.environ.get("KLPUBLISH_TASK_DEADLINE", "900"))
"""Seconds a worker may spend on one language (a letter takes a few)."""


def warm_up() -> None:
    """A worker's start: what its first task would otherwise wait for."""
    import lxml.etree  # noqa: F401
    import typst  # noqa: F401

    from klpublish import pandoc
    from klpublish.render import epub, html, pdf  # noqa: F401

    pandoc.die_with_parent()  # a killed klpublish leaves no worker (nor its pandoc)
    pandoc.engine()


class Workers:
    """``map`` over ``jobs`` processes: this one and ``jobs - 1`` workers
    that live as long as this object. Tasks are handed out a few at a time, so
    the work spreads evenly whatever each task costs."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool: ProcessPoolExecutor | None = None
        if self.jobs > 1:
            context = multiprocessing.get_context(_start_method())
            self._pool = ProcessPoolExecutor(
                max_workers=self.jobs - 1, mp_context=context, initializer=warm_up
            )
            # The pool starts its workers on the first task: let that be now, so
            # they warm up on the other cores while this process reads the letter.
            self._pool.submit(int)

    def map(self, function: Callable[[T], R], items: Iterable[T]) -> list[R]:
        todo = list(items)
        results: dict[int, R] = {}
        pending: dict[Future[R], int] = {}
        started: dict[Future[R], float] = {}
        queue = iter(range(len(todo)))
        while len(results) < len(todo):
            mine = next(queue, None)  # this process takes the next task itself
            # One task queued beyond each worker's current one: a worker that
            # finishes while this process is busy goes straight on.
            while self._pool is not None and len(pending) < 2 * (self.jobs - 1):
                index = next(queue, None)
                if index is None:
                    break
                future = self._pool.submit(function, todo[index])
                pending[future] = index
                started[future] = time.monotonic()
            if mine is not None:
                results[mine] = function(todo[mine])
            elif pending:
                wait(
                    pending,
                    timeout=min(started.values()) + TASK_DEADLINE - time.monotonic(),
                    return_when=FIRST_COMPLETED,
                )
                if not any(f.done() for f in pending):
                    self.kill()
                    raise ToolError(
                        f"a worker process spent more than {TASK_DEADLINE:g} s on one language "
                        "and was stopped"
                    )
            for future in [f for f in pending if f.done()]:
                started.pop(future, None)
                try:
                    results[pending.pop(future)] = future.result()
                except BrokenProcessPool as exc:
                    raise ToolError(
                        "a worker process stopped before its work was done "
                        "(killed, or out of memory?)"
                    ) from exc
        return [results[n] for n in range(len(todo))]

    def __enter__(self) -> Workers:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._pool is not None:
            if kind is not None:
                self.kill()  # a worker stuck on a task would make shutdown wait for ever
            self._pool.shutdown(cancel_futures=kind is not None)

    def kill(self) -> None:
        """Stop every worker now (the pool keeps its processes in a private field)."""
        processes = getattr(self._pool, "_processes", None) or {}
        for process in list(processes.values()):
            with contextlib.suppress(OSError):
                process.kill()


def _start_method() -> str:
    """Fork while it is safe, as it is at the start of a run: it is quick, and
    the workers share this process's imports. Once Typst has run here its
    threads exist, and a forked child would wait for them forever: spawn then."""
    safe = threading.active_count() == 1 and "typst" not in sys.modules
    return "fork" if safe and "fork" in multiprocessing.get_all_start_methods() else "spawn"


class Shared:
    """A value every task needs, sent as bytes pickled once; each worker
    unpickles it once."""

    def __init__(self, value: Any) -> None:
        self.blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self.token = hashlib.sha256(self.blob).hexdigest()


_unpickled: dict[str, Any] = {}


def shared_value(shared: Shared) -> Any:
    if shared.token not in _unpickled:
        _unpickled.clear()
        _unpickled[shared.token] = pickle.loads(shared.blob)
    return _unpickled[shared.token]
