"""Publishing at scale: 50 letters x 8 languages, clean, no-op and one catalog changed,
beside the peer pipeline (mdpo + pandoc + Typst) on the same work.

The letters are made from the shipped one with their own title, date and salutation,
in a temporary copy of the project (never in the repository); their catalogs come from
``klpublish update`` (translation memory), and what memory leaves fuzzy is translated
the way the first letter's catalog translates it, with the letter's own number.
Run with ``make bench``; every number comes from this run on this machine.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import BIN, MAKE, ROOT, peak_mb, peer, run, run_output

LETTERS = 50
LANGS = ["en", "de", "uk", "ar", "tr", "pl", "fa"]
EDITED = 7
"""The letter whose German catalog the one-catalog case changes."""


def letter_text(shipped: str, number: int) -> str:
    """Letter ``number``: the shipped text with its own title, date and salutation."""
    date = dt.date(2018, 1, 10) + dt.timedelta(days=7 * number)
    text = re.sub(r"(?m)^date: .*$", f"date: {date.isoformat()}", shipped, count=1)
    text = re.sub(r"(?m)^(title: .*)$", rf"\1 {number}", text, count=1)
    return text.replace("\nKære kommunalbestyrelser\n", f"\nKære kommunalbestyrelser {number}\n")


def make_project(where: Path) -> Path:
    project = where / "letters"
    project.mkdir()
    for name in ("source", "locale", "Makefile", "pyproject.toml"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, project / name)
    (project / ".venv").symlink_to(ROOT / ".venv")
    (project / "src").symlink_to(ROOT / "src")
    shipped = (ROOT / "source" / "letter.da.md").read_text(encoding="utf-8")
    for number in range(2, LETTERS + 1):
        path = project / "source" / f"brev-{number:02}.da.md"
        path.write_text(letter_text(shipped, number), encoding="utf-8")
    klpublish = str(BIN / "klpublish")
    subprocess.run([klpublish, "extract"], cwd=project, check=True, capture_output=True)
    subprocess.run([klpublish, "update"], cwd=project, check=True, capture_output=True)
    for number in range(2, LETTERS + 1):
        for lang in LANGS:
            translate_fuzzy(project / "locale" / lang / "LC_MESSAGES" / f"brev-{number:02}.po")
    return project


def translate_fuzzy(po: Path) -> None:
    """A near match from memory differs from the first letter's text by the letter's
    number only: the translator adds that number to the first letter's translation."""
    from babel.messages.pofile import read_po

    from klpublish.catalogs.po import write_catalog

    with po.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id and message.fuzzy and message.string:
            number = str(message.id).rsplit(" ", 1)[-1]
            message.string = f"{message.string} {number}"
            message.flags.discard("fuzzy")
            message.previous_id = []
    write_catalog(catalog, po)


def edit_one_catalog(project: Path) -> None:
    from babel.messages.pofile import read_po

    from klpublish.catalogs.po import write_catalog

    po = project / "locale" / "de" / "LC_MESSAGES" / f"brev-{EDITED:02}.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.string and "Zusammenarbeit" in str(message.string):
            message.string = str(message.string).replace("Zusammenarbeit", "gute Zusammenarbeit")
            break
    write_catalog(catalog, po)


def ours_clean(project: Path) -> float:
    shutil.rmtree(project / "build", ignore_errors=True)
    return run([*MAKE, "-j2"], project)


def main() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        start = time.perf_counter()
        project = make_project(where)
        print(f"made {LETTERS} letters x 8 languages in {time.perf_counter() - start:.0f} s",
              file=sys.stderr, flush=True)  # fmt: skip
        clean = ours_clean(project)
        built = sorted(p.relative_to(project / "build") for p in (project / "build").glob("*/*.*"))
        outputs = [p for p in built if p.suffix in (".html", ".epub", ".pdf")]
        noop = run(MAKE, project)
        edit_one_catalog(project)
        one_po, log = run_output([*MAKE, "-j2"], project)
        rebuilt = sorted(
            {
                tuple(line.split()[1].split("/")[1:])
                for line in log.splitlines()
                if line.startswith("wrote build/") and line.count("/") > 1
            }
        )
        shutil.rmtree(project / "build")
        _, peak_all = peak_mb([*MAKE, "-j2"], project)
        work = where / "peer"
        work.mkdir()
        letters = sorted((project / "source").glob("*.da.md"))
        peer_time = sum(peer(project, ["da", *LANGS], work, source) for source in letters)
    letter_langs = len(outputs) // 3
    print(f"\nmany letters: {LETTERS} letters x 8 languages ({letter_langs} letter-languages, "
          f"{len(outputs)} files)")  # fmt: skip
    print(f"  clean make publish -j2: {clean:.1f} s; peer pipeline: {peer_time:.1f} s; "
          f"ratio {clean / peer_time:.2f}")  # fmt: skip
    print(f"  no-op make publish: {noop:.3f} s")
    print(f"  one catalog changed (de, brev-{EDITED:02}): {one_po:.2f} s, rebuilt: {rebuilt}")
    print(f"  peak memory, clean -j2 build, all processes: {peak_all:.0f} MB")
    expected = [("de", f"brev-{EDITED:02}.de.{fmt}") for fmt in ("epub", "html", "pdf")]
    checks = [
        ("every letter-language published (400)", letter_langs, ">=", LETTERS * 8),
        ("clean / peer <= 0.6", clean / peer_time, "<=", 0.6),
        ("no-op < 0.2 s", noop, "<=", 0.2),
        ("one catalog rebuilds 1 letter-language", float(rebuilt == expected), ">=", 1),
        ("peak memory, all processes < 500 MB", peak_all, "<=", 500),
    ]
    print("targets:")
    for label, value, op, limit in checks:
        met = value <= limit if op == "<=" else value >= limit
        print(f"  {label}: {value:.2f} {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
