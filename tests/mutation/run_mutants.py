# ruff: noqa: E501  (the mutants are lines of code, quoted as they stand)
"""A scripted mutation run over the gate (src/klpublish/gate/) and fileio.py.

Each mutant changes one decision of the code (a comparison, a condition, a
returned value, a step left out); the tests that cover that code must then fail.
Usage, from the repository root, on a copy that may be changed:

    .venv/bin/python tests/mutation/run_mutants.py [MODULE...]

Prints one line per mutant (killed or SURVIVED) and the score per module. The
mutation tools (mutmut, cosmic-ray) rerun the fixtures that publish and check a
whole site for each of hundreds of mutants, hours on two cores; this list
takes the decisions one by one instead."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

GATE = "tests/test_gate.py"
URLS = [GATE, "-k", "decoded_url or no_result or cannot_run"]
PDFUA = [GATE, "-k", "pdfua or cannot_run"]
VNU = [GATE, "-k", "vnu or cannot_run"]
PA11Y = [GATE, "-k", "pa11y_rejects"]
PDF = [GATE, "-k", "broken_one_way or figure or untagged or heading_skip", "tests/test_pdf_text.py"]
STRUCTURE = [GATE, "-k", "structure_check or both_reported"]
ORDER = [GATE, "-k", "reading_order"]
GATE_RUN = [GATE, "-k", "no_result or cannot_run"]
WHOLE_GATE = [GATE, "-k", "real_outputs"]
UNITS = [
    GATE,
    "-k",
    "pdfua_rule or raises_is_a_failure or without_an_accessibility or alt_texts_are_read",
]
FILEIO = ["tests/test_fileio.py"]
CRASH = ["tests/test_crash.py"]

T = "src/klpublish/gate/tools.py"
P = "src/klpublish/gate/pdf_rules.py"
PT = "src/klpublish/gate/pdf_text.py"
S = "src/klpublish/gate/structure.py"
RO = "src/klpublish/gate/reading_order.py"
R = "src/klpublish/gate/run.py"
FD = "src/klpublish/gate/findings.py"
F = "src/klpublish/fileio.py"

# (file, text, replacement, tests)
MUTANTS: list[tuple[str, str, str, list[str]]] = [
    # tools.py
    (
        T,
        "path_or_url = unquote(urlparse(path_or_url).path)",
        "path_or_url = urlparse(path_or_url).path",
        URLS,
    ),
    (T, 'if path_or_url.startswith("file:"):', 'if path_or_url.startswith("file://x"):', URLS),
    (
        T,
        "        if key not in found:\n            raise",
        "        if False:\n            raise",
        URLS,
    ),
    (
        T,
        "        found[key].extend(problems)",
        "        found.setdefault(key, []).extend(problems[:0])",
        URLS,
    ),
    (
        T,
        "    return {key: found[key] for key in map(page_key, reported)}",
        "    return found",
        [GATE, "-k", "only_for_the_pages or pa11y_rejects"],
    ),
    (T, "if returncode != 0 and not any(found.values()):", "if False:", [GATE, "-k", "vnu"]),
    (
        T,
        '    if not report.get("readable", True) or "findings" not in report:',
        "    if False:",
        PDFUA,
    ),
    (T, '        if s.get("rule_id") not in PDFUA_RULES_WE_CHECK', "        if False", UNITS),
    (T, '        if s.get("rule_id") not in PDFUA_RULES_WE_CHECK', "        if True", UNITS),
    (
        T,
        "raise _not_installed(tool, project)",
        "return str(path)\n        raise _not_installed(tool, project)",
        GATE_RUN,
    ),
    (
        T,
        '        if m.level in ("FATAL", "ERROR", "WARNING")',
        '        if m.level in ("FATAL",)',
        [GATE, "-k", "epubcheck"],
    ),
    (
        T,
        '            if result.get("earl:outcome") == "fail":',
        '            if result.get("earl:outcome") == "pass":',
        [GATE, "-k", "ace"],
    ),
    (
        "src/klpublish/catalogs/po.py",
        "    return [] if said is None else _said_of(said, shown).splitlines()",
        "    return []",
        [GATE, "-k", "msgfmt"],
    ),
    # pdf.py
    (
        P,
        '    if mark is None or not bool(mark.get("/Marked", False)):',
        "    if mark is None:",
        PDF,
    ),
    (P, '    if not str(pdf.Root.get("/Lang", "")).strip():', "    if False:", PDF),
    (
        P,
        '    if prefs is None or not bool(prefs.get("/DisplayDocTitle", False)):',
        "    if prefs is None:",
        PDF,
    ),
    (P, '        if not xmp.get("dc:title"):', "        if False:", PDF),
    (P, '        if xmp.get("pdfuaid:part") != "1":', "        if False:", PDF),
    (
        P,
        '            elif op in PAINTING and not any(t == "Artifact" or m is not None for t, m in stack):',
        "            elif False:",
        PDF,
    ),
    (
        P,
        "            if mapped is None or pdf_name(mapped) not in STANDARD_TYPES:",
        "            if mapped is None and False:",
        PDF,
    ),
    (P, "    if levels[0] != 1:", "    if levels[0] > 2:", PDF),
    (P, "        if after > before + 1:", "        if after > before + 2:", PDF),
    (
        P,
        "        if level is not None and not element_text(element, texts).strip():",
        "        if False:",
        PDF,
    ),
    (
        P,
        '            if pdf_name(annot.get("/Subtype")) == "Link" and not str(annot.get("/Contents", "")):',
        "            if False:",
        PDF,
    ),
    (
        P,
        '        if pdf_name(element.S) == "Figure" and not str(element.get("/Alt", "")).strip():',
        "        if False:",
        PDF,
    ),
    (P, "        if alt.strip() != want.strip()", "        if False", PDF),
    (P, "    if len(found) != len(expected):", "    if False:", PDF),
    (
        P,
        "                problems.add(f\"font {name} ({pdf_name(font.get('/BaseFont'))}) is not embedded\")",
        "                pass",
        PDF,
    ),
    (P, '            if "/ToUnicode" not in font:', "            if False:", PDF),
    (P, "        if alt_texts is not None:", "        if False:", PDF),
    (
        PT,
        "                    table[code] = chr(start + code - low)",
        "                    table[code] = chr(start)",
        [GATE, "-k", "to_unicode or reading_order"],
    ),
    # structure.py
    (
        S,
        "            yield f\"terms {sum(k.role == 'term' for k in kids[i:j])}\"",
        "            pass",
        STRUCTURE,
    ),
    (S, '            yield f"h{_level(kid.attrs)}"', '            yield "h"', STRUCTURE),
    (
        S,
        "            yield f\"list {sum(k.role == 'listitem' for k in kid.children)}\"",
        '            yield "list"',
        STRUCTURE,
    ),
    (
        S,
        '            heads = sum(n.role in ("columnheader", "rowheader") for n in _walk(kid))',
        "            heads = 0",
        STRUCTURE,
    ),
    (
        S,
        "        return [f\"{'terms' if numbering == 'None' else 'list'} {items}\"]",
        '        return [f"list {items}"]',
        STRUCTURE,
    ),
    (
        S,
        '        heads = sum(pdf_name(d.S) == "TH" for d in _descendants(node))',
        "        heads = 0",
        STRUCTURE,
    ),
    (S, '        return [f"h{kind[1]}"]', '        return ["h"]', STRUCTURE),
    (
        S,
        "                    _add_run(runs, langs.get(key, lang), root_lang)",
        "                    _add_run(runs, lang, root_lang)",
        STRUCTURE,
    ),
    (S, '    mark = "" if lang == root_lang else lang', '    mark = ""', STRUCTURE),
    (S, '        if op == "equal":\n            continue', "        continue", STRUCTURE),
    (
        S,
        '    problems += [\n        f"languages',
        '    problems = problems or [\n        f"languages',
        STRUCTURE,
    ),
    (
        S,
        '            if kind == "H1":\n                seen_title = True',
        '            if kind == "H1":\n                pass',
        STRUCTURE,
    ),
    # reading_order.py
    (
        RO,
        '            where = "earlier than expected" if 0 <= earlier < cursor else "not at all"',
        '            where = "not at all"',
        ORDER,
    ),
    (RO, "        cursor = found + len(needle)", "        cursor = 0", ORDER),
    (
        RO,
        "            elif best < last:",
        "            elif False:",
        ORDER,
    ),
    (
        RO,
        "        later = [i for i in range(last, len(body)) if _same_letters(segment, body[i]) >= 0.9]",
        "        later = [i for i in range(0, len(body)) if _same_letters(segment, body[i]) >= 0.9]",
        ORDER,
    ),
    # findings.py and run.py
    (
        FD,
        "        return not self.problems and not self.error",
        "        return not self.problems",
        GATE_RUN,
    ),
    (
        FD,
        "        return [f for f in self.findings if not f.passed]",
        "        return []",
        GATE_RUN,
    ),
    (FD, "        if result is None:", "        if False:", GATE_RUN),
    (
        FD,
        "    except (KlpublishError, OSError, ValueError) as exc:\n        finding.error = str(exc)",
        "    except (KlpublishError, OSError, ValueError) as exc:\n        finding.problems = []",
        UNITS,
    ),
    (
        R,
        '    return [plain_text(node["c"][1]) for node in nodes if node["t"] == "Image"]',
        "    return []",
        UNITS,
    ),
    (FD, '    "structure",\n', "", WHOLE_GATE),
    (
        R,
        "        if found is None:\n            raise ToolError",
        "        if False:\n            raise ToolError",
        UNITS,
    ),
    # fileio.py
    (
        F,
        "        os.replace(tmp, path)",
        "        os.replace(tmp, path)\n        path.write_bytes(data)",
        CRASH,
    ),
    (
        F,
        '    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)',
        '    fd, tmp = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), str(path) + ".x"\n    path = Path(str(path) + ".x")',
        CRASH,
    ),
    (F, "        os.chmod(tmp, mode)", "        pass", FILEIO),
    (F, "        Path(tmp).unlink(missing_ok=True)\n        raise", "        raise", FILEIO),
    (
        F,
        "        if path.read_bytes() == data:\n            return False",
        "        if path.read_bytes() == data:\n            pass",
        FILEIO,
    ),
    (
        F,
        "    write_atomic(path, data)\n    return True",
        "    write_atomic(path, data)\n    return False",
        FILEIO,
    ),
    (
        F,
        '        for stale in folder.glob(f".{name_prefix}*.tmp"):',
        '        for stale in folder.glob("*"):',
        FILEIO,
    ),
    (F, "    if folder.is_dir():", "    if True:", FILEIO),
]


def run(selected: set[str]) -> int:
    score: dict[str, list[bool]] = defaultdict(list)
    for file, text, replacement, tests in MUTANTS:
        if selected and not any(s in file for s in selected):
            continue
        path = Path(file)
        original = path.read_text(encoding="utf-8")
        if original.count(text) != 1:
            print(
                f"{file}: mutant does not apply (found {original.count(text)} times): {text[:60]!r}"
            )
            return 2
        path.write_text(original.replace(text, replacement), encoding="utf-8")
        start = time.monotonic()
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
                capture_output=True,
                text=True,
                timeout=900,
                check=False,
            )
            killed = proc.returncode != 0
        except subprocess.TimeoutExpired:
            killed = True
        finally:
            path.write_text(original, encoding="utf-8")
        score[file].append(killed)
        line = text.strip().splitlines()[0][:70]
        print(
            f"{'killed  ' if killed else 'SURVIVED'} {file} {time.monotonic() - start:5.0f}s  {line}",
            flush=True,
        )
    for file, results in score.items():
        print(
            f"{file}: {sum(results)}/{len(results)} killed ({100 * sum(results) // len(results)}%)"
        )
    return 0 if all(all(r) for r in score.values()) else 1


if __name__ == "__main__":
    sys.exit(run(set(sys.argv[1:])))
