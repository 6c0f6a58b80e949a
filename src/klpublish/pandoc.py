"""The one place that runs the pandoc binary bundled with pypandoc-binary.

Conversions go to one long-running ``pandoc lua`` process (``pandoc_engine.lua``)
per Python process: starting pandoc costs more than converting a letter. Every
request has a deadline; the process dies with its parent.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import json
import os
import selectors
import subprocess
import tempfile
import threading
import time
from functools import cache
from importlib import resources
from typing import IO, Any

from klpublish.errors import ToolError
from klpublish.settings import PANDOC_DEADLINE

PandocDoc = dict[str, Any]


@cache
def pandoc_path() -> str:
    # pypandoc-binary's copy, found without importing pypandoc (which loads urllib).
    spec = importlib.util.find_spec("pypandoc")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        bundled = os.path.join(folder, "files", "pandoc")
        if os.access(bundled, os.X_OK):
            return bundled
    import pypandoc

    return str(pypandoc.get_pandoc_path())


class TooDeep(ToolError):
    """Markup nested deeper than this program reads (a hostile input, usually)."""


class TimedOut(ToolError):
    """A request outlived its deadline of ``seconds`` and pandoc was stopped:
    the caller knows which texts were in it, and names them."""

    def __init__(self, message: str, seconds: float) -> None:
        super().__init__(message)
        self.seconds = seconds


RTS_OPTIONS = ["+RTS", "-H16m", "-O16m", "-M2g", "-RTS"]
"""pypandoc-binary's pandoc asks for a 64 MB heap, which an engine kept open
holds. With 16 MB, a two-job run of five languages took 270 MB in all instead of
364 MB, at the same speed. ``-O16m``: the old generation is collected once it
holds 16 MB, not 1 MB; an engine keeps under 2 MB alive, and with the default it
stopped for a major collection (about 10 ms) every few documents: a letter's 34
requests took 297 ms, now 250 ms. ``-M``: no input may make it grow past 2 GB (a
YAML alias bomb once took 4 GB); it stops with an error instead."""

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """The kernel kills this process when the thread that started it ends: run
    in the child before pandoc starts (and in each worker), so a killed
    klpublish leaves no process behind."""
    import ctypes
    import signal

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


class Engine:
    """A ``pandoc lua`` process that converts one framed request at a time."""

    def __init__(self, deadline: float | None = None) -> None:
        script = str(resources.files("klpublish") / "pandoc_engine.lua")
        self.deadline = PANDOC_DEADLINE.seconds() if deadline is None else deadline
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the engine
        self._proc = subprocess.Popen(
            [pandoc_path(), *RTS_OPTIONS, "lua", script],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            # A file, not a pipe: warnings pandoc writes must never fill a buffer and stall it.
            stderr=self._stderr,
            preexec_fn=die_with_parent,  # only a prctl call: safe between fork and exec
        )
        self._lock = threading.RLock()
        self._stderr_text = ""

    def request(self, header: dict[str, Any], body: bytes, what: str) -> bytes:
        head = json.dumps(header, ensure_ascii=False).encode("utf-8")
        frame = b"%d %d\n" % (len(head), len(body)) + head + body
        with self._lock:
            try:
                status, result = self._exchange(frame)
            except TimeoutError as exc:
                self.kill()
                raise TimedOut(
                    f"pandoc took more than {self.deadline:g} s on {what} and was stopped: "
                    "look for deeply nested brackets or markup in it",
                    self.deadline,
                ) from exc
            except (OSError, ValueError) as exc:
                raise self._died(what) from exc
            except BaseException:
                # Interrupted halfway (a task's deadline, Ctrl-C): the rest of this
                # answer would be read as the next request's.
                self.kill()
                raise
        if status == "ok":
            return result
        if status == "error":
            message = result.decode("utf-8", "replace").strip()
            raise ToolError(f"pandoc failed on {what}: {message}")
        raise self._died(what)

    def _exchange(self, frame: bytes) -> tuple[str, bytes]:
        """Send ``frame`` and read the answer, both within the deadline; writing
        and reading go together, so a large frame cannot stall on a full pipe."""
        stdin, stdout = self._pipes()
        end = time.monotonic() + self.deadline
        out_fd, in_fd = stdin.fileno(), stdout.fileno()
        os.set_blocking(out_fd, False)
        received = bytearray()
        sent = 0
        need: int | None = None
        status = ""
        with selectors.DefaultSelector() as selector:
            selector.register(in_fd, selectors.EVENT_READ)
            if frame:
                selector.register(out_fd, selectors.EVENT_WRITE)
            while need is None or len(received) < need:
                left = end - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                for key, _ in selector.select(left):
                    if key.fd == out_fd:
                        sent += os.write(out_fd, frame[sent : sent + 65536])
                        if sent == len(frame):
                            selector.unregister(out_fd)
                        continue
                    chunk = os.read(in_fd, 1 << 20)
                    if not chunk:
                        raise OSError("pandoc closed its output")
                    received += chunk
                    if need is None and b"\n" in received:
                        line, _, rest = bytes(received).partition(b"\n")
                        status, _, size = line.decode("ascii").partition(" ")
                        if not size.strip().isdigit():
                            raise ValueError(f"bad answer from pandoc: {line[:80]!r}")
                        need = int(size)
                        received = bytearray(rest)
        if len(received) != need:
            raise ValueError("pandoc answered more than it said")
        return status, bytes(received)

    def _pipes(self) -> tuple[IO[bytes], IO[bytes]]:
        assert self._proc.stdin is not None and self._proc.stdout is not None
        return self._proc.stdin, self._proc.stdout

    def _died(self, what: str) -> ToolError:
        self.close()
        return ToolError(f"pandoc stopped while converting {what}: {self._stderr_text}")

    def kill(self) -> None:
        """Stop the process now, whatever it is doing (the next request starts another)."""
        with contextlib.suppress(ProcessLookupError):
            self._proc.kill()
        self.close()

    def close(self, grace: float = 2.0) -> None:
        """Stop the process (it ends when its input does) and release its pipes;
        one that does not end within ``grace`` seconds is killed."""
        if self._proc.stdin and not self._proc.stdin.closed:
            with contextlib.suppress(OSError):  # the process may be gone already
                self._proc.stdin.close()
        try:
            self._proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        # A request in another thread now meets the end of the output and
        # finishes; its pipes and the error text are released after it.
        if not self._lock.acquire(timeout=grace):
            return
        try:
            if not self._stderr.closed:
                self._stderr.seek(0)
                self._stderr_text = self._stderr.read().decode("utf-8", "replace").strip()[-2000:]
                self._stderr.close()
            if self._proc.stdout:
                self._proc.stdout.close()
        finally:
            self._lock.release()

    @property
    def alive(self) -> bool:
        return self._proc.poll() is None

    @property
    def pid(self) -> int:
        return self._proc.pid


_engines: dict[int, Engine] = {}


def engine() -> Engine:
    """This process's engine (a forked worker starts its own)."""
    pid = os.getpid()
    current = _engines.get(pid)
    if current is None or not current.alive:
        if current is not None:
            current.close()
        current = _engines[pid] = Engine()
    return current


