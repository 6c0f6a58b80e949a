"""Writes the other projects' Markdown test documents into ``<corpus>/<source>/``,
one file per document, from a local clone of each project (see each folder's
README for the commit). ``<corpus>`` is ``KLPUBLISH_CORPUS``, or ``shared/corpus``
beside this repository: data from other repositories is kept in the workplace's
steering repository, not committed here (see ``tests/corpus_run.py``). Run again
only to move to another commit, then read the diff and ``tests/corpus/manifest.json``:

    python tests/corpus/gather.py pandoc PANDOC_CLONE
    python tests/corpus/gather.py translate-toolkit TRANSLATE_CLONE

mdpo's documents are ``tests/roundtrip-docs/mdpo/`` (the sources) and
``<corpus>/mdpo/`` (the translated ``.expect.md`` files), copied by hand."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

HERE = Path(
    os.environ.get("KLPUBLISH_CORPUS") or Path(__file__).resolve().parents[3] / "shared" / "corpus"
)
PANDOC_TEXT = (
    "testsuite.txt",
    "markdown-reader-more.txt",
    "markdown-citations.txt",
    "pipe-tables.txt",
    "tables.txt",
)
"""The documents of ``test/`` that pandoc's own tests read as Pandoc Markdown."""

READER_OPTIONS = ("-f", "--from", "-r", "--read")


def _git(clone: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(clone), *args], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout


def reads_plain_markdown(command: str) -> bool:
    """Whether ``% pandoc ...`` reads its input as Pandoc Markdown with its
    default extensions, from the test's own text (no file named)."""
    words = command.removeprefix("%").split()[1:]
    reader = "markdown"
    for n, word in enumerate(words):
        if word in READER_OPTIONS and n + 1 < len(words):
            reader = words[n + 1]
        elif word.startswith(("--from=", "--read=")):
            reader = word.split("=", 1)[1]
        elif not word.startswith("-") and (n == 0 or not words[n - 1].startswith("-")):
            return False  # an input file
    return reader == "markdown"


def command_inputs(text: str) -> Iterator[str]:
    """The inputs of the test blocks of one ``test/command/*.md`` file that read
    plain Pandoc Markdown: a fence, ``% pandoc ...``, the input, ``^D``."""
    lines = text.split("\n")
    n = 0
    while n < len(lines):
        if lines[n].startswith("% pandoc") and n > 0 and lines[n - 1].startswith("```"):
            end = next((m for m in range(n + 1, len(lines)) if lines[m] == "^D"), None)
            if end is None:
                return
            if reads_plain_markdown(lines[n]):
                yield "\n".join(lines[n + 1 : end]) + "\n"
            n = end
        n += 1


def gather_pandoc(clone: Path) -> int:
    out = HERE / "pandoc"
    written = 0
    seen: set[str] = set()
    names = _git(clone, "ls-tree", "--name-only", "HEAD", "test/command/").split()
    for name in sorted(n for n in names if n.endswith(".md")):
        stem = Path(name).stem
        found = list(command_inputs(_git(clone, "show", f"HEAD:{name}")))
        for k, text in enumerate(found, start=1):
            if not text.strip() or text in seen:
                continue
            seen.add(text)
            suffix = f"-{k}" if len(found) > 1 else ""
            (out / "command" / f"{stem}{suffix}.md").write_text(text, encoding="utf-8")
            written += 1
    for name in PANDOC_TEXT:
        text = _git(clone, "show", f"HEAD:test/{name}")
        (out / f"{Path(name).stem}.md").write_text(text, encoding="utf-8")
        written += 1
    return written


def _literal_strings(node: ast.expr, names: dict[str, str]) -> str | None:
    """The document a ``self.parse(...)`` argument gives: a string, a list of
    strings, ``"".join`` of one, or a name bound to one earlier in the test."""
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "join"
        and len(node.args) == 1
    ):
        return _literal_strings(node.args[0], names)
    try:
        value = ast.literal_eval(node)
    except ValueError:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "".join(value)
    return None


def toolkit_inputs(source: str) -> Iterator[tuple[str, str]]:
    """(test name, document) of every ``self.parse(...)`` in Translate
    Toolkit's Markdown storage tests."""
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef):
            continue
        names: dict[str, str] = {}
        found = 0
        for node in ast.walk(function):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                text = _literal_strings(node.value, {})
                if isinstance(target, ast.Name) and text is not None:
                    names[target.id] = text
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "parse"
                and node.args
            ):
                text = _literal_strings(node.args[0], names)
                if text is not None:
                    found += 1
                    yield f"{function.name}-{found}", text


def gather_toolkit(clone: Path) -> int:
    out = HERE / "translate-toolkit"
    source = _git(clone, "show", "HEAD:tests/translate/storage/test_markdown.py")
    written = 0
    seen: set[str] = set()
    for name, text in toolkit_inputs(source):
        if not text.strip() or text in seen:
            continue
        seen.add(text)
        short = name.removeprefix("test_")
        (out / f"{short}.md").write_text(text, encoding="utf-8")
        written += 1
    return written


def main(argv: list[str]) -> int:
    which, clone = argv[0], Path(argv[1])
    count = {"pandoc": gather_pandoc, "translate-toolkit": gather_toolkit}[which](clone)
    print(f"{which}: {count} documents, commit {_git(clone, 'rev-parse', 'HEAD').strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
