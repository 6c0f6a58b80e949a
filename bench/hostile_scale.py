"""Hostile scale: translation memory from a 50,000-entry compendium, and lint and
publish with a 1 MB glossary.

Made in a temporary copy of the project (never in the repository), from the
shipped letter and its German catalog:

- a compendium of 50,000 entries (about 26 MB): 26,000 near-duplicates of the
  letter's sentences (a few words changed), one exact copy of every other
  sentence, and unrelated sentences of the letter's words and lengths (as alike
  in their letters as sentences of one language are);
- a German glossary just under the reader's 1 MB cap: 474 entries of 50 two-word
  Danish terms each, a tenth of them word pairs of the letter.

Prints the time of ``klpublish update --compendium`` with every German entry to
fill, and of ``lint de`` and ``publish --lang de`` without and with the glossary.
Exits 1 when the fill takes over 30 s or the glossary adds over 5 s to lint.
Run with ``make bench``, or alone: ``python bench/hostile_scale.py [--deadline S]``.
Every number comes from this run on this machine.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
ENTRIES = 50_000
NEAR_DUPLICATES = 26_000
GLOSSARY_ENTRIES = 474
TERMS_PER_ENTRY = 50
GLOSSARY_CAP = 1_000_000
"""The glossary reader's cap (``glossary.MAX_BYTES``): the file stays under it."""
FILL_LIMIT = 30.0
GLOSSARY_LIMIT = 5.0
SEED = 19
CATALOG = Path("locale/de/LC_MESSAGES/letter.po")
GLOSSARY = Path("locale/de/glossary.tbx")
_WORD = re.compile(r"^[a-zæøå]{2,}$")


def env() -> dict[str, str]:
    """The checkout's own code first on the path, so that the bench of one
    checkout measures that checkout."""
    path = os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path, "SOURCE_DATE_EPOCH": "1515542400"}


def klpublish(args: list[str], cwd: Path, deadline: float) -> tuple[float | None, str]:
    """Seconds ``klpublish args`` took and what it printed; None past ``deadline``."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "klpublish", *args],
            cwd=cwd,
            env=env(),
            capture_output=True,
            text=True,
            timeout=deadline,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None, ""
    took = time.perf_counter() - start
    if proc.returncode not in (0, 1):  # lint's warnings and refusals are results, a crash is not
        sys.exit(f"klpublish {' '.join(args)}: exit {proc.returncode}\n{proc.stderr}")
    return took, proc.stdout + proc.stderr


def shown(seconds: float | None, deadline: float) -> str:
    return f"> {deadline:.0f} s (stopped)" if seconds is None else f"{seconds:.1f} s"


# -- the inputs ---------------------------------------------------------------------


def letter_entries() -> list[tuple[str, str | None, str]]:
    """The shipped German catalog's entries: (msgid, msgctxt, msgstr)."""
    from babel.messages.pofile import read_po

    with (ROOT / CATALOG).open("rb") as handle:
        catalog = read_po(handle)
    return [(str(m.id), m.context, str(m.string)) for m in catalog if m.id]


def near_duplicate(rng: random.Random, text: str, vocabulary: list[str]) -> str:
    """``text`` with one to three of its plain words changed for others."""
    words = text.split(" ")
    plain = [n for n, w in enumerate(words) if _WORD.match(w)]
    for n in rng.sample(plain, min(len(plain), rng.randint(1, 3))):
        words[n] = rng.choice(vocabulary)
    return " ".join(words)


def unrelated(rng: random.Random, length: int, vocabulary: list[str]) -> str:
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < length:
        words.append(rng.choice(vocabulary))
    return " ".join(words).capitalize() + "."


