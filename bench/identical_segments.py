"""Extraction of a letter that repeats one short paragraph thousands of times.

Each case is a copy of the project whose letter holds N identical paragraphs
("Ja."), extracted with ``klpublish extract``: with this checkout's code
("after") and with the code of ``--before`` (default 78ba7f3, where the template
was built message by message, each repeat merged into the one before at a cost
that grows with the repeats so far; its ``src`` is taken with ``git archive``),
each under ``/usr/bin/time -v`` and a deadline. Prints seconds and peak memory.
35,000 paragraphs is about the most a letter may hold (``budgets.LETTER_BUDGET``).
Every number comes from this run on this machine; nothing is remembered.

    .venv/bin/python bench/identical_segments.py [--before REV|none] [--deadline S]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from hostile_budgets import ROOT, measure, old_code

PARAGRAPHS = (5_000, 20_000, 35_000)
FRONT_MATTER = "---\ntitle: Et brev\nlang: da\n---\n\n"


def project(paragraphs: int, into: Path) -> None:
    """A copy of the project whose letter is ``paragraphs`` times "Ja."."""
    shutil.copytree(ROOT / "locale", into / "locale")
    (into / "source").mkdir()
    letter = FRONT_MATTER + "Ja.\n\n" * paragraphs
    (into / "source" / "letter.da.md").write_text(letter, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", default="78ba7f3", help="revision to compare, or 'none'")
    parser.add_argument("--deadline", type=float, default=300.0, help="seconds per run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="klpublish-identical-") as tmp:
        before = None if args.before == "none" else old_code(args.before, Path(tmp) / "before")
        runs = [("after", None), *([(args.before, before)] if before else [])]
        print(f"{'case':40} {'code':8} {'time':>9}  {'peak':>10}  first line said")
        for paragraphs in PARAGRAPHS:
            for label, code in runs:
                work = Path(tmp) / f"{paragraphs}-{label}"
                project(paragraphs, work)
                row = measure(["extract"], work, code, args.deadline)
                print(f"{f'{paragraphs:,} x Ja.: extract':40} {label:8} {row}", flush=True)
                shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
