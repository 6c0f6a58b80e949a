"""A build killed while it writes leaves every output either the old file or the
new one, whole: never a part of one.

The build is made to write slowly (every binary write goes out in 1 KiB pieces
with a pause between them, by a module loaded before klpublish), its cache is
cleared so that it must write every output, and it is killed with SIGKILL while
it is writing: at a random moment after its first output write began."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import copy_project

SLOW_WRITES = """
import builtins, io, os, time

_open, _fdopen = io.open, os.fdopen


class SlowFile:
    def __init__(self, handle):
        self._handle = handle

    def write(self, data):
        view = memoryview(data)
        for start in range(0, len(view), 1024):
            self._handle.write(view[start : start + 1024])
            self._handle.flush()
            time.sleep(0.001)
        return len(view)

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._handle.__exit__(*exc)


def _slow(handle, mode):
    return SlowFile(handle) if "b" in mode and any(m in mode for m in "wax+") else handle


def slow_open(file, mode="r", *args, **kwargs):
    return _slow(_open(file, mode, *args, **kwargs), mode)


def slow_fdopen(fd, mode="r", *args, **kwargs):
    return _slow(_fdopen(fd, mode, *args, **kwargs), mode)


builtins.open = io.open = slow_open
os.fdopen = slow_fdopen
"""

RUNS = 12
NEW_DATE = "date: 2018-01-11"


def outputs(build: Path) -> dict[str, str]:
    """SHA-256 of every published file (letters and the index), by path."""
    return {
        str(p.relative_to(build)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(build.rglob("*"))
        if p.is_file() and ".cache" not in p.parts and not p.name.endswith(".tmp")
    }


def publish(root: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import slow_writes, klpublish.__main__ as m; m.entry()",
            "publish",
            "--jobs",
            "1",
        ],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def writing(build: Path, old: dict[str, tuple[int, int]]) -> bool:
    """Whether an output is being written: a temporary file, or an output whose
    size or time differs from before the run."""
    for path in build.rglob("*"):
        if path.name.endswith(".tmp"):
            return True
        key = str(path.relative_to(build))
        if key in old and path.is_file():
            stat = path.stat()
            if (stat.st_size, stat.st_mtime_ns) != old[key]:
                return True
    return False


@pytest.mark.slow
def test_a_build_killed_while_writing_leaves_old_or_new_files(
    baseline: Path, tmp_path: Path
) -> None:
    (tmp_path / "slow_writes.py").write_text(SLOW_WRITES, encoding="utf-8")
    env = {
        **os.environ,
        "SOURCE_DATE_EPOCH": "1515542400",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path]),
    }
    old_root = baseline  # published for the letter's date, which is SOURCE_DATE_EPOCH's
    new_root = copy_project(tmp_path / "new")
    source = new_root / "source" / "letter.da.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace("date: 2018-01-10", NEW_DATE), "utf-8"
    )
    assert publish(new_root, env).wait(timeout=300) == 0
    old, new = outputs(old_root / "build"), outputs(new_root / "build")
    changed = [k for k in old if old[k] != new.get(k)]
    assert len(changed) >= 15, changed  # every letter in every format, and more

    work = copy_project(tmp_path / "work")
    shutil.copy(source, work / "source" / "letter.da.md")
    build = work / "build"
    rng = random.Random(2018)
    torn: list[str] = []
    caught_writing = 0
    for _ in range(RUNS):
        shutil.rmtree(build, ignore_errors=True)
        shutil.copytree(old_root / "build", build)
        shutil.rmtree(build / ".cache", ignore_errors=True)  # so it must write everything
        before = {
            str(p.relative_to(build)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in build.rglob("*")
            if p.is_file()
        }
        proc = publish(work, env)
        deadline = time.monotonic() + 120
        while not writing(build, before):
            assert proc.poll() is None, "the build ended before it wrote anything"
            assert time.monotonic() < deadline, "the build never started writing"
            time.sleep(0.001)
        time.sleep(rng.uniform(0, 1.5))
        caught_writing += proc.poll() is None
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        for key, digest in outputs(build).items():
            if digest not in (old.get(key), new.get(key)):
                torn.append(key)
    assert caught_writing >= RUNS - 1, f"only {caught_writing} of {RUNS} runs were killed live"
    assert torn == [], f"half-written files: {torn}"
    assert publish(work, env).wait(timeout=300) == 0
    assert outputs(build) == new
    assert not list(build.rglob("*.tmp")), "stale temporary files were left"
