"""Work spread over processes: same results as in one, and a dead worker is an error."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Iterator
from functools import partial

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


def test_work_aside_runs_on_a_worker_and_without_one_here() -> None:
    with Workers(2) as workers:
        assert workers.aside(os.getpid, 60)() != os.getpid()
    with Workers(1) as workers:
        assert workers.aside(os.getpid, 60)() == os.getpid()


def test_work_aside_is_waited_for_no_longer_than_its_seconds() -> None:
    with Workers(2) as workers:
        late = workers.aside(partial(time.sleep, 1), 0.2)
        with pytest.raises(TimeoutError):
            late()


@pytest.fixture
def fresh_digest() -> Iterator[None]:
    from klpublish.build import cache

    cache.code_digest.cache_clear()
    yield
    cache._HANDED.clear()
    cache.code_digest.cache_clear()


@pytest.mark.usefixtures("fresh_digest")
def test_the_code_digest_a_worker_hands_over_is_used_and_is_the_one_made_here() -> None:
    from klpublish.build import cache

    cache.hand_code_digest(lambda: "handed")
    assert cache.code_digest() == "handed"  # not made here again
    cache.code_digest.cache_clear()
    with Workers(2) as workers:
        cache.hand_code_digest(workers.aside(cache.code_digest, 60))
        assert cache.code_digest() == cache._code_digest()


@pytest.mark.usefixtures("fresh_digest")
def test_a_code_digest_made_here_already_is_kept() -> None:
    from klpublish.build import cache

    made = cache.code_digest()
    cache.hand_code_digest(lambda: "handed")
    assert cache.code_digest() == made
    cache.code_digest.cache_clear()  # and nothing is left waiting to be used later
    assert cache.code_digest() == made


@pytest.mark.usefixtures("fresh_digest")
def test_a_code_digest_the_worker_could_not_hand_over_is_made_here() -> None:
    from klpublish.build import cache

    def broken() -> str:
        raise ToolError("a worker process stopped before its work was done")

    cache.hand_code_digest(broken)
    assert cache.code_digest() == cache._code_digest()
    with Workers(2) as workers:  # a worker too slow to answer
        cache.code_digest.cache_clear()
        cache.hand_code_digest(workers.aside(partial(time.sleep, 1), 0.2))  # type: ignore[arg-type]
        assert cache.code_digest() == cache._code_digest()
