"""One Chromium for a whole Orca session, told over its DevTools pipe to open each page
in a tab of its own, as a reader opens a link in a new tab. Starting Chromium for every
page cost a third of the session's processor time; Orca reads a page in a new tab word
for word as in a new window.

Run with Debian's python3, imported by ``orca_listen.py`` from beside it."""

from __future__ import annotations

import json
import os
import select
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # see orca_listen.py
    from klpublish.gate.orca_session.session_world import SetupError, World
else:
    from session_world import SetupError, World

CALL_DEADLINE = 60.0
"""Seconds Chromium may take to answer one DevTools call (milliseconds, usually)."""
FLAGS = [
    "--no-sandbox", "--no-first-run", "--no-default-browser-check",
    "--force-renderer-accessibility", "--disable-gpu", "--disable-extensions",
    "--disable-features=Translate,TranslateUI", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--password-store=basic",
    "--disable-session-crashed-bubble", "--noerrdialogs", "--lang=en-US",
]  # fmt: skip


def _profile(world: World) -> Path:
    profile = world.root / "chromium"
    (profile / "Default").mkdir(parents=True)
    # The translate prompt is read aloud when the page's language is not the browser's.
    prefs = {"translate": {"enabled": False}, "browser": {"has_seen_welcome_page": True}}
    (profile / "Default" / "Preferences").write_text(json.dumps(prefs))
    (profile / "First Run").write_text("")
    return profile


class Chromium:
    """The session's browser, started with the first page and then told to open each
    next page in a new tab and to close the one before. Started with a blank tab, it gave
    the first page's focus to the address bar now and then, and Orca read that out."""

    def __init__(self, world: World) -> None:
        self._world = world
        self.proc: subprocess.Popen[bytes] | None = None
        self._buffer = b""
        self._calls = 0
        self._tab = ""

    def open(self, url: str) -> None:
        """Open ``url`` in a new tab, which takes the focus, and close the page before."""
        if self.proc is None:
            self._start(url)
            pages = self.call("Target.getTargets", {})["targetInfos"]
            self._tab = next(str(t["targetId"]) for t in pages if t.get("type") == "page")
            return
        before = self._tab
        self._tab = str(self.call("Target.createTarget", {"url": url})["targetId"])
        self.call("Target.closeTarget", {"targetId": before})

    def _start(self, url: str) -> None:
        # Chromium reads DevTools messages from its descriptor 3 and answers on 4.
        commands, self._commands = os.pipe()
        self._answers, answers = os.pipe()
        self.proc = self._world.start(
            "chromium",
            ["chromium", *FLAGS, "--remote-debugging-pipe",
             f"--user-data-dir={_profile(self._world)}", url],
            descriptors=(commands, answers),
        )  # fmt: skip
        os.close(commands)
        os.close(answers)

    def call(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        self._calls += 1
        message = {"id": self._calls, "method": method, "params": params}
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        end = time.monotonic() + CALL_DEADLINE
        while True:
            while b"\0" not in self._buffer:
                left = end - time.monotonic()
                if left <= 0 or not select.select([self._answers], [], [], left)[0]:
                    raise SetupError(f"chromium did not answer {method} in {CALL_DEADLINE:g} s")
                chunk = os.read(self._answers, 1 << 16)
                if not chunk:
                    raise SetupError(f"chromium closed its DevTools pipe (exit {self.exited()})")
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            answer = json.loads(raw)
            if answer.get("id") != self._calls:
                continue  # an event, or the answer to a call given up on
            if "error" in answer:
                raise SetupError(f"chromium refused {method}: {answer['error']}")
            result: dict[str, Any] = answer.get("result", {})
            return result

    def exited(self) -> int | None:
        return None if self.proc is None else self.proc.poll()
