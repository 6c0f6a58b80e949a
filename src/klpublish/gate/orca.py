"""Orca, a real screen reader, reading the published pages (the I/O around ``screen_reader``).

One headless session (``orca_session/orca_listen.py``, shipped in the package and run
with Debian's python3 because it needs Debian's Orca and pyatspi) reads every page in
turn; what Orca said is written per page to ``reports/screen-reader/`` as plain text,
and compared with the page, read with the names Orca says for the characters it names
(``spoken_symbols``).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from klpublish.errors import ToolError
from klpublish.gate.page_text import parse_page
from klpublish.gate.processes import run_tool
from klpublish.gate.screen_reader import check_listening, transcript
from klpublish.gate.spoken_symbols import read_symbols
from klpublish.gate.tools import scripts

SYSTEM_PYTHON = Path("/usr/bin/python3")
LISTENER = "orca_listen.py"
SECONDS_PER_PAGE = 90
"""The deadline for one page (the listener keeps its own per page, this is the sum's)."""
TURN_WAIT = 600
"""How long the session may wait for this user's other Orca sessions to end (one Orca
per user: concurrent gate runs or tests take turns)."""


@dataclass(frozen=True)
class Page:
    path: Path
    report: Path
    """Where the transcript of what Orca said goes (plain text)."""
    parts: tuple[tuple[str, str], ...] = ()
    """Texts whose language is known beforehand, with that language."""


def listen(pages: Sequence[Path], workdir: Path) -> dict[str, Any]:
    """What Orca said on each page (see ``orca_session/orca_listen.py``). Raises ToolError
    when the session could not run: the check then fails."""
    result_path = workdir / "orca-result.json"
    if not SYSTEM_PYTHON.exists():
        raise ToolError(f"{SYSTEM_PYTHON} is missing: run 'make check-setup'")
    with scripts("orca_session") as folder:
        proc = run_tool(
            [str(SYSTEM_PYTHON), str(folder / LISTENER), str(result_path),
             str(workdir / "session"), *[str(p) for p in pages]],
            TURN_WAIT + 60 + SECONDS_PER_PAGE * len(pages),
        )  # fmt: skip
    if not result_path.exists():
        raise ToolError(
            f"Orca's session gave no result (exit {proc.returncode}): {proc.stderr[-800:]}"
        )
    result: dict[str, Any] = json.loads(result_path.read_text(encoding="utf-8"))
    if proc.returncode != 0 or result.get("error"):
        raise ToolError(
            f"Orca could not run: {result.get('error') or proc.stderr.strip()[-800:]} "
            f"(logs in {workdir / 'session' / 'logs'})"
        )
    return result


def check_pages(pages: Sequence[Page], workdir: Path | None = None) -> dict[Path, list[str]]:
    """Problems per page; writes each page's transcript. Raises ToolError if Orca could
    not run at all."""
    if not pages:
        return {}
    with tempfile.TemporaryDirectory(prefix="klp-orca-") as tmp:
        result = listen([p.path for p in pages], workdir or Path(tmp))
    symbols = read_symbols(result.get("symbols"))
    found: dict[Path, list[str]] = {}
    for page in pages:
        record = result["pages"].get(str(page.path.resolve()), {"error": "not read"})
        page.report.parent.mkdir(parents=True, exist_ok=True)
        page.report.write_text(transcript(record), encoding="utf-8")
        root = parse_page(page.path.read_bytes(), page.path.suffix == ".xhtml")
        found[page.path] = check_listening(root, record, symbols, page.parts)
    return found
