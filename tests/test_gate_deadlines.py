"""Every outside checker of the gate has a deadline, and when it passes, or when klpublish
is stopped, the checker dies with every process it started, even one that left for a
session of its own (as Chromium does when Puppeteer or Playwright starts it).

Each checker is replaced by a fake that starts such a child and hangs; the gate runs in a
process of its own, bounded by a deadline far above the gate's, so that a gate without
deadlines fails the test instead of hanging it."""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from klpublish.errors import SettingError, ToolError

DEADLINE_VARIABLE = "KLPUBLISH_GATE_DEADLINE"
BOUND = 60
"""Seconds a gate run in these tests may take at most; with the fakes' 2 s deadline it
takes about 3."""

HANGING_TOOL = """#!{python}
import os, pathlib, subprocess, sys, time
quiet = dict(stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
away = subprocess.Popen(["sleep", "300"], start_new_session=True, **quiet)
bare = subprocess.Popen(["/bin/sleep", "300"], env={{}}, **quiet)
pathlib.Path(os.environ["FAKE_PIDS"]).write_text(f"{{os.getpid()}} {{away.pid}} {{bare.pid}}")
time.sleep(300)
"""
"""A checker that never ends, and says its process id and those of its two children: one
in a session of its own (as Puppeteer and Playwright start Chromium), one in its process
group but with an environment of its own."""

CALLS = {
    "pa11y": 'tools.pa11y([(page, "letter")], project, "pa11y.config.js")',
    "aria-snapshot": "tools.aria_snapshots([page], project)",
    "vnu": "tools.vnu([page], project)",
    "epubcheck": "tools.epubcheck(page)",
    "ace": 'tools.ace(page, project, page.parent / "ace")',
    "pdfua": "tools.pdfua(page)",
}
"""How the gate calls each checker (run by ``GATE``). msgfmt is not among them: the
gate asks the build's check of a catalog (``catalogs.po``), which has the build's
deadline (tests/test_one_registry.py)."""

GATE = """
import pathlib, signal, sys
# Ctrl-C as from a terminal: a job started in the background inherits SIGINT ignored.
signal.signal(signal.SIGINT, signal.default_int_handler)
from klpublish.errors import ToolError
from klpublish.gate import tools
page, project = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
try:
    {call}
except ToolError as exc:
    print(exc)
    sys.exit(3)
"""


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead and waiting to be reaped, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture
def fakes(tmp_path: Path) -> Iterator[Path]:
    """A folder with every checker replaced by the hanging one: ``bin/`` (for PATH) and a
    Node project whose tools are the same. Whatever the fakes leave is killed after."""
    # The Python program beside the fakes, each a shell script that runs it: a "#!"
    # line cannot name an interpreter whose path holds a space (a checkout may).
    program = tmp_path / "hanging_tool.py"
    program.write_text(HANGING_TOOL.format(python=sys.executable).partition("\n")[2])
    tool = f'#!/bin/sh\nexec {shlex.quote(sys.executable)} {shlex.quote(str(program))} "$@"\n'
    bins = tmp_path / "node" / "node_modules" / ".bin"
    for folder, names in (
        (tmp_path / "bin", ["node", "java"]),
        (bins, ["pa11y-ci"]),
    ):
        folder.mkdir(parents=True, exist_ok=True)
        for name in names:
            (folder / name).write_text(tool, encoding="utf-8")
            (folder / name).chmod(0o755)
    for module in ("playwright-core", "@daisy/ace-core"):  # run by the fake node
        (tmp_path / "node" / "node_modules" / module).mkdir(parents=True)
    jar = tmp_path / "node" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    jar.parent.mkdir(parents=True)
    jar.write_bytes(b"")
    (tmp_path / "page.html").write_text("<!DOCTYPE html><title>x</title>", encoding="utf-8")
    yield tmp_path
    pids = tmp_path / "pids"
    for pid in pids.read_text().split() if pids.exists() else []:
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(pid), signal.SIGKILL)


