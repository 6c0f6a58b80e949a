"""What a screen reader says, compared with what the page holds.

Pure functions over two records: the page's markup (read with lxml) and what Orca said
while reading it, with the text runs of the page's accessibility tree (both recorded by
``checks/orca_listen.py``). Four comparisons:

- the words: every word of the page's visible text is spoken, in the page's order, none
  run together with the next or split in two, none added (Orca's own role words, such as
  "link" or "heading level 2", are allowed; its names for the characters it names, such
  as "middle dot" for ``·``, are expected where those characters stand, and only there);
- the page summary Orca announces ("Page has 4 landmarks, 4 headings, 9 unvisited
  links.") against the page's landmarks, headings and links;
- the language of each text run the browser hands to the screen reader against the
  page's ``lang`` attributes;
- the parts whose language is known beforehand (the Danish address, each name in the
  language switcher) are handed over in that language.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import Any

from klpublish.gate.page_text import (
    Summary,
    Word,
    page_summary,
    page_title,
    page_words,
    repeated_captions,
    words,
)
from klpublish.gate.spoken_symbols import SpokenSymbols

ORCA_WORDS = re.compile(
    r"(?:link|visited link|heading level \d|banner|navigation|main content|information"
    r"|complementary|region|form|search|article|section|separator|block quote|figure|image"
    r"|description term|description value|list with \d+ items?|description list with \d+ terms?"
    r"|table with \d+ rows? \d+ columns?|column header|row header|caption|current page"
    r"|row \d+|column \d+|nesting level \d+|bullet|superscript|subscript|footnote"
    r"|(?:insertion|deletion) (?:start|end)|leaving [a-z ]+)\.?",
    re.IGNORECASE,
)
"""Whole utterances that are Orca's own words (roles and landmarks) rather than the page's."""
SUMMARY = re.compile(r"Page has (.*)\.$")
NAMED = re.compile(r"(?:heading level \d|column header|row header)\.?", re.IGNORECASE)
"""Role words Orca says after the text they name: the text before one is the page's,
even when it is a word Orca also says as a role (a column header "Region")."""


def heard_summary(said: Sequence[dict[str, str]]) -> Summary | None:
    for utterance in said:
        match = SUMMARY.search(utterance["text"].strip())
        if match:
            counts = {"landmark": 0, "heading": 0, "link": 0}
            for number, what in re.findall(r"(\d+) (?:\w+ )?(landmark|heading|link)", match[1]):
                counts[what] += int(number)
            return Summary(counts["landmark"], counts["heading"], counts["link"])
    return None


def reading(said: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    """The utterances of the reading itself: after the summary Orca gives on load."""
    for n, utterance in enumerate(said):
        if SUMMARY.search(utterance["text"].strip()):
            return list(said[n + 1 :])
    return []


def before_reading(said: Sequence[dict[str, str]], title: str) -> list[str]:
    """What Orca says between the page's tab (or window) opening and the reading: the
    page's title as it loads, and nothing else (no translate prompt, no first-run dialog)."""
    allowed = re.compile(
        r"Screen reader on\.|(?:.* - )?Chromium frame\.|.* page tab\.|.* document web\."
        r"|Loading\.\s+Please wait\.|Finished loading .*\."
    )
    problems = []
    announced = None
    for utterance in said:
        text = " ".join(utterance["text"].split())
        if SUMMARY.search(text):
            break
        if text.startswith("Finished loading "):
            announced = text.removeprefix("Finished loading ").removesuffix(".")
        if not allowed.fullmatch(text):
            problems.append(f"heard before the page was read: '{text}'")
    if announced is not None and announced != title:
        problems.append(f"the page is announced as '{announced}', its title is '{title}'")
    return problems


def heard_words(said: Sequence[dict[str, str]]) -> list[Word]:
    """The page's words as Orca spoke them, without its role words. The names Orca
    says for characters stay: the page is read with them where the characters stand
    (``spoken_symbols``)."""
    found: list[Word] = []
    for n, utterance in enumerate(said):
        text = utterance["text"].strip()
        following = said[n + 1]["text"].strip() if n + 1 < len(said) else ""
        if ORCA_WORDS.fullmatch(text) and not NAMED.fullmatch(following):
            continue
        if following.startswith("table with "):
            continue  # the table's name (its caption), said as context before it is read
        found.extend(words(text, utterance["lang"]))
    return found


def _quote(items: Sequence[Word], start: int, end: int, around: int = 3) -> str:
    before = " ".join(w.text for w in items[max(0, start - around) : start])
    inside = " ".join(w.text for w in items[start:end])
    after = " ".join(w.text for w in items[end : end + around])
    return " ".join(p for p in (before, f"[{inside}]", after) if p.strip("[]") or p == "[]")


