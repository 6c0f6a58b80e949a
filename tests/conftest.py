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

from helpers import PNG, ROOT, WebServer, copy_project


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project's source and catalogs in a temporary working directory."""
    copy_project(tmp_path)
    shutil.copy(ROOT / "babel.cfg", tmp_path / "babel.cfg")
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


def _process(pid: str) -> tuple[str, int, bool] | None:
    """A process's name, parent and whether it belongs to this run (None when gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        environ = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return None
    name = stat[stat.index("(") + 1 : stat.rindex(")")]
    state, ppid = stat[stat.rindex(")") + 2 :].split()[:2]
    if state == "Z":
        return None  # exited, waiting to be reaped: holds nothing
    return name, int(ppid), RUN_MARK in environ.split(b"\0")


def orphaned_pandocs() -> list[int]:
    """Pandoc processes of this run whose chain of parents of this run does not
    lead back to this test process: their klpublish is gone, they stayed."""
    found = []
    for entry in Path("/proc").iterdir():
        info = _process(entry.name) if entry.name.isdigit() else None
        if info is None or info[0] != "pandoc" or not info[2]:
            continue
        parent = info[1]
        while parent != os.getpid():
            above = _process(str(parent))
            if above is None or not above[2]:
                found.append(int(entry.name))
                break
            parent = above[1]
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