def start_gate(fakes: Path, checker: str, gate_deadline: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "PATH": f"{fakes / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "FAKE_PIDS": str(fakes / "pids"),
        DEADLINE_VARIABLE: gate_deadline,
    }
    if checker == "pdfua":  # run as `python -m pdfua`: the fake is that module
        module = HANGING_TOOL.format(python=sys.executable).partition("\n")[2]
        (fakes / "pdfua.py").write_text(module, encoding="utf-8")
        env["PYTHONPATH"] = os.pathsep.join([str(fakes), os.environ.get("PYTHONPATH", "")])
    code = GATE.format(call=CALLS[checker])
    return subprocess.Popen(
        [sys.executable, "-c", code, str(fakes / "page.html"), str(fakes / "node")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def fake_pids(fakes: Path) -> dict[str, int]:
    """The hanging checker's process id and its children's, once it has started them."""
    end = time.monotonic() + BOUND
    while time.monotonic() < end:
        with contextlib.suppress(OSError, ValueError):
            tool, away, bare = map(int, (fakes / "pids").read_text().split())
            return {"the checker": tool, "its child in a session of its own": away,
                    "its child with an environment of its own": bare}  # fmt: skip
        time.sleep(0.05)
    raise AssertionError("the fake checker did not start")


@pytest.mark.slow
@pytest.mark.parametrize("checker", sorted(CALLS))
def test_a_hanging_checker_is_stopped_with_its_child_at_the_deadline(
    fakes: Path, checker: str
) -> None:
    gate = start_gate(fakes, checker, "2")
    try:
        out, err = gate.communicate(timeout=BOUND)
    except subprocess.TimeoutExpired:
        gate.kill()
        gate.communicate()
        pytest.fail(f"{checker}: the gate was still waiting after {BOUND} s: it has no deadline")
    assert gate.returncode == 3, err
    assert "did not finish within 2 s and was stopped" in out, out
    assert DEADLINE_VARIABLE in out
    left = [what for what, pid in fake_pids(fakes).items() if alive(pid)]
    assert left == [], f"{checker}: outlived the deadline: {left}"


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_a_checker_dies_with_its_child_when_klpublish_is_stopped(
    fakes: Path, stop: signal.Signals
) -> None:
    gate = start_gate(fakes, "vnu", "600")
    try:
        pids = fake_pids(fakes)
        gate.send_signal(stop)
        gate.communicate(timeout=BOUND)
    finally:
        gate.kill()
        gate.communicate()
    assert gate.returncode != 0
    end = time.monotonic() + 5  # a killed process takes a moment to go
    while any(map(alive, pids.values())) and time.monotonic() < end:
        time.sleep(0.05)
    left = [what for what, pid in pids.items() if alive(pid)]
    assert left == [], f"outlived klpublish: {left}"


def test_the_checker_dies_when_klpublish_is_killed(fakes: Path) -> None:
    """A klpublish killed outright (SIGKILL) can clean nothing up: the kernel kills the
    checker it started. What the checker started is beyond its reach (the fixture kills
    it here)."""
    gate = start_gate(fakes, "vnu", "600")
    try:
        pids = fake_pids(fakes)
    finally:
        gate.kill()
        gate.communicate()
    end = time.monotonic() + 5
    while alive(pids["the checker"]) and time.monotonic() < end:
        time.sleep(0.05)
    assert not alive(pids["the checker"]), "the checker outlived a killed klpublish"


def test_a_checker_that_cannot_start_is_a_tool_error(tmp_path: Path) -> None:
    from klpublish.gate import processes

    with pytest.raises(ToolError, match="nothing-here could not be started"):
        processes.run_tool([str(tmp_path / "nothing-here")], 10)


@pytest.mark.parametrize("value", ["abc", "0", "-1", "nan"])
def test_a_deadline_that_is_no_number_of_seconds_is_refused(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    from klpublish.gate import processes

    monkeypatch.setenv(processes.DEADLINE_VARIABLE, value)
    with pytest.raises(SettingError, match=f"environment variable {processes.DEADLINE_VARIABLE}"):
        processes.run_tool(["true"], 10)


@pytest.mark.slow
def test_a_checker_started_in_the_background_keeps_its_deadline_from_its_start() -> None:
    """The gate lets a checker (Orca) run while it does other work: its deadline counts
    from its start, and what it wrote is there at its end."""
    from klpublish.gate import processes

    with processes.started_tool(["sh", "-c", "echo said; sleep 0.5"], 1) as finished:
        time.sleep(0.6)
        assert finished().stdout == "said\n"
    # It would end 4 s after its start, 1 s after its deadline: asked for its end
    # past the deadline, it is stopped, not given the deadline again from then.
    with processes.started_tool(["sleep", "4"], 3) as finished:
        time.sleep(3.2)
        with pytest.raises(ToolError, match="did not finish within 3 s"):
            finished()


def test_a_checker_left_running_is_stopped_with_what_it_started(tmp_path: Path) -> None:
    from klpublish.gate import processes

    pids = tmp_path / "pids"
    script = f"sleep 300 & echo $$ $! > '{pids}.new' && mv '{pids}.new' '{pids}'; wait"
    with pytest.raises(RuntimeError), processes.started_tool(["sh", "-c", script], 600):
        end = time.monotonic() + 10
        while not pids.exists() and time.monotonic() < end:
            time.sleep(0.05)
        raise RuntimeError("the block failed")
    shell, child = (int(pid) for pid in pids.read_text().split())
    assert not alive(shell) and not alive(child)
