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
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Any, TypeVar

from klpublish.errors import ToolError
from klpublish.settings import TASK_DEADLINE

T = TypeVar("T")
R = TypeVar("R")


AUTO = 0
"""``--jobs auto``: as many processes as the work is worth (see ``auto_jobs``)."""

WORK_PER_PROCESS = 3
"""Languages to build that make another process worth starting: a worker costs
about what building one language costs (it imports the renderers and starts its
own pandoc), and with fewer than this per process it would only wait."""


def auto_jobs(work: int) -> int:
    """The processes for ``work`` languages to build (letters x languages): one
    for a few, up to every core for many."""
    return max(1, min(os.cpu_count() or 1, work // WORK_PER_PROCESS))


def parse_jobs(value: str) -> int:
    """``--jobs``: a positive number, or ``auto`` for every core."""
    if value == "auto":
        return os.cpu_count() or 1
    if value.isdigit() and int(value) > 0:
        return int(value)
    raise ValueError(f"expected a positive number or 'auto', got {value!r}")


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

    def aside(self, function: Callable[[], R], seconds: float) -> Callable[[], R]:
        """``function()`` begun on a worker now, while this process goes on: what is
        returned gives its result, waiting for it at most ``seconds`` from now (then
        ``TimeoutError``). With no worker it is ``function``. ``function`` goes
        pickled to the worker: a module-level function, or a ``partial`` of one."""
        if self._pool is None:
            return function
        future = self._pool.submit(function)
        end = time.monotonic() + seconds
        return lambda: future.result(timeout=max(0.0, end - time.monotonic()))

    def map(
        self,
        function: Callable[[T], R],
        items: Iterable[T],
        name: Callable[[T], str] = lambda item: "one task",
    ) -> list[R]:
        """``function`` of each item, in order. Each task has ``TASK_DEADLINE``,
        here as in a worker; ``name`` says what a task that outlives it was doing."""
        todo = list(items)
        deadline = TASK_DEADLINE.seconds()
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
                results[mine] = _here(function, todo[mine], deadline, name)
            elif pending:
                oldest = min(started, key=started.__getitem__)
                wait(
                    pending,
                    timeout=started[oldest] + deadline - time.monotonic(),
                    return_when=FIRST_COMPLETED,
                )
                if not any(f.done() for f in pending):
                    self.kill()
                    raise ToolError(
                        f"a worker process spent more than {deadline:g} s on "
                        f"{name(todo[pending[oldest]])} and was stopped ({_RAISE})"
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


_RAISE = f"{TASK_DEADLINE.name} gives it longer"


class _Overdue(BaseException):
    """Raised into this process's own task when its deadline passes: a
    ``BaseException``, so that no ``except Exception`` in the task can keep it going."""


def _overdue(signum: int, frame: object) -> None:
    raise _Overdue


def _here(function: Callable[[T], R], item: T, deadline: float, name: Callable[[T], str]) -> R:
    """``function(item)`` in this process, stopped after ``deadline`` seconds as a
    worker's task would be. The alarm interrupts Python code and system calls
    (a wait on pandoc or msgfmt, whose own deadlines are longer or not); only the
    main thread receives signals, so in another thread the task runs unbounded."""
    if threading.current_thread() is not threading.main_thread():
        return function(item)
    previous = signal.signal(signal.SIGALRM, _overdue)
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, deadline)
            return function(item)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Overdue:  # also when it came as the task ended: it did take that long
        raise ToolError(
            f"klpublish spent more than {deadline:g} s on {name(item)} and stopped it ({_RAISE})"
        ) from None
    finally:
        signal.signal(signal.SIGALRM, signal.SIG_DFL if previous is None else previous)


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
