"""Every subprocess has a deadline and dies with its parent; every expected error
reaches the user as one line and an exit code."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from helpers import HANG, hang_bound
from klpublish import pandoc
from klpublish.__main__ import main
from klpublish.build import workers
from klpublish.catalogs import po
from klpublish.errors import ToolError
from klpublish.letter.nodes import plain_text

HANGS = "[" * 30 + "x"
"""Pandoc's citations extension is exponential in nested brackets: this never ends."""

LETTER_BUSY = "- a\n" * 70_000
"""A long list: within a letter's budget (see ``budgets``), which refuses what
would keep pandoc reading for minutes, and still seconds of reading, enough to
keep klpublish busy while it is killed."""


@pytest.mark.slow
def test_a_hung_engine_is_stopped_at_its_deadline_and_replaced() -> None:
    engine = pandoc.Engine(deadline=2)
    with (
        hang_bound("a request past its deadline"),
        pytest.raises(ToolError, match=r"pandoc took more than 2 s on hang\.md and was stopped"),
    ):
        engine.request({"op": "read", "format": "markdown"}, HANGS.encode(), "hang.md")
    assert not engine.alive
    # The module's engine is another, and works.
    doc = pandoc.markdown_to_ast("Tekst", "a.md")
    assert plain_text(doc["blocks"][0]["c"]) == "Tekst"


def test_close_cannot_block_on_a_busy_engine() -> None:
    engine = pandoc.Engine(deadline=120)
    failures: list[BaseException] = []

    def busy() -> None:
        try:
            engine.request({"op": "read", "format": "markdown"}, HANGS.encode(), "hang.md")
        except ToolError as exc:
            failures.append(exc)

    thread = threading.Thread(target=busy)
    thread.start()
    time.sleep(0.5)  # the engine is now deep in the brackets
    with hang_bound("close on a busy engine"):
        engine.close(grace=1)
    thread.join(timeout=HANG)
    assert not thread.is_alive()
    assert failures and "pandoc stopped" in str(failures[0])
    assert not engine.alive


def _children(pid: int) -> set[int]:
    """Every process under ``pid``."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[1]) == parent:
                found.add(int(entry.name))
                todo.append(int(entry.name))
    return found


def _pandocs(pids: set[int]) -> set[int]:
    found = set()
    for pid in pids:
        try:
            if Path(f"/proc/{pid}/comm").read_text().strip() == "pandoc":
                found.add(pid)
        except OSError:
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return state[state.rindex(")") + 2] != "Z"


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_pandoc_and_workers_die_with_a_killed_klpublish(project: Path, jobs: str) -> None:
    """``kill -9`` of klpublish alone (not its process group), while pandoc is
    busy on a letter that keeps it busy for seconds: nothing it started stays."""
    source = Path("source/letter.da.md")
    source.write_text(source.read_text(encoding="utf-8") + f"\n{LETTER_BUSY}\n", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "klpublish", "publish", "--jobs", jobs],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    end = time.monotonic() + HANG
    engines = int(jobs)  # one in klpublish, one in each worker
    while time.monotonic() < end and len(_pandocs(_children(proc.pid))) < engines:
        time.sleep(0.2)
    time.sleep(1)  # let pandoc get into the list
    started = _children(proc.pid)
    busy = _pandocs(started)
    proc.send_signal(signal.SIGKILL)  # first: a failed count must not leave it running
    proc.wait()
    assert len(busy) == engines, started
    end = time.monotonic() + HANG  # each is told to die at once; a busy machine may take a while
    while (left := {p for p in started if _alive(p)}) and time.monotonic() < end:
        time.sleep(0.1)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"left running after klpublish was killed: {left}"


@pytest.mark.slow
def test_a_worker_stuck_on_a_task_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KLPUBLISH_TASK_DEADLINE", "2")
    said = r"a worker process spent more than 2 s on sleeping 600 s and was stopped"
    with (
        hang_bound("a pool with a task past its deadline"),
        pytest.raises(ToolError, match=said),
        workers.Workers(2) as pool,
    ):
        pool.map(time.sleep, [0.0, 600.0], lambda s: f"sleeping {s:g} s")


def test_a_hung_msgfmt_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, project: Path
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "msgfmt").write_text("#!/bin/sh\nexec sleep 600\n")
    (bin_dir / "msgfmt").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("KLPUBLISH_MSGFMT_DEADLINE", "1")
    with (
        hang_bound("msgfmt past its deadline"),
        pytest.raises(ToolError, match=r"letter\.po: msgfmt took more than 1 s and was stopped"),
    ):
        po.check_with_msgfmt(Path("locale/de/LC_MESSAGES/letter.po"))


def test_main_says_an_os_error_in_one_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("blocked").write_text("a file where the output folder should be")
    assert main(["publish", "--out", "blocked/build"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("klpublish: error: blocked/build/.klpublish.lock: cannot write:"), err
    assert len(err.splitlines()) == 1, err
    assert main(["index", "--out", "blocked"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("klpublish: error: blocked"), err
    assert len(err.splitlines()) == 1, err