def compendium(path: Path) -> int:
    """Write the German compendium; returns its size in bytes."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    rng = random.Random(SEED)
    entries = letter_entries()
    danish = sorted({w for msgid, _, _ in entries for w in msgid.split() if _WORD.match(w)})
    german = sorted({w for _, _, msgstr in entries for w in msgstr.split() if w.isalpha()})
    near = [e for e in entries if len(e[0]) > 40]  # long enough to stay near when edited
    exact = [e for n, e in enumerate(entries) if n % 2]  # the others: near matches only
    rows: dict[tuple[str, str | None], str] = {}  # a compendium holds each msgid once
    while len(rows) < NEAR_DUPLICATES:
        msgid, context, msgstr = near[len(rows) % len(near)]
        changed = near_duplicate(rng, msgid, danish)
        if changed != msgid:
            rows[changed, context] = msgstr
    while len(rows) < ENTRIES - len(exact):
        length = len(rng.choice(entries)[0])
        rows[unrelated(rng, length, danish), None] = unrelated(rng, length, german)
    order = [*rows.items(), *(((msgid, context), msgstr) for msgid, context, msgstr in exact)]
    rng.shuffle(order)
    catalog = Catalog(locale="de", fuzzy=False)
    for (msgid, context), msgstr in order:
        catalog.add(msgid, msgstr, context=context)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=76)
    return path.stat().st_size


def glossary(path: Path) -> int:
    """Write the German glossary (TBX); returns its size in bytes."""
    rng = random.Random(SEED)
    entries = letter_entries()
    danish = [w for msgid, _, _ in entries for w in msgid.split() if _WORD.match(w)]
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(danish)]
    vocabulary = sorted(set(danish))
    german = sorted({w for _, _, msgstr in entries for w in msgstr.split() if w.isalpha()})
    body = []
    for n in range(GLOSSARY_ENTRIES):
        terms = "".join(
            "<tig><term>"
            + escape(
                rng.choice(pairs)
                if rng.random() < 0.1
                else f"{rng.choice(vocabulary)} {rng.choice(vocabulary)}"
            )
            + "</term></tig>"
            for _ in range(TERMS_PER_ENTRY)
        )
        target = escape(f"{rng.choice(german)} {rng.choice(german)}")
        body.append(
            f'<termEntry id="t{n}"><langSet xml:lang="da">{terms}</langSet>'
            f'<langSet xml:lang="de"><tig><term>{target}</term></tig></langSet></termEntry>\n'
        )
    data = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX" xml:lang="da"><text><body>\n'
        + "".join(body)
        + "</body></text></martif>\n"
    ).encode()
    if len(data) > GLOSSARY_CAP:
        sys.exit(f"the generated glossary has {len(data):,} bytes, over the reader's cap")
    path.write_bytes(data)
    return len(data)


def blank_german(project: Path) -> int:
    """Every German entry of the letter untranslated: all of them for memory to fill."""
    from babel.messages.pofile import read_po, write_po

    with (project / CATALOG).open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id:
            message.string = ""
    with (project / CATALOG).open("wb") as handle:
        write_po(handle, catalog, width=76)
    return sum(1 for m in catalog if m.id)


def make_project(where: Path) -> Path:
    project = where / "project"
    project.mkdir()
    for name in ("source", "locale"):
        shutil.copytree(ROOT / name, project / name)
    return project


# -- the runs -----------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--deadline", type=float, default=600.0, help="seconds before a run is stopped"
    )
    deadline = parser.parse_args().deadline
    sys.path.insert(0, str(ROOT / "src"))
    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(Path(tmp))
        tbx = Path(tmp) / "glossary.tbx"
        glossary_size = glossary(tbx)
        comp = Path(tmp) / "compendium.po"
        comp_size = compendium(comp)
        (project / GLOSSARY).unlink()
        lint_without, _ = klpublish(["lint", "de"], project, deadline)
        publish_without, _ = klpublish(
            ["publish", "--lang", "de", "--out", str(Path(tmp) / "out1")], project, deadline
        )
        shutil.copy(tbx, project / GLOSSARY)
        lint_with, lint_out = klpublish(["lint", "de"], project, deadline)
        publish_with, _ = klpublish(
            ["publish", "--lang", "de", "--out", str(Path(tmp) / "out2")], project, deadline
        )
        warnings = sum("glossary's translation" in line for line in lint_out.splitlines())
        entries = blank_german(project)
        fill, out = klpublish(["update", "--compendium", str(comp)], project, deadline)
        said = [line.strip() for line in out.splitlines() if "memory:" in line]
    added = None if lint_with is None or lint_without is None else lint_with - lint_without
    print(f"\nhostile scale: a {ENTRIES:,}-entry compendium ({comp_size / 1e6:.1f} MB, "
          f"{NEAR_DUPLICATES:,} near-duplicates) and a {glossary_size / 1e6:.2f} MB glossary "
          f"({GLOSSARY_ENTRIES} entries x {TERMS_PER_ENTRY} terms)")  # fmt: skip
    print(f"  update --compendium, {entries} German entries to fill: {shown(fill, deadline)}"
          + (f" ({said[0]})" if said else ""))  # fmt: skip
    print(f"  lint de: {shown(lint_without, deadline)} without the glossary, "
          f"{shown(lint_with, deadline)} with it ({warnings} glossary warnings); "
          f"added {shown(added, deadline)}")  # fmt: skip
    print(f"  publish --lang de: {shown(publish_without, deadline)} without the glossary, "
          f"{shown(publish_with, deadline)} with it")  # fmt: skip
    checks = [
        (f"memory fill < {FILL_LIMIT:.0f} s", fill, FILL_LIMIT),
        (f"glossary adds < {GLOSSARY_LIMIT:.0f} s to lint", added, GLOSSARY_LIMIT),
    ]
    print("targets:")
    failed = 0
    for label, value, limit in checks:
        met = value is not None and value <= limit
        failed += not met
        print(f"  {label}: {shown(value, deadline)} {'met' if met else 'NOT met'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
