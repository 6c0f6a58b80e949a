"""A mutmut run over the modules of the content, language, figure and spoken-symbol
checks (``[tool.mutmut]`` in ``pyproject.toml`` names them and their tests), module
by module, one worker, with a sample of each large module's mutants.

    .venv/bin/pip install -e '.[test,mutation]'
    .venv/bin/python tests/mutation/mutmut_run.py [--stride N] [--summary] [MODULE ...]

MODULE is a dotted name (``klpublish.gate.languages``); none: all of them, each
with the stride of :data:`STRIDES`. ``--stride N`` runs every N-th mutant of each
function's list (1: all). ``--summary`` runs nothing and prints, per module, the
mutants run, killed, survived and not run. See ``tests/mutation/README.md``."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MUTANTS = ROOT / "mutants"
STRIDES = {
    "klpublish.catalogs.phrases": 1,
    "klpublish.gate.languages": 1,
    "klpublish.gate.spoken_symbols": 1,
    "klpublish.letter.separate_alts": 1,
    "klpublish.gate.findings": 1,
    "klpublish.translation.content": 5,
    "klpublish.translation.language_id": 20,
    "klpublish.gate.text_languages": 30,
    "klpublish.render.pdf_figures": 40,
    "klpublish.letter.figures": 12,
}
"""Every mutant of the small modules; every 5th to 30th of each function's in the
large ones, to keep the run near an hour and a half on two shared cores. A mutant
takes 2-5 s where its tests judge a catalog, 30-60 s where they publish a letter in
every language and format, or run the language identifier over many letters, or
read pages in chromium (the language, structure and figure tests), and 3 minutes
when it makes a test hang until mutmut's timeout."""
KILLED = {1, 3}
SURVIVED = {0}
_NUMBER = re.compile(r"^(?P<function>.*)__mutmut_(?P<n>\d+)$")


def meta(module: str) -> Path:
    return MUTANTS / "src" / (module.replace(".", "/") + ".py.meta")


def results(module: str) -> dict[str, int | None]:
    path = meta(module)
    if not path.exists():
        return {}
    found: dict[str, int | None] = json.loads(path.read_text("utf-8"))["exit_code_by_key"]
    return found


def sample(module: str, stride: int) -> list[str]:
    """Every ``stride``-th mutant of each function, in mutmut's numbering."""

    def order(name: str) -> tuple[str, int]:
        match = _NUMBER.match(name)
        assert match, name
        return match["function"], int(match["n"])

    chosen = []
    by_function: dict[str, list[str]] = {}
    for name in sorted(results(module), key=order):
        by_function.setdefault(order(name)[0], []).append(name)
    for names in by_function.values():
        chosen.extend(names[::stride])
    return chosen


def environment() -> dict[str, str]:
    """The mutated package first on the path, for the tests' own subprocesses too
    (``python -m klpublish``); the Node checkers beside the copy."""
    MUTANTS.mkdir(exist_ok=True)
    link = MUTANTS / "node_modules"
    if (ROOT / "node_modules").exists() and not link.exists():
        link.symlink_to((ROOT / "node_modules").resolve())
    return {**os.environ, "PYTHONPATH": str(MUTANTS / "src")}


def mutmut(*args: str) -> int:
    command = [str(Path(sys.executable).with_name("mutmut")), "run", "--max-children", "1"]
    return subprocess.run([*command, *args], cwd=ROOT, env=environment(), check=False).returncode


def run(module: str, stride: int) -> int:
    if not results(module):  # the first run makes every module's mutants
        code = mutmut(f"{module}.*")
        if stride == 1 or code != 0:
            return code
    names = [f"{module}.*"] if stride == 1 else sample(module, stride)
    return mutmut(*names)


def summary(modules: list[str]) -> None:
    print(f"{'module':40} {'mutants':>7} {'run':>5} {'killed':>6} {'survived':>8} {'other':>5}")
    for module in modules:
        codes = results(module)
        ran = {k: v for k, v in codes.items() if v is not None}
        kinds = Counter(
            "killed" if v in KILLED else "survived" if v in SURVIVED else "other"
            for v in ran.values()
        )
        print(
            f"{module:40} {len(codes):7} {len(ran):5} {kinds['killed']:6} "
            f"{kinds['survived']:8} {kinds['other']:5}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", default=list(STRIDES))
    parser.add_argument("--stride", type=int)
    parser.add_argument("--summary", action="store_true")
    args = parser.parse_args()
    if not args.summary:
        for module in args.modules:
            code = run(module, args.stride or STRIDES.get(module, 1))
            if code != 0:
                return code
    summary(args.modules)
    return 0


if __name__ == "__main__":
    sys.exit(main())
