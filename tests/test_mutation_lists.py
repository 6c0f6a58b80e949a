"""The scripted mutation lists (``tests/mutation/*.py``) still name code that is there.

A mutant replaces a snippet that must occur exactly once in its module; when the
code moves, the run says "not applied" for it and the defence it was written for
goes untested without anyone noticing. This reads every list without running a
mutant, so a stale snippet fails here, at once, naming its list and mutant.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
MUTATION = ROOT / "tests" / "mutation"
PACKAGE = ROOT / "src" / "klpublish"
LISTS = ("glossary", "images", "letters", "structure", "translations", "trust")


def mutation_list(name: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The list script ``name``, imported as its siblings import ``translations``."""
    monkeypatch.syspath_prepend(str(MUTATION))
    module = importlib.import_module(name)
    assert Path(str(module.__file__)).resolve() == MUTATION / f"{name}.py", module
    return module


@pytest.mark.parametrize("name", LISTS)
def test_every_mutant_replaces_one_snippet_that_is_there(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    mutants = mutation_list(name, monkeypatch).MUTANTS
    assert mutants, f"{name}.py lists no mutants"
    problems: list[str] = []
    for mutant in mutants:
        path = PACKAGE / mutant.module
        said = f"{name}.py, mutant {mutant.name!r} ({mutant.module})"
        if mutant.new == mutant.old:
            problems.append(f"{said}: its new text is its old one")
        if not path.is_file():
            problems.append(f"{said}: no such module")
            continue
        found = path.read_text(encoding="utf-8").count(mutant.old)
        if found != 1:
            problems.append(f"{said}: its snippet occurs {found} times, expected once")
    assert not problems, "\n".join(problems)


def test_every_list_is_read() -> None:
    """A new list script is read here too: name it in ``LISTS``. (``run_mutants.py``
    has its own form and stops at a snippet it cannot apply; ``mutmut_run.py``
    drives mutmut.)"""
    scripts = {p.stem for p in MUTATION.glob("*.py")} - {"mutmut_run", "run_mutants"}
    assert scripts == set(LISTS), sorted(scripts ^ set(LISTS))
