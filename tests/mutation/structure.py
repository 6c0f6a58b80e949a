# ruff: noqa: E501  (the mutants are lines of code, quoted as they stand)
"""A scripted mutation run over the base the stages stand on: the paths of
``project.py``, the letters of ``letters.py`` and the AST's one visitor in
``letter/nodes.py`` (see ``translations.py`` for how a run works).

    .venv/bin/python tests/mutation/structure.py [NAME ...]
"""

from __future__ import annotations

import sys

from translations import Mutant, main

PATHS = ("tests/test_project_paths.py",)
WALK = (*PATHS, "tests/test_extract.py", "tests/test_roundtrip.py", "tests/test_letter.py")
SKIP = ("tests/test_figures.py",)  # the walker's callers that leave a node's children out
MEMORY = (*PATHS, "tests/test_memory.py", "tests/test_file_readers.py")
P, N = "project.py", "letter/nodes.py"

# A sibling catalog read without Project.inside is still refused by
# catalogs.po's own bounded reader (the same tree): a second line, not listed.
# fmt: off
MUTANTS = [
    Mutant("nodes: a skipped node's children visited", N, "                if skip is not None and skip(item):", "                if False:", SKIP),
    Mutant("nodes: a list's items visited in reverse", N, "        elif isinstance(item, list):\n            stack.extend(reversed(item))", "        elif isinstance(item, list):\n            stack.extend(item)", WALK),
    Mutant("nodes: a note's words read as text", N, "                if notes == 0 and kind in LEAVES:", "                if kind in LEAVES:", ("tests/test_pair_walk.py",)),
    Mutant("nodes: a line break is no space", N, 'SPACES = frozenset({"Space", "SoftBreak", "LineBreak"})', 'SPACES = frozenset({"Space", "SoftBreak"})', WALK),
    Mutant("project: memory reads the layout's words as a letter's catalog", P, "        return sorted(p for p in folder.glob(\"*.po\") if p.stem != LABELS_DOMAIN)", "        return sorted(folder.glob(\"*.po\"))", MEMORY),
    Mutant("project: a glossary link out read", P, '        return self.inside(path, "a TBX file") if os.path.lexists(path) else None', "        return path if os.path.lexists(path) else None", MEMORY),
    Mutant("project: a language without a letter's catalog counted", P, "            if self.letter_catalogs(entry.name)", "            if entry.is_dir()", PATHS),
]
# fmt: on

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], MUTANTS))
