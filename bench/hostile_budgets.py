"""What refusing hostile text costs: before and after the budgets before parsing.

Each case is a copy of the project with one hostile text: a German msgstr
(``klpublish lint de``) or a paragraph added to the letter (``klpublish
extract``). It runs with this checkout's code ("after") and with the code of
``--before`` (default a090255, the commit before the budgets; its ``src`` is
taken with ``git archive``), each under ``/usr/bin/time -v`` and a deadline.
Prints seconds and the peak resident set of the largest process (klpublish or
its pandoc), and the first error line of each run. Every number comes from
this run on this machine; nothing is remembered.

    .venv/bin/python bench/hostile_budgets.py [--before REV|none] [--deadline S]
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
ENTRY = "Vi glæder os"
"""The start of the msgid whose German msgstr a translation case replaces."""


@dataclass(frozen=True)
class Case:
    name: str
    where: str
    """``msgstr`` or ``letter``."""
    text: Callable[[], str] | None
    """None: the project as it is, for comparison."""


CASES = [
    Case("none (the shipped catalogs)", "msgstr", None),
    Case("backtick runs 1..299 (45 KB)", "msgstr", lambda: _runs(300)),
    Case("'<a ' x 8000 (24 KB)", "msgstr", lambda: "<a " * 8000),
    Case("5 MB of words", "msgstr", lambda: "ord " * 1_250_000),
    Case("'<span>' x 20 (120 B)", "msgstr", lambda: "<span>" * 20),
    Case("backtick runs 1..299 (45 KB)", "letter", lambda: _runs(300)),
    Case("'<a ' x 8000 (24 KB)", "letter", lambda: "<a " * 8000),
]


def _runs(count: int) -> str:
    return "".join("`" * k + " " for k in range(1, count))


def project(case: Case, into: Path) -> list[str]:
    """A copy of the project holding the case's text; the command to run there."""
    for part in ("source", "locale"):
        shutil.copytree(ROOT / part, into / part)
    shutil.copy(ROOT / "babel.cfg", into / "babel.cfg")
    if case.text is None:
        return ["lint", "de"]
    if case.where == "letter":
        letter = into / "source" / "letter.da.md"
        letter.write_text(letter.read_text(encoding="utf-8") + "\n" + case.text() + "\n", "utf-8")
        return ["extract"]
    po = into / "locale" / "de" / "LC_MESSAGES" / "letter.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)
    [message] = [m for m in catalog if m.id and str(m.id).startswith(ENTRY)]
    message.string = case.text()
    with po.open("wb") as handle:
        write_po(handle, catalog, width=0)
    return ["lint", "de"]


def measure(args: list[str], cwd: Path, code: Path | None, deadline: float) -> str:
    """Seconds, peak MB and the first error line of ``klpublish args``; ``code``:
    the ``src`` folder to run instead of this checkout's."""
    env = {**os.environ, "PYTHONPATH": str(code)} if code else dict(os.environ)
    command = ["/usr/bin/time", "-v", sys.executable, "-m", "klpublish", *args]
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        out, err = proc.communicate(timeout=deadline)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)  # /usr/bin/time; klpublish and pandoc die with it
        for child in _children(proc.pid):
            os.kill(child, signal.SIGKILL)
        proc.communicate()
        return f"{'>' + format(deadline, 'g'):>7} s  {'-':>7}    (stopped at the deadline)"
    seconds = time.perf_counter() - start
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    said = [
        line
        for line in (out + err).splitlines()
        if line and not line.startswith(("\t", "Command ")) and "warning:" not in line
    ]
    megabytes = f"{int(peak.group(1)) / 1024:7.0f}" if peak else "      ?"
    return f"{seconds:7.1f} s  {megabytes} MB  {(said or ['(no output)'])[0][:110]}"


def _children(pid: int) -> list[int]:
    """Every process under ``pid`` (read from /proc), deepest last."""
    found: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                found.append(int(stat.parent.name))
                todo.append(found[-1])
    return found


def old_code(revision: str, into: Path) -> Path:
    """The ``src`` folder of ``revision``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "src"], capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", default="a090255", help="revision to compare, or 'none'")
    parser.add_argument("--deadline", type=float, default=90.0, help="seconds per run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="klpublish-hostile-") as tmp:
        before = None if args.before == "none" else old_code(args.before, Path(tmp) / "before")
        runs = [("after", None), *([(args.before, before)] if before else [])]
        print(f"{'case':46} {'code':8} {'time':>9}  {'peak':>10}  first line said")
        for n, case in enumerate(CASES):
            for label, code in runs:
                work = Path(tmp) / f"{n}-{label}"
                command = project(case, work)
                row = measure(command, work, code, args.deadline)
                shown = f"{case.where} {case.name}: {' '.join(command)}"
                print(f"{shown:46} {label:8} {row}", flush=True)
                shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
