"""Per-language work on several cores.

Workers are forked once the letter is read, so they share the parsed letter and
its messages instead of parsing them again; each starts its own pandoc engine.
Results come back to the parent, which alone writes files.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, ProcessPoolExecutor
from types import TracebackType
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def parse_jobs(value: str) -> int:
    """``--jobs``: a positive number, or ``auto`` for every core."""
    if value == "auto":
        return os.cpu_count() or 1
    if value.isdigit() and int(value) > 0:
        return int(value)
    raise ValueError(f"expected a positive number or 'auto', got {value!r}")


class Workers:
    """``map`` in this process for one job, else in a pool of forked processes,
    started on first use and kept for every later ``map``."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool: Executor | None = None

    def map(self, function: Callable[[T], R], items: Iterable[T]) -> list[R]:
        todo = list(items)
        if self.jobs <= 1 or len(todo) <= 1 or not _can_fork():
            return [function(item) for item in todo]
        if self._pool is None:
            context = multiprocessing.get_context("fork")
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=context)
        return list(self._pool.map(function, todo))

    def __enter__(self) -> Workers:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=kind is not None)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()
