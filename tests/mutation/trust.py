# ruff: noqa: E501  (the mutants are lines of code, quoted as they stand)
"""A scripted mutation run over what a user's trust rests on: the build cache (stale
outputs served as current), catalogs and status (a wrong verdict or count), the link
and image policy, and the screen-reader comparisons (a checker that passes more than it
should). See ``translations.py`` for how a run works; it starts with a control run.

    .venv/bin/python tests/mutation/trust.py [NAME ...]
"""

from __future__ import annotations

import sys

from translations import Mutant, main

CACHE = ("tests/test_cache_inputs.py",)
STATUS = (
    "tests/test_cache_inputs.py::test_status_says_the_verdict_not_the_percentage",
    "tests/test_translation_checks.py::test_status_counts_and_min",
    "tests/test_glossary.py",
)
CATALOGS = (
    "tests/test_catalog_churn.py",
    "tests/test_cache_inputs.py",
    "tests/test_bad_inputs.py",
    "tests/test_update.py",
)
SECOND = ("tests/test_second_lines.py",)
PO_FILES = ("tests/test_po_files.py",)
RECORD = (
    "tests/test_screen_reader_record.py",
    "tests/test_screen_reader.py::test_run_together_and_split_words_are_named",
)

MUTANTS = [
    # -- the survivors of the independent run ---------------------------------------------
    Mutant(
        "assessment: every verdict remembered as publishable",
        "build/assessment.py",
        "            assessment.publishable,\n            assessment.name,",
        "            True,\n            assessment.name,",
        CACHE,
    ),
    Mutant(
        "build_cache: the threshold left out of the verdict key",
        "build/cache.py",
        'digest.update(f"{lang}:{threshold}".encode())',
        'digest.update(f"{lang}".encode())',
        CACHE,
    ),
    Mutant(
        "build_cache: the layout words' catalog left out of the verdict key",
        "build/cache.py",
        "for catalog in (layout.catalog, layout.project.labels_catalog):",
        "for catalog in (layout.catalog,):",
        CACHE,
    ),
    Mutant(
        "build_cache: an image's name hashed instead of its bytes",
        "build/cache.py",
        "for image in image_digests(urls, Path(letter.path).parent):",
        "for image in urls:",
        CACHE,
    ),
    Mutant(
        "build_cache: templates and style sheets left out of the code digest",
        "build/cache.py",
        'kinds = (".py", ".typ", ".html", ".css", ".lua", ".po", ".pot")',
        'kinds = (".py", ".typ", ".lua", ".po", ".pot")',
        CACHE,
    ),
    Mutant(
        "catalog: a catalog without a Language header accepted",
        "catalogs/po.py",
        'if declared.replace("-", "_") != lang:',
        'if declared and declared.replace("-", "_") != lang:',
        CACHE,
    ),
    Mutant(
        "layout: a dangling catalog link silently skipped",
        "project.py",
        "if os.path.lexists(self.po_path(entry.name))",
        "if os.path.exists(self.po_path(entry.name))",
        CACHE,
    ),
    Mutant(
        "status: published computed from the percentage",
        "build/status.py",
        "        a.publishable,\n",
        "        not isinstance(a, BelowThreshold),\n",  # i.e. percent >= threshold
        STATUS,
    ),
    Mutant(
        "svg_policy: SVG foreignObject accepted",
        "letter/svg_policy.py",
        '    "mask pattern marker"\n)',
        '    "mask pattern marker foreignObject"\n)',
        SECOND,
    ),
    Mutant(
        "targets: a web address with a space, quote or < accepted",
        "letter/policy.py",
        "    if _NOT_IN_WEB.search(url):",
        "    if False:",
        SECOND,
    ),
    Mutant(
        "screen reader: the page summary never compared",
        "gate/screen_reader.py",
        "    elif heard != expected:",
        "    elif heard is None:",
        RECORD,
    ),
    Mutant(
        "screen reader: words heard that are not on the page ignored",
        "gate/screen_reader.py",
        '        if op == "equal":\n            continue',
        '        if op in ("equal", "insert"):\n            continue',
        RECORD,
    ),
    Mutant(
        "screen reader: a word heard with no language accepted",
        "gate/screen_reader.py",
        "            if want == got:",
        "            if want == got or not got:",
        RECORD,
    ),
    Mutant(
        "screen reader: a known part missing from the tree ignored",
        "gate/screen_reader.py",
        "            problems.append(f\"'{text}' is not in the accessibility tree\")",
        "            pass",
        RECORD,
    ),
    Mutant(
        "targets: tabs and newlines kept in a scheme",
        "letter/policy.py",
        'return re.sub(r"[\\t\\n\\r]", "", url).strip(',
        "return url.strip(",
        SECOND,
    ),
    Mutant(
        "translate: the sanitiser refuses javascript: only",
        "translation/translate.py",
        "    try:\n        judge(url, use)\n    except TargetError:\n        return False\n    return True",
        '    return not url.strip().lower().startswith("javascript:")',
        SECOND,
    ),
    Mutant(
        "catalog: an older obsolete translation replaced by an untranslated one",
        "catalogs/po.py",
        "        if now is None or (old.string and not now.string):",
        "        if now is None:",
        SECOND,
    ),
    # -- variants: the build cache ---------------------------------------------------------
    Mutant(
        "build_cache: the render context left out of an output's key",
        "build/cache.py",
        'f"{verdict}\\0{context}\\0{fmt}"',
        'f"{verdict}\\0\\0{fmt}"',
        CACHE,
    ),
    Mutant(
        "build_cache: an output changed by hand counted as current",
        "build/cache.py",
        '        return hashlib.sha256(path.read_bytes()).hexdigest() == record.get("sha256")',
        "        return True",
        CACHE,
    ),
    Mutant(
        "build_cache: a verdict remembered for other inputs used",
        "build/cache.py",
        '    if data.get("key") != key:\n        return None',
        "    if not data:\n        return None",
        CACHE,
    ),
    Mutant(
        "build_cache: the letter left out of the verdict key",
        "build/cache.py",
        "    digest.update(source.encode())\n",
        "",
        CACHE,
    ),
    Mutant(
        "build_cache: a catalog's name hashed instead of its content",
        "build/cache.py",
        'digest.update(read_catalog(path) if path else b"none")',
        'digest.update(str(path).encode() if path else b"none")',
        CACHE,
    ),
    # -- variants: assessment and status ---------------------------------------------------
    Mutant(
        "assessment: a language exactly at the threshold held back",
        "build/assessment.py",
        "    if percent < threshold:",
        "    if percent <= threshold:",
        CACHE,
    ),
    Mutant(
        "assessment: fuzzy entries counted as translated",
        "build/assessment.py",
        "            if message.fuzzy:",
        "            if False:",
        STATUS,
    ),
    Mutant(
        "assessment: fuzzy entries count towards the percentage",
        "build/assessment.py",
        "    percent = 100.0 * counts.translated / total if total else 100.0",
        "    percent = 100.0 * (counts.translated + counts.fuzzy) / total if total else 100.0",
        CACHE,
    ),
    Mutant(
        "status: fuzzy and untranslated swapped",
        "build/status.py",
        "        counts.fuzzy,\n        counts.untranslated,\n",
        "        counts.untranslated,\n        counts.fuzzy,\n",
        STATUS,
    ),
    Mutant(
        "status: a refused language given no reason",
        "build/status.py",
        '    reason = a.note or "; ".join(a.errors[:1])',
        "    reason = a.note",
        STATUS,
    ),
    Mutant(
        "status: the table says every language is published",
        "build/status.py",
        '("yes" if r.published else "no")',
        '"yes"',
        STATUS,
    ),
    Mutant(
        "status: glossary warnings not counted",
        "build/status.py",
        "        sum(isinstance(w, GlossaryWarning) for w in a.warnings),",
        "        0,",
        STATUS,
    ),
    # -- variants: catalogs ----------------------------------------------------------------
    Mutant(
        "catalog: any charset accepted",
        "catalogs/po.py",
        '    if charset.lower().replace("_", "-") != "utf-8":',
        "    if False:",
        CATALOGS,
    ),
    Mutant(
        "catalog: a Plural-Forms of the wrong count accepted",
        "catalogs/po.py",
        "    if not nplurals.isdigit() or int(nplurals) != Catalog(locale=lang).num_plurals:",
        "    if not nplurals.isdigit():",
        CATALOGS,
    ),
    Mutant(
        "catalog: a catalog rewritten when only its dates differ",
        "catalogs/po_writer.py",
        "        return over.po.data  # dates aside, the file says what the catalog says",
        "        pass",
        CATALOGS,
    ),
    Mutant(
        "catalog: an obsolete translation whose text is back not revived",
        "catalogs/po.py",
        "            catalog[old.id] = old  # Babel keys it with the message's own context",
        "            pass",
        CATALOGS,
    ),
    Mutant(
        "catalog: a fuzzy entry loses its previous msgid",
        "catalogs/po.py",
        "            message.previous_id = previous.get((message.id, message.context), [])",
        "            pass",
        CATALOGS,
    ),
    # -- variants: PO files through their parsers -----------------------------------------
    Mutant(
        "po_file: a line polib cannot read passed over",
        "catalogs/po_file.py",
        "    except (OSError, ValueError, IndexError, KeyError) as exc:\n",
        "    except (OSError, ValueError, IndexError, KeyError) as exc:\n        return polib.POFile()\n",
        PO_FILES,
    ),
    Mutant(
        "catalog: a language's catalog polib cannot read written over",
        "catalogs/po.py",
        "        if locale is None:\n            return None\n        raise",
        "        return None",
        PO_FILES,
    ),
    Mutant(
        "po_writer: the unchanged parts of a changed entry written anew",
        "catalogs/po_writer.py",
        "before.get(part) == now.get(part)}",
        "False}",
        PO_FILES,
    ),
    Mutant(
        "po_writer: an existing header made anew",
        "catalogs/po_writer.py",
        "head = _new_head(catalog) if over is None else _head(catalog, over)",
        "head = _new_head(catalog)",
        PO_FILES,
    ),
    Mutant(
        "po_writer: an obsolete entry's flags dropped",
        "catalogs/po_writer.py",
        'parts["flags"] = flags_line(message.flags, bool(message.string))',
        'parts["flags"] = [] if obsolete else flags_line(message.flags, bool(message.string))',
        PO_FILES,
    ),
    # -- variants: the screen-reader comparisons -------------------------------------------
    Mutant(
        "screen reader: words run together taken for a split word",
        "gate/screen_reader.py",
        "page_part == heard_part and b1 - b0 < a1 - a0:",
        "page_part == heard_part and b1 - b0 > a1 - a0:",
        RECORD,
    ),
    Mutant(
        "screen reader: a page announced by another title accepted",
        "gate/screen_reader.py",
        "    if announced is not None and announced != title:",
        "    if False:",
        RECORD,
    ),
    Mutant(
        "screen reader: a known part in another language accepted",
        "gate/screen_reader.py",
        "            if got != {_primary(lang)}:",
        "            if False:",
        RECORD,
    ),
    Mutant(
        "screen reader: an empty accessibility tree accepted",
        "gate/screen_reader.py",
        '        problems.append("the accessibility tree held no text")',
        "        pass",
        RECORD,
    ),
    Mutant(
        "screen reader: what is said before the page not checked",
        "gate/screen_reader.py",
        "    problems += before_reading(said, page_title(root))\n",
        "",
        RECORD,
    ),
    Mutant(
        "screen reader: Orca's word 'link' taken for the page's",
        "gate/screen_reader.py",
        'r"(?:link|visited link|',
        'r"(?:visited link|',
        RECORD,
    ),
]

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], MUTANTS))
