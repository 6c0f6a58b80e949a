"""Orca, a real screen reader, reading the published pages (the I/O around ``screen_reader``).

One headless session (``orca_session/orca_listen.py``, shipped in the package and run
with Debian's python3 because it needs Debian's Orca and pyatspi) reads every page in
turn; what Orca said is written per page to ``reports/screen-reader/`` as plain text,
and compared with the page, read with the names Orca says for the characters it names
(``spoken_symbols``).
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from klpublish.errors import KlpublishError, ToolError
from klpublish.gate.page_text import parse_page
from klpublish.gate.processes import started_tool
from klpublish.gate.screen_reader import check_listening, transcript
from klpublish.gate.spoken_symbols import read_symbols
from klpublish.gate.tools import scripts

SYSTEM_PYTHON = Path("/usr/bin/python3")
LISTENER = "orca_listen.py"
SECONDS_PER_PAGE = 90
"""The deadline for one page (the listener keeps its own per page, this is the sum's)."""
PAGES_FOR_TWO_SESSIONS = 12
"""From this many pages on, two sessions share them (one takes a second or two to start)."""
SETUP_SECONDS = 600
"""The deadline for bringing the session up and down (seconds, usually), and room for
pages read again (see the listener's ATTEMPTS) on a busy machine."""


@dataclass(frozen=True)
class Page:
    path: Path
    report: Path
    """Where the transcript of what Orca said goes (plain text)."""
    parts: tuple[tuple[str, str], ...] = ()
    """Texts whose language is known beforehand, with that language."""


@contextlib.contextmanager
def listening(pages: Sequence[Path], workdir: Path) -> Iterator[Callable[[], dict[str, Any]]]:
    """Orca starts reading ``pages`` at once, while the block does other work; the block
    calls the function it is given for what Orca said on each page (see
    ``orca_session/orca_listen.py``), which raises ToolError when a session could not
    run: the check then fails. Many pages are shared between two sessions side by side:
    a session spends much of its time waiting for Orca and Chromium to talk over AT-SPI."""
    if not SYSTEM_PYTHON.exists():  # ``reading`` makes this the check's failure
        raise ToolError(f"{SYSTEM_PYTHON} is missing: run 'make check-setup'")
    shares = 2 if len(pages) >= PAGES_FOR_TWO_SESSIONS else 1
    size = -(-len(pages) // shares)
    with contextlib.ExitStack() as stack:
        folder = stack.enter_context(scripts("orca_session"))
        sessions = [
            stack.enter_context(
                _session(
                    folder,
                    pages[n * size : (n + 1) * size],
                    workdir,
                    "session" if n == 0 else f"session-{n + 1}",
                )
            )
            for n in range(shares)
        ]

        def said() -> dict[str, Any]:
            results = [session() for session in sessions]
            return {
                "symbols": results[0].get("symbols"),
                "pages": {page: record for one in results for page, record in one["pages"].items()},
            }

        yield said


@contextlib.contextmanager
def _session(
    folder: Path, pages: Sequence[Path], workdir: Path, name: str
) -> Iterator[Callable[[], dict[str, Any]]]:
    """One Orca session reading ``pages``, in ``workdir / name``."""
    result_path = workdir / f"{name}.json"
    with started_tool(
        [str(SYSTEM_PYTHON), str(folder / LISTENER), str(result_path), str(workdir / name),
         *[str(p) for p in pages]],
        SETUP_SECONDS + SECONDS_PER_PAGE * len(pages),
    ) as finished:  # fmt: skip

        def said() -> dict[str, Any]:
            proc = finished()
            if not result_path.exists():
                raise ToolError(
                    f"Orca's session gave no result (exit {proc.returncode}): {proc.stderr[-800:]}"
                )
            result: dict[str, Any] = json.loads(result_path.read_text(encoding="utf-8"))
            if proc.returncode != 0 or result.get("error"):
                raise ToolError(
                    f"Orca could not run: {result.get('error') or proc.stderr.strip()[-800:]} "
                    f"(logs in {workdir / name / 'logs'})"
                )
            return result

        yield said


def _raises(error: Exception) -> Callable[[], dict[str, Any]]:
    def fail() -> dict[str, Any]:
        raise error

    return fail


def check_pages(pages: Sequence[Page], workdir: Path | None = None) -> dict[Path, list[str]]:
    """Problems per page; writes each page's transcript. Raises ToolError if Orca could
    not run at all."""
    with reading(pages, workdir) as heard:
        return heard()


@contextlib.contextmanager
def reading(
    pages: Sequence[Page], workdir: Path | None = None
) -> Iterator[Callable[[], dict[Path, list[str]]]]:
    """``check_pages`` started at once, while the block does other work: the block calls
    the function it is given for the problems per page. Orca stops reading if the block
    is left before (an error, Ctrl-C)."""
    if not pages:
        yield dict
        return
    with contextlib.ExitStack() as stack:
        try:
            tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="klp-orca-"))
            said = stack.enter_context(listening([p.path for p in pages], workdir or Path(tmp)))
        except (KlpublishError, OSError) as exc:  # not started: the check fails, the gate goes on
            said = _raises(ToolError(f"Orca's session could not start: {exc}"))

        def heard() -> dict[Path, list[str]]:
            return _problems(pages, said())

        yield heard


def _problems(pages: Sequence[Page], result: dict[str, Any]) -> dict[Path, list[str]]:
    symbols = read_symbols(result.get("symbols"))
    found: dict[Path, list[str]] = {}
    for page in pages:
        record = result["pages"].get(str(page.path.resolve()), {"error": "not read"})
        page.report.parent.mkdir(parents=True, exist_ok=True)
        page.report.write_text(transcript(record), encoding="utf-8")
        root = parse_page(page.path.read_bytes(), page.path.suffix == ".xhtml")
        found[page.path] = check_listening(root, record, symbols, page.parts)
    return found
