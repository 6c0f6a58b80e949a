"""A scripted mutation run over what keeps many letters apart: names, paths, catalogs,
the index and the gate's paths (see ``translations.py`` for how a run works).

    .venv/bin/python tests/mutation/letters.py [NAME ...]
"""

from __future__ import annotations

import sys

from translations import Mutant, main

LETTERS = ("tests/test_letters.py",)
SMALL_GATE = ("tests/test_gate.py::test_make_check_report_and_exit_code",)

MUTANTS = [
    Mutant(
        "layout: letters in their own folders not found",
        "project.py",
        ', *folder.glob(f"*/*{LETTER_SUFFIX}")',
        "",
        LETTERS,
    ),
    Mutant(
        "layout: two letters of one name allowed",
        "letters.py",
        "        if name in seen and seen[name].resolve() != path.resolve():",
        "        if False:",
        LETTERS,
    ),
    Mutant(
        "layout: any file name is a letter name",
        "project.py",
        "    if not _NAME.fullmatch(name) or name == LABELS_DOMAIN:",
        "    if False:",
        LETTERS,
    ),
    Mutant(
        "layout: the first letter not first",
        "letters.py",
        "key=lambda pair: (pair[0] != DOMAIN, pair[0], str(pair[1]))",
        "key=lambda pair: (pair[0], str(pair[1]))",
        LETTERS,
    ),
    Mutant(
        "layout: every letter's outputs named 'letter'",
        "project.py",
        '        return f"{self.name}.{lang}.{fmt}"',
        '        return f"letter.{lang}.{fmt}"',
        LETTERS,
    ),
    Mutant(
        "layout: one build record for all letters",
        "project.py",
        'f"{kind}.{self.name}.{lang}.json"',
        'f"{kind}.{lang}.json"',
        LETTERS,
    ),
    Mutant(
        "layout: every letter's catalog named 'letter.po'",
        "project.py",
        '        return self.language_folder(lang) / "LC_MESSAGES" / f"{name}.po"',
        '        return self.language_folder(lang) / "LC_MESSAGES" / "letter.po"',
        LETTERS,
    ),
    Mutant(
        "catalog_tasks: a new letter gets no catalogs from update",
        "catalogs/tasks.py",
        "        catalog, earlier = new_catalog(template, lang), None",
        '        raise KlpublishError("no catalog")',
        LETTERS,
    ),
    Mutant(
        "catalog: one template's entries shared by every language",
        "catalogs/po.py",
        "    return copy.deepcopy(template)",
        "    return template",
        LETTERS,
    ),
    Mutant(
        "index: oldest letter first",
        "render/index.py",
        "-(e.date.toordinal() if e.date else 0)",
        "(e.date.toordinal() if e.date else 0)",
        LETTERS,
    ),
    Mutant(
        "index: an untranslated title not marked as Danish",
        "render/index.py",
        "    return source if not text or text == source.text else Label(text, lang)",
        "    return Label(text or source.text, lang)",
        LETTERS,
    ),
    Mutant(
        "publish: a letter lacking a wanted language fails the run",
        "build/publish.py",
        "    if missing and not wanted.missing_ok:",
        "    if missing:",
        LETTERS,
    ),
    Mutant(
        "gate: the checkers given paths relative to another folder",
        "project.py",
        "Layout(self.source, self.locales, self.out.absolute())",
        "Layout(self.source, self.locales, self.out)",
        SMALL_GATE,
    ),
]

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], MUTANTS))
