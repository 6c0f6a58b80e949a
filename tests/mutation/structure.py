# ruff: noqa: E501  (the mutants are lines of code, quoted as they stand)
"""A scripted mutation run over the base the stages stand on: the paths of
``project.py``, the letters of ``letters.py`` and the AST's one visitor in
``letter/nodes.py`` (see ``translations.py`` for how a run works).

    .venv/bin/python tests/mutation/structure.py [NAME ...]
"""

from __future__ import annotations

import sys

from translations import Mutant, main

WALK = ("tests/test_extract.py", "tests/test_roundtrip.py", "tests/test_letter.py")
MEMORY = ("tests/test_memory.py", "tests/test_file_readers.py")
P, N = "project.py", "letter/nodes.py"

# fmt: off
MUTANTS = [
    Mutant("nodes: a skipped node's children visited", N, "                if skip is not None and skip(item):", "                if False:", WALK),
    Mutant("nodes: children visited in reverse", N, "            stack.extend(reversed(list(item.values())))", "            stack.extend(list(item.values()))", WALK),
    Mutant("nodes: a line break is no space", N, '_SPACES = frozenset({"Space", "SoftBreak", "LineBreak"})', '_SPACES = frozenset({"Space", "SoftBreak"})', WALK),
    Mutant("project: memory reads the layout's words as a letter's catalog", P, "        return sorted(p for p in folder.glob(\"*.po\") if p.stem != LABELS_DOMAIN)", "        return sorted(folder.glob(\"*.po\"))", MEMORY),
    Mutant("project: memory reads a sibling catalog unchecked", "catalogs/memory.py", "        return load_catalog(self._project.inside(path), locale=lang)", "        return load_catalog(path, locale=lang)", MEMORY),
    Mutant("project: a glossary link out read", P, '        return self.inside(path, "a TBX file") if os.path.lexists(path) else None', "        return path if os.path.lexists(path) else None", MEMORY),
    Mutant("project: a language without a letter's catalog counted", P, "            if self.letter_catalogs(entry.name)", "            if entry.is_dir()", ("tests/test_update.py", "tests/test_languages.py")),
]
# fmt: on

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], MUTANTS))
