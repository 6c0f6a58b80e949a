from __future__ import annotations

import contextlib
import http.server
import os
import shutil
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import AWKWARD, PNG, ROOT, WebServer, copy_project, copy_published
from klpublish.__main__ import main

GATE_RUN = "tests/test_gate.py::test_make_check_passes_the_real_outputs_and_reports_every_page"
"""The longest test by far (the whole gate on three letters): it starts first."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The gate's run first, at the front of the first worker's share under
    pytest-xdist's worksteal (``make test``); the other tests that start Orca (seconds
    each) at the front of the second worker's share, in their order. Each worker starts
    with its longest tests and the short ones fill in after; Orca sessions run side by
    side, so the two need not wait for each other."""
    gate = [item for item in items if item.nodeid == GATE_RUN]
    orca = [item for item in items if item.get_closest_marker("orca") and item not in gate]
    rest = [item for item in items if not item.get_closest_marker("orca")]
    middle = len(items) // 2 - len(gate)
    items[:] = [*gate, *rest[:middle], *orca, *rest[middle:]]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project's source and catalogs in a temporary working directory."""
    copy_project(tmp_path)
    shutil.copy(ROOT / "babel.cfg", tmp_path / "babel.cfg")
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- one published project per run, copied by each test that needs its build --------


def _files(root: Path) -> dict[Path, tuple[int, int]]:
    return {p: (p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="session")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The project published once for the whole run: every letter, language and
    format, as ``make publish`` makes them. Its folder's name holds a space and a
    non-ASCII letter, as a user's may (checkers report such files under
    percent-encoded URLs). Read it, never change it (the run fails at its end if
    a file was changed, added or removed): a test that publishes, edits or checks
    takes a copy (:func:`helpers.copy_published`, or ``published_project``), which
    takes milliseconds where publishing takes seconds."""
    root = copy_project(tmp_path_factory.mktemp("baseline") / AWKWARD)
    shutil.copy(ROOT / "babel.cfg", root / "babel.cfg")
    mp = pytest.MonkeyPatch()
    mp.chdir(root)
    # The letter's date gives the outputs their time stamps, the same with or
    # without this variable: a copy republished without it is up to date.
    mp.delenv("SOURCE_DATE_EPOCH", raising=False)
    try:
        assert main(["publish"]) == 0
    finally:
        mp.undo()
    published = _files(root)
    yield root
    assert _files(root) == published, "a test changed the shared baseline: copy it instead"


@pytest.fixture
def published_project(baseline: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``project`` with the baseline's build beside it (outputs and build cache):
    what a user has after ``make publish``."""
    copy_published(baseline, tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- a web server that counts what the build asks of it ------------------------------


@pytest.fixture
def web_server() -> Iterator[WebServer]:
    """A local web server that records every request: the build must make none."""
    served = WebServer("")

    class Recording(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(PNG)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recording)
    served.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield served
    httpd.shutdown()
    httpd.server_close()


# -- no pandoc outlives the test that started it ----------------------------------

RUN_MARK = f"KLPUBLISH_TEST_RUN={os.getpid()}-{time.time_ns()}".encode()
"""In the environment of every process the tests start (children inherit it), so
that processes of this run are told from other runs' on a shared machine."""
os.environ[RUN_MARK.decode().split("=", 1)[0]] = RUN_MARK.decode().split("=", 1)[1]


def _name(pid: str) -> bytes:
    """A process's name as ``comm`` gives it, newline included (empty when gone).
    Raw os.open and os.read: this runs on every process after every test, and a
    Path read costs ten times as much."""
    try:
        fd = os.open(f"/proc/{pid}/comm", os.O_RDONLY)
    except OSError:
        return b""
    try:
        return os.read(fd, 64)
    except OSError:
        return b""
    finally:
        os.close(fd)


def _parent(pid: str) -> int | None:
    """A process's parent (None when gone or exited)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    state, ppid = stat[stat.rindex(")") + 2 :].split()[:2]
    if state == "Z":
        return None  # exited, waiting to be reaped: holds nothing
    return int(ppid)


def _of_this_run(pid: str | int) -> bool:
    try:
        environ = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return False
    return RUN_MARK in environ.split(b"\0")


def orphaned_pandocs() -> list[int]:
    """Pandoc processes of this run whose chain of parents of this run does not
    lead back to this test process: their klpublish is gone, they stayed. The
    name rules out every other process before anything else is read."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or _name(pid) != b"pandoc\n":
            continue
        parent = _parent(pid)
        if parent is None or not _of_this_run(pid):
            continue
        while parent != os.getpid():
            above = _parent(str(parent))
            if above is None or not _of_this_run(parent):
                found.append(int(pid))
                break
            parent = above
    return found


@pytest.fixture(autouse=True)
def no_orphaned_pandoc() -> Iterator[None]:
    yield
    end = time.monotonic() + 5  # a process told to die takes a moment to go
    while (left := orphaned_pandocs()) and time.monotonic() < end:
        time.sleep(0.1)
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)  # so that one leak fails one test, not all after it
    assert not left, f"pandoc processes left running after the test: {left}"
