#!/usr/bin/python3
"""Print, as JSON, the text runs of a page open in Chromium as AT-SPI gives them to Orca.

    atspi_runs.py PAGE_URL

Run inside the session of ``orca_listen.py`` (it needs its D-Bus and AT-SPI bus). Each run
is ``{"text", "lang", "role"}`` in the accessibility tree's order; ``lang`` is the
``language`` text attribute Chromium reports for the run (from the page's ``lang``
attributes), the language a screen reader is told to speak it in.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import pyatspi

EMBEDDED = "\ufffc"
"""Stands in a text for a child object (an image, say); the child is read on its own."""


def _documents(node: Any, depth: int = 0) -> list[Any]:
    if node is None or depth > 40:
        return []
    try:
        if node.getRole() == pyatspi.ROLE_DOCUMENT_WEB:
            return [node]
        return [d for child in node for d in _documents(child, depth + 1)]
    except Exception:
        return []


def _url(document: Any) -> str:
    try:
        return str(document.queryDocument().getAttributeValue("URI") or "")
    except NotImplementedError:
        return ""


def _runs(node: Any, out: list[dict[str, str]]) -> None:
    try:
        text = node.queryText()
    except NotImplementedError:
        text = None
    role = node.getRoleName()
    # Containers repeat their children's text: only the leaves are runs of their own.
    if text is not None and text.characterCount and node.childCount == 0:
        offset = 0
        while offset < text.characterCount:
            attrs, _start, end = text.getAttributeRun(offset, True)
            end = max(end, offset + 1)
            piece = text.getText(offset, end)
            found = dict(a.split(":", 1) for a in attrs if ":" in a)
            for part in piece.split(EMBEDDED):
                if part:
                    out.append({"text": part, "lang": found.get("language", ""), "role": role})
            offset = end
    for child in node:
        if child is not None:
            _runs(child, out)


def main(argv: list[str]) -> int:
    url = argv[1]
    desktop = pyatspi.Registry.getDesktop(0)
    for _ in range(40):
        for app in desktop:
            if app is None or "chrom" not in (app.name or "").lower():
                continue
            for document in _documents(app):
                if _url(document).rstrip("/") == url.rstrip("/"):
                    runs: list[dict[str, str]] = []
                    _runs(document, runs)
                    json.dump(runs, sys.stdout, ensure_ascii=False)
                    return 0
        time.sleep(0.25)
    seen = [
        f"{app.name}: {[(_url(d), d.queryDocument().getAttributes()) for d in _documents(app)]}"
        for app in desktop
        if app is not None
    ]
    print(f"no document for {url} in the AT-SPI tree; seen: {seen}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
