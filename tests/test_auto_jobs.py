"""``--jobs auto`` chooses by the work to do: one process for a few languages,
every core for many (a worker costs about what one language costs)."""

from __future__ import annotations

import os

from klpublish.__main__ import _jobs
from klpublish.build.workers import AUTO, WORK_PER_PROCESS, auto_jobs


def test_auto_is_chosen_when_the_work_is_known() -> None:
    assert _jobs("auto") == AUTO
    assert _jobs("2") == 2


def test_a_little_work_is_done_in_one_process() -> None:
    assert auto_jobs(0) == 1
    assert auto_jobs(WORK_PER_PROCESS - 1) == 1


def test_much_work_takes_every_core() -> None:
    cores = os.cpu_count() or 1
    assert auto_jobs(10 * 8) == min(cores, 80 // WORK_PER_PROCESS)
    assert auto_jobs(10_000) == cores
