#!/usr/bin/python3
"""What Orca sends to the speech server in place of each character it names itself, read
from Orca's own code and tables, in the locale Orca runs in. Prints JSON:

    orca_symbols.py [PUNCTUATION_STYLE]

Run with Debian's python3 in the environment Orca runs in (the listener passes the
session's): the names come through gettext exactly as Orca's come.

Orca 43 (``speechdispatcherfactory.SpeechServer.__addVerbalizedPunctuation``) replaces,
unless the punctuation style is "none", every character that its ``PUNCTUATION`` pattern
matches and that ``punctuation_settings`` gives the level ``LEVEL_NONE`` by
`` name `` (and keeps the character after it when the action is ``PUNCTUATION_INSERT``),
the name being ``chnames.getCharacterName``. Every other character (``&``, ``–``,
quotes) reaches the speech server as it stands: the synthesiser speaks it, and the
utterance Orca logs holds the character. An ellipsis that its ``ELLIPSIS`` pattern
matches becomes ``messages.SPOKEN_ELLIPSIS``.

Orca 43 translates these names once, for the locale of its default voice when the
profile names one and otherwise for its process locale (gettext: ``LANGUAGE``,
``LC_ALL``, ``LC_MESSAGES``, ``LANG``); the language of the page read does not change
them. ``locale`` in the output says which locale that is, ``catalog`` which ``orca.mo``
gave the names (none: Orca's own English).
"""

from __future__ import annotations

import ast
import gettext
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

ORCA = Path("/usr/lib/python3/dist-packages/orca")
LOCALE_DIR = "/usr/share/locale"


def orca_patterns() -> dict[str, str]:
    """The ``PUNCTUATION`` and ``ELLIPSIS`` patterns of Orca's speech-dispatcher backend,
    read from its source (importing it needs a running accessibility bus)."""
    source = (ORCA / "speechdispatcherfactory.py").read_text(encoding="utf-8")
    found: dict[str, str] = {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        name = getattr(node.targets[0], "id", "")
        if name in ("PUNCTUATION", "ELLIPSIS") and isinstance(node.value, ast.Call):
            found[name] = ast.literal_eval(node.value.args[0])
    missing = {"PUNCTUATION", "ELLIPSIS"} - set(found)
    if missing:
        raise SystemExit(f"Orca's speechdispatcherfactory.py has no {', '.join(sorted(missing))}")
    return found


def orca_locale() -> str:
    """The locale gettext takes Orca's names from, as gettext chooses it."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return value.split(":")[0].split(".")[0]
    return "C"


def spoken_symbols(style: int | None) -> dict[str, Any]:
    from orca import chnames, messages, punctuation_settings, settings

    patterns = orca_patterns()
    style = settings.verbalizePunctuationStyle if style is None else style
    punctuation = re.compile(patterns["PUNCTUATION"], re.UNICODE)
    replaced: dict[str, str] = {}
    if style != settings.PUNCTUATION_STYLE_NONE:
        for symbol, (level, action) in punctuation_settings.punctuation.items():
            if level != punctuation_settings.LEVEL_NONE or not punctuation.match(symbol):
                continue  # left to the speech server
            said = f" {chnames.getCharacterName(symbol)} "
            if action == punctuation_settings.PUNCTUATION_INSERT:
                said += symbol
            replaced[symbol] = said
    ellipsis = {"pattern": patterns["ELLIPSIS"], "said": messages.SPOKEN_ELLIPSIS + " "}
    return {
        "locale": orca_locale(),
        "catalog": gettext.find("orca", LOCALE_DIR),
        "style": style,
        "replaced": replaced,
        "ellipsis": ellipsis if style != settings.PUNCTUATION_STYLE_NONE else None,
    }


def main(argv: list[str]) -> int:
    style = int(argv[1]) if len(argv) > 1 else None
    sys.path.insert(0, str(ORCA.parent))
    print(json.dumps(spoken_symbols(style), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