def compare_words(page: Sequence[Word], heard: Sequence[Word], limit: int = 5) -> list[str]:
    """The first differences between the page's words and the words heard, quoted."""
    matcher = difflib.SequenceMatcher(
        None, [w.key for w in page], [w.key for w in heard], autojunk=False
    )
    problems: list[str] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            continue
        page_part = "".join(w.key for w in page[a0:a1])
        heard_part = "".join(w.key for w in heard[b0:b1])
        if op == "replace" and page_part == heard_part and b1 - b0 < a1 - a0:
            what = "words run together"
        elif op == "replace" and page_part == heard_part:
            what = "a word split in two"
        elif op == "delete":
            what = "not heard (on the page, not read)"
        elif op == "insert":
            what = "heard but not on the page (hidden, or added by the browser)"
        else:
            what = "heard otherwise"
        problems.append(
            f"{what}: heard '{_quote(heard, b0, b1)}', page has '{_quote(page, a0, a1)}'"
        )
        if len(problems) >= limit:
            problems.append("(further differences left out)")
            break
    return problems


def _primary(tag: str) -> str:
    return tag.replace("_", "-").lower()


def compare_languages(page: Sequence[Word], runs: Sequence[Word], limit: int = 5) -> list[str]:
    """Runs handed to the screen reader in another language than the page marks them."""
    matcher = difflib.SequenceMatcher(
        None, [w.key for w in page], [w.key for w in runs], autojunk=False
    )
    problems: list[str] = []
    for a, b, size in matcher.get_matching_blocks():
        n = 0
        while n < size:
            want, got = _primary(page[a + n].lang), _primary(runs[b + n].lang)
            if want == got:
                n += 1
                continue
            start = n
            while n < size and (_primary(page[a + n].lang), _primary(runs[b + n].lang)) == (
                want,
                got,
            ):
                n += 1
            problems.append(
                f"'{_quote(runs, b + start, b + n, 0).strip('[]')}' is handed to the screen "
                f"reader as '{got or '(none)'}', the page marks it '{want or '(none)'}'"
            )
            if len(problems) >= limit:
                return problems
    return problems


def _places(keys: Sequence[str], needle: Sequence[str]) -> list[int]:
    return [i for i in range(len(keys)) if list(keys[i : i + len(needle)]) == list(needle)]


def expected_languages(
    page: Sequence[Word], runs: Sequence[Word], parts: Sequence[tuple[str, str]]
) -> list[str]:
    """Each known part (text, language) the page shows must reach the screen reader in
    its language."""
    keys = [w.key for w in runs]
    shown = [w.key for w in page]
    problems = []
    for text, lang in parts:
        needle = [w.key for w in words(text)]
        if not needle or not _places(shown, needle):
            continue
        places = _places(keys, needle)
        if not places:
            problems.append(f"'{text}' is not in the accessibility tree")
        for i in places:
            got = {_primary(w.lang) for w in runs[i : i + len(needle)]}
            if got != {_primary(lang)}:
                problems.append(
                    f"'{text}' is handed to the screen reader as "
                    f"'{', '.join(sorted(got)) or '(none)'}', expected '{lang}'"
                )
    return problems


def run_words(runs: Sequence[dict[str, str]]) -> list[Word]:
    """The words of the accessibility tree's text runs, each with its run's language."""
    return [w for run in runs for w in words(run["text"], run["lang"])]


def check_listening(
    root: Any,
    record: dict[str, Any],
    symbols: SpokenSymbols,
    parts: Sequence[tuple[str, str]] = (),
) -> list[str]:
    """Every problem with one page, from its markup and what Orca said reading it;
    ``symbols``: what Orca says for the characters it names (``spoken_symbols``)."""
    if record.get("error"):
        return [f"Orca could not read the page: {record['error']}"]
    said = record.get("said", [])
    problems: list[str] = []
    page = page_words(root)
    heard = heard_summary(said)
    expected = page_summary(root)
    if heard is None:
        problems.append("Orca announced no page summary (did the page load?)")
    elif heard != expected:
        problems.append(f"page summary: Orca says {heard}, the page has {expected}")
    problems += before_reading(said, page_title(root))
    problems += repeated_captions(root)
    problems += compare_words(page_words(root, symbols.say), heard_words(reading(said)))
    runs = run_words(record.get("runs", []))
    if not runs:
        problems.append("the accessibility tree held no text")
    problems += compare_languages(page, runs)
    problems += expected_languages(page, runs, parts)
    return problems


def transcript(record: dict[str, Any]) -> str:
    """What Orca said, one utterance a line, for a person to read."""
    lines = [u["text"].strip().replace("\n", " / ") for u in record.get("said", [])]
    if record.get("error"):
        lines.append(f"(Orca could not read the page: {record['error']})")
    if "seconds" in record:
        lines.append(f"(opened and read in {record['seconds']} s)")
    return "\n".join(lines) + "\n"
