"""A scripted mutation run: break each defence on purpose, run the tests that
should notice, and report the mutants that survive.

    .venv/bin/python tests/mutation/translations.py [NAME ...]

Each mutant replaces one snippet of one module in a scratch copy of the project
and runs the tests named for it there. A mutant is killed when those tests fail.
mutmut and cosmic-ray mutate every operator of every line and rerun the suite
each time; this suite runs the real pandoc, Typst and msgfmt, so a run over all
of that takes hours here. The list below targets what each module defends.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

LINT = "tests/test_translation_checks.py::test_lint_reports_the_problem_with_its_line"
UNTRUSTED = "tests/test_untrusted_translations.py"
CHECKS = (LINT, UNTRUSTED, "tests/test_characters.py")


@dataclass(frozen=True)
class Mutant:
    name: str
    module: str
    old: str
    new: str
    tests: tuple[str, ...]


def _drop_checker(name: str) -> Mutant:
    return Mutant(
        f"checks: no {name}",
        "translation/checkers.py",
        f"    ({name}, ",
        f"    # ({name}, ",
        CHECKS,
    )


MUTANTS = [
    *(
        _drop_checker(name)
        for name in (
            "links_kept",
            "images_kept",
            "footnotes_kept",
            "emphasis_kept",
            "code_kept",
            "no_raw_markup",
            "safe_urls",
            "numbers_kept",
            "kinds_kept",
            "attributes_kept",
            "characters_allowed",
            "visible_text",
            "spaces_consistent",
            "final_punctuation",
            "length_ratio",
        )
    ),
    Mutant(
        "budgets: brackets in brackets read",
        "letter/budgets.py",
        "    too_long = bracket_problem(msgid, msgstr) or length_problem(msgid, msgstr)",
        "    too_long = length_problem(msgid, msgstr)",
        (LINT,),
    ),
    Mutant(
        "memory: brackets in brackets offered",
        "catalogs/memory.py",
        "    return bracket_problem(match.msgid, unit.msgstr) or bracket_problem(",
        "    return None or bracket_problem(",
        ("tests/test_one_registry.py", "tests/test_memory.py"),
    ),
    Mutant(
        "checks: no placeholders_kept",
        "translation/checkers.py",
        "    (placeholders_kept, ",
        "    # (placeholders_kept, ",
        ("tests/test_languages.py::test_status_and_lint_count_and_check_the_layout_words",),
    ),
    Mutant(
        "checks: a translator's own footnote is not looked into",
        "translation/pair.py",
        "enter_note=lambda note: translated and note_ref_number(note) is None",
        "enter_note=lambda note: False",
        CHECKS,
    ),
    Mutant(
        "checks: links added are not noticed",
        "translation/checkers.py",
        "        if len(urls) > len(source.get(key, [])):",
        "        if False:",
        CHECKS,
    ),
    Mutant(
        "targets: javascript: counts as safe",
        "letter/policy.py",
        'LINK_SCHEMES = ("https", "http", "mailto", "tel")',
        'LINK_SCHEMES = ("https", "http", "mailto", "tel", "javascript")',
        CHECKS,
    ),
    Mutant(
        "checks: numbers added count as dropped",
        "translation/checkers.py",
        "    for number in source - ours:",
        "    for number in ours - source:",
        ("tests/test_translation_checks.py", "tests/test_letter.py"),
    ),
    Mutant(
        "checks: a character met past the digit table's bound is dropped",
        "translation/checkers.py",
        "            raise LookupError(code)",
        "            return None  # type: ignore[return-value]",
        ("tests/test_languages.py::test_the_digit_table_is_bounded_and_still_reads_every_digit",),
    ),
    Mutant(
        "characters: the memory of harmless characters unbounded",
        "letter/characters.py",
        "        elif _judged_alone(ch) and len(_HARMLESS) < HARMLESS_MOST:",
        "        elif _judged_alone(ch):",
        ("tests/test_characters.py",),
    ),
    Mutant(
        "characters: the cancel tag remembered as harmless",
        "letter/characters.py",
        "    return ch not in _NEIGHBOURLY and ord(ch) not in _TAGS",
        "    return ch not in _NEIGHBOURLY and ord(ch) not in _TAGS[:-1]",
        ("tests/test_characters.py",),
    ),
    Mutant(
        "checks: autolink classes count as attributes",
        "translation/checkers.py",
        'not (node["t"] == "Link" and c in _AUTOLINK_CLASSES)',
        "True",
        CHECKS,
    ),
    Mutant(
        "characters: bidi isolates allowed",
        "letter/characters.py",
        "range(0x2066, 0x206A)",
        "range(0x2066, 0x2066)",
        CHECKS,
    ),
    Mutant(
        "characters: ZWNJ and friends allowed anywhere",
        "letter/characters.py",
        "    if before and after and _in(before, ranges) and _in(after, ranges):\n"
        "        return None",
        "    return None",
        CHECKS,
    ),
    Mutant(
        "characters: ZWNJ refused in its own scripts",
        "letter/characters.py",
        "    if before and after and _in(before, ranges) and _in(after, ranges):\n"
        "        return None",
        "    pass",
        ("tests/test_characters.py", *CHECKS),
    ),
    Mutant(
        "characters: any tag character allowed",
        "letter/characters.py",
        "            if not _tag_sequence(text, index):",
        "            if False:",
        CHECKS,
    ),
    Mutant(
        "characters: direction marks allowed in left-to-right text",
        "letter/characters.py",
        "            if not has_rtl:",
        "            if False:",
        CHECKS,
    ),
    Mutant(
        "characters: U+FFFF allowed",
        "letter/characters.py",
        "code in (0xFFFE, 0xFFFF)",
        "code in ()",
        CHECKS,
    ),
    Mutant(
        "characters: blank text counts as visible",
        "letter/characters.py",
        "    return any(\n        not ch.isspace()",
        "    return True or any(\n        not ch.isspace()",
        (*CHECKS, "tests/test_bad_inputs.py::test_broken_source"),
    ),
    Mutant(
        "translate: sanitise does nothing",
        "translation/translate.py",
        "    result: Inlines = visit(inlines)\n    return result",
        "    return inlines",
        (UNTRUSTED,),
    ),
    Mutant(
        "translate: fuzzy entries used",
        "translation/translate.py",
        "        if entry is None or not entry.string or entry.fuzzy:",
        "        if entry is None or not entry.string:",
        ("tests/test_publish.py", "tests/test_update.py"),
    ),
    Mutant(
        "translate: fallback not marked as the source language",
        "translation/translate.py",
        '[["lang", lang]]',
        "[]",
        ("tests/test_publish.py",),
    ),
    Mutant(
        "errors: errors said as nothing",
        "errors.py",
        "[TranslationError(p.message, where) for p in found if p.severity is Severity.ERROR],",
        "[],",
        CHECKS,
    ),
    Mutant(
        "inline_markdown: citations read in translations",
        "segments/markdown.py",
        "-citations-tex_math_dollars",
        "-tex_math_dollars",
        (UNTRUSTED,),
    ),
    Mutant(
        "inline_markdown: dollars read as math",
        "segments/markdown.py",
        "-citations-tex_math_dollars",
        "-citations",
        (UNTRUSTED,),
    ),
    Mutant(
        "inline_markdown: the letter's own math not read back",
        "segments/markdown.py",
        "    return READER + ",
        "    return READER or ",
        (UNTRUSTED,),
    ),
    Mutant(
        "catalog: plural entries accepted",
        "catalogs/po.py",
        "    if not plurals:\n        refuse_plural_entries(catalog, po.shown)\n",
        "",
        (UNTRUSTED,),
    ),
    # "catalog: obsolete entries wrapped whatever their size" is gone with Babel's
    # wrapping: GNU gettext's msgcat lays out what changed (catalogs/gettext_layout.py).
    Mutant(
        "files: catalogs linked out of the tree are read",
        "files.py",
        "    if leads_outside(path, reading.root):",
        "    if False:",
        (UNTRUSTED,),
    ),
    Mutant(
        "layout: a folder in a catalog's place is skipped",
        "project.py",
        "if os.path.lexists(self.po_path(entry.name))",
        "if self.po_path(entry.name).is_file()",
        (UNTRUSTED,),
    ),
]


def _pytest(scratch: Path, tests: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(scratch / "src")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
        cwd=scratch,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )


def run(mutant: Mutant, scratch: Path) -> str:
    module = scratch / "src" / "klpublish" / mutant.module
    original = module.read_text(encoding="utf-8")
    if original.count(mutant.old) != 1:
        return "not applied (snippet not found once: update the list)"
    module.write_text(original.replace(mutant.old, mutant.new), encoding="utf-8")
    try:
        proc = _pytest(scratch, list(mutant.tests))
    except subprocess.TimeoutExpired:
        return "killed (tests timed out)"
    finally:
        module.write_text(original, encoding="utf-8")
    if proc.returncode == 0:
        return "SURVIVED"
    failed = [line.split()[1] for line in proc.stdout.splitlines() if line.startswith("FAILED ")]
    return f"killed by {failed[0]}" if failed else "killed"


def main(names: list[str], mutants: list[Mutant] = MUTANTS) -> int:
    chosen = [m for m in mutants if not names or any(n in m.name for n in names)]
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / "project"
        parts = ("src", "tests", "source", "locale", "pyproject.toml", "babel.cfg",
                 "Makefile", "package.json", "package-lock.json")  # fmt: skip
        for part in parts:
            copy = shutil.copytree if (ROOT / part).is_dir() else shutil.copy2
            copy(ROOT / part, scratch / part)
        for tools in (".venv", "node_modules"):  # the Makefile's and the checkers' own
            (scratch / tools).symlink_to(ROOT / tools)
        # The control: unmutated, the chosen tests pass; a mutant is killed only by them.
        tests = sorted({t for m in chosen for t in m.tests})
        if _pytest(scratch, tests).returncode != 0:
            print("the tests fail without any mutant: fix them first")
            return 2
        survivors = 0
        for mutant in chosen:
            start = time.monotonic()
            verdict = run(mutant, scratch)
            survivors += verdict != "killed" and not verdict.startswith("killed")
            print(f"{time.monotonic() - start:5.0f} s  {mutant.name}: {verdict}", flush=True)
    print(f"{len(chosen) - survivors} of {len(chosen)} mutants killed")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