@atexit.register
def close_engine() -> None:
    """Stop this process's engine (the next conversion starts another)."""
    current = _engines.pop(os.getpid(), None)
    if current is not None:
        current.close()


def _parse_json(out: bytes, what: str) -> PandocDoc:
    try:
        doc: PandocDoc = json.loads(out)
    except RecursionError as exc:
        raise TooDeep(f"{what}: markup is nested too deeply to read") from exc
    return doc


def markdown_to_ast(text: str, what: str, reader: str = "markdown-smart") -> PandocDoc:
    out = engine().request({"op": "read", "format": reader}, text.encode("utf-8"), what)
    return _parse_json(out, what)


def document_to_ast(data: bytes, reader: str, what: str, options: dict[str, Any]) -> PandocDoc:
    """A binary document (``docx``, ``odt``) read by pandoc; ``options`` are
    pandoc's Lua ReaderOptions fields (``track_changes``)."""
    out = engine().request({"op": "read", "format": reader, "options": options}, data, what)
    return _parse_json(out, what)


def ast_to_bytes(
    doc: PandocDoc,
    writer: str,
    what: str,
    options: dict[str, Any] | None = None,
    *,
    template: str | None = None,
    filters: tuple[str, ...] = (),
    standalone: bool = False,
    env: dict[str, str] | None = None,
    cwd: str | None = None,
) -> bytes:
    """``doc`` written by ``writer``; ``options`` are pandoc's Lua WriterOptions
    fields, ``template`` a template file's path (it implies ``standalone``),
    ``filters`` Lua filters' paths, run first."""
    header: dict[str, Any] = {"op": "write", "format": writer, "options": options or {}}
    if template:
        header["template"] = template
    if filters:
        header["filters"] = list(filters)
    if standalone:
        header["standalone"] = True
    if env:
        header["env"] = env
    if cwd:
        header["cwd"] = cwd
    body = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    return engine().request(header, body, what)


def ast_to_text(doc: PandocDoc, writer: str, what: str, **kwargs: Any) -> str:
    return ast_to_bytes(doc, writer, what, **kwargs).decode("utf-8")
