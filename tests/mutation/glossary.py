"""Break each defence of ``catalogs/glossary.py`` (and its hooks) on purpose, run the
glossary tests in a scratch copy, and report the mutants that survive.

    .venv/bin/python tests/mutation/glossary.py [NAME ...]

Same machinery as ``translations.py``: one snippet replaced per mutant.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from translations import ROOT, Mutant, run

T = "tests/test_glossary.py"
HOSTILE = f"{T}::test_a_broken_or_hostile_glossary_is_refused_with_its_line"
PARSER = f"{T}::test_the_parser_expands_no_entity_and_reads_no_other_file"
FIFO = f"{T}::test_an_entity_naming_a_fifo_is_never_opened"
NOT_A_FILE = f"{T}::test_a_glossary_that_is_not_a_file_inside_locale_is_refused_unread"
READ_FIFO = f"{T}::test_a_fifo_swapped_in_after_the_check_is_not_waited_on"
PLANTED = f"{T}::test_lint_names_the_line_of_a_planted_violation_and_status_counts_it"
MATCHING = (
    f"{T}::test_the_danish_holds_a_term_in_any_inflection",
    f"{T}::test_names_match_as_written_and_addresses_are_not_words",
    f"{T}::test_a_term_inside_a_longer_held_term_does_not_count",
    f"{T}::test_a_translation_uses_an_allowed_form_in_any_inflection",
)
SHIPPED = f"{T}::test_every_shipped_language_has_a_glossary_its_catalog_passes"
SCALE = "tests/test_glossary_scale.py"
SAME = (
    f"{SCALE}::test_the_shipped_glossaries_give_the_same_terms_and_warnings",
    f"{SCALE}::test_generated_glossaries_give_the_same_terms_and_warnings",
)
PUBLISH = f"{SCALE}::test_publish_weighs_no_glossary_and_lint_still_does"
TBX_TOOLS = "tests/test_tbx_tools.py"
UNUSABLE = f"{TBX_TOOLS}::test_an_unusable_entry_is_left_out_with_its_line"
LENIENT = f"{TBX_TOOLS}::test_what_tbx_tools_write_is_read"

MUTANTS = [
    Mutant(
        "no DOCTYPE refusal and entities resolved",
        "catalogs/glossary.py",
        "    if declared or _SUBSET.search(data):",
        "    if False:",
        (HOSTILE,),
    ),
    Mutant(
        "entities resolved by the parser",
        "catalogs/glossary.py",
        "resolve_entities=False,",
        "resolve_entities=True,",
        (PARSER,),
    ),
    Mutant(
        "no size cap",
        "catalogs/glossary.py",
        "Reading(catalog_tree(path), MAX_BYTES,",
        "Reading(catalog_tree(path), 10**12,",
        (HOSTILE,),
    ),
    Mutant(
        "any root accepted",
        "catalogs/glossary_tbx.py",
        'if root.tag != "martif":',
        "if False:",
        (HOSTILE,),
    ),
    Mutant(
        "empty term accepted",
        "catalogs/glossary_tbx.py",
        "    if not text:\n",
        "    if False:\n",
        (UNUSABLE,),
    ),
    Mutant(
        "any langSet language accepted",
        "catalogs/glossary_tbx.py",
        "if same_language(code, lang) and s not in source]",
        "if s not in source]",
        (LENIENT,),
    ),
    Mutant(
        "a FIFO read as it comes (not through files.read_inside)",
        "catalogs/glossary.py",
        "    data = read_inside(path, reading, lambda message, _:",
        "    data = path.read_bytes()\n    (lambda message, _:",
        (READ_FIFO,),
    ),
    Mutant(
        "a symlink out of locale/ followed (layout and reader both)",
        "files.py",
        "    if leads_outside(path, reading.root):",
        "    if False:",
        (NOT_A_FILE,),
    ),
    Mutant(
        "Danish not stemmed",
        "catalogs/glossary_terms.py",
        "                wanted = tuple(stem(w.casefold()) for w in words)\n",
        "                wanted = tuple(w.casefold() for w in words)\n",
        (*MATCHING, PLANTED),
    ),
    Mutant(
        "names matched case-insensitively and stemmed",
        "catalogs/glossary_terms.py",
        "            elif term.name:\n",
        "            elif False:\n",
        MATCHING,
    ),
    Mutant(
        "no genitive s on names",
        "catalogs/glossary_terms.py",
        '        if word.endswith("s"):\n',
        "        if False:\n",
        MATCHING,
    ),
    Mutant(
        "no genitive s on the last word of a name of several",
        "catalogs/glossary_terms.py",
        '                wanted[-1] + "s",\n',
        "                wanted[-1],\n",
        SAME,
    ),
    Mutant(
        "a segment's words looked up from the second on only",
        "catalogs/glossary_terms.py",
        "    for start, word in enumerate(words):\n",
        "    for start, word in list(enumerate(words))[1:]:\n",
        (*MATCHING, *SAME),
    ),
    Mutant(
        "nested term counted",
        "catalogs/glossary_terms.py",
        "    held = sorted({n for n, start, end in spans if (start, end) in outer})",
        "    held = sorted({n for n, start, end in spans})",
        (*MATCHING, SHIPPED),
    ),
    Mutant(
        "link addresses read as words",
        "catalogs/glossary_terms.py",
        '    text = " ".join(t for t in text.split() if not any(mark in t for mark in _ADDRESS))\n',
        "",
        (*MATCHING, SHIPPED),
    ),
    Mutant(
        "translation not stemmed",
        "catalogs/glossary_terms.py",
        "    stems = [[stem(w) for w in forms] if stem else [] for forms in words]\n",
        "    stems = [[] for forms in words]\n",
        (*MATCHING, SHIPPED),
    ),
    Mutant(
        "no final vowels dropped without a stemmer",
        "catalogs/glossary_terms.py",
        "word.rstrip(_VOWELS)",
        "word",
        MATCHING,
    ),
    Mutant(
        "no Arabic conjunctions",
        "catalogs/glossary_terms.py",
        '_PROCLITICS = {"ar": ("و", "ف")}',
        "_PROCLITICS: dict[str, tuple[str, ...]] = {}",
        (*MATCHING, SHIPPED),
    ),
    Mutant(
        "no words between",
        "catalogs/glossary_terms.py",
        "GAP = 2\n",
        "GAP = 0\n",
        (*MATCHING, SHIPPED),
    ),
    Mutant(
        "fuzzy entries checked",
        "catalogs/glossary.py",
        "if message is None or not message.string or message.fuzzy:",
        "if message is None or not message.string:",
        (f"{T}::test_a_fuzzy_or_untranslated_entry_is_not_checked",),
    ),
    Mutant(
        "glossary not checked",
        "build/assessment.py",
        "        *(_glossary_warnings(layout, lang, catalog, ids, po) if glossary else ()),\n",
        "",
        (PLANTED,),
    ),
    Mutant(
        "publish weighs the glossary",
        "build/publish.py",
        "messages, glossary=False, languages=False)",
        "messages, glossary=True, languages=False)",
        (PUBLISH,),
    ),
    Mutant(
        "status does not count",
        "build/status.py",
        "sum(isinstance(w, GlossaryWarning) for w in a.warnings)",
        "0",
        (PLANTED,),
    ),
    Mutant(
        "a refused glossary passes lint",
        "build/commands.py",
        "                errors += 1\n",
        "",
        (HOSTILE,),
    ),
]


def main(names: list[str]) -> int:
    chosen = [m for m in MUTANTS if not names or any(n in m.name for n in names)]
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / "project"
        for part in ("src", "tests", "source", "locale", "pyproject.toml", "babel.cfg"):
            copy = shutil.copytree if (ROOT / part).is_dir() else shutil.copy
            copy(ROOT / part, scratch / part)
        survivors = 0
        for mutant in chosen:
            start = time.monotonic()
            verdict = run(mutant, scratch)
            survivors += not verdict.startswith("killed")
            print(f"{verdict:9} {time.monotonic() - start:5.0f} s  {mutant.name}", flush=True)
    print(f"{len(chosen) - survivors} of {len(chosen)} mutants killed")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
