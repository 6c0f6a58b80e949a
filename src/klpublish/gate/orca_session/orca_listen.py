#!/usr/bin/python3
"""Let Orca read pages in Chromium, headless, and record what it says.

Run with Debian's python3 (it needs Debian's Orca, speech-dispatcher and pyatspi):

    orca_listen.py RESULT.json WORKDIR PAGE...

Everything runs in a world of its own under WORKDIR (see ``session_world.py``), with one
Orca and one Chromium, which opens each page in a new tab (``chromium_pipe.py``). For each
page RESULT.json holds the utterances Orca sent while reading it (text and language asked
for) and the text runs of the page's accessibility tree with the language of each, as
Chromium gives them to Orca over AT-SPI; and once, under ``symbols``, what Orca says in
place of the characters it names itself (``orca_symbols.py``). Any process this script
started, and any process those started, is killed before it exits (it is their
"subreaper").

Exit 0 when every page was read; 1 with ``"error"`` in RESULT.json when the environment
or Orca could not run (a failure, never a pass).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the name mypy, checking klpublish, knows the module beside this one by
    from klpublish.gate.orca_session.chromium_pipe import Chromium
    from klpublish.gate.orca_session.session_world import (
        PR_SET_CHILD_SUBREAPER,
        SetupError,
        World,
        libc,
        reap_all,
        start_atspi,
        start_dbus,
        start_speechd,
        start_xvfb,
        wait_until,
    )
else:
    from chromium_pipe import Chromium
    from session_world import (
        PR_SET_CHILD_SUBREAPER,
        SetupError,
        World,
        libc,
        reap_all,
        start_atspi,
        start_dbus,
        start_speechd,
        start_xvfb,
        wait_until,
    )

PAGE_DEADLINE = float(os.environ.get("KLPUBLISH_ORCA_PAGE_DEADLINE", "90"))
"""Seconds Orca may take to read one page before the page counts as failed."""
QUIET = 2.0
"""Seconds without new speech after which Orca has finished reading a page, when it
has not said that it read the page to its end (see ``SAID_ALL``)."""
SETTLE = 0.3
"""Seconds without new speech after Orca has said all of a page (its "say all" came to
the end of its lines, ``orca_customizations.py``). What it says later, up to the next
page, is still this page's transcript."""
SAID_ALL = "said-all"
"""The file, in Orca's settings folder, with a line for every "say all" Orca finished."""
ATTEMPTS = 3
SPEECH_REFUSED = b"ERROR CANT SPEAK"
ORCA = os.environ.get("KLPUBLISH_ORCA", "orca")
"""The screen reader to start (a test names one that cannot start)."""
START = Path(__file__).with_name("orca_start.py")
SYMBOLS = Path(__file__).with_name("orca_symbols.py")
ATSPI_RUNS = Path(__file__).with_name("atspi_runs.py")
CUSTOMIZATIONS = Path(__file__).with_name("orca_customizations.py")

ORCA_SETTINGS: dict[str, Any] = {
    "general": {
        "enableSound": False,
        "enableBraille": False,
        "enableTutorialMessages": False,
        "voices": {
            "default": {"established": True, "rate": 99},
            "uppercase": {"average-pitch": 7.0},
            "hyperlink": {"established": False},
            "system": {"established": False},
        },
        "profile": ["Default", "default"],
        "activeProfile": ["Default", "default"],
        "startingProfile": ["Default", "default"],
    },
    "profiles": {"default": {"profile": ["Default", "default"]}},
    "pronunciations": {},
    "keybindings": {},
}


def _orca_command() -> list[str]:
    """Orca's command line: a Python script (Debian's) through ``orca_start.py``, any
    other program (a test's stand-in) as it is."""
    script = shutil.which(ORCA) or ORCA
    try:
        with open(script, "rb") as stream:
            python = b"python" in stream.readline()
    except OSError:
        python = False
    return [sys.executable, str(START), script] if python else [script]


def _orca(world: World, log: Path) -> subprocess.Popen[bytes]:
    prefs = world.root / "orca"
    (prefs / "user-settings.conf").write_text(json.dumps(ORCA_SETTINGS))
    shutil.copy(CUSTOMIZATIONS, prefs / "orca-customizations.py")
    proc = world.start(
        "orca",
        [*_orca_command(), "-u", str(prefs), f"--debug-file={world.logs / 'orca.debug'}"],
    )
    wait_until("Orca (its 'Screen reader on')", lambda: _said(log, 0, "Screen reader on"), 40, proc)
    return proc


def _said(log: Path, start: int, words: str) -> bool:
    return any(words in u["text"] for u in utterances(_read(log, start)))


def _read(path: Path, start: int = 0) -> bytes:
    try:
        with path.open("rb") as stream:
            stream.seek(start)
            return stream.read()
    except FileNotFoundError:
        return b""


_DATA = re.compile(rb"speechd:\s+\d+:DATA:\|(.*)")


