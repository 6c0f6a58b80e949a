"""Publishing speed against the peer pipeline, in one run: fails when a target is missed.

The peer is what a user would assemble without klpublish: mdpo's ``md2po`` and
``po2md`` for the catalogs, the pandoc command line for HTML, EPUB and Typst, and
the Typst command for the PDF, one process per step, one language after another
(``bench.peer``). It renders the same letters in the same 8 languages as ours.

The machine this runs on is shared, so absolute times drift by a factor of two
within minutes: every figure is a median of rounds in which ours and the peer
alternate (ABAB), and the targets are ratios measured in the same rounds.

    .venv/bin/python bench/targets.py          # BENCH_ROUNDS=5 for more rounds
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import bench
from bench import BIN, ROOT, peak_mb, peer
from many_letters import LANGS, letter_text, translate_fuzzy

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""Both sides run as a user runs them: Python keeps its compiled modules."""
ENV["SOURCE_DATE_EPOCH"] = "1515542400"
bench.ENV.pop("PYTHONDONTWRITEBYTECODE", None)
KLPUBLISH = str(BIN / "klpublish")
EVERY = ["da", *LANGS]


def timed(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, env=ENV, check=True, capture_output=True)
    return time.perf_counter() - start


def make_letters(where: Path, count: int) -> Path:
    """A copy of the project with ``count`` letters, each in the 8 languages."""
    project = where / f"letters{count}"
    project.mkdir()
    for name in ("source", "locale"):
        shutil.copytree(ROOT / name, project / name)
    shipped = (ROOT / "source" / "letter.da.md").read_text(encoding="utf-8")
    for number in range(2, count + 1):
        path = project / "source" / f"brev-{number:02}.da.md"
        path.write_text(letter_text(shipped, number), encoding="utf-8")
    if count > 1:
        for command in ("extract", "update"):
            subprocess.run([KLPUBLISH, command], cwd=project, env=ENV, check=True, stdout=-3)
        for number in range(2, count + 1):
            for lang in LANGS:
                translate_fuzzy(project / "locale" / lang / "LC_MESSAGES" / f"brev-{number:02}.po")
    return project


def ours_clean(project: Path, jobs: str) -> float:
    shutil.rmtree(project / "build", ignore_errors=True)
    return timed([KLPUBLISH, "publish", "--jobs", jobs], project)


def peer_letters(project: Path, work: Path) -> float:
    """The peer on every letter of ``project``, one after another."""
    letters = sorted((project / "source").glob("*.da.md"))
    return sum(peer(project, EVERY, work, source) for source in letters)


def alternate(ours: Callable[[], float], theirs: Callable[[], float]) -> tuple[float, float]:
    """Medians of ``ROUNDS`` rounds, ours and the peer taking turns to go first."""
    a: list[float] = []
    b: list[float] = []
    for n in range(ROUNDS):
        if n % 2:
            b.append(theirs())
            a.append(ours())
        else:
            a.append(ours())
            b.append(theirs())
        print(f"  round {n + 1}: ours {a[-1]:.2f} s, peer {b[-1]:.2f} s", file=sys.stderr)
    return statistics.median(a), statistics.median(b)


def noop(project: Path) -> float:
    """``klpublish publish`` with nothing to do: the median of several runs."""
    timed([KLPUBLISH, "publish"], project)  # the build as the no-op finds it
    return statistics.median(timed([KLPUBLISH, "publish"], project) for _ in range(2 * ROUNDS + 1))


def main() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    results: list[tuple[str, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        work = where / "peer"
        work.mkdir()
        one = make_letters(where, 1)
        ours_clean(one, "auto")  # compiled modules and warm caches for both
        peer_letters(one, work)
        print("one letter, 8 languages, clean", file=sys.stderr)
        mine, theirs = alternate(lambda: ours_clean(one, "auto"), lambda: peer_letters(one, work))
        results.append(("one letter clean (--jobs auto) / peer", mine / theirs, 0.5))
        print(f"  ours {mine:.2f} s, peer {theirs:.2f} s", file=sys.stderr)
        ten = make_letters(where, 10)
        print("ten letters, 8 languages, clean --jobs 2", file=sys.stderr)
        mine, theirs = alternate(lambda: ours_clean(ten, "2"), lambda: peer_letters(ten, work))
        results.append(("ten letters clean --jobs 2 / peer", mine / theirs, 0.45))
        print(f"  ours {mine:.2f} s, peer {theirs:.2f} s", file=sys.stderr)
        results.append(("no-op, ten letters (s)", noop(ten), 0.3))
        shutil.rmtree(ten / "build")
        _, peak = peak_mb([KLPUBLISH, "publish", "--jobs", "2"], ten)
        results.append(("peak memory, ten letters clean --jobs 2 (MB)", peak, 500))
        fifty = make_letters(where, 50)
        ours_clean(fifty, "2")
        results.append(("no-op, fifty letters (s)", noop(fifty), 0.6))
    missed = 0
    print(f"\ntargets ({ROUNDS} rounds, ours and the peer alternating; medians)")
    for label, value, limit in results:
        met = value <= limit
        missed += not met
        print(f"  {label}: {value:.3f} (target <= {limit:g}) {'met' if met else 'NOT met'}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
