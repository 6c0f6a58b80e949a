"""The golden templates of ``tests/corpus``: what extraction must give for each
document, written without Babel's version (``Generated-By``), so that a Babel
upgrade changes no golden file and no golden file pins Babel.

Run ``python tests/golden.py`` to rewrite them after a deliberate change, then
read the diff: the tests themselves only compare, they never write."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import babel

sys.path.insert(0, str(Path(__file__).resolve().parent))

from helpers import CORPUS_DOCS, all_messages, load
from klpublish.catalogs.po import serialise, template_catalog

EPOCH = "1515542400"
GENERATED_BY = f'"Generated-By: Babel {babel.__version__}\\n"\n'.encode()


def extracted(path: Path) -> bytes:
    """The template of ``path``, as extraction writes it (with SOURCE_DATE_EPOCH
    set to EPOCH), less its Generated-By line."""
    data = serialise(template_catalog(all_messages(load(path)), path.name))
    if data.count(GENERATED_BY) != 1:
        raise AssertionError(f"{path.name}: expected one {GENERATED_BY!r} header line")
    return data.replace(GENERATED_BY, b"")


def golden_path(path: Path) -> Path:
    return path.with_suffix(".pot")


def main() -> int:
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    for path in CORPUS_DOCS:
        golden = golden_path(path)
        data = extracted(path)
        old = golden.read_bytes() if golden.exists() else None
        if old != data:
            golden.write_bytes(data)
            print(f"rewrote {golden}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
