"""Work spread over processes: same results as in one, and a dead worker is an error."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from klpublish.build.workers import Workers, parse_jobs
from klpublish.errors import ToolError


def square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def die_in_a_worker(n: int) -> int:
    if multiprocessing.parent_process() is not None:
        os._exit(3)
    return n


def test_results_keep_their_order_and_use_every_process() -> None:
    with Workers(2) as workers:
        results = workers.map(square_and_pid, range(12))
    assert [r for r, _ in results] == [n * n for n in range(12)]
    pids = {pid for _, pid in results}
    assert os.getpid() in pids and len(pids) == 2


def test_one_job_runs_here() -> None:
    with Workers(1) as workers:
        assert {pid for _, pid in workers.map(square_and_pid, range(3))} == {os.getpid()}


def test_a_dead_worker_is_an_error() -> None:
    with Workers(2) as workers, pytest.raises(ToolError, match="worker process stopped"):
        workers.map(die_in_a_worker, range(6))


def test_jobs() -> None:
    assert parse_jobs("3") == 3
    assert parse_jobs("auto") == (os.cpu_count() or 1)
    for bad in ("0", "-2", "x", ""):
        with pytest.raises(ValueError, match="positive number or 'auto'"):
            parse_jobs(bad)
