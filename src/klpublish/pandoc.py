"""The one place that runs the pandoc binary bundled with pypandoc-binary."""

from __future__ import annotations

import json
import os
import subprocess
from functools import cache
from typing import Any

from .errors import ToolError

PandocDoc = dict[str, Any]


@cache
def pandoc_path() -> str:
    import pypandoc

    return str(pypandoc.get_pandoc_path())


def run(args: list[str], data: bytes, what: str, env: dict[str, str] | None = None) -> bytes:
    """Run pandoc with ``args`` on ``data``; ``what`` names the input in errors."""
    proc = subprocess.run(
        [pandoc_path(), *args],
        input=data,
        capture_output=True,
        check=False,
        env={**os.environ, **env} if env else None,
    )
    if proc.returncode != 0:
        stderr = proc.stderr.decode("utf-8", "replace").strip()
        raise ToolError(f"pandoc failed on {what}: {stderr}")
    return proc.stdout


class TooDeep(ToolError):
    """Markup nested deeper than this program reads (a hostile input, usually)."""


def markdown_to_ast(text: str, what: str, reader: str = "markdown-smart") -> PandocDoc:
    out = run(["-f", reader, "-t", "json"], text.encode("utf-8"), what)
    try:
        doc: PandocDoc = json.loads(out)
    except RecursionError as exc:
        raise TooDeep(f"{what}: markup is nested too deeply to read") from exc
    return doc


def ast_to_bytes(
    doc: PandocDoc,
    writer: str,
    what: str,
    extra: list[str] | None = None,
    env: dict[str, str] | None = None,
) -> bytes:
    return run(
        ["-f", "json", "-t", writer, *(extra or [])],
        json.dumps(doc, ensure_ascii=False).encode("utf-8"),
        what,
        env,
    )


def ast_to_text(doc: PandocDoc, writer: str, what: str, extra: list[str] | None = None) -> str:
    return ast_to_bytes(doc, writer, what, extra).decode("utf-8")