def utterances(log: bytes) -> list[dict[str, str]]:
    """What the client sent to speak, in order, each with the language it had set."""
    said: list[dict[str, str]] = []
    lang = ""
    lines = log.split(b"\n")
    i = 0
    while i < len(lines):
        match = _DATA.search(lines[i])
        i += 1
        if not match:
            continue
        data = match.group(1).decode("utf-8", "replace")
        if data.startswith("SET self LANGUAGE "):
            lang = data.removeprefix("SET self LANGUAGE ").strip()
        if not data.startswith("<speak>"):
            continue
        text = [data]
        while "</speak>" not in text[-1] and i < len(lines):
            text.append(lines[i].decode("utf-8", "replace"))
            i += 1
        ssml = "\n".join(text)
        ssml = ssml[: ssml.index("</speak>")] if "</speak>" in ssml else ssml
        plain = html.unescape(re.sub(r"<[^>]*>", "", ssml))
        said.append({"text": plain, "lang": lang})
    return said


def _read_page(world: World, log: Path, browser: Chromium, page: Path) -> dict[str, Any]:
    """Read a page; again when the silent voice refused a message (its module answers
    "301 ERROR CANT SPEAK" now and then on a busy machine, and Orca then waits for ever)."""
    for attempt in range(1, ATTEMPTS + 1):
        start = log.stat().st_size
        result = _read_once(world, log, browser, page)
        if SPEECH_REFUSED not in _read(log, start):
            return {**result, "attempts": attempt}
    return {
        **result,
        "error": f"the speech server refused Orca's messages in all {ATTEMPTS} readings",
    }


def _read_once(world: World, log: Path, browser: Chromium, page: Path) -> dict[str, Any]:
    start = log.stat().st_size
    marks = world.root / "orca" / SAID_ALL
    began = time.monotonic()
    browser.open(page.resolve().as_uri())
    end = began + PAGE_DEADLINE
    size, changed, ended = start, time.monotonic(), "silence"
    marks_at_load: int | None = None  # the marks written before the page had loaded
    while time.monotonic() < end:
        time.sleep(0.1)
        if browser.exited() is not None:
            raise SetupError(f"chromium exited with {browser.exited()} on {page}")
        now = log.stat().st_size
        if now != size:
            size, changed = now, time.monotonic()
        if marks_at_load is None:
            # Marks counted from here on are this page's: its "say all" starts
            # after this, and one of the page before has ended before it.
            if _said(log, start, "Finished loading"):
                marks_at_load = len(_read(marks))
        else:
            ended = "said all" if len(_read(marks)) > marks_at_load else "silence"
            if time.monotonic() - changed > (SETTLE if ended == "said all" else QUIET):
                break
    else:
        return {
            "error": f"Orca did not finish reading within {PAGE_DEADLINE:g} s",
            "said": utterances(_read(log, start)),
        }
    runs = subprocess.run(
        ["/usr/bin/python3", str(ATSPI_RUNS), page.resolve().as_uri()],
        env=world.env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    # What Orca said up to the next page, the tree's reading included: words it says
    # after the end of its "say all" are heard, and so checked, as this page's.
    said = utterances(_read(log, start))
    result: dict[str, Any] = {
        "said": said,
        "seconds": round(time.monotonic() - began, 2),
        "ended": ended,  # how the session knew the page was read: "said all" or "silence"
    }
    if runs.returncode != 0:
        result["error"] = f"the AT-SPI tree could not be read: {runs.stderr.strip()[-400:]}"
    else:
        result["runs"] = json.loads(runs.stdout)
    return result


def spoken_symbols(world: World) -> dict[str, Any]:
    """What Orca says in place of the characters it names itself (see ``orca_symbols.py``),
    in the environment Orca runs in, with the punctuation style it is given."""
    style = ORCA_SETTINGS["general"].get("verbalizePunctuationStyle")
    args = ["/usr/bin/python3", str(SYMBOLS), *([] if style is None else [str(style)])]
    found: dict[str, Any] = json.loads(world.call(args, timeout=60))
    return found


def main(argv: list[str]) -> int:
    result_path, root, pages = Path(argv[1]), Path(argv[2]), [Path(p) for p in argv[3:]]
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(3))
    result: dict[str, Any] = {"pages": {}}
    code = 0
    try:
        world = World(root)
        result["symbols"] = spoken_symbols(world)
        began = time.monotonic()
        start_xvfb(world)
        start_dbus(world)
        start_atspi(world)
        log = start_speechd(world)
        orca = _orca(world, log)
        browser = Chromium(world)
        result["setup_seconds"] = round(time.monotonic() - began, 2)
        for page in pages:
            if orca.poll() is not None:
                raise SetupError(f"Orca exited with {orca.returncode} while reading")
            result["pages"][str(page.resolve())] = _read_page(world, log, browser, page)
    except (SetupError, OSError, subprocess.SubprocessError) as exc:
        result["error"] = str(exc)
        code = 1
    finally:
        reap_all()
        result_path.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
