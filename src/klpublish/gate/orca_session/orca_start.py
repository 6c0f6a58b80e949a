#!/usr/bin/python3
"""Start Debian's Orca as one of several: ``orca_start.py ORCA-SCRIPT ARG...``.

Orca refuses to start while another process of the same user is named ``orca``, and
names itself so: a guard for one desktop, where two screen readers would talk over each
other. Each session here is a desktop of its own (its own display, buses and speech
server), so two gate runs, or a test and a gate run, read side by side; and a user's own
Orca, on the real desktop, neither stops a session from starting nor is stopped by one.
Orca's command is loaded as a module and started without that guard and without the
rename; nothing else of it changes.

Run with Debian's python3, by ``orca_listen.py``."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys


def main(argv: list[str]) -> int:
    script = argv[1]
    loader = importlib.machinery.SourceFileLoader("orca_command", script)
    spec = importlib.util.spec_from_loader("orca_command", loader)
    if spec is None:
        print(f"cannot load {script}", file=sys.stderr)
        return 1
    command = importlib.util.module_from_spec(spec)
    sys.argv = [script, *argv[2:]]
    loader.exec_module(command)
    # No other Orca shares this session's desktop; and this one keeps its own name.
    setattr(command, "otherOrcas", list)  # noqa: B010 (names mypy cannot know)
    setattr(command, "setProcessName", lambda name: None)  # noqa: B010
    code: int = getattr(command, "main")()  # noqa: B009
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
