"""The one place that runs the pandoc binary bundled with pypandoc-binary.

Conversions go to one long-running ``pandoc lua`` process (``pandoc_engine.lua``)
per Python process: starting pandoc costs more than converting a letter. The
command line is used only for what pandoc's Lua API cannot do (embedding images).
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import json
import os
import subprocess
import tempfile
import threading
from functools import cache
from importlib import resources
from typing import IO, Any

from .errors import ToolError

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


RTS_OPTIONS = ["+RTS", "-H16m", "-RTS"]
"""pypandoc-binary's pandoc asks for a 64 MB heap, which an engine kept open
holds. With 16 MB, a two-job run of five languages took 270 MB in all instead of
364 MB, at the same speed."""


class Engine:
    """A ``pandoc lua`` process that converts one framed request at a time."""

    def __init__(self) -> None:
        script = str(resources.files("klpublish") / "pandoc_engine.lua")
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the engine
        self._proc = subprocess.Popen(
            [pandoc_path(), *RTS_OPTIONS, "lua", script],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            # A file, not a pipe: warnings pandoc writes must never fill a buffer and stall it.
            stderr=self._stderr,
        )
        self._lock = threading.Lock()
        self._stderr_text = ""

    def request(self, header: dict[str, Any], body: bytes, what: str) -> bytes:
        head = json.dumps(header, ensure_ascii=False).encode("utf-8")
        stdin, stdout = self._pipes()
        with self._lock:
            try:
                stdin.write(b"%d %d\n" % (len(head), len(body)) + head + body)
                stdin.flush()
                status, _, size = stdout.readline().decode("ascii").partition(" ")
                result = stdout.read(int(size)) if size.strip().isdigit() else b""
            except (OSError, ValueError) as exc:
                raise self._died(what) from exc
        if status == "ok":
            return result
        if status == "error":
            message = result.decode("utf-8", "replace").strip()
            raise ToolError(f"pandoc failed on {what}: {message}")
        raise self._died(what)

    def _pipes(self) -> tuple[IO[bytes], IO[bytes]]:
        assert self._proc.stdin is not None and self._proc.stdout is not None
        return self._proc.stdin, self._proc.stdout

    def _died(self, what: str) -> ToolError:
        self.close()
        return ToolError(f"pandoc stopped while converting {what}: {self._stderr_text}")

    def close(self) -> None:
        """Stop the process (it ends when its input does) and release its pipes."""
        if self._proc.stdin and not self._proc.stdin.closed:
            with contextlib.suppress(OSError):  # the process may be gone already
                self._proc.stdin.close()
        self._proc.wait()
        if not self._stderr.closed:
            self._stderr.seek(0)
            self._stderr_text = self._stderr.read().decode("utf-8", "replace").strip()
            self._stderr.close()
        if self._proc.stdout:
            self._proc.stdout.close()

    @property
    def alive(self) -> bool:
        return self._proc.poll() is None


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


def run_command_line(args: list[str], data: bytes, what: str) -> bytes:
    """The pandoc command line, for the little the Lua API cannot do."""
    proc = subprocess.run([pandoc_path(), *args], input=data, capture_output=True, check=False)
    if proc.returncode != 0:
        stderr = proc.stderr.decode("utf-8", "replace").strip()
        raise ToolError(f"pandoc failed on {what}: {stderr}")
    return proc.stdout
